"""Reading the current recommendation per pair from the compacted topic.

Used by `hiring-pipeline recommendations` (the recruiters' view) and by the demo. The
topic is compacted and versions only grow, so the current decision of a pair is the
highest version read for its key, whatever order the log was compacted into.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable

from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from schemas import topics
from schemas.events import OverallVote, Recommendation
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


NARROW = 140
"""Below this many columns the interviews move under the pair, so the reasons keep room."""


def table(
    recommendations: list[Recommendation],
    *,
    details: bool = True,
    title: str = "Hiring recommendations",
    width: int | None = None,
) -> Table:
    """One row per pair; with `details`, per-competency scores, the interviews counted with
    their interviewers' votes, and the record's overrides and debrief reasons.

    Every cell wraps, none crops: below `NARROW` columns (`width`) the table has three
    columns, so it stays readable at 100."""
    narrow = width is not None and width < NARROW
    result = Table(title=title, show_lines=narrow, expand=details and not narrow)
    if narrow:
        result.add_column("candidate, role, decision", overflow="fold")
    else:
        for column in ("candidate", "role", "decision", "score"):
            result.add_column(column, overflow="fold")
    if details:
        result.add_column("competencies (score x interviews)", overflow="fold", no_wrap=not narrow)
        if not narrow:
            result.add_column("interviews (vote)", overflow="fold", ratio=1)
    result.add_column("reasons", overflow="fold", min_width=30, ratio=None if narrow else 2)
    for r in recommendations:
        decision = f"[{DECISION_STYLE[r.decision.value]}]{r.decision.value}[/]"
        debrief = ["[bold magenta]needs debrief[/]"] if r.needs_debrief else []
        score = (
            f"{r.score:.2f}"
            if r.score is not None
            else (f"- (partial {r.partial_score:.2f})" if r.partial_score is not None else "-")
        )
        votes = {v.interview_id: v for v in r.votes}
        counted = [f"{i.interview_id} (rev {i.revision})" + _vote(votes.get(i.interview_id)) for i in r.interviews]
        if narrow:
            pair = [r.candidate_id, r.role_id, decision, score, *debrief]
            row = ["\n".join([*pair, *(["", *counted] if details else []), f"version {r.version}"])]
        else:
            row = [r.candidate_id, r.role_id, "\n".join([decision, *debrief]), score]
        if details:
            row.append(
                "\n".join(
                    f"{c.competency.value} {'-' if c.score is None else f'{c.score:.2f}'} x{c.interviews}"
                    for c in r.competencies
                )
            )
            if not narrow:
                row.append("\n".join([*counted, f"version {r.version}"]))
        lines = [escape(reason) for reason in r.reasons]
        lines += [f"[magenta]debrief:[/] {escape(reason)}" for reason in r.debrief_reasons]
        lines += [f"[yellow]override:[/] {escape(override)}" for override in r.overrides]
        row.append("\n".join(lines))
        result.add_row(*row)
    return result


def _vote(vote: OverallVote | None) -> str:
    if vote is None:
        return ""
    return f" {vote.interviewer_id}: {vote.vote.value if vote.vote is not None else 'no vote'}"


def wide_console() -> Console:
    """A terminal's own width; when piped or captured, `COLUMNS` if set, else 200 columns."""
    console = Console()
    if console.is_terminal:
        return console
    columns = os.environ.get("COLUMNS", "")
    return Console(width=int(columns) if columns.isdigit() else 200)
