"""The trained model: which files it comes from, its fingerprint, training it when stale."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bot.settings import Settings

MODEL_PREFIX = "familybot-"
KEEP_OLD_MODELS = 2
TRAINING_INPUTS = ("config.yml", "domain.yml")


class UserError(Exception):
    """A problem the user can fix; the CLI prints the message as one line and exits 1."""


def project_root(cwd: Path | None = None) -> Path:
    """The FamilyBot project folder: the working folder, which must hold the Rasa project."""
    root = (cwd or Path.cwd()).resolve()
    missing = [name for name in (*TRAINING_INPUTS, "data") if not (root / name).exists()]
    if missing:
        raise UserError(
            f"{root} is not a FamilyBot project folder (no {', '.join(missing)}); "
            "run familybot from the repository's top folder"
        )
    return root


def training_files(root: Path) -> list[Path]:
    """Every file the model is trained from: config.yml, domain.yml and all of data/."""
    files = [root / name for name in TRAINING_INPUTS]
    files += [p for p in (root / "data").rglob("*") if p.is_file()]
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def fingerprint(root: Path) -> str:
    """sha256 over the Rasa version and the sorted paths and contents of the training files."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        rasa_version = version("rasa")
    except PackageNotFoundError:  # pragma: no cover - rasa is a hard dependency
        rasa_version = "unknown"
    digest = hashlib.sha256(f"rasa {rasa_version}\0".encode())
    for path in training_files(root):
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise UserError(f"cannot read training file {path}: {exc.strerror}") from exc
        name = path.relative_to(root).as_posix().encode()
        digest.update(b"%s\0%d\0" % (name, len(content)))
        digest.update(content)
    return digest.hexdigest()


def model_dir(root: Path, settings: Settings) -> Path:
    """Where trained models live (FAMILYBOT_MODEL_DIR, relative to the project folder)."""
    return root / settings.model_dir


def model_path(root: Path, settings: Settings, digest: str | None = None) -> Path:
    """The model for the current training files; a stale check is a file-exists check."""
    digest = digest or fingerprint(root)
    return model_dir(root, settings) / f"{MODEL_PREFIX}{digest[:12]}.tar.gz"


def rasa_command(*args: str) -> list[str]:
    """Rasa's CLI in this environment, independent of PATH."""
    return [sys.executable, "-m", "rasa", *args]


def child_environment(settings: Settings) -> dict[str, str]:
    """The environment for Rasa processes: ours, plus quiet, private defaults."""
    env = dict(os.environ)
    env.setdefault("RASA_TELEMETRY_ENABLED", "false")  # nothing leaves the machine
    env.setdefault("LOG_LEVEL", settings.log_level.upper())
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    return env


def ensure_model(root: Path, settings: Settings, *, force: bool = False) -> tuple[Path, bool]:
    """Train the model unless one for the current training files exists; (path, trained)."""
    target = model_path(root, settings)
    if target.is_file() and not force:
        return target, False
    target.parent.mkdir(parents=True, exist_ok=True)
    name = target.name.removesuffix(".tar.gz")
    # Train into a scratch folder and move the file into place, so that a model file
    # exists only when training finished (an interrupted run leaves nothing stale).
    with tempfile.TemporaryDirectory(prefix=".training-", dir=target.parent) as scratch:
        command = rasa_command(
            "train", "--config", "config.yml", "--domain", "domain.yml", "--data", "data",
            "--out", scratch, "--fixed-model-name", name,
        )  # fmt: skip
        # Rasa's progress goes to stderr, so `familybot train` prints only the model path.
        result = subprocess.run(  # noqa: S603 - our own argv
            command, cwd=root, env=child_environment(settings), stdout=2
        )
        produced = Path(scratch) / target.name
        if result.returncode != 0 or not produced.is_file():
            raise UserError(f"training failed (rasa train exited with code {result.returncode})")
        os.replace(produced, target)
    _prune_old_models(target)
    return target, True


def _prune_old_models(current: Path) -> None:
    """Keep the current model and the few newest others, so models/ does not grow forever."""
    others = [p for p in current.parent.glob(f"{MODEL_PREFIX}*.tar.gz") if p != current]
    others.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    for old in others[KEEP_OLD_MODELS:]:
        old.unlink(missing_ok=True)
