"""Where in a note a lexicon pattern can match: one compiled scan instead of hundreds of regexes.

The evidence search (`evidence.py`) needs, for each of a lexicon's ~300 patterns, the
clauses in which it matches. Running Python's `re` for every pattern on every clause
costs milliseconds per note. Hyperscan (Intel's multi-pattern regex engine) scans a note
with all of a competency's patterns and the judgement words at once in a few
microseconds, and reports, for each pattern, where a match *ends*.

The scan only says where to look; Python's `re` still decides what matches, on the
clause, exactly as the plain search does. So the scan must never miss a clause where `re`
finds a match (it may report clauses where `re` then finds nothing). That holds of the
engine too: Vectorscan 5.4.12 (the `hyperscan` wheels from 0.7.30 on) loses matches, in
large databases and in some of one pattern (README, Performance), so pyproject pins the
wheel of Vectorscan 5.4.11, which lost none of them on the whole corpus. Each pattern is
translated into one that matches a *superset* of what the original matches:

- Zero-width assertions are dropped (`\\b`, `^`, `$`, lookarounds). Hyperscan has no
  lookarounds; and `re` searches one clause with the text after it cut off, where an
  assertion at the clause's end can see something other than what the scan over the
  whole note sees. Without assertions a pattern matches more, never less, under any cut.
- Every character is one byte, so offsets in the scanned bytes are offsets in the note:
  ASCII stays ASCII; each non-ASCII character a pattern names (’, “) gets a byte of its
  own; every other non-ASCII character becomes 0xFF, which, like it, is no word
  character, no space and no digit, and is matched by `.` and by negated classes.
- Case folding is ASCII only on both sides (`re.ASCII`; Hyperscan outside UTF-8 mode).
- A repeat of more than a few items loses its upper bound (`.{0,60}` becomes `.*`,
  `\\w{1,12}` becomes `\\w+`): a bounded repeat costs Hyperscan a counter or a
  state per step, in every pattern that holds one, at every byte where it may be running;
  an unbounded one is a single looping state. It matches more, never less. Short repeats
  (`s?`, `\\w{0,3}` after a stem) keep their bound: looping after a word's stem would
  report a match end at every later letter, and the scan's caller gets each one.

Compiling ~380 patterns takes Hyperscan about ten seconds, so each compiled database is
cached on disk (`HIRING_PIPELINE_CACHE_DIR`, by default `~/.cache/hiring-pipeline`),
named by a hash of its patterns and of this module's source: a changed lexicon compiles
anew; loading takes milliseconds, and translates no pattern. Without Hyperscan installed the evidence search falls back to the plain
search (`scan_available()`).
"""

from __future__ import annotations

import hashlib
import os
import re
import re._constants as sre_constants  # the stdlib regex parser: the pattern as a tree
import re._parser as sre_parse
import tempfile
from collections.abc import Sequence
from typing import Any

from services.scoring.compiled import ROOT, cache_dir

hyperscan: Any
try:
    import hyperscan
except ImportError:  # pragma: no cover - the plain search serves without it
    hyperscan = None

_OTHER = 0xFF
"""The byte of every non-ASCII character no pattern names."""
_OTHER_CHARACTER = chr(_OTHER)


def scan_available() -> bool:
    return hyperscan is not None


class Scanner:
    """All of a lexicon's patterns compiled into one Hyperscan database."""

    def __init__(self, patterns: Sequence[str], ids: Sequence[int] | None = None, alphabet: Sequence[str] = ()) -> None:
        """`ids`: the index each pattern reports (by default its position); `alphabet`: the
        patterns of other scanners that must encode a note the same way (one encoding serves them all)."""
        if hyperscan is None:
            raise RuntimeError("Hyperscan is not installed: `pip install hyperscan`")
        named = sorted(ch for ch in set("".join([*patterns, *alphabet])) if ord(ch) > 127)
        if len(named) >= _OTHER - 0x80:
            raise ValueError("too many distinct non-ASCII characters in the patterns")
        for ch in named:
            if ch.lower() != ch or ch.upper() != ch:
                raise ValueError(f"pattern character {ch!r} has a case: the byte mapping assumes none does")
        self._bytes = {ch: 0x80 + i for i, ch in enumerate(named)}
        self._chars = {ch: chr(b) for ch, b in self._bytes.items()}
        self._database = _load_or_compile(
            list(patterns), self._bytes, list(range(len(patterns))) if ids is None else list(ids)
        )
        self._scratch = hyperscan.Scratch(self._database)

    def encode(self, text: str) -> bytes:
        """One byte per character (see the module's docstring): each non-ASCII character
        replaced by its byte (`str.translate` would look every character up in a dict)."""
        if text.isascii():
            return text.encode("ascii")
        return _NON_ASCII.sub(self._byte_of, text).encode("latin-1")

    def _byte_of(self, character: re.Match[str]) -> str:
        return self._chars.get(character.group(), _OTHER_CHARACTER)

    def ends(self, text: str | bytes) -> list[tuple[int, int]]:
        """(pattern id, end offset) of every match of every (superset) pattern in `text`
        (or in its `encode`d bytes, by this scanner or another of the same alphabet)."""
        found: list[tuple[int, int]] = []
        data = text if isinstance(text, bytes) else self.encode(text)
        self._database.scan(data, match_event_handler=_collect, context=found, scratch=self._scratch)
        return found

    def scan(self, data: bytes, handler: Any) -> None:
        """Report every match in `data` (bytes `encode`d by a scanner of the same alphabet) to
        `handler`, called as Hyperscan calls it: id, start, end, flags, context."""
        self._database.scan(data, match_event_handler=handler, scratch=self._scratch)


def _collect(index: int, start: int, end: int, flags: int, found: list[tuple[int, int]]) -> None:
    found.append((index, end))


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_SOURCE_DIGEST = hashlib.sha256((ROOT / "services" / "scoring" / "scan.py").read_bytes()).hexdigest()
"""This module's source as the checkout or the installation has it (a compiled build's file
is elsewhere): how patterns become expressions is part of a cached database's name."""


def _load_or_compile(patterns: list[str], byte_of: dict[str, int], ids: list[int]) -> Any:
    """The database of `patterns` from the disk cache, else compiled and cached. Named by the
    patterns, their byte mapping and ids, Hyperscan's version and this module's source (which
    turns a pattern into its superset expression): a hit translates nothing, so a service
    starts in about a second instead of spending seconds in the regex parser."""
    key = hashlib.sha256(
        repr((hyperscan.__version__, _SOURCE_DIGEST, patterns, sorted(byte_of.items()), ids)).encode("utf-8")
    ).hexdigest()[:24]
    path = cache_dir() / f"scan-{key}.hsdb"
    try:
        return hyperscan.loadb(path.read_bytes(), mode=hyperscan.HS_MODE_BLOCK)
    except (OSError, hyperscan.error):
        pass  # not cached yet, or written by another build of Hyperscan
    expressions = [superset_pattern(pattern, byte_of) for pattern in patterns]
    flags = [
        hyperscan.HS_FLAG_CASELESS | (hyperscan.HS_FLAG_ALLOWEMPTY if sre_parse.parse(e).getwidth()[0] == 0 else 0)
        for e in expressions
    ]
    database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    database.compile(
        expressions=[e.encode("latin-1") for e in expressions],
        ids=ids,
        elements=len(expressions),
        flags=flags,
    )
    try:  # written aside and renamed: a concurrent reader never sees half a file
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as out:
            out.write(hyperscan.dumpb(database))
        os.chmod(out.name, 0o644)  # built into an image by root, read by the service's user
        os.replace(out.name, path)
    except OSError:
        pass  # a read-only home: compile again next time
    return database


# --- the superset pattern --------------------------------------------------------------------

_CATEGORIES = {
    sre_constants.CATEGORY_DIGIT: r"\d",
    sre_constants.CATEGORY_NOT_DIGIT: r"\D",
    sre_constants.CATEGORY_SPACE: r"\s",
    sre_constants.CATEGORY_NOT_SPACE: r"\S",
    sre_constants.CATEGORY_WORD: r"\w",
    sre_constants.CATEGORY_NOT_WORD: r"\W",
}
_BOUNDED_UP_TO = 5
"""The largest upper bound a repeat keeps (see the module's docstring): measured on the
corpus, 3 to 8 scan alike, about 0.75 x the time of keeping every bound."""
_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _")


def superset_pattern(pattern: str, named: dict[str, int]) -> str:
    """`pattern` rewritten for Hyperscan so that it matches everything the original
    matches (and maybe more): assertions dropped, non-ASCII characters as their bytes."""
    return _emit(_tail(list(sre_parse.parse(pattern, re.IGNORECASE | re.ASCII))), named)


def _tail(sequence: list[Any]) -> list[Any]:
    """The pattern without what it may start with and match nothing ("\\W{0,3}.{0,50}"
    before the words that matter): where a match of the pattern ends, a match of the rest
    ends too, and Hyperscan need not try the optional start at every byte."""
    while sequence:
        op, av = sequence[0]
        if op in (sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT) or (
            op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT) and av[0] == 0
        ):
            sequence = sequence[1:]
        elif op is sre_constants.SUBPATTERN and not av[1] and not av[2]:  # a group that sets no flags
            sequence = _tail(list(av[3])) + sequence[1:]
        elif op is sre_constants.BRANCH:  # each alternative without its optional start
            return [(op, (av[0], [_tail(list(branch)) for branch in av[1]])), *sequence[1:]]
        else:
            break
    return sequence


def _emit(sequence: list[Any], named: dict[str, int]) -> str:
    out = []
    for op, av in sequence:
        if op is sre_constants.LITERAL:
            out.append(_char(av, named))
        elif op is sre_constants.NOT_LITERAL:
            out.append(f"[^{_char(av, named)}]")
        elif op is sre_constants.ANY:
            out.append(".")
        elif op is sre_constants.IN:
            out.append(_class(av, named))
        elif op is sre_constants.CATEGORY:
            out.append(_CATEGORIES[av])
        elif op is sre_constants.BRANCH:
            out.append("(?:" + "|".join(_emit(list(branch), named) for branch in av[1]) + ")")
        elif op is sre_constants.SUBPATTERN:
            _group, add, remove, inner = av
            scope = "-i" if remove & re.IGNORECASE else "i" if add & re.IGNORECASE else ""
            out.append(f"(?{scope}:{_emit(list(inner), named)})")
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT):
            low, high, inner = av
            bound = "" if high is sre_constants.MAXREPEAT or high > _BOUNDED_UP_TO else str(high)
            out.append(f"(?:{_emit(list(inner), named)}){{{low},{bound}}}")
        elif op in (sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            continue  # zero-width: dropped, so the pattern matches more, never less
        else:
            raise ValueError(f"no superset for regex operation {op}")
    return "".join(out)


def _char(code: int, named: dict[str, int]) -> str:
    if chr(code) in _PLAIN:
        return chr(code)
    return f"\\x{named[chr(code)] if code > 127 else code:02x}"


def _class(items: list[Any], named: dict[str, int]) -> str:
    negated = bool(items) and items[0][0] is sre_constants.NEGATE
    parts = []
    for op, av in items[1:] if negated else items:
        if op is sre_constants.LITERAL:
            parts.append(_char(av, named))
        elif op is sre_constants.RANGE:
            if av[1] > 127:
                raise ValueError("a character range beyond ASCII has no byte mapping")
            parts.append(f"{_char(av[0], named)}-{_char(av[1], named)}")
        elif op is sre_constants.CATEGORY:
            parts.append(_CATEGORIES[av])
        else:
            raise ValueError(f"no superset for character class item {op}")
    return "[" + ("^" if negated else "") + "".join(parts) + "]"
