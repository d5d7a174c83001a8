"""Bad input against the real broker and database: dead-lettered with a reason, or scored;
never a crash, a stuck partition or an SQL error."""

import asyncio
import json
import string
import time
import uuid

import asyncpg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from schemas import topics
from schemas.events import InterviewCompleted
from tests.factories import STRONG_NOTES, interview
from tests.kafka_io import end_offsets, keys_in, produce, read_until
from tests.pipeline import Service, wait_ready

pytestmark = pytest.mark.integration
DLQ = topics.dead_letter(topics.INTERVIEW_COMPLETED)


@pytest.fixture(scope="module")
def scoring(stack, tmp_path_factory):
    service = Service("scoring")
    service.start(tmp_path_factory.mktemp("logs"))
    asyncio.run(wait_ready(service))
    yield service
    service.stop()


def base(candidate: str) -> dict:
    return json.loads(interview(candidate_id=candidate, notes=STRONG_NOTES).model_dump_json())


SQL_AND_CONTROL = st.sampled_from(
    [
        "'; DROP TABLE scoring.scored_interviews; --",
        '" OR 1=1 --',
        "$1",
        "\x00",
        "\x07\x1b[31m",
        "\u202e",
        "😀",
        "%s%s%n",
        "\\",
        "' || pg_sleep(10) || '",
    ]
)


@st.composite
def payloads(draw, candidate: str):
    """(key, value) pairs: random bytes, broken JSON, wrong types, huge or nested values,
    unknown enums, bad ids and times, SQL and control characters in string fields."""
    kind = draw(
        st.sampled_from(
            ["bytes", "truncated", "wrong_type", "huge_notes", "nested", "enum", "uuid", "time", "strings", "valid"]
        )
    )
    doc = base(candidate) | {"event_id": str(uuid.uuid4()), "interview_id": f"i-{uuid.uuid4().hex[:8]}"}
    key = f"{candidate}:backend-engineer".encode()
    if kind == "bytes":
        return key, draw(st.binary(max_size=300))
    if kind == "truncated":
        raw = json.dumps(doc).encode()
        return key, raw[: draw(st.integers(0, len(raw) - 1))]
    if kind == "wrong_type":
        field = draw(st.sampled_from(sorted(doc)))
        doc[field] = draw(
            st.one_of(
                st.integers(), st.floats(allow_nan=False), st.booleans(), st.lists(st.integers(), max_size=3), st.none()
            )
        )
    elif kind == "huge_notes":
        doc["assessments"][0]["notes"] = "x" * draw(st.sampled_from([19_999, 20_001, 200_000]))
    elif kind == "nested":
        depth = draw(st.sampled_from([50, 5_000]))
        return key, ("[" * depth + "]" * depth).encode()
    elif kind == "enum":
        doc["assessments"][0][draw(st.sampled_from(["competency", "rating"]))] = draw(
            st.text(string.ascii_lowercase, max_size=12)
        )
    elif kind == "uuid":
        doc["event_id"] = draw(st.text(max_size=40))
    elif kind == "time":
        doc["occurred_at"] = draw(
            st.sampled_from(["2026-13-01T00:00:00Z", "yesterday", "2026-11-20T14:00:00", "", "9999999999"])
        )
    elif kind == "strings":
        field = draw(st.sampled_from(["interview_id", "candidate_id", "interviewer_id", "notes"]))
        value = draw(SQL_AND_CONTROL) + draw(st.text(max_size=20))
        if field == "notes":
            doc["assessments"][0]["notes"] = value
        else:
            doc[field] = value
    return key, json.dumps(doc).encode()


def expected_valid(key: bytes, value: bytes) -> bool:
    """The contract: valid JSON for the model, and the key is the body's candidate:role."""
    try:
        event = InterviewCompleted.model_validate_json(value)
    except ValidationError:
        return False
    return event.key.encode() == key


@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_fuzzed_payloads_are_dead_lettered_with_a_reason_or_scored_and_the_partition_flows(stack, scoring, data):
    candidate = f"fz-{uuid.uuid4().hex[:8]}"
    records = data.draw(st.lists(payloads(candidate), min_size=20, max_size=40))
    sentinel = interview(candidate_id=candidate)
    valid = [json.loads(v)["event_id"] for k, v in records if expected_valid(k, v)]
    invalid = len(records) - len(valid)

    async def scenario():
        key = f"{candidate}:backend-engineer".encode()
        since_dlq = await end_offsets(stack.kafka_bootstrap_servers, DLQ)
        await produce(
            stack.kafka_bootstrap_servers,
            topics.INTERVIEW_COMPLETED,
            [*records, (key, sentinel.model_dump_json().encode())],
        )
        dead = await read_until(
            stack.kafka_bootstrap_servers,
            DLQ,
            lambda got: len(got) >= invalid,
            keep=keys_in([key]),
            since=since_dlq,
            timeout=30,
        )
        conn = await asyncpg.connect(stack.database_url)
        try:
            for _ in range(100):
                scored = await conn.fetchval(
                    "SELECT count(*) FROM scoring.scored_interviews WHERE source_event_id = ANY($1::uuid[])",
                    [*valid, str(sentinel.event_id)],
                )
                if scored == len(valid) + 1:
                    break
                await asyncio.sleep(0.1)
            tables = await conn.fetchval(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'scoring'"
            )
        finally:
            await conn.close()
        return dead, scored, tables

    dead, scored, tables = asyncio.run(scenario())
    print(
        f"\n[fuzz] {len(records)} records: {invalid} expected dead letters, {len(valid)} valid; "
        f"got {len(dead)} dead letters, {scored - 1} valid scored, sentinel scored: {scored == len(valid) + 1}"
    )
    assert scored == len(valid) + 1  # every valid record and the sentinel behind them: no stuck partition
    assert len(dead) == invalid
    assert all(
        dict(r.headers)[topics.DLQ_ERROR].decode().startswith(("invalid InterviewCompleted:", "record ")) for r in dead
    )
    assert tables == 5  # scoring's four tables and schema_migrations: no SQL fragment did anything
    assert scoring.process.poll() is None  # never crashed


async def test_records_without_a_key_with_a_wrong_key_or_an_unsupported_schema_version_are_dead_lettered(
    stack, scoring
):
    candidate = f"bk-{uuid.uuid4().hex[:8]}"
    key = f"{candidate}:backend-engineer".encode()
    good = interview(candidate_id=candidate)
    v2 = json.loads(interview(candidate_id=candidate).model_dump_json()) | {"schema_version": 2}
    since = await end_offsets(stack.kafka_bootstrap_servers, DLQ)
    await produce(
        stack.kafka_bootstrap_servers,
        topics.INTERVIEW_COMPLETED,
        [
            (None, good.model_dump_json().encode()),
            (b"someone-else:backend-engineer", good.model_dump_json().encode()),
            (key, json.dumps(v2).encode()),
        ],
    )
    dead = await read_until(
        stack.kafka_bootstrap_servers,
        DLQ,
        lambda got: len(got) >= 3,
        keep=lambda r: good.model_dump_json().encode() == r.value or candidate.encode() in (r.value or b""),
        since=since,
        timeout=30,
    )
    reasons = sorted(dict(r.headers)[topics.DLQ_ERROR_TYPE].decode() for r in dead)
    assert reasons == ["key_mismatch", "missing_key", "validation_error"]
    schema_reason = next(dict(r.headers)[topics.DLQ_ERROR].decode() for r in dead if r.key == key)
    assert schema_reason.startswith("invalid InterviewCompleted: schema_version:")


async def test_a_header_that_is_not_utf8_does_not_stall_the_partition(stack, scoring):
    good = interview(candidate_id=f"hd-{uuid.uuid4().hex[:8]}")
    since = await end_offsets(stack.kafka_bootstrap_servers, DLQ)
    await produce(
        stack.kafka_bootstrap_servers,
        topics.INTERVIEW_COMPLETED,
        [(good.key.encode(), b"{}")],
        headers=[("trace", b"\xff\xfe")],
    )
    await produce(
        stack.kafka_bootstrap_servers,
        topics.INTERVIEW_COMPLETED,
        [(good.key.encode(), good.model_dump_json().encode())],
    )
    [dead] = await read_until(
        stack.kafka_bootstrap_servers,
        DLQ,
        lambda got: len(got) >= 1,
        keep=keys_in([good.key.encode()]),
        since=since,
        timeout=30,
    )
    assert dict(dead.headers)["trace"] == b"\xff\xfe"  # the original bytes are kept
    conn = await asyncpg.connect(stack.database_url)
    try:
        for _ in range(100):
            if await conn.fetchval(
                "SELECT count(*) FROM scoring.scored_interviews WHERE source_event_id = $1", good.event_id
            ):
                break
            await asyncio.sleep(0.1)
        assert (
            await conn.fetchval(
                "SELECT count(*) FROM scoring.scored_interviews WHERE source_event_id = $1", good.event_id
            )
            == 1
        )
    finally:
        await conn.close()


async def test_a_thousand_poison_records_do_not_stall_the_valid_records_behind_them(stack, scoring):
    candidate = f"ps-{uuid.uuid4().hex[:8]}"
    key = f"{candidate}:backend-engineer".encode()
    valid = [interview(candidate_id=candidate) for _ in range(20)]
    await produce(
        stack.kafka_bootstrap_servers, topics.INTERVIEW_COMPLETED, [(key, b'{"poison": %d' % n) for n in range(1000)]
    )
    started = time.monotonic()
    await produce(
        stack.kafka_bootstrap_servers, topics.INTERVIEW_COMPLETED, [(key, e.model_dump_json().encode()) for e in valid]
    )
    conn = await asyncpg.connect(stack.database_url)
    try:
        while time.monotonic() - started < 30:
            done = await conn.fetchval(
                "SELECT count(*) FROM scoring.scored_interviews WHERE source_event_id = ANY($1::uuid[])",
                [e.event_id for e in valid],
            )
            if done == len(valid):
                break
            await asyncio.sleep(0.05)
    finally:
        await conn.close()
    delay = time.monotonic() - started
    print(
        f"\n[poison] 1000 poison records then {len(valid)} valid ones: valid all scored {delay:.2f} s after publishing"
    )
    assert done == len(valid)
    assert delay < 5.0
