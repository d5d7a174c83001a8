"""Producing and reading real Kafka records in tests."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable, Sequence

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition

from services.runtime.kafka import partitions_of, stop_consumer


async def produce(bootstrap: str, topic: str, records: Iterable[tuple[bytes | None, bytes | None]], headers=()) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True)
    try:
        await producer.start()
        futures = [await producer.send(topic, value, key=key, headers=list(headers)) for key, value in records]
        await asyncio.gather(*futures)
    finally:
        await producer.stop()


async def end_offsets(bootstrap: str, topic: str) -> dict[TopicPartition, int]:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap)
    await consumer.start()
    try:
        partitions = await partitions_of(bootstrap, topic)
        consumer.assign(partitions)
        return await consumer.end_offsets(partitions)
    finally:
        await stop_consumer(consumer)


async def read_until(
    bootstrap: str,
    topic: str,
    done: Callable[[list[ConsumerRecord]], bool],
    *,
    keep: Callable[[ConsumerRecord], bool] = lambda r: True,
    since: dict[TopicPartition, int] | None = None,
    timeout: float = 30.0,
) -> list[ConsumerRecord]:
    """Read `topic` (from `since`, else the beginning) until `done(kept records)` or timeout."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    kept: list[ConsumerRecord] = []
    try:
        partitions = await partitions_of(bootstrap, topic)
        consumer.assign(partitions)
        for tp in partitions:
            if since and tp in since:
                consumer.seek(tp, since[tp])
            else:
                await consumer.seek_to_beginning(tp)
        deadline = time.monotonic() + timeout
        while not done(kept) and time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=250)
            for records in batch.values():
                kept.extend(r for r in records if keep(r))
        return kept
    finally:
        await stop_consumer(consumer)


def keys_in(keys: Sequence[bytes]) -> Callable[[ConsumerRecord], bool]:
    wanted = set(keys)
    return lambda r: r.key in wanted
