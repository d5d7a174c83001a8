"""Rebuild the aggregation state from the scored topic: `hiring-pipeline rebuild aggregation`.

For when the state is lost or suspect (a restored backup, a bug fixed in the core). With
the aggregation service stopped, it reads `hiring.interview-scored.v1` from the beginning
up to its current end, folds every valid event into fresh state with the same pure core,
and in one transaction replaces the counted interviews. Recommendations keep their
version history: a pair whose decision comes out the same publishes nothing, one that
changed gets the next version. Finally the consumer group's offsets are set to where
the replay stopped, so the service resumes right after it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from aiokafka import TopicPartition

from schemas import topics, wire
from schemas.events import InterviewRetracted
from schemas.rubric import RoleProfile
from services.aggregation.calibration import calibrate
from services.aggregation.decision import Entry, assessments, fold, merge
from services.aggregation.store import AggregationStore, NewRecommendation, PairKey
from services.runtime.kafka import KafkaOptions, RecordSender, admin_client, event_record, open_topic
from services.runtime.records import Accepted, decode_record


class GroupStillActive(RuntimeError):
    pass


@dataclass(frozen=True)
class RebuildReport:
    events: int
    skipped: int
    pairs: int
    republished: int


Progress = Callable[[int, int], None]
"""`(records read, records to read)`: how far the replay is, for a progress bar."""


def _no_progress(done: int, total: int) -> None:
    pass


async def replay(
    kafka: KafkaOptions, on_progress: Progress = _no_progress
) -> tuple[dict[PairKey, dict[str, Entry]], dict[TopicPartition, int], int, int]:
    """Every valid scored event up to the topic's current end, folded per pair."""
    state: dict[PairKey, dict[str, Entry]] = {}
    events = skipped = 0
    async with open_topic(kafka, topics.INTERVIEW_SCORED) as reader:
        end = await reader.end()
        beginning = await reader.beginning()
        total = sum(max(0, end[tp] - beginning.get(tp, 0)) for tp in end)
        async for records in reader.batches(beginning, end, timeout_ms=500, max_records=5000):
            for record in records:
                decoded = decode_record(record, wire.InterviewScored, InterviewRetracted)
                if not isinstance(decoded, Accepted):
                    skipped += 1  # the service dead-lettered it the first time
                    continue
                event = decoded.event
                key = (event.candidate_id, event.role_id)
                state[key], _ = merge(state.get(key, {}), [event])
                events += 1
            on_progress(events + skipped, total)
    return state, end, events, skipped


async def ensure_group_inactive(kafka: KafkaOptions, group_id: str) -> None:
    async with admin_client(kafka) as admin:
        [description] = await admin.describe_consumer_groups([group_id])
    members = description.groups[0][5] if description.groups else []
    if members:
        raise GroupStillActive(
            f"consumer group {group_id!r} has {len(members)} active member(s): stop the aggregation service first"
        )


async def commit_offsets(kafka: KafkaOptions, group_id: str, offsets: dict[TopicPartition, int]) -> None:
    async with open_topic(kafka, topics.INTERVIEW_SCORED, group_id=group_id) as reader:
        await reader.consumer.commit(offsets)


async def rebuild(
    kafka: KafkaOptions,
    group_id: str,
    store: AggregationStore,
    sender: RecordSender,
    roles: dict[str, RoleProfile],
    clock: Callable[[], datetime],
    on_progress: Progress = _no_progress,
) -> RebuildReport:
    await ensure_group_inactive(kafka, group_id)
    state, end, events, skipped = await replay(kafka, on_progress)
    state = {key: interviews for key, interviews in state.items() if key[1] in roles}
    # The interviewers' calibration over the whole replayed state, as the service's refresh computes it.
    calibration = calibrate(
        assessments(
            e for interviews in state.values() for e in interviews.values() if isinstance(e, wire.InterviewScored)
        )
    )
    issued: list[NewRecommendation] = []
    async with store.transaction() as pairs:
        await pairs.clear_interviews()
        current = await pairs.load(list(state), lock=False)  # the table is locked by clear_interviews
        for key, interviews in sorted(state.items()):
            step = fold(key[0], roles[key[1]], {}, interviews.values(), current[key].published, clock(), calibration)
            if step.recommendation is not None and step.verdict is not None:
                record = event_record(
                    topics.RECOMMENDATION, step.recommendation, correlation_id=f"rebuild:{step.recommendation.event_id}"
                )
                issued.append(NewRecommendation(step.recommendation, step.verdict.fingerprint(), record))
        await pairs.save([i for interviews in state.values() for i in interviews.values()], issued)
    await store.publish_outbox(sender)
    await commit_offsets(kafka, group_id, end)
    return RebuildReport(events=events, skipped=skipped, pairs=len(state), republished=len(issued))
