"""Outgoing records and the producer behind them.

Services publish through a `RecordSender`: the real one is an idempotent aiokafka
producer (acks=all) that sends a whole batch pipelined and returns only when the broker
has acknowledged every record; unit tests use an in-memory list. FastStream does the
consuming; raw aiokafka does the producing, because dead letters must keep the original
header bytes and FastStream's publish takes only string headers.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from aiokafka import AIOKafkaProducer


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
    def __init__(self, producer: AIOKafkaProducer) -> None:
        self.producer = producer

    async def send_all(self, records: Sequence[OutgoingRecord]) -> None:
        futures = [
            await self.producer.send(r.topic, r.value, key=r.key, headers=r.headers)
            for r in records
        ]
        await asyncio.gather(*futures)


def new_producer(bootstrap_servers: str, client_id: str) -> AIOKafkaProducer:
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap_servers,
        client_id=client_id,
        acks="all",
        enable_idempotence=True,
        linger_ms=5,
        max_batch_size=256 * 1024,
        compression_type=None,
    )
