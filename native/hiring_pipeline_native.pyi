"""The scoring core's per-character loops, compiled (`native/src/lib.rs`)."""

from collections.abc import Sequence

def split_clauses(notes: str) -> list[tuple[int, int, bool, int, bool]]:
    """`services.scoring.clauses.python_split_clauses` of ASCII notes, as tuples."""

def split_clause_bytes(text: bytes) -> list[tuple[int, int, bool, int, bool]]:
    """The same of notes given one byte per character: ASCII, 0x80 for "–" and "—", 0xFF for
    what is no letter, digit, space or bullet (`services.scoring.clauses._one_byte_per_character`)."""

class NotesFeatures:
    """The notes model: its weights (feature -> weight), negation words and bias, and whether
    this Python's `sum()` of floats is compensated (3.12 on)."""

    def __init__(self, weights: dict[str, float], negations: list[str], bias: float, compensated: bool) -> None: ...
    def read(self, text: str, clauses: Sequence[tuple[int, ...]], scope: int = 0) -> tuple[float, int]:
        """`services.scoring.notes_model.read`: the logit and the index of the clause to quote
        (-1: none). `text`: ASCII, one byte per character. `scope`: how many words after a
        negation it marks (`notes_model.negation_scope`); 0: to the clause's end."""
    def clause_sums(self, text: str, clauses: Sequence[tuple[int, ...]], scope: int = 0) -> tuple[list[float], int]:
        """Each clause's weighted sum, and the sum of the squared counts of the note's features
        (`scope` as in `read`)."""

class Ends:
    """A Hyperscan match handler keeping (pattern id, end) of every match, in order."""

    def __init__(self) -> None: ...
    def __call__(self, index: int, start: int, end: int, flags: int, context: object = None) -> None: ...
    def __len__(self) -> int: ...
    def pairs(self) -> list[tuple[int, int]]: ...

class Located:
    """One competency's numbering of a note's scan matches (`services.scoring.evidence._Scans`)."""

    def __init__(
        self, numbers: list[int], own: int, judged: int, contexts: int, whole_own: list[int], whole_judged: list[int]
    ) -> None: ...
    def locate(
        self, mine: Ends, shared: Ends, starts: list[int], clauses: Sequence[tuple[int, ...]]
    ) -> tuple[dict[int, set[int]], dict[int, set[int]], list[list[int]]]:
        """`evidence._scanned`'s loop: the clauses of each own and judgement pattern, and the
        sorted ends of each context regex."""
