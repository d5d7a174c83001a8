"""Loads the versioned rubric and role profiles (product data in `schemas/data/*.toml`).

Both services read the same files: scoring needs the lexicon, aggregation the role
profiles. Loading validates everything (weights sum to 1, regexes compile, competencies
exist), so a bad edit of the data fails at start, not in the middle of a partition.
"""

from __future__ import annotations

import functools
import re
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from schemas.scales import Competency

RUBRIC_DIR = Path(__file__).parent / "data"
MAX_PATTERN_LENGTH = 300
"""Signals are phrases: a pattern that can match more is a mistake (and slow to search)."""


def max_match_length(pattern: str) -> int:
    """The longest text a regular expression can match, from the stdlib's own parser."""
    import re._parser as sre_parse  # the parser behind re.compile

    longest: int = sre_parse.parse(pattern, re.IGNORECASE).getwidth()[1]
    return longest


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SignalRule(_Frozen):
    id: str
    kind: Literal["strong", "weak", "red_flag"]
    patterns: tuple[str, ...] = Field(min_length=1)
    pair: bool = False
    """The patterns join two ideas ("money" ... "float"): a rejection between them
    ("money as NUMERIC, never float") rejects the match."""
    follows: bool = False
    """A pair whose second idea may come in the next sentence ("Passwords go through SHA-256
    before they're stored. No salt."): its patterns are searched across two sentences."""
    whole_clause: bool = False
    """Match only a whole clause ("Strong." as a verdict, not "strong consistency")."""
    gap: bool = False
    """A gap in knowledge named in the rubric's words ("never profiled a slow query", "no
    strategy for versioning"), not a practice: weak evidence, and a defence of it ("the ORM
    handles that") does not make it a red flag the way a defended practice is one."""

    @field_validator("patterns")
    @classmethod
    def _patterns_compile_with_bounded_length(cls, patterns: tuple[str, ...]) -> tuple[str, ...]:
        for pattern in patterns:
            try:
                re.compile(pattern, re.IGNORECASE)
            except re.error as exc:
                raise ValueError(f"pattern {pattern!r} does not compile: {exc}") from exc
            if max_match_length(pattern) > MAX_PATTERN_LENGTH:
                raise ValueError(f"pattern {pattern!r} can match unbounded text: use {{0,30}}, not * or +")
        return patterns


class CompetencyRubric(_Frozen):
    id: Competency
    name: str
    description: str
    strong_answer: str
    red_flag: str
    signals: tuple[SignalRule, ...]


class Negation(_Frozen):
    window_words: int = Field(ge=1, le=20)
    cues: tuple[str, ...]
    scope_breakers: tuple[str, ...] = ()


class Rubric(_Frozen):
    version: str
    title: str
    summary: str
    negation: Negation
    competencies: tuple[CompetencyRubric, ...]
    judgement: tuple[SignalRule, ...] = ()
    """Words about how the candidate performed, for every competency (`signals/judgement.toml`)."""

    @model_validator(mode="after")
    def _every_competency_once(self) -> Rubric:
        ids = [c.id for c in self.competencies]
        if sorted(ids) != sorted(Competency):
            raise ValueError(f"the rubric must describe each competency exactly once, got {ids}")
        return self

    def competency(self, competency: Competency) -> CompetencyRubric:
        return next(c for c in self.competencies if c.id == competency)


class RoleProfile(_Frozen):
    """How one role weighs the competencies, and the loop rules its decisions follow.

    The reasoning behind each number is written beside it in `schemas/data/roles.toml`.
    """

    id: str
    version: str = Field(min_length=1, description="The roles file's version: recommendations name it.")
    title: str
    description: str
    required: tuple[Competency, ...]
    weights: dict[Competency, float]
    bar: float = Field(ge=1.0, le=4.0)
    strong_margin: float = Field(gt=0.0, le=1.5)
    strong_no_margin: float = Field(gt=0.0, le=2.0)
    floor: float = Field(ge=1.0, le=4.0, description="The floor of every competency without one of its own.")
    floors: dict[Competency, float] = Field(default_factory=dict)
    veto_competencies: tuple[Competency, ...]
    min_interviewers: int = Field(default=2, ge=1, le=10)
    debrief_spread: float = Field(default=2.0, gt=0.0, le=3.0)
    calibration_threshold: float = Field(
        default=1.0, gt=0.0, le=3.0, description="An interviewer this far from their loops on a competency is named."
    )
    calibration_min_interviews: int = Field(
        default=10, ge=1, description="The interviews an interviewer's offset must rest on before it is named."
    )
    calibration_adjust: bool = Field(
        default=False, description="Count a named interviewer's scores corrected by their offset (off by default)."
    )

    @model_validator(mode="after")
    def _weights_sum_to_one(self) -> RoleProfile:
        total = sum(self.weights.values())
        if abs(total - 1.0) > 1e-9:
            raise ValueError(f"role {self.id}: weights sum to {total}, not 1")
        return self

    @field_validator("floors")
    @classmethod
    def _floors_on_the_scale(cls, floors: dict[Competency, float]) -> dict[Competency, float]:
        for competency, value in floors.items():
            if not 1.0 <= value <= 4.0:
                raise ValueError(f"floor of {competency.value} is {value}, outside the scale 1.0 to 4.0")
        return floors

    def floor_of(self, competency: Competency) -> float:
        return self.floors.get(competency, self.floor)


@functools.cache
def load_rubric(path: Path = RUBRIC_DIR / "rubric.toml") -> Rubric:
    """The rubric's prose and rules from `rubric.toml`, each competency's lexicon from
    `signals/<competency>.toml` beside it (and `<competency>.<part>.toml`), the shared judgement words from
    `signals/judgement.toml`: one file per lexicon keeps each reviewable on its own."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    signals = path.parent / "signals"
    for competency in data["competencies"]:
        competency.setdefault("signals", [])
        for path in [signals / f"{competency['id']}.toml", *sorted(signals.glob(f"{competency['id']}.*.toml"))]:
            competency["signals"] += _signals(path)
    data["judgement"] = _signals(signals / "judgement.toml")
    return Rubric.model_validate(data)


def _signals(path: Path) -> list[dict[str, object]]:
    return tomllib.loads(path.read_text(encoding="utf-8")).get("signals", []) if path.exists() else []


@functools.cache
def load_roles(path: Path = RUBRIC_DIR / "roles.toml") -> dict[str, RoleProfile]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    defaults = {"version": data["version"], **data.get("defaults", {})}
    profiles = [RoleProfile.model_validate({**defaults, **role}) for role in data["roles"]]
    return {profile.id: profile for profile in profiles}


@functools.cache
def role_ids() -> frozenset[str]:
    """The bundled role profiles' ids (what the ATS contract validates `role_id` against):
    computed once, not on every event."""
    return frozenset(load_roles())
