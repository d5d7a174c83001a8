"""A small linear model of how interviewers sound when a candidate meets the bar.

The lexicons know engineering: which practices are strong, poor or dangerous. They know
less of how people write a verdict in their own words ("legit knows her stuff", "an area
to grow"). This model does: logistic regression over the words and word pairs of each
clause, a word after a negation marked as negated ("NOT_idea"), trained on the labelled
notes of the `dev` split (`hiring-pipeline train-scorer`), stored as a small versioned
artifact (`schemas/data/notes-model.json`: the hashed features with the largest weights).

It is explainable like the lexicons: the evidence it adds carries the clause that moved
it most, and `contributions` lists the words behind a verdict. Deterministic: features are
hashed with CRC-32 (never Python's salted `hash`), weights are fixed numbers.
"""

from __future__ import annotations

import functools
import json
import math
import re
import zlib
from dataclasses import dataclass
from pathlib import Path

from schemas.rubric import RUBRIC_DIR
from services.scoring.clauses import Clause, fold_case, split_clauses

MODEL_PATH = RUBRIC_DIR / "notes-model.json"
BUCKETS = 1 << 18
_WORD = re.compile(r"[a-z][a-z0-9+#'’./-]{0,30}")
_NEGATION = re.compile(
    r"(not|no|never|without|cannot|unable|lacks?|lacking|nothing|none|nor|"
    r"(do|does|did|is|was|were|are|has|have|had|could|would|should|wo|ca)n[’']?t)"
)


@dataclass(frozen=True)
class NotesModel:
    version: str
    bias: float
    weights: dict[int, float]


@dataclass(frozen=True)
class Reading:
    logit: float
    """Positive: the notes read like a candidate who meets the bar."""
    clause: Clause | None
    """The clause that moved the logit most in its direction: the quote for the verdict."""


def clause_features(text: str) -> list[str]:
    """Words and word pairs of one clause, a word after a negation prefixed with NOT_."""
    tokens: list[str] = []
    negated = False
    for word in _WORD.findall(fold_case(text)):
        word = word.rstrip("./-'’")
        if not word:
            continue
        if _NEGATION.fullmatch(word):
            negated = True
            tokens.append(word)
            continue
        tokens.append(f"NOT_{word}" if negated else word)
    return tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)]


def bucket(feature: str) -> int:
    return zlib.crc32(feature.encode("utf-8")) % BUCKETS


def note_vector(notes: str) -> tuple[dict[int, float], list[tuple[Clause, dict[int, float]]]]:
    """The note's feature vector (counts scaled to unit length) and each clause's share."""
    per_clause = []
    total: dict[int, float] = {}
    for clause in split_clauses(notes):
        counts: dict[int, float] = {}
        for feature in clause_features(notes[clause.start : clause.end]):
            index = bucket(feature)
            counts[index] = counts.get(index, 0.0) + 1.0
            total[index] = total.get(index, 0.0) + 1.0
        per_clause.append((clause, counts))
    norm = math.sqrt(sum(v * v for v in total.values())) or 1.0
    return {k: v / norm for k, v in total.items()}, [(c, {k: v / norm for k, v in f.items()}) for c, f in per_clause]


def read(notes: str, model: NotesModel) -> Reading:
    vector, per_clause = note_vector(notes)
    logit = model.bias + sum(model.weights.get(k, 0.0) * v for k, v in vector.items())
    direction = 1.0 if logit >= 0 else -1.0
    best, best_push = None, 0.0
    for clause, features in per_clause:
        push = direction * sum(model.weights.get(k, 0.0) * v for k, v in features.items())
        if push > best_push:
            best, best_push = clause, push
    return Reading(logit, best)


@functools.cache
def load_model(path: Path = MODEL_PATH) -> NotesModel | None:
    """The trained model, or None when no artifact is installed (the lexicons alone decide)."""
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return NotesModel(version=data["version"], bias=float(data["bias"]), weights={int(k): float(v) for k, v in data["weights"].items()})
