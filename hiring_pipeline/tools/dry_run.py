"""The whole pipeline in one process, without Kafka or a database: `hiring-pipeline recommend`.

Runs the same cores as the services, in the same way: each event is scored, then folded
into its pair's state in arrival order, and a new version is counted each time the
verdict changes. Hiring managers use it to see how a rubric or role profile would decide.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pydantic import ValidationError

from schemas.events import InterviewCompleted, Recommendation, describe_validation_error
from schemas.rubric import RoleProfile, Rubric
from services.aggregation.decision import Published, decide, merge, next_recommendation
from services.scoring.score import score_interview


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


def recommend(events: Sequence[InterviewCompleted], rubric: Rubric, roles: dict[str, RoleProfile]) -> list[Recommendation]:
    """The final recommendation of each candidate-role pair, ordered by key."""
    state: dict[tuple[str, str], dict] = {}
    published: dict[tuple[str, str], tuple[Published, Recommendation]] = {}
    for event in events:
        key = (event.candidate_id, event.role_id)
        scored = score_interview(event, rubric, scored_at=event.occurred_at)
        merged, changed = merge(state.get(key, {}), [scored])
        if not changed:
            continue
        state[key] = merged
        verdict = decide(event.candidate_id, roles[event.role_id], merged)
        previous = published.get(key)
        issued_at = max(e.scored_at for e in merged.values())
        recommendation = next_recommendation(verdict, previous[0] if previous else None, issued_at)
        if recommendation is not None:
            published[key] = (Published(recommendation.version, verdict.fingerprint()), recommendation)
    return [published[key][1] for key in sorted(published, key=lambda k: f"{k[0]}:{k[1]}")]
