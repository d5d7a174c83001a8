"""A small, ordered migration runner: each service applies its own SQL files at start.

Files are `NNNN_name.sql` in the service's `migrations/` folder, applied in name order,
each once, recorded in `<schema>.schema_migrations` with the SHA-256 of the file. An
advisory lock serialises instances that start together, so two replicas never apply the
same file twice. A file edited after it was applied is refused (`MigrationChanged`): a
change to the schema is a new file, never an edit of one a database already ran.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import asyncpg

_SCHEMA_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


class MigrationChanged(RuntimeError):
    """An applied migration's file no longer has the checksum it was applied with."""


def checksum(sql: str) -> str:
    return hashlib.sha256(sql.encode("utf-8")).hexdigest()


async def apply_migrations(conn: asyncpg.Connection, schema: str, directory: Path) -> list[str]:
    """Apply the files not yet recorded; return the names of those applied now. Raises
    `MigrationChanged` (applying nothing) when an applied file was edited since."""
    if not _SCHEMA_NAME.match(schema):  # it is interpolated as an identifier below
        raise ValueError(f"invalid schema name {schema!r}")
    applied: list[str] = []
    files = {p.stem: p.read_text(encoding="utf-8") for p in sorted(directory.glob("*.sql"))}  # noqa: ASYNC240 - a few packaged files, once at start
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(hashtext($1))", f"migrations:{schema}")
        await conn.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
        await conn.execute(
            f"CREATE TABLE IF NOT EXISTS {schema}.schema_migrations ("
            " version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
        )
        # Databases migrated before checksums were kept: their files are taken as applied.
        await conn.execute(f"ALTER TABLE {schema}.schema_migrations ADD COLUMN IF NOT EXISTS checksum text")
        done = {
            r["version"]: r["checksum"]
            for r in await conn.fetch(f"SELECT version, checksum FROM {schema}.schema_migrations")
        }
        for version, recorded in done.items():
            if version in files and recorded is None:
                await conn.execute(
                    f"UPDATE {schema}.schema_migrations SET checksum = $2 WHERE version = $1",
                    version,
                    checksum(files[version]),
                )
            elif version in files and recorded != checksum(files[version]):
                raise MigrationChanged(
                    f"migration {schema}/{version}.sql was edited after it was applied "
                    f"(applied sha256 {recorded[:12]}, file now {checksum(files[version])[:12]}): "
                    "restore it and put the change in a new migration"
                )
        for version, sql in files.items():
            if version in done:
                continue
            await conn.execute(sql)
            await conn.execute(
                f"INSERT INTO {schema}.schema_migrations (version, checksum) VALUES ($1, $2)", version, checksum(sql)
            )
            applied.append(version)
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
