"""`familybot up`: migrate, train if stale, write Rasa's runtime files, run both servers."""

from __future__ import annotations

import sys
from pathlib import Path

from bot import dbcli, rasa_config, runtime, supervisor
from bot.rasa_config import REST, Channel
from bot.runtime import UserError
from bot.settings import Settings


def run_up(settings: Settings, start_timeout: float) -> int:
    """Run the stack in the foreground; 0 after a clean stop, UserError if a server dies."""
    settings.check()
    root = runtime.project_root()
    channels = rasa_config.enabled_channels(settings)
    rasa_config.endpoints_config(settings)  # validates the store URLs before anything starts
    ports = {
        (settings.rasa_host, settings.rasa_port),
        (settings.actions_host, settings.actions_port),
    }
    if settings.rasa_port == settings.actions_port:
        raise UserError("FAMILYBOT_RASA_PORT and FAMILYBOT_ACTIONS_PORT must differ")
    for host, port in sorted(ports):
        supervisor.check_port_free(host, port)

    dbcli.upgrade_database(settings)
    print(f"Database: {dbcli.safe_url(settings.database_url)} (schema up to date)")
    dbcli.check_tracker_store(settings)
    model, trained = runtime.ensure_model(root, settings)
    print(f"Model: {_shown(model, root)} ({'trained now' if trained else 'up to date'})")
    endpoints, credentials = rasa_config.write_runtime_files(root, settings)
    for host, port in sorted(ports):  # training takes minutes: look again
        supervisor.check_port_free(host, port)

    env = runtime.child_environment(settings)
    logs = rasa_config.runtime_dir(root, settings)
    actions = supervisor.Child(
        name="action server",
        argv=[sys.executable, "-m", "rasa_sdk", "--actions", "actions",
              "--port", str(settings.actions_port)],
        health_url=supervisor.http_url(settings.actions_host, settings.actions_port, "/health"),
        log_path=logs / "actions.log",
        env={**env, "SANIC_HOST": settings.actions_host},
    )  # fmt: skip
    rasa = supervisor.Child(
        name="Rasa server",
        argv=[sys.executable, "-m", "bot.rasa_launcher", "run", "--model", str(model),
              "--endpoints", str(endpoints), "--credentials", str(credentials),
              "--port", str(settings.rasa_port), "--interface", settings.rasa_host],
        health_url=supervisor.http_url(settings.rasa_host, settings.rasa_port, "/"),
        log_path=logs / "rasa.log",
        env=env,
    )  # fmt: skip
    banners = {
        "action server": [f"Action server: {settings.actions_url}"],
        "Rasa server": [
            f"Rasa server ({channel.label}): {_channel_url(settings, channel)}"
            for channel in channels
        ],
    }
    stack = supervisor.Supervisor([actions, rasa], cwd=root)
    stack.install_signal_handlers()
    print(f"Starting the action server and the Rasa server (logs in {_shown(logs, root)})...")
    try:
        stack.start()
        stack.wait_ready(start_timeout, on_ready=lambda c: print(*banners[c.name], sep="\n"))
        if stack.stop_signal is None:
            print("FamilyBot is up. Try `familybot chat` in another terminal; Ctrl-C stops it.")
            sys.stdout.flush()
            stack.watch()
    finally:
        print("Stopping FamilyBot...", flush=True)
        stack.stop()
    print("FamilyBot stopped.")
    return 0


def _channel_url(settings: Settings, channel: Channel) -> str:
    if channel is REST:
        return supervisor.http_url(settings.rasa_host, settings.rasa_port, channel.webhook)
    return settings.public_url.rstrip("/") + channel.webhook


def _shown(path: Path, root: Path) -> str:
    """A path relative to the project folder when it is inside it."""
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
