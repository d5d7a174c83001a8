"""The CPU benchmarks of the scoring core and the handlers measure what the services run."""

from __future__ import annotations

import sys

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


def test_another_revision_is_compiled_like_this_checkout_before_it_is_measured_beside_it(tmp_path, monkeypatch):
    """Measured beside a revision whose core mypyc can build, this checkout's compiled core once
    met that revision's plain Python and read 0.81x where compiled against compiled is 1.01x."""
    from benchmarks import beside

    calls = []
    monkeypatch.setattr(beside.subprocess, "run", lambda command, **options: calls.append((command, options["cwd"])))
    monkeypatch.delenv("HIRING_PIPELINE_COMPILED", raising=False)
    beside._compile_like_this_checkout(tmp_path)  # a revision from before the compiled core
    assert calls == []
    (tmp_path / "services" / "scoring").mkdir(parents=True)
    (tmp_path / "services" / "scoring" / "compiled.py").write_text("")
    monkeypatch.setenv("HIRING_PIPELINE_COMPILED", "0")
    beside._compile_like_this_checkout(tmp_path)  # this checkout runs plain: so does the other
    assert calls == []
    monkeypatch.delenv("HIRING_PIPELINE_COMPILED")
    beside._compile_like_this_checkout(tmp_path)
    assert calls == [([sys.executable, "-m", "hiring_pipeline.cli", "compile"], tmp_path)]
