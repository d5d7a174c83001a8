"""The Kafka edge: every record the project writes and every partition it reads passes here.

Three things, each written once:
- `event_record` builds an event's record (key, value, headers) for any topic;
- `new_producer` / `kafka_sender` make the one kind of producer (idempotent, acks=all,
  with the connection's SASL/SSL settings) and `KafkaSender` sends through it;
- `open_topic` assigns every partition of a topic and `TopicReader.batches` reads them
  from given offsets, up to their end (or on, following the topic).

The services, the Greenhouse processes, the operator tools, the benchmark and the tests
all use these, so a rule for records (a header bound, a size checked before sending in
`KafkaSender.send`) is added here once; the rule for a consumed batch that fails is
`services.runtime.service.deliver`. FastStream does the services' consuming; raw aiokafka does
the producing, because dead letters must keep the original header bytes and FastStream's
publish takes only string headers.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import struct
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.record.default_records import DefaultRecordBatchBuilder
from msgspec import Struct

from schemas import topics, wire

KafkaOptions = str | Mapping[str, Any]
"""Where and how to connect: a plain address ("127.0.0.1:9092"), or the aiokafka client
options of `ProcessSettings.kafka_options()` (bootstrap servers plus SASL/SSL)."""

Offsets = dict[TopicPartition, int]


def client_options(kafka: KafkaOptions) -> dict[str, Any]:
    return {"bootstrap_servers": kafka} if isinstance(kafka, str) else dict(kafka)


def address(kafka: KafkaOptions) -> str:
    """The bootstrap servers only: safe to print (never credentials)."""
    return str(client_options(kafka)["bootstrap_servers"])


# --- records out ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OutgoingRecord:
    topic: str
    key: bytes | None
    value: bytes | None
    """None only for a tombstone (the tests send them as hostile input)."""
    headers: list[tuple[str, bytes]] = field(default_factory=list)


class Event(Protocol):
    """What an event offers its record: a pair key and an id. Its JSON comes from `event_json`."""

    @property
    def key(self) -> str: ...

    @property
    def event_id(self) -> Any: ...


def event_json(event: Event) -> bytes:
    """A contract model's JSON, or its hot-path Struct's (`schemas.wire`: the same bytes)."""
    if isinstance(event, Struct):
        return wire.encode(event)
    return event.model_dump_json().encode()  # type: ignore[attr-defined, no-any-return]


def event_record(
    topic: str, event: Event, *, correlation_id: str | None = None, value: bytes | None = None
) -> OutgoingRecord:
    """The record of one event: keyed `candidate_id:role_id` like every record of its pair (so
    a retraction stays in order with the completions it retracts), the event type and schema
    version in headers, and the correlation id (the event's own id when it starts a flow).

    `value` replaces the event's JSON when the exact bytes were stored before (scoring
    re-publishes a redelivered event byte for byte)."""
    return OutgoingRecord(
        topic=topic,
        key=event.key.encode(),
        value=event_json(event) if value is None else value,
        headers=[
            (topics.CORRELATION_ID, (correlation_id or str(event.event_id)).encode()),
            (topics.EVENT_TYPE, type(event).__name__.encode()),
            (topics.SCHEMA_VERSION, b"1"),
        ],
    )


MAX_REQUEST_BYTES = 1_048_576
"""The producer's limit for one record (aiokafka's `max_request_size`, set explicitly), just
under the broker's default `message.max.bytes` (1 MiB + 12)."""


def record_size(record: OutgoingRecord) -> int:
    """The record's size as the producer counts it against `max_request_size`."""
    return int(DefaultRecordBatchBuilder.estimate_size_in_bytes(record.key, record.value, record.headers))


class RecordTooLarge(ValueError):
    """An outgoing record over the producer's limit: found before anything of its batch is sent."""

    def __init__(self, record: OutgoingRecord, size: int, limit: int) -> None:
        super().__init__(f"a record for {record.topic} would be {size} bytes, over the producer's limit of {limit}")
        self.record, self.size, self.limit = record, size, limit


class RecordSender(Protocol):
    async def send_all(self, records: Sequence[OutgoingRecord]) -> None:
        """Return only when every record is acknowledged by the broker."""


def new_producer(kafka: KafkaOptions, client_id: str, **tuning: Any) -> AIOKafkaProducer:
    """The project's producer: idempotent, acks=all, the connection's security settings.
    `tuning` (linger_ms, max_batch_size) is for the benchmark's load generator."""
    options: dict[str, Any] = {
        "linger_ms": 5,
        "max_batch_size": 256 * 1024,
        "compression_type": None,
        "max_request_size": MAX_REQUEST_BYTES,
        **tuning,
    }
    return AIOKafkaProducer(
        **client_options(kafka), client_id=client_id, acks="all", enable_idempotence=True, **options
    )


class KafkaSender:
    def __init__(self, producer: AIOKafkaProducer, timeout_s: float = 60.0) -> None:
        self.producer = producer
        self.timeout_s = timeout_s
        self.max_record_bytes: int = getattr(producer, "_max_request_size", MAX_REQUEST_BYTES)

    async def send(self, record: OutgoingRecord) -> asyncio.Future[Any]:
        """Hand one record to the producer; the future resolves when the broker acknowledges it."""
        future: asyncio.Future[Any] = await self.producer.send(
            record.topic, record.value, key=record.key, headers=record.headers
        )
        return future

    async def send_all(self, records: Sequence[OutgoingRecord]) -> None:
        """All sends pipelined; waits for every acknowledgement, at most `timeout_s`.

        The bound turns a produce that never completes (seen with aiokafka's idempotent
        producer across a broker restart) into an error: the batch is retried and logged,
        instead of a partition that silently stops.

        Every record's size is checked first: a record over the producer's limit raises
        `RecordTooLarge` before anything is sent, so a retried batch publishes nothing twice.

        Records are put in one record batch per partition, in their order, on the partition
        the producer's own partitioner would choose (`partition_of`), and each batch is handed
        to the producer whole: one future per partition instead of one per record (and no
        pure-Python hash per record). Records without a key go one by one, after."""
        for record in records:
            size = record_size(record)
            if size > self.max_record_bytes:
                raise RecordTooLarge(record, size, self.max_record_bytes)
        futures: list[asyncio.Future[Any]] = []
        partitions: dict[str, list[int]] = {}
        batches: dict[tuple[str, int], Any] = {}
        keyless = []
        for record in records:
            if record.key is None:
                keyless.append(record)
                continue
            if record.topic not in partitions:
                partitions[record.topic] = sorted(await self.producer.partitions_for(record.topic))
            where = (record.topic, partition_of(record.key, partitions[record.topic]))
            batch = batches.get(where)
            if (
                batch is None
                or batch.append(timestamp=None, key=record.key, value=record.value, headers=record.headers) is None
            ):
                if batch is not None:  # full: on its way, and a new one for the rest
                    futures.append(await self._send_batch(batch, where))
                batch = batches[where] = self.producer.create_batch()
                batch.append(timestamp=None, key=record.key, value=record.value, headers=record.headers)
        for where, batch in batches.items():
            futures.append(await self._send_batch(batch, where))
        futures += [await self.send(r) for r in keyless]
        await asyncio.wait_for(asyncio.gather(*futures), self.timeout_s)

    async def _send_batch(self, batch: Any, where: tuple[str, int]) -> asyncio.Future[Any]:
        batch.close()  # complete: the producer sends it without waiting for more (linger)
        future: asyncio.Future[Any] = await self.producer.send_batch(batch, where[0], partition=where[1])
        return future


def partition_of(key: bytes, partitions: Sequence[int]) -> int:
    """The partition of a keyed record, as the producer's default partitioner chooses it (and
    Kafka's Java client): murmur2 of the key, positive, modulo the number of partitions."""
    return partitions[(murmur2(key) & 0x7FFFFFFF) % len(partitions)]


@functools.lru_cache(maxsize=4096)
def murmur2(data: bytes) -> int:
    """`aiokafka.partitioner.murmur2` (Kafka's `Utils.murmur2`), a word at a time, remembered
    for the last few thousand keys (a pair's records come together)."""
    length = len(data)
    m, h = 0x5BD1E995, (0x9747B28C ^ length) & 0xFFFFFFFF
    body = length & ~3
    for (k,) in struct.iter_unpack("<I", data[:body]):
        k = (k * m) & 0xFFFFFFFF
        k = ((k ^ (k >> 24)) * m) & 0xFFFFFFFF
        h = ((h * m) & 0xFFFFFFFF) ^ k
    tail = length & 3
    if tail >= 3:
        h ^= data[body + 2] << 16
    if tail >= 2:
        h ^= data[body + 1] << 8
    if tail >= 1:
        h = ((h ^ data[body]) * m) & 0xFFFFFFFF
    h ^= h >> 13
    h = (h * m) & 0xFFFFFFFF
    return h ^ (h >> 15)


@contextlib.asynccontextmanager
async def kafka_sender(kafka: KafkaOptions, client_id: str, **tuning: Any) -> AsyncIterator[KafkaSender]:
    """A started producer for the length of the block (for tools that send and leave)."""
    producer = new_producer(kafka, client_id, **tuning)
    await producer.start()
    try:
        yield KafkaSender(producer)
    finally:
        await producer.stop()


# --- partitions in ----------------------------------------------------------------------------


@contextlib.asynccontextmanager
async def admin_client(kafka: KafkaOptions, **options: Any) -> AsyncIterator[AIOKafkaAdminClient]:
    """A started admin client (topics, consumer groups) for the length of the block."""
    admin = AIOKafkaAdminClient(**client_options(kafka), **options)
    await admin.start()
    try:
        yield admin
    finally:
        await admin.close()


async def partitions_of(kafka: KafkaOptions, topic: str) -> list[TopicPartition]:
    """The topic's partitions, from the broker (a fresh consumer has no metadata yet)."""
    async with admin_client(kafka) as admin:
        [description] = await admin.describe_topics([topic])
    if description.get("error_code"):
        raise RuntimeError(f"topic {topic} not found: run `hiring-pipeline infra up`")
    return sorted(TopicPartition(topic, p["partition"]) for p in description["partitions"])


class TopicReader:
    """A consumer assigned every partition of one topic (no group rebalancing: a group id,
    when given, is only for reading and committing that group's offsets)."""

    def __init__(self, consumer: AIOKafkaConsumer, partitions: list[TopicPartition]) -> None:
        self.consumer = consumer
        self.partitions = partitions

    async def beginning(self) -> Offsets:
        return dict(await self.consumer.beginning_offsets(self.partitions))

    async def end(self) -> Offsets:
        return dict(await self.consumer.end_offsets(self.partitions))

    async def committed_or_beginning(self) -> Offsets:
        """Where the reader's group stopped, else (or when that was cleaned away) the beginning."""
        beginning = await self.beginning()
        start = {}
        for tp in self.partitions:
            committed = await self.consumer.committed(tp)
            start[tp] = beginning[tp] if committed is None else max(committed, beginning[tp])
        return start

    async def batches(
        self, start: Offsets, end: Offsets | None = None, *, timeout_ms: int = 200, max_records: int | None = None
    ) -> AsyncIterator[list[ConsumerRecord]]:
        """The records from `start`, one fetch at a time, in partition order. With `end`, only
        records before it, and the iteration stops once every partition reached it; without,
        it follows the topic until the caller stops. A fetch may be empty, so a caller can
        check a deadline or a condition between fetches."""
        for tp, offset in start.items():
            self.consumer.seek(tp, offset)
        remaining = set(start) if end is None else {tp for tp in start if start[tp] < end[tp]}
        while remaining:
            fetched = await self.consumer.getmany(*remaining, timeout_ms=timeout_ms, max_records=max_records)
            yield [r for tp, got in sorted(fetched.items()) for r in got if end is None or r.offset < end[tp]]
            if end is not None:
                for tp in list(remaining):
                    if await self.consumer.position(tp) >= end[tp]:
                        remaining.discard(tp)


@contextlib.asynccontextmanager
async def open_topic(
    kafka: KafkaOptions, topic: str, *, group_id: str | None = None, **tuning: Any
) -> AsyncIterator[TopicReader]:
    """A `TopicReader` of `topic` for the length of the block. Offsets are never committed
    on their own (`enable_auto_commit=False`): a reader with a group commits explicitly."""
    consumer = AIOKafkaConsumer(**client_options(kafka), group_id=group_id, enable_auto_commit=False, **tuning)
    await consumer.start()
    try:
        partitions = await partitions_of(kafka, topic)
        consumer.assign(partitions)
        yield TopicReader(consumer, partitions)
    finally:
        await stop_consumer(consumer)


async def end_offsets(kafka: KafkaOptions, topic: str) -> Offsets:
    """Where the topic ends now: what a reader waits past to see only newer records."""
    async with open_topic(kafka, topic) as reader:
        return await reader.end()


async def stop_consumer(consumer: AIOKafkaConsumer) -> None:
    """`consumer.stop()`, keeping a cancellation of our own task whichever way aiokafka 0.14
    answers it.

    Its fetcher's `close()` awaits its fetch task under `suppress(CancelledError)`: a task
    cancelled while it waits there returns normally, and a loop around it (a lag sampler, a
    topic watcher) runs on forever (seen: one cancellation in a few hundred). And a group-less
    consumer whose internal task never ran raises a CancelledError that is not ours. So the
    task's pending cancellation requests are counted before and after: more after is ours,
    raised; none new is aiokafka's, swallowed."""
    task = asyncio.current_task()
    before = task.cancelling() if task is not None else 0
    try:
        await consumer.stop()
    except asyncio.CancelledError:
        if task is not None and task.cancelling() > before:
            raise
        return
    if task is not None and task.cancelling() > before:
        raise asyncio.CancelledError
