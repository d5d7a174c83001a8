"""One benchmark run beside another revision's, in one sitting on one machine.

The other revision is checked out in a temporary git worktree and measured in a fresh
interpreter, in turns with this checkout, both pinned to one core (on a shared machine the
two cores are not equally busy, and a side that ran on the quieter one would look faster).
The caller's own file is the probe: it is copied beside the worktree and imported there, so
it must define `serve(documents)` (print "ready", then a JSON round for every stdin line)
and import nothing at module level that an older revision lacks (this module included:
callers import it inside the function that measures).
"""

from __future__ import annotations

import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def median(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """Each numeric figure's median over the rounds; the rest as the last round had it."""
    numeric = [
        key for key, value in rounds[0].items() if isinstance(value, int | float) and not isinstance(value, bool)
    ]
    return {**rounds[-1], **{key: statistics.median(r[key] for r in rounds) for key in numeric}}


def measure_beside(
    round_here: Callable[[], dict[str, Any]], documents: list[Any], rounds: int, against: str | None, probe: Path
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """Median figures of this checkout's rounds and, with `against`, of that revision's,
    the two measured in turns."""
    if against is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # the other side inherits it
    if against is None:
        return median([round_here() for _ in range(rounds)]), None
    with _revision(against, documents, probe) as there:
        mine, theirs = [], []
        for _ in range(rounds):
            mine.append(round_here())
            assert there.stdin is not None and there.stdout is not None
            there.stdin.write("round\n")
            there.stdin.flush()
            theirs.append(json.loads(there.stdout.readline()))
        return median(mine), median(theirs)


def _compile_like_this_checkout(tree: Path) -> None:
    """Build the other revision's scoring core with mypyc when this checkout runs compiled and
    that revision can be compiled: a fresh worktree finds no build of its sources in the cache
    unless one was made, and would run as plain Python beside this checkout's compiled core
    (0.81x "side by side" that is 1.00x compiled against compiled)."""
    if (
        os.environ.get("HIRING_PIPELINE_COMPILED") == "0"
        or not (tree / "services" / "scoring" / "compiled.py").exists()
    ):
        return
    subprocess.run([sys.executable, "-m", "hiring_pipeline.cli", "compile"], cwd=tree, check=False, capture_output=True)


@contextlib.contextmanager
def _revision(revision: str, documents: list[Any], probe: Path) -> Iterator[subprocess.Popen[str]]:
    """The probe's `serve` in a temporary worktree of `revision`, in a fresh interpreter."""
    name = f"{probe.stem}_probe"
    with tempfile.TemporaryDirectory() as scratch:
        tree = Path(scratch) / "tree"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), revision],
            check=True,
            capture_output=True,
        )
        try:
            _compile_like_this_checkout(tree)
            events = Path(scratch) / "events.json"
            events.write_text(json.dumps(documents), encoding="utf-8")
            script = (
                "import json, sys; sys.path.insert(0, sys.argv[1]); sys.path.insert(0, sys.argv[3]);"
                f"from {name} import serve; serve(json.load(open(sys.argv[2])))"
            )
            (Path(scratch) / f"{name}.py").write_text(probe.read_text(encoding="utf-8"), encoding="utf-8")
            with subprocess.Popen(
                [sys.executable, "-c", script, str(tree), str(events), scratch],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                cwd=tree,
            ) as process:
                assert process.stdout is not None and process.stdin is not None
                if process.stdout.readline().strip() != "ready":
                    raise RuntimeError(f"{revision}: the {probe.stem} probe did not start")
                try:
                    yield process
                finally:
                    process.stdin.close()
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False, capture_output=True
            )
