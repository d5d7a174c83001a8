"""The Greenhouse adapter end to end: Harvest-shaped server -> `ats greenhouse sync` ->
scoring -> aggregation -> the recruiter's recommendation; then a deletion webhook."""

import json
import os
import random
import signal
import subprocess
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import pytest

from hiring_pipeline.devstack.processes import free_port
from schemas import topics
from schemas.events import Recommendation
from services.aggregation.app import create_app as aggregation_app
from services.aggregation.settings import AggregationSettings
from services.scoring.app import create_app as scoring_app
from services.scoring.settings import ScoringSettings
from tests.e2e.cli import BIN, http_get, run, wait_http
from tests.greenhouse import JOB, NOTES, SECRET, STRONG, clean_state, signed
from tests.harvest_server import API_KEY, HarvestServer, scorecard
from tests.kafka_io import end_offsets, read_until
from tests.services import running

pytestmark = pytest.mark.integration
MAPPING = Path(__file__).resolve().parents[2] / "samples" / "greenhouse-mapping.toml"
WEAK = {name: "definitely_not" for name in STRONG}


@pytest.fixture
def adapter_env(stack, tmp_path):
    (tmp_path / "api-key").write_text(API_KEY + "\n")
    (tmp_path / "webhook-secret").write_text(SECRET.decode())
    return {
        "KAFKA_BOOTSTRAP_SERVERS": stack.kafka_bootstrap_servers,
        "DATABASE_URL": stack.database_url,
        "GREENHOUSE_API_KEY_FILE": str(tmp_path / "api-key"),
        "GREENHOUSE_WEBHOOK_SECRET_FILE": str(tmp_path / "webhook-secret"),
        "GREENHOUSE_MAPPING_FILE": str(MAPPING),
    }


async def latest(stack, key, since, done):
    records = await read_until(
        stack.kafka_bootstrap_servers,
        topics.RECOMMENDATION,
        lambda got: bool(got) and done(Recommendation.model_validate_json(got[-1].value)),
        keep=lambda r: r.key == key,
        since=since,
        timeout=45,
    )
    assert records, "no recommendation published"
    return Recommendation.model_validate_json(records[-1].value)


async def test_greenhouse_scorecards_become_a_recommendation_and_a_deleted_one_changes_it(stack, adapter_env):
    await clean_state(stack.database_url)
    candidate, application = random.randrange(10**8, 10**9), random.randrange(10**6, 10**7)
    key = f"{candidate}:backend-engineer".encode()
    addresses = {"kafka_bootstrap_servers": stack.kafka_bootstrap_servers, "database_url": stack.database_url}
    since = await end_offsets(stack.kafka_bootstrap_servers, topics.RECOMMENDATION)
    completed_since = await end_offsets(stack.kafka_bootstrap_servers, topics.INTERVIEW_COMPLETED)
    now = datetime.now(UTC)
    with HarvestServer() as harvest:
        harvest.harvest.applications[application] = JOB
        for n, ratings in enumerate([STRONG, STRONG, WEAK]):
            harvest.harvest.put(
                scorecard(
                    candidate * 10 + n,
                    candidate_id=candidate,
                    application_id=application,
                    updated_at=now,
                    ratings=ratings,
                    notes=NOTES if ratings is STRONG else {},
                    interviewer_id=821 + n,  # a loop: one interviewer per scorecard
                )
            )
        env = {**adapter_env, "GREENHOUSE_HARVEST_URL": harvest.url}

        async with (
            running(scoring_app(ScoringSettings(**addresses))),
            running(aggregation_app(AggregationSettings(**addresses))),
        ):
            first = run("ats", "greenhouse", "sync", "--once", env=env)
            assert first.returncode == 0, first.stderr
            assert "3 scorecards fetched: 3 published" in first.stderr
            assert "Robert" not in first.stdout + first.stderr  # ids only, never names
            before = await latest(stack, key, since, lambda r: len(r.interviews) == 3)
            seen = run("recommendations", "--once", "--json", "--candidate", str(candidate), env=env)
            [shown] = [json.loads(line) for line in seen.stdout.splitlines()]  # what a recruiter sees
            assert (shown["decision"], shown["version"]) == (before.decision.value, before.version)

            again = run("ats", "greenhouse", "sync", "--once", "--json", env=env)
            assert json.loads(again.stdout) == {"fetched": 3, "published": 0, "unchanged": 3, "skipped": {}}, (
                again.stderr
            )
            published = await read_until(
                stack.kafka_bootstrap_servers,
                topics.INTERVIEW_COMPLETED,
                lambda got: False,
                keep=lambda r: r.key == key,
                since=completed_since,
                timeout=2,
            )
            assert len(published) == 3  # the second sync sent nothing

            port = free_port()
            webhook = subprocess.Popen(
                [BIN, "ats", "greenhouse", "webhook"],
                env={**os.environ, **env, "GREENHOUSE_WEBHOOK_PORT": str(port)},
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            try:
                wait_http(f"http://127.0.0.1:{port}/health/ready")
                body = json.dumps(
                    {
                        "action": "scorecard_deleted",
                        "payload": {"scorecard": {"id": candidate * 10 + 2, "candidate_id": candidate}},
                    }
                ).encode()
                request = urllib.request.Request(
                    f"http://127.0.0.1:{port}/webhooks/greenhouse",
                    data=body,
                    headers={**signed(body), "Greenhouse-Event-ID": f"e2e-{candidate}"},
                )
                with urllib.request.urlopen(request, timeout=10) as response:
                    assert json.loads(response.read())["retracted"] == 1
            finally:
                webhook.send_signal(signal.SIGTERM)
                assert webhook.wait(timeout=20) == 0
            after = await latest(stack, key, since, lambda r: r.version > before.version)

    assert before.decision != after.decision
    assert after.version == before.version + 1
    assert [i.interview_id for i in after.interviews] == [f"greenhouse-scorecard-{candidate * 10 + n}" for n in (0, 1)]
    assert "1 retracted interview(s) not counted" in after.reasons
    print(
        f"\n[greenhouse] before: {before.decision.value} {before.score}; after deletion: {after.decision.value} {after.score}"
    )


async def test_the_sync_loop_reports_ready_and_its_counts_and_stops_on_sigterm(stack, adapter_env):
    await clean_state(stack.database_url)
    candidate, application = random.randrange(10**8, 10**9), random.randrange(10**6, 10**7)
    port = free_port()
    with HarvestServer() as harvest:
        harvest.harvest.applications[application] = JOB
        for n in range(2):
            harvest.harvest.put(
                scorecard(
                    candidate * 10 + n,
                    candidate_id=candidate,
                    application_id=application,
                    updated_at=datetime.now(UTC),
                    ratings=STRONG,
                )
            )
        env = {
            **os.environ,
            **adapter_env,
            "GREENHOUSE_HARVEST_URL": harvest.url,
            "GREENHOUSE_SYNC_HTTP_PORT": str(port),
            "GREENHOUSE_POLL_INTERVAL_S": "1",
        }
        sync = subprocess.Popen(
            [BIN, "ats", "greenhouse", "sync"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        try:
            wait_http(f"http://127.0.0.1:{port}/health/ready")
            status, metrics = http_get(f"http://127.0.0.1:{port}/metrics")
        finally:
            sync.send_signal(signal.SIGTERM)
            exit_code = sync.wait(timeout=20)
    assert status == 200
    assert "greenhouse_scorecards_published_total 2.0" in metrics
    assert 'greenhouse_sync_polls_total{outcome="ok"}' in metrics
    assert exit_code == 0  # a clean stop: pool and producer closed, not killed by the signal
