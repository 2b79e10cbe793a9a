"""The Alembic migrations build exactly the schema the models describe, on both backends."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, event, inspect, text

from callq import intake
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


def _predicate(sql):
    """An index's WHERE clause as both databases write it back, without case, spaces or
    brackets (PostgreSQL adds brackets and casts: `((status)::text = 'pending'::text)`)."""
    where = sql.partition(" WHERE ")[2] if sql else ""
    for noise in ("::text", "(", ")", " "):
        where = where.replace(noise, "")
    return where.casefold()


def test_migrations_make_the_partial_indexes_of_the_models(tmp_path, engine):
    # compare_metadata ignores an index's WHERE clause: a migration that drops it would pass.
    target = build_engine(f"sqlite:///{tmp_path / 'p.sqlite3'}") \
        if engine.dialect.name == "sqlite" else _fresh(engine)
    upgrade(target)
    sqlite = target.dialect.name == "sqlite"
    catalog = ("SELECT name, sql FROM sqlite_master WHERE type = 'index'" if sqlite else
               "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()")
    with target.connect() as conn:
        made = {name: _predicate(sql) for name, sql in conn.execute(text(catalog))}
    target.dispose()
    wanted = {index.name: _predicate("x WHERE " + str(where) if where is not None else "")
              for table in Base.metadata.tables.values() for index in table.indexes
              for where in [index.dialect_options["sqlite" if sqlite else "postgresql"]["where"]]}
    assert {name: made.get(name) for name in wanted} == wanted
    # An incoming call's row and its safety net leave these columns empty (issue 17).
    assert wanted["ix_calls_entry_id"] == "entry_idisnotnull"
    assert wanted["ix_side_effects_done"] == "done_atisnotnull"
    assert wanted["ix_side_effects_waiting_filings"] == "status='pending'andkind='intake_file'"


def test_the_waiting_filings_are_read_through_their_partial_index(engine):
    # The index holds no other row; a query can use it only if the database sees its kind and
    # status as literals (a bound parameter could be any value): explain what is sent.
    sent = []

    def keep(_conn, _cursor, statement, parameters, _context, _many):
        sent.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", keep)
    try:
        with engine.connect() as conn:
            conn.execute(intake._WAITING_FILINGS).all()
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    statement, parameters = sent[-1]
    explain = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN "
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql("SET LOCAL enable_seqscan = off")  # a few rows: still chosen
        plan = " ".join(str(row[-1]) for row in conn.exec_driver_sql(explain + statement,
                                                                     parameters))
    assert "ix_side_effects_waiting_filings" in plan, (statement, plan)
