"""`hiring-pipeline dlq list|replay TOPIC`: look at refused records, and send them back.

A dead letter keeps the original key, value and headers and adds `dlq.*` headers saying
why and where from. `list` shows them without their values (which may hold notes text).
`replay` re-publishes each one to its source topic after a fix, once: progress is kept as
the committed offsets of a consumer group of its own on the dead-letter topic, a record
dead-lettered twice (a redelivered batch) is sent back once, and the services ignore an
event they have already processed (same event_id), so nothing is counted twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from aiokafka import ConsumerRecord

from schemas import topics
from services.runtime.dead_letter import SUMMARY
from services.runtime.kafka import KafkaOptions, Offsets, OutgoingRecord, TopicReader, kafka_sender, open_topic

REPLAYED_FROM = "dlq.replayed_from"
INPUT_TOPICS = (topics.INTERVIEW_COMPLETED, topics.INTERVIEW_SCORED, topics.RECOMMENDATION)
"""The topics with a dead-letter topic (the recommendation topic's: the Greenhouse write-back's refusals)."""


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


async def _read(reader: TopicReader, start: Offsets, end: Offsets) -> list[ConsumerRecord]:
    records: list[ConsumerRecord] = []
    async for batch in reader.batches(start, end, timeout_ms=500):
        records += batch
    return sorted(records, key=lambda r: (r.partition, r.offset))


async def list_dead_letters(kafka: KafkaOptions, topic: str) -> list[DeadLetterView]:
    async with open_topic(kafka, dead_letter_topic(topic)) as reader:
        return [_view(r) for r in await _read(reader, await reader.beginning(), await reader.end())]


@dataclass(frozen=True)
class ReplayReport:
    read: int
    replayed: int
    skipped: int
    """Duplicates of a record already replayed, records without dead-letter headers, and
    summaries of records too large to dead-letter whole (nothing to replay)."""


async def replay(
    kafka: KafkaOptions,
    topic: str,
    on_progress: Callable[[int, int], None] = lambda done, total: None,
    chunk: int = 500,
) -> ReplayReport:
    """Re-publish the dead letters not replayed before, once each; `on_progress(done, total)`
    after each acknowledged chunk."""
    dlq = dead_letter_topic(topic)
    group = f"hiring-pipeline.dlq-replay.{dlq}"
    async with (
        open_topic(kafka, dlq, group_id=group) as reader,
        kafka_sender(kafka, "hiring-pipeline-dlq-replay") as sender,
    ):
        end = await reader.end()
        records = await _read(reader, await reader.committed_or_beginning(), end)
        seen: set[str] = set()
        replayed = []
        for record in records:
            h = _headers(record)
            if topics.DLQ_SOURCE_TOPIC not in h:
                continue  # not written by our services: nothing says where it came from
            if SUMMARY in h:
                continue  # a summary of a record too large to keep: its source coordinates say where it is
            source = f"{h.get(topics.DLQ_SOURCE_TOPIC)}:{h.get(topics.DLQ_SOURCE_PARTITION)}:{h.get(topics.DLQ_SOURCE_OFFSET)}"
            if source in seen:
                continue  # the same refused record, dead-lettered again by a retried batch
            seen.add(source)
            original = [(k, v) for k, v in record.headers or () if not k.startswith("dlq.")]
            original.append((REPLAYED_FROM, f"{dlq}:{record.partition}:{record.offset}".encode()))
            replayed.append(OutgoingRecord(dlq.removesuffix(".dlq"), record.key, record.value, original))
        on_progress(0, len(replayed))
        for start in range(0, len(replayed), chunk):
            await sender.send_all(replayed[start : start + chunk])
            on_progress(min(start + chunk, len(replayed)), len(replayed))
        await reader.consumer.commit(end)  # only after every replayed record is acknowledged
        return ReplayReport(read=len(records), replayed=len(replayed), skipped=len(records) - len(replayed))
