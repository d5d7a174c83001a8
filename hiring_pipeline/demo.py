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
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from rich.console import Console

from hiring_pipeline import infra
from hiring_pipeline.dry_run import recommend
from hiring_pipeline.publish import publish, read_events
from hiring_pipeline.recommendations import follow_latest, table, wide_console
from hiring_pipeline.settings import InfraSettings
from schemas.events import Recommendation
from schemas.rubric import load_roles, load_rubric

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "interview-loop.jsonl"
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def services(log_dir: Path) -> Iterator[dict[str, int]]:
    """Both services as child processes on free HTTP ports; stopped with SIGTERM on exit."""
    log_dir.mkdir(parents=True, exist_ok=True)
    executable = Path(sys.executable).parent / "hiring-pipeline"
    processes: list[subprocess.Popen[bytes]] = []
    ports: dict[str, int] = {}
    try:
        for name in ("scoring", "aggregation"):
            ports[name] = _free_port()
            log = open(log_dir / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process
            processes.append(
                subprocess.Popen(
                    [str(executable), "run", name],
                    env={**os.environ, "HTTP_PORT": str(ports[name])},
                    stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                )
            )
        yield ports
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def wait_ready(ports: dict[str, int], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    for name, port in ports.items():
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/ready", timeout=2) as response:
                    if response.status == 200:
                        break
            except (OSError, urllib.error.HTTPError):
                pass
            if time.monotonic() > deadline:
                raise infra.InfraError(f"{name} did not become ready in {timeout:.0f}s")
            time.sleep(0.2)


def settled(actual: Recommendation | None, expected: Recommendation) -> bool:
    """The published decision is the one the dry run computed from the same events."""
    return actual is not None and (
        actual.decision, actual.score, actual.interviews, actual.reasons
    ) == (expected.decision, expected.score, expected.interviews, expected.reasons)


def run(settings: InfraSettings, sample: Path = SAMPLE, timeout: float = 90.0, console: Console | None = None) -> bool:
    console = console or wide_console()
    events = read_events(sample)
    expected = {r.key: r for r in recommend(events, load_rubric(), load_roles())}
    with console.status("starting Kafka and PostgreSQL"):
        asyncio.run(infra.up(settings))
    with console.status("starting the scoring and aggregation services"), services(settings.state_dir / "demo") as ports:
        wait_ready(ports, timeout=60)
        console.print(f"services ready (scoring :{ports['scoring']}, aggregation :{ports['aggregation']})")
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
    console.print(table([latest[k] for k in sorted(expected) if k in latest], details=False))
    missing = [k for k, e in expected.items() if not settled(latest.get(k), e)]
    if missing:
        console.print(f"[red]not settled after {timeout:.0f}s: {', '.join(sorted(missing))}[/]")
        return False
    console.print(f"{len(expected)} candidate-role pairs decided; services stopped.")
    return True
