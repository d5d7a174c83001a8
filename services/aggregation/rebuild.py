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

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from schemas import topics
from schemas.events import InterviewRetracted, InterviewScored
from schemas.rubric import RoleProfile
from services.aggregation.decision import Entry, fold, merge
from services.aggregation.records import recommendation_record
from services.aggregation.store import AggregationStore, NewRecommendation, PairKey
from services.runtime.kafka import KafkaOptions, RecordSender, client_options, partitions_of, stop_consumer
from services.runtime.records import Accepted, decode_record


class GroupStillActive(RuntimeError):
    pass


@dataclass(frozen=True)
class RebuildReport:
    events: int
    skipped: int
    pairs: int
    republished: int


async def replay(kafka: KafkaOptions) -> tuple[dict[PairKey, dict[str, Entry]], dict[TopicPartition, int], int, int]:
    """Every valid scored event up to the topic's current end, folded per pair."""
    consumer = AIOKafkaConsumer(**client_options(kafka), enable_auto_commit=False)
    await consumer.start()
    state: dict[PairKey, dict[str, Entry]] = {}
    events = skipped = 0
    try:
        partitions = await partitions_of(kafka, topics.INTERVIEW_SCORED)
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        end = await consumer.end_offsets(partitions)
        remaining = {tp for tp in partitions if end[tp] > 0}
        while remaining:
            batch = await consumer.getmany(*remaining, timeout_ms=500, max_records=5000)
            for tp, records in batch.items():
                for record in records:
                    if record.offset >= end[tp]:
                        continue
                    decoded = decode_record(record, InterviewScored, InterviewRetracted)
                    if not isinstance(decoded, Accepted):
                        skipped += 1  # the service dead-lettered it the first time
                        continue
                    event = decoded.event
                    key = (event.candidate_id, event.role_id)
                    state[key], _ = merge(state.get(key, {}), [event])
                    events += 1
            for tp in list(remaining):
                if await consumer.position(tp) >= end[tp]:
                    remaining.discard(tp)
        return state, end, events, skipped
    finally:
        await stop_consumer(consumer)


async def ensure_group_inactive(kafka: KafkaOptions, group_id: str) -> None:
    admin = AIOKafkaAdminClient(**client_options(kafka))
    await admin.start()
    try:
        [description] = await admin.describe_consumer_groups([group_id])
    finally:
        await admin.close()
    members = description.groups[0][5] if description.groups else []
    if members:
        raise GroupStillActive(f"consumer group {group_id!r} has {len(members)} active member(s): stop the aggregation service first")


async def commit_offsets(kafka: KafkaOptions, group_id: str, offsets: dict[TopicPartition, int]) -> None:
    consumer = AIOKafkaConsumer(**client_options(kafka), group_id=group_id, enable_auto_commit=False)
    await consumer.start()
    try:
        consumer.assign(list(offsets))
        await consumer.commit(offsets)
    finally:
        await consumer.stop()


async def rebuild(
    kafka: KafkaOptions,
    group_id: str,
    store: AggregationStore,
    sender: RecordSender,
    roles: dict[str, RoleProfile],
    clock: Callable[[], datetime],
) -> RebuildReport:
    await ensure_group_inactive(kafka, group_id)
    state, end, events, skipped = await replay(kafka)
    state = {key: interviews for key, interviews in state.items() if key[1] in roles}
    issued: list[NewRecommendation] = []
    async with store.transaction() as pairs:
        await pairs.clear_interviews()
        current = await pairs.load(list(state), lock=False)  # the table is locked by clear_interviews
        for key, interviews in sorted(state.items()):
            step = fold(key[0], roles[key[1]], {}, interviews.values(), current[key].published, clock())
            if step.recommendation is not None and step.verdict is not None:
                record = recommendation_record(step.recommendation, f"rebuild:{step.recommendation.event_id}")
                issued.append(NewRecommendation(step.recommendation, step.verdict.fingerprint(), record))
        await pairs.save([i for interviews in state.values() for i in interviews.values()], issued)
    await store.publish_outbox(sender)
    await commit_offsets(kafka, group_id, end)
    return RebuildReport(events=events, skipped=skipped, pairs=len(state), republished=len(issued))
