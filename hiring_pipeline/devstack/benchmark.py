"""The pipeline benchmark: both services as processes, against the real broker and database.

    hiring-pipeline bench [--events N] [--rate R | --rate-fraction F] [--duration S]
                          [--json PATH] [--chart PNG] [--markdown] [--against REV ...]
    hiring-pipeline bench --from-json PATH [--markdown]
    python -m hiring_pipeline.devstack.benchmark ...

Phases, all in one run so the figures can be compared as ratios (machines are noisy):
1. publish N interview events (no service running) - the producer's rate;
2. baseline: a pass-through consumer-producer moves those N records to a scratch topic,
   with no scoring and no database - the ceiling this broker and client allow here;
3. scoring on its own drains the N events; 4. aggregation on its own drains the N scored
   events; 5. end to end: N new events with both services running, until the last
   recommendation; 6. latency: events at a steady rate (fixed, or a fraction of phase 2's
   pass-through) for a fixed time, from publishing an interview to the first
   recommendation that counts it.
CPU seconds per event and peak RSS of each service process come from /proc. After the
clock stops, the scored events of phase 3 and the recommendations of phase 5 are read back
and counted by outcome (ids, timestamps and quoted words left out): a workload that scores
the same few ways would measure a cache, not a scorer.

`--against REV` runs all of this once per side on a fresh stack each, one side right
after the other (`benchmark_compare.py`); the report is in `benchmark_report.py`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import statistics
import sys
import tempfile
import time
import urllib.request
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec
from aiokafka import ConsumerRecord
from aiokafka.admin import NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from benchmarks.workload import corpus_notes, varied_note
from hiring_pipeline.devstack import benchmark_report as report
from hiring_pipeline.devstack.benchmark_report import LATENCY_WINDOW_S, P99_TARGET_FRACTION
from hiring_pipeline.devstack.processes import HIRING_PIPELINE, ServiceGroup
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
DEFAULT_RATE_FRACTION = P99_TARGET_FRACTION
"""The steady-load rate unless told: issue #17's latency target is p99 at 5 % of the run's own pass-through."""


# --- workload ----------------------------------------------------------------------------


def workload(tag: str, events: int, seed: int = 7) -> list[InterviewCompleted]:
    """Loops of three interviews per candidate across the three roles, the five competencies
    split 2 + 2 + 1 between them. Each note is the labelled corpus recombined
    (`benchmarks.workload.varied_note`: one corpus note as written, or sentences of two or
    three shuffled together with varied separators), and no note text repeats within a call:
    many interviewers' words, every length and style, nothing a cache could serve.

    The text depends on `seed` only, so two runs (two revisions under `--against`) score the
    same notes; ids depend on `tag` too, so every run's events are new to the services."""
    content = random.Random(seed)
    ids = random.Random(f"{tag}:{seed}")
    pool = corpus_notes()
    competencies = sorted(pool)
    seen: set[str] = set()

    def note(competency: str) -> str:
        for _ in range(50):
            text = varied_note(content, pool[competency])
            if text not in seen:
                break
        seen.add(text)
        return text

    result = []
    for n in range((events + 2) // 3):
        candidate, role = f"{tag}-{n}", ROLES[n % 3]
        for i, part in enumerate([competencies[:2], competencies[2:4], competencies[4:]]):
            assessments = [
                {"competency": competency, "rating": content.choice(RATINGS), "notes": note(competency)}
                for competency in part
            ]
            result.append(
                InterviewCompleted.model_validate(
                    {
                        "event_id": str(uuid.UUID(int=ids.getrandbits(128))),
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


def describe_workload(events: list[InterviewCompleted]) -> dict[str, Any]:
    """What the notes are like: how many, how many distinct, how long, how many are a corpus
    note as written (the rest are recombined)."""
    notes = [a.notes for e in events for a in e.assessments]
    corpus = {n for pool in corpus_notes().values() for n in pool}
    lengths = sorted(len(n) for n in notes)
    deciles = statistics.quantiles(lengths, n=10) if len(lengths) > 1 else lengths * 9
    return {
        "interviews": len(events),
        "pairs": len({e.key for e in events}),
        "notes": len(notes),
        "distinct_notes": len(set(notes)),
        "notes_as_written_in_corpus": sum(n in corpus for n in notes),
        "corpus_notes": len(corpus),
        "note_chars": {"p10": deciles[0], "p50": deciles[4], "p90": deciles[8], "mean": statistics.fmean(lengths)},
        "rated_share": sum(a.rating is not None for e in events for a in e.assessments) / max(len(notes), 1),
    }


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


# --- outcomes ----------------------------------------------------------------------------


def competency_outcome(score: dict[str, Any]) -> tuple[Any, ...]:
    """What the scorer decided about one competency of one interview: the score, the red
    flags, the signals by kind and name, whether the notes supported it. Not the quoted words
    (every note has its own) nor the confidence's last digits."""
    return (
        score.get("competency"),
        score.get("score"),
        tuple(sorted(score.get("red_flags") or ())),
        tuple(sorted((s.get("kind"), s.get("signal")) for s in score.get("signals") or ())),
        score.get("supported_by_notes"),
    )


def scoring_outcome(scored: dict[str, Any]) -> tuple[Any, ...]:
    """An InterviewScored payload without its ids, timestamps and quotes: its competencies' outcomes."""
    return tuple(sorted((competency_outcome(s) for s in scored.get("scores") or ()), key=repr))


def recommendation_outcome(recommendation: dict[str, Any]) -> tuple[Any, ...]:
    """A Recommendation without its ids, timestamps, quotes and prose: the decision, the
    weighted score, each competency's score and the red flags that counted."""
    return (
        recommendation.get("role_id"),
        recommendation.get("decision"),
        recommendation.get("score"),
        tuple((c.get("competency"), c.get("score")) for c in recommendation.get("competencies") or ()),
        tuple(sorted((f.get("competency"), f.get("signal")) for f in recommendation.get("red_flags") or ())),
    )


def count_scoring_outcomes(payloads: Iterable[dict[str, Any]]) -> dict[str, Any]:
    interviews: set[tuple[Any, ...]] = set()
    competencies: set[tuple[Any, ...]] = set()
    scores: Counter[Any] = Counter()
    total = assessments = flagged = 0
    for payload in payloads:
        total += 1
        interviews.add(scoring_outcome(payload))
        for score in payload.get("scores") or ():
            assessments += 1
            flagged += bool(score.get("red_flags"))
            competencies.add(competency_outcome(score))
            scores[score.get("score")] += 1
    return {
        "interviews": total,
        "distinct_interview_outcomes": len(interviews),
        "assessments": assessments,
        "distinct_competency_outcomes": len(competencies),
        "distinct_scores": len(scores),
        "red_flagged_share": flagged / max(assessments, 1),
    }


def count_recommendations(payloads: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Over each pair's last recommendation."""
    outcomes: set[tuple[Any, ...]] = set()
    decisions: Counter[str] = Counter()
    total = 0
    for payload in payloads:
        total += 1
        outcomes.add(recommendation_outcome(payload))
        decisions[str(payload.get("decision"))] += 1
    return {"pairs": total, "distinct_recommendations": len(outcomes), "decisions": dict(sorted(decisions.items()))}


async def read_back(kafka: KafkaOptions, topic: str, since: Offsets, keys: set[bytes]) -> list[ConsumerRecord]:
    """This run's records of `topic` (by key) from `since` to where it ends now, after the clock stopped."""
    until = await end_offsets(kafka, topic)
    found: list[ConsumerRecord] = []
    async with open_topic(kafka, topic, fetch_max_bytes=50 * 1024 * 1024) as reader:
        async for batch in reader.batches(since, until, timeout_ms=500, max_records=5000):
            found.extend(r for r in batch if r.key in keys)
    return found


# --- processes -----------------------------------------------------------------------------


BENCH_ENV = {"LOG_LEVEL": "WARNING", "BATCH_MAX_RECORDS": "1000"}
LOAD_GENERATOR = {"linger_ms": 5, "max_batch_size": 512 * 1024}
"""The benchmark's producers batch more than the services' (it only sends)."""


def service_groups(scoring_instances: int, services_from: Path | None, python: str | None) -> dict[str, ServiceGroup]:
    """Both services: this installation's, or (`--services-from TREE`) another checkout's,
    run from its own source tree with `python -m hiring_pipeline.cli run NAME`."""
    if services_from is None:
        command: tuple[str, ...] = (HIRING_PIPELINE,)
        env = BENCH_ENV
    else:
        command = (python or sys.executable, "-m", "hiring_pipeline.cli")
        env = {**BENCH_ENV, "PYTHONPATH": str(services_from)}
    return {
        name: ServiceGroup(name, instances, env, command=command, cwd=services_from)
        for name, instances in (("scoring", scoring_instances), ("aggregation", 1))
    }


def evidence_search(group: ServiceGroup) -> str | None:
    """What the scoring processes say they search with (`scoring_evidence_search` on
    /metrics): "scan" is the compiled Hyperscan scan; None when a revision does not say."""
    said = set()
    for member in group.members:
        with urllib.request.urlopen(f"http://127.0.0.1:{member.port}/metrics", timeout=5) as response:
            text = response.read().decode()
        found = [
            line.split('search="', 1)[1].split('"', 1)[0]
            for line in text.splitlines()
            if line.startswith("scoring_evidence_search{") and float(line.rsplit(" ", 1)[1]) == 1.0
        ]
        said.add(found[0] if len(found) == 1 else None)
    return said.pop() if len(said) == 1 else "differs between processes"


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


def latency_windows(latency: list[tuple[float, float]], window: float = LATENCY_WINDOW_S) -> list[dict[str, float]]:
    """p50 / p95 / p99 of (sent at, milliseconds) per `window` seconds of sending."""
    if not latency:
        return []
    t0 = min(sent for sent, _ in latency)
    by_window: dict[int, list[float]] = {}
    for sent, ms in latency:
        by_window.setdefault(int((sent - t0) // window), []).append(ms)
    return [
        {
            "start_s": index * window,
            "events": len(values),
            "p50": percentile(values, 50),
            "p95": percentile(values, 95),
            "p99": percentile(values, 99),
        }
        for index, values in sorted(by_window.items())
    ]


def offered_rate(rate: float | None, fraction: float | None, passthrough_events_per_s: float) -> float:
    """The steady-load run's rate: fixed, or a fraction of this run's pass-through."""
    if rate is not None:
        return rate
    return (DEFAULT_RATE_FRACTION if fraction is None else fraction) * passthrough_events_per_s


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
    profile: Path | None = None
    """Where `--profile` writes py-spy's samples of the end-to-end run; None: no profile."""
    completed: list[list[float]] = field(default_factory=list)
    """End to end: (seconds since the first event was sent, events counted by recommendations so far)."""

    def services(self) -> dict[str, ServiceGroup]:
        return {"scoring": self.scoring, "aggregation": self.aggregation}


async def run(
    bootstrap: KafkaOptions,
    events: int,
    rate: float | None,
    duration: float,
    log_dir: Path,
    scoring_instances: int = 1,
    *,
    rate_fraction: float | None = None,
    services_from: Path | None = None,
    services_python: str | None = None,
    profile: Path | None = None,
) -> dict[str, Any]:
    groups = service_groups(scoring_instances, services_from, services_python)
    bench = Bench(bootstrap, events, log_dir, groups["scoring"], groups["aggregation"], profile=profile)
    bench.figures.update(
        {
            "events": events,
            "duration_s": duration,
            "rate_fraction": None if rate is not None else (rate_fraction or DEFAULT_RATE_FRACTION),
            "machine": machine(),
            "scoring_instances": scoring_instances,
            "services_from": str(services_from) if services_from else None,
        }
    )
    try:
        backlog, since = await publish_backlog(bench)
        await measure_passthrough(bench, since[topics.INTERVIEW_COMPLETED])
        await score_backlog(bench, backlog, since[topics.INTERVIEW_SCORED])
        await aggregate_backlog(bench, backlog, since[topics.RECOMMENDATION])
        await measure_end_to_end(bench)
        steady = offered_rate(rate, rate_fraction, bench.figures["passthrough_events_per_s"])
        await measure_latency(bench, steady, duration)
        bench.figures["peak_rss_mb"] = {
            "scoring": bench.scoring.peak_rss_mb(),
            "aggregation": bench.aggregation.peak_rss_mb(),
        }
        try:
            bench.figures["evidence_search"] = evidence_search(bench.scoring)
        except OSError:  # a scoring process that serves no /metrics (an old revision)
            bench.figures["evidence_search"] = None
    finally:
        bench.scoring.stop()
        bench.aggregation.stop()
    for name in ("end_to_end", "scoring", "aggregation"):
        bench.figures[f"{name}_vs_passthrough"] = (
            bench.figures[f"{name}_events_per_s"] / bench.figures["passthrough_events_per_s"]
        )
    bench.figures["timeline"] = {"lag": bench.lag, "end_to_end": thin(bench.completed)}
    return bench.figures


def thin(points: list[list[float]], step: float = 0.1) -> list[list[float]]:
    """The last point of each `step` seconds: enough to draw, small enough for the JSON."""
    kept: dict[int, list[float]] = {}
    for point in points:
        kept[int(point[0] // step)] = [round(point[0], 3), point[1]]
    return list(kept.values())


async def publish_backlog(bench: Bench) -> tuple[list[InterviewCompleted], dict[str, Offsets]]:
    """1. N interview events published with no service running: the producer's rate. Returns
    them and where each topic ended before, so later phases see only this run's records."""
    progress(f"publishing {bench.events} events")
    backlog = workload(f"{bench.tag}a", bench.events)
    bench.figures["workload"] = describe_workload(backlog)
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
    """3. Scoring on its own drains the backlog (aggregation not started yet); then its
    scored events are read back and counted by outcome."""
    progress("scoring on its own")
    keys = {e.key.encode() for e in backlog}
    # Each event's first scored record, by the correlation id scoring copies from it: a batch
    # redelivered after a rebalance publishes its records again; they count once.
    first_scored: dict[bytes, float] = {}

    def scored_at(record: ConsumerRecord, now: float) -> None:
        if record.key in keys:
            first_scored.setdefault(source_of(record), record.timestamp / 1000)

    async with TopicWatcher(bench.kafka, topics.INTERVIEW_SCORED, since, scored_at):
        bench.scoring.start(bench.log_dir)
        bench.scoring.wait_ready()
        cpu0 = bench.scoring.cpu_seconds()
        started = time.time()
        await wait_for(lambda: len(first_scored) >= bench.events, 900, "scoring the backlog")
        bench.figures["scoring_cpu_ms_per_event"] = (bench.scoring.cpu_seconds() - cpu0) * 1000 / bench.events
        # From ready (or the first scored event, if the broker's clock says it came sooner) to
        # the last: the first batch's time counts, as aggregation's does.
        times = first_scored.values()
        span = max(times) - min(min(times), started)
        bench.figures["scoring_events_per_s"] = bench.events / max(span, 1e-3)
    written = {source_of(r): r for r in reversed(await read_back(bench.kafka, topics.INTERVIEW_SCORED, since, keys))}
    bench.figures["scoring_outcomes"] = count_scoring_outcomes(json.loads(r.value) for r in written.values())


def source_of(record: ConsumerRecord) -> bytes:
    """The event a scored record comes from: its correlation id (the interview event's id),
    else the record's own place."""
    for name, value in record.headers or ():
        if name == topics.CORRELATION_ID:
            return bytes(value)
    return f"{record.partition}:{record.offset}".encode()


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

        await wait_for(complete, 900, "aggregating the backlog")
        bench.figures["aggregation_cpu_ms_per_event"] = (bench.aggregation.cpu_seconds() - cpu0) * 1000 / bench.events
        first = min(t for _, _, t in recs.items)
        last = max(t for _, _, t in recs.items)
        bench.figures["aggregation_events_per_s"] = bench.events / max(last - min(first, started), 1e-3)


async def measure_end_to_end(bench: Bench) -> None:
    """5. N new events with both services running, until every pair counts all its
    interviews; the CPU every process on the machine spent on them; then each pair's last
    recommendation is read back and counted by outcome."""
    progress("end to end")
    flow = workload(f"{bench.tag}e", bench.events, seed=11)
    need = interviews_per_pair(flow)
    since = await end_offsets(bench.kafka, topics.RECOMMENDATION)

    def counted(record: ConsumerRecord, now: float) -> tuple[bytes, int, float] | None:
        return (record.key, counted_in(record), now) if record.key in need else None

    stack = stack_processes()
    async with TopicWatcher(bench.kafka, topics.RECOMMENDATION, since, counted) as recs:
        serialized = records(flow)  # the load generator's JSON work is not the pipeline's: done before the clock
        machine_cpu = machine_busy_seconds()
        process_cpu = cpu_by_process(bench.services(), stack)
        profiler = None
        if bench.profile is not None:
            from hiring_pipeline.devstack.benchmark_profile import Profiler

            profiler = Profiler(bench.profile, {name: group.pids() for name, group in bench.services().items()})
        started = time.time()
        await produce_all(bench.kafka, serialized)
        done: dict[bytes, int] = {}
        seen = 0
        total = 0

        def all_counted() -> bool:
            nonlocal seen, total
            for key, n, at in recs.items[seen:]:
                if n > done.get(key, 0):
                    total += n - done.get(key, 0)
                    done[key] = n
                    bench.completed.append([at - started, total])
            seen = len(recs.items)
            return len(done) == len(need) and all(done[k] >= n for k, n in need.items())

        await wait_for(all_counted, 900, "the end-to-end run")
        if profiler is not None:
            bench.figures["profile"] = profiler.stop()
        elapsed = max(t for _, _, t in recs.items) - started
        bench.figures["end_to_end_events_per_s"] = bench.events / elapsed
        after = cpu_by_process(bench.services(), stack)
        cpu = {name: (after[name] - process_cpu[name]) * 1000 / bench.events for name in after}
        cpu["stack"] = sum(cpu.values())  # the pipeline's own processes: services, broker, database, load
        cpu["machine"] = (machine_busy_seconds() - machine_cpu) * 1000 / bench.events  # everything on the machine
        cpu["other"] = max(0.0, cpu["machine"] - cpu["stack"])  # the kernel's own work, and neighbours
        bench.figures["cpu_ms_per_event_end_to_end"] = cpu
        bench.figures["cpu_attribution"] = "own stack" if stack else "every java and postgres process"
        # If the CPU were the only limit: what all cores could do at this CPU cost per event.
        bench.figures["cpu_bound_ceiling_events_per_s"] = (os.cpu_count() or 1) * 1000 / cpu["machine"]
    finals: dict[bytes, dict[str, Any]] = {}
    for record in await read_back(bench.kafka, topics.RECOMMENDATION, since, set(need)):
        finals[record.key] = json.loads(record.value)  # in offset order per pair: the last one stays
    bench.figures["recommendation_outcomes"] = count_recommendations(finals.values())


async def measure_latency(bench: Bench, rate: float, duration: float) -> None:
    """6. Events at a steady rate for a fixed time: from publishing an interview to the first
    recommendation that counts it; the consumer lag sampled meanwhile."""
    fraction = bench.figures.get("rate_fraction")
    progress(
        f"latency at {rate:.0f} events/s for {duration:.0f} s"
        + (f" ({fraction:.0%} of the pass-through)" if fraction else "")
    )
    total = max(1, int(rate * duration))
    paced = workload(f"{bench.tag}l", total, seed=13)
    sent_at: dict[tuple[bytes, str], float] = {}
    keys = {e.key.encode() for e in paced}
    since = await end_offsets(bench.kafka, topics.RECOMMENDATION)
    scored_since = await end_offsets(bench.kafka, topics.INTERVIEW_SCORED)
    stages = StageTimes()

    def latency_of(record: ConsumerRecord, now: float) -> None:
        if record.key not in keys:
            return
        for interview in json.loads(record.value)["interviews"]:
            sent = sent_at.pop((record.key, interview["interview_id"]), None)
            if sent is not None:
                bench.latency.append((sent, now - sent))
                stages.recommended((record.key, interview["interview_id"]), sent, now)

    def scored(record: ConsumerRecord, now: float) -> None:
        if record.key in keys:
            stages.scored((record.key, _INTERVIEW_ID.decode(record.value).interview_id), now)

    async with (
        TopicWatcher(bench.kafka, topics.RECOMMENDATION, since, latency_of),
        TopicWatcher(bench.kafka, topics.INTERVIEW_SCORED, scored_since, scored),
        kafka_sender(bench.kafka, "bench-paced", linger_ms=1) as sender,
    ):
        lag_task = asyncio.create_task(sample_lag(bench.kafka, bench.lag))
        try:
            serialized = records(paced)
            start = time.perf_counter()
            pending = []
            for n, (event, record) in enumerate(zip(paced, serialized, strict=True)):
                delay = start + n / rate - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                sent_at[(event.key.encode(), event.interview_id)] = time.time()
                pending.append(await sender.send(record))
            sending = time.perf_counter() - start
            await asyncio.gather(*pending)
            # A pipeline slower than the offered rate never catches up: wait a while, then
            # count what is still missing at the time waited (a lower bound of its latency).
            with contextlib.suppress(TimeoutError):
                await wait_for(lambda: len(bench.latency) >= total, max(60.0, duration), "the latency run")
            given_up = time.time()
        finally:
            lag_task.cancel()
            await asyncio.gather(lag_task, return_exceptions=True)
    counted = len(bench.latency)
    bench.latency += [(sent, given_up - sent) for sent in sent_at.values()]
    values = [seconds * 1000 for _, seconds in bench.latency]
    bench.figures["rate"] = rate
    bench.figures["rate_achieved"] = total / max(sending, 1e-3) if total > 1 else rate
    bench.figures["latency_ms"] = {
        "p50": percentile(values, 50),
        "p95": percentile(values, 95),
        "p99": percentile(values, 99),
        "max": max(values),
        "counted_share": counted / total,
        "lower_bound": counted < total,
    }
    if counted < total:
        progress(
            f"overloaded: {total - counted} of {total} events not counted {max(60.0, duration):.0f} s after the last was sent"
        )
    bench.latency[:] = [(sent, seconds * 1000) for sent, seconds in bench.latency]
    bench.figures["latency_windows"] = latency_windows(bench.latency)
    bench.figures["latency_by_stage_ms"] = stages.percentiles()


class _InterviewId(msgspec.Struct):
    interview_id: str


_INTERVIEW_ID = msgspec.json.Decoder(_InterviewId)
"""A scored event's interview id, the rest of its JSON skipped."""


@dataclass
class StageTimes:
    """Where an event's latency goes, for the events a recommendation counted in time: from
    publishing to its scored event (scoring, and both hops through the broker), and from
    there to the first recommendation that counts it (aggregation). Each time is taken when
    the benchmark reads the record, as the whole latency is."""

    first_scored: dict[tuple[bytes, str], float] = field(default_factory=dict)
    scoring: list[float] = field(default_factory=list)
    aggregation: list[float] = field(default_factory=list)

    def scored(self, interview: tuple[bytes, str], now: float) -> None:
        self.first_scored.setdefault(interview, now)

    def recommended(self, interview: tuple[bytes, str], sent: float, now: float) -> None:
        scored = self.first_scored.get(interview)
        if scored is not None and sent <= scored <= now:
            self.scoring.append((scored - sent) * 1000)
            self.aggregation.append((now - scored) * 1000)

    def percentiles(self) -> dict[str, dict[str, float]]:
        return {
            stage: {q: percentile(times, float(q[1:])) for q in ("p50", "p95", "p99")}
            for stage, times in (("scoring", self.scoring), ("aggregation", self.aggregation))
            if times
        }


async def end_to_end(
    kafka: KafkaOptions, events: int, tag: str, log_dir: Path, services_from: Path | None, python: str | None
) -> dict[str, Any]:
    """Fresh service processes, N events published at once, until every pair counts all its
    interviews: throughput, the peak RSS the processes reached doing it, and their RSS in the
    first and the last quarter of the run (growth, or one high-water mark?)."""
    groups = service_groups(1, services_from, python)
    scoring, aggregation = groups["scoring"], groups["aggregation"]
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
        samples: list[tuple[float, float]] = []
        sampling = asyncio.create_task(sample_rss(scoring, aggregation, samples))
        try:
            async with TopicWatcher(kafka, topics.RECOMMENDATION, since, counted):
                started = time.perf_counter()
                await produce_all(kafka, records(flow))
                await wait_for(
                    lambda: len(best) == len(need) and all(best[k] >= n for k, n in need.items()),
                    1800,
                    f"the {events}-event run",
                )
                elapsed = time.perf_counter() - started
        finally:
            sampling.cancel()
            await asyncio.gather(sampling, return_exceptions=True)
        quarter = max(1, len(samples) // 4)
        return {
            "events": events,
            "end_to_end_events_per_s": events / elapsed,
            "peak_rss_mb": {"scoring": scoring.peak_rss_mb(), "aggregation": aggregation.peak_rss_mb()},
            "rss_mb_first_quarter": {
                name: statistics.median(s[i] for s in samples[:quarter]) for i, name in enumerate(SERVICES)
            },
            "rss_mb_last_quarter": {
                name: statistics.median(s[i] for s in samples[-quarter:]) for i, name in enumerate(SERVICES)
            },
        }
    finally:
        scoring.stop()
        aggregation.stop()


SERVICES = ("scoring", "aggregation")


async def sample_rss(scoring: ServiceGroup, aggregation: ServiceGroup, out: list[tuple[float, float]]) -> None:
    """Both services' resident memory every half second."""
    while True:
        out.append((scoring.rss_mb(), aggregation.rss_mb()))
        await asyncio.sleep(0.5)


async def scaling(
    kafka: KafkaOptions, sizes: list[int], log_dir: Path, services_from: Path | None = None, python: str | None = None
) -> list[dict[str, Any]]:
    tag = f"s{uuid.uuid4().hex[:6]}"
    results = []
    for size in sizes:
        progress(f"scaling: {size} events end to end, fresh processes")
        results.append(await end_to_end(kafka, size, f"{tag}-{size}", log_dir, services_from, python))
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


# --- CPU -----------------------------------------------------------------------------------


def machine_busy_seconds() -> float:
    """CPU time all cores spent not idle since boot (/proc/stat): user, nice, system, irq, softirq, steal."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class StackProcesses:
    """The local stack's own broker processes and PostgreSQL server (its postmaster; the
    backends are its children), from the state directory's pid files."""

    brokers: frozenset[int]
    postmaster: int


def stack_processes() -> StackProcesses | None:
    """This stack's processes when it runs here (`infra up`), else None: then every `java`
    and `postgres` process on the machine is counted, neighbours' too."""
    from hiring_pipeline.devstack.infra import LocalKafka, LocalPostgres
    from hiring_pipeline.devstack.settings import InfraSettings

    settings = InfraSettings()
    kafka, postgres = LocalKafka(settings), LocalPostgres(settings)
    brokers = frozenset(pid for node in kafka.nodes if (pid := node.pid()) is not None) if kafka.is_local else None
    try:
        postmaster = int((postgres.data / "postmaster.pid").read_text().split()[0])
        os.kill(postmaster, 0)
    except (OSError, ValueError, IndexError):
        return None
    if not brokers or not postgres.is_local:
        return None
    return StackProcesses(brokers, postmaster)


def _proc_stats() -> Iterable[tuple[int, str, int, float]]:
    """(pid, command name, parent pid, CPU seconds) of every process."""
    ticks = os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # exited meanwhile
        fields = text.rsplit(")", 1)[1].split()
        yield (
            int(stat.parent.name),
            text[text.index("(") + 1 : text.rindex(")")],
            int(fields[1]),
            (int(fields[11]) + int(fields[12])) / ticks,
        )


def cpu_by_process(services: dict[str, ServiceGroup], stack: StackProcesses | None = None) -> dict[str, float]:
    """CPU seconds so far of the processes that run the pipeline: each service, the broker,
    the database (the postmaster and its backends) and this benchmark. Without `stack`,
    every `java` process counts as the broker and every `postgres` one as the database."""
    by_pid = {pid: name for name, group in services.items() for pid in group.pids()}
    totals = {name: 0.0 for name in [*services, "broker", "database", "benchmark"]}
    for pid, comm, parent, seconds in _proc_stats():
        name = by_pid.get(pid)
        if name is None:
            if pid == os.getpid():
                name = "benchmark"
            elif stack is not None:
                name = "broker" if pid in stack.brokers else "database" if stack.postmaster in (pid, parent) else None
            else:
                name = "broker" if comm == "java" else "database" if comm.startswith("postgres") else None
        if name is not None:
            totals[name] += seconds
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
        "load_average_before": os.getloadavg()[0],
    }


# --- command line --------------------------------------------------------------------------


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hiring-pipeline bench",
        description="Benchmark the pipeline against the real broker and database (see BENCHMARKS.md). "
        "Connects with the same settings as every command: KAFKA_BOOTSTRAP_SERVERS, KAFKA_SECURITY_PROTOCOL, "
        "KAFKA_SASL_*, KAFKA_SSL_*, DATABASE_URL.",
    )
    parser.add_argument(
        "--events", type=int, default=50_000, help="events for the throughput runs (default: %(default)s)"
    )
    rates = parser.add_mutually_exclusive_group()
    rates.add_argument(
        "--rate",
        type=float,
        default=None,
        help="events per second of the steady-load run (default: see --rate-fraction)",
    )
    rates.add_argument(
        "--rate-fraction",
        type=float,
        default=None,
        metavar="F",
        help=f"steady-load rate as a fraction of this run's measured pass-through (default: {DEFAULT_RATE_FRACTION}, "
        "how issue #17's latency target is measured)",
    )
    parser.add_argument(
        "--duration", type=float, default=60.0, help="seconds of the steady-load run (default: %(default)s)"
    )
    parser.add_argument("--json", type=Path, dest="json_path", metavar="PATH", help="also write the figures as JSON")
    parser.add_argument(
        "--chart",
        type=Path,
        default=None,
        metavar="PNG",
        help="PNG of throughput per phase and over time, latency percentiles over time, consumer lag "
        "(with --against: the sides side by side)",
    )
    parser.add_argument(
        "--markdown", action="store_true", help="print the figures as Markdown tables (for BENCHMARKS.md)"
    )
    parser.add_argument(
        "--from-json",
        type=Path,
        default=None,
        metavar="PATH",
        help="run nothing: print the report of figures an earlier --json wrote (with --markdown, as Markdown)",
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
    parser.add_argument(
        "--against",
        action="append",
        default=None,
        metavar="REV",
        help="also run the same benchmark with the services of git revision REV (a worktree beside this "
        "checkout), each side on a fresh local stack, one right after the other, and report the ratios; "
        "repeat for more revisions",
    )
    parser.add_argument(
        "--profile",
        type=Path,
        default=None,
        metavar="DIR",
        help="sample every service process with py-spy during the end-to-end run (pip install py-spy), "
        "write the samples to DIR and report the functions that take the most",
    )
    parser.add_argument(
        "--fresh-stack",
        action="store_true",
        help="run on a new local broker and database made for the run (free ports, a temporary state "
        "directory) and deleted after it, instead of the stack the settings point at; --against always does",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        metavar="N",
        help="with --against: run every side N times, taking turns (the order reversed every other round), "
        "and report each figure's median (default: %(default)s)",
    )
    parser.add_argument(
        "--services-from",
        type=Path,
        default=None,
        metavar="TREE",
        help="run the services of another checkout (its source tree) instead of this installation's; --against sets it",
    )
    parser.add_argument(
        "--services-python",
        default=None,
        metavar="PYTHON",
        help="the interpreter for --services-from (default: this one)",
    )
    return parser


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    if args.from_json:
        earlier = json.loads(args.from_json.read_text())
        print(report.render(earlier, markdown=args.markdown))
        if args.chart:
            report.chart(earlier, args.chart)
        return
    if args.against:
        from hiring_pipeline.devstack.benchmark_compare import compare

        compare(args.against, args)
        return
    if args.fresh_stack:
        from hiring_pipeline.devstack.benchmark_compare import on_fresh_stack

        on_fresh_stack(args)
        return
    kafka = ProcessSettings().kafka_options()  # address, SASL and SSL, as every other command
    if args.bootstrap:
        kafka["bootstrap_servers"] = args.bootstrap
        os.environ["KAFKA_BOOTSTRAP_SERVERS"] = args.bootstrap  # the services it starts, too
    services_from = args.services_from.resolve() if args.services_from else None
    with tempfile.TemporaryDirectory(prefix="bench-") as logs:
        if args.scaling:
            sizes = [int(n) for n in args.scaling.split(",")]
            document: dict[str, Any] = {
                "scaling": asyncio.run(scaling(kafka, sizes, Path(logs), services_from, args.services_python))
            }
        else:
            document = asyncio.run(
                run(
                    kafka,
                    args.events,
                    args.rate,
                    args.duration,
                    Path(logs),
                    args.scoring_instances,
                    rate_fraction=args.rate_fraction,
                    services_from=services_from,
                    services_python=args.services_python,
                    profile=args.profile,
                )
            )
    print(report.render(document, markdown=args.markdown))
    if args.json_path:
        args.json_path.write_text(json.dumps(document, indent=2) + "\n")
    if args.chart:
        report.chart(document, args.chart)


if __name__ == "__main__":
    main()
