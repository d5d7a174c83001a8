"""Interviewer calibration end to end: scored interviews stored by aggregation -> the record names a
lenient interviewer, `hiring-pipeline calibration` prints the offsets, the metric counts them."""

import asyncio
import json

import pytest

from hiring_pipeline.tools.recommendations import follow_latest
from tests.e2e.cli import http_get, run
from tests.factories import interview
from tests.kafka_io import end_offsets
from tests.pipeline import Service, publish, tag, wait_ready

pytestmark = pytest.mark.integration
ALL = ["api_design", "databases", "concurrency", "reliability_observability", "security"]


async def test_a_lenient_interviewer_is_named_in_the_record_listed_by_the_cli_and_counted(stack, tmp_path):
    t = tag()
    lenient, steady, second = f"intv-{t}-7", f"intv-{t}-a", f"intv-{t}-b"
    history = []
    for n in range(12):
        candidate = f"{t}-h{n}"
        for who, rating in ((lenient, "strong_yes"), (steady, "yes"), (second, "yes" if n < 6 else "no")):
            history.append(
                interview(
                    candidate_id=candidate,
                    interview_id=f"{candidate}-{who}",
                    interviewer_id=who,
                    ratings={"security": rating},
                )
            )
    candidate = f"{t}-c1"
    loop = [
        interview(
            candidate_id=candidate,
            interview_id=f"{candidate}-7",
            interviewer_id=lenient,
            ratings={**dict.fromkeys(ALL, "yes"), "security": "strong_yes"},
        ),
        interview(
            candidate_id=candidate,
            interview_id=f"{candidate}-x",
            interviewer_id=f"intv-{t}-x",
            ratings={**dict.fromkeys(ALL, "yes"), "concurrency": "mixed", "reliability_observability": "mixed"},
        ),
    ]
    since = await end_offsets(stack.kafka_bootstrap_servers, "hiring.recommendation.v1")
    services = [Service("scoring"), Service("aggregation", env={"CALIBRATION_REFRESH_S": "0.5"})]
    for service in services:
        service.start(tmp_path)
    try:
        await wait_ready(*services)
        await publish(stack.kafka_bootstrap_servers, history)
        await follow_latest(
            stack.kafka_bootstrap_servers,
            until=lambda latest: sum(k.startswith(f"{t}-h") for k in latest) == 12,
            timeout=60,
            since=since,
        )
        await refreshed_after_now(services[1])  # a calibration refresh over the stored history
        await publish(stack.kafka_bootstrap_servers, loop)
        latest = await follow_latest(
            stack.kafka_bootstrap_servers,
            until=lambda latest: (
                f"{candidate}:backend-engineer" in latest
                and len(latest[f"{candidate}:backend-engineer"].interviews) == 2
            ),
            timeout=60,
            since=since,
        )
        await asyncio.sleep(1)
        _, metrics = await asyncio.to_thread(http_get, f"http://127.0.0.1:{services[1].port}/metrics")
    finally:
        for service in services:
            service.stop()
    record = latest[f"{candidate}:backend-engineer"]
    assert record.calibration == [
        f"{lenient} rates security 1.25 points above their loops over 12 interviews (spread 0.26)"
    ]
    assert record.decision.value == "hire"  # named, not adjusted: calibration_adjust is off by default

    shown = run("calibration", "--interviewer", lenient, "--json")
    assert shown.returncode == 0, shown.stderr
    rows = {row["competency"]: row for row in map(json.loads, shown.stdout.splitlines())}
    assert set(rows) == set(ALL) and next(iter(rows)) == "security"  # the largest offset first
    row = rows["security"]
    # the new loop counts too: +1.0 against intv-x on security, 13 interviews
    assert (row["interviews"], row["beyond_threshold"]) == (13, True)
    assert rows["api_design"]["interviews"] == 1 and not rows["api_design"]["beyond_threshold"]
    assert abs(row["offset"] - (1.25 * 12 + 1.0) / 13) < 0.001
    table = run("calibration", "--role", "backend-engineer", env={"COLUMNS": "160"})
    assert lenient in table.stdout and second in table.stdout and "named" in table.stdout
    explained = run("explain", candidate, "backend-engineer")
    assert "Calibration (interviewers against their past loops):" in explained.stdout
    beyond = [
        line
        for line in metrics.splitlines()
        if line.startswith("aggregation_calibration_interviewers_beyond_threshold")
    ]
    assert any('role="backend-engineer"' in line and float(line.split()[-1]) >= 2 for line in beyond), beyond
    assert run("calibration", "--role", "no-such-role").returncode == 2


async def refreshed_after_now(aggregation: Service, timeout: float = 60) -> None:
    """Until the service has begun and finished a calibration refresh after this moment."""

    def refreshes() -> int:
        return aggregation.log.read_text().count('"calibration_refreshed"')

    target = refreshes() + 2  # the one running now may have read the store before the history landed
    deadline = asyncio.get_running_loop().time() + timeout
    while refreshes() < target:
        assert asyncio.get_running_loop().time() < deadline, "no calibration refresh"
        await asyncio.sleep(0.2)
