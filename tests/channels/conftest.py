"""Channel tests share the actions' database fixture."""

from tests.actions.conftest import app_db  # noqa: F401
