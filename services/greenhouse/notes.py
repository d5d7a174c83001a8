"""A recommendation as a Greenhouse note: pure functions.

The note is the decision record as plain text (`schemas.explanation`, the same text as
`hiring-pipeline explain`): decision and score, the reasons with their thresholds, what to
debrief, the overrides, the interviewers' votes and the per-competency summary. Its last
line is a reference that names the pair, the version and a digest of what the note says,
so the writer can find its own note in the candidate's activity feed after a crash.

A new version whose decision, reasons and debrief flags are those of the last note
written is no news for a recruiter: `digest` is equal, and nothing is written.
"""

from __future__ import annotations

import hashlib
import json

from schemas.events import Recommendation
from schemas.explanation import explain

NOTE_WIDTH = 100
REFERENCE = "hiring-pipeline reference"


def digest(r: Recommendation) -> str:
    """What a recruiter reads as news: the decision, its reasons and the debrief flags."""
    content = {
        "decision": r.decision.value,
        "reasons": r.reasons,
        "needs_debrief": r.needs_debrief,
        "debrief_reasons": r.debrief_reasons,
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def reference(r: Recommendation, note_digest: str) -> str:
    return f"{REFERENCE} {r.key} version {r.version} {note_digest[:16]}"


def is_note_of(body: str, key: str, note_digest: str) -> bool:
    """Whether a note of the activity feed is the one written for this pair and digest
    (by substrings: Greenhouse may hand the body back with its line breaks as HTML)."""
    return f"{REFERENCE} {key} version " in body and note_digest[:16] in body


def note_body(r: Recommendation, note_digest: str) -> str:
    lines = ["Hiring pipeline recommendation", "", *explain(r, NOTE_WIDTH), "", reference(r, note_digest)]
    return "\n".join(lines)
