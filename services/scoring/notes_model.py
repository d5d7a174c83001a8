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
from typing import Any, Final

from schemas.rubric import RUBRIC_DIR
from services.scoring.clauses import Clause, runs_on, split_clauses

native: Any
try:
    import hiring_pipeline_native as native
except ImportError:  # pragma: no cover - the Python reading serves without it
    native = None

MODEL_PATH = RUBRIC_DIR / "notes-model.json"
_WORD: Final = re.compile(r"[a-z][a-z0-9+#'./-]{0,30}")
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
_NEGATIONS: Final = frozenset(
    {"not", "no", "never", "without", "cannot", "unable", "lack", "lacks", "lacking", "nothing", "none", "nor"}
    | {f"{aux}nt" for aux in _AUXILIARIES}
)
"""Words that mark the words after them. Spelt without apostrophes: "didn't" reaches the
lookup as "didnt" (`_apostrophes_last`), as many interviewers type it."""
_LIFTED_BY: Final = frozenset({"just", "only", "simply", "merely", "doubt", "question", "hesitation", "wonder"})
"""A negation right before one of these negates nothing after it: "didn't just retry, added
jitter", "not only the index", "no doubt she meets the bar", "without hesitation" (`dev` has
about 700 of them). `native/` (`lifted`) knows the same words."""


_PERSON: Final = (
    dict.fromkeys(("he", "she", "him", "her", "his", "hers", "himself", "herself"), "they")
    | dict.fromkeys(("they", "them", "their", "theirs", "themselves", "themself"), "they")
    | dict.fromkeys(("hes", "shes", "theyre"), "theyre")  # "he's", "she's", "they're", apostrophes moved
    | dict.fromkeys(("hed", "shed", "theyd"), "theyd")  # "she'd" is 30 times as common as "shed" in the corpus
    | dict.fromkeys(("guy", "girl", "lady", "gal", "dude", "bloke", "chap", "man", "woman", "gentleman"), "person")
    | dict.fromkeys(("boy", "lad", "lass", "kid"), "person")
)
"""Words that tell a person's gender (or number) read as one word: the model learns from the
corpus's writers, who wrote "he" of some weak candidates and "she" of some strong ones, and
a verdict must not move with the pronoun an interviewer used (`native/` maps the same words)."""


@dataclass(frozen=True)
class NotesModel:
    version: str
    bias: float
    weights: dict[str, float]
    """Feature (a word, `NOT_word` or a word pair) -> weight; features not listed weigh 0."""
    red_flag: NotesModel | None = None
    """A second head over the same features: how interviewers describe a red flag in their
    own words ("so a crash part-way through drops the event", "any customer could read
    another's statements"), for the bad practices no lexicon lists."""
    threshold: float = 0.0
    """For a red-flag head: the logit from which a note reads as a red flag."""
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


NEGATION_SCOPE_IN_RUN_ONS: Final = 5
"""In notes written without full stops (`clauses.runs_on`), a negation marks the next five
words, not the rest of its clause: there a clause runs on over several sentences, and "no
stack trace and returns 200 Log format is free text" would negate the next sentence.
Chosen leaving a quarter of `dev`'s voices out at a time: without full stops the verdict is
right on 98.2 % of their notes instead of 97.9 % (3 and 8 words: 98.3 and 98.2 %), with
full stops unchanged (99.1 %; no note with them runs on)."""


def negation_scope(notes: str, clauses: list[Clause]) -> int:
    """How many words after a negation it marks in these notes; 0: the rest of the clause."""
    return NEGATION_SCOPE_IN_RUN_ONS if runs_on(notes, clauses) else 0


def clause_features(text: str, scope: int = 0) -> list[str]:
    """Words and word pairs of one clause, a word after a negation prefixed with NOT_
    (`scope`: how many words after a negation it marks; 0: to the clause's end)."""
    return _features(_fold(text), 0, len(text), scope)


_FOLD: Final = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ’", "abcdefghijklmnopqrstuvwxyz'")
"""ASCII lower case, a typographic apostrophe as a plain one: one character for one, so a
clause's offsets in the notes are its offsets in the folded copy."""


def _features(folded: str, start: int, end: int, scope: int) -> list[str]:
    """`clause_features` of folded[start:end], without copying the clause out."""
    tokens: list[str] = []
    negation = -1  # where the last negation is among the tokens
    words = [_PERSON.get(w, w) for w in (word.rstrip("./-'") for word in _WORD.findall(folded, start, end)) if w]
    for i, word in enumerate(words):
        if word in _NEGATIONS:
            if i + 1 == len(words) or words[i + 1] not in _LIFTED_BY:
                negation = len(tokens)
            tokens.append(word)
        else:
            negated = negation >= 0 and (scope == 0 or len(tokens) - negation <= scope)
            tokens.append("NOT_" + word if negated else word)
    return tokens + [f"{a} {b}" for a, b in itertools.pairwise(tokens)]


def clause_counts(notes: str, clauses: list[Clause]) -> list[Counter[str]]:
    folded, scope = _fold(notes), negation_scope(notes, clauses)
    return [Counter(_features(folded, c.start, c.end, scope)) for c in clauses]


def unit_scale(per_clause: list[Counter[str]]) -> float:
    """The length of the note's count vector: a long note weighs no more than a short one."""
    return _length(Counter(itertools.chain.from_iterable(counts.elements() for counts in per_clause)))


def _length(total: Counter[str]) -> float:
    return math.sqrt(sum(map(operator.mul, total.values(), total.values()))) or 1.0


def read(notes: str, model: NotesModel, clauses: list[Clause] | None = None) -> Reading:
    """`weigh` over `tokenize` of notes as given. The scorer reads notes `as_read` and
    leaves asides and an opening heading or question out of `clauses`
    (`evidence.assess`); this reads whatever it is given, for tests and tools."""
    clauses = split_clauses(notes) if clauses is None else clauses
    return weigh(tokenize(notes, clauses), model)


@dataclass(frozen=True)
class Tokens:
    """A note and its clauses, read once for every head: the compiled features find the
    words themselves; the Python ones (`counted`) are found the first time a head without
    compiled features asks."""

    notes: str
    clauses: list[Clause]

    @functools.cached_property
    def scope(self) -> int:
        """`negation_scope` of the notes."""
        return negation_scope(self.notes, self.clauses)

    @functools.cached_property
    def counted(self) -> tuple[list[list[str]], list[list[tuple[str, str]]], float]:
        """The words of each clause, its word pairs, and the scale: the length of the note's
        count vector (a long note weighs no more than a short one)."""
        folded = _fold(self.notes)
        per_clause = [_tokens(folded, clause.start, clause.end, self.scope) for clause in self.clauses]
        bigrams = [list(itertools.pairwise(tokens)) for tokens in per_clause]
        counts = Counter(
            itertools.chain(itertools.chain.from_iterable(per_clause), itertools.chain.from_iterable(bigrams))
        )
        scale = math.sqrt(sum(map(operator.mul, counts.values(), counts.values()))) or 1.0
        return per_clause, bigrams, scale


def tokenize(notes: str, clauses: list[Clause]) -> Tokens:
    return Tokens(notes, clauses)


def weigh(tokens: Tokens, model: NotesModel) -> Reading:
    """The trainer's computation (`clause_counts`, `unit_scale`, each clause's weighted sum
    of its features' counts) to the same floats, with the per-word work done by C loops
    (`map`, `zip`, `Counter`) and no word-pair strings built (pairs are tuples):

    - a clause's sum adds weight * count over its distinct features in order of first
      occurrence, words then pairs, as the trainer does; a feature without a weight adds
      0.0, which changes no sum (a running sum that starts at 0.0 is never -0.0). A clause
      without a repeated word has no repeated pair either: every count is 1, its features
      are its words and pairs in order, and weight * 1 is the weight;
    - the scale is the square root of the sum of squared counts of the note's distinct features.

    The compiled features (`native/`) do all of it in one pass, adding floats as the running
    Python's `sum` does (plainly before 3.12, compensated from 3.12 on: `_COMPENSATED_SUM`);
    without them, the lines below do it in Python.
    """
    if model.features is not None:
        logit, best = model.features.read(_one_byte_per_character(tokens.notes), tokens.clauses, tokens.scope)
        return Reading(logit, tokens.clauses[best] if best >= 0 else None)
    words, pairs = model.words, model.pairs
    per_clause, bigrams, scale = tokens.counted
    sums: list[float] = []
    for clause_words, twos in zip(per_clause, bigrams, strict=True):
        if len(set(clause_words)) == len(clause_words):
            sums.append(sum(itertools.chain(map(words.get, clause_words, _ZEROS), map(pairs.get, twos, _ZEROS))))
        else:
            ones, both = Counter(clause_words), Counter(twos)
            sums.append(
                sum(
                    itertools.chain(
                        map(operator.mul, map(words.get, ones, _ZEROS), ones.values()),
                        map(operator.mul, map(pairs.get, both, _ZEROS), both.values()),
                    )
                )
            )
    pushes = [s / scale for s in sums]
    logit = model.bias + sum(pushes)
    direction = 1.0 if logit >= 0 else -1.0
    clauses = tokens.clauses
    best = max(range(len(clauses)), key=lambda i: direction * pushes[i], default=None)
    chosen = clauses[best] if best is not None and direction * pushes[best] > 0 else None
    return Reading(logit, chosen)


_ZEROS: Final = itertools.repeat(0.0)
"""The weight of a feature the model does not list (`map(weights.get, features, _ZEROS)`)."""

_STRIPPED_WORD: Final = re.compile(r"[a-z](?:[a-z0-9+#'./-]{0,29}[a-z0-9+#])?")
"""`_WORD` without the trailing "./-'" that `_features` strips: the longest prefix of the
same match that ends in another character, so the same words, one after the other."""


def _tokens(folded: str, start: int, end: int, scope: int) -> list[str]:
    """The words of `_features` (those after a negation prefixed), fewer steps per word."""
    words = _STRIPPED_WORD.findall(folded, start, end)
    if not _PERSON.keys().isdisjoint(words):
        words = [_PERSON.get(w, w) for w in words]
    if _NEGATIONS.isdisjoint(words):
        return words
    marking = [
        i for i, w in enumerate(words) if w in _NEGATIONS and (i + 1 == len(words) or words[i + 1] not in _LIFTED_BY)
    ]
    if not marking:
        return words
    first = marking[0]
    if scope == 0:
        return words[:first] + [w if w in _NEGATIONS else "NOT_" + w for w in words[first:]]
    tokens, negation, marks = words[:first], first, set(marking)
    for i, w in enumerate(words[first:], start=first):
        if w in _NEGATIONS:
            if i in marks:
                negation = i
            tokens.append(w)
        else:
            tokens.append("NOT_" + w if i - negation <= scope else w)
    return tokens


_COMPENSATED_SUM = sum([1e16, 1.0, -1e16]) == 1.0
"""Whether this Python's `sum()` of floats compensates for rounding (CPython 3.12 on adds
with Neumaier's algorithm, and finds the 1.0 that plain addition loses)."""


def _one_byte_per_character(notes: str) -> str:
    """The notes in ASCII for the compiled features: a typographic apostrophe as a plain one,
    every other non-ASCII character as "?" (like it, no character of a word)."""
    return notes if notes.isascii() else notes.replace("’", "'").encode("ascii", "replace").decode("ascii")


def _fold(notes: str) -> str:
    folded = notes.lower() if notes.isascii() else notes.translate(_FOLD)
    return _INNER_APOSTROPHES.sub(_apostrophes_last, folded) if "'" in folded else folded


_INNER_APOSTROPHES: Final = re.compile(r"[a-z0-9]+(?:'[a-z0-9]+)+")


def _apostrophes_last(word: re.Match[str]) -> str:
    """A word's inner apostrophes moved to its end ("didn't" -> "didnt'"), where the
    tokenizer drops them: many interviewers type "didnt", "wasnt", "its", and the model
    must read them as the same words. Moved, not removed: a clause's offsets stay its
    offsets in the folded copy. `native/` (`apostrophes_last`) does the same."""
    text = word.group()
    return text.replace("'", "") + "'" * text.count("'")


@functools.cache
def load_model(path: Path = MODEL_PATH) -> NotesModel | None:
    """The trained model, or None when no artifact is installed (the lexicons alone decide)."""
    if not path.exists():
        return None
    return model_from(json.loads(path.read_text(encoding="utf-8")))


def model_from(data: dict[str, Any]) -> NotesModel:
    """The model of an artifact as `train-scorer` writes it (the file's JSON, parsed)."""
    head = data.get("red_flag")
    return NotesModel(
        version=data["version"],
        bias=float(data["bias"]),
        weights={k: float(v) for k, v in data["weights"].items()},
        red_flag=None
        if head is None
        else NotesModel(
            version=data["version"],
            bias=float(head["bias"]),
            weights={k: float(v) for k, v in head["weights"].items()},
            threshold=float(head["threshold"]),
        ),
    )
