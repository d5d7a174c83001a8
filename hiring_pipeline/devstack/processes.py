"""A service as a child process on a free HTTP port, as the demo, the benchmark and the
fault tests run it: start, wait until ready, kill -9, stop, and what it cost."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

HIRING_PIPELINE = str(Path(sys.executable).parent / "hiring-pipeline")


def die_with_parent() -> None:
    """Run in the child between fork and exec (`preexec_fn`): on Linux, SIGTERM it when the
    process that started it dies. A benchmark or a test killed with SIGKILL otherwise leaves
    its services running, in the same consumer groups as the next run's, taking its records."""
    if sys.platform.startswith("linux"):
        import ctypes

        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class ServiceProcess:
    name: str
    env: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None  # type: ignore[type-arg]
    log: Path | None = None
    command: tuple[str, ...] = (HIRING_PIPELINE,)
    """What runs `run NAME`: this installation's entry point, or another checkout's (the benchmark's `--against`)."""
    cwd: Path | None = None

    def start(self, log_dir: Path) -> None:
        """`hiring-pipeline run NAME`, its output appended to `log_dir/NAME-PORT.log`."""
        log_dir.mkdir(parents=True, exist_ok=True)
        self.log = log_dir / f"{self.name}-{self.port}.log"
        self.process = subprocess.Popen(
            [*self.command, "run", self.name],
            env={**os.environ, "HTTP_PORT": str(self.port), **self.env},
            cwd=self.cwd,
            stdout=open(self.log, "ab"),  # noqa: SIM115 - the child holds it for its lifetime
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            preexec_fn=die_with_parent,  # only prctl between fork and exec
        )

    def ready_status(self) -> int:
        """The HTTP status of /health/ready, or 0 when nothing answers."""
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health/ready", timeout=3) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code
        except OSError:
            return 0

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while self.ready_status() != 200:
            if self.process is None or self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited (see {self.log})")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.name} not ready after {timeout:.0f}s (see {self.log})")
            time.sleep(0.2)

    def kill9(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self, timeout: float = 30) -> None:
        """SIGTERM, a graceful shutdown, SIGKILL if it takes longer than `timeout`."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()  # type: ignore[union-attr]
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def peak_rss_mb(self) -> float:
        return self._status_mb("VmHWM:")

    def rss_mb(self) -> float:
        """Resident memory now (the peak is `peak_rss_mb`)."""
        return self._status_mb("VmRSS:")

    def _status_mb(self, field: str) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():  # type: ignore[union-attr]
            if line.startswith(field):
                return int(line.split()[1]) / 1024
        return float("nan")


@dataclass
class ServiceGroup:
    """`instances` processes of one service, in one consumer group: the partitions are split
    between them. Reports CPU as their sum and memory as the largest one."""

    name: str
    instances: int = 1
    env: dict[str, str] = field(default_factory=dict)
    members: list[ServiceProcess] = field(default_factory=list)
    command: tuple[str, ...] = (HIRING_PIPELINE,)
    cwd: Path | None = None

    def __post_init__(self) -> None:
        self.members = [
            ServiceProcess(self.name, self.env, command=self.command, cwd=self.cwd) for _ in range(self.instances)
        ]

    def start(self, log_dir: Path) -> None:
        for member in self.members:
            member.start(log_dir)

    def wait_ready(self, timeout: float = 60) -> None:
        for member in self.members:
            member.wait_ready(timeout)

    def stop(self, timeout: float = 30) -> None:
        for member in self.members:
            member.stop(timeout)

    def pids(self) -> list[int]:
        return [m.process.pid for m in self.members if m.process is not None]

    def cpu_seconds(self) -> float:
        return sum(m.cpu_seconds() for m in self.members)

    def peak_rss_mb(self) -> float:
        return max(m.peak_rss_mb() for m in self.members)

    def rss_mb(self) -> float:
        return max(m.rss_mb() for m in self.members)
