"""A small run of the benchmark in CI: it completes with every count right (timing is not judged)."""

import json

import pytest

from tests.e2e.cli import run

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("scoring_instances", [1, 2])
def test_a_small_benchmark_run_processes_every_event_and_reports_every_figure(stack, tmp_path, scoring_instances):
    figures_path, chart_path = tmp_path / "bench.json", tmp_path / "bench.png"
    result = run(
        "bench",
        "--events",
        "1500",
        "--rate",
        "100",
        "--duration",
        "5",
        "--scoring-instances",
        str(scoring_instances),
        "--json",
        str(figures_path),
        "--chart",
        str(chart_path),
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    figures = json.loads(figures_path.read_text())
    for key in (
        "end_to_end_events_per_s",
        "passthrough_events_per_s",
        "scoring_events_per_s",
        "aggregation_events_per_s",
    ):
        assert figures[key] > 0
    assert set(figures["latency_ms"]) == {"p50", "p95", "p99", "max"}
    assert figures["latency_ms"]["p50"] <= figures["latency_ms"]["p99"] <= figures["latency_ms"]["max"]
    assert set(figures["peak_rss_mb"]) == {"scoring", "aggregation"}
    cpu = figures["cpu_ms_per_event_end_to_end"]
    assert cpu["machine"] >= cpu["scoring"] + cpu["aggregation"] > 0  # the machine includes the services
    assert figures["cpu_bound_ceiling_events_per_s"] > 0
    assert chart_path.stat().st_size > 10_000
    assert "pass-through baseline" in result.stdout
    assert figures["scoring_instances"] == scoring_instances
    assert f"scoring on its own ({scoring_instances}x)" in result.stdout


def test_the_scaling_run_measures_every_size_end_to_end_with_fresh_processes(stack, tmp_path):
    figures_path = tmp_path / "scaling.json"
    result = run("bench", "--scaling", "150,300", "--json", str(figures_path), timeout=300)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    runs = json.loads(figures_path.read_text())["scaling"]
    assert [r["events"] for r in runs] == [150, 300]
    for r in runs:
        assert r["end_to_end_events_per_s"] > 0
        assert r["peak_rss_mb"]["scoring"] > 0 and r["peak_rss_mb"]["aggregation"] > 0
    assert result.stdout.count("of the smallest run") == 2
