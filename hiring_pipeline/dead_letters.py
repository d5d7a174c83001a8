"""`hiring-pipeline dlq list|replay TOPIC`: look at refused records, and send them back.

A dead letter keeps the original key, value and headers and adds `dlq.*` headers saying
why and where from. `list` shows them without their values (which may hold notes text).
`replay` re-publishes each one to its source topic after a fix, once: progress is kept as
the committed offsets of a consumer group of its own on the dead-letter topic, a record
dead-lettered twice (a redelivered batch) is sent back once, and the services ignore an
event they have already processed (same event_id), so nothing is counted twice.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition

from schemas import topics
from services.runtime.kafka import KafkaOptions, client_options, partitions_of, stop_consumer

REPLAYED_FROM = "dlq.replayed_from"
INPUT_TOPICS = (topics.INTERVIEW_COMPLETED, topics.INTERVIEW_SCORED)


@dataclass(frozen=True)
class DeadLetterView:
    dlq_partition: int
    dlq_offset: int
    key: str
    error_type: str
    reason: str
    source: str
    """topic:partition:offset of the refused record"""


def dead_letter_topic(topic: str) -> str:
    """Accept an input topic or its dead-letter topic; answer the dead-letter topic."""
    source = topic.removesuffix(".dlq")
    if source not in INPUT_TOPICS:
        raise ValueError(f"{topic}: not an input topic with a dead-letter topic ({', '.join(INPUT_TOPICS)})")
    return topics.dead_letter(source)


def _headers(record: ConsumerRecord) -> dict[str, str]:
    return {k: (v or b"").decode("utf-8", "replace") for k, v in record.headers or ()}


def _view(record: ConsumerRecord) -> DeadLetterView:
    h = _headers(record)
    return DeadLetterView(
        dlq_partition=record.partition,
        dlq_offset=record.offset,
        key=(record.key or b"").decode("utf-8", "replace"),
        error_type=h.get(topics.DLQ_ERROR_TYPE, "?"),
        reason=h.get(topics.DLQ_ERROR, "?"),
        source=f"{h.get(topics.DLQ_SOURCE_TOPIC, '?')}:{h.get(topics.DLQ_SOURCE_PARTITION, '?')}:"
        f"{h.get(topics.DLQ_SOURCE_OFFSET, '?')}",
    )


async def _read(consumer: AIOKafkaConsumer, start: dict[TopicPartition, int], end: dict[TopicPartition, int]) -> list[ConsumerRecord]:
    records: list[ConsumerRecord] = []
    for tp, offset in start.items():
        consumer.seek(tp, offset)
    remaining = {tp for tp in end if start[tp] < end[tp]}
    while remaining:
        batch = await consumer.getmany(*remaining, timeout_ms=500)
        for tp, got in batch.items():
            records += [r for r in got if r.offset < end[tp]]
        for tp in list(remaining):
            if await consumer.position(tp) >= end[tp]:
                remaining.discard(tp)
    return sorted(records, key=lambda r: (r.partition, r.offset))


async def list_dead_letters(kafka: KafkaOptions, topic: str) -> list[DeadLetterView]:
    dlq = dead_letter_topic(topic)
    consumer = AIOKafkaConsumer(**client_options(kafka), enable_auto_commit=False)
    await consumer.start()
    try:
        partitions = await partitions_of(kafka, dlq)
        consumer.assign(partitions)
        start = await consumer.beginning_offsets(partitions)
        end = await consumer.end_offsets(partitions)
        return [_view(r) for r in await _read(consumer, start, end)]
    finally:
        await stop_consumer(consumer)


@dataclass(frozen=True)
class ReplayReport:
    read: int
    replayed: int
    skipped: int
    """Duplicates of a record already replayed, and records without dead-letter headers."""


async def replay(kafka: KafkaOptions, topic: str) -> ReplayReport:
    dlq = dead_letter_topic(topic)
    group = f"hiring-pipeline.dlq-replay.{dlq}"
    consumer = AIOKafkaConsumer(**client_options(kafka), group_id=group, enable_auto_commit=False)
    producer = AIOKafkaProducer(**client_options(kafka), acks="all", enable_idempotence=True)
    await consumer.start()
    await producer.start()
    try:
        partitions = await partitions_of(kafka, dlq)
        consumer.assign(partitions)
        beginning = await consumer.beginning_offsets(partitions)
        end = await consumer.end_offsets(partitions)
        start = {}
        for tp in partitions:
            committed = await consumer.committed(tp)
            start[tp] = max(committed, beginning[tp]) if committed is not None else beginning[tp]
        records = await _read(consumer, start, end)
        seen: set[str] = set()
        sends = []
        for record in records:
            h = _headers(record)
            if topics.DLQ_SOURCE_TOPIC not in h:
                continue  # not written by our services: nothing says where it came from
            source = f"{h.get(topics.DLQ_SOURCE_TOPIC)}:{h.get(topics.DLQ_SOURCE_PARTITION)}:{h.get(topics.DLQ_SOURCE_OFFSET)}"
            if source in seen:
                continue  # the same refused record, dead-lettered again by a retried batch
            seen.add(source)
            original = [(k, v) for k, v in record.headers or () if not k.startswith("dlq.")]
            original.append((REPLAYED_FROM, f"{dlq}:{record.partition}:{record.offset}".encode()))
            sends.append(await producer.send(dlq.removesuffix(".dlq"), record.value, key=record.key, headers=original))
        await asyncio.gather(*sends)
        await consumer.commit(end)  # only after every replayed record is acknowledged
        return ReplayReport(read=len(records), replayed=len(sends), skipped=len(records) - len(sends))
    finally:
        await producer.stop()
        await consumer.stop()
