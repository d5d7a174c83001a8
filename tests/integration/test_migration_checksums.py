"""Applied migrations keep a checksum: a file edited after it ran is refused, clearly."""

from __future__ import annotations

import uuid

import asyncpg
import pytest

from services.runtime.migrations import MigrationChanged, apply_migrations, checksum

pytestmark = pytest.mark.integration


@pytest.fixture
async def conn(stack):
    conn = await asyncpg.connect(stack.database_url)
    schema = f"mig_{uuid.uuid4().hex[:8]}"
    try:
        yield conn, schema
    finally:
        await conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        await conn.close()


async def test_each_applied_file_is_recorded_with_its_checksum(conn, tmp_path):
    conn, schema = conn
    sql = f"CREATE TABLE {schema}.t (id int);"
    (tmp_path / "0001_t.sql").write_text(sql)
    assert await apply_migrations(conn, schema, tmp_path) == ["0001_t"]
    assert await conn.fetchval(f"SELECT checksum FROM {schema}.schema_migrations") == checksum(sql)
    assert await apply_migrations(conn, schema, tmp_path) == []  # unchanged: nothing to do


async def test_a_migration_edited_after_it_was_applied_is_refused_and_nothing_runs(conn, tmp_path):
    conn, schema = conn
    (tmp_path / "0001_t.sql").write_text(f"CREATE TABLE {schema}.t (id int);")
    await apply_migrations(conn, schema, tmp_path)
    (tmp_path / "0001_t.sql").write_text(f"CREATE TABLE {schema}.t (id bigint);")
    (tmp_path / "0002_u.sql").write_text(f"CREATE TABLE {schema}.u (id int);")
    with pytest.raises(MigrationChanged, match=rf"migration {schema}/0001_t.sql was edited after it was applied"):
        await apply_migrations(conn, schema, tmp_path)
    assert await conn.fetchval("SELECT to_regclass($1)", f"{schema}.u") is None  # the new file did not run


async def test_a_database_migrated_before_checksums_adopts_its_files(conn, tmp_path):
    conn, schema = conn
    await conn.execute(f"CREATE SCHEMA {schema}")
    await conn.execute(
        f"CREATE TABLE {schema}.schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
    )
    await conn.execute(f"INSERT INTO {schema}.schema_migrations (version) VALUES ('0001_t')")
    sql = f"CREATE TABLE {schema}.t (id int);"
    (tmp_path / "0001_t.sql").write_text(sql)
    assert await apply_migrations(conn, schema, tmp_path) == []
    assert await conn.fetchval(f"SELECT checksum FROM {schema}.schema_migrations") == checksum(sql)
