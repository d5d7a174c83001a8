"""Retractions (a scorecard or interview deleted in the ATS) through the pure core and both handlers."""

import pytest
from prometheus_client import CollectorRegistry

from schemas import topics
from schemas.events import InterviewRetracted, Recommendation
from schemas.rubric import load_roles, load_rubric
from schemas.scales import Decision
from services.aggregation.consumer import AggregationHandler, AggregationMetrics
from services.aggregation.decision import decide, merge, next_recommendation
from services.scoring.consumer import ScoringHandler, ScoringMetrics
from services.scoring.score import score_interview
from tests.factories import FIXED_TIME, interview, on_the_wire, retraction
from tests.fakes import InMemoryAggregationStore, InMemoryScoreStore, InMemorySender, consumer_record

ROLE = load_roles()["backend-engineer"]
ALL = ["api_design", "databases", "concurrency", "reliability_observability", "security"]
RETRACTED = (topics.EVENT_TYPE, b"InterviewRetracted")


def scored(interview_id, rating="yes", revision=1):
    event = interview(interview_id=interview_id, revision=revision, ratings={c: rating for c in ALL})
    return score_interview(event, load_rubric(), FIXED_TIME)


def wired(interview_id, rating="yes", revision=1):
    """As the aggregation core takes it."""
    return on_the_wire(scored(interview_id, rating, revision))


def test_a_retraction_removes_the_interview_from_the_decision():
    state, _ = merge({}, [wired("i-1", "strong_yes"), wired("i-3", "yes"), wired("i-2", "definitely_not")])
    before = decide("cand-1", ROLE, state)
    state, changed = merge(state, [retraction(interview_id="i-2")])
    after = decide("cand-1", ROLE, state)
    assert changed == ["i-2"]
    assert [i.interview_id for i in after.interviews] == ["i-1", "i-3"]
    assert after.score > before.score
    assert "1 retracted interview(s) not counted" in after.reasons


def test_a_retraction_is_terminal_whatever_order_the_events_arrive_in():
    events = [wired("i-1", revision=1), retraction(interview_id="i-1"), wired("i-1", revision=2)]
    for order in (events, events[::-1], [events[1], events[0], events[2]]):
        state, _ = merge({}, order)
        assert isinstance(state["i-1"], InterviewRetracted)


def test_a_second_retraction_of_the_same_interview_changes_nothing():
    state, _ = merge({}, [retraction(interview_id="i-1")])
    _, changed = merge(state, [retraction(interview_id="i-1", reason="interview_deleted")])
    assert changed == []


def test_retracting_every_interview_makes_the_evidence_insufficient():
    state, _ = merge({}, [wired("i-1"), retraction(interview_id="i-1")])
    verdict = decide("cand-1", ROLE, state)
    assert verdict.decision == Decision.INSUFFICIENT_EVIDENCE
    assert verdict.interviews == ()


def test_only_retractions_for_a_pair_never_recommended_publish_nothing():
    state, _ = merge({}, [retraction(interview_id="i-1")])
    assert next_recommendation(decide("cand-1", ROLE, state), None, FIXED_TIME) is None


def test_the_retraction_reason_is_a_code_not_free_text():
    with pytest.raises(ValueError):
        retraction(interview_id="i-1", reason="Deleted by Jane Doe")


def test_a_retraction_names_a_known_role_like_a_completion_does():
    with pytest.raises(ValueError, match="unknown role"):
        retraction(interview_id="i-1", role_id="astronaut")


# --- scoring ---------------------------------------------------------------------------


@pytest.fixture
def scoring():
    sender = InMemorySender()
    handler = ScoringHandler(
        InMemoryScoreStore(), sender, load_rubric(), lambda: FIXED_TIME, ScoringMetrics(CollectorRegistry())
    )
    return handler, sender


def completed_record(event, offset):
    return consumer_record(
        event.model_dump_json().encode(), event.key.encode(), topic=topics.INTERVIEW_COMPLETED, offset=offset
    )


def retraction_record(event, offset, topic=topics.INTERVIEW_COMPLETED):
    return consumer_record(
        event.model_dump_json().encode(), event.key.encode(), topic=topic, offset=offset, headers=[RETRACTED]
    )


async def test_scoring_forwards_a_retraction_with_its_event_type_header(scoring):
    handler, sender = scoring
    gone = retraction(interview_id="i-1")
    await handler.handle([retraction_record(gone, 0)])
    [out] = sender.on(topics.INTERVIEW_SCORED)
    assert dict(out.headers)[topics.EVENT_TYPE] == b"InterviewRetracted"
    assert InterviewRetracted.model_validate_json(out.value) == gone


async def test_scoring_does_not_publish_a_completion_of_a_retracted_interview(scoring):
    handler, sender = scoring
    await handler.handle([retraction_record(retraction(interview_id="i-1"), 0)])
    await handler.handle([completed_record(interview(interview_id="i-1", revision=5), 1)])
    assert [dict(r.headers)[topics.EVENT_TYPE] for r in sender.on(topics.INTERVIEW_SCORED)] == [b"InterviewRetracted"]


async def test_scoring_republishes_the_first_retraction_when_a_second_one_arrives(scoring):
    handler, sender = scoring
    first, second = retraction(interview_id="i-1"), retraction(interview_id="i-1", reason="interview_deleted")
    await handler.handle([retraction_record(first, 0), retraction_record(second, 1)])
    values = [r.value for r in sender.on(topics.INTERVIEW_SCORED)]
    assert values == [first.model_dump_json().encode()] * 2


async def test_an_unknown_event_type_header_is_dead_lettered(scoring):
    handler, sender = scoring
    event = interview()
    record = consumer_record(
        event.model_dump_json().encode(),
        event.key.encode(),
        topic=topics.INTERVIEW_COMPLETED,
        headers=[(topics.EVENT_TYPE, b"InterviewRescheduled")],
    )
    await handler.handle([record])
    [dead] = sender.on(topics.dead_letter(topics.INTERVIEW_COMPLETED))
    assert dict(dead.headers)[topics.DLQ_ERROR_TYPE] == b"unknown_event_type"
    assert sender.on(topics.INTERVIEW_SCORED) == []


# --- aggregation -----------------------------------------------------------------------


async def test_aggregation_publishes_a_new_version_without_the_retracted_interview():
    sender = InMemorySender()
    handler = AggregationHandler(
        InMemoryAggregationStore(), sender, load_roles(), lambda: FIXED_TIME, AggregationMetrics(CollectorRegistry())
    )
    keep, drop = [scored("i-1", "strong_yes"), scored("i-3", "yes")], scored("i-2", "definitely_not")
    await handler.handle(
        [
            consumer_record(e.model_dump_json().encode(), e.key.encode(), topic=topics.INTERVIEW_SCORED, offset=n)
            for n, e in enumerate([*keep, drop])
        ]
    )
    await handler.handle([retraction_record(retraction(interview_id="i-2"), 2, topic=topics.INTERVIEW_SCORED)])
    await handler.handle([retraction_record(retraction(interview_id="i-2"), 3, topic=topics.INTERVIEW_SCORED)])
    recs = [Recommendation.model_validate_json(r.value) for r in sender.on(topics.RECOMMENDATION)]
    assert [r.version for r in recs] == [1, 2]
    assert [i.interview_id for i in recs[-1].interviews] == ["i-1", "i-3"]
    assert recs[-1].decision in (Decision.HIRE, Decision.STRONG_HIRE)
