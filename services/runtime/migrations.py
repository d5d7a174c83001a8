"""A small, ordered migration runner: each service applies its own SQL files at start.

Files are `NNNN_name.sql` in the service's `migrations/` folder, applied in name order,
each once, recorded in `<schema>.schema_migrations`. An advisory lock serialises
instances that start together, so two replicas never apply the same file twice.
"""

from __future__ import annotations

import re
from pathlib import Path

import asyncpg

_SCHEMA_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


async def apply_migrations(conn: asyncpg.Connection, schema: str, directory: Path) -> list[str]:
    """Apply the files not yet recorded; return the names of those applied now."""
    if not _SCHEMA_NAME.match(schema):  # it is interpolated as an identifier below
        raise ValueError(f"invalid schema name {schema!r}")
    applied: list[str] = []
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(hashtext($1))", f"migrations:{schema}")
        await conn.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
        await conn.execute(
            f"CREATE TABLE IF NOT EXISTS {schema}.schema_migrations ("
            " version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
        )
        done = {r["version"] for r in await conn.fetch(f"SELECT version FROM {schema}.schema_migrations")}
        for path in sorted(directory.glob("*.sql")):  # noqa: ASYNC240 - a few packaged files, once at start
            if path.stem in done:
                continue
            await conn.execute(path.read_text(encoding="utf-8"))
            await conn.execute(f"INSERT INTO {schema}.schema_migrations (version) VALUES ($1)", path.stem)
            applied.append(path.stem)
    return applied


class DatabaseUnavailable(RuntimeError):
    """The database cannot be reached; the message says where (never the password) and why."""


def where(database_url: str) -> str:
    """host:port/database of a URL: safe to log."""
    from urllib.parse import urlsplit

    url = urlsplit(database_url)
    return f"{url.hostname}:{url.port or 5432}/{(url.path or '/').lstrip('/')}"


async def check_database(database_url: str, timeout: float = 10.0) -> None:
    """Connect once and leave: a process checks this before it starts serving."""
    try:
        conn = await asyncpg.connect(database_url, timeout=timeout)
    except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else ""
        raise DatabaseUnavailable(
            f"cannot connect to the database at {where(database_url)}: {type(exc).__name__}"
            + (f" ({reason})" if reason else "")
        ) from None
    await conn.close()


class PostgresStore:
    """What every service's asyncpg store has: a pool, its own schema and migrations, a ping."""

    schema: str
    migrations: Path

    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    @classmethod
    async def migrate(cls, pool: asyncpg.Pool) -> list[str]:
        async with pool.acquire() as conn:
            return await apply_migrations(conn, cls.schema, cls.migrations)

    async def ping(self) -> None:
        async with self.pool.acquire() as conn:
            await conn.fetchval("SELECT 1")
