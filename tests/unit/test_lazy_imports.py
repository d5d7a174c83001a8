"""Commands load only what they use: scoring an interview on the command line needs no
Kafka or database client, so `hiring-pipeline score` starts fast and works without them."""

from __future__ import annotations

import subprocess
import sys

from tests.factories import interview

HEAVY = ("aiokafka", "asyncpg", "faststream", "uvicorn", "httpx", "prometheus_client")
MODULES_AFTER = """
import sys
from hiring_pipeline.cli import app
try:
    app(sys.argv[1:], standalone_mode=False)
finally:
    print("\\n" + " ".join(sorted(sys.modules)), file=sys.stderr)
"""


def modules_loaded_by(*args: str, stdin: str = "") -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", MODULES_AFTER, *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return set(result.stderr.strip().splitlines()[-1].split())


def heavy(modules: set[str]) -> set[str]:
    return {m for m in modules if m.split(".")[0] in HEAVY}


def test_score_help_loads_no_kafka_or_database_client():
    assert heavy(modules_loaded_by("score", "--help")) == set()


def test_scoring_an_interview_loads_no_kafka_or_database_client():
    event = interview(candidate_id="cand-lazy", role_id="backend-engineer", interview_id="i-lazy")
    assert heavy(modules_loaded_by("score", stdin=event.model_dump_json())) == set()
