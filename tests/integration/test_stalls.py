"""#14: no single record stalls a partition or reaches into another candidate's decision.

Both services run as real processes against the real broker and database. Each case sends
the record that used to stall a partition for good, then a valid event behind it on the
same partition (same key), and checks: the bad record dead-lettered with its reason and
coordinates (or refused at the edge), the valid event decided within seconds and
published once. The property test at the end generates records at and beyond every bound.
"""

from __future__ import annotations

import asyncio
import json
import time
import urllib.request
import uuid
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hiring_pipeline.tools.dry_run import recommend
from schemas import topics
from schemas.events import MAX_ID_CHARS, MAX_NOTES_CHARS, MAX_REVISION, InterviewCompleted, Recommendation
from schemas.rubric import load_roles, load_rubric
from services.runtime.dead_letter import SUMMARY
from services.runtime.kafka import OutgoingRecord, kafka_sender
from services.scoring.score import score_interview
from tests.factories import STRONG_NOTES, interview
from tests.kafka_io import end_offsets, keys_in, produce, read_until
from tests.pipeline import Service, wait_ready

pytestmark = pytest.mark.integration
DLQ_IN = topics.dead_letter(topics.INTERVIEW_COMPLETED)
DLQ_SCORED = topics.dead_letter(topics.INTERVIEW_SCORED)
ALL = ["api_design", "databases", "concurrency", "reliability_observability", "security"]


@pytest.fixture(scope="module")
def services(stack, tmp_path_factory):
    logs = tmp_path_factory.mktemp("logs")
    started = [Service("scoring"), Service("aggregation")]
    for service in started:
        service.start(logs)
    asyncio.run(wait_ready(*started))
    yield {s.name: s for s in started}
    for service in started:
        service.stop()


def tag() -> str:
    return f"st-{uuid.uuid4().hex[:8]}"


def value_of(event) -> bytes:
    return event.model_dump_json().encode()


async def marks(stack) -> dict[str, dict]:
    kafka = stack.kafka_bootstrap_servers
    return {
        t: await end_offsets(kafka, t) for t in (DLQ_IN, DLQ_SCORED, topics.INTERVIEW_SCORED, topics.RECOMMENDATION)
    }


async def dead_letters(stack, topic, key: bytes, since, count=1, timeout=20.0):
    return await read_until(
        stack.kafka_bootstrap_servers,
        topic,
        lambda got: len(got) >= count,
        keep=keys_in([key]),
        since=since,
        timeout=timeout,
    )


async def scored_once(stack, event: InterviewCompleted, since, started: float, within: float = 10.0) -> float:
    """Waits for the scored event of `event`; then watches 2 s more: it must be there once."""

    def mine(r) -> bool:
        return json.loads(r.value).get("source_event_id") == str(event.event_id)

    got = await read_until(
        stack.kafka_bootstrap_servers,
        topics.INTERVIEW_SCORED,
        lambda g: len(g) >= 1,
        keep=mine,
        since=since,
        timeout=within,
    )
    assert got, "the valid event behind the bad record was not scored"
    delay = time.monotonic() - started
    again = await read_until(
        stack.kafka_bootstrap_servers, topics.INTERVIEW_SCORED, lambda g: False, keep=mine, since=since, timeout=2
    )
    assert len(again) == 1, f"published {len(again)} times"
    return delay


def headers_of(record) -> dict[str, bytes]:
    return dict(record.headers)


async def test_a_revision_of_2_to_the_63_is_refused_at_the_edge_and_the_event_behind_it_scored_once(stack, services):
    candidate = tag()
    good = interview(candidate_id=candidate)
    bad = json.loads(value_of(interview(candidate_id=candidate))) | {"revision": MAX_REVISION + 1}
    since = await marks(stack)
    started = time.monotonic()
    await produce(
        stack.kafka_bootstrap_servers, topics.INTERVIEW_COMPLETED, [(good.key.encode(), json.dumps(bad).encode())]
    )
    await produce(stack.kafka_bootstrap_servers, topics.INTERVIEW_COMPLETED, [(good.key.encode(), value_of(good))])
    [dead] = await dead_letters(stack, DLQ_IN, good.key.encode(), since[DLQ_IN])
    assert headers_of(dead)[topics.DLQ_ERROR].startswith(b"invalid InterviewCompleted: revision: Input should be less")
    assert headers_of(dead)[topics.DLQ_SOURCE_TOPIC] == topics.INTERVIEW_COMPLETED.encode()
    delay = await scored_once(stack, good, since[topics.INTERVIEW_SCORED], started)
    print(f"\n[2^63] dead-lettered at the edge; the event behind it scored {delay:.2f} s after publishing, once")


async def test_a_nul_in_the_correlation_id_is_refused_by_scoring_and_by_aggregation(stack, services):
    candidate = tag()
    good = interview(candidate_id=candidate)
    key = good.key.encode()
    since = await marks(stack)
    started = time.monotonic()
    async with kafka_sender(stack.kafka_bootstrap_servers, "tests") as sender:
        await sender.send_all(
            [
                OutgoingRecord(
                    topics.INTERVIEW_COMPLETED,
                    key,
                    value_of(interview(candidate_id=candidate)),
                    [("correlation_id", b"a\x00b")],
                ),
                OutgoingRecord(topics.INTERVIEW_COMPLETED, key, value_of(good), [("correlation_id", b"trace-ok")]),
            ]
        )
    [dead] = await dead_letters(stack, DLQ_IN, key, since[DLQ_IN])
    assert headers_of(dead)[topics.DLQ_ERROR_TYPE] == b"invalid_header"
    assert headers_of(dead)[topics.DLQ_ERROR] == b"header correlation_id: control characters are not allowed"
    assert headers_of(dead)["correlation_id"] == b"a\x00b"  # the original bytes kept, for a replay after a fix
    await scored_once(stack, good, since[topics.INTERVIEW_SCORED], started)

    # The same header written straight to the scored topic (an older scoring, another producer):
    # aggregation refuses it too, and the pair's valid event behind it is decided.
    other = tag()
    scored = [
        score_interview(e, load_rubric(), datetime.now(UTC))
        for e in (
            interview(candidate_id=other, interview_id=f"{other}-i{n}", ratings={c: "strong_yes" for c in part})
            for n, part in enumerate([ALL[:2], ALL[2:4], ALL[4:]])
        )
    ]
    okey = scored[0].key.encode()
    async with kafka_sender(stack.kafka_bootstrap_servers, "tests") as sender:
        await sender.send_all(
            [OutgoingRecord(topics.INTERVIEW_SCORED, okey, value_of(scored[0]), [("correlation_id", b"\x00")])]
            + [OutgoingRecord(topics.INTERVIEW_SCORED, okey, value_of(s), [("correlation_id", b"ok")]) for s in scored]
        )
    [dead] = await dead_letters(stack, DLQ_SCORED, okey, since[DLQ_SCORED])
    assert headers_of(dead)[topics.DLQ_ERROR_TYPE] == b"invalid_header"
    recs = await read_until(
        stack.kafka_bootstrap_servers,
        topics.RECOMMENDATION,
        lambda got: any(len(Recommendation.model_validate_json(r.value).interviews) == 3 for r in got),
        keep=keys_in([okey]),
        since=since[topics.RECOMMENDATION],
        timeout=15,
    )
    assert Recommendation.model_validate_json(recs[-1].value).decision.value == "strong_hire"


async def test_a_record_at_the_brokers_size_limit_is_dead_lettered_as_a_summary_and_nothing_behind_it_twice(
    stack, services
):
    candidate = tag()
    good = interview(candidate_id=candidate)
    key = good.key.encode()
    near_limit = (
        b'{"notes": "' + b"x" * (1_048_576 - 300) + b'"}'
    )  # the broker accepts it; whole + dlq headers: too large
    since = await marks(stack)
    started = time.monotonic()
    await produce(stack.kafka_bootstrap_servers, topics.INTERVIEW_COMPLETED, [(key, near_limit)])
    # 5 MB of notes, compressed by the producer (the broker checks the compressed size).
    doc = json.loads(value_of(interview(candidate_id=candidate)))
    doc["assessments"][0]["notes"] = "y" * 5_000_000
    async with kafka_sender(
        stack.kafka_bootstrap_servers, "tests-gzip", compression_type="gzip", max_request_size=8_000_000
    ) as sender:
        await sender.send_all([OutgoingRecord(topics.INTERVIEW_COMPLETED, key, json.dumps(doc).encode())])
    await produce(stack.kafka_bootstrap_servers, topics.INTERVIEW_COMPLETED, [(key, value_of(good))])
    dead = await dead_letters(stack, DLQ_IN, key, since[DLQ_IN], count=2)
    assert [headers_of(d).get(SUMMARY) for d in dead] == [b"true", b"true"]
    first, second = (json.loads(d.value) for d in dead)
    assert first["value_bytes"] == len(near_limit) and first["value_head"].startswith('{"notes": "xxx')
    assert first["source"]["topic"] == topics.INTERVIEW_COMPLETED and first["key"] == key.decode()
    assert second["value_bytes"] > 5_000_000 and second["reason"].startswith(
        "invalid InterviewCompleted: assessments.0.notes"
    )
    delay = await scored_once(stack, good, since[topics.INTERVIEW_SCORED], started)
    print(
        f"\n[size] 1 MB and 5 MB (gzip) records dead-lettered as summaries; the event behind them scored {delay:.2f} s after, once"
    )


async def test_another_candidates_event_with_the_same_interview_id_does_not_touch_this_candidates_decision(
    stack, services
):
    a, b = tag(), tag()
    shared = f"shared-{uuid.uuid4().hex[:6]}"
    loop_a = [
        interview(candidate_id=a, interview_id=iid, ratings={c: "strong_yes" for c in part}, notes=STRONG_NOTES)
        for iid, part in zip([shared, f"{a}-i1", f"{a}-i2"], [ALL[:2], ALL[2:4], ALL[4:]], strict=True)
    ]
    intruder = interview(candidate_id=b, interview_id=shared, revision=10, ratings={c: "yes" for c in ALL[:2]})
    edit = interview(candidate_id=a, interview_id=shared, revision=2, ratings={c: "definitely_not" for c in ALL[:2]})
    since = await marks(stack)
    kafka = stack.kafka_bootstrap_servers
    await produce(kafka, topics.INTERVIEW_COMPLETED, [(e.key.encode(), value_of(e)) for e in loop_a])
    first = await read_until(
        kafka,
        topics.RECOMMENDATION,
        lambda got: any(len(Recommendation.model_validate_json(r.value).interviews) == 3 for r in got),
        keep=keys_in([loop_a[0].key.encode()]),
        since=since[topics.RECOMMENDATION],
        timeout=20,
    )
    assert Recommendation.model_validate_json(first[-1].value).decision.value == "strong_hire"
    await produce(kafka, topics.INTERVIEW_COMPLETED, [(intruder.key.encode(), value_of(intruder))])
    await produce(kafka, topics.INTERVIEW_COMPLETED, [(edit.key.encode(), value_of(edit))])
    [expected] = [r for r in recommend([*loop_a, edit], load_rubric(), load_roles()) if r.candidate_id == a]
    assert expected.decision.value != "strong_hire"
    latest = await read_until(
        kafka,
        topics.RECOMMENDATION,
        lambda got: Recommendation.model_validate_json(got[-1].value).decision == expected.decision if got else False,
        keep=keys_in([loop_a[0].key.encode()]),
        since=since[topics.RECOMMENDATION],
        timeout=20,
    )
    final = Recommendation.model_validate_json(latest[-1].value)
    assert final.decision == expected.decision
    assert {(i.interview_id, i.revision) for i in final.interviews} == {(shared, 2), (f"{a}-i1", 1), (f"{a}-i2", 1)}
    print(f"\n[shared id] {a}'s edit of {shared} counts after {b}'s revision 10 of the same id: {final.decision.value}")


# --- records at and beyond every bound ----------------------------------------------------

BOUNDS = {
    # field: (at the bound: valid, beyond it: refused)
    "interview_id": ("i" * MAX_ID_CHARS, "i" * (MAX_ID_CHARS + 1)),
    "interviewer_id": ("v" * MAX_ID_CHARS, "v\x85"),
    "revision": (MAX_REVISION, MAX_REVISION + 1),
    "notes": ("n" * MAX_NOTES_CHARS, "n" * (MAX_NOTES_CHARS + 1)),
    "correlation_id": (b"c" * topics.MAX_HEADER_CHARS, b"c" * (topics.MAX_HEADER_CHARS + 1)),
}
EDGE_VALUES = st.sampled_from(["\x00", "\x1f", "\x7f", "\x9f", "\u2028", "é", "😀", " ", ":", "'", "\\"])


@st.composite
def bounded_records(draw, candidate: str):
    """(key, value, headers, valid?) at or beyond one bound, or with an odd character in an id."""
    doc = json.loads(value_of(interview(candidate_id=candidate, notes=STRONG_NOTES)))
    doc["event_id"] = str(uuid.uuid4())
    headers: list[tuple[str, bytes]] = []
    kind = draw(st.sampled_from([*BOUNDS, "character", "revision_edge"]))
    beyond = draw(st.booleans())
    if kind == "character":
        doc["interview_id"] = f"i-{uuid.uuid4().hex[:6]}" + draw(EDGE_VALUES)
    elif kind == "revision_edge":
        doc["revision"] = draw(st.sampled_from([0, 1, 2**31, 2**53 + 1, -(2**63), 2**64, 10**30]))
    elif kind == "notes":
        doc["assessments"][0]["notes"] = BOUNDS[kind][beyond]
    elif kind == "correlation_id":
        headers = [("correlation_id", BOUNDS[kind][beyond])]
    else:
        doc[kind] = BOUNDS[kind][beyond]
    if kind in ("interview_id", "interviewer_id") and not beyond:
        doc[kind] = doc[kind][:-8] + uuid.uuid4().hex[:8]  # at the bound, and unique
    return f"{candidate}:backend-engineer".encode(), json.dumps(doc).encode(), headers


def decided_or_refused(key: bytes, value: bytes, headers) -> bool:
    """True when the contract accepts it (it must be scored), False when it must be dead-lettered."""
    if any(topics.header_problem(k, v) for k, v in headers):
        return False
    try:
        return InterviewCompleted.model_validate_json(value).key.encode() == key
    except ValueError:
        return False


@settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_records_at_and_beyond_every_bound_are_each_decided_or_dead_lettered_never_stuck(stack, services, data):
    candidate = tag()
    records = data.draw(st.lists(bounded_records(candidate), min_size=8, max_size=16))
    sentinel = interview(candidate_id=candidate)
    valid = [json.loads(v)["event_id"] for k, v, h in records if decided_or_refused(k, v, h)]
    invalid = len(records) - len(valid)

    async def scenario():
        since = await marks(stack)
        key = sentinel.key.encode()
        async with kafka_sender(stack.kafka_bootstrap_servers, "tests") as sender:
            await sender.send_all(
                [OutgoingRecord(topics.INTERVIEW_COMPLETED, k, v, h) for k, v, h in records]
                + [OutgoingRecord(topics.INTERVIEW_COMPLETED, key, value_of(sentinel))]
            )
        dead = await dead_letters(stack, DLQ_IN, key, since[DLQ_IN], count=invalid, timeout=30)
        wanted = {*valid, str(sentinel.event_id)}
        scored = await read_until(
            stack.kafka_bootstrap_servers,
            topics.INTERVIEW_SCORED,
            lambda got: {json.loads(r.value)["source_event_id"] for r in got} >= wanted,
            keep=keys_in([key]),
            since=since[topics.INTERVIEW_SCORED],
            timeout=30,
        )
        return dead, {json.loads(r.value)["source_event_id"] for r in scored}

    dead, scored = asyncio.run(scenario())
    print(f"\n[bounds] {len(records)} records: {len(valid)} valid scored, {invalid} dead-lettered: {len(dead)}")
    assert scored >= {*valid, str(sentinel.event_id)}  # every valid one and the sentinel: nothing stuck
    assert len(dead) == invalid
    assert all(headers_of(d)[topics.DLQ_ERROR] for d in dead)
    for service in services.values():
        assert service.process.poll() is None
        with urllib.request.urlopen(f"http://127.0.0.1:{service.port}/health/ready", timeout=3) as answer:
            assert answer.status == 200
