"""The scoring core's per-character loops, compiled (`native/src/lib.rs`)."""

from collections.abc import Sequence

def split_clauses(notes: str) -> list[tuple[int, int, bool, int, bool]]:
    """`services.scoring.clauses.python_split_clauses` of ASCII notes, as tuples."""

class NotesFeatures:
    """The notes model's weights (feature -> weight) and its negation words."""

    def __init__(self, weights: dict[str, float], negations: list[str]) -> None: ...
    def clause_products(self, text: str, clauses: Sequence[tuple[int, ...]]) -> tuple[list[list[float]], int]:
        """Per clause, weight * count of each weighted feature in the trainer's order; and the
        sum of the squared counts of the note's distinct features. `text`: ASCII."""
