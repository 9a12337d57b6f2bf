"""The runtime configuration `familybot up` writes for Rasa, and the model fingerprint."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest
import yaml

from bot import dbcli, rasa_config, runtime
from bot.runtime import UserError
from bot.settings import Settings

# --- tracker store: SQLAlchemy URL -> Rasa's SQL tracker store keys ----------------------


def test_sqlite_tracker_store_relative_path_is_made_absolute(tmp_path: Path) -> None:
    config = rasa_config.tracker_store_config("sqlite:///familybot-tracker.db", base=tmp_path)
    assert config == {
        "type": "SQL",
        "dialect": "sqlite",
        "db": str(tmp_path / "familybot-tracker.db"),
    }


def test_sqlite_tracker_store_absolute_path_is_kept(tmp_path: Path) -> None:
    config = rasa_config.tracker_store_config(
        "sqlite:////var/lib/familybot/tracker.db", base=tmp_path
    )
    assert config == {"type": "SQL", "dialect": "sqlite", "db": "/var/lib/familybot/tracker.db"}


def test_postgresql_tracker_store_keys() -> None:
    url = "postgresql+psycopg2://fb:s%40cret%2Fx@db.example.org:5433/tracker?sslmode=require"
    assert rasa_config.tracker_store_config(url) == {
        "type": "SQL",
        "dialect": "postgresql+psycopg2",
        "url": "db.example.org",
        "port": 5433,
        "db": "tracker",
        "username": "fb",
        "password": "s@cret/x",
        "query": {"sslmode": "require"},
    }


def test_postgresql_tracker_store_without_port_or_password() -> None:
    assert rasa_config.tracker_store_config("postgresql://root@127.0.0.1/test") == {
        "type": "SQL",
        "dialect": "postgresql",
        "url": "127.0.0.1",
        "db": "test",
        "username": "root",
    }


def test_rasa_rebuilds_the_same_postgresql_url_from_the_keys() -> None:
    """Rasa passes endpoint `url` to SQLTrackerStore as `host`; the result must round-trip."""
    from rasa.core.tracker_store import SQLTrackerStore
    from sqlalchemy.engine import make_url

    url = "postgresql://fb:p%40ss@db.example.org:5433/tracker?sslmode=require"
    config = rasa_config.tracker_store_config(url)
    rebuilt = SQLTrackerStore.get_db_url(
        dialect=config["dialect"],
        host=config["url"],
        port=config["port"],
        db=config["db"],
        username=config["username"],
        password=config["password"],
        query=config["query"],
    )
    assert rebuilt == make_url(url)


def test_rasa_opens_the_sqlite_tracker_store_we_describe(tmp_path: Path) -> None:
    from rasa.core.tracker_store import SQLTrackerStore, create_tracker_store
    from rasa.utils.endpoints import EndpointConfig

    config = rasa_config.tracker_store_config("sqlite:///tracker.db", base=tmp_path)
    store = create_tracker_store(EndpointConfig.from_dict(config))
    try:
        assert isinstance(store, SQLTrackerStore)
        assert store.engine.url.database == str(tmp_path / "tracker.db")
        assert (tmp_path / "tracker.db").is_file()
    finally:
        store.engine.dispose()


@pytest.mark.parametrize("url", ["not a url", "nosuchdialect://host/db", ""])
def test_bad_tracker_store_url_names_the_setting(url: str) -> None:
    with pytest.raises(UserError, match="FAMILYBOT_TRACKER_STORE_URL"):
        rasa_config.tracker_store_config(url)


def test_safe_url_hides_the_password() -> None:
    assert dbcli.safe_url("postgresql://fb:hunter2@db/app") == "postgresql://fb:***@db/app"


# --- lock store, endpoints, credentials ------------------------------------------------


def test_lock_store_is_in_memory_without_redis() -> None:
    assert rasa_config.lock_store_config("") == {"type": "in_memory"}


def test_lock_store_uses_redis_when_configured() -> None:
    assert rasa_config.lock_store_config("redis://:pw@cache.internal:6380/2") == {
        "type": "redis",
        "url": "cache.internal",
        "port": 6380,
        "db": 2,
        "key_prefix": "familybot",
        "use_ssl": False,
        "password": "pw",
    }
    tls = rasa_config.lock_store_config("rediss://user:pw@cache.internal")
    assert (tls["port"], tls["db"], tls["use_ssl"], tls["username"]) == (6379, 0, True, "user")


def test_bad_redis_url_is_refused() -> None:
    with pytest.raises(UserError, match="FAMILYBOT_REDIS_URL"):
        rasa_config.lock_store_config("http://cache.internal:6379")


def test_endpoints_follow_the_settings(tmp_path: Path) -> None:
    settings = Settings(
        actions_port=6060,
        tracker_store_url="sqlite:///t.db",
        redis_url="redis://127.0.0.1:6379/1",
    )
    config = rasa_config.endpoints_config(settings, base=tmp_path)
    assert config["action_endpoint"] == {"url": "http://127.0.0.1:6060/webhook"}
    assert config["tracker_store"]["db"] == str(tmp_path / "t.db")
    assert config["lock_store"]["type"] == "redis"
    assert rasa_config.endpoints_config(Settings(), base=tmp_path)["lock_store"] == {
        "type": "in_memory"
    }


def test_credentials_enable_only_the_gated_rest_channel_by_default() -> None:
    assert rasa_config.credentials_config(Settings()) == {"bot.channels.rest.GatedRestInput": {}}


def test_sms_and_telegram_channels_start_when_their_credentials_are_set() -> None:
    settings = Settings(
        public_url="https://familybot.example.org",
        twilio_account_sid="AC" + "0" * 32,
        twilio_auth_token="token",
        twilio_from="+15555550100",
        telegram_token="123:abc",
        telegram_secret="s3cret",
    )
    config = rasa_config.credentials_config(settings)
    assert list(config) == [
        rasa_config.REST_CHANNEL,
        rasa_config.SMS_CHANNEL,
        rasa_config.TELEGRAM_CHANNEL,
    ]
    assert all(value == {} for value in config.values())  # no secrets in the file


def test_half_configured_channel_is_refused_with_what_is_missing() -> None:
    with pytest.raises(UserError, match="FAMILYBOT_TWILIO_FROM, FAMILYBOT_PUBLIC_URL"):
        rasa_config.credentials_config(Settings(twilio_account_sid="AC1", twilio_auth_token="t"))
    with pytest.raises(UserError, match="FAMILYBOT_TELEGRAM_SECRET"):
        rasa_config.credentials_config(Settings(telegram_token="1:a", public_url="https://x.org"))


def test_runtime_files_are_private_and_readable_by_rasa(tmp_path: Path, monkeypatch) -> None:
    from rasa.utils.endpoints import read_endpoint_config

    monkeypatch.chdir(tmp_path)
    settings = Settings(tracker_store_url="postgresql://fb:pw@db/tracker")
    endpoints, credentials = rasa_config.write_runtime_files(tmp_path, settings)
    assert endpoints == tmp_path / ".familybot" / "5005" / "endpoints.yml"
    assert credentials == endpoints.with_name("credentials.yml")
    for path in (endpoints, credentials):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert yaml.safe_load(credentials.read_text()) == {rasa_config.REST_CHANNEL: {}}
    tracker = read_endpoint_config(str(endpoints), "tracker_store")
    assert tracker is not None
    assert (tracker.type, tracker.url) == ("SQL", "db")
    assert tracker.kwargs == {"dialect": "postgresql", "db": "tracker", "username": "fb",
                              "password": "pw"}  # fmt: skip
    action = read_endpoint_config(str(endpoints), "action_endpoint")
    assert action is not None and action.url == settings.actions_url


def test_action_timeout_is_applied_to_rasa() -> None:
    import rasa.core.actions.action as action_module

    from bot.rasa_launcher import apply_action_timeout

    before = action_module.DEFAULT_REQUEST_TIMEOUT
    try:
        apply_action_timeout(7)
        assert action_module.DEFAULT_REQUEST_TIMEOUT == 7
    finally:
        action_module.DEFAULT_REQUEST_TIMEOUT = before


# --- fingerprint and model files -------------------------------------------------------


def test_fingerprint_is_stable_when_nothing_changes(project: Path) -> None:
    first = runtime.fingerprint(project)
    (project / "data" / "nlu" / "greet.yml").touch()  # a new mtime is not a change
    (project / "README.md").write_text("not training data")
    assert runtime.fingerprint(project) == first
    assert len(first) == 64


@pytest.mark.parametrize(
    "change",
    [
        lambda root: (root / "data" / "nlu" / "greet.yml").write_text("changed"),
        lambda root: (root / "data" / "rules.yml").write_text("rules: []"),
        lambda root: (root / "data" / "nlu" / "greet.yml").rename(root / "data" / "g.yml"),
        lambda root: (root / "domain.yml").write_text("intents: [bye]"),
        lambda root: (root / "config.yml").write_text("language: es"),
    ],
    ids=["data edited", "data added", "data renamed", "domain edited", "config edited"],
)
def test_fingerprint_changes_with_the_training_files(project: Path, change) -> None:
    before = runtime.fingerprint(project)
    change(project)
    assert runtime.fingerprint(project) != before


def test_fingerprint_of_two_copies_is_the_same(tmp_path: Path, make_project) -> None:
    a = make_project(tmp_path / "a")
    b = make_project(tmp_path / "b")
    assert runtime.fingerprint(a) == runtime.fingerprint(b)


def test_model_path_is_named_after_the_fingerprint(project: Path) -> None:
    path = runtime.model_path(project, Settings(model_dir="models"))
    assert path == project / "models" / f"familybot-{runtime.fingerprint(project)[:12]}.tar.gz"


def test_project_root_requires_the_rasa_project(tmp_path: Path, project: Path) -> None:
    assert runtime.project_root(project) == project.resolve()
    with pytest.raises(UserError, match="not a FamilyBot project folder"):
        runtime.project_root(tmp_path / "elsewhere")


FAKE_RASA = """
import sys
from pathlib import Path
args = sys.argv[1:]
out, name = Path(args[args.index("--out") + 1]), args[args.index("--fixed-model-name") + 1]
if "fail" in Path("config.yml").read_text():
    sys.exit(3)
(out / (name + ".tar.gz")).write_bytes(b"model")
"""


@pytest.fixture
def fake_rasa(monkeypatch, tmp_path: Path) -> None:
    """Stand in for `rasa train`: write the model where Rasa would, or fail."""
    script = tmp_path / "fake_rasa.py"
    script.write_text(FAKE_RASA)
    monkeypatch.setattr(runtime, "rasa_command", lambda *args: [sys.executable, str(script), *args])


def test_ensure_model_trains_once_then_reuses(project: Path, fake_rasa) -> None:
    settings = Settings()
    path, trained = runtime.ensure_model(project, settings)
    assert trained and path.read_bytes() == b"model"
    assert path == runtime.model_path(project, settings)
    assert runtime.ensure_model(project, settings) == (path, False)
    assert runtime.ensure_model(project, settings, force=True) == (path, True)
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no scratch left


def test_ensure_model_retrains_when_data_changes_and_prunes_old_models(
    project: Path, fake_rasa
) -> None:
    settings = Settings()
    paths = []
    for n in range(5):
        (project / "data" / "nlu" / "extra.yml").write_text(f"version {n}")
        path, trained = runtime.ensure_model(project, settings)
        assert trained
        paths.append(path)
    assert len(set(paths)) == 5
    kept = sorted(paths[-1].parent.glob("familybot-*.tar.gz"))
    assert paths[-1] in kept and len(kept) == 1 + runtime.KEEP_OLD_MODELS


def test_failed_training_leaves_no_model(project: Path, fake_rasa) -> None:
    (project / "config.yml").write_text("fail")
    with pytest.raises(UserError, match="exited with code 3"):
        runtime.ensure_model(project, Settings())
    assert list((project / "models").iterdir()) == []
