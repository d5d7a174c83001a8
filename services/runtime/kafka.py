"""Outgoing records and the producer behind them.

Services publish through a `RecordSender`: the real one is an idempotent aiokafka
producer (acks=all) that sends a whole batch pipelined and returns only when the broker
has acknowledged every record; unit tests use an in-memory list. FastStream does the
consuming; raw aiokafka does the producing, because dead letters must keep the original
header bytes and FastStream's publish takes only string headers.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient


KafkaOptions = str | Mapping[str, Any]
"""Where and how to connect: a plain address ("127.0.0.1:9092"), or the aiokafka client
options of `KafkaConnection.kafka_options()` (bootstrap servers plus SASL/SSL)."""


def client_options(kafka: KafkaOptions) -> dict[str, Any]:
    return {"bootstrap_servers": kafka} if isinstance(kafka, str) else dict(kafka)


def address(kafka: KafkaOptions) -> str:
    """The bootstrap servers only: safe to print (never credentials)."""
    return str(client_options(kafka)["bootstrap_servers"])


@dataclass(frozen=True)
class OutgoingRecord:
    topic: str
    key: bytes | None
    value: bytes
    headers: list[tuple[str, bytes]] = field(default_factory=list)


class RecordSender(Protocol):
    async def send_all(self, records: Sequence[OutgoingRecord]) -> None:
        """Return only when every record is acknowledged by the broker."""


class KafkaSender:
    def __init__(self, producer: AIOKafkaProducer, timeout_s: float = 60.0) -> None:
        self.producer = producer
        self.timeout_s = timeout_s

    async def send_all(self, records: Sequence[OutgoingRecord]) -> None:
        """All sends pipelined; waits for every acknowledgement, at most `timeout_s`.

        The bound turns a produce that never completes (seen with aiokafka's idempotent
        producer across a broker restart) into an error: the batch is retried and logged,
        instead of a partition that silently stops."""
        futures = [
            await self.producer.send(r.topic, r.value, key=r.key, headers=r.headers)
            for r in records
        ]
        await asyncio.wait_for(asyncio.gather(*futures), self.timeout_s)


def new_producer(kafka: KafkaOptions, client_id: str) -> AIOKafkaProducer:
    return AIOKafkaProducer(
        **client_options(kafka),
        client_id=client_id,
        acks="all",
        enable_idempotence=True,
        linger_ms=5,
        max_batch_size=256 * 1024,
        compression_type=None,
    )


async def partitions_of(kafka: KafkaOptions, topic: str) -> list[TopicPartition]:
    """The topic's partitions, from the broker (a fresh consumer has no metadata yet)."""
    admin = AIOKafkaAdminClient(**client_options(kafka))
    await admin.start()
    try:
        [description] = await admin.describe_topics([topic])
    finally:
        await admin.close()
    if description.get("error_code"):
        raise RuntimeError(f"topic {topic} not found: run `hiring-pipeline infra up`")
    return sorted(TopicPartition(topic, p["partition"]) for p in description["partitions"])


async def stop_consumer(consumer: AIOKafkaConsumer) -> None:
    """aiokafka 0.14's group-less consumer can raise CancelledError from `stop()` when its
    internal task never ran; swallow that one, never a cancellation of our own task."""
    try:
        await consumer.stop()
    except asyncio.CancelledError:
        task = asyncio.current_task()
        if task is not None and task.cancelling():
            raise
