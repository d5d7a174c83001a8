"""From the latest scored interviews of a candidate-role pair to a recommendation.

Pure functions over the contracts' hot-path Structs (`schemas.wire`: the same fields and
JSON as the contract models; a recommendation built here encodes to the bytes its contract
model would), in the order the pair's events go through them:

1. `merge`: the state of a pair is the latest revision of each interview. An older
   revision arriving late is ignored and the same event twice counts once; ties at the
   same revision are broken by rubric version and then source event id, so the state
   depends only on the *set* of events, never on their order. A retraction is terminal:
   it supersedes every revision of its interview, before or after it.
2. `decide`: the loop rules of the role profile (`schemas/data/roles.toml`, where the
   reasoning behind each number is written), applied as a hiring committee would: enough
   interviewers and coverage first, then the weighted score's band, then the floors,
   red flags and vetoes, each saying in `reasons` which threshold it applied. The result
   carries the decision record: per competency, what each interviewer said and the
   quotes behind it, the overall votes, the overrides and the reasons to debrief.
3. `next_recommendation`: a new `version` only when the record's content changed; an
   unchanged decision is not re-published.

`fold` chains the three for one pair and a batch of its events: the consumer, the
rebuild and the dry run all go through it, so they cannot decide differently.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

import msgspec

from schemas import wire
from schemas.events import MAX_QUOTE_CHARS, MAX_QUOTES, READ_RED_FLAG, InterviewRetracted, record_key
from schemas.rubric import RoleProfile
from schemas.scales import Competency, Decision, Rating
from schemas.wire import (
    AssessmentRecord,
    CompetencyScore,
    CompetencySummary,
    CountedInterview,
    Evidence,
    InterviewScored,
    OverallVote,
    Recommendation,
    RedFlag,
)
from services.aggregation.calibration import Calibration, Offset, Said

RECOMMENDATION_NAMESPACE = uuid.UUID("0d6f1c3a-6a51-4f51-8d7e-5b0f9a3e2c77")
MIN_WEIGHT = 0.05
"""A score with zero confidence still counts a little, so a lone guess is not ignored."""

BANDS = [Decision.STRONG_NO_HIRE, Decision.NO_HIRE, Decision.HIRE, Decision.STRONG_HIRE]
"""The decisions a score can have, worst first: red flags lower a decision along it."""

FAVOUR = [
    Decision.STRONG_NO_HIRE,
    Decision.NO_HIRE,
    Decision.INSUFFICIENT_EVIDENCE,
    Decision.HIRE,
    Decision.STRONG_HIRE,
]
"""How far a decision goes for the candidate. Insufficient evidence sits between the
refusals and the hires: not knowing is better than a no and never as good as a hire.
"Never raises a decision" means never moves it right along this list."""

YES_VOTES = frozenset({Rating.YES, Rating.STRONG_YES})
NO_VOTES = frozenset({Rating.NO, Rating.DEFINITELY_NOT})
COMPETENCIES = tuple(Competency)
"""In the enum's order, listed once (iterating an enum class is a generator each time)."""
_DEFINITELY_NOT = Rating.DEFINITELY_NOT

Entry = InterviewScored | InterviewRetracted
Interviews = Mapping[str, Entry]
"""The state of one pair: interview_id -> the latest InterviewScored of that interview,
or its retraction."""


# --- 1. merge -------------------------------------------------------------------------


def _precedence(event: InterviewScored) -> tuple[int, str, str]:
    return (event.revision, event.rubric_version, str(event.source_event_id))


def supersedes(incoming: Entry, current: Entry | None) -> bool:
    if current is None:
        return True
    if isinstance(current, InterviewRetracted):
        return False  # terminal; the first retraction is kept
    if isinstance(incoming, InterviewRetracted):
        return True
    return _precedence(incoming) > _precedence(current)


def merge(state: Interviews, events: Iterable[Entry]) -> tuple[dict[str, Entry], list[str]]:
    """The new state, and the ids of the interviews whose counted event changed."""
    merged = dict(state)
    changed: list[str] = []
    for event in events:
        if supersedes(event, merged.get(event.interview_id)):
            merged[event.interview_id] = event
            if event.interview_id not in changed:
                changed.append(event.interview_id)
    return merged, changed


# --- 2. decide ------------------------------------------------------------------------


def covers(score: CompetencyScore) -> bool:
    """An interview covered a competency unless it gave neither a rating nor evidence on it
    (a scorer that cannot tell, `supported_by_notes` null, is taken at its word)."""
    return not (score.rating is None and score.supported_by_notes is False)


def is_strong_no(score: CompetencyScore) -> bool:
    return score.rating == _DEFINITELY_NOT


def counted_score(score: CompetencyScore) -> float:
    """A definitely_not counts as the bottom of the scale whatever the notes say: a strong
    no is an interviewer's clearest statement and is never softened in the average."""
    return Rating.DEFINITELY_NOT.score if is_strong_no(score) else score.score


def is_negative(score: CompetencyScore) -> bool:
    return is_strong_no(score) or bool(score.red_flags)


class _Said(NamedTuple):
    """One interview's covered assessment of one competency (`_said_of`)."""

    interview: InterviewScored
    score: CompetencyScore
    who: str
    """Its interviewer."""
    value: float
    """Its counted score."""


def _said_of(interview: InterviewScored, score: CompetencyScore) -> _Said:
    return _Said(interview, score, interview.interviewer_id, counted_score(score))


@dataclass(frozen=True)
class _Judgement:
    decision: Decision
    score: float | None
    partial_score: float | None
    reasons: tuple[str, ...]
    combined: Mapping[Competency, float]
    missing: tuple[Competency, ...] = ()
    interviewers_needed: int = 0


@dataclass(frozen=True)
class Verdict:
    """The content of a recommendation: everything but its id, version, time and role version."""

    candidate_id: str
    role_id: str
    decision: Decision
    score: float | None
    competencies: tuple[CompetencySummary, ...]
    red_flags: tuple[RedFlag, ...]
    interviews: tuple[CountedInterview, ...]
    reasons: tuple[str, ...]
    rubric_version: str
    role_version: str = ""
    partial_score: float | None = None
    missing_competencies: tuple[Competency, ...] = ()
    interviewers_needed: int = 0
    debrief_reasons: tuple[str, ...] = ()
    votes: tuple[OverallVote, ...] = ()
    overrides: tuple[str, ...] = ()
    calibration: tuple[str, ...] = ()

    def fingerprint(self) -> str:
        return self._fingerprint

    @functools.cached_property
    def _fingerprint(self) -> str:
        """The hash of the record's content as JSON. The role version is left out on purpose:
        a new version of the role profiles that decides a pair the same way is no news, and
        a rebuild under it republishes only the pairs whose record changed."""
        # The calibration sentences are left out like the role version: an interviewer's history
        # growing (23 interviews, then 24) is no news for this pair; it shows at the pair's next
        # change. An adjustment that changes the decision says so in `reasons`, which count.
        return hashlib.sha256(_content_json(self._content(), self._floats())).hexdigest()

    def _content(self) -> dict[str, object]:
        return {
            "decision": self.decision.value,
            "score": self.score,
            "competencies": self.competencies,
            "red_flags": self.red_flags,
            "interviews": self.interviews,
            "reasons": self.reasons,
            "rubric_version": self.rubric_version,
            "partial_score": self.partial_score,
            "missing_competencies": self.missing_competencies,
            "interviewers_needed": self.interviewers_needed,
            "debrief_reasons": self.debrief_reasons,
            "votes": self.votes,
            "overrides": self.overrides,
        }

    def _floats(self) -> list[float | None]:
        """Every float of the content (the Structs' `float` fields: summaries and assessments)."""
        found = [self.score, self.partial_score]
        for summary in self.competencies:
            found += (summary.score, summary.weight, summary.floor)
            found += [a.score for a in summary.assessments]
        return found

    @property
    def needs_debrief(self) -> bool:
        return bool(self.debrief_reasons)


_SORTED = msgspec.json.Encoder(order="sorted")
_NOT_PRINTABLE_ASCII = re.compile(r"[^\x00-\x7e]")


def _content_json(content: dict[str, object], floats: Iterable[float | None]) -> bytes:
    """`json.dumps(content, sort_keys=True)` as bytes, the text fingerprints have always
    hashed (they are stored, and a recommendation's event id is derived from its fingerprint,
    so the text must never change), in about a third of its time: msgspec writes the Structs
    with their fields sorted and `format(indent=0)` puts in the spaces json.dumps writes after
    `,` and `:`. The two write strings and floats alike but for three things. json escapes
    every character from U+007F up as `\\uXXXX` (UTF-16 surrogate pairs above U+FFFF), which
    is done here to the few there are (emoji, arrows, accents in quotes). json writes a float
    below 1e-4 or from 1e16 up in exponent form its own way, NaN and infinities as `NaN` and
    `Infinity`, and a lone surrogate as an escape where msgspec refuses it: such a record (a
    role weight of 1e-5) is hashed as json.dumps writes it."""
    try:
        encoded = msgspec.json.format(_SORTED.encode(content), indent=0)
    except UnicodeEncodeError:  # a lone surrogate in a quote
        encoded = b""
    if encoded and all(map(_printed_alike, floats)):
        if encoded.isascii() and b"\x7f" not in encoded:
            return encoded
        return _NOT_PRINTABLE_ASCII.sub(_json_escape, encoded.decode()).encode()
    return json.dumps(msgspec.to_builtins(content), sort_keys=True).encode()


def _printed_alike(value: float | None) -> bool:
    """Whether json and msgspec write this float (or None) the same way (`repr` without an exponent)."""
    return value is None or value == 0.0 or 1e-4 <= abs(value) < 1e16


def _json_escape(match: re.Match[str]) -> str:
    """A character as json.dumps escapes it with `ensure_ascii` (`json.encoder.py_encode_basestring_ascii`)."""
    code = ord(match.group())
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 | (code >> 10):04x}\\u{0xDC00 | (code & 0x3FF):04x}"


def decide(
    candidate_id: str, role: RoleProfile, interviews: Interviews, calibration: Calibration | None = None
) -> Verdict:
    """`calibration`: the interviewers' offsets against their past loops (none: nothing named)."""
    ordered = [e for _, e in sorted(interviews.items()) if isinstance(e, InterviewScored)]
    retracted = len(interviews) - len(ordered)
    named = _named(role, ordered, calibration or {})
    said = _said(role, ordered)  # what each interview said, as the rules and the debrief reasons read it
    judged_on = _adjusted(ordered, named) if role.calibration_adjust and named else ordered
    said_judged = said if judged_on is ordered else _said(role, judged_on)
    judged = _judge(role, said_judged)
    decision, reasons = judged.decision, list(judged.reasons)
    missing, needed = judged.missing, judged.interviewers_needed
    if judged_on is not ordered:
        reasons.append(_adjustment_reason(role, named, _judge(role, said), judged))

    negative = [(i, s) for i in judged_on for s in i.scores if covers(s) and is_negative(s)]
    if negative and decision != FAVOUR[0]:  # nothing is below the least favourable decision
        without = _judge(role, _without_negative(said_judged))
        if FAVOUR.index(without.decision) < FAVOUR.index(decision):
            who = ", ".join(sorted({i.interviewer_id for i, _ in negative}))
            reasons.append(
                f"without the strong-no and red-flag evidence (from {who}) the loop would be "
                f"{without.decision.value} ({without.reasons[0]}); such evidence never raises a decision: "
                f"{without.decision.value}"
            )
            decision = without.decision
            if decision == Decision.INSUFFICIENT_EVIDENCE:
                missing, needed = without.missing, without.interviewers_needed
    if retracted:
        reasons.append(f"{retracted} retracted interview(s) not counted")

    score = judged.score if decision != Decision.INSUFFICIENT_EVIDENCE else None
    partial = judged.partial_score if decision == Decision.INSUFFICIENT_EVIDENCE else None
    if decision == Decision.INSUFFICIENT_EVIDENCE and partial is None:
        partial = judged.score
    votes = tuple(
        OverallVote(interview_id=i.interview_id, interviewer_id=i.interviewer_id, vote=i.overall_recommendation)
        for i in ordered
    )
    quotes = _Quotes()
    return Verdict(
        candidate_id=candidate_id,
        role_id=role.id,
        decision=decision,
        score=score,
        competencies=_summaries(role, ordered, judged.combined, quotes),
        red_flags=_red_flags(ordered, quotes),
        interviews=tuple(CountedInterview(interview_id=i.interview_id, revision=i.revision) for i in ordered),
        reasons=tuple(reasons),
        rubric_version=max((i.rubric_version for i in ordered), default=""),
        role_version=role.version,
        partial_score=partial,
        missing_competencies=missing,
        interviewers_needed=needed,
        debrief_reasons=tuple(_debrief_reasons(role, said, decision, votes)),
        votes=votes,
        overrides=tuple(_overrides(ordered, quotes)),
        calibration=tuple(o.sentence() for o in named),
    )


def assessments(interviews: Iterable[InterviewScored]) -> list[Said]:
    """The covered assessments of these interviews, counted as the loop rules count them: what
    calibration is computed from (the rebuild's replayed state, the in-memory store)."""
    return [
        Said(i.candidate_id, i.role_id, i.interview_id, i.interviewer_id, s.competency, counted_score(s), s.rating)
        for i in interviews
        for s in i.scores
        if covers(s)
    ]


def _named(role: RoleProfile, interviews: Sequence[InterviewScored], calibration: Calibration) -> list[Offset]:
    """The loop's interviewers whose offset on a competency they covered here is beyond the role's threshold."""
    if not calibration:
        return []  # nobody's history is known yet (and the dry run has none)
    here = sorted(
        {(i.interviewer_id, s.competency) for i in interviews for s in i.scores if covers(s)},
        key=lambda k: (k[0], k[1].value),
    )
    return [o for key in here if (o := calibration.get(key)) is not None and o.beyond(role)]


def _adjusted(interviews: Sequence[InterviewScored], named: Sequence[Offset]) -> list[InterviewScored]:
    """The loop with each named interviewer's score on the competency moved back by their offset
    (kept on the scale; a definitely_not stays a strong no: it is never softened)."""
    offsets = {(o.interviewer_id, o.competency): o.offset for o in named}
    adjusted = []
    for interview in interviews:
        scores = [
            msgspec.structs.replace(s, score=min(4.0, max(1.0, round(s.score - offsets[key], 3))))
            if (key := (interview.interviewer_id, s.competency)) in offsets and not is_strong_no(s)
            else s
            for s in interview.scores
        ]
        adjusted.append(msgspec.structs.replace(interview, scores=scores))
    return adjusted


def _adjustment_reason(role: RoleProfile, named: Sequence[Offset], plain: _Judgement, adjusted: _Judgement) -> str:
    moved = "; ".join(
        f"{o.interviewer_id}'s {o.competency.value} counted {abs(o.offset):.2f} {'lower' if o.offset > 0 else 'higher'}"
        for o in named
    )
    before = "-" if plain.score is None else f"{plain.score:.2f}"
    after = "-" if adjusted.score is None else f"{adjusted.score:.2f}"
    outcome = (
        f"decision unchanged ({adjusted.decision.value})"
        if plain.decision == adjusted.decision
        else f"{plain.decision.value} without it, {adjusted.decision.value} with it"
    )
    return (
        f"calibration adjustment ({role.id} sets calibration_adjust): {moved}; "
        f"weighted score {before} without it, {after} with it: {outcome}"
    )


def _relevant(role: RoleProfile) -> list[Competency]:
    return [c for c in COMPETENCIES if c in role.weights or c in role.required]


def _said(role: RoleProfile, interviews: Sequence[InterviewScored]) -> dict[Competency, list[_Said]]:
    said: dict[Competency, list[_Said]] = {c: [] for c in _relevant(role)}
    for interview in interviews:
        for score in interview.scores:
            if score.competency in said and covers(score):
                said[score.competency].append(_said_of(interview, score))
    return said


def _disputes(role: RoleProfile, said: Sequence[_Said]) -> tuple[_Said, _Said] | None:
    """The lowest and highest scores of two different interviewers, when they are at least
    the role's `debrief_spread` apart."""
    if len(said) < 2:
        return None  # one interviewer cannot disagree (the usual case: it is asked per competency)
    values = [s.value for s in said]
    if max(values) - min(values) < role.debrief_spread - 1e-9:
        return None  # no two scores are far enough apart, whoever gave them
    highest_first = sorted(said, key=lambda s: (-s.value, s.who))
    for low in sorted(said, key=lambda s: (s.value, s.who)):
        for high in highest_first:
            if high.who != low.who and high.value - low.value >= role.debrief_spread - 1e-9:
                return low, high
    return None


def _combine(role: RoleProfile, said: Sequence[_Said]) -> float:
    """The confidence-weighted mean; when two interviewers are `debrief_spread` apart, the
    lowest score, until a debrief settles it (a disagreement never lifts a decision)."""
    if _disputes(role, said) is not None:
        return min(s.value for s in said)
    weights = [(s.value, max(s.score.confidence, MIN_WEIGHT)) for s in said]
    return round(sum(v * w for v, w in weights) / sum(w for _, w in weights), 3)


def _weighted(role: RoleProfile, combined: Mapping[Competency, float]) -> float | None:
    weighted = {c: role.weights.get(c, 0.0) for c in combined}
    total = sum(weighted.values())
    if total <= 0:
        return None
    return round(sum(combined[c] * w for c, w in weighted.items()) / total, 3)


def _judge(role: RoleProfile, said: Mapping[Competency, Sequence[_Said]]) -> _Judgement:
    """The loop's decision from what its interviews said (`_said`), with the reasons for it."""
    combined = {c: _combine(role, entries) for c, entries in said.items() if entries}
    overall = _weighted(role, combined)
    interviewers = sorted({s.who for entries in said.values() for s in entries})
    missing = tuple(c for c in role.required if c not in combined)
    needed = max(0, role.min_interviewers - len(interviewers))
    if missing or needed or overall is None:
        reasons = []
        if missing:
            reasons.append(
                f"insufficient evidence: no interview covered {', '.join(c.value for c in missing)} (required for {role.id})"
            )
        if needed:
            reasons.append(
                f"insufficient evidence: {len(interviewers)} distinct interviewer(s), {role.id} needs at least "
                f"{role.min_interviewers}: {needed} more needed"
            )
        if overall is not None:
            covered = ", ".join(c.value for c in combined)
            reasons.append(f"partial score {overall:.2f} over what is covered so far ({covered})")
        flagged = sorted({s.score.competency.value for entries in said.values() for s in entries if s.score.red_flags})
        if flagged:
            reasons.append(f"red flags already noted in {', '.join(flagged)}")
        return _Judgement(Decision.INSUFFICIENT_EVIDENCE, None, overall, tuple(reasons), combined, missing, needed)

    decision = _band(role, overall)
    reasons = [_band_reason(role, overall, decision)]

    below = [c for c in combined if combined[c] < role.floor_of(c) and role.weights.get(c, 0.0) > 0]
    if below and BANDS.index(decision) > BANDS.index(Decision.NO_HIRE):
        decision = Decision.NO_HIRE
        described = ", ".join(f"{c.value} {combined[c]:.2f} is below its floor {role.floor_of(c):.2f}" for c in below)
        reasons.append(f"{described}: capped at no_hire however strong the rest")

    other_flags = sorted(
        {
            flag
            for entries in said.values()
            for s in entries
            if s.score.competency not in role.veto_competencies
            for flag in s.score.red_flags
        }
    )
    if other_flags:
        lowered = BANDS[max(0, BANDS.index(decision) - 1)]
        reasons.append(f"red flags {', '.join(other_flags)}: decision lowered one step to {lowered.value}")
        decision = lowered

    vetoes = _vetoes(role, said)
    if vetoes:
        if BANDS.index(decision) > BANDS.index(Decision.NO_HIRE):
            decision = Decision.NO_HIRE
        reasons.append(f"{'; '.join(vetoes)}: a veto competency, so no hire whatever the mean: {decision.value}")
    return _Judgement(decision, overall, None, tuple(reasons), combined)


def _vetoes(role: RoleProfile, said: Mapping[Competency, Sequence[_Said]]) -> list[str]:
    found = []
    for competency in role.veto_competencies:
        for s in said.get(competency, ()):
            if is_strong_no(s.score):
                found.append(f"{s.who} rated {competency.value} definitely_not")
            if s.score.red_flags:
                found.append(f"red flags {', '.join(s.score.red_flags)} in {competency.value} ({s.who})")
    return found


def _band(role: RoleProfile, overall: float) -> Decision:
    if overall >= role.bar + role.strong_margin:
        return Decision.STRONG_HIRE
    if overall >= role.bar:
        return Decision.HIRE
    if overall >= role.bar - role.strong_no_margin:
        return Decision.NO_HIRE
    return Decision.STRONG_NO_HIRE


def _band_reason(role: RoleProfile, overall: float, decision: Decision) -> str:
    """Cites the threshold the band actually needed, not always the hiring bar."""
    strong, strong_no = role.bar + role.strong_margin, role.bar - role.strong_no_margin
    if decision == Decision.STRONG_HIRE:
        return (
            f"weighted score {overall:.2f} is at or above the strong-hire threshold {strong:.2f} "
            f"(hiring bar {role.bar:.2f} + {role.strong_margin:.2f}): strong_hire"
        )
    if decision == Decision.HIRE:
        return (
            f"weighted score {overall:.2f} is at or above the hiring bar {role.bar:.2f} "
            f"and below the strong-hire threshold {strong:.2f}: hire"
        )
    if decision == Decision.NO_HIRE:
        return (
            f"weighted score {overall:.2f} is below the hiring bar {role.bar:.2f} "
            f"and at or above the strong-no-hire threshold {strong_no:.2f}: no_hire"
        )
    return (
        f"weighted score {overall:.2f} is below the strong-no-hire threshold {strong_no:.2f} "
        f"(hiring bar {role.bar:.2f} - {role.strong_no_margin:.2f}): strong_no_hire"
    )


def _without_negative(said: Mapping[Competency, Sequence[_Said]]) -> dict[Competency, list[_Said]]:
    """What the loop said without its strong-no and red-flag assessments (as `_said` reads the
    loop with those assessments taken out of their interviews)."""
    return {c: [s for s in entries if not is_negative(s.score)] for c, entries in said.items()}


def _debrief_reasons(
    role: RoleProfile, said: Mapping[Competency, Sequence[_Said]], decision: Decision, votes: Sequence[OverallVote]
) -> list[str]:
    reasons = []
    for competency, entries in said.items():
        for s in entries:
            if is_strong_no(s.score):
                reasons.append(f"{s.who} rated {competency.value} definitely_not")
            read = [sig.quote for sig in s.score.signals if sig.signal == READ_RED_FLAG]
            if read:
                reasons.append(
                    f"{s.who}'s notes on {competency.value} read as a red flag that no listed practice names "
                    f'("{_short(read[0])}"): confirm it'
                )
        dispute = _disputes(role, entries)
        if dispute is not None:
            low, high = dispute
            reasons.append(
                f"{competency.value}: {high.who} scored {high.value:.2f} and {low.who} {low.value:.2f}, "
                f"{high.value - low.value:.2f} points apart (debrief at {role.debrief_spread:.2f}); the lower counts until then"
            )
    cast = [v.vote for v in votes if v.vote is not None]
    yes, no = sum(v in YES_VOTES for v in cast), sum(v in NO_VOTES for v in cast)
    if decision in (Decision.HIRE, Decision.STRONG_HIRE) and no * 2 > len(cast):
        reasons.append(f"computed {decision.value} against {no} of {len(cast)} overall votes for no")
    if decision in (Decision.NO_HIRE, Decision.STRONG_NO_HIRE) and yes * 2 > len(cast):
        reasons.append(f"computed {decision.value} against {yes} of {len(cast)} overall votes for yes")
    return reasons


def _words(signal: str) -> str:
    """`security.committed_secrets` -> `committed secrets`."""
    return signal.split(".", 1)[-1].replace("_", " ")


def _short(quote: str) -> str:
    """The quote on one line, its runs of whitespace as one space, cut to MAX_QUOTE_CHARS. Most
    quotes are that already: printable text (no whitespace but the plain space, which
    `isprintable` allows) without two spaces in a row or a space at either end, which the
    splitting and joining would give back unchanged."""
    if not (quote.isprintable() and "  " not in quote and quote[:1] != " " and quote[-1:] != " "):
        quote = " ".join(quote.split())
    return quote if len(quote) <= MAX_QUOTE_CHARS else quote[: MAX_QUOTE_CHARS - 1].rstrip() + "…"


def _flag_quotes(score: CompetencyScore) -> list[Evidence]:
    seen: dict[str, Evidence] = {}
    for signal in score.signals:
        if signal.kind == "red_flag" and signal.signal not in seen:
            seen[signal.signal] = Evidence(kind="red_flag", signal=signal.signal, quote=_short(signal.quote))
    for flag in score.red_flags:
        seen.setdefault(flag, Evidence(kind="red_flag", signal=flag, quote=""))
    return list(seen.values())


def _moving_quotes(score: CompetencyScore) -> list[Evidence]:
    """The strong and weak signals that moved the score, those in the direction it moved
    first (rated down: the weak ones; up or unrated: the strong ones); at most three. A quote
    several signals share (one clause that matched three signals) is one quote, shortened once."""
    down = score.rating is not None and score.score < score.rating.score
    seen: dict[str, Evidence] = {}  # by shortened quote
    done: set[str] = set()  # the quotes as the signals carry them, already shortened and seen
    for kind in ("weak", "strong") if down else ("strong", "weak"):
        for signal in score.signals:
            if signal.kind != kind or signal.quote in done:
                continue
            done.add(signal.quote)
            quote = _short(signal.quote)
            if quote not in seen:
                seen[quote] = Evidence(kind=kind, signal=signal.signal, quote=quote)
                if len(seen) == MAX_QUOTES:  # the first three are kept: the rest cannot change them
                    return list(seen.values())
    return list(seen.values())


class _Quotes:
    """Each assessment's quotes, worked out once per decision (the competency summaries, the red
    flags and the overrides all show them)."""

    def __init__(self) -> None:
        self._flags: dict[int, list[Evidence]] = {}
        self._moving: dict[int, list[Evidence]] = {}

    def flags(self, score: CompetencyScore) -> list[Evidence]:
        found = self._flags.get(id(score))
        if found is None:
            found = self._flags[id(score)] = _flag_quotes(score)
        return found

    def moving(self, score: CompetencyScore) -> list[Evidence]:
        found = self._moving.get(id(score))
        if found is None:
            found = self._moving[id(score)] = _moving_quotes(score)
        return found


def _summaries(
    role: RoleProfile, interviews: Sequence[InterviewScored], combined: Mapping[Competency, float], quotes: _Quotes
) -> tuple[CompetencySummary, ...]:
    summaries = []
    for competency in _relevant(role):
        records = [
            AssessmentRecord(
                interview_id=i.interview_id,
                interviewer_id=i.interviewer_id,
                rating=s.rating,
                score=s.score,
                counted=covers(s),
                quotes=quotes.moving(s),
                red_flags=quotes.flags(s),
            )
            for i in interviews
            for s in i.scores
            if s.competency == competency
        ]
        summaries.append(
            CompetencySummary(
                competency=competency,
                score=combined.get(competency),
                weight=role.weights.get(competency, 0.0),
                interviews=sum(r.counted for r in records),
                floor=role.floor_of(competency),
                veto=competency in role.veto_competencies,
                assessments=records,
            )
        )
    return tuple(summaries)


def _red_flags(interviews: Sequence[InterviewScored], quotes: _Quotes) -> tuple[RedFlag, ...]:
    flags = [
        RedFlag(
            competency=s.competency,
            signal=e.signal,
            interview_id=i.interview_id,
            interviewer_id=i.interviewer_id,
            quote=e.quote or None,
        )
        for i in interviews
        for s in i.scores
        for e in quotes.flags(s)
    ]
    return tuple(sorted(flags, key=lambda f: (f.competency.value, f.signal, f.interview_id)))


def _overrides(interviews: Sequence[InterviewScored], quotes: _Quotes) -> list[str]:
    """Where the notes, or the loop's rules, count something other than what the
    interviewer rated: said in words, with the quote."""
    said = []
    for i in interviews:
        for s in i.scores:
            if s.rating is None or not covers(s):
                continue
            flags = quotes.flags(s)
            if flags and s.score < s.rating.score:
                described = ", ".join(f"{_words(f.signal)}" + (f' ("{f.quote}")' if f.quote else "") for f in flags)
                said.append(
                    f"{i.interviewer_id} rated {s.competency.value} {s.rating.value}; "
                    f"the notes describe {described}: capped at {s.score:.2f}"
                )
            elif is_strong_no(s) and s.score > Rating.DEFINITELY_NOT.score:
                said.append(
                    f"{i.interviewer_id} rated {s.competency.value} definitely_not; the notes scored "
                    f"{s.score:.2f}: counted as {Rating.DEFINITELY_NOT.score:.2f}, a strong no is never softened"
                )
            elif abs(s.score - s.rating.score) >= 1.0:
                moved = "; ".join(f'"{q.quote}"' for q in quotes.moving(s))
                said.append(
                    f"{i.interviewer_id} rated {s.competency.value} {s.rating.value}; "
                    f"the notes moved it to {s.score:.2f}" + (f" ({moved})" if moved else "")
                )
    return said


# --- 3. next_recommendation -----------------------------------------------------------


@dataclass(frozen=True)
class Published:
    """What was last published for a pair: enough to know whether a verdict is news."""

    version: int
    fingerprint: str


def next_recommendation(verdict: Verdict, previous: Published | None, issued_at: datetime) -> Recommendation | None:
    """The recommendation to publish, or None when the verdict says nothing new."""
    fingerprint = verdict.fingerprint()
    if previous is not None and previous.fingerprint == fingerprint:
        return None
    if previous is None and not verdict.interviews:
        return None  # only retractions for a pair never recommended: nothing to tell anyone
    version = previous.version + 1 if previous else 1
    key = record_key(verdict.candidate_id, verdict.role_id)
    return Recommendation(
        event_id=wire.uuid5(RECOMMENDATION_NAMESPACE, f"{key}|{version}|{fingerprint}"),
        candidate_id=verdict.candidate_id,
        role_id=verdict.role_id,
        decision=verdict.decision,
        score=verdict.score,
        competencies=list(verdict.competencies),
        red_flags=list(verdict.red_flags),
        interviews=list(verdict.interviews),
        reasons=list(verdict.reasons),
        rubric_version=verdict.rubric_version,
        version=version,
        issued_at=issued_at,
        role_version=verdict.role_version or None,
        partial_score=verdict.partial_score,
        missing_competencies=list(verdict.missing_competencies),
        interviewers_needed=verdict.interviewers_needed,
        needs_debrief=verdict.needs_debrief,
        debrief_reasons=list(verdict.debrief_reasons),
        votes=list(verdict.votes),
        overrides=list(verdict.overrides),
        calibration=list(verdict.calibration),
    )


# --- the fold -------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """What folding a batch of one pair's events gives."""

    interviews: dict[str, Entry]
    """The pair's new state."""
    changed: list[str]
    """The interviews whose counted event changed: the ones to store."""
    verdict: Verdict | None
    """None when nothing changed, so there was nothing to decide again."""
    recommendation: Recommendation | None
    """The next version to publish; None when the verdict is no news."""


def fold(
    candidate_id: str,
    role: RoleProfile,
    state: Interviews,
    events: Iterable[Entry],
    published: Published | None,
    issued_at: datetime,
    calibration: Calibration | None = None,
) -> Step:
    """One pair, one batch: merge the events into the state, decide, and say whether that is news.

    The one decision step of the service, the rebuild (empty state, every event) and the
    dry run."""
    merged, changed = merge(state, events)
    if not changed:
        return Step(merged, changed, None, None)
    verdict = decide(candidate_id, role, merged, calibration)
    return Step(merged, changed, verdict, next_recommendation(verdict, published, issued_at))
