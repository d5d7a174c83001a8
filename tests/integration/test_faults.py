"""Faults while events flow: nothing lost, nothing doubled, the right decision per pair.

Each scenario publishes a known loop (hundreds of events: edits, duplicates, red flags),
injects its fault mid-stream, waits until every pair's published decision equals the dry
run of the same events, then checks the invariants and prints what it injected and counted.
"""

import asyncio

import pytest

from hiring_pipeline.devstack import infra
from tests.pipeline import Service, check, loop_events, marks, publish, settle, tag, wait_ready

pytestmark = pytest.mark.integration
CANDIDATES = 60


async def publish_in_chunks(bootstrap, events, chunks, gap):
    size = -(-len(events) // chunks)
    for start in range(0, len(events), size):
        await publish(bootstrap, events[start : start + size])
        await asyncio.sleep(gap)


@pytest.fixture
def log_dir(tmp_path):
    return tmp_path


async def run_scenario(stack, log_dir, inject, *, name: str, services=("scoring", "aggregation")):
    events = loop_events(tag(), CANDIDATES)
    since_dlq, since_rec = await marks(stack)
    running = {n: Service(n) for n in services}
    for service in running.values():
        service.start(log_dir)
    try:
        await wait_ready(*running.values())
        # The stream: ten chunks over about two seconds; the fault lands in the middle of it.
        stream = asyncio.create_task(publish_in_chunks(stack.kafka_bootstrap_servers, events, chunks=10, gap=0.2))
        await asyncio.sleep(0.5)
        injected = await inject(running, log_dir)
        await stream
        await settle(stack.kafka_bootstrap_servers, events, since=since_rec, timeout=120)
        result = await check(stack, events, since_dlq, since_rec)
    finally:
        for service in running.values():
            service.stop()
    print(f"\n[{name}] injected: {injected}; checked: {result.summary()}")
    assert result.scored_rows == result.events  # every valid event scored exactly once
    assert result.settled_pairs == result.pairs  # exactly the correct final recommendation
    assert result.version_problems == []  # versions strictly increasing per pair
    assert result.dead_letters == 0  # nothing valid was dead-lettered
    return result


async def test_kill_9_of_scoring_mid_stream_then_restart(stack, log_dir):
    async def inject(services, log_dir):
        services["scoring"].kill9()
        services["scoring"].start(log_dir)
        return "SIGKILL to scoring 0.5 s into a 2 s stream, then a restart"

    await run_scenario(stack, log_dir, inject, name="kill -9 scoring")


async def test_kill_9_of_aggregation_mid_stream_then_restart(stack, log_dir):
    async def inject(services, log_dir):
        services["aggregation"].kill9()
        services["aggregation"].start(log_dir)
        return "SIGKILL to aggregation 0.5 s into a 2 s stream, then a restart"

    await run_scenario(stack, log_dir, inject, name="kill -9 aggregation")


async def test_the_broker_stopped_for_seconds_and_restarted_while_both_services_run(stack, log_dir):
    async def inject(services, log_dir):
        kafka = infra.LocalKafka(stack)
        await asyncio.to_thread(kafka.stop)
        await asyncio.sleep(5)
        await infra.up(stack)
        return "Kafka broker stopped for 5 s (SIGTERM) and restarted"

    await run_scenario(stack, log_dir, inject, name="broker restart")


async def test_postgres_stopped_for_seconds_makes_services_not_ready_and_they_recover(stack, log_dir):
    observed = {}

    async def inject(services, log_dir):
        postgres = infra.LocalPostgres(stack)
        await asyncio.to_thread(postgres.stop)
        await asyncio.sleep(2)
        observed["ready_while_down"] = {n: await asyncio.to_thread(s.ready_status) for n, s in services.items()}
        await asyncio.sleep(3)
        await asyncio.to_thread(postgres.start)
        return f"PostgreSQL stopped for 5 s; readiness while down: {observed['ready_while_down']}"

    await run_scenario(stack, log_dir, inject, name="postgres restart")
    assert observed["ready_while_down"] == {"scoring": 503, "aggregation": 503}


async def test_a_second_aggregation_instance_joins_and_leaves_mid_stream(stack, log_dir):
    async def inject(services, log_dir):
        second = Service("aggregation")
        second.start(log_dir)
        await wait_ready(second)
        await asyncio.sleep(2)  # the group rebalances and the second instance takes partitions
        second.stop()
        return "a second aggregation instance joined (rebalance) and left (rebalance)"

    await run_scenario(stack, log_dir, inject, name="rebalance")
