"""Reading the current recommendation per pair from the compacted topic.

Used by `hiring-pipeline recommendations` (the recruiters' view) and by the demo. The
topic is compacted and versions only grow, so the current decision of a pair is the
highest version read for its key, whatever order the log was compacted into.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from schemas import topics
from schemas.events import Recommendation
from services.runtime.kafka import KafkaOptions, Offsets, open_topic

Latest = dict[str, Recommendation]
DECISION_STYLE = {
    "strong_hire": "bold green",
    "hire": "green",
    "no_hire": "yellow",
    "strong_no_hire": "bold red",
    "insufficient_evidence": "cyan",
}


def _keep(latest: Latest, value: bytes | None) -> None:
    try:
        recommendation = Recommendation.model_validate_json(value or b"")
    except ValidationError:
        return  # not a recommendation: nothing a recruiter can use
    current = latest.get(recommendation.key)
    if current is None or recommendation.version > current.version:
        latest[recommendation.key] = recommendation


async def follow_latest(
    kafka: KafkaOptions,
    until: Callable[[Latest], bool],
    timeout: float | None,
    on_update: Callable[[Latest], None] = lambda latest: None,
    *,
    stop_at_end: bool = False,
    since: Offsets | None = None,
) -> Latest:
    """Read the topic from the beginning (or from `since`), keeping the highest version per key, until
    `until(latest)` holds, `timeout` seconds pass (None: never), or, with `stop_at_end`,
    the end the topic had when reading began is reached."""
    latest: Latest = {}
    async with open_topic(kafka, topics.RECOMMENDATION) as reader:
        start = {**await reader.beginning(), **(since or {})}
        end = await reader.end() if stop_at_end else None
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        async for records in reader.batches(start, end):
            for record in records:
                _keep(latest, record.value)
            on_update(latest)
            if until(latest) or (deadline is not None and loop.time() >= deadline):
                break
    return latest


def selected(latest: Latest, candidate: str | None, role: str | None) -> list[Recommendation]:
    return [
        r
        for _, r in sorted(latest.items())
        if (candidate is None or r.candidate_id == candidate) and (role is None or r.role_id == role)
    ]


def table(
    recommendations: list[Recommendation], *, details: bool = True, title: str = "Hiring recommendations"
) -> Table:
    """One row per pair; with `details`, per-competency scores and the interviews counted."""
    result = Table(title=title)
    for column in ("candidate", "role", "decision", "score"):
        result.add_column(column, no_wrap=True)
    if details:
        result.add_column("competencies (score x interviews)", overflow="fold")
        result.add_column("interviews counted", overflow="fold")
        result.add_column("version", justify="right")
    result.add_column("reasons", overflow="fold", min_width=40)
    for r in recommendations:
        row = [
            r.candidate_id,
            r.role_id,
            f"[{DECISION_STYLE[r.decision.value]}]{r.decision.value}[/]",
            "-" if r.score is None else f"{r.score:.2f}",
        ]
        if details:
            row += [
                "\n".join(
                    f"{c.competency.value} {'-' if c.score is None else f'{c.score:.2f}'} x{c.interviews}"
                    for c in r.competencies
                ),
                "\n".join(f"{i.interview_id} (rev {i.revision})" for i in r.interviews),
                str(r.version),
            ]
        row.append("\n".join(r.reasons))
        result.add_row(*row)
    return result


def wide_console() -> Console:
    """A terminal's own width; 200 columns when piped or captured, so tables stay readable."""
    console = Console()
    return console if console.is_terminal else Console(width=200)
