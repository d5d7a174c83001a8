"""The real broker and database that `hiring-pipeline infra up` starts."""

import uuid

import asyncpg
import pytest
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from hiring_pipeline.devstack import infra
from schemas import topics
from services.aggregation.store import MIGRATIONS as AGGREGATION_MIGRATIONS
from services.runtime.migrations import apply_migrations
from services.scoring.store import MIGRATIONS as SCORING_MIGRATIONS
from tests.kafka_io import end_offsets, produce, read_until

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("spec", topics.topic_specs(), ids=lambda s: s.name)
async def test_every_topic_takes_a_record_and_gives_it_back(stack, spec):
    marker = uuid.uuid4().hex.encode()
    since = await end_offsets(stack.kafka_bootstrap_servers, spec.name)
    await produce(stack.kafka_bootstrap_servers, spec.name, [(b"probe:" + marker, b"probe " + marker)])
    records = await read_until(
        stack.kafka_bootstrap_servers,
        spec.name,
        lambda got: len(got) == 1,
        keep=lambda r: r.value == b"probe " + marker,
        since=since,
    )
    assert [r.key for r in records] == [b"probe:" + marker]


async def test_the_recommendation_topic_is_log_compacted(stack):
    admin = AIOKafkaAdminClient(bootstrap_servers=stack.kafka_bootstrap_servers)
    await admin.start()
    try:
        [response] = await admin.describe_configs(
            [ConfigResource(ConfigResourceType.TOPIC, topics.RECOMMENDATION, None)]
        )
        entries = {e[0]: e[1] for e in response.resources[0][4]}
    finally:
        await admin.close()
    assert entries["cleanup.policy"] == "compact"


@pytest.mark.parametrize(
    ("schema", "directory"), [("scoring", SCORING_MIGRATIONS), ("aggregation", AGGREGATION_MIGRATIONS)]
)
async def test_migrations_apply_once_and_a_second_run_is_a_no_op(stack, schema, directory):
    conn = await asyncpg.connect(stack.database_url)
    try:
        await apply_migrations(conn, schema, directory)  # whatever state the database is in
        again = await apply_migrations(conn, schema, directory)
        recorded = await conn.fetchval(f"SELECT count(*) FROM {schema}.schema_migrations")
    finally:
        await conn.close()
    assert again == []
    assert recorded == len(list(directory.glob("*.sql")))


async def test_status_reports_both_components_up(stack):
    statuses = await infra.status(stack)
    assert [(s.component, s.up) for s in statuses] == [("kafka", True), ("topics", True), ("postgres", True)]


async def test_status_says_what_is_down_in_one_line(stack):
    stack_elsewhere = stack.model_copy(
        update={"kafka_bootstrap_servers": "127.0.0.1:1", "database_url": "postgresql://hiring@127.0.0.1:1/hiring"}
    )
    statuses = await infra.status(stack_elsewhere)
    assert all(not s.up and "\n" not in s.line() for s in statuses)
    assert statuses[0].line().startswith("kafka: DOWN - cannot reach 127.0.0.1:1")
