"""A small linear model of how interviewers sound when a candidate meets the bar.

The lexicons know engineering: which practices are strong, poor or dangerous. They know
less of how people write a verdict in their own words ("legit knows her stuff", "an area
to grow"). This model does: logistic regression over the words and word pairs of each
clause, a word after a negation marked as negated ("NOT_idea"), trained on the labelled
notes of the `dev` split (`hiring-pipeline train-scorer`), stored as a small versioned
artifact (`schemas/data/notes-model.json`: the features with the largest weights, by name).

It is explainable like the lexicons: the evidence it adds carries the clause that moved
it most, and `contributions` lists the words behind a verdict. Deterministic: weights are fixed
numbers on named features.
"""

from __future__ import annotations

import functools
import itertools
import json
import math
import operator
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from schemas.rubric import RUBRIC_DIR
from services.scoring.clauses import Clause, split_clauses

MODEL_PATH = RUBRIC_DIR / "notes-model.json"
_WORD = re.compile(r"[a-z][a-z0-9+#'./-]{0,30}")
_AUXILIARIES = (
    "do",
    "does",
    "did",
    "is",
    "was",
    "were",
    "are",
    "has",
    "have",
    "had",
    "could",
    "would",
    "should",
    "wo",
    "ca",
)
_NEGATIONS = frozenset(
    {"not", "no", "never", "without", "cannot", "unable", "lack", "lacks", "lacking", "nothing", "none", "nor"}
    | {f"{aux}{tail}" for aux in _AUXILIARIES for tail in ("n't", "nt")}
)


@dataclass(frozen=True)
class NotesModel:
    version: str
    bias: float
    weights: dict[str, float]
    """Feature (a word, `NOT_word` or a word pair) -> weight; features not listed weigh 0."""


@dataclass(frozen=True)
class Reading:
    logit: float
    """Positive: the notes read like a candidate who meets the bar."""
    clause: Clause | None
    """The clause that moved the logit most in its direction: the quote for the verdict."""


def clause_features(text: str) -> list[str]:
    """Words and word pairs of one clause, a word after a negation prefixed with NOT_."""
    return _features(_fold(text), 0, len(text))


_FOLD = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ’", "abcdefghijklmnopqrstuvwxyz'")
"""ASCII lower case, a typographic apostrophe as a plain one: one character for one, so a
clause's offsets in the notes are its offsets in the folded copy."""


def _features(folded: str, start: int, end: int) -> list[str]:
    """`clause_features` of folded[start:end], without copying the clause out."""
    tokens: list[str] = []
    negated = False
    for word in _WORD.findall(folded, start, end):
        word = word.rstrip("./-'")
        if word in _NEGATIONS:
            negated = True
            tokens.append(word)
        elif word:
            tokens.append("NOT_" + word if negated else word)
    return tokens + [f"{a} {b}" for a, b in itertools.pairwise(tokens)]


def clause_counts(notes: str, clauses: list[Clause]) -> list[Counter[str]]:
    folded = _fold(notes)
    return [Counter(_features(folded, c.start, c.end)) for c in clauses]


def unit_scale(per_clause: list[Counter[str]]) -> float:
    """The length of the note's count vector: a long note weighs no more than a short one."""
    return _length(Counter(itertools.chain.from_iterable(counts.elements() for counts in per_clause)))


def _length(total: Counter[str]) -> float:
    return math.sqrt(sum(map(operator.mul, total.values(), total.values()))) or 1.0


def read(notes: str, model: NotesModel, clauses: list[Clause] | None = None) -> Reading:
    clauses = split_clauses(notes) if clauses is None else clauses
    folded = _fold(notes)
    features = [_features(folded, c.start, c.end) for c in clauses]
    scale = _length(Counter(itertools.chain.from_iterable(features)))
    weights = model.weights
    pushes = []
    for clause_features in features:
        # sum(weight * n for each distinct feature, in order of first occurrence) / scale, as
        # the trainer computes it; features without a weight add exactly 0.0, so they are skipped.
        counts = Counter([f for f in clause_features if f in weights])
        pushes.append(sum(map(operator.mul, map(weights.__getitem__, counts), counts.values())) / scale)
    logit = model.bias + sum(pushes)
    direction = 1.0 if logit >= 0 else -1.0
    best = max(range(len(clauses)), key=lambda i: direction * pushes[i], default=None)
    chosen = clauses[best] if best is not None and direction * pushes[best] > 0 else None
    return Reading(logit, chosen)


def _fold(notes: str) -> str:
    return notes.lower() if notes.isascii() else notes.translate(_FOLD)


@functools.cache
def load_model(path: Path = MODEL_PATH) -> NotesModel | None:
    """The trained model, or None when no artifact is installed (the lexicons alone decide)."""
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return NotesModel(
        version=data["version"], bias=float(data["bias"]), weights={k: float(v) for k, v in data["weights"].items()}
    )
