"""`familybot` as a user runs it: errors are one line with no traceback; data commands work."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest


def assert_one_line_error(result, *, code: int = 1) -> str:
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("familybot")
    return lines[0]


def test_unknown_command_is_a_one_line_usage_error(run_familybot) -> None:
    line = assert_one_line_error(run_familybot("frobnicate"), code=2)
    assert "invalid choice: 'frobnicate'" in line and "--help" in line


def test_bad_option_is_a_one_line_usage_error(run_familybot) -> None:
    line = assert_one_line_error(run_familybot("export", "checkins", "--format", "xml"), code=2)
    assert "invalid choice: 'xml'" in line


def test_no_command_prints_help_and_exits_2(run_familybot) -> None:
    result = run_familybot()
    assert result.returncode == 2
    for command in ("up", "train", "db", "chat", "export", "seed-demo"):
        assert command in result.stderr


def test_version(run_familybot) -> None:
    result = run_familybot("--version")
    assert result.returncode == 0 and result.stdout.startswith("familybot ")


def test_malformed_database_url_names_the_setting(run_familybot) -> None:
    result = run_familybot("db", "upgrade", env={"FAMILYBOT_DATABASE_URL": "not-a-url"})
    line = assert_one_line_error(result)
    assert "FAMILYBOT_DATABASE_URL" in line and "not-a-url" in line


def test_unopenable_database_says_where(run_familybot, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'no' / 'such' / 'folder' / 'familybot.db'}"
    result = run_familybot("export", "checkins", env={"FAMILYBOT_DATABASE_URL": url})
    line = assert_one_line_error(result)
    assert line.startswith(f"familybot: cannot open the database at {url}")


def test_unreachable_postgresql_hides_the_password(run_familybot, free_tcp_port: int) -> None:
    url = f"postgresql://fb:hunter2@127.0.0.1:{free_tcp_port}/familybot"
    line = assert_one_line_error(
        run_familybot("db", "upgrade", env={"FAMILYBOT_DATABASE_URL": url})
    )
    assert "cannot open the database at postgresql://fb:***@127.0.0.1" in line
    assert "hunter2" not in line


def test_bad_number_setting_is_one_line(run_familybot) -> None:
    line = assert_one_line_error(run_familybot("chat", env={"FAMILYBOT_RASA_PORT": "abc"}))
    assert "FAMILYBOT_RASA_PORT must be a whole number" in line


def test_up_outside_the_project_folder(run_familybot, tmp_path: Path) -> None:
    line = assert_one_line_error(run_familybot("up", cwd=tmp_path))
    assert "not a FamilyBot project folder" in line


def test_up_refuses_unsafe_production_settings(run_familybot, project: Path) -> None:
    result = run_familybot("up", cwd=project, env={"FAMILYBOT_ENV": "production"})
    assert "FAMILYBOT_SECRET_KEY" in assert_one_line_error(result)


def test_up_when_the_port_is_taken(run_familybot, project: Path, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_familybot("up", cwd=project, env={"FAMILYBOT_RASA_PORT": str(port)})
    line = assert_one_line_error(result)
    assert line == f"familybot: port {port} is already in use — is familybot already running?"
    assert not (tmp_path / "familybot.db").exists()  # it stopped before touching anything


def test_export_before_upgrade_says_what_to_do(run_familybot) -> None:
    line = assert_one_line_error(run_familybot("export", "checkins"))
    assert "run `familybot db upgrade`" in line


def test_export_of_an_empty_database_prints_nothing(run_familybot) -> None:
    upgraded = run_familybot("db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    assert "is up to date" in upgraded.stdout
    result = run_familybot("export", "checkins", "--format", "jsonl")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_csv_export_of_an_empty_database_is_the_header(run_familybot) -> None:
    assert run_familybot("db", "upgrade").returncode == 0
    result = run_familybot("export", "checkins", "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().split(",")[:2] == ["conversation_id", "channel"]


def test_export_to_a_file(run_familybot, tmp_path: Path) -> None:
    assert run_familybot("db", "upgrade").returncode == 0
    out = tmp_path / "checkins.jsonl"
    result = run_familybot("export", "checkins", "--output", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_text() == ""
    assert result.stdout == "" and "Wrote 0 check-ins" in result.stderr
    bad = run_familybot("export", "checkins", "-o", str(tmp_path / "missing" / "x.jsonl"))
    assert "cannot write" in assert_one_line_error(bad)


def test_seed_demo_on_a_fresh_database(run_familybot) -> None:
    result = run_familybot("seed-demo")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Seeded demo data into sqlite:///")
    exported = run_familybot("export", "checkins", "--include-simulated")
    assert exported.returncode == 0, exported.stderr
    rows = [json.loads(line) for line in exported.stdout.splitlines()]
    for row in rows:  # nothing that identifies a phone reaches an export
        assert "+1" not in json.dumps(row)


@pytest.mark.parametrize("argv", [["db"], ["export"]])
def test_missing_subcommand_is_a_usage_error(run_familybot, argv) -> None:
    assert_one_line_error(run_familybot(*argv), code=2)
