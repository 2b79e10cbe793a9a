"""A private callq instance for one suite: temp folder, embedded Redis, a migrated database
(SQLite file, or a PostgreSQL database created for the run and dropped after it), and the
environment a gunicorn serving it needs."""

from __future__ import annotations

import os
import secrets
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from callq.adapters.redis_server import EmbeddedRedis
from callq.bootstrap import runtime_from_environment
from callq.db import build_engine
from callq.migrate import upgrade
from callq.models import Base
from callq.runtime import Runtime

# Where private PostgreSQL databases are created (CALLQ_BENCH_PG overrides).
PG_ADMIN = os.environ.get("CALLQ_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
TWILIO_TOKEN = "bench-twilio-token"
API_TOKEN = "bench-api-token"


class Unavailable(RuntimeError):
    """A part the figure needs (PostgreSQL) cannot be reached: the row says so."""


def migrate(engine: Engine) -> None:
    """`callq db upgrade`; should the migrations lag behind the models, the models' schema.

    A lag (a table or column missing) would break every request, so the bench says so on
    stderr and measures on the schema the code expects (as the test suite builds it).
    """
    upgrade(engine)
    with engine.connect() as conn:
        missing = [diff for diff in compare_metadata(MigrationContext.configure(conn),
                                                     Base.metadata)
                   if isinstance(diff, tuple) and diff[0] in ("add_table", "add_column")]
    if not missing:
        return
    names = sorted({diff[1].name if diff[0] == "add_table" else f"{diff[2]}.{diff[3].name}"
                    for diff in missing})
    print(f"   warning: the migrations lack {', '.join(names)}; schema built from the models",
          file=sys.stderr)
    with engine.begin() as conn:
        Base.metadata.drop_all(conn)
        conn.execute(text("DROP TABLE alembic_version"))
    Base.metadata.create_all(engine)


@contextmanager
def private_postgres(tag: str) -> Iterator[str]:
    """CREATE DATABASE callq_bench_<pid>_<tag>; yield its URL; drop it at the end."""
    base = make_url(PG_ADMIN)
    name = f"callq_bench_{os.getpid()}_{tag}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        admin.dispose()
        raise Unavailable(f"PostgreSQL unreachable at {base.render_as_string()}: "
                          f"{str(exc).splitlines()[0]}") from exc
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@dataclass
class Instance:
    """What a suite works with: the folder, the server's environment, an in-process runtime."""

    folder: Path
    env: dict[str, str]
    runtime: Runtime

    @property
    def backend(self) -> str:
        return self.runtime.engine.dialect.name


@contextmanager
def instance(backend: str = "sqlite", *, public_base: str = "http://127.0.0.1:5000",
             pool_size: int = 5, tag: str = "db") -> Iterator[Instance]:
    """A fresh, migrated instance on `backend` ("sqlite" or "postgresql")."""
    with tempfile.TemporaryDirectory(prefix="callq-bench-") as folder_name:
        folder = Path(folder_name)
        if backend == "postgresql":
            with private_postgres(tag) as url:
                yield from _started(folder, url, public_base, pool_size)
        else:
            yield from _started(folder, f"sqlite:///{folder / 'callq.sqlite3'}", public_base,
                                pool_size)


def _started(folder: Path, url: str, public_base: str, pool_size: int) -> Iterator[Instance]:
    redis = EmbeddedRedis(folder / "redis")
    env = {
        "CALLQ_ENV": "development", "CALLQ_INSTANCE_PATH": str(folder),
        "CALLQ_DATABASE_URL": url, "CALLQ_REDIS_URL": redis.start(),
        "CALLQ_PUBLIC_BASE_URL": public_base, "CALLQ_TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
        "CALLQ_API_TOKEN": API_TOKEN, "CALLQ_SECRET_KEY": secrets.token_urlsafe(32),
    }
    engine = build_engine(url, pool_size=pool_size, max_overflow=10)
    try:
        migrate(engine)
        runtime = runtime_from_environment(env, adapters={"engine": engine})
        yield Instance(folder, env, runtime)
    finally:
        engine.dispose()
        redis.stop()
