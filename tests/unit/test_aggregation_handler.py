"""The aggregation handler's rules with in-memory store and producer."""

import pytest
from prometheus_client import CollectorRegistry

from schemas import topics
from schemas.events import Recommendation
from schemas.rubric import load_roles, load_rubric
from schemas.scales import Decision
from services.aggregation.consumer import AggregationHandler, AggregationMetrics
from services.scoring.score import score_interview
from tests.factories import FIXED_TIME, interview
from tests.fakes import InMemoryAggregationStore, InMemorySender, consumer_record

ALL = ["api_design", "databases", "concurrency", "reliability_observability", "security"]


def scored(candidate="cand-1", rating="yes", competencies=ALL, **kwargs):
    event = interview(candidate_id=candidate, ratings={c: rating for c in competencies}, **kwargs)
    return score_interview(event, load_rubric(), FIXED_TIME)


def record(event, offset=0):
    return consumer_record(
        event.model_dump_json().encode(), event.key.encode(), topic=topics.INTERVIEW_SCORED, offset=offset
    )


@pytest.fixture
def store():
    return InMemoryAggregationStore()


@pytest.fixture
def sender():
    return InMemorySender()


@pytest.fixture
def handler(store, sender):
    return AggregationHandler(store, sender, load_roles(), lambda: FIXED_TIME, AggregationMetrics(CollectorRegistry()))


def published(sender):
    return [Recommendation.model_validate_json(r.value) for r in sender.on(topics.RECOMMENDATION)]


async def test_a_complete_loop_publishes_one_recommendation_keyed_by_candidate_and_role(handler, sender):
    await handler.handle([record(scored(rating="strong_yes")), record(scored(rating="strong_yes"), offset=1)])
    [rec] = published(sender)
    assert (rec.decision, rec.version) == (Decision.STRONG_HIRE, 1)
    assert sender.on(topics.RECOMMENDATION)[0].key == b"cand-1:backend-engineer"


async def test_an_incomplete_loop_is_published_as_insufficient_evidence_then_completed(handler, sender):
    await handler.handle([record(scored(competencies=ALL[:2]))])
    await handler.handle([record(scored(competencies=ALL[2:]))])
    assert [(r.decision, r.version) for r in published(sender)] == [
        (Decision.INSUFFICIENT_EVIDENCE, 1),
        (Decision.HIRE, 2),
    ]


async def test_redelivered_events_publish_nothing_new(handler, sender):
    event = scored()
    await handler.handle([record(event)])
    await handler.handle([record(event), record(event)])
    assert len(published(sender)) == 1


async def test_an_edited_scorecard_changes_the_recommendation(handler, sender):
    other = scored(rating="strong_yes", interview_id="i-2")
    await handler.handle([record(scored(rating="strong_yes", interview_id="i-1", revision=1)), record(other, 1)])
    await handler.handle([record(scored(rating="no", interview_id="i-1", revision=2))])
    assert [(r.decision, r.version) for r in published(sender)] == [(Decision.STRONG_HIRE, 1), (Decision.NO_HIRE, 2)]
    assert published(sender)[-1].interviews[0].revision == 2
    assert published(sender)[-1].needs_debrief  # strong_yes against no on every competency


async def test_a_late_older_revision_publishes_nothing(handler, sender):
    await handler.handle([record(scored(rating="no", interview_id="i-1", revision=2))])
    await handler.handle([record(scored(rating="strong_yes", interview_id="i-1", revision=1))])
    assert len(published(sender)) == 1


async def test_pairs_in_one_batch_are_decided_independently(handler, sender):
    await handler.handle(
        [
            record(scored("a", rating="strong_yes")),
            record(scored("a", rating="strong_yes"), 1),
            record(scored("b", rating="definitely_not"), 2),
            record(scored("b", rating="definitely_not"), 3),
        ]
    )
    assert {(r.candidate_id, r.decision) for r in published(sender)} == {
        ("a", Decision.STRONG_HIRE),
        ("b", Decision.STRONG_NO_HIRE),
    }


async def test_a_malformed_scored_event_is_dead_lettered_and_the_rest_flows(handler, sender):
    bad = consumer_record(b"[]", b"x:y", topic=topics.INTERVIEW_SCORED)
    await handler.handle([bad, record(scored())])
    [dead] = sender.on(topics.dead_letter(topics.INTERVIEW_SCORED))
    assert dead.value == b"[]"
    assert len(published(sender)) == 1


async def test_when_the_produce_fails_after_commit_the_outbox_keeps_the_recommendation(handler, store, sender):
    class FailingOnce(InMemorySender):
        failed = False

        async def send_all(self, records):
            if records and not self.failed:
                self.failed = True
                raise ConnectionError("broker gone")
            await super().send_all(records)

    handler.sender = flaky = FailingOnce()
    event = scored()
    with pytest.raises(ConnectionError):
        await handler.handle([record(event)])
    assert len(store.outbox) == 1  # committed with the state, not yet published
    await handler.handle([record(event)])  # the redelivery: no new decision, the outbox goes out
    assert len([r for r in flaky.sent if r.topic == topics.RECOMMENDATION]) == 1
    assert store.outbox == []


async def test_a_pair_the_core_cannot_decide_is_dead_lettered_and_other_pairs_flow(handler, sender, monkeypatch):
    import services.aggregation.consumer as consumer

    real = consumer.fold

    def fails_for_one(candidate_id, *args):
        if candidate_id == "bad":
            raise KeyError("a bug in the core for this input")
        return real(candidate_id, *args)

    monkeypatch.setattr(consumer, "fold", fails_for_one)
    await handler.handle([record(scored("bad")), record(scored("good"))])
    [dead] = sender.on(topics.dead_letter(topics.INTERVIEW_SCORED))
    assert dead.key == b"bad:backend-engineer"
    assert dict(dead.headers)[topics.DLQ_ERROR_TYPE] == b"processing_error"
    assert [r.candidate_id for r in published(sender)] == ["good"]
