"""Engines and transactions: SQLite (WAL, BEGIN IMMEDIATE for writes) and PostgreSQL."""

from __future__ import annotations

import functools
import logging
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

try:
    import fcntl
except ImportError:  # not POSIX: SQLite's busy handler alone orders the writers
    fcntl = None  # type: ignore[assignment]

# Execution option that makes a SQLite transaction take the write lock at BEGIN.
IMMEDIATE = "callq_immediate"
_turn = threading.local()  # whether this thread already holds its writers' turn
_TURN = "callq_writers_turn"  # Session.info key of the turn to end right after the commit
log = logging.getLogger(__name__)
Work = TypeVar("Work", bound=Callable[..., Any])


def sqlite_url(instance_path: Path) -> str:
    """The embedded default database: a file in the instance folder."""
    instance_path.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{instance_path / 'callq.sqlite3'}"


def build_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine; SQLite gets WAL, a busy timeout and explicit BEGIN handling."""
    if make_url(url).get_backend_name() != "sqlite":
        # No pre-ping: it costs a round trip on every checkout. A connection the server
        # dropped fails its first statement instead; SQLAlchemy then invalidates the pool's
        # older connections, and `once_more_if_dropped` runs the interrupted work again.
        return create_engine(url, **kwargs)
    kwargs.setdefault("connect_args", {"timeout": 30, "check_same_thread": False})
    engine = create_engine(url, **kwargs)
    _install_sqlite_transactions(engine)
    return engine


def _install_sqlite_transactions(engine: Engine) -> None:
    # Python's sqlite3 emits no BEGIN before a SELECT, so a check-then-write would not be
    # atomic; we take over BEGIN ourselves (SQLAlchemy docs, "Serializable isolation").
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get(IMMEDIATE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def once_more_if_dropped(work: Work) -> Work:
    """Run `work` again, once, when its database connection turned out to be dropped (a
    server restart, an idle connection killed). For idempotent use cases only, such as the
    webhooks' (callq.intake, callq.calls.reports): they dedupe on the CallSid or a sequence,
    so a commit lost with its connection is redone, never doubled."""

    @functools.wraps(work)
    def retried(*args: Any, **kwargs: Any) -> Any:
        try:
            return work(*args, **kwargs)
        except DBAPIError as exc:
            if not exc.connection_invalidated:
                raise
            log.warning("database connection dropped during %s; running it again once",
                        getattr(work, "__name__", "work"))
        return work(*args, **kwargs)

    return retried  # type: ignore[return-value]


def is_sqlite(engine: Engine) -> bool:
    """Whether row locks must be replaced by SQLite's database-wide write lock."""
    return engine.dialect.name == "sqlite"


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit (views render after it)."""
    factory = sessionmaker(engine, expire_on_commit=False)
    # First after-commit listener: the next writer need not wait for this one's hooks (the
    # outbox's enqueue to Redis), only for its commit.
    event.listen(factory, "after_commit", _end_turn, insert=True)
    return factory


@contextmanager
def write(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One write transaction: BEGIN IMMEDIATE on SQLite, commit on success, rollback on error."""
    with _writers_turn(factory.kw.get("bind")) as turn, factory() as session:
        session.info[_TURN] = turn
        session.connection(execution_options={IMMEDIATE: True})
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


class _Turn:
    """A writer's turn on SQLite: an exclusive flock on a lock file, held until ended."""

    def __init__(self, fd: int | None) -> None:
        self.fd = fd

    def end(self) -> None:
        if self.fd is not None:
            _turn.held = False
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            self.fd = None


def _end_turn(session: Session) -> None:
    turn = session.info.pop(_TURN, None)
    if turn is not None:
        turn.end()


@contextmanager
def _writers_turn(engine: Engine | None) -> Iterator[_Turn]:
    """SQLite: queue for the write lock on a lock file before BEGIN IMMEDIATE.

    A writer that finds the database locked waits in SQLite's busy handler, which sleeps
    1, 2, 5, 10... ms between tries; a blocking flock wakes the next writer the moment the
    lock file is released, so concurrent writers of all processes take turns without idling.
    """
    path = _lock_file(engine)
    if path is None or getattr(_turn, "held", False) or fcntl is None:
        yield _Turn(None)  # nested, or nothing to queue on: SQLite's own lock serialises
        return
    fd = _lock_fd(path)
    turn = _Turn(fd)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        _turn.held = True
        yield turn
    finally:
        turn.end()


def _lock_fd(path: str) -> int:
    """This thread's own descriptor of the lock file (a flock belongs to one open file, so
    threads never share one, nor a forked child its parent's), opened once per thread."""
    opened: dict[str, tuple[int, int]] = _turn.__dict__.setdefault("files", {})
    pid = os.getpid()
    known = opened.get(path)
    if known is not None and known[0] == pid:
        return known[1]
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    opened[path] = (pid, fd)
    return fd


def _close_inherited_locks() -> None:
    # A forked child must not keep its parent's lock files open: a parent killed while holding
    # its turn would otherwise leave the lock held for as long as the child lives.
    for _pid, fd in _turn.__dict__.pop("files", {}).values():
        os.close(fd)
    _turn.held = False


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_inherited_locks)


def _lock_file(engine: Engine | None) -> str | None:
    if engine is None or not is_sqlite(engine):
        return None
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return f"{database}.write-lock"


@contextmanager
def read(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A read-only unit of work (a deferred transaction, rolled back at the end)."""
    with factory() as session:
        yield session


@contextmanager
def driver_connection(engine: Engine) -> Iterator[Any]:
    """One connection of the pool for a use case's reads and then its write on the driver's
    connection (`driver_read(engine, connection)`, `driver_write(engine, connection)`): one
    checkout and one return to the pool, not two."""
    raw = engine.raw_connection()
    try:
        yield raw
    finally:
        raw.close()


@contextmanager
def driver_write(engine: Engine, connection: Any = None) -> Iterator[Any]:
    """One write transaction on the driver's own connection: a DBAPI cursor, no ORM unit of
    work, no statement compiled or looked up per use (the webhooks' hot path, issue 17).

    SQLite: the writers' turn, then BEGIN IMMEDIATE ... COMMIT around the statements.
    PostgreSQL: autocommit, for work written as ONE statement (one round trip, atomic by
    itself; psycopg prepares it on the server after a few uses). The driver's errors are raised
    as SQLAlchemy raises them; a connection the server dropped is invalidated with the pool's
    others (`connection_invalidated`), so `once_more_if_dropped` runs the work again.
    `connection`: one from `driver_connection`, kept open (else one of the pool's, returned)."""
    sqlite_ = is_sqlite(engine)
    with _writers_turn(engine if sqlite_ else None) as turn:
        raw = engine.raw_connection() if connection is None else connection
        cursor = None
        try:
            driver: Any = raw.driver_connection
            if sqlite_:
                cursor = raw.cursor()
                cursor.execute("BEGIN IMMEDIATE")
            else:
                driver.autocommit = True
                cursor = raw.cursor()
            try:
                yield cursor
                if sqlite_:
                    cursor.execute("COMMIT")
            except BaseException:
                if sqlite_ and driver.in_transaction:
                    cursor.execute("ROLLBACK")
                raise
        except engine.dialect.loaded_dbapi.Error as exc:
            dropped = engine.dialect.is_disconnect(exc, raw.driver_connection, cursor)
            if dropped:
                raw.invalidate(exc)
                engine.dispose()  # the server restarted or killed them: the others are gone
            # As SQLAlchemy raises it (IntegrityError, OperationalError...), whoever catches it.
            raise DBAPIError.instance(None, None, exc, engine.dialect.loaded_dbapi.Error,
                                      connection_invalidated=dropped) from exc
        finally:
            if not sqlite_ and raw.driver_connection is not None \
                    and not raw.driver_connection.closed:
                raw.driver_connection.autocommit = False  # as SQLAlchemy expects it back
            if connection is None:
                raw.close()
        turn.end()  # the next writer's turn starts at the commit, not after the answer


@contextmanager
def driver_read(engine: Engine, connection: Any = None) -> Iterator[Any]:
    """Reads on the driver's own connection, each statement on its own (SQLite: before a
    `driver_write`, so that its write lock covers the writes only). `connection`: as for
    `driver_write`."""
    raw = engine.raw_connection() if connection is None else connection
    try:
        cursor = raw.cursor()
        try:
            yield cursor
        except engine.dialect.loaded_dbapi.Error as exc:
            raise DBAPIError.instance(None, None, exc, engine.dialect.loaded_dbapi.Error) from exc
    finally:
        if connection is None:
            raw.close()
        else:
            raw.rollback()  # PostgreSQL read in a transaction: ended before the write's


def bind_processors(engine: Engine, *columns: Any) -> list[Callable[[Any], Any] | None]:
    """How the dialect writes each column's values (UTCDateTime, JSON...), for statements run
    on the driver's connection."""
    dialect = engine.dialect
    # The dialect's own form of the type: SQLite's DATETIME writes the text the ORM writes
    # ("... 12:00:00.000000"), where the generic type left sqlite3's adapter to drop zero
    # microseconds ("... 12:00:00"), which then sorted before the same instant written by the ORM.
    return [column.type.dialect_impl(dialect).bind_processor(dialect) for column in columns]
