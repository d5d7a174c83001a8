"""`hiring-pipeline audit`: the adverse-impact report of the decisions, as New York City's
Local Law 144 asks of an automated employment decision tool.

Per category of sex, of race/ethnicity and of their intersection, over the candidates of
one role with a decision (insufficient_evidence is not one yet):
- candidates, and those selected (hire or strong_hire): the **selection rate**;
- the **scoring rate**: the share scoring above the median score of all of them;
- each rate's **impact ratio**: the rate over the highest rate of any category;
- ratios below 0.8 are flagged (the four-fifths rule).
A category below 2 % of the candidates is left out of the impact ratios, as the rule
allows, and listed as such. "Decline To Self Identify" is a category of its own; a
candidate without self-identification data is not guessed at but counted apart.

Decisions come from the recommendation topic (the latest version per pair), the
self-identification from the Greenhouse adapter's own store (`services.greenhouse.eeoc`).
They meet only here, in the operator's terminal: never in a service, never on a topic.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from rich.console import Group
from rich.table import Table

from schemas.events import Recommendation
from schemas.scales import Decision

FOUR_FIFTHS = 0.8
MIN_SHARE = 0.02
SELECTED = frozenset({Decision.HIRE, Decision.STRONG_HIRE})
DIMENSIONS = ("sex", "race/ethnicity", "intersection")


@dataclass(frozen=True)
class Audited:
    """One candidate of the audit: their categories, and what the tool decided."""

    candidate_id: str
    sex: str
    race: str
    selected: bool
    score: float


@dataclass(frozen=True)
class CategoryRow:
    category: str
    candidates: int
    selected: int
    selection_rate: float
    scoring_rate: float
    share: float
    selection_impact_ratio: float | None = None
    scoring_impact_ratio: float | None = None
    left_out: bool = False
    """Below 2 % of the candidates: no impact ratio, as the rule allows."""

    @property
    def flagged(self) -> bool:
        ratios = (self.selection_impact_ratio, self.scoring_impact_ratio)
        return any(r is not None and r < FOUR_FIFTHS for r in ratios)


@dataclass(frozen=True)
class AuditReport:
    role_id: str
    since: str | None
    candidates: int
    median_score: float | None
    groups: dict[str, list[CategoryRow]]
    undecided: int = 0
    """Candidates of the role without a decision yet (insufficient_evidence): not audited."""
    without_self_identification: int = 0
    """Decided candidates with no self-identification data: not in any category, never guessed."""
    left_out: list[str] = field(default_factory=list)

    def to_json(self) -> str:
        data = asdict(self)
        for dimension, rows in self.groups.items():
            for row_json, row in zip(data["groups"][dimension], rows, strict=True):
                row_json["flagged"] = row.flagged
        return json.dumps(data)


def _rows(people: Sequence[Audited], key: Callable[[Audited], str], median: float, total: int) -> list[CategoryRow]:
    categories: dict[str, list[Audited]] = {}
    for person in people:
        categories.setdefault(key(person), []).append(person)
    rows = [
        CategoryRow(
            category=name,
            candidates=len(members),
            selected=sum(m.selected for m in members),
            selection_rate=round(sum(m.selected for m in members) / len(members), 4),
            scoring_rate=round(sum(m.score > median for m in members) / len(members), 4),
            share=round(len(members) / total, 4),
            left_out=len(members) / total < MIN_SHARE,
        )
        for name, members in categories.items()
    ]
    counted = [r for r in rows if not r.left_out]
    top_selection = max((r.selection_rate for r in counted), default=0.0)
    top_scoring = max((r.scoring_rate for r in counted), default=0.0)
    result = []
    for row in rows:
        if not row.left_out:
            row = CategoryRow(
                **{
                    **asdict(row),
                    "selection_impact_ratio": round(row.selection_rate / top_selection, 4) if top_selection else None,
                    "scoring_impact_ratio": round(row.scoring_rate / top_scoring, 4) if top_scoring else None,
                }
            )
        result.append(row)
    return sorted(result, key=lambda r: (r.left_out, -r.candidates, r.category))


def adverse_impact(
    people: Sequence[Audited],
    role_id: str,
    *,
    since: str | None = None,
    undecided: int = 0,
    without_self_identification: int = 0,
) -> AuditReport:
    """The report's arithmetic: pure, over the audited candidates."""
    total = len(people)
    median = statistics.median(p.score for p in people) if people else None
    groups: dict[str, list[CategoryRow]] = {}
    if people and median is not None:
        keys: dict[str, Callable[[Audited], str]] = {
            "sex": lambda p: p.sex,
            "race/ethnicity": lambda p: p.race,
            "intersection": lambda p: f"{p.sex} / {p.race}",
        }
        groups = {dimension: _rows(people, key, median, total) for dimension, key in keys.items()}
    left_out = [f"{d}: {r.category} ({r.candidates})" for d, rows in groups.items() for r in rows if r.left_out]
    return AuditReport(role_id, since, total, median, groups, undecided, without_self_identification, left_out)


UNANSWERED = "Not answered"
"""A self-identification that left the question blank: a category of its own, like declining."""


def audited(
    recommendations: Iterable[Recommendation],
    demographics: dict[str, tuple[str | None, str | None]],
    role_id: str,
    since: datetime | None,
) -> tuple[list[Audited], int, int]:
    """(the audited candidates, undecided, without self-identification) for one role."""
    people, undecided, unknown = [], 0, 0
    for r in recommendations:
        if r.role_id != role_id or (since is not None and r.issued_at < since):
            continue
        if r.decision == Decision.INSUFFICIENT_EVIDENCE or r.score is None:
            undecided += 1
            continue
        if r.candidate_id not in demographics:
            unknown += 1
            continue
        sex, race = demographics[r.candidate_id]
        people.append(Audited(r.candidate_id, sex or UNANSWERED, race or UNANSWERED, r.decision in SELECTED, r.score))
    return people, undecided, unknown


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def render(report: AuditReport) -> Group:
    title = f"Adverse impact: {report.role_id}" + (f" since {report.since}" if report.since else "")
    header = Table.grid()
    header.add_row(
        f"{title}: {report.candidates} candidates with a decision; median score "
        f"{'-' if report.median_score is None else f'{report.median_score:.2f}'}; selected = hire or strong_hire; "
        f"scoring rate = share above the median; impact ratio = rate / highest rate; ! = below {FOUR_FIFTHS}"
    )
    parts: list[Any] = [header]
    for dimension, rows in report.groups.items():
        table = Table(title=dimension)
        for column in (
            "category",
            "candidates",
            "selected",
            "selection rate",
            "impact ratio",
            "scoring rate",
            "impact ratio (scoring)",
            "",
        ):
            table.add_column(column, justify="left" if column in ("category", "") else "right")
        for r in rows:
            table.add_row(
                r.category,
                str(r.candidates),
                str(r.selected),
                f"{r.selection_rate:.1%}",
                "left out" if r.left_out else _ratio(r.selection_impact_ratio),
                f"{r.scoring_rate:.1%}",
                "left out" if r.left_out else _ratio(r.scoring_impact_ratio),
                "! below four-fifths" if r.flagged else "",
            )
        parts.append(table)
    notes = Table.grid()
    if report.left_out:
        notes.add_row(
            f"Left out of the impact ratios (below {MIN_SHARE:.0%} of the candidates): {', '.join(report.left_out)}"
        )
    notes.add_row(
        f"Not audited: {report.undecided} candidate(s) without a decision yet (insufficient_evidence); "
        f"{report.without_self_identification} with no self-identification data (never guessed)."
    )
    parts.append(notes)
    return Group(*parts)


async def load(
    kafka: Any, database_url: str, role_id: str
) -> tuple[list[Recommendation], dict[str, tuple[str | None, str | None]]]:
    """The latest decision of every pair (the topic up to its end now) and the role's self-identification."""
    import asyncpg

    from hiring_pipeline.tools.recommendations import follow_latest
    from services.greenhouse.eeoc import PostgresEeocStore

    latest = await follow_latest(kafka, until=lambda _: False, timeout=120, stop_at_end=True)
    pool = await asyncpg.create_pool(database_url, min_size=1, max_size=1)
    try:
        await PostgresEeocStore.migrate(pool)
        found = await PostgresEeocStore(pool).of_role(role_id)
    finally:
        await pool.close()
    return list(latest.values()), {c: (s.gender, s.race) for c, s in found.items()}
