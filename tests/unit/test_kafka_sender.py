"""The sender puts records in one record batch per partition: on the partition the producer's
own partitioner chooses, in their order, each batch handed over whole."""

from __future__ import annotations

import asyncio
import random
from typing import Any

from aiokafka.partitioner import DefaultPartitioner
from aiokafka.partitioner import murmur2 as aiokafka_murmur2
from aiokafka.producer.message_accumulator import BatchBuilder
from aiokafka.record.default_records import DefaultRecordBatch

from services.runtime.kafka import KafkaSender, OutgoingRecord, murmur2, partition_of


def test_the_partition_is_the_default_partitioners_for_every_key():
    rng = random.Random(3)
    for _ in range(50_000):
        key = rng.randbytes(rng.randint(0, 90))
        partitions = list(range(rng.randint(1, 13)))
        assert murmur2(key) == aiokafka_murmur2(key)
        assert partition_of(key, partitions) == DefaultPartitioner()(key, partitions, partitions)
    for key in ["cand-1:backend-engineer", "名前:backend-engineer", "🙂" * 50]:
        assert murmur2(key.encode()) == aiokafka_murmur2(key.encode())


class Producer:
    """What KafkaSender uses of aiokafka's producer; batches are kept, not sent."""

    _max_request_size = 1_048_576

    def __init__(self, partitions: int = 6, batch_size: int = 16_384) -> None:
        self.partitions, self.batch_size = set(range(partitions)), batch_size
        self.batches: list[tuple[str, int, list[Any]]] = []
        self.single: list[tuple[str, Any]] = []

    async def partitions_for(self, topic: str) -> set[int]:
        return self.partitions

    def create_batch(self) -> BatchBuilder:
        return BatchBuilder(self.batch_size, 0)

    async def send_batch(self, batch: BatchBuilder, topic: str, *, partition: int) -> asyncio.Future[Any]:
        assert batch.closed()
        records = list(DefaultRecordBatch(bytes(batch._build())))
        self.batches.append((topic, partition, [(r.key, r.value, list(r.headers)) for r in records]))
        return _done()

    async def send(self, topic: str, value: bytes, *, key: bytes | None, headers: Any) -> asyncio.Future[Any]:
        self.single.append((topic, value))
        return _done()


def _done() -> asyncio.Future[Any]:
    future = asyncio.get_running_loop().create_future()
    future.set_result(None)
    return future


async def test_records_go_in_one_batch_per_partition_in_their_order_and_keyless_ones_alone():
    producer = Producer()
    records = [
        OutgoingRecord("t", f"cand-{n % 40}:role".encode(), f"v{n}".encode(), [("h", str(n).encode())])
        for n in range(300)
    ]
    records += [OutgoingRecord("other", None, b"no key"), OutgoingRecord("other", b"k", b"other topic")]
    await KafkaSender(producer).send_all(records)  # type: ignore[arg-type]
    assert producer.single == [("other", b"no key")]
    sent = {(topic, partition): batch for topic, partition, batch in producer.batches}
    assert len(sent) == len(producer.batches)  # one batch per partition
    for (topic, partition), batch in sent.items():
        expected = [
            r for r in records if r.topic == topic and r.key is not None and partition_of(r.key, range(6)) == partition
        ]
        assert batch == [(r.key, r.value, r.headers) for r in expected]


async def test_a_full_batch_goes_and_the_partitions_records_continue_in_the_next_in_order():
    producer = Producer(partitions=1, batch_size=1_000)
    records = [OutgoingRecord("t", b"k", bytes([65 + n % 26]) * 300) for n in range(20)]
    await KafkaSender(producer).send_all(records)  # type: ignore[arg-type]
    assert len(producer.batches) > 1
    assert [value for _, _, batch in producer.batches for _, value, _ in batch] == [r.value for r in records]
