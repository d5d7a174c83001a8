"""`hiring-pipeline demo`: the whole pipeline on local infrastructure, fed a sample loop.

Starts the infrastructure if needed, both services as separate processes (as in
production), publishes the sample file, waits until the recommendation topic holds the
decision the dry run expects for every pair, prints them, and stops the services.
Re-running is safe: the sample's event ids are fixed, so a second run publishes only
duplicates, and the compacted topic already holds the current decisions.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path

from rich.console import Console

from hiring_pipeline.devstack import infra
from hiring_pipeline.devstack.processes import ServiceProcess
from hiring_pipeline.devstack.settings import InfraSettings
from hiring_pipeline.tools.dry_run import recommend
from hiring_pipeline.tools.publish import publish, read_events
from hiring_pipeline.tools.recommendations import follow_latest, table, wide_console
from schemas.events import Recommendation
from schemas.rubric import load_roles, load_rubric
from schemas.tooling.files import project_file

SAMPLE = project_file("samples/interview-loop.jsonl")


@contextlib.contextmanager
def services(log_dir: Path) -> Iterator[list[ServiceProcess]]:
    """Both services as child processes on free HTTP ports, ready; stopped on the way out."""
    running = [ServiceProcess("scoring"), ServiceProcess("aggregation")]
    try:
        for service in running:
            service.start(log_dir)
        for service in running:
            try:
                service.wait_ready(timeout=60)
            except RuntimeError as exc:
                raise infra.InfraError(str(exc)) from None
        yield running
    finally:
        for service in running:
            service.stop(timeout=20)


def settled(actual: Recommendation | None, expected: Recommendation) -> bool:
    """The published decision is the one the dry run computed from the same events."""
    return actual is not None and (actual.decision, actual.score, actual.interviews, actual.reasons) == (
        expected.decision,
        expected.score,
        expected.interviews,
        expected.reasons,
    )


def run(
    settings: InfraSettings,
    sample: Path = SAMPLE,
    timeout: float = 90.0,
    console: Console | None = None,
    on_result: Callable[[list[Recommendation]], None] = lambda decided: None,
) -> bool:
    """True when every pair reached the decision the dry run computes; `on_result` gets the
    published decisions, one per pair."""
    console = console or wide_console()
    events = read_events(sample)
    expected = {r.key: r for r in recommend(events, load_rubric(), load_roles())}
    with console.status("starting Kafka and PostgreSQL"):
        asyncio.run(infra.up(settings))
    with (
        console.status("starting the scoring and aggregation services"),
        services(settings.state_dir / "demo") as running,
    ):
        console.print("services ready (" + ", ".join(f"{s.name} :{s.port}" for s in running) + ")")
        sent = asyncio.run(publish(events, settings.kafka_options()))
        console.print(f"published {sent} interview events from {sample.name} to ats.interview-completed.v1")
        with console.status(f"waiting for recommendations (0/{len(expected)})") as status:

            def progress(latest: dict[str, Recommendation]) -> None:
                done = sum(settled(latest.get(k), e) for k, e in expected.items())
                status.update(f"waiting for recommendations ({done}/{len(expected)})")

            latest = asyncio.run(
                follow_latest(
                    settings.kafka_options(),
                    until=lambda latest: all(settled(latest.get(k), e) for k, e in expected.items()),
                    timeout=timeout,
                    on_update=progress,
                )
            )
    decided = [latest[k] for k in sorted(expected) if k in latest]
    on_result(decided)
    console.print(table(decided, details=False))
    missing = [k for k, e in expected.items() if not settled(latest.get(k), e)]
    if missing:
        console.print(f"[red]not settled after {timeout:.0f}s: {', '.join(sorted(missing))}[/]")
        return False
    console.print(f"{len(expected)} candidate-role pairs decided; services stopped.")
    return True
