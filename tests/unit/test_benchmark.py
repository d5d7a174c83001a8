"""The pipeline benchmark's parts that need no stack: its workload, how it counts outcomes,
the steady-load rate, latency windows, the report and the comparison's plumbing."""

from __future__ import annotations

import copy
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from benchmarks.workload import corpus_notes
from hiring_pipeline.devstack.benchmark import (
    StageTimes,
    count_recommendations,
    count_scoring_outcomes,
    describe_workload,
    latency_windows,
    offered_rate,
    recommendation_outcome,
    scoring_outcome,
    workload,
)
from hiring_pipeline.devstack.benchmark_compare import stack_env, stack_ports
from hiring_pipeline.devstack.benchmark_profile import summarise
from hiring_pipeline.devstack.benchmark_report import median_figures, render
from schemas.rubric import load_rubric
from services.scoring.score import score_interview

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def test_the_workload_never_repeats_a_note_and_mostly_recombines_the_corpus():
    events = workload("t", 1500)
    notes = [a.notes for e in events for a in e.assessments]
    corpus = {n for pool in corpus_notes().values() for n in pool}
    assert len(events) == 1500
    assert len(set(notes)) == len(notes)
    assert sum(n not in corpus for n in notes) / len(notes) > 0.6  # recombined, not quoted
    assert {a.competency for e in events for a in e.assessments} == set(corpus_notes())
    assert {e.role_id for e in events} == {"backend-engineer", "java-backend-engineer", "node-backend-engineer"}


def test_two_runs_score_the_same_notes_under_new_ids():
    first, second = workload("run-a", 300), workload("run-b", 300)
    assert [a.notes for e in first for a in e.assessments] == [a.notes for e in second for a in e.assessments]
    assert not {e.event_id for e in first} & {e.event_id for e in second}
    assert not {e.candidate_id for e in first} & {e.candidate_id for e in second}
    assert [a.notes for e in workload("run-a", 300, seed=11) for a in e.assessments] != [
        a.notes for e in first for a in e.assessments
    ]


def test_a_workload_description_counts_pairs_distinct_notes_and_lengths():
    described = describe_workload(workload("t", 30))
    assert described["interviews"] == 30 and described["pairs"] == 10
    assert described["notes"] == described["distinct_notes"] == 50  # 2 + 2 + 1 competencies per loop of three
    assert described["note_chars"]["p10"] <= described["note_chars"]["p50"] <= described["note_chars"]["p90"]


def scored_payloads(events):
    rubric = load_rubric()
    return [score_interview(e, rubric, NOW).model_dump(mode="json") for e in events]


def test_a_scoring_outcome_leaves_out_ids_timestamps_and_quotes():
    event = workload("one", 1)[0]
    again = event.model_copy(update={"event_id": workload("two", 1)[0].event_id, "candidate_id": "someone-else"})
    first, second = scored_payloads([event, again])
    assert first["event_id"] != second["event_id"]
    assert scoring_outcome(first) == scoring_outcome(second)
    requoted = copy.deepcopy(first)
    for score in requoted["scores"]:
        for signal in score["signals"]:
            signal["quote"] = "other words"
    assert scoring_outcome(requoted) == scoring_outcome(first)


def test_a_scoring_outcome_changes_with_a_score_a_red_flag_or_a_signal():
    payload = scored_payloads(workload("one", 1))[0]
    for change in (
        lambda s: s.update(score=s["score"] + 0.5 if s["score"] < 3.5 else 1.0),
        lambda s: s.update(red_flags=[*s["red_flags"], "sql_injection"]),
        lambda s: s.update(signals=[*s["signals"], {"kind": "strong", "signal": "new", "quote": "q"}]),
    ):
        changed = copy.deepcopy(payload)
        change(changed["scores"][0])
        assert scoring_outcome(changed) != scoring_outcome(payload)


def test_the_scorer_gives_most_benchmark_interviews_an_outcome_of_their_own():
    counted = count_scoring_outcomes(scored_payloads(workload("t", 300)))
    assert counted["interviews"] == 300 and counted["assessments"] == 500
    assert counted["distinct_interview_outcomes"] > 0.8 * 300
    assert counted["distinct_competency_outcomes"] > 0.8 * 500
    assert 0 < counted["red_flagged_share"] < 1


def test_recommendations_are_counted_by_decision_score_competencies_and_red_flags():
    base = {
        "event_id": "1",
        "candidate_id": "c1",
        "role_id": "backend-engineer",
        "decision": "hire",
        "score": 3.1,
        "competencies": [{"competency": "databases", "score": 3.1, "assessments": [{"quotes": ["a"]}]}],
        "red_flags": [],
        "reasons": ["weighted score 3.10 >= 3.0"],
        "issued_at": "2026-12-01T00:00:00Z",
    }
    same = {**base, "event_id": "2", "candidate_id": "c2", "issued_at": "2026-12-02T00:00:00Z"}
    other = {**base, "decision": "no_hire", "score": 2.1}
    assert recommendation_outcome(base) == recommendation_outcome(same)
    counted = count_recommendations([base, same, other])
    assert counted == {"pairs": 3, "distinct_recommendations": 2, "decisions": {"hire": 2, "no_hire": 1}}


def test_the_steady_rate_is_a_fraction_of_the_pass_through_unless_a_rate_is_given():
    assert offered_rate(None, 0.05, 20_000) == pytest.approx(1_000)
    assert offered_rate(None, None, 20_000) == pytest.approx(1_000)  # issue #17's 5 % by default
    assert offered_rate(300, None, 20_000) == 300


def test_latency_windows_give_percentiles_per_five_seconds_of_sending():
    latency = [(100.0 + i * 0.01, float(i % 100)) for i in range(1000)]  # 10 s, 0..99 ms each second
    windows = latency_windows(latency)
    assert [w["start_s"] for w in windows] == [0.0, 5.0]
    assert [w["events"] for w in windows] == [500, 500]
    assert windows[0]["p50"] == pytest.approx(50, abs=1) and windows[0]["p99"] == pytest.approx(99, abs=1)


def test_median_figures_takes_each_numbers_median_and_keeps_the_rest_from_the_first_run():
    runs = [
        {"rate": 1.0, "cpu": {"machine": 3.0}, "evidence_search": "scan", "windows": [1]},
        {"rate": 5.0, "cpu": {"machine": 1.0}, "evidence_search": None, "windows": [2]},
        {"rate": 2.0, "cpu": {"machine": 2.0}, "evidence_search": "scan", "windows": [3]},
    ]
    assert median_figures(runs) == {"rate": 2.0, "cpu": {"machine": 2.0}, "evidence_search": "scan", "windows": [1]}


def figures(**changes):
    base = {
        "events": 20_000,
        "rate_fraction": 0.05,
        "rate": 1_000.0,
        "machine": {"cores": 2, "cpu": "test"},
        "scoring_instances": 1,
        "publish_events_per_s": 40_000.0,
        "passthrough_events_per_s": 20_000.0,
        "scoring_events_per_s": 3_000.0,
        "aggregation_events_per_s": 5_000.0,
        "end_to_end_events_per_s": 2_000.0,
        "end_to_end_vs_passthrough": 0.1,
        "latency_ms": {"p50": 100.0, "p95": 180.0, "p99": 240.0, "max": 300.0},
        "scoring_cpu_ms_per_event": 0.3,
        "aggregation_cpu_ms_per_event": 0.15,
        "cpu_ms_per_event_end_to_end": {
            "scoring": 0.35,
            "aggregation": 0.2,
            "broker": 0.05,
            "database": 0.1,
            "benchmark": 0.05,
            "stack": 0.75,
            "machine": 0.8,
            "other": 0.05,
        },
        "cpu_bound_ceiling_events_per_s": 2_500.0,
        "peak_rss_mb": {"scoring": 120.0, "aggregation": 110.0},
        "evidence_search": "scan",
        "scoring_outcomes": {
            "interviews": 20_000,
            "distinct_interview_outcomes": 19_000,
            "assessments": 33_334,
            "distinct_competency_outcomes": 30_000,
            "distinct_scores": 900,
            "red_flagged_share": 0.25,
        },
        "recommendation_outcomes": {"pairs": 6_667, "distinct_recommendations": 6_600, "decisions": {"hire": 1}},
    }
    base.update(changes)
    return base


def test_the_report_of_a_run_gives_every_figure_and_each_target_with_its_verdict():
    text = render(figures(), markdown=True)
    assert "| end to end | 2,000 events/s | 0.10 |" in text
    assert "p50 100 / p95 180 / p99 240 / max 300 ms" in text
    assert "19,000 distinct of 20,000 interviews" in text
    assert "6,600 distinct of 6,667 pairs" in text
    assert "| end to end >= 0.25 x the pass-through | 0.100 x (needs 2.5 times the throughput) | **MISSED** |" in text
    assert (
        "| p99 <= 250 ms at 5% of the pass-through | 240 ms at 1,000 events/s (5% of the pass-through) | met |" in text
    )


def test_stage_times_split_an_events_latency_at_its_first_scored_event():
    stages = StageTimes()
    stages.scored((b"cand-1:role", "int-1"), 10.040)
    stages.scored((b"cand-1:role", "int-1"), 10.500)  # a re-delivered scored event: the first counts
    stages.recommended((b"cand-1:role", "int-1"), 10.0, 10.065)
    stages.recommended((b"cand-2:role", "int-9"), 10.0, 10.300)  # its scored event was not read: no split
    assert stages.scoring == pytest.approx([40.0]) and stages.aggregation == pytest.approx([25.0])
    assert stages.percentiles() == {
        "scoring": {"p50": pytest.approx(40.0), "p95": pytest.approx(40.0), "p99": pytest.approx(40.0)},
        "aggregation": {"p50": pytest.approx(25.0), "p95": pytest.approx(25.0), "p99": pytest.approx(25.0)},
    }


def test_the_report_gives_the_latency_by_stage_when_the_run_measured_it():
    by_stage = {"scoring": {"p50": 80.0, "p95": 150.0, "p99": 190.0}, "aggregation": {"p50": 20, "p95": 30, "p99": 45}}
    text = render(figures(latency_by_stage_ms=by_stage))
    assert "scoring p50 80 / p95 150 / p99 190 ms; aggregation p50 20 / p95 30 / p99 45 ms" in text
    assert "scoring p50" not in render(figures())  # a run from before stages were timed


def test_a_latency_measured_at_a_fixed_rate_is_not_judged_against_the_target():
    text = render(figures(rate_fraction=None, rate=500.0))
    assert "not measured as defined" in text


def test_an_overloaded_latency_run_reports_its_percentiles_as_lower_bounds():
    overloaded = {"p50": 9_000.0, "p95": 60_000.0, "p99": 61_000.0, "max": 62_000.0, "counted_share": 0.4}
    text = render(figures(latency_ms={**overloaded, "lower_bound": True}), markdown=True)
    assert "p50 >= 9000 / p95 >= 60000 / p99 >= 61000 / max >= 62000 ms (overloaded: 40% counted in time" in text
    assert (
        "| p99 <= 250 ms at 5% of the pass-through | >= 61000 ms at 1,000 events/s (5% of the pass-through) | **MISSED** |"
        in text
    )


def test_a_comparison_gives_each_sides_figures_their_ratio_and_the_cpu_target():
    old = figures(
        cpu_ms_per_event_end_to_end={**figures()["cpu_ms_per_event_end_to_end"], "machine": 2.0, "stack": 1.2}
    )
    document = {
        "sides": [
            {"label": "bench@abc", "revision": "abc", "description": "now", "figures": figures()},
            {"label": "5acf081", "revision": "5acf081", "description": "then", "figures": old},
        ],
        "options": ["--events", "20000"],
    }
    text = render(document, markdown=True)
    assert "| CPU per event end to end: whole machine | 0.80 ms | 2.00 ms | 0.40 |" in text
    assert "| whole-machine CPU per event end to end <= 0.5 x 5acf081 | 0.400 x | met |" in text
    assert (
        "| the pipeline's processes' CPU per event end to end <= 0.5 x 5acf081 | 0.625 x (needs 1.250 times less) | **MISSED** |"
        in text
    )


def test_the_whole_machine_cpu_target_is_not_judged_when_other_processes_took_much_of_the_machine():
    busy = {**figures()["cpu_ms_per_event_end_to_end"], "machine": 8.0, "other": 6.0, "stack": 2.0}
    document = {
        "sides": [
            {"label": "bench@abc", "revision": "abc", "description": "now", "figures": figures()},
            {
                "label": "5acf081",
                "revision": "5acf081",
                "description": "then",
                "figures": figures(cpu_ms_per_event_end_to_end=busy),
            },
        ]
    }
    text = render(document, markdown=True)
    assert (
        "| whole-machine CPU per event end to end <= 0.5 x 5acf081 | 0.100 x; other processes took 75% of the machine on one side: not judged | not measured as defined |"
        in text
    )
    assert "| the pipeline's processes' CPU per event end to end <= 0.5 x 5acf081 | 0.375 x | met |" in text


def test_a_scaling_run_says_whether_peak_memory_stayed_flat():
    runs = [
        {"events": 10_000, "end_to_end_events_per_s": 2_000.0, "peak_rss_mb": {"scoring": 100.0, "aggregation": 90.0}},
        {"events": 100_000, "end_to_end_events_per_s": 2_100.0, "peak_rss_mb": {"scoring": 130.0, "aggregation": 91.0}},
    ]
    assert "1.30 x (the larger of the two services) | **MISSED**" in render({"scaling": runs}, markdown=True)
    runs[1]["peak_rss_mb"]["scoring"] = 110.0
    runs[1]["rss_mb_first_quarter"] = {"scoring": 100.0, "aggregation": 88.0}
    runs[1]["rss_mb_last_quarter"] = {"scoring": 104.0, "aggregation": 89.0}
    text = render({"scaling": runs}, markdown=True)
    assert "1.10 x (the larger of the two services) | met" in text
    assert (
        "| 100,000 | 2,100 events/s | 1.05 of the smallest run | 110 / 91 MB | 1.10 / 1.01 | 100 -> 104 / 88 -> 89 MB |"
        in text
    )


def test_a_fresh_stack_leaves_the_callers_security_settings_and_addresses_behind(monkeypatch):
    monkeypatch.setenv("KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
    monkeypatch.setenv("DATABASE_URL_FILE", "/run/secrets/db")
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "broker.example:9092")
    env = stack_env(Path("/tmp/state"), 41000, 42000)
    assert "KAFKA_SECURITY_PROTOCOL" not in env and "DATABASE_URL_FILE" not in env
    assert env["KAFKA_BOOTSTRAP_SERVERS"] == "127.0.0.1:41000"
    assert env["DATABASE_URL"] == "postgresql://hiring@127.0.0.1:42000/hiring"
    assert env["HIRING_PIPELINE_STATE_DIR"] == "/tmp/state"
    assert env["PATH"] == os.environ["PATH"]


def test_a_fresh_stacks_broker_has_its_two_listener_ports_above_it_free():
    kafka, postgres = stack_ports()
    assert postgres not in range(kafka, kafka + 3)
    import socket

    for port in (kafka, kafka + 1, kafka + 2, postgres):
        with socket.socket() as s:
            s.bind(("127.0.0.1", port))  # free: binds


def test_a_median_of_counts_is_a_count():
    assert median_figures([{"interviews": 20_000}, {"interviews": 20_000}]) == {"interviews": 20_000}
    assert isinstance(median_figures([{"n": 3}, {"n": 4}])["n"], int)


def test_a_profile_counts_each_functions_own_samples_and_its_samples_in_total():
    stacks = (
        "run (service.py:10);handle (consumer.py:66);score_interview (score.py:40);scan (scan.py:99) 60\n"
        "run (service.py:10);handle (consumer.py:66);score_interview (score.py:44) 20\n"
        "run (service.py:10);handle (consumer.py:70);send_all (kafka.py:144) 20\n"
    )
    summary = summarise([stacks], top=3)
    assert summary["samples"] == 100
    assert summary["own"] == [
        ["scan (scan.py)", 0.6],
        ["score_interview (score.py)", 0.2],
        ["send_all (kafka.py)", 0.2],
    ]
    # In total: below the trunk every sample shares (run, handle); one function's two lines as one.
    assert summary["total"] == [
        ["score_interview (score.py)", 0.8],
        ["scan (scan.py)", 0.6],
        ["send_all (kafka.py)", 0.2],
    ]
    text = render(figures(profile={"scoring": summary}), markdown=True)
    assert "| scan (scan.py) 60% | score_interview (score.py) 80% |" in text
