"""Measures the scorer on labelled notes: is each verdict right, is each red flag found?

A labelled note is one competency's notes, the verdict a senior interviewer reading only
those notes would give (`strong`: meets the bar; `weak`: does not) and the red flag it
shows, if any. The scorer reads the notes with no rating (the notes alone must carry
the verdict) and its verdict is the side of the neutral 2.5 its score falls on; a
score of exactly 2.5 (no evidence, or evidence that cancels out) is `none`, counted wrong.

Files are JSON lines; field names accepted: `notes` (or `text`), `competency`, `verdict`
(or `expected`), `red_flag` (a description, true/false or null), `id` (optional).
"""

from __future__ import annotations

import json
import random
import re
import textwrap
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from schemas.events import Assessment
from schemas.rubric import Rubric
from schemas.scales import Competency
from services.scoring.evidence import Lexicon, assess, compile_lexicon
from services.scoring.score import NEUTRAL, score_assessment

VERDICTS = ("strong", "weak", "none")
DEFAULT_SPLIT = Path("tests/data/notes/test")


@dataclass(frozen=True)
class LabelledNote:
    id: str
    competency: Competency
    notes: str
    verdict: str
    red_flag: bool
    kind: str | None = None
    """What makes the note hard (`red_flag_action`, `name_dropping`, ...), when labelled."""
    voice: str = ""
    """Who wrote it: its file's name (each corpus file is one interviewer's voice)."""


@dataclass(frozen=True)
class Outcome:
    id: str
    competency: str
    expected: str
    got: str
    expected_red_flag: bool
    red_flags: list[str]
    score: float
    evidence: list[str]
    """The signals the score rests on, as `kind signal`: why it went the way it did."""

    @property
    def right(self) -> bool:
        return self.expected == self.got and self.expected_red_flag == bool(self.red_flags)


@dataclass
class Report:
    notes: int
    accuracy: float
    red_flag_recall: float | None
    false_red_flags: float
    per_verdict: dict[str, dict[str, float | None]]
    confusion: dict[str, dict[str, int]]
    per_kind: dict[str, dict[str, float]] = field(default_factory=dict)
    """Accuracy of the verdict per kind of note, with the number of notes."""
    failures: list[Outcome] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {**asdict(self), "failures": [asdict(f) for f in self.failures]}


def load_labelled(paths: Iterable[Path]) -> list[LabelledNote]:
    """Every labelled note of the files (a folder means every `*.jsonl` in it)."""
    notes = []
    for path in paths:
        files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
        for file in files:
            for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
                if line.strip():
                    notes.append(_parse(json.loads(line), f"{file.name}:{number}", file.stem))
    return notes


def _parse(row: dict[str, object], where: str, voice: str) -> LabelledNote:
    verdict = str(row.get("verdict", row.get("expected", ""))).lower()
    if verdict not in ("strong", "weak"):
        raise ValueError(f"{where}: verdict must be strong or weak, got {verdict!r}")
    return LabelledNote(
        id=str(row.get("id") or where),
        competency=Competency(str(row["competency"])),
        notes=str(row.get("notes", row.get("text", ""))),
        verdict=verdict,
        red_flag=bool(row.get("red_flag")),
        kind=str(row["kind"]) if row.get("kind") else None,
        voice=voice,
    )


_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_NEIGHBOURS = {
    key: "".join(
        other
        for r, other_row in enumerate(_ROWS)
        for c, other in enumerate(other_row)
        if (r, c) != (row, column) and abs(r - row) <= 1 and abs(c - column) <= 1
    )
    for row, keys in enumerate(_ROWS)
    for column, key in enumerate(keys)
}
"""The keys around each letter on a QWERTY keyboard: where a finger slips to."""
_WORD = re.compile(r"[A-Za-z]{4,}")
"""A word a typo may hit: short words ("no", "not", "but") are rarely mistyped."""


def with_typos(notes: list[LabelledNote], rate: float, seed: int = 1) -> list[LabelledNote]:
    """The same notes with `rate` of their words misspelt as fast typists misspell them:
    a letter dropped, doubled, swapped with the next, or hit on a neighbouring key, never
    the first. Labels are unchanged: a reader still sees what the interviewer meant, and
    the scorer should too (interviewers do not proofread scorecards). Each note's typos
    depend on the seed and its id only, so a figure can be reproduced note by note."""
    return [_typed(note, rate, random.Random(f"{seed}:{note.id}")) for note in notes]


def _typed(note: LabelledNote, rate: float, rng: random.Random) -> LabelledNote:
    return replace(note, notes=_WORD.sub(lambda word: _misspelt(word.group(), rate, rng), note.notes))


def _misspelt(word: str, rate: float, rng: random.Random) -> str:
    if rng.random() >= rate:
        return word
    at = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("drop", "double", "swap", "neighbour"))
    if kind == "drop":
        return word[:at] + word[at + 1 :]
    if kind == "double":
        return word[: at + 1] + word[at:]
    if kind == "swap":
        return word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    slipped = rng.choice(_NEIGHBOURS[word[at].lower()])
    return word[:at] + (slipped.upper() if word[at].isupper() else slipped) + word[at + 1 :]


_SENTENCE_END = re.compile(r"(?<=\S)[.!?]+(?=\s|$)")


def without_sentence_ends(notes: list[LabelledNote]) -> list[LabelledNote]:
    """The same notes with the full stops, question and exclamation marks that end their
    sentences taken out (line breaks, commas and dashes stay), as some interviewers type and
    as dictation often comes out. Labels are unchanged. A dot that ends an abbreviation before
    a space goes too ("e.g. a queue" becomes "e.g a queue", "etc." "etc"): such typists drop
    those as well, and the scorer must not lean on them."""
    return [replace(note, notes=_SENTENCE_END.sub("", note.notes)) for note in notes]


_INNER_APOSTROPHE = re.compile(r"(?<=[A-Za-z])['’](?=[A-Za-z])")


def without_apostrophes(notes: list[LabelledNote]) -> list[LabelledNote]:
    """The same notes typed without the apostrophes inside words ("didnt", "wasnt", "its"),
    as many interviewers type. Labels are unchanged."""
    return [replace(note, notes=_INNER_APOSTROPHE.sub("", note.notes)) for note in notes]


def wrapped(notes: list[LabelledNote], width: int) -> list[LabelledNote]:
    """The same notes with each paragraph wrapped at `width` columns, as text pasted from an
    email or typed in an editor that wraps. Labels are unchanged."""
    return [
        replace(note, notes="\n".join(textwrap.fill(line, width) for line in note.notes.split("\n"))) for note in notes
    ]


ASIDES = Path("tests/data/notes/asides.txt")
"""Sentences about the interview itself (the call, the candidate's manner and background,
their questions about the job), one per line, written by an author who never saw the
scorer nor its rules: `with_asides` puts them before labelled notes."""


def with_asides(notes: list[LabelledNote], seed: int, sentences: list[str] | None = None) -> list[LabelledNote]:
    """The same notes, each after a sentence about the interview itself (`ASIDES`, chosen by
    `seed`), as many interviewers open a box: none of it is evidence, and labels are unchanged."""
    sentences = (
        [
            line
            for line in (Path(__file__).resolve().parents[2] / ASIDES).read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
        if sentences is None
        else sentences
    )
    rng = random.Random(seed)
    return [
        replace(note, notes=rng.choice(sentences).strip() + ("\n" if "\n" in note.notes else " ") + note.notes)
        for note in notes
    ]


_AS_SHE = {"he": "she", "him": "her", "his": "her", "himself": "herself"}


def as_she(notes: list[LabelledNote]) -> list[LabelledNote]:
    """The same notes with the candidate as "she" where the interviewer wrote "he" (he, him,
    his, himself: the direction with one word for each): no verdict may move with it."""
    return [replace(note, notes=_HE.sub(_she, note.notes)) for note in notes]


_HE = re.compile(r"\b(?:he|him|his|himself)\b", re.IGNORECASE)


def _she(word: re.Match[str]) -> str:
    written = word.group()
    she = _AS_SHE[written.lower()]
    return she.upper() if written.isupper() and len(written) > 1 else she.capitalize() if written[0].isupper() else she


def score_note(note: LabelledNote, rubric: Rubric, lexicon: Lexicon | None = None) -> Outcome:
    """`lexicon`: the compiled lexicon to read with (by default the rubric's, with the committed
    notes model); leaving voices out passes one whose model never read this note's voice."""
    evidence = assess(note.notes, note.competency, compile_lexicon(rubric) if lexicon is None else lexicon)
    scored = score_assessment(Assessment(competency=note.competency, rating=None, notes=note.notes), evidence)
    got = "strong" if scored.score > NEUTRAL else "weak" if scored.score < NEUTRAL else "none"
    return Outcome(
        id=note.id,
        competency=note.competency.value,
        expected=note.verdict,
        got=got,
        expected_red_flag=note.red_flag,
        red_flags=scored.red_flags,
        score=scored.score,
        evidence=[f"{s.kind} {s.signal}" for s in scored.signals],
    )


def evaluate(notes: list[LabelledNote], rubric: Rubric, lexicon: Lexicon | None = None) -> Report:
    return report([score_note(note, rubric, lexicon) for note in notes], notes)


def report(outcomes: list[Outcome], notes: list[LabelledNote]) -> Report:
    """The figures over `outcomes`, each the outcome of the note at its place in `notes`."""
    confusion = {expected: dict.fromkeys(VERDICTS, 0) for expected in ("strong", "weak")}
    for outcome in outcomes:
        confusion[outcome.expected][outcome.got] += 1
    flagged = [o for o in outcomes if o.expected_red_flag]
    clean = [o for o in outcomes if not o.expected_red_flag]
    per_verdict: dict[str, dict[str, float | None]] = {}
    for verdict in ("strong", "weak"):
        predicted = sum(confusion[e][verdict] for e in confusion)
        actual = sum(confusion[verdict].values())
        right = confusion[verdict][verdict]
        per_verdict[verdict] = {
            "precision": _ratio(right, predicted),
            "recall": _ratio(right, actual),
            "support": float(actual),
        }
    per_kind: dict[str, dict[str, float]] = {}
    for note, outcome in zip(notes, outcomes, strict=True):
        if note.kind:
            figures = per_kind.setdefault(note.kind, {"notes": 0.0, "right": 0.0})
            figures["notes"] += 1
            figures["right"] += outcome.expected == outcome.got
    for figures in per_kind.values():
        figures["accuracy"] = round(figures.pop("right") / figures["notes"], 4)
    return Report(
        per_kind=dict(sorted(per_kind.items())),
        notes=len(outcomes),
        accuracy=_ratio(sum(o.expected == o.got for o in outcomes), len(outcomes)) or 0.0,
        red_flag_recall=_ratio(sum(bool(o.red_flags) for o in flagged), len(flagged)),
        false_red_flags=_ratio(sum(bool(o.red_flags) for o in clean), len(outcomes)) or 0.0,
        per_verdict=per_verdict,
        confusion=confusion,
        failures=[o for o in outcomes if not o.right],
    )


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def render(report: Report) -> str:
    """The report as a reader wants it: figures first, then each failure with its note id."""
    lines = [
        f"notes: {report.notes}",
        f"accuracy: {_pct(report.accuracy)}",
        f"red-flag recall: {_pct(report.red_flag_recall)}",
        f"false red flags: {_pct(report.false_red_flags)} of notes",
    ]
    for verdict, figures in report.per_verdict.items():
        lines.append(
            f"{verdict}: precision {_pct(figures['precision'])}, recall {_pct(figures['recall'])}, {int(figures['support'] or 0)} notes"
        )
    lines.append("confusion (expected -> got):  " + "  ".join(f"{v:>6}" for v in VERDICTS))
    for expected, row in report.confusion.items():
        lines.append(f"  {expected:>6}" + " " * 21 + "  ".join(f"{row[v]:>6}" for v in VERDICTS))
    if report.per_kind:
        lines.append(
            "accuracy by kind of note: "
            + ", ".join(f"{k} {_pct(v['accuracy'])} ({int(v['notes'])})" for k, v in report.per_kind.items())
        )
    if report.failures:
        lines.append(f"failures ({len(report.failures)}):")
    for failure in report.failures:
        flag = f" red flags {','.join(failure.red_flags) or '-'} (expected {'one' if failure.expected_red_flag else 'none'})"
        lines.append(
            f"  {failure.id} [{failure.competency}] expected {failure.expected}, got {failure.got} ({failure.score});{flag}"
        )
        lines.append(f"      evidence: {'; '.join(failure.evidence) or 'none'}")
    return "\n".join(lines)


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f} %"
