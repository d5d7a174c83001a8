"""The scoring handler's rules with in-memory store and producer (no Kafka, no database)."""

import json

import pytest
from faststream.kafka import TestKafkaBroker
from prometheus_client import CollectorRegistry

from benchmarks.workload import varied_interviews
from schemas import topics, wire
from schemas.events import InterviewCompleted, InterviewScored
from schemas.rubric import load_rubric
from services.scoring.consumer import SCAN_AHEAD, ScoringHandler, ScoringMetrics
from services.scoring.score import score_interview_wire
from tests.factories import FIXED_TIME, STRONG_NOTES, interview, retraction
from tests.fakes import InMemoryScoreStore, InMemorySender, consumer_record

RUBRIC = load_rubric()


@pytest.fixture
def store():
    return InMemoryScoreStore()


@pytest.fixture
def sender():
    return InMemorySender()


@pytest.fixture
def handler(store, sender):
    return ScoringHandler(store, sender, load_rubric(), lambda: FIXED_TIME, ScoringMetrics(CollectorRegistry()))


def record(event, offset=0, key=None, headers=()):
    return consumer_record(
        event.model_dump_json().encode(),
        key or event.key.encode(),
        topic=topics.INTERVIEW_COMPLETED,
        offset=offset,
        headers=headers,
    )


async def test_a_valid_interview_is_published_scored_under_the_same_key(handler, sender):
    event = interview(notes=STRONG_NOTES)
    await handler.handle([record(event)])
    [out] = sender.on(topics.INTERVIEW_SCORED)
    assert out.key == event.key.encode()
    scored = InterviewScored.model_validate_json(out.value)
    assert scored.source_event_id == event.event_id and len(scored.scores) == 5


async def test_the_correlation_id_header_is_passed_on(handler, sender):
    await handler.handle([record(interview(), headers=[("correlation_id", b"corr-42")])])
    [out] = sender.on(topics.INTERVIEW_SCORED)
    assert (topics.CORRELATION_ID, b"corr-42") in out.headers


async def test_without_a_correlation_header_the_event_id_is_the_correlation_id(handler, sender):
    event = interview()
    await handler.handle([record(event)])
    assert (topics.CORRELATION_ID, str(event.event_id).encode()) in sender.on(topics.INTERVIEW_SCORED)[0].headers


async def test_a_redelivered_event_republishes_identical_bytes_and_stores_nothing_new(handler, store, sender):
    event = interview()
    await handler.handle([record(event, offset=0)])
    await handler.handle([record(event, offset=0)])
    first, second = sender.on(topics.INTERVIEW_SCORED)
    assert first.value == second.value
    assert len(store.rows) == 1


async def test_an_event_id_reused_for_another_interview_is_dead_lettered_and_the_first_kept(handler, store, sender):
    first = interview(candidate_id="cand-a")
    reused = interview(candidate_id="cand-b", event_id=first.event_id)
    await handler.handle([record(first, 0), record(reused, 1)])
    [published] = sender.on(topics.INTERVIEW_SCORED)
    assert published.key == b"cand-a:backend-engineer"
    [dead] = sender.on(topics.dead_letter(topics.INTERVIEW_COMPLETED))
    assert dead.key == b"cand-b:backend-engineer"
    assert dict(dead.headers)[topics.DLQ_ERROR_TYPE] == b"event_id_conflict"


async def test_a_late_lower_revision_is_stored_but_not_published(handler, store, sender):
    v2 = interview(interview_id="int-7", revision=2)
    v1 = interview(interview_id="int-7", revision=1)
    await handler.handle([record(v2, 0), record(v1, 1)])
    published = [InterviewScored.model_validate_json(r.value) for r in sender.on(topics.INTERVIEW_SCORED)]
    assert [p.revision for p in published] == [2]
    assert len(store.rows) == 2


async def test_malformed_records_go_to_the_dead_letter_topic_and_valid_ones_flow(handler, sender):
    good = interview()
    poison = consumer_record(b'{"truncated', b"k", topic=topics.INTERVIEW_COMPLETED, offset=5)
    await handler.handle([poison, record(good, 6)])
    [dead] = sender.on(topics.dead_letter(topics.INTERVIEW_COMPLETED))
    assert dead.value == b'{"truncated' and dead.key == b"k"
    headers = dict(dead.headers)
    assert headers[topics.DLQ_ERROR_TYPE] == b"validation_error"
    assert headers[topics.DLQ_SOURCE_OFFSET] == b"5"
    assert b"Invalid JSON" in headers[topics.DLQ_ERROR]
    assert len(sender.on(topics.INTERVIEW_SCORED)) == 1


@pytest.mark.parametrize(
    ("key", "error_type"), [(None, b"missing_key"), (b"someone-else:backend-engineer", b"key_mismatch")]
)
async def test_a_record_whose_key_is_not_its_candidate_and_role_is_dead_lettered(handler, sender, key, error_type):
    event = interview()
    bad = consumer_record(event.model_dump_json().encode(), key, topic=topics.INTERVIEW_COMPLETED)
    await handler.handle([bad])
    [dead] = sender.on(topics.dead_letter(topics.INTERVIEW_COMPLETED))
    assert dict(dead.headers)[topics.DLQ_ERROR_TYPE] == error_type


async def test_an_unknown_role_is_dead_lettered_naming_the_field(handler, sender):
    data = json.loads(interview().model_dump_json())
    data["role_id"] = "astronaut"
    bad = consumer_record(json.dumps(data).encode(), b"cand-1:astronaut", topic=topics.INTERVIEW_COMPLETED)
    await handler.handle([bad])
    [dead] = sender.on(topics.dead_letter(topics.INTERVIEW_COMPLETED))
    assert dict(dead.headers)[topics.DLQ_ERROR].startswith(b"invalid InterviewCompleted: role_id:")


async def test_when_the_database_fails_nothing_is_published_and_the_error_surfaces(handler, store, sender):
    store.healthy = False
    with pytest.raises(ConnectionError):
        await handler.handle([record(interview())])
    assert sender.sent == []


async def test_the_faststream_subscriber_hands_the_batch_to_the_handler():
    """Wiring: the app's subscriber, driven by FastStream's in-memory broker."""
    from contextlib import asynccontextmanager

    from faststream.asgi import AsgiFastStream

    from services.scoring.app import create_app
    from services.scoring.settings import ScoringSettings

    store, sender = InMemoryScoreStore(), InMemorySender()

    @asynccontextmanager
    async def fake_resources(settings):
        yield store, sender

    app: AsgiFastStream = create_app(ScoringSettings(), resources=fake_resources, clock=lambda: FIXED_TIME)
    event = interview()
    async with TestKafkaBroker(app.broker) as broker, app.lifespan_context():
        await broker.publish(event.model_dump_json().encode(), topics.INTERVIEW_COMPLETED, key=event.key.encode())
    [out] = sender.on(topics.INTERVIEW_SCORED)
    assert InterviewScored.model_validate_json(out.value).source_event_id == event.event_id


async def test_an_event_the_core_cannot_score_is_dead_lettered_not_retried_forever(store, sender, monkeypatch):
    import services.scoring.consumer as consumer

    bad, good = interview(candidate_id="cand-bad"), interview(candidate_id="cand-good")
    real = consumer.score_interview_wire

    def fails_for_one(event, rubric, scored_at, **options):
        if event.candidate_id == "cand-bad":
            raise ZeroDivisionError("a bug in the core for this input")
        return real(event, rubric, scored_at, **options)

    monkeypatch.setattr(consumer, "score_interview_wire", fails_for_one)
    handler = ScoringHandler(store, sender, load_rubric(), lambda: FIXED_TIME, ScoringMetrics(CollectorRegistry()))
    await handler.handle([record(bad, 0), record(good, 1)])
    [dead] = sender.on(topics.dead_letter(topics.INTERVIEW_COMPLETED))
    assert dead.key == bad.key.encode()
    assert dict(dead.headers)[topics.DLQ_ERROR] == b"scoring failed: ZeroDivisionError"
    assert [r.key for r in sender.on(topics.INTERVIEW_SCORED)] == [good.key.encode()]


async def test_a_revision_beyond_64_bits_is_refused_at_the_edge_and_the_rest_flows(handler, sender):
    """2^63 overflowed PostgreSQL's bigint and the batch was retried forever (#14): the
    contract now bounds revision, so the record is refused by validation, naming the bound."""
    huge = json.loads(interview().model_dump_json()) | {"revision": 2**63}
    bad = consumer_record(
        json.dumps(huge).encode(),
        f"{huge['candidate_id']}:{huge['role_id']}".encode(),
        topic=topics.INTERVIEW_COMPLETED,
    )
    await handler.handle([bad, record(interview(), offset=1)])
    [dead] = sender.on(topics.dead_letter(topics.INTERVIEW_COMPLETED))
    assert dict(dead.headers)[topics.DLQ_ERROR_TYPE] == b"validation_error"
    assert dict(dead.headers)[topics.DLQ_ERROR].startswith(
        b"invalid InterviewCompleted: revision: Input should be less"
    )
    assert len(sender.on(topics.INTERVIEW_SCORED)) == 1  # the rest of the batch flows


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (b"trace\x00id", b"header correlation_id: control characters are not allowed"),
        (b"x" * 201, b"header correlation_id: longer than 200 characters"),
        (b"\xff\xfe", b"header correlation_id: not UTF-8"),
    ],
)
async def test_a_correlation_id_outside_its_bounds_is_refused_at_the_edge(handler, sender, value, reason):
    """A NUL in the correlation id was carried on by scoring and refused by aggregation's
    outbox (jsonb) for ever (#14): refused where it enters, with the bound it broke."""
    await handler.handle([record(interview(), headers=[("correlation_id", value)]), record(interview(), offset=1)])
    [dead] = sender.on(topics.dead_letter(topics.INTERVIEW_COMPLETED))
    assert dict(dead.headers)[topics.DLQ_ERROR_TYPE] == b"invalid_header"
    assert dict(dead.headers)[topics.DLQ_ERROR] == reason
    assert len(sender.on(topics.INTERVIEW_SCORED)) == 1


def _alone(event):
    """The JSON one event scores to, scored on its own (its notes scanned as they are read)."""
    return wire.encode(
        score_interview_wire(wire.from_contract(wire.InterviewCompleted, event), RUBRIC, wire.instant(FIXED_TIME))
    )


async def test_a_long_batch_with_retractions_between_publishes_what_each_interview_scores_alone(handler, sender):
    events = [InterviewCompleted.model_validate(d) for d in varied_interviews(150, seed=3, hostile=True)]
    records = [record(e, offset=n) for n, e in enumerate(events)]
    retracted = retraction(interview_id="scored-in-an-earlier-batch")
    # Inside the second run of SCAN_AHEAD events: nothing to scan, forwarded between them.
    records[70:70] = [record(retracted, offset=999, headers=[(topics.EVENT_TYPE, b"InterviewRetracted")])]
    assert len(events) > 2 * SCAN_AHEAD
    await handler.handle(records)
    out = sender.on(topics.INTERVIEW_SCORED)
    assert [dict(r.headers)[topics.EVENT_TYPE] for r in out].count(b"InterviewRetracted") == 1
    assert [r.value for r in out if dict(r.headers)[topics.EVENT_TYPE] != b"InterviewRetracted"] == [
        _alone(e) for e in events
    ]


async def test_when_scanning_a_run_together_fails_each_interview_is_scanned_alone(handler, sender, monkeypatch):
    import services.scoring.consumer as consumer

    def broken(events, rubric):
        raise MemoryError("scanning the run at once")

    monkeypatch.setattr(consumer, "scan_interviews", broken)
    events = [InterviewCompleted.model_validate(d) for d in varied_interviews(10, seed=4)]
    await handler.handle([record(e, offset=n) for n, e in enumerate(events)])
    assert [r.value for r in sender.on(topics.INTERVIEW_SCORED)] == [_alone(e) for e in events]
