"""The pipeline benchmark: both services as processes, against the real broker and database.

    hiring-pipeline bench [--events N] [--rate R] [--duration S] [--json PATH] [--chart PATH]
    python -m hiring_pipeline.devstack.benchmark ...

Phases, all in one run so the figures can be compared as ratios (machines are noisy):
1. publish N interview events (no service running) - the producer's rate;
2. baseline: a pass-through consumer-producer moves those N records to a scratch topic,
   with no scoring and no database - the ceiling this broker and client allow here;
3. scoring on its own drains the N events; 4. aggregation on its own drains the N scored
   events; 5. end to end: N new events with both services running, until the last
   recommendation; 6. latency: events at a fixed rate for a fixed time, from publishing an
   interview to the first recommendation that counts it.
CPU seconds per event and peak RSS of each service process come from /proc.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiokafka import ConsumerRecord
from aiokafka.admin import NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from benchmarks.workload import corpus_notes
from hiring_pipeline.devstack.processes import ServiceGroup
from schemas import topics
from schemas.events import InterviewCompleted
from services.runtime.kafka import (
    KafkaOptions,
    Offsets,
    OutgoingRecord,
    TopicReader,
    admin_client,
    end_offsets,
    event_record,
    kafka_sender,
    open_topic,
)
from services.runtime.settings import ProcessSettings

PASSTHROUGH_TOPIC = "bench.passthrough"
ROLES = ["backend-engineer", "java-backend-engineer", "node-backend-engineer"]
RATINGS = ["no", "mixed", "yes", "yes", "strong_yes", None]


# --- workload ----------------------------------------------------------------------------


def workload(tag: str, events: int, seed: int = 7) -> list[InterviewCompleted]:
    """Loops of three interviews per candidate, five competencies, each note one to three
    notes of the labelled corpus joined (many interviewers' words, every length and style:
    no cache serves a repeated sentence).

    Deterministic for a given tag and seed; every run has a fresh tag, so fresh event ids."""
    rng = random.Random(f"{tag}:{seed}")
    notes_by_competency = corpus_notes()
    competencies = sorted(notes_by_competency)
    result = []
    for n in range((events + 2) // 3):
        candidate, role = f"{tag}-{n}", ROLES[n % 3]
        for i, part in enumerate([competencies[:2], competencies[2:4], competencies[4:]]):
            assessments = []
            for competency in part:
                notes = " ".join(rng.sample(notes_by_competency[competency], rng.randint(1, 3)))
                assessments.append({"competency": competency, "rating": rng.choice(RATINGS), "notes": notes})
            result.append(
                InterviewCompleted.model_validate(
                    {
                        "event_id": str(uuid.UUID(int=rng.getrandbits(128))),
                        "occurred_at": "2026-11-20T14:00:00Z",
                        "interview_id": f"{candidate}-i{i}",
                        "revision": 1,
                        "candidate_id": candidate,
                        "role_id": role,
                        "interviewer_id": f"intv-{i}",
                        "assessments": assessments,
                    }
                )
            )
    return result[:events]


def records(events: list[InterviewCompleted]) -> list[OutgoingRecord]:
    """The records an ATS would publish (the same as `hiring-pipeline publish` sends)."""
    return [event_record(topics.INTERVIEW_COMPLETED, e) for e in events]


def interviews_per_pair(events: list[InterviewCompleted]) -> dict[bytes, int]:
    """How many interviews each pair's last recommendation must count: when it does, every
    event of the pair went through."""
    wanted: dict[bytes, int] = {}
    for e in events:
        wanted[e.key.encode()] = wanted.get(e.key.encode(), 0) + 1
    return wanted


def counted_in(record: ConsumerRecord) -> int:
    return len(json.loads(record.value)["interviews"])


# --- processes -----------------------------------------------------------------------------


BENCH_ENV = {"LOG_LEVEL": "WARNING", "BATCH_MAX_RECORDS": "1000"}
LOAD_GENERATOR = {"linger_ms": 5, "max_batch_size": 512 * 1024}
"""The benchmark's producers batch more than the services' (it only sends)."""


# --- Kafka helpers ---------------------------------------------------------------------------


async def produce_all(kafka: KafkaOptions, batch: list[OutgoingRecord]) -> float:
    """Send as fast as the broker takes them; return the elapsed seconds."""
    async with kafka_sender(kafka, "bench-load", **LOAD_GENERATOR) as sender:
        started = time.perf_counter()
        await sender.send_all(batch)
        return time.perf_counter() - started


Keep = Callable[[ConsumerRecord, float], Any]


class TopicWatcher:
    """Reads a topic from given offsets in the background, keeping what `keep(record, now)` returns."""

    def __init__(self, kafka: KafkaOptions, topic: str, since: Offsets, keep: Keep) -> None:
        self.kafka, self.topic, self.since, self.keep = kafka, topic, since, keep
        self.items: list[Any] = []
        self.task: asyncio.Task[None] | None = None
        self._reader = contextlib.AsyncExitStack()

    async def __aenter__(self) -> TopicWatcher:
        reader = await self._reader.enter_async_context(
            open_topic(self.kafka, self.topic, fetch_max_bytes=50 * 1024 * 1024)
        )
        self.task = asyncio.create_task(self._run(reader))
        return self

    async def _run(self, reader: TopicReader) -> None:
        async for batch in reader.batches(self.since, timeout_ms=100, max_records=5000):
            now = time.time()
            for record in batch:
                item = self.keep(record, now)
                if item is not None:
                    self.items.append(item)

    async def __aexit__(self, *exc: object) -> None:
        assert self.task is not None
        self.task.cancel()
        await asyncio.gather(self.task, return_exceptions=True)
        await self._reader.aclose()


async def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not happen within {timeout:.0f}s")
        await asyncio.sleep(0.05)


async def ensure_topic(kafka: KafkaOptions, name: str, partitions: int = 6) -> None:
    async with admin_client(kafka) as admin:
        if name not in await admin.list_topics():
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics([NewTopic(name, partitions, 1)])


async def passthrough(kafka: KafkaOptions, since: Offsets, count: int) -> float:
    """The baseline: consume `count` records and produce each unchanged, committing per batch."""
    await ensure_topic(kafka, PASSTHROUGH_TOPIC)
    group = f"bench-passthrough-{uuid.uuid4().hex[:6]}"
    async with (
        open_topic(kafka, topics.INTERVIEW_COMPLETED, group_id=group, fetch_max_bytes=50 * 1024 * 1024) as reader,
        kafka_sender(kafka, "bench-passthrough", **LOAD_GENERATOR) as sender,
    ):
        moved = 0
        started = time.perf_counter()
        async for batch in reader.batches(since, timeout_ms=100, max_records=1000):
            await sender.send_all([OutgoingRecord(PASSTHROUGH_TOPIC, r.key, r.value) for r in batch])
            await reader.consumer.commit()
            moved += len(batch)
            if moved >= count:
                break
        return time.perf_counter() - started


# --- the benchmark ---------------------------------------------------------------------------


def progress(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


@dataclass
class Bench:
    """One run's setting and what it has measured so far; each phase adds its figures."""

    kafka: KafkaOptions
    events: int
    log_dir: Path
    scoring: ServiceGroup
    aggregation: ServiceGroup
    tag: str = field(default_factory=lambda: f"b{uuid.uuid4().hex[:6]}")
    figures: dict[str, Any] = field(default_factory=dict)
    lag: list[list[float]] = field(default_factory=list)
    latency: list[tuple[float, float]] = field(default_factory=list)

    def services(self) -> dict[str, ServiceGroup]:
        return {"scoring": self.scoring, "aggregation": self.aggregation}


async def run(
    bootstrap: KafkaOptions, events: int, rate: float, duration: float, log_dir: Path, scoring_instances: int = 1
) -> dict[str, Any]:
    bench = Bench(
        bootstrap,
        events,
        log_dir,
        ServiceGroup("scoring", scoring_instances, BENCH_ENV),
        ServiceGroup("aggregation", 1, BENCH_ENV),
    )
    bench.figures.update(
        {
            "events": events,
            "rate": rate,
            "duration_s": duration,
            "machine": machine(),
            "scoring_instances": scoring_instances,
        }
    )
    try:
        backlog, since = await publish_backlog(bench)
        await measure_passthrough(bench, since[topics.INTERVIEW_COMPLETED])
        await score_backlog(bench, backlog, since[topics.INTERVIEW_SCORED])
        await aggregate_backlog(bench, backlog, since[topics.RECOMMENDATION])
        await measure_end_to_end(bench)
        await measure_latency(bench, rate, duration)
        bench.figures["peak_rss_mb"] = {
            "scoring": bench.scoring.peak_rss_mb(),
            "aggregation": bench.aggregation.peak_rss_mb(),
        }
    finally:
        bench.scoring.stop()
        bench.aggregation.stop()
    for name in ("end_to_end", "scoring", "aggregation"):
        bench.figures[f"{name}_vs_passthrough"] = (
            bench.figures[f"{name}_events_per_s"] / bench.figures["passthrough_events_per_s"]
        )
    bench.figures["timeline"] = {"lag": bench.lag, "latency": bench.latency}
    return bench.figures


async def publish_backlog(bench: Bench) -> tuple[list[InterviewCompleted], dict[str, Offsets]]:
    """1. N interview events published with no service running: the producer's rate. Returns
    them and where each topic ended before, so later phases see only this run's records."""
    progress(f"publishing {bench.events} events")
    backlog = workload(f"{bench.tag}a", bench.events)
    since = {
        t: await end_offsets(bench.kafka, t)
        for t in (topics.INTERVIEW_COMPLETED, topics.INTERVIEW_SCORED, topics.RECOMMENDATION)
    }
    bench.figures["publish_events_per_s"] = bench.events / await produce_all(bench.kafka, records(backlog))
    return backlog, since


async def measure_passthrough(bench: Bench, since: Offsets) -> None:
    """2. The pass-through baseline over the same records."""
    progress("pass-through baseline")
    bench.figures["passthrough_events_per_s"] = bench.events / await passthrough(bench.kafka, since, bench.events)


async def score_backlog(bench: Bench, backlog: list[InterviewCompleted], since: Offsets) -> None:
    """3. Scoring on its own drains the backlog (aggregation not started yet)."""
    progress("scoring on its own")
    keys = {e.key.encode() for e in backlog}

    def scored_at(record: ConsumerRecord, now: float) -> float | None:
        return record.timestamp / 1000 if record.key in keys else None

    async with TopicWatcher(bench.kafka, topics.INTERVIEW_SCORED, since, scored_at) as scored:
        bench.scoring.start(bench.log_dir)
        bench.scoring.wait_ready()
        cpu0 = bench.scoring.cpu_seconds()
        await wait_for(lambda: len(scored.items) >= bench.events, 600, "scoring the backlog")
        bench.figures["scoring_cpu_ms_per_event"] = (bench.scoring.cpu_seconds() - cpu0) * 1000 / bench.events
        span = max(scored.items) - min(scored.items)
        bench.figures["scoring_events_per_s"] = bench.events / max(span, 1e-3)


async def aggregate_backlog(bench: Bench, backlog: list[InterviewCompleted], since: Offsets) -> None:
    """4. Aggregation on its own drains the scored backlog."""
    progress("aggregation on its own")
    wanted = interviews_per_pair(backlog)

    def counted(record: ConsumerRecord, now: float) -> tuple[bytes, int, float] | None:
        return (record.key, counted_in(record), record.timestamp / 1000) if record.key in wanted else None

    async with TopicWatcher(bench.kafka, topics.RECOMMENDATION, since, counted) as recs:
        bench.aggregation.start(bench.log_dir)
        bench.aggregation.wait_ready()
        cpu0 = bench.aggregation.cpu_seconds()
        started = time.time()

        def complete() -> bool:
            best: dict[bytes, int] = {}
            for key, n, _ in recs.items:
                best[key] = max(best.get(key, 0), n)
            return len(best) == len(wanted) and all(best[k] >= n for k, n in wanted.items())

        await wait_for(complete, 600, "aggregating the backlog")
        bench.figures["aggregation_cpu_ms_per_event"] = (bench.aggregation.cpu_seconds() - cpu0) * 1000 / bench.events
        first = min(t for _, _, t in recs.items)
        last = max(t for _, _, t in recs.items)
        bench.figures["aggregation_events_per_s"] = bench.events / max(last - min(first, started), 1e-3)


async def measure_end_to_end(bench: Bench) -> None:
    """5. N new events with both services running, until every pair counts all its
    interviews; the CPU every process on the machine spent on them."""
    progress("end to end")
    flow = workload(f"{bench.tag}e", bench.events, seed=11)
    need = interviews_per_pair(flow)
    since = await end_offsets(bench.kafka, topics.RECOMMENDATION)

    def counted(record: ConsumerRecord, now: float) -> tuple[bytes, int, float] | None:
        return (record.key, counted_in(record), now) if record.key in need else None

    async with TopicWatcher(bench.kafka, topics.RECOMMENDATION, since, counted) as recs:
        serialized = records(flow)  # the load generator's JSON work is not the pipeline's: done before the clock
        machine_cpu = machine_busy_seconds()
        process_cpu = cpu_by_process(bench.services())
        started = time.time()
        await produce_all(bench.kafka, serialized)
        done: dict[bytes, int] = {}
        seen = 0

        def all_counted() -> bool:
            nonlocal seen
            for key, n, _ in recs.items[seen:]:
                done[key] = max(done.get(key, 0), n)
            seen = len(recs.items)
            return len(done) == len(need) and all(done[k] >= n for k, n in need.items())

        await wait_for(all_counted, 900, "the end-to-end run")
        elapsed = max(t for _, _, t in recs.items) - started
        bench.figures["end_to_end_events_per_s"] = bench.events / elapsed
        after = cpu_by_process(bench.services())
        cpu = {name: (after[name] - process_cpu[name]) * 1000 / bench.events for name in after}
        cpu["machine"] = (machine_busy_seconds() - machine_cpu) * 1000 / bench.events  # everything on the machine
        bench.figures["cpu_ms_per_event_end_to_end"] = cpu
        # If the CPU were the only limit: what all cores could do at this CPU cost per event.
        bench.figures["cpu_bound_ceiling_events_per_s"] = (os.cpu_count() or 1) * 1000 / cpu["machine"]


async def measure_latency(bench: Bench, rate: float, duration: float) -> None:
    """6. Events at a fixed rate for a fixed time: from publishing an interview to the first
    recommendation that counts it; the consumer lag sampled meanwhile."""
    progress(f"latency at {rate:.0f} events/s for {duration:.0f} s")
    total = int(rate * duration)
    paced = workload(f"{bench.tag}l", total, seed=13)
    sent_at: dict[tuple[bytes, str], float] = {}
    keys = {e.key.encode() for e in paced}
    since = await end_offsets(bench.kafka, topics.RECOMMENDATION)

    def latency_of(record: ConsumerRecord, now: float) -> None:
        if record.key not in keys:
            return
        for interview in json.loads(record.value)["interviews"]:
            sent = sent_at.pop((record.key, interview["interview_id"]), None)
            if sent is not None:
                bench.latency.append((sent, now - sent))

    async with (
        TopicWatcher(bench.kafka, topics.RECOMMENDATION, since, latency_of),
        kafka_sender(bench.kafka, "bench-paced", linger_ms=1) as sender,
    ):
        lag_task = asyncio.create_task(sample_lag(bench.kafka, bench.lag))
        try:
            start = time.perf_counter()
            pending = []
            for n, event in enumerate(paced):
                delay = start + n / rate - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                sent_at[(event.key.encode(), event.interview_id)] = time.time()
                pending.append(await sender.send(event_record(topics.INTERVIEW_COMPLETED, event)))
            await asyncio.gather(*pending)
            await wait_for(lambda: len(bench.latency) >= total, 120, "the latency run's last recommendation")
        finally:
            lag_task.cancel()
            await asyncio.gather(lag_task, return_exceptions=True)
    values = [seconds * 1000 for _, seconds in bench.latency]
    bench.figures["latency_ms"] = {
        "p50": percentile(values, 50),
        "p95": percentile(values, 95),
        "p99": percentile(values, 99),
        "max": max(values),
    }
    bench.latency[:] = [(sent, seconds * 1000) for sent, seconds in bench.latency]


async def end_to_end(kafka: KafkaOptions, events: int, tag: str, log_dir: Path) -> dict[str, Any]:
    """Fresh service processes, N events published at once, until every pair counts all its
    interviews: throughput and the peak RSS the processes reached doing it."""
    scoring, aggregation = ServiceGroup("scoring", 1, BENCH_ENV), ServiceGroup("aggregation", 1, BENCH_ENV)
    flow = workload(tag, events, seed=17)
    need = interviews_per_pair(flow)
    since = await end_offsets(kafka, topics.RECOMMENDATION)
    best: dict[bytes, int] = {}

    def counted(record: ConsumerRecord, now: float) -> None:
        if record.key in need:
            best[record.key] = max(best.get(record.key, 0), counted_in(record))

    try:
        for service in (scoring, aggregation):
            service.start(log_dir)
            service.wait_ready()
        async with TopicWatcher(kafka, topics.RECOMMENDATION, since, counted):
            started = time.perf_counter()
            await produce_all(kafka, records(flow))
            await wait_for(
                lambda: len(best) == len(need) and all(best[k] >= n for k, n in need.items()),
                1800,
                f"the {events}-event run",
            )
            elapsed = time.perf_counter() - started
        return {
            "events": events,
            "end_to_end_events_per_s": events / elapsed,
            "peak_rss_mb": {"scoring": scoring.peak_rss_mb(), "aggregation": aggregation.peak_rss_mb()},
        }
    finally:
        scoring.stop()
        aggregation.stop()


async def scaling(kafka: KafkaOptions, sizes: list[int], log_dir: Path) -> list[dict[str, Any]]:
    tag = f"s{uuid.uuid4().hex[:6]}"
    results = []
    for size in sizes:
        progress(f"scaling: {size} events end to end, fresh processes")
        results.append(await end_to_end(kafka, size, f"{tag}-{size}", log_dir))
    return results


async def sample_lag(kafka: KafkaOptions, out: list[list[float]]) -> None:
    """Consumer lag of both groups every half second: end offset minus committed offset."""
    async with admin_client(kafka) as admin:
        while True:
            row: list[float] = [time.time()]
            for group, topic in (("scoring", topics.INTERVIEW_COMPLETED), ("aggregation", topics.INTERVIEW_SCORED)):
                committed = await admin.list_consumer_group_offsets(group)
                end = await end_offsets(kafka, topic)
                row.append(sum(end[tp] - committed[tp].offset for tp in end if tp in committed))
            out.append(row)
            await asyncio.sleep(0.5)


def machine_busy_seconds() -> float:
    """CPU time all cores spent not idle since boot (/proc/stat): user, nice, system, irq, softirq, steal."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def cpu_by_process(services: dict[str, ServiceGroup]) -> dict[str, float]:
    """CPU seconds so far of the processes that share the machine: each service, the broker
    (the JVM), the database (every `postgres` process) and this benchmark."""
    by_pid = {pid: name for name, group in services.items() for pid in group.pids()}
    totals = {name: 0.0 for name in [*services, "broker", "database", "benchmark"]}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # exited meanwhile
        pid, comm = int(stat.parent.name), text[text.index("(") + 1 : text.rindex(")")]
        name = by_pid.get(pid) or (
            "benchmark"
            if pid == os.getpid()
            else "broker"
            if comm == "java"
            else "database"
            if comm.startswith("postgres")
            else None
        )
        if name is not None:
            fields = text.rsplit(")", 1)[1].split()
            totals[name] += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return totals


def machine() -> dict[str, Any]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "unknown",
    )
    memory = next(
        (line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")), "0"
    )
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(int(memory) / 1024 / 1024, 1),
        "python": sys.version.split()[0],
    }


def chart(figures: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (lag_ax, lat_ax) = plt.subplots(2, 1, figsize=(9, 7))
    lag = figures["timeline"]["lag"]
    if lag:
        t0 = lag[0][0]
        lag_ax.plot([r[0] - t0 for r in lag], [r[1] for r in lag], label="scoring lag (records)")
        lag_ax.plot([r[0] - t0 for r in lag], [r[2] for r in lag], label="aggregation lag (records)")
        lag_ax.set_xlabel("seconds into the latency run")
        lag_ax.legend()
    lat = figures["timeline"]["latency"]
    if lat:
        t0 = min(r[0] for r in lat)
        lat_ax.scatter([r[0] - t0 for r in lat], [r[1] for r in lat], s=2)
        lat_ax.set_xlabel("seconds into the latency run")
        lat_ax.set_ylabel("publish -> recommendation (ms)")
    fig.suptitle(f"hiring-pipeline at {figures['rate']:.0f} events/s")
    fig.tight_layout()
    fig.savefig(path)


def report(figures: dict[str, Any]) -> str:
    lat = figures["latency_ms"]
    rows = [
        ("publish (producer only)", f"{figures['publish_events_per_s']:,.0f} events/s", ""),
        ("pass-through baseline", f"{figures['passthrough_events_per_s']:,.0f} events/s", "1.00"),
        (
            f"scoring on its own ({figures['scoring_instances']}x)",
            f"{figures['scoring_events_per_s']:,.0f} events/s",
            f"{figures['scoring_vs_passthrough']:.2f}",
        ),
        (
            "aggregation on its own",
            f"{figures['aggregation_events_per_s']:,.0f} events/s",
            f"{figures['aggregation_vs_passthrough']:.2f}",
        ),
        (
            "end to end",
            f"{figures['end_to_end_events_per_s']:,.0f} events/s",
            f"{figures['end_to_end_vs_passthrough']:.2f}",
        ),
        (
            f"latency at {figures['rate']:.0f}/s",
            f"p50 {lat['p50']:.0f} / p95 {lat['p95']:.0f} / p99 {lat['p99']:.0f} / max {lat['max']:.0f} ms",
            "",
        ),
        (
            "CPU per event",
            f"scoring {figures['scoring_cpu_ms_per_event']:.2f} ms, aggregation {figures['aggregation_cpu_ms_per_event']:.2f} ms",
            "",
        ),
        (
            "CPU per event, end to end",
            "whole machine {machine:.2f} ms: scoring {scoring:.2f}, aggregation {aggregation:.2f}, "
            "broker {broker:.2f}, database {database:.2f}, benchmark {benchmark:.2f}".format(
                **figures["cpu_ms_per_event_end_to_end"]
            ),
            "",
        ),
        (
            "CPU-bound ceiling",
            f"{figures['cpu_bound_ceiling_events_per_s']:,.0f} events/s on {figures['machine']['cores']} cores",
            f"{figures['cpu_bound_ceiling_events_per_s'] / figures['passthrough_events_per_s']:.2f}",
        ),
        (
            "peak RSS",
            f"scoring {figures['peak_rss_mb']['scoring']:.0f} MB, aggregation {figures['peak_rss_mb']['aggregation']:.0f} MB",
            "",
        ),
    ]
    width = max(len(r[0]) for r in rows)
    lines = [f"{'':{width}}  {'figure':<52} ratio to baseline"]
    lines += [f"{name:{width}}  {value:<52} {ratio}" for name, value, ratio in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="hiring-pipeline bench",
        description="Benchmark the pipeline against the real broker and database (see BENCHMARKS.md). "
        "Connects with the same settings as every command: KAFKA_BOOTSTRAP_SERVERS, KAFKA_SECURITY_PROTOCOL, "
        "KAFKA_SASL_*, KAFKA_SSL_*, DATABASE_URL.",
    )
    parser.add_argument(
        "--events", type=int, default=50_000, help="events for the throughput runs (default: %(default)s)"
    )
    parser.add_argument(
        "--rate", type=float, default=500.0, help="events per second of the steady-load run (default: %(default)s)"
    )
    parser.add_argument(
        "--duration", type=float, default=60.0, help="seconds of the steady-load run (default: %(default)s)"
    )
    parser.add_argument("--json", type=Path, dest="json_path", metavar="PATH", help="also write the figures as JSON")
    parser.add_argument(
        "--chart", type=Path, default=None, metavar="PNG", help="PNG of consumer lag and latency over time"
    )
    parser.add_argument(
        "--bootstrap",
        default=None,
        help="Kafka bootstrap servers, instead of KAFKA_BOOTSTRAP_SERVERS (the security settings still apply)",
    )
    parser.add_argument(
        "--scoring-instances",
        type=int,
        default=1,
        help="scoring processes in one consumer group (the partitions are split between them)",
    )
    parser.add_argument(
        "--scaling",
        default=None,
        metavar="SIZES",
        help="only the scaling run: end to end at each size, e.g. 10000,100000",
    )
    args = parser.parse_args(argv)
    kafka = ProcessSettings().kafka_options()  # address, SASL and SSL, as every other command
    if args.bootstrap:
        kafka["bootstrap_servers"] = args.bootstrap
        os.environ["KAFKA_BOOTSTRAP_SERVERS"] = args.bootstrap  # the services it starts, too
    args.bootstrap = kafka
    if args.scaling:
        sizes = [int(n) for n in args.scaling.split(",")]
        with tempfile.TemporaryDirectory(prefix="bench-") as logs:
            results = asyncio.run(scaling(args.bootstrap, sizes, Path(logs)))
        for r in results:
            print(
                f"{r['events']:>9,} events: {r['end_to_end_events_per_s']:,.0f} events/s end to end ("
                f"{r['end_to_end_events_per_s'] / results[0]['end_to_end_events_per_s']:.2f} of the smallest run); "
                f"peak RSS scoring {r['peak_rss_mb']['scoring']:.0f} MB, aggregation {r['peak_rss_mb']['aggregation']:.0f} MB"
            )
        if args.json_path:
            args.json_path.write_text(json.dumps({"scaling": results}, indent=2) + "\n")
        return
    with tempfile.TemporaryDirectory(prefix="bench-") as logs:
        figures = asyncio.run(
            run(args.bootstrap, args.events, args.rate, args.duration, Path(logs), args.scoring_instances)
        )
    print(report(figures))
    if args.json_path:
        args.json_path.write_text(json.dumps({k: v for k, v in figures.items() if k != "timeline"}, indent=2) + "\n")
    if args.chart:
        chart(figures, args.chart)


if __name__ == "__main__":
    main()
