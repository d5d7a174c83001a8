"""/metrics: the process's own metrics, and consumer lag per assigned partition."""

from __future__ import annotations

from aiokafka import TopicPartition
from prometheus_client import CollectorRegistry, generate_latest

from services.runtime.http import HealthApp
from services.runtime.lag import consumer_lag_refresher


class FakeConsumer:
    def __init__(self, ends: dict[TopicPartition, int | None], positions: dict[TopicPartition, int]) -> None:
        self.ends = ends
        self.positions = positions

    def assignment(self) -> set[TopicPartition]:
        return set(self.ends)

    def highwater(self, tp: TopicPartition) -> int | None:
        return self.ends[tp]

    async def position(self, tp: TopicPartition) -> int:
        return self.positions[tp]


async def get(app: HealthApp, path: str) -> tuple[int, str]:
    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request"}

    await app({"type": "http", "path": path}, receive, send)
    return sent[0]["status"], sent[1]["body"].decode()


async def test_metrics_have_the_process_metrics():
    status, body = await get(HealthApp({}, CollectorRegistry()), "/metrics")
    assert status == 200
    for name in ("process_cpu_seconds_total", "process_resident_memory_bytes", "process_open_fds", "python_info"):
        assert f"\n{name}" in body or body.startswith(name)


def test_process_metrics_are_registered_once_per_registry():
    registry = CollectorRegistry()
    HealthApp({}, registry)
    HealthApp({}, registry)  # a second app on the same registry: no duplicate registration
    assert generate_latest(registry).decode().count("\nprocess_cpu_seconds_total ") == 1


async def test_consumer_lag_per_assigned_partition_read_at_scrape_time():
    registry = CollectorRegistry()
    a, b, c = (TopicPartition("ats.interview-completed.v1", p) for p in (0, 1, 2))
    consumer = FakeConsumer({a: 10, b: 7, c: None}, {a: 4, b: 7, c: 0})
    current = {"consumer": None}
    app = HealthApp({}, registry, refresh=[consumer_lag_refresher(registry, "scoring", lambda: current["consumer"])])

    _, before = await get(app, "/metrics")
    assert "kafka_consumer_lag{" not in before  # not started yet: no series

    current["consumer"] = consumer
    _, body = await get(app, "/metrics")
    assert 'kafka_consumer_lag{group="scoring",partition="0",topic="ats.interview-completed.v1"} 6.0' in body
    assert 'kafka_consumer_lag{group="scoring",partition="1",topic="ats.interview-completed.v1"} 0.0' in body
    assert 'partition="2"' not in body  # nothing fetched from it yet

    consumer.ends = {b: 9}  # a rebalance took partition 0 away
    _, after = await get(app, "/metrics")
    assert 'partition="0"' not in after
    assert 'kafka_consumer_lag{group="scoring",partition="1",topic="ats.interview-completed.v1"} 2.0' in after
