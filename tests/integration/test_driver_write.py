"""callq.db.driver_write, the webhooks' transactions on the driver's connection: errors arrive
as SQLAlchemy's, a failed transaction leaves nothing, and the connection goes back to the pool
as SQLAlchemy expects it (not in autocommit), on both databases."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from callq import db
from callq.models import Base, Client


def _count(engine) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(Client))


@pytest.fixture
def schema(engine):
    Base.metadata.create_all(engine)
    return engine


def _insert(engine, cursor, name: str, client_id: int) -> None:
    marker = "?" if db.is_sqlite(engine) else "%s"
    cursor.execute(f"INSERT INTO clients (id, name, language, created_at) "
                   f"VALUES ({marker}, {marker}, 'fr', CURRENT_TIMESTAMP)", (client_id, name))


def test_a_driver_error_is_sqlalchemy_s_and_the_transaction_leaves_nothing(schema):
    engine = schema
    before = _count(engine)
    with pytest.raises(IntegrityError), db.driver_write(engine) as cursor:
        _insert(engine, cursor, "Clinique A", 900001)
        if db.is_sqlite(engine):
            _insert(engine, cursor, "Clinique A bis", 900001)  # same id: refused
        else:  # one statement per transaction there: the statement itself fails whole
            cursor.execute("INSERT INTO clients (id, name, language, created_at) "
                           "VALUES (900002, 'B', 'fr', now()), (900002, 'B', 'fr', now())")
    assert _count(engine) == before + (0 if db.is_sqlite(engine) else 1)


def test_the_connection_returns_to_the_pool_out_of_autocommit(schema):
    engine = schema
    with db.driver_write(engine) as cursor:
        _insert(engine, cursor, "Clinique C", 900003)
    # The next transaction on a pooled connection still rolls back as a transaction.
    with engine.connect() as conn:
        conn.execute(text("DELETE FROM clients WHERE id = 900003"))
        conn.rollback()
    assert _count(engine) >= 1
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM clients WHERE id = 900003")) == 1


def test_reads_then_a_write_on_one_connection_take_one_checkout_and_give_it_back(schema):
    engine = schema
    pool = engine.pool
    with db.driver_connection(engine) as connection:
        with db.driver_read(engine, connection) as cursor:
            cursor.execute("SELECT count(*) FROM clients")
            assert pool.checkedout() == 1
        with db.driver_write(engine, connection) as cursor:
            assert pool.checkedout() == 1  # the same connection, not a second one
            _insert(engine, cursor, "Clinique D", 900004)
        with pytest.raises(IntegrityError), db.driver_write(engine, connection) as cursor:
            _insert(engine, cursor, "Clinique D bis", 900004)  # refused, rolled back...
        with db.driver_read(engine, connection) as cursor:  # ...and the connection still serves
            cursor.execute("SELECT count(*) FROM clients WHERE id = 900004")
            assert cursor.fetchone()[0] == 1
    assert pool.checkedout() == 0
