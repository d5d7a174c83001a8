"""Producing and reading real Kafka records in tests, through the project's own Kafka edge."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence

from aiokafka import ConsumerRecord

from services.runtime.kafka import KafkaOptions, Offsets, OutgoingRecord, end_offsets, kafka_sender, open_topic

__all__ = ["end_offsets", "keys_in", "produce", "read_until"]


async def produce(
    kafka: KafkaOptions,
    topic: str,
    records: Iterable[tuple[bytes | None, bytes | None]],
    headers: Iterable[tuple[str, bytes]] = (),
) -> None:
    """Send (key, value) pairs as they are, hostile ones included, and wait for every ack."""
    async with kafka_sender(kafka, "tests") as sender:
        await sender.send_all([OutgoingRecord(topic, key, value, list(headers)) for key, value in records])


async def read_until(
    kafka: KafkaOptions,
    topic: str,
    done: Callable[[list[ConsumerRecord]], bool],
    *,
    keep: Callable[[ConsumerRecord], bool] = lambda r: True,
    since: Offsets | None = None,
    timeout: float = 30.0,
) -> list[ConsumerRecord]:
    """Read `topic` (from `since`, else the beginning) until `done(kept records)` or timeout."""
    kept: list[ConsumerRecord] = []
    async with open_topic(kafka, topic) as reader:
        start = {**await reader.beginning(), **(since or {})}
        deadline = time.monotonic() + timeout
        if done(kept):
            return kept
        async for records in reader.batches(start, timeout_ms=250):
            kept.extend(r for r in records if keep(r))
            if done(kept) or time.monotonic() >= deadline:
                break
    return kept


def keys_in(keys: Sequence[bytes]) -> Callable[[ConsumerRecord], bool]:
    wanted = set(keys)
    return lambda r: r.key in wanted
