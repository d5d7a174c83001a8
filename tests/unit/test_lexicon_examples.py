"""Each lexicon's own examples, written by its author beside the patterns: what the scorer
must find in a sentence (a red flag, a weakness, a strength) and what it must not (a bad
practice the candidate rejects is no red flag). The labelled corpus measures the scorer on
whole notes; these pin the lexicon's intent one sentence at a time."""

import dataclasses
import json
from pathlib import Path

import pytest

from schemas.rubric import load_rubric
from schemas.scales import Competency
from services.scoring.evidence import assess, compile_lexicon

EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "lexicon-examples"
LEXICON = dataclasses.replace(compile_lexicon(load_rubric()), model=None)
"""The lexicons alone: these examples pin their patterns, not the notes model."""
CASES = [
    pytest.param(Competency(path.stem), json.loads(line), id=f"{path.stem}:{number}")
    for path in sorted(EXAMPLES.glob("*.jsonl"))
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
    if line.strip()
]


@pytest.mark.parametrize(("competency", "example"), CASES)
def test_each_lexicon_example_is_read_as_its_author_meant(competency, example):
    evidence = assess(example["text"], competency, LEXICON)
    kinds = {s.kind for s in evidence.signals}
    ids = {s.signal for s in evidence.signals}
    expect = example["expect"]
    if expect == "red_flag":
        assert evidence.red_flags, evidence.signals
        assert example.get("signal") in (None, *evidence.red_flags), evidence.signals
    elif expect == "weak":
        assert not evidence.red_flags and "weak" in kinds, evidence.signals
    elif expect == "strong":
        assert not evidence.red_flags and evidence.weight > 0, evidence.signals
    else:
        assert not evidence.red_flags, evidence.signals
    if expect in ("weak", "strong") and example.get("signal"):
        assert any(i == example["signal"] or i.startswith(example["signal"] + ".") for i in ids), evidence.signals


def test_every_competency_has_lexicon_examples():
    assert {c.id for c in load_rubric().competencies} <= {Competency(p.stem) for p in EXAMPLES.glob("*.jsonl")}
