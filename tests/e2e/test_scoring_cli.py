"""`hiring-pipeline score`, `run scoring` and `infra status` as subprocesses."""

import json

import pytest

from schemas.events import InterviewScored
from tests.e2e.cli import run, service, wait_http
from tests.factories import STRONG_NOTES, interview

pytestmark = pytest.mark.integration


def test_score_prints_the_scored_interview_for_a_document_on_stdin():
    event = interview(notes=STRONG_NOTES | {"security": "Stores passwords in plain text."})
    result = run("score", stdin=event.model_dump_json())
    assert result.returncode == 0, result.stderr
    scored = InterviewScored.model_validate_json(result.stdout)
    security = next(s for s in scored.scores if s.competency.value == "security")
    assert security.red_flags == ["security.plaintext_passwords"] and security.score <= 2.0


def test_score_refuses_invalid_input_with_exit_code_2_and_one_line_naming_the_field():
    data = json.loads(interview().model_dump_json()) | {"revision": "three"}
    result = run("score", stdin=json.dumps(data))
    assert result.returncode == 2
    assert result.stdout == ""
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("invalid InterviewCompleted: revision:")


def test_infra_status_says_both_components_are_up(stack):
    result = run("infra", "status")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.strip().splitlines()
    assert [line.split(":")[0] for line in lines] == ["kafka", "topics", "postgres"]
    assert all(": up - " in line for line in lines)


def test_the_scoring_service_serves_liveness_readiness_and_metrics(stack):
    with service("scoring", 18081):
        assert wait_http("http://127.0.0.1:18081/health/live").strip() == "ok"
        assert wait_http("http://127.0.0.1:18081/health/ready").strip() == "ready"
        metrics = wait_http("http://127.0.0.1:18081/metrics")
    assert "scoring_events_consumed_total" in metrics
    assert "scoring_batch_processing_seconds_bucket" in metrics


def test_the_service_exits_instead_of_hanging_when_the_database_is_unreachable_at_start(stack):
    with service("scoring", 18083, env={"DATABASE_URL": "postgresql://hiring@127.0.0.1:1/hiring"}) as process:
        process.wait(timeout=60)  # the lifespan cannot open the pool: the process exits, it does not hang
    assert process.returncode != 0
