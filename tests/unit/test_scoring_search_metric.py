"""The scoring service says which evidence search it runs, so a benchmark can tell the fast
path (the compiled Hyperscan scan) from the plain search."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, generate_latest

from schemas.rubric import load_rubric
from services.scoring.app import evidence_search, evidence_search_gauge
from services.scoring.evidence import compile_lexicon
from services.scoring.scan import scan_available


def test_the_scoring_service_reports_the_compiled_scan_when_hyperscan_is_installed():
    assert scan_available()  # a dependency of the project: the fast path is what production runs
    assert evidence_search(compile_lexicon(load_rubric())) == "scan"


def test_a_lexicon_without_the_scan_is_reported_as_the_plain_search():
    assert evidence_search(compile_lexicon(load_rubric(), search="triggers")) == "triggers"


def test_the_evidence_search_is_a_gauge_labelled_by_the_search_in_use():
    registry = CollectorRegistry()
    evidence_search_gauge(registry).labels("scan").set(1)
    assert 'scoring_evidence_search{search="scan"} 1.0' in generate_latest(registry).decode()
