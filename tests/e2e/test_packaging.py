"""The wheel as a user installs it: built from this checkout, installed with the lock's
versions into a fresh virtualenv, run from an unrelated folder (so nothing is read from
the repository)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import interview

ROOT = Path(__file__).resolve().parents[2]


def sh(*args: str | Path, cwd: Path, stdin: str | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(a) for a in args], cwd=cwd, input=stdin, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert result.returncode == 0, f"{args}: {result.stdout[-2000:]}{result.stderr[-2000:]}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, Path]:
    """(the fresh virtualenv's bin folder, a folder outside the repository)."""
    tmp = tmp_path_factory.mktemp("wheel")
    # The sources exactly as the Dockerfile copies them into the image: so the image builds
    # from them, and the build leaves nothing behind in the checkout.
    source = tmp / "source"
    final_stage: list[str] = []  # the COPY lines of the image's own stage, not a build stage's
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        if line.startswith("FROM "):
            final_stage = []
        elif line.startswith("COPY ") and "--from=" not in line:
            final_stage.append(line)
    for line in final_stage:
        *paths, _ = line.split()[1:]
        for path in paths:
            target = source / path
            target.parent.mkdir(parents=True, exist_ok=True)
            if (ROOT / path).is_dir():
                shutil.copytree(ROOT / path, target, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy(ROOT / path, target)
    sh(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", tmp / "dist", source, cwd=tmp)
    [wheel] = (tmp / "dist").glob("hiring_pipeline-*.whl")
    sh(sys.executable, "-m", "venv", tmp / "venv", cwd=tmp)
    bin_dir = tmp / "venv" / "bin"
    sh(bin_dir / "pip", "install", "-q", "-c", ROOT / "requirements.lock", wheel, cwd=tmp)
    elsewhere = tmp / "elsewhere"
    elsewhere.mkdir()
    return bin_dir, elsewhere


def test_demo_help_from_the_wheel(installed):
    bin_dir, cwd = installed
    assert "--sample" in sh(bin_dir / "hiring-pipeline", "demo", "--help", cwd=cwd).stdout


def test_score_from_the_wheel(installed):
    bin_dir, cwd = installed
    scored = json.loads(sh(bin_dir / "hiring-pipeline", "score", cwd=cwd, stdin=interview().model_dump_json()).stdout)
    assert scored["scores"] and scored["interview_id"]


def test_schemas_export_check_from_the_wheel(installed, tmp_path):
    bin_dir, cwd = installed
    assert (
        "files are what the code generates"
        in sh(bin_dir / "hiring-pipeline", "schemas", "export", "--check", cwd=cwd).stdout
    )
    # Writing needs a destination outside site-packages.
    sh(bin_dir / "hiring-pipeline", "schemas", "export", "--out", tmp_path, cwd=cwd)
    assert (tmp_path / "asyncapi.json").exists() and (tmp_path / "jsonschema" / "InterviewCompleted.json").exists()


def test_the_wheel_carries_the_sample_and_the_brokers_pom(installed):
    bin_dir, cwd = installed
    code = (
        "from hiring_pipeline.devstack.demo import SAMPLE; from hiring_pipeline.devstack.infra import KAFKA_POM;"
        "from schemas.tooling.asyncapi import DOCUMENT; import site;"
        "paths = [SAMPLE, KAFKA_POM, DOCUMENT]; assert all(p.is_file() for p in paths), paths;"
        "assert not any(str(p).startswith(tuple(site.getsitepackages())) for p in paths), paths"
    )
    sh(bin_dir / "python", "-c", code, cwd=cwd)


def test_version_from_the_wheel(installed):
    bin_dir, cwd = installed
    assert sh(bin_dir / "hiring-pipeline", "--version", cwd=cwd).stdout.strip().startswith("hiring-pipeline ")
