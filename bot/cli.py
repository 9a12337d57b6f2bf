"""The `familybot` command: run the stack, train, migrate, chat, export, seed."""

from __future__ import annotations

import argparse
import os
import sys
from typing import NoReturn

from bot.runtime import UserError
from bot.settings import Settings, SettingsError, get_settings

START_TIMEOUT_SECONDS = 300.0


class Parser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line (exit 2) instead of the usage text."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def cmd_db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    from bot.dbcli import safe_url, upgrade_database

    upgrade_database(settings)
    print(f"Database {safe_url(settings.database_url)} is up to date.")
    return 0


def cmd_train(args: argparse.Namespace, settings: Settings) -> int:
    from bot.runtime import ensure_model, project_root

    path, _trained = ensure_model(project_root(), settings, force=args.force)
    print(path)
    return 0


def cmd_up(args: argparse.Namespace, settings: Settings) -> int:
    from bot.up import run_up

    return run_up(settings, start_timeout=args.start_timeout)


def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    from bot.chat import repl
    from bot.rasa_config import REST
    from bot.supervisor import http_url

    url = args.url or http_url(settings.rasa_host, settings.rasa_port, REST.webhook)
    sender = args.sender or f"terminal-{os.urandom(4).hex()}"
    prompt = "you> " if sys.stdin.isatty() else ""  # no prompts in piped transcripts
    return repl(url, sender, out=sys.stdout, err=sys.stderr, prompt=prompt)


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    from bot.dbcli import check_database_url, database_errors
    from bot.store import export_checkins, session_scope
    from bot.store.export import write_csv, write_jsonl

    url = settings.database_url
    check_database_url("FAMILYBOT_DATABASE_URL", url)
    with database_errors(url), session_scope(url) as session:
        rows = export_checkins(session=session, include_simulated=args.include_simulated)
    write = write_csv if args.format == "csv" else write_jsonl
    if args.output is None:
        write(rows, sys.stdout)
        sys.stdout.flush()
        return 0
    try:
        with open(args.output, "w", encoding="utf-8", newline="") as fp:
            write(rows, fp)
    except OSError as exc:
        raise UserError(f"cannot write {args.output}: {exc.strerror}") from exc
    print(f"Wrote {len(rows)} check-ins to {args.output}.", file=sys.stderr)
    return 0


def cmd_seed_demo(args: argparse.Namespace, settings: Settings) -> int:
    from bot.dbcli import database_errors, safe_url, upgrade_database
    from bot.store import seed_demo, session_scope

    upgrade_database(settings)
    with database_errors(settings.database_url), session_scope(settings.database_url) as session:
        counts = seed_demo(session=session)
    summary = (
        ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in counts.items()) or "nothing new"
    )
    print(f"Seeded demo data into {safe_url(settings.database_url)}: {summary}.")
    return 0


def cmd_telegram_link_code(args: argparse.Namespace, settings: Settings) -> int:
    from bot.dbcli import check_database_url, database_errors
    from bot.store import create_link_code, session_scope
    from bot.store.links import LINK_CODE_TTL

    url = settings.database_url
    check_database_url("FAMILYBOT_DATABASE_URL", url)
    try:
        with database_errors(url), session_scope(url) as session:
            code = create_link_code(
                session=session, family_id=args.family_id, key=settings.secret_key
            )
    except LookupError as exc:
        raise UserError(f"there is no family with id {args.family_id}") from exc
    # The bot's username needs a network call (getMe): print the code and how to use it.
    print(code)
    print(
        f"Send the family https://t.me/<your bot's username>?start={code} "
        f"(one use, valid {LINK_CODE_TTL.days} days).",
        file=sys.stderr,
    )
    return 0


# --- the parser and main --------------------------------------------------------------


def build_parser() -> Parser:
    parser = Parser(prog="familybot", description="FamilyBot: kind attendance check-ins.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    up = commands.add_parser("up", help="run the whole stack locally, in the foreground")
    up.add_argument(
        "--start-timeout", type=float, default=START_TIMEOUT_SECONDS, metavar="SECONDS",
        help="how long to wait for the servers to answer (default 300)",
    )  # fmt: skip
    up.set_defaults(func=cmd_up)

    train = commands.add_parser("train", help="train the Rasa model unless it is up to date")
    train.add_argument("--force", action="store_true", help="train even if up to date")
    train.set_defaults(func=cmd_train)

    db = commands.add_parser("db", help="database schema")
    db_commands = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    db_commands.add_parser("upgrade", help="apply every migration").set_defaults(
        func=cmd_db_upgrade
    )

    chat = commands.add_parser("chat", help="chat with the running bot from this terminal")
    chat.add_argument("--url", help="REST webhook (default: the local Rasa server)")
    chat.add_argument("--sender", help="conversation id (default: a new random one)")
    chat.set_defaults(func=cmd_chat)

    export = commands.add_parser("export", help="export check-in results")
    export.add_argument("what", choices=["checkins"], metavar="checkins", help="what to export")
    export.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
    export.add_argument("--output", "-o", metavar="FILE", help="write here (default: stdout)")
    export.add_argument("--include-simulated", action="store_true",
                        help="include simulated (benchmark) conversations")  # fmt: skip
    export.set_defaults(func=cmd_export)

    telegram = commands.add_parser("telegram", help="the Telegram channel")
    telegram_commands = telegram.add_subparsers(
        dest="telegram_command", metavar="ACTION", required=True
    )
    link_code = telegram_commands.add_parser(
        "link-code", help="a one-time code that links a family's Telegram chat"
    )
    link_code.add_argument("--family-id", type=int, required=True, metavar="N")
    link_code.set_defaults(func=cmd_telegram_link_code)

    seed = commands.add_parser("seed-demo", help="load a small demo school into the database")
    seed.set_defaults(func=cmd_seed_demo)
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("familybot")
    except PackageNotFoundError:
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `familybot` script; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "func"):
        parser.print_help(sys.stderr)
        return 2
    try:
        settings = get_settings()
        return int(args.func(args, settings))
    except (UserError, SettingsError) as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return _fail("interrupted", code=130)
    except BrokenPipeError:
        # The reader went away (e.g. `familybot export checkins | head`): not an error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # one line, never a traceback; DEBUG shows it
        if _debug():
            raise
        return _fail(f"unexpected error: {type(exc).__name__}: {_first_line(exc)}")


def _fail(message: str, code: int = 1) -> int:
    print(f"familybot: {message}", file=sys.stderr)
    return code


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else "(no message)"


def _debug() -> bool:
    try:
        return get_settings().log_level.upper() == "DEBUG"
    except SettingsError:
        return False


if __name__ == "__main__":
    sys.exit(main())
