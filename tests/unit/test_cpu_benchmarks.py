"""The CPU benchmarks of the scoring core and the handlers measure what the services run."""

from __future__ import annotations

from benchmarks import handlers, scoring_core
from services.scoring.consumer import SCAN_AHEAD


def test_the_core_benchmark_scores_every_interview_in_the_services_runs_and_each_alone():
    rounds = scoring_core.Rounds(scoring_core.interviews(SCAN_AHEAD + 6))
    assert rounds.per_run == [SCAN_AHEAD, 6]
    figures = rounds.round()
    assert figures["scoring_us"] > 0 and figures["one_by_one_us"] > 0 and figures["baseline_us"] > 0


def test_the_handlers_benchmark_publishes_a_scored_event_for_every_interview_and_recommendations():
    rounds = handlers.Rounds(handlers.documents(12))
    figures = rounds.round()
    # A core the benchmark calls wrongly would dead-letter events instead of scoring them.
    assert figures["published"][0] == 12 and figures["published"][1] > 0
    assert figures["core_us"] > 0
    assert [len(run) for run in rounds.score_all()] == [12]  # the core as the handler calls it, in one run
