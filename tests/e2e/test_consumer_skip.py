"""`hiring-pipeline consumer skip`: dry run first, refused while the service runs, applied
with the skipped record kept in the dead-letter topic, the service resuming after it."""

from __future__ import annotations

import asyncio
import json
import uuid

import pytest
from aiokafka import TopicPartition

from hiring_pipeline.devstack.processes import free_port
from schemas import topics
from services.runtime.kafka import open_topic
from tests.e2e.cli import run, service, wait_http
from tests.factories import interview
from tests.kafka_io import end_offsets, keys_in, produce, read_until

pytestmark = pytest.mark.integration
DLQ = topics.dead_letter(topics.INTERVIEW_COMPLETED)


async def placed(kafka: str, key: bytes, since: dict) -> list:
    return await read_until(
        kafka, topics.INTERVIEW_COMPLETED, lambda got: len(got) >= 3, keep=keys_in([key]), since=since
    )


async def committed(kafka: str, group: str, tp: TopicPartition) -> int | None:
    async with open_topic(kafka, tp.topic, group_id=group) as reader:
        return await reader.consumer.committed(tp)


async def commit(kafka: str, group: str, tp: TopicPartition, offset: int) -> None:
    """The group at `offset` on `tp`, at the end of the topic's other partitions (a new group
    would read them from the beginning)."""
    async with open_topic(kafka, tp.topic, group_id=group) as reader:
        await reader.consumer.commit({**await reader.end(), tp: offset})


def test_consumer_skip_dry_run_then_refused_while_running_then_applied_and_the_service_resumes(stack):
    kafka = stack.kafka_bootstrap_servers
    group = f"scoring-skip-{uuid.uuid4().hex[:6]}"
    env = {"SCORING_GROUP_ID": group}
    events = [interview(candidate_id=f"sk-{uuid.uuid4().hex[:8]}")]
    events += [interview(candidate_id=events[0].candidate_id) for _ in range(2)]
    key = events[0].key.encode()
    since = asyncio.run(end_offsets(kafka, topics.INTERVIEW_COMPLETED))
    since_dlq = asyncio.run(end_offsets(kafka, DLQ))
    asyncio.run(produce(kafka, topics.INTERVIEW_COMPLETED, [(key, e.model_dump_json().encode()) for e in events]))
    first, *_ = asyncio.run(placed(kafka, key, since))
    tp = TopicPartition(topics.INTERVIEW_COMPLETED, first.partition)
    asyncio.run(commit(kafka, group, tp, first.offset))  # where a stopped service stands: at the stuck record

    dry = run("consumer", "skip", "scoring", "--partition", str(tp.partition), "--offset", str(first.offset), env=env)
    assert dry.returncode == 0, dry.stderr
    assert f"committed offset {first.offset}" in dry.stdout
    assert f"would move (dry run; --apply to do it) to offset {first.offset + 1}, skipping 1 record(s)" in dry.stdout
    assert asyncio.run(committed(kafka, group, tp)) == first.offset  # a dry run changes nothing

    port = free_port()
    with service("scoring", port, env=env) as process:
        wait_http(f"http://127.0.0.1:{port}/health/ready")
        refused = run(
            "consumer",
            "skip",
            "scoring",
            "--partition",
            str(tp.partition),
            "--offset",
            str(first.offset),
            "--apply",
            env=env,
        )
        assert process.poll() is None
    assert refused.returncode == 1
    assert (
        "consumer skip refused: consumer group" in refused.stderr and "stop the scoring service first" in refused.stderr
    )

    # The running service consumed the three records meanwhile: go back to the first, as if it had stuck there.
    asyncio.run(commit(kafka, group, tp, first.offset))
    applied = run(
        "consumer",
        "skip",
        "scoring",
        "--partition",
        str(tp.partition),
        "--offset",
        str(first.offset),
        "--apply",
        env=env,
    )
    assert applied.returncode == 0, applied.stderr
    assert f"moved to offset {first.offset + 1}, skipping 1 record(s)" in applied.stdout
    assert "consumer_group_moved" in applied.stdout + applied.stderr  # logged
    assert asyncio.run(committed(kafka, group, tp)) == first.offset + 1
    [kept] = asyncio.run(read_until(kafka, DLQ, lambda got: len(got) >= 1, keep=keys_in([key]), since=since_dlq))
    assert dict(kept.headers)[topics.DLQ_ERROR_TYPE] == b"skipped_by_operator"
    assert dict(kept.headers)[topics.DLQ_SOURCE_OFFSET] == str(first.offset).encode()
    assert json.loads(kept.value)["event_id"] == str(events[0].event_id)

    beyond = run("consumer", "skip", "scoring", "--partition", str(tp.partition), "--offset", "999999999", env=env)
    assert beyond.returncode == 1 and "is not waiting in" in beyond.stderr
