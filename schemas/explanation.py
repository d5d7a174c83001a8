"""A Recommendation's decision record as plain text, for people who act on it.

Plain lines, no terminal markup, wrapped to a width and never cropped: the same text
suits a terminal (`hiring-pipeline explain`), an e-mail or a note in the ATS (the Greenhouse
write-back, `services/greenhouse/notes.py`). It lives
beside the contract because it reads only the contract: any consumer of the
recommendation topic can render a record the same way.
"""

from __future__ import annotations

import textwrap
from collections import Counter

from schemas.events import AssessmentRecord, Recommendation
from schemas.scales import Decision

DEFAULT_WIDTH = 100


def _score(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _wrapped(text: str, width: int, indent: str = "  ", bullet: str = "- ") -> list[str]:
    return textwrap.wrap(
        text,
        width=width,
        initial_indent=indent + bullet,
        subsequent_indent=indent + " " * len(bullet),
        break_long_words=True,
        break_on_hyphens=False,
    ) or [indent + bullet]


def headline(r: Recommendation) -> str:
    if r.decision == Decision.INSUFFICIENT_EVIDENCE:
        return f"{r.decision.value} (partial score {_score(r.partial_score)})"
    return f"{r.decision.value} (score {_score(r.score)})"


def vote_tally(r: Recommendation) -> str:
    """`2 yes, 1 no, 1 without a vote`, in the scale's order."""
    counts = Counter("none" if v.vote is None else v.vote.value for v in r.votes)
    order = ["strong_yes", "yes", "mixed", "no", "definitely_not"]
    parts = [f"{counts[k]} {k}" for k in order if counts[k]]
    if counts["none"]:
        parts.append(f"{counts['none']} without a vote")
    return ", ".join(parts) or "no votes"


def _assessment(a: AssessmentRecord, width: int) -> list[str]:
    rating = a.rating.value if a.rating is not None else "no rating"
    counted = "" if a.counted else " (did not cover it: not counted)"
    lines = [f"    {a.interviewer_id} ({a.interview_id}): rated {rating}, scored {a.score:.2f}{counted}"]
    for q in a.quotes:
        lines += _wrapped(
            f'{q.kind} {q.signal}: "{q.quote}"', width, indent="      ", bullet="+ " if q.kind == "strong" else "- "
        )
    for f in a.red_flags:
        quote = f': "{f.quote}"' if f.quote else ""
        lines += _wrapped(f"red flag {f.signal}{quote}", width, indent="      ", bullet="! ")
    return lines


def explain(r: Recommendation, width: int = DEFAULT_WIDTH) -> list[str]:
    """The whole record: decision, why, what to talk about, who said what, with the quotes."""
    width = max(width, 40)
    lines = textwrap.wrap(f"{r.candidate_id} for {r.role_id}: {headline(r)}", width=width)
    lines += textwrap.wrap(
        f"version {r.version}, issued {r.issued_at.isoformat()}, rubric {r.rubric_version or '-'}, "
        f"role profiles {r.role_version or '-'}",
        width=width,
    )
    if r.needs_debrief:
        lines += ["", "Needs a debrief before acting:"]
        for reason in r.debrief_reasons:
            lines += _wrapped(reason, width)
    lines += ["", "Reasons:"]
    for reason in r.reasons:
        lines += _wrapped(reason, width)
    if r.decision == Decision.INSUFFICIENT_EVIDENCE:
        missing = ", ".join(c.value for c in r.missing_competencies) or "none"
        lines += ["", "Missing:"]
        lines += _wrapped(f"competencies no interview covered: {missing}", width)
        lines += _wrapped(f"more distinct interviewers needed: {r.interviewers_needed}", width)
    if r.overrides:
        lines += ["", "Overrides:"]
        for override in r.overrides:
            lines += _wrapped(override, width)
    if r.calibration:
        lines += ["", "Calibration (interviewers against their past loops):"]
        for sentence in r.calibration:
            lines += _wrapped(sentence, width)
    lines += ["", f"Interviewers and their overall votes ({vote_tally(r)}):"]
    revisions = {i.interview_id: i.revision for i in r.interviews}
    for v in r.votes:
        vote = v.vote.value if v.vote is not None else "no vote"
        lines += _wrapped(
            f"{v.interviewer_id}: {vote} ({v.interview_id}, revision {revisions.get(v.interview_id, '-')})", width
        )
    lines += ["", "Competencies:", f"  {'competency':<28}{'weight':>7}{'floor':>7}{'score':>7}{'interviews':>12}"]
    for c in r.competencies:
        name = c.competency.value + (" (veto)" if c.veto else "")
        lines.append(f"  {name:<28}{c.weight:>7.2f}{_score(c.floor):>7}{_score(c.score):>7}{c.interviews:>12}")
    for c in r.competencies:
        if c.assessments:
            lines += ["", f"  {c.competency.value}:"]
            for a in c.assessments:
                lines += _assessment(a, width)
    if r.red_flags:
        lines += ["", "Red flags:"]
        for f in r.red_flags:
            who = f" by {f.interviewer_id}" if f.interviewer_id else ""
            quote = f': "{f.quote}"' if f.quote else ""
            lines += _wrapped(f"{f.competency.value}: {f.signal} ({f.interview_id}{who}){quote}", width)
    return lines
