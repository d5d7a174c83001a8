"""`hiring-pipeline bench --against REV`: this checkout beside another revision, in one sitting.

Issue #17 states its CPU target against the code it started from, "measured side by side
on one machine, one right after the other". This does exactly that, as
`benchmarks/scoring_core.py --against` does for the scoring core alone:

1. REV is checked out in a temporary git worktree beside this one (`git worktree add
   --detach`), removed at the end. Its services run from that tree with this interpreter
   (`python -m hiring_pipeline.cli run NAME`, the tree first on `sys.path`) when this
   environment has what it imports; otherwise a virtualenv is made in the worktree and
   the revision installed there.
2. Each side gets a fresh local stack (a new state directory and free ports, this
   checkout's `infra up`, so broker and database are configured alike), runs the whole
   benchmark with this checkout's driver and workload (the same notes on every side), and
   the stack is stopped and deleted before the next side starts.
3. The figures of every side and their ratios are printed, written with `--json` and drawn
   with `--chart`.

Absolute figures on a shared machine wander from minute to minute; ratios between sides
measured minutes apart are what this is for, and still deserve a second run.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hiring_pipeline.devstack.processes import HIRING_PIPELINE, free_port

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import pathlib, sys
tree = pathlib.Path(sys.argv[1]).resolve()
import hiring_pipeline.cli, schemas.events, services.aggregation.app, services.scoring.app
for module in (hiring_pipeline.cli, schemas.events, services.aggregation.app, services.scoring.app):
    where = pathlib.Path(module.__file__).resolve()
    if tree not in where.parents:
        sys.exit(f"{module.__name__} comes from {where}, not from {tree}")
try:  # a compiled scan is cached on disk: compile it before a service has to
    from schemas.rubric import load_rubric
    from services.scoring.evidence import compile_lexicon
    compile_lexicon(load_rubric())
except Exception as exc:
    print(f"lexicon not compiled ahead: {exc!r}", file=sys.stderr)
"""
"""Run in the other revision's tree: its services import from it, with what this interpreter has."""

CLEARED = (
    "KAFKA_SECURITY_PROTOCOL",
    "KAFKA_SASL_MECHANISM",
    "KAFKA_SASL_USERNAME",
    "KAFKA_SASL_PASSWORD",
    "KAFKA_SASL_PASSWORD_FILE",
    "KAFKA_SSL_CAFILE",
    "KAFKA_SSL_CERTFILE",
    "KAFKA_SSL_KEYFILE",
    "DATABASE_URL_FILE",
    "PYTHONPATH",
)
"""The fresh local stack is plain and local: none of the caller's connection settings apply."""


def progress(message: str) -> None:
    print(f"[bench: sides] {message}", file=sys.stderr, flush=True)


@dataclass
class Side:
    label: str
    revision: str
    description: str
    tree: Path | None
    """None: this checkout's installation."""
    python: str | None = None


def git(*args: str, cwd: Path = ROOT) -> str:
    result = subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"git {' '.join(args)}: {result.stderr.strip()}")
    return result.stdout.strip()


def this_side() -> Side:
    revision = git("rev-parse", "HEAD")
    branch = git("rev-parse", "--abbrev-ref", "HEAD")
    dirty = bool(git("status", "--porcelain", "--untracked-files=no"))
    label = f"{branch if branch != 'HEAD' else 'this'}@{revision[:7]}" + ("+changes" if dirty else "")
    return Side(label, revision, git("log", "-1", "--format=%s", revision), None)


@contextlib.contextmanager
def checkout(revision: str, scratch: Path) -> Iterator[Side]:
    """REV in a worktree beside this checkout, with an interpreter that runs its services."""
    full = git("rev-parse", "--verify", f"{revision}^{{commit}}")
    tree = scratch / f"rev-{full[:7]}"
    git("worktree", "add", "--detach", str(tree), full)
    try:
        python = interpreter_for(tree)
        yield Side(
            revision if len(revision) < 12 else full[:7], full, git("log", "-1", "--format=%s", full), tree, python
        )
    finally:
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False, capture_output=True
        )


def _probe(python: str, tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [python, "-c", PROBE, str(tree)],
        cwd=tree,
        env={**os.environ, "PYTHONPATH": str(tree)},
        capture_output=True,
        text=True,
        check=False,
    )


def interpreter_for(tree: Path) -> str:
    """This interpreter when the tree's services import with it; else a virtualenv of its own."""
    probe = _probe(sys.executable, tree)
    if probe.returncode == 0:
        return sys.executable
    progress(f"{tree.name} does not run in this environment ({probe.stderr.strip().splitlines()[-1:]}): a virtualenv")
    venv = tree / ".venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    lock = tree / "requirements.lock"
    if lock.exists():
        subprocess.run([python, "-m", "pip", "install", "-q", "-r", str(lock)], check=True)
    subprocess.run([python, "-m", "pip", "install", "-q", "-e", str(tree)], check=True)
    probe = _probe(python, tree)
    if probe.returncode != 0:
        raise SystemExit(f"{tree.name}: its services do not import even in their own virtualenv: {probe.stderr[-500:]}")
    return python


def _free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def stack_ports() -> tuple[int, int]:
    """A free port for the broker whose next two (its controller and SASL listeners) are
    free too, and one for PostgreSQL."""
    while True:
        kafka = free_port()
        if kafka + 2 < 65536 and _free(kafka + 1) and _free(kafka + 2):
            break
    while (postgres := free_port()) in range(kafka, kafka + 3):
        pass
    return kafka, postgres


def stack_env(state_dir: Path, kafka_port: int, postgres_port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in CLEARED}
    env.update(
        HIRING_PIPELINE_STATE_DIR=str(state_dir),
        KAFKA_BOOTSTRAP_SERVERS=f"127.0.0.1:{kafka_port}",
        DATABASE_URL=f"postgresql://hiring@127.0.0.1:{postgres_port}/hiring",
    )
    return env


@contextlib.contextmanager
def fresh_stack() -> Iterator[dict[str, str]]:
    """A new broker and database (a new state directory, free ports), up; the environment
    that points at them. Stopped and deleted on the way out."""
    state_dir = Path(tempfile.mkdtemp(prefix="hiring-pipeline-bench-"))
    env = stack_env(state_dir, *stack_ports())
    try:
        subprocess.run([HIRING_PIPELINE, "infra", "up"], env=env, stdout=sys.stderr, check=True)
        yield env
    finally:
        subprocess.run([HIRING_PIPELINE, "infra", "down"], env=env, stdout=sys.stderr, check=False)
        shutil.rmtree(state_dir, ignore_errors=True)


def bench_args(args: argparse.Namespace) -> list[str]:
    """The options every side runs with."""
    common = ["--events", str(args.events), "--duration", str(args.duration)]
    common += ["--scoring-instances", str(args.scoring_instances)]
    if args.profile is not None:
        common += ["--profile", str(args.profile.resolve())]
    if args.rate is not None:
        common += ["--rate", str(args.rate)]
    elif args.rate_fraction is not None:
        common += ["--rate-fraction", str(args.rate_fraction)]
    return common


def run_side(side: Side, common: list[str], out: Path) -> dict[str, Any]:
    command = [HIRING_PIPELINE, "bench", *common, "--json", str(out)]
    if side.tree is not None:
        command += ["--services-from", str(side.tree), "--services-python", side.python or sys.executable]
    with fresh_stack() as env:
        progress(f"{side.label}: {' '.join(command[1:])}")
        subprocess.run(command, env=env, stdout=sys.stderr, check=True)
    return json.loads(out.read_text())


def compare(revisions: list[str], args: argparse.Namespace) -> None:
    from hiring_pipeline.devstack import benchmark_report as report
    from hiring_pipeline.devstack.benchmark_report import median_figures

    if args.scaling or args.services_from:
        raise SystemExit("--against runs the whole benchmark on each side: not with --scaling or --services-from")
    git("rev-parse", "--git-dir")  # a checkout, not an installed wheel
    common = bench_args(args)
    with tempfile.TemporaryDirectory(prefix="bench-against-") as scratch, contextlib.ExitStack() as trees:
        sides = [this_side()] + [trees.enter_context(checkout(rev, Path(scratch))) for rev in revisions]
        rounds: dict[str, list[dict[str, Any]]] = {side.label: [] for side in sides}
        for number in range(args.rounds):
            # Taking turns: a side that always ran first (or last) would always meet the same
            # moment of a neighbour's load, the same warm or cold caches.
            for side in sides if number % 2 == 0 else sides[::-1]:
                progress(f"round {number + 1} of {args.rounds}: {side.label}")
                out = Path(scratch) / f"{len(rounds[side.label])}-{side.revision}.json"
                rounds[side.label].append(run_side(side, common, out))
    results = []
    for side in sides:
        runs = rounds[side.label]
        entry: dict[str, Any] = {"label": side.label, "revision": side.revision, "description": side.description}
        entry["figures"] = median_figures(runs)
        if len(runs) > 1:
            entry["rounds"] = runs
        results.append(entry)
    document = {"sides": results, "options": common}
    print(report.render(document, markdown=args.markdown))
    if args.json_path:
        args.json_path.write_text(json.dumps(document, indent=2) + "\n")
    if args.chart:
        report.chart(document, args.chart)


def on_fresh_stack(args: argparse.Namespace) -> None:
    """`bench --fresh-stack`: this checkout alone, on a new broker and database made for the
    run and deleted after it (as CI starts from an empty stack), whatever stack runs now."""
    from hiring_pipeline.devstack import benchmark_report as report

    common = bench_args(args) if not args.scaling else ["--scaling", args.scaling]
    with tempfile.TemporaryDirectory(prefix="bench-fresh-") as scratch:
        side = this_side()
        document = run_side(side, common, Path(scratch) / "figures.json")
    print(report.render(document, markdown=args.markdown))
    if args.json_path:
        args.json_path.write_text(json.dumps(document, indent=2) + "\n")
    if args.chart:
        report.chart(document, args.chart)
