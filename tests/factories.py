"""Builders of valid contract events for tests: deterministic, overridable."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel

from schemas import wire
from schemas.events import InterviewCompleted, InterviewRetracted

FIXED_TIME = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)

STRONG_NOTES = {
    "api_design": "Modelled orders as resources, used 201 and 409 correctly, idempotency keys on POST, cursor-based pagination.",
    "databases": "Proposed a composite index on (tenant_id, created_at), made it covering with INCLUDE, checked EXPLAIN ANALYZE.",
    "concurrency": "Explained SELECT ... FOR UPDATE versus optimistic locking, and which isolation level prevents lost updates.",
    "reliability_observability": "Structured JSON logs with correlation IDs, readiness health checks, alerting on SLOs.",
    "security": "Raised SQL injection and CSRF unprompted, uses parameterized queries, secrets in Vault, bcrypt for passwords.",
}


def interview(
    *,
    candidate_id: str = "cand-1",
    role_id: str = "backend-engineer",
    interview_id: str | None = None,
    revision: int = 1,
    ratings: dict[str, str | None] | None = None,
    notes: dict[str, str] | None = None,
    event_id: uuid.UUID | None = None,
    interviewer_id: str | None = None,
    overall: str | None = None,
) -> InterviewCompleted:
    """Each interview has its own interviewer unless told otherwise, as in a real loop."""
    ratings = ratings if ratings is not None else {c: "yes" for c in STRONG_NOTES}
    notes = notes if notes is not None else {}
    interview_id = interview_id or f"int-{uuid.uuid4().hex[:8]}"
    assessments: list[dict[str, Any]] = [
        {"competency": c, "rating": r, "notes": notes.get(c, "")} for c, r in ratings.items()
    ]
    return InterviewCompleted.model_validate(
        {
            "event_id": str(event_id or uuid.uuid4()),
            "occurred_at": FIXED_TIME.isoformat(),
            "interview_id": interview_id,
            "revision": revision,
            "candidate_id": candidate_id,
            "role_id": role_id,
            "interviewer_id": interviewer_id or f"intv-{interview_id}",
            "assessments": assessments,
            "overall_recommendation": overall,
        }
    )


def on_the_wire(event: BaseModel) -> Any:
    """A contract model as the services' cores take it: its hot-path Struct (`schemas.wire`);
    a retraction, which has none, as it is."""
    twin = {model: struct for struct, model in wire.CONTRACTS.items()}.get(type(event))
    return event if twin is None else wire.from_contract(twin, event)


def retraction(
    *,
    interview_id: str,
    candidate_id: str = "cand-1",
    role_id: str = "backend-engineer",
    reason: str = "scorecard_deleted",
    event_id: uuid.UUID | None = None,
) -> InterviewRetracted:
    return InterviewRetracted(
        event_id=event_id or uuid.uuid4(),
        occurred_at=FIXED_TIME,
        interview_id=interview_id,
        candidate_id=candidate_id,
        role_id=role_id,
        reason=reason,
    )
