"""Finds the rubric's signals in free-text interview notes, with negation.

Interviewers paraphrase, so each signal is a small set of patterns for one concept
(`schemas/data/rubric.toml`), not one phrase. What the notes *deny* matters as much as
what they say: "could not explain what a composite index is" is evidence against the
candidate, and "would never store passwords in plain text" is no red flag. A match is
negated when a negation cue stands before it in the same clause, close enough and not
cut off by a scope breaker ("without duplicates *via* idempotency keys").

Pure and deterministic: the same notes and rubric always give the same signals, in
the order they appear in the notes.
"""

from __future__ import annotations

import bisect
import re
import re._constants as sre_constants  # the stdlib regex parser: used only to find literals
import re._parser as sre_parse
from collections.abc import Iterator
from dataclasses import dataclass

import ahocorasick

from schemas.events import Signal
from schemas.rubric import Negation, Rubric, SignalRule, max_match_length
from schemas.scales import Competency

_CLAUSE_SEPARATORS = (". ", "; ", "! ", "? ", ".\n", "\n", " but ", " however", " although ", " though ", " whereas ")
"""Where a clause ends (in lower-cased notes): sentence punctuation, line breaks, and the
contrast words after which a negation no longer applies ("never used EXPLAIN, but ...")."""
QUOTE_MAX_CHARS = 160
_WORD_TAIL = re.compile(r"\w*", re.ASCII)
_FLAGS = re.IGNORECASE | re.ASCII
"""ASCII case folding is a third faster than Unicode's, and interview notes' signal words are ASCII."""


def _from_word_start(pattern: str) -> str:
    """Anchor a pattern at a word start (unless it begins with punctuation, like `/v2`).

    Signals are words and phrases, so a match never starts inside a word; anchoring
    lets the engine reject most positions with one check instead of trying every
    alternative there (about twice as fast).
    """
    starts_with_word = pattern[:1].isalnum() or pattern.startswith(("(", "\\b", "\\w"))
    return f"(?:\\b(?:{pattern}))" if starts_with_word else f"(?:{pattern})"


@dataclass(frozen=True)
class _CompiledPattern:
    """One pattern of one signal, with what makes searching it cheap."""

    signal: str
    kind: str
    regex: re.Pattern[str]
    triggers: frozenset[str] | None
    """Lower-case strings of which every match contains one; None when unknown."""
    reach: int
    """The longest text a match can span: how far from a trigger a match can start or end."""


@dataclass(frozen=True)
class _CompetencyLexicon:
    patterns: tuple[_CompiledPattern, ...]
    triggers: ahocorasick.Automaton
    """Finds every trigger occurrence in one pass; each value is (trigger length, indexes of
    the patterns that need it)."""
    untriggered: tuple[int, ...]
    """Patterns too complex to know a trigger for: searched over the whole notes."""


@dataclass(frozen=True)
class _CompiledNegation:
    window_words: int
    cue: re.Pattern[str]
    breaker: re.Pattern[str] | None
    cue_triggers: ahocorasick.Automaton | None
    """Literals one of which every cue contains: most windows hold none, so no regex runs."""


@dataclass(frozen=True)
class Lexicon:
    """A rubric's signal patterns compiled once, per competency."""

    competencies: dict[Competency, _CompetencyLexicon]
    negation: _CompiledNegation


_COMPILED: dict[tuple[int, bool], tuple[Rubric, Lexicon]] = {}


def compile_lexicon(rubric: Rubric, prefilter: bool = True) -> Lexicon:
    """Compile once per rubric. `prefilter=False` searches every pattern over the whole
    notes: slower, and the reference the trigger prefilter is tested against.

    Cached by the rubric object's identity (kept alive in the cache, so its id cannot be
    reused): hashing a frozen pydantic rubric walks all its nested models, which cost
    more than scoring a short note, on every call."""
    cached = _COMPILED.get((id(rubric), prefilter))
    if cached is None:
        lexicon = Lexicon(
            competencies={c.id: _compile_competency(c.signals, prefilter) for c in rubric.competencies},
            negation=_compile_negation(rubric.negation),
        )
        cached = _COMPILED[(id(rubric), prefilter)] = (rubric, lexicon)
    return cached[1]


def _compile_competency(rules: tuple[SignalRule, ...], prefilter: bool) -> _CompetencyLexicon:
    patterns = tuple(
        _CompiledPattern(
            signal=rule.id,
            kind=rule.kind,
            regex=re.compile(_from_word_start(p), _FLAGS),
            triggers=_required(p) if prefilter else None,
            reach=max_match_length(p),
        )
        for rule in rules
        for p in rule.patterns
    )
    by_trigger: dict[str, list[int]] = {}
    for index, pattern in enumerate(patterns):
        for trigger in pattern.triggers or ():
            by_trigger.setdefault(trigger, []).append(index)
    automaton = ahocorasick.Automaton()
    for trigger, indexes in by_trigger.items():
        automaton.add_word(trigger, (len(trigger), tuple(indexes)))
    automaton.make_automaton()
    return _CompetencyLexicon(
        patterns=patterns,
        triggers=automaton,
        untriggered=tuple(i for i, p in enumerate(patterns) if p.triggers is None),
    )


def _compile_negation(negation: Negation) -> _CompiledNegation:
    breaker = "|".join(f"(?:{b})" for b in negation.scope_breakers)
    required = [_required(c) for c in negation.cues]
    triggers = None
    if all(r is not None for r in required):
        triggers = ahocorasick.Automaton()
        for trigger in frozenset().union(*required):  # type: ignore[arg-type]
            triggers.add_word(trigger, trigger)
        triggers.make_automaton()
    return _CompiledNegation(
        cue_triggers=triggers,
        window_words=negation.window_words,
        cue=re.compile("|".join(f"(?:{c})" for c in negation.cues), _FLAGS),
        breaker=re.compile(breaker, _FLAGS) if breaker else None,
    )


def find_signals(notes: str, competency: Competency, lexicon: Lexicon) -> list[Signal]:
    """Every signal of `competency` found in `notes`, negation applied, first mention kept."""
    if not notes.strip():
        return []
    lowered = notes.lower()
    compiled = lexicon.competencies[competency]
    found: dict[tuple[str, str], tuple[int, Signal]] = {}
    clause_starts: list[int] | None = None
    for pattern, match in _matches(notes, lowered, compiled):
        if clause_starts is None:
            clause_starts = _clause_starts(lowered)
        clause_start = clause_starts[bisect.bisect_right(clause_starts, match.start()) - 1]
        negated = _is_negated(notes[clause_start : match.start()], lexicon.negation)
        kind = _kind_after_negation(pattern.kind, negated)
        if kind is None:
            continue
        earlier = found.get((kind, pattern.signal))
        if earlier is None or match.start() < earlier[0]:  # the first mention explains best
            quote = _quote(notes, clause_starts, clause_start, match)
            found[(kind, pattern.signal)] = (match.start(), Signal(kind=kind, signal=pattern.signal, quote=quote))
    return [signal for _, signal in sorted(found.values(), key=lambda item: (item[0], item[1].signal))]


def _matches(notes: str, lowered: str, compiled: _CompetencyLexicon) -> Iterator[tuple[_CompiledPattern, re.Match[str]]]:
    """Each pattern's matches, searched only within reach of the triggers in the notes."""
    spans: dict[int, list[tuple[int, int]]] = {}
    hits = compiled.triggers.iter(lowered) if len(compiled.triggers) else ()
    for last, (length, indexes) in hits:
        position = last + 1 - length
        for index in indexes:
            reach = compiled.patterns[index].reach
            spans.setdefault(index, []).append((position - reach, last + 1 + reach))
    for index in compiled.untriggered:
        spans[index] = [(0, len(notes))]
    for index in sorted(spans):
        pattern = compiled.patterns[index]
        for start, end in _merged(spans[index], lowered):
            for match in pattern.regex.finditer(notes, start, end):
                yield pattern, match


def _merged(spans: list[tuple[int, int]], lowered: str) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        start = max(0, start)
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    # Never cut a word at a window's end: `\b` there would see a false word end.
    return [(start, _word_end(lowered, end)) for start, end in merged]


# --- triggers: a cheap necessary condition before running a signal's regex -------------
#
# Python's regex engine tries every alternative at every position, which costs ~100 us
# per signal on 1,000 characters. But nearly every pattern contains literal words that
# any match must contain ("index", "explain", "idempoten"). `_required(pattern)` finds,
# from the parsed pattern, a set of literals of which every match contains at least one;
# a substring search for them in the lower-cased notes finds the few places worth
# running the regex on (within the pattern's maximum match length of a trigger). It only
# ever skips text where a match is impossible; when the pattern is too complex to tell,
# it returns None and the regex runs over the whole notes.


def _required(pattern: str) -> frozenset[str] | None:
    try:
        parsed = sre_parse.parse(pattern, re.IGNORECASE)
    except re.error:
        return None
    return _required_in(list(parsed))


def _required_in(sequence: list) -> frozenset[str] | None:  # type: ignore[type-arg]
    """Best (longest shortest-member) set among the sequence's required parts."""
    options: list[frozenset[str]] = []
    run = ""
    for op, av in sequence:
        if op is sre_constants.LITERAL:
            run += chr(av)
            continue
        if run:
            options.append(frozenset({run.lower()}))
            run = ""
        if op is sre_constants.SUBPATTERN:
            inner = _required_in(list(av[-1]))
            if inner is not None:
                options.append(inner)
        elif op is sre_constants.BRANCH:
            branches = [_required_in(list(b)) for b in av[1]]
            if all(b is not None for b in branches):
                options.append(frozenset().union(*branches))  # type: ignore[arg-type]
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT) and av[0] >= 1:
            inner = _required_in(list(av[2]))
            if inner is not None:
                options.append(inner)
    if run:
        options.append(frozenset({run.lower()}))
    options = [o for o in options if o and min(len(x) for x in o) >= 2]
    if not options:
        return None
    return max(options, key=lambda o: min(len(x) for x in o))


def _kind_after_negation(kind: str, negated: bool) -> str | None:
    if not negated:
        return kind
    # A denied strength is a weakness; a denied weakness or red flag is no evidence.
    return "weak" if kind == "strong" else None


def _is_negated(before: str, negation: _CompiledNegation) -> bool:
    words = before.rsplit(None, negation.window_words)[-negation.window_words :]
    if not words:
        return False
    window = " ".join(words)
    if negation.cue_triggers is not None and next(negation.cue_triggers.iter(window.lower()), None) is None:
        return False
    cues = list(negation.cue.finditer(window))
    if not cues:
        return False
    return negation.breaker is None or negation.breaker.search(window, cues[-1].end()) is None


def _word_end(lowered: str, position: int) -> int:
    return _WORD_TAIL.match(lowered, min(position, len(lowered))).end()  # type: ignore[union-attr]


def _clause_starts(lowered: str) -> list[int]:
    starts = {0}
    for separator in _CLAUSE_SEPARATORS:
        position = lowered.find(separator)
        while position >= 0:
            starts.add(position + len(separator))
            position = lowered.find(separator, position + 1)
    return sorted(starts)


def _quote(notes: str, clause_starts: list[int], clause_start: int, match: re.Match[str]) -> str:
    """The clause around the match, trimmed to a readable length around the matched words."""
    following = bisect.bisect_right(clause_starts, match.end() - 1)
    start, end = clause_start, clause_starts[following] if following < len(clause_starts) else len(notes)
    if end - start > QUOTE_MAX_CHARS:
        middle = (match.start() + match.end()) // 2
        start = max(start, middle - QUOTE_MAX_CHARS // 2)
        end = min(end, start + QUOTE_MAX_CHARS)
    return " ".join(notes[start:end].split()).strip(" .;!?,")
