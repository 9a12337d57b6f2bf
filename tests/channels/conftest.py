"""Channel tests share the actions' database fixture."""

from tests.actions.conftest import app_db, migrated_template  # noqa: F401
