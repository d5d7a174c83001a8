"""Running `hiring-pipeline` as a user does: a subprocess of the installed entry point."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

BIN = shutil.which("hiring-pipeline", path=str(Path(sys.executable).parent)) or "hiring-pipeline"


def run(*args: str, stdin: str | None = None, env: dict[str, str] | None = None, timeout: float = 120):
    """`hiring-pipeline ARGS` to its end. Past `timeout`, the command and every process it
    started (its session: the benchmark's and the demo's services) are killed before
    `TimeoutExpired` is raised, so nothing it left runs on into the next test."""
    with subprocess.Popen(
        [BIN, *args],
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
        start_new_session=True,
    ) as process:
        try:
            stdout, stderr = process.communicate(stdin, timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            stdout, stderr = process.communicate()
            raise subprocess.TimeoutExpired(process.args, timeout, stdout, stderr) from None
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def http_get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=3) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def wait_http(url: str, status: int = 200, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    last: tuple[int, str] | str = "no answer"
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            last = http_get(url)
            if last[0] == status:
                return last[1]
        time.sleep(0.25)
    raise AssertionError(f"{url} did not answer {status} within {timeout}s; last: {last}")


@contextlib.contextmanager
def service(name: str, port: int, env: dict[str, str] | None = None) -> Iterator[subprocess.Popen]:
    process = subprocess.Popen(
        [BIN, "run", name],
        env={**os.environ, "HTTP_PORT": str(port), **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
