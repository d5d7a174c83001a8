"""A small run of the benchmark in CI: it completes with every count right, on the scoring
fast path, on a workload that scores in many ways (timing is not judged)."""

import json

import pytest

from tests.e2e.cli import run

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(
    ("scoring_instances", "steady"), [(1, ["--rate-fraction", "0.02"]), (2, ["--rate", "100"])], ids=["one", "two"]
)
def test_a_small_benchmark_run_processes_every_event_and_reports_every_figure(
    stack, tmp_path, scoring_instances, steady
):
    figures_path, chart_path = tmp_path / "bench.json", tmp_path / "bench.png"
    result = run(
        "bench",
        "--events",
        "1500",
        *steady,
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
    assert set(figures["latency_ms"]) == {"p50", "p95", "p99", "max", "counted_share", "lower_bound"}
    assert figures["latency_ms"]["counted_share"] == 1 and not figures["latency_ms"]["lower_bound"]
    assert figures["latency_ms"]["p50"] <= figures["latency_ms"]["p99"] <= figures["latency_ms"]["max"]
    assert figures["latency_windows"] and sum(w["events"] for w in figures["latency_windows"]) == int(
        figures["rate"] * 5
    )
    stages = figures["latency_by_stage_ms"]  # every event counted in time: each one's split into stages
    assert set(stages) == {"scoring", "aggregation"} and all(0 <= stages[s]["p50"] <= stages[s]["p99"] for s in stages)
    assert stages["scoring"]["p50"] <= figures["latency_ms"]["p99"]
    assert "latency by stage" in result.stdout
    if steady[0] == "--rate-fraction":
        assert figures["rate"] == pytest.approx(0.02 * figures["passthrough_events_per_s"])
        assert "(2% of the pass-through)" in result.stdout
    else:
        assert figures["rate"] == 100 and figures["rate_fraction"] is None
    assert set(figures["peak_rss_mb"]) == {"scoring", "aggregation"}
    cpu = figures["cpu_ms_per_event_end_to_end"]
    assert cpu["machine"] >= cpu["scoring"] + cpu["aggregation"] > 0  # the machine includes the services
    assert cpu["stack"] >= cpu["scoring"] + cpu["aggregation"] + cpu["broker"] > 0
    assert figures["cpu_attribution"] == "own stack"  # the stack's own broker and database, not the neighbours'
    assert figures["cpu_bound_ceiling_events_per_s"] > 0
    assert chart_path.stat().st_size > 10_000
    assert "pass-through baseline" in result.stdout
    assert figures["scoring_instances"] == scoring_instances
    assert f"scoring on its own ({scoring_instances}x)" in result.stdout
    # The fast path: every scoring process ran the compiled Hyperscan scan.
    assert figures["evidence_search"] == "scan"
    # A workload that measures a scorer, not a cache: no note twice, and most interviews
    # and pairs come out in a way of their own.
    workload, scored, decided = figures["workload"], figures["scoring_outcomes"], figures["recommendation_outcomes"]
    assert workload["distinct_notes"] == workload["notes"] == 2500
    assert scored["interviews"] == 1500
    assert scored["distinct_interview_outcomes"] > 0.8 * scored["interviews"]
    assert decided["pairs"] == 500
    assert decided["distinct_recommendations"] > 0.8 * decided["pairs"]
    assert len(decided["decisions"]) >= 3
    # The tables of BENCHMARKS.md come from the JSON, without running again.
    again = run("bench", "--from-json", str(figures_path), "--markdown")
    assert again.returncode == 0, again.stderr[-2000:]
    assert "| pass-through baseline |" in again.stdout and "| end to end >= 0.25 x the pass-through |" in again.stdout


def test_the_scaling_run_measures_every_size_end_to_end_with_fresh_processes(stack, tmp_path):
    figures_path = tmp_path / "scaling.json"
    result = run("bench", "--scaling", "150,300", "--json", str(figures_path), timeout=300)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    runs = json.loads(figures_path.read_text())["scaling"]
    assert [r["events"] for r in runs] == [150, 300]
    for r in runs:
        assert r["end_to_end_events_per_s"] > 0
        assert r["peak_rss_mb"]["scoring"] > 0 and r["peak_rss_mb"]["aggregation"] > 0
        for quarter in ("rss_mb_first_quarter", "rss_mb_last_quarter"):
            assert 0 < r[quarter]["scoring"] <= r["peak_rss_mb"]["scoring"]
    assert result.stdout.count("of the smallest run") == 2
    assert "peak memory flat from 150 to 300 events" in result.stdout


def test_against_another_revision_runs_both_sides_on_fresh_stacks_and_reports_their_ratios(tmp_path):
    figures_path = tmp_path / "against.json"
    result = run(
        "bench",
        *("--events", "150", "--rate", "30", "--duration", "2"),
        *("--against", "HEAD", "--json", str(figures_path), "--chart", str(tmp_path / "against.png")),
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    sides = json.loads(figures_path.read_text())["sides"]
    assert len(sides) == 2 and sides[1]["label"] == "HEAD"
    assert sides[0]["revision"] == sides[1]["revision"]  # HEAD beside this checkout: the same commit
    assert sides[1]["figures"]["services_from"] is not None and sides[0]["figures"]["services_from"] is None
    for side in sides:
        assert side["figures"]["end_to_end_events_per_s"] > 0
        assert side["figures"]["evidence_search"] == "scan"
        assert side["figures"]["cpu_attribution"] == "own stack"
    # The same notes on both sides: the scorer decides them alike.
    assert sides[0]["figures"]["scoring_outcomes"] == sides[1]["figures"]["scoring_outcomes"]
    assert "whole-machine CPU per event end to end <= 0.5 x HEAD" in result.stdout
    assert (tmp_path / "against.png").stat().st_size > 10_000
