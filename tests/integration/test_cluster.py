"""A three-broker KRaft cluster started by `hiring-pipeline infra up` (three `kafka.Kafka`
processes on 127.0.0.1): topics replicated three times with min.insync.replicas 2, and the
pipeline keeps deciding, losing and doubling nothing, while one broker is killed (SIGKILL)
and restarted. Small heaps and a short stream keep it to a minute or two."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import time

import pytest

from hiring_pipeline.devstack import infra
from hiring_pipeline.devstack.settings import InfraSettings
from tests.e2e.cli import run
from tests.pipeline import Service, check, loop_events, marks, publish, settle, tag, wait_ready

pytestmark = pytest.mark.integration
CANDIDATES = 30


def _free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def cluster_ports() -> list[int]:
    """Three brokers, each with three consecutive ports (client, controller, SASL), in 51000-51999."""
    start = 51000 + (os.getpid() % 100) * 9
    for offset in range(0, 999, 9):
        base = 51000 + (start - 51000 + offset) % 990
        if all(_free(p) for p in range(base, base + 9)):
            return [base, base + 3, base + 6]
    raise RuntimeError("no free ports for a three-broker cluster in 51000-51999")


@pytest.fixture(scope="module")
def cluster(stack, tmp_path_factory):
    state = tmp_path_factory.mktemp("cluster")
    jars = stack.state_dir / "kafka" / "libs"
    if jars.exists():  # the jars of the stack's broker, rather than a second copy
        (state / "kafka").mkdir()
        (state / "kafka" / "libs").symlink_to(jars)
    bootstrap = ",".join(f"127.0.0.1:{p}" for p in cluster_ports())
    database_url = stack.database_url.rsplit("/", 1)[0] + "/hiring_cluster"
    env = {
        "HIRING_PIPELINE_STATE_DIR": str(state),
        "KAFKA_BOOTSTRAP_SERVERS": bootstrap,
        "DATABASE_URL": database_url,
        "KAFKA_HEAP": "256m",
    }
    try:
        started = run("infra", "up", env=env, timeout=240)
        assert started.returncode == 0, started.stderr
        yield InfraSettings(state_dir=state, kafka_bootstrap_servers=bootstrap, database_url=database_url), env
    finally:
        run("infra", "down", env=env, timeout=180)


async def wait_for_status(settings: InfraSettings, up: bool, timeout: float = 60) -> infra.Status:
    deadline = time.monotonic() + timeout
    while True:
        status = await infra.topics_status(settings.kafka_options())
        if status.up == up or time.monotonic() > deadline:
            return status
        await asyncio.sleep(1)


async def test_topics_are_replicated_three_times_and_status_says_so(cluster):
    _, env = cluster
    result = run("infra", "status", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 brokers" in result.stdout
    assert "replication factor 3, min.insync.replicas 2, all partitions in sync" in result.stdout


async def test_the_pipeline_keeps_deciding_while_a_broker_is_killed_and_restarted(cluster, tmp_path):
    settings, env = cluster
    service_env = {k: env[k] for k in ("KAFKA_BOOTSTRAP_SERVERS", "DATABASE_URL")}
    events = loop_events(tag(), CANDIDATES)
    since_dlq, since_rec = await marks(settings)
    services = [Service("scoring", env=service_env), Service("aggregation", env=service_env)]
    victim = infra.LocalKafka(settings).nodes[0]  # the first bootstrap address, where clients start
    for service in services:
        service.start(tmp_path)
    try:
        await wait_ready(*services)
        half = len(events) // 2
        await publish(settings.kafka_bootstrap_servers, events[: half // 2])
        await asyncio.to_thread(victim.kill)
        # Two brokers left: min.insync.replicas 2 still takes acks=all writes.
        await publish(settings.kafka_bootstrap_servers, events[half // 2 : half])
        degraded = await wait_for_status(settings, up=False, timeout=30)
        assert "under-replicated" in degraded.detail or "offline" in degraded.detail
        report = run("infra", "status", env=env)
        assert report.returncode == 1 and "under-replicated" in report.stdout
        await publish(settings.kafka_bootstrap_servers, events[half:])
        restarted = run("infra", "up", env=env, timeout=120)  # starts only the missing broker
        assert restarted.returncode == 0, restarted.stderr
        await settle(settings.kafka_bootstrap_servers, events, since=since_rec, timeout=120)
        result = await check(settings, events, since_dlq, since_rec)
        healed = await wait_for_status(settings, up=True, timeout=60)
        assert healed.up, healed.detail
    finally:
        for service in services:
            service.stop()
        with contextlib.suppress(Exception):
            await asyncio.to_thread(victim.start)
    print(f"\n[three brokers, one killed and restarted] {result.summary()}")
    assert result.scored_rows == result.events  # every event scored exactly once
    assert result.settled_pairs == result.pairs  # the right final decision per pair
    assert result.version_problems == []
    assert result.dead_letters == 0
