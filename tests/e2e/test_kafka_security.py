"""Authenticated Kafka: the services and tools over SASL, with the password read from a file."""

import asyncio

import asyncpg
import pytest

from hiring_pipeline.devstack import infra
from schemas import topics
from tests.e2e.cli import run
from tests.factories import interview
from tests.kafka_io import produce
from tests.pipeline import Service, wait_ready

pytestmark = pytest.mark.integration


def sasl_env(stack, password_file=None, password=None) -> dict[str, str]:
    kafka = infra.LocalKafka(stack)
    env = {
        "KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{kafka.sasl_port}",
        "KAFKA_SECURITY_PROTOCOL": "SASL_PLAINTEXT",
        "KAFKA_SASL_MECHANISM": "PLAIN",
        "KAFKA_SASL_USERNAME": "hiring",
    }
    if password is not None:
        env["KAFKA_SASL_PASSWORD"] = password
    else:
        env["KAFKA_SASL_PASSWORD_FILE"] = str(password_file or kafka.sasl_password_file)
    return env


def test_the_tools_reach_kafka_over_sasl_and_say_so_when_the_password_is_wrong(stack):
    good = run("infra", "status", env=sasl_env(stack))
    assert good.returncode == 0, good.stdout
    bad = run("infra", "status", env=sasl_env(stack, password="not-the-password"))
    assert bad.returncode == 1
    assert bad.stdout.splitlines()[0].startswith("kafka: DOWN")


def test_sasl_without_credentials_is_refused_at_start_with_a_clear_error(stack):
    env = sasl_env(stack) | {"KAFKA_SASL_PASSWORD_FILE": ""}
    result = run("infra", "status", env=env)
    assert result.returncode != 0
    assert "KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD" in result.stderr


async def test_the_scoring_service_consumes_and_produces_over_sasl(stack, tmp_path):
    service = Service("scoring", env=sasl_env(stack))
    service.start(tmp_path)
    event = interview(candidate_id="sasl-candidate")
    try:
        await wait_ready(service)
        await produce(
            stack.kafka_bootstrap_servers,
            topics.INTERVIEW_COMPLETED,
            [(event.key.encode(), event.model_dump_json().encode())],
        )
        conn = await asyncpg.connect(stack.database_url)
        try:
            for _ in range(100):
                if await conn.fetchval(
                    "SELECT count(*) FROM scoring.scored_interviews WHERE source_event_id = $1", event.event_id
                ):
                    break
                await asyncio.sleep(0.1)
            stored = await conn.fetchval(
                "SELECT count(*) FROM scoring.scored_interviews WHERE source_event_id = $1", event.event_id
            )
        finally:
            await conn.close()
    finally:
        service.stop()
    assert stored == 1
    assert "not-the-password" not in service.log.read_text()
