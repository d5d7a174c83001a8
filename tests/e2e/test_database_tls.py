"""PostgreSQL over TLS, configured in DATABASE_URL as libpq does, verified against the server's certificate."""

import subprocess

import asyncpg
import pytest

from hiring_pipeline.devstack import infra
from tests.e2e.cli import run
from tests.pipeline import Service, wait_ready

pytestmark = pytest.mark.integration


def tls_url(stack) -> str:
    certificate = infra.LocalPostgres(stack).certificate
    return f"{stack.database_url}?sslmode=verify-full&sslrootcert={certificate}"


async def tls_connections(stack) -> int:
    conn = await asyncpg.connect(stack.database_url)
    try:
        return await conn.fetchval(
            "SELECT count(*) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid)"
            " WHERE s.ssl AND a.datname = 'hiring' AND a.pid <> pg_backend_pid()"
        )
    finally:
        await conn.close()


def test_the_tools_connect_over_verified_tls(stack):
    result = run("infra", "status", env={"DATABASE_URL": tls_url(stack)})
    assert result.returncode == 0, result.stdout
    assert "postgres: up" in result.stdout


async def test_a_service_keeps_its_database_connections_on_tls(stack, tmp_path):
    before = await tls_connections(stack)
    service = Service("scoring", env={"DATABASE_URL": tls_url(stack)})
    service.start(tmp_path)
    try:
        await wait_ready(service)
        during = await tls_connections(stack)
    finally:
        service.stop()
    assert during > before


def test_a_certificate_that_does_not_match_is_refused(stack, tmp_path):
    stranger = tmp_path / "other-ca.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-new",
            "-x509",
            "-days",
            "1",
            "-nodes",
            "-subj",
            "/CN=stranger",
            "-keyout",
            str(tmp_path / "k.pem"),
            "-out",
            str(stranger),
        ],
        check=True,
        capture_output=True,
    )
    result = run(
        "infra", "status", env={"DATABASE_URL": f"{stack.database_url}?sslmode=verify-full&sslrootcert={stranger}"}
    )
    assert result.returncode == 1
    assert "postgres: DOWN" in result.stdout
