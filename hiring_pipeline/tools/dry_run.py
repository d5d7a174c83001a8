"""The whole pipeline in one process, without Kafka or a database: `hiring-pipeline recommend`.

Runs the same cores as the services, in the same way: each event is scored, then folded
into its pair's state in arrival order, and a new version is counted each time the
verdict changes. Hiring managers use it to see how a rubric or role profile would decide.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from pydantic import ValidationError

from schemas import wire
from schemas.events import InterviewCompleted, Recommendation, describe_validation_error
from schemas.rubric import RoleProfile, Rubric
from services.aggregation.decision import Entry, Published, fold
from services.scoring.score import score_interview_wire


class InvalidLine(ValueError):
    def __init__(self, number: int, message: str) -> None:
        super().__init__(f"line {number}: {message}")
        self.number = number


def parse_lines(lines: Iterable[str]) -> list[InterviewCompleted]:
    events = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            events.append(InterviewCompleted.model_validate_json(line))
        except ValidationError as exc:
            raise InvalidLine(number, describe_validation_error(exc)) from None
    return events


def recommend(
    events: Sequence[InterviewCompleted], rubric: Rubric, roles: dict[str, RoleProfile]
) -> list[Recommendation]:
    """The final recommendation of each candidate-role pair, ordered by key."""
    state: dict[tuple[str, str], dict[str, Entry]] = {}
    latest: dict[tuple[str, str], datetime] = {}
    published: dict[tuple[str, str], tuple[Published, wire.Recommendation]] = {}
    for event in events:
        key = (event.candidate_id, event.role_id)
        scored = score_interview_wire(
            wire.from_contract(wire.InterviewCompleted, event), rubric, wire.instant(event.occurred_at)
        )
        previous = published.get(key)
        issued_at = max(latest.get(key, event.occurred_at), event.occurred_at)
        step = fold(
            event.candidate_id,
            roles[event.role_id],
            state.get(key, {}),
            [scored],
            previous[0] if previous else None,
            issued_at,
        )
        if not step.changed:
            continue
        state[key], latest[key] = step.interviews, issued_at
        if step.recommendation is not None and step.verdict is not None:
            published[key] = (Published(step.recommendation.version, step.verdict.fingerprint()), step.recommendation)
    return [
        Recommendation.model_validate_json(wire.encode(published[key][1]))
        for key in sorted(published, key=lambda k: f"{k[0]}:{k[1]}")
    ]
