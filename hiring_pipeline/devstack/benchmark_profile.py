"""`bench --profile DIR`: where the services spend their CPU during the end-to-end run.

py-spy (a sampling profiler for Python: `pip install py-spy`; not a dependency of the
project) is attached to every service process for the end-to-end phase, 100 samples a
second, and writes each process's samples as collapsed stacks (`DIR/NAME-PID.txt`, for a
flame graph: `flamegraph.pl DIR/scoring-*.txt > scoring.svg`). The report lists, per
service, the functions with the most samples of their own (where the time is spent) and
with the most samples in total (what it is spent for).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

TOP = 12
TRUNK = 0.85
"""A function in at least this share of the samples is the trunk of every stack, not listed."""
_LINE = re.compile(r":\d+\)$")


def py_spy() -> str:
    found = shutil.which("py-spy", path=f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}")
    if found is None:
        raise SystemExit("--profile needs py-spy: pip install py-spy")
    return found


class Profiler:
    """py-spy attached to some processes until `stop`."""

    def __init__(self, directory: Path, processes: dict[str, list[int]]) -> None:
        self.directory = directory
        self.directory.mkdir(parents=True, exist_ok=True)
        self.outputs: dict[str, list[Path]] = {}
        self.spies: list[subprocess.Popen[bytes]] = []
        spy = py_spy()
        for name, pids in processes.items():
            for pid in pids:
                output = directory / f"{name}-{pid}.txt"
                self.outputs.setdefault(name, []).append(output)
                command = [spy, "record", "--pid", str(pid), "--rate", "100", "--format", "raw", "--nonblocking"]
                command += ["--output", str(output)]
                self.spies.append(subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))

    def stop(self) -> dict[str, Any]:
        """Stop sampling (py-spy writes its file on SIGINT); the summary per service."""
        for spy in self.spies:
            if spy.poll() is None:
                spy.send_signal(signal.SIGINT)
        for spy in self.spies:
            try:
                spy.wait(timeout=30)
            except subprocess.TimeoutExpired:
                spy.kill()
        return {
            name: summarise([p.read_text() for p in paths if p.exists()]) | {"files": [str(p) for p in paths]}
            for name, paths in self.outputs.items()
        }


def frame_name(frame: str) -> str:
    """`function (path/to/file.py:12)` as `function (file.py)`: one entry per function, not per line."""
    name = _LINE.sub(")", frame.strip())
    function, _, where = name.partition(" (")
    return f"{function} ({Path(where.rstrip(')')).name})" if where else function


def summarise(texts: list[str], top: int = TOP) -> dict[str, Any]:
    """Collapsed stacks (`frame;frame;... count` per line) as the functions with the most
    samples of their own and in total, each as a share of all samples."""
    own: Counter[str] = Counter()
    total: Counter[str] = Counter()
    samples = 0
    for text in texts:
        for line in text.splitlines():
            stack, _, count = line.rpartition(" ")
            if not stack or not count.isdigit():
                continue
            n = int(count)
            frames = [frame_name(f) for f in stack.split(";")]
            samples += n
            own[frames[-1]] += n
            for frame in dict.fromkeys(frames):  # each function once per stack, outermost first
                total[frame] += n
    share = max(samples, 1)
    # The trunk every sample passes through (the entry point, the event loop, the CLI) says
    # nothing: what matters starts where the stacks branch.
    branches = Counter({name: n for name, n in total.items() if n / share < TRUNK})
    return {
        "samples": samples,
        "own": [[name, n / share] for name, n in own.most_common(top)],
        "total": [[name, n / share] for name, n in branches.most_common(top)],
    }
