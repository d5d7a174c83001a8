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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schemas.rubric import RUBRIC_DIR
from services.scoring.clauses import Clause, split_clauses

native: Any
try:
    import hiring_pipeline_native as native
except ImportError:  # pragma: no cover - the Python reading serves without it
    native = None

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
    compiled: bool = field(default=True, repr=False, compare=False)
    """Read with the compiled features (`native/`, `hiring_pipeline_native`) when they are
    installed; False: with the Python reference, which gives the same floats."""
    words: dict[str, float] = field(init=False, repr=False, compare=False)
    """The weights of single words: `weights` without the pairs."""
    pairs: dict[tuple[str, str], float] = field(init=False, repr=False, compare=False)
    """The weights of word pairs, keyed by the two words: looked up without building an
    "a b" string."""
    features: Any = field(init=False, repr=False, compare=False)
    """The weights compiled (`hiring_pipeline_native.NotesFeatures`), or None."""

    def __post_init__(self) -> None:
        split = {feature: tuple(feature.split(" ")) for feature in self.weights}
        object.__setattr__(self, "words", {f: w for f, w in self.weights.items() if len(split[f]) == 1})
        object.__setattr__(self, "pairs", {split[f]: w for f, w in self.weights.items() if len(split[f]) == 2})
        compiled = None
        if native is not None and self.compiled:
            compiled = native.NotesFeatures(self.weights, sorted(_NEGATIONS), self.bias, _COMPENSATED_SUM)
        object.__setattr__(self, "features", compiled)


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
    """The trainer's computation (`clause_counts`, `unit_scale`, each clause's weighted sum
    of its features' counts) to the same floats:

    - a clause's sum adds weight * count over its distinct features in order of first
      occurrence, words then pairs, as the trainer does; a feature without a weight adds
      0.0, which changes no sum (a running sum that starts at 0 is never -0.0), so it may
      be left out;
    - the scale is the square root of the sum of squared counts of the note's distinct features.

    The compiled features (`native/`) do all of it in one pass, adding floats as the running
    Python's `sum` does (plainly before 3.12, compensated from 3.12 on: `_COMPENSATED_SUM`);
    without them, `_sums` and the lines below do it in Python.
    """
    clauses = split_clauses(notes) if clauses is None else clauses
    if model.features is not None:
        logit, best = model.features.read(_one_byte_per_character(notes), clauses)
        return Reading(logit, clauses[best] if best >= 0 else None)
    sums, scale = _sums(notes, model, clauses)
    pushes = [s / scale for s in sums]
    logit = model.bias + sum(pushes)
    if not pushes:
        return Reading(logit, None)
    best = pushes.index(max(pushes) if logit >= 0 else min(pushes))
    chosen = clauses[best] if (pushes[best] > 0 if logit >= 0 else pushes[best] < 0) else None
    return Reading(logit, chosen)


_COMPENSATED_SUM = sum([1e16, 1.0, -1e16]) == 1.0
"""Whether this Python's `sum()` of floats compensates for rounding (CPython 3.12 on adds
with Neumaier's algorithm, and finds the 1.0 that plain addition loses)."""


def _one_byte_per_character(notes: str) -> str:
    """The notes in ASCII for the compiled features: a typographic apostrophe as a plain one,
    every other non-ASCII character as "?" (like it, no character of a word)."""
    return notes if notes.isascii() else notes.replace("’", "'").encode("ascii", "replace").decode("ascii")


def _sums(notes: str, model: NotesModel, clauses: list[Clause]) -> tuple[list[float], float]:
    """Each clause's weighted sum and the scale, in Python, the per-word work in C loops
    (`map`, `Counter`) and no word-pair strings built (pairs are tuples). A clause without
    a repeated word has no repeated pair either: every count is 1, and weight * 1 is the weight."""
    folded = _fold(notes)
    words, pairs, findall = model.words, model.pairs, _STRIPPED_WORD.findall
    every: list[str] = []
    both: list[tuple[str, str]] = []
    sums: list[float] = []
    for clause in clauses:
        tokens = findall(folded, clause.start, clause.end)
        if not _NEGATIONS.isdisjoint(tokens):
            tokens = _negated(tokens)
        twos = list(itertools.pairwise(tokens))
        every += tokens
        both += twos
        if len(set(tokens)) == len(tokens):
            sums.append(sum(itertools.chain(map(words.get, tokens, _ZEROS), map(pairs.get, twos, _ZEROS))))
        else:
            ones = Counter(tokens)
            if len(set(twos)) < len(twos):
                counted = Counter(twos)
                paired = map(operator.mul, map(pairs.get, counted, _ZEROS), counted.values())
            else:
                paired = map(pairs.get, twos, _ZEROS)
            sums.append(sum(itertools.chain(map(operator.mul, map(words.get, ones, _ZEROS), ones.values()), paired)))
    return sums, math.sqrt(_squares(every) + _squares(both)) or 1.0


def _squares(features: list[str] | list[tuple[str, str]]) -> int:
    """The sum of the squared counts of the distinct features: their number when none repeats."""
    if len(set(features)) == len(features):
        return len(features)
    counts = Counter(features)
    return sum(map(operator.mul, counts.values(), counts.values()))


_ZEROS = itertools.repeat(0.0)
"""The weight of a feature the model does not list (`map(weights.get, features, _ZEROS)`)."""

_STRIPPED_WORD = re.compile(r"[a-z](?:[a-z0-9+#'./-]{0,29}[a-z0-9+#])?")
"""`_WORD` without the trailing "./-'" that `_features` strips: the longest prefix of the
same match that ends in another character, so the same words, one after the other."""


def _negated(words: list[str]) -> list[str]:
    """The words of a clause with a negation, those after the first negation prefixed
    with NOT_ (as `_features` marks them)."""
    first = next(i for i, w in enumerate(words) if w in _NEGATIONS)
    return words[:first] + [w if w in _NEGATIONS else "NOT_" + w for w in words[first:]]


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
