"""`recommendations`, `dlq list` and `dlq replay` as subprocesses, against the real stack."""

import asyncio
import json
import uuid

import asyncpg
import pytest

from schemas import topics
from services.scoring.app import create_app as scoring_app
from services.scoring.settings import ScoringSettings
from tests.e2e.cli import run
from tests.factories import interview
from tests.kafka_io import end_offsets, produce, read_until
from tests.services import running

pytestmark = pytest.mark.integration


def test_recommendations_once_shows_the_demo_pairs_with_their_explanations(stack):
    assert run("demo").returncode == 0
    result = run("recommendations", "--once", "--candidate", "cand-1002")
    assert result.returncode == 0, result.stderr
    assert "java-backend-engineer" in result.stdout and "hire" in result.stdout
    assert "int-1002-design (rev 2)" in result.stdout  # the interviews counted, edit included
    assert "concurrency" in result.stdout  # per-competency scores
    assert "hiring bar" in result.stdout  # the reasons


def test_recommendations_json_prints_one_line_per_pair_filtered_by_role(stack):
    demo = run("demo", "--json", timeout=120)
    assert demo.returncode == 0, demo.stderr
    decided = [json.loads(line) for line in demo.stdout.splitlines()]  # stdout: only the decisions
    assert {"cand-1003", "cand-1005"} <= {r["candidate_id"] for r in decided}
    assert all(r["decision"] for r in decided)
    result = run("recommendations", "--json", "--role", "node-backend-engineer")
    assert result.returncode == 0, result.stderr
    printed = [json.loads(line) for line in result.stdout.splitlines()]
    assert printed and all(r["role_id"] == "node-backend-engineer" for r in printed)
    assert {"cand-1003", "cand-1005"} <= {r["candidate_id"] for r in printed}
    assert len({(r["candidate_id"], r["role_id"]) for r in printed}) == len(printed)


async def stored(stack, event_ids) -> int:
    conn = await asyncpg.connect(stack.database_url)
    try:
        return await conn.fetchval(
            "SELECT count(*) FROM scoring.scored_interviews WHERE source_event_id = ANY($1::uuid[])", list(event_ids)
        )
    finally:
        await conn.close()


def dead_letter_of(event, source_offset: int) -> tuple[bytes, bytes, list]:
    """What a scoring version with a bug would have written: a valid event, refused."""
    return (
        event.key.encode(),
        event.model_dump_json().encode(),
        [
            ("correlation_id", b"from-the-ats"),
            (topics.DLQ_ERROR, b"invalid InterviewCompleted: role_id: unknown role"),
            (topics.DLQ_ERROR_TYPE, b"validation_error"),
            (topics.DLQ_SOURCE_TOPIC, topics.INTERVIEW_COMPLETED.encode()),
            (topics.DLQ_SOURCE_PARTITION, b"0"),
            (topics.DLQ_SOURCE_OFFSET, str(source_offset).encode()),
        ],
    )


async def test_dlq_list_shows_the_error_and_replay_sends_each_record_back_once(stack):
    dlq = topics.dead_letter(topics.INTERVIEW_COMPLETED)
    assert run("dlq", "replay", topics.INTERVIEW_COMPLETED).returncode == 0  # start from a clean slate
    candidate = f"cand-{uuid.uuid4().hex[:8]}"
    refused = interview(candidate_id=candidate)  # refused by the bug, never processed
    processed = interview(candidate_id=candidate)  # refused once, then processed by a retry
    offset = uuid.uuid4().int % 10**9
    letters = [dead_letter_of(refused, offset), dead_letter_of(refused, offset), dead_letter_of(processed, offset + 1)]
    for key, value, headers in letters:
        await produce(stack.kafka_bootstrap_servers, dlq, [(key, value)], headers=headers)
    since = await end_offsets(stack.kafka_bootstrap_servers, topics.INTERVIEW_COMPLETED)

    listed = run("dlq", "list", topics.INTERVIEW_COMPLETED, "--json")
    assert listed.returncode == 0
    mine = [json.loads(line) for line in listed.stdout.splitlines() if candidate in line]
    assert [m["error_type"] for m in mine] == ["validation_error"] * 3
    assert all(m["reason"].startswith("invalid InterviewCompleted: role_id") for m in mine)
    assert refused.model_dump_json() not in listed.stdout  # values are never shown

    async with running(
        scoring_app(
            ScoringSettings(kafka_bootstrap_servers=stack.kafka_bootstrap_servers, database_url=stack.database_url)
        )
    ):
        await produce(
            stack.kafka_bootstrap_servers,
            topics.INTERVIEW_COMPLETED,
            [(processed.key.encode(), processed.model_dump_json().encode())],
        )
        first = run("dlq", "replay", topics.INTERVIEW_COMPLETED)
        second = run("dlq", "replay", topics.INTERVIEW_COMPLETED, "--json")
        back = await read_until(
            stack.kafka_bootstrap_servers,
            topics.INTERVIEW_COMPLETED,
            lambda got: False,
            keep=lambda r: r.key == refused.key.encode() and ("dlq.replayed_from" in dict(r.headers)),
            since=since,
            timeout=3,
        )
        for _ in range(50):
            if await stored(stack, [refused.event_id, processed.event_id]) == 2:
                break
            await asyncio.sleep(0.1)
    assert first.returncode == 0 and "replayed 2 of 3" in first.stdout
    assert second.returncode == 0
    assert json.loads(second.stdout) == {"topic": topics.INTERVIEW_COMPLETED, "read": 0, "replayed": 0, "skipped": 0}
    assert len(back) == 2  # the refused event once (its duplicate dead letter skipped), the processed one once
    assert dict(back[0].headers)["correlation_id"] == b"from-the-ats"
    assert await stored(stack, [refused.event_id, processed.event_id]) == 2  # each stored once
