"""`infra up && infra status && infra down`, twice in a row, as the issue asks; ends up."""

import asyncio

import pytest
from aiokafka.admin import AIOKafkaAdminClient

from schemas.topics import topic_specs
from tests.e2e.cli import run

pytestmark = pytest.mark.integration


async def missing_topics(stack) -> set[str]:
    admin = AIOKafkaAdminClient(bootstrap_servers=stack.kafka_bootstrap_servers)
    await admin.start()
    try:
        return {spec.name for spec in topic_specs()} - set(await admin.list_topics())
    finally:
        await admin.close()


def test_infra_down_up_status_works_twice_in_a_row_and_keeps_the_topics(stack):
    for _ in range(2):
        down = run("infra", "down")
        assert down.returncode == 0, down.stderr
        status = run("infra", "status")
        assert status.returncode == 1
        assert [line.split(" - ")[0] for line in status.stdout.splitlines()] == [
            "kafka: DOWN",
            "topics: DOWN",
            "postgres: DOWN",
        ]
        up = run("infra", "up", timeout=180)
        assert up.returncode == 0, up.stdout + up.stderr
        status = run("infra", "status")
        assert status.returncode == 0
        assert status.stdout.splitlines()[0].startswith("kafka: up - ")
        assert asyncio.run(missing_topics(stack)) == set()  # the data and topics survived


def test_infra_up_is_idempotent_when_everything_already_runs(stack):
    first = run("infra", "up")
    again = run("infra", "up")
    assert first.returncode == again.returncode == 0
    assert again.stdout.count(": up - ") == 2
