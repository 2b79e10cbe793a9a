"""The Alembic migrations build exactly the schema the models describe, on both backends."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from callq.db import build_engine
from callq.migrate import current, upgrade
from callq.models import Base


def _fresh(engine):
    """An empty database of the engine's backend (PostgreSQL: a private schema)."""
    if engine.dialect.name == "sqlite":
        return engine
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS migr CASCADE"))
        conn.execute(text("CREATE SCHEMA migr"))
    url = engine.url.update_query_dict({"options": "-csearch_path=migr,public"})
    return build_engine(url.render_as_string(hide_password=False))


def test_migrations_reach_head_and_match_the_models(tmp_path, engine):
    target = build_engine(f"sqlite:///{tmp_path / 'm.sqlite3'}") \
        if engine.dialect.name == "sqlite" else _fresh(engine)
    upgrade(target)
    assert current(target) is not None
    with target.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == [], f"models and migrations differ: {diff}"
    names = set(inspect(target).get_table_names())
    assert {"waiting_entries", "appointments", "side_effects"} <= names
    target.dispose()


def test_postgres_migration_refuses_overlapping_appointments_by_constraint(engine):
    if engine.dialect.name != "postgresql":
        return  # SQLite has no exclusion constraints; the planner's BEGIN IMMEDIATE covers it
    target = _fresh(engine)
    upgrade(target)
    with target.connect() as conn:
        found = conn.execute(text(
            "SELECT conname FROM pg_constraint WHERE contype = 'x'")).scalars().all()
    assert "ex_appointments_agent_overlap" in found
    target.dispose()


def test_upgrade_is_idempotent(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'twice.sqlite3'}")
    upgrade(engine)
    upgrade(engine)
    assert current(engine) is not None
