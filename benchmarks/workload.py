"""Varied interview notes from the labelled corpus: realistic text for benchmarks and for
the tests that hold the fast scoring path to the plain one.

The corpus (`tests/data/notes/`) holds notes by many interviewers, in every length and
style. Recombined (sentences of two or three notes shuffled together, bullets, other
separators) they give notes no cache has seen, with realistic signal density. `hostile`
adds what real notes also hold now and then: pasted code, characters that change length
when lower-cased ('İ'), that fold to ASCII letters ('ſ', the Kelvin sign), typographic
quotes and dashes, control characters, and notes of thousands of characters.
"""

from __future__ import annotations

import json
import random
import re
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "notes"
RATINGS = [None, "no", "mixed", "yes", "strong_yes"]
LONG_NOTES_CHARS = 20_000
"""The contract's limit on one note (`schemas.events.MAX_NOTES_CHARS`)."""

HOSTILE = [
    "İNDEX on İD, ıdempotency",
    "ſtores passwords in plain text, whereaſ the KEY (Kelvin)",
    "said “it’s fine” – then ‘never mind’ — moved on",
    "no\u00a0idea about MVCC;\u2009couldn’t explain it",
    "zero\u200bwidth and \u202eright-to-left\u202c text 🔥🚀",
    "ﬁxed the bug; ＳＥＬＥＣＴ ＊ (full width); Ǆ ǅ ǆ",
    "```python\ndef login(pw):\n    log.info(f'password={pw}')  # left in by mistake\n    return db.execute(\"SELECT * FROM users WHERE name = '\" + name + \"'\")\n```",
    "lock.acquire(); try { balance -= amount; } finally { lock.release(); } // static synchronized",
    "if (!token) return res.status(401).json({error: 'no'}); // catch (e) {}",
    "   \t- bullet\r\n* another\n>quoted\n1) first 2. second",
    "(((nested (parens) [brackets])) | pipes | -- dashes -- ; ;; ... ?! !!",
    "Ω≈ç√∫ ñ é ü ß ø å ę ł ő ű ğ ş ç",
]


def corpus_notes() -> dict[str, list[str]]:
    """The labelled corpus's notes by competency: many interviewers' words, every style."""
    by_competency: dict[str, list[str]] = {}
    # The labelled splits only: `neutral/` holds notes of no competency (training data).
    for path in sorted(p for split in ("dev", "test") for p in CORPUS.glob(f"{split}/*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            by_competency.setdefault(row["competency"], []).append(row["notes"])
    return by_competency


_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_GLUE = [" ", " ", " ", "\n", "\n- ", "; ", " -- ", " | ", ", but ", ". However, "]


def varied_note(rng: random.Random, pool: list[str], hostile: bool = False) -> str:
    """One note: one corpus note as written, or sentences of two or three recombined."""
    if rng.random() < 0.3:
        note = rng.choice(pool)
    else:
        sentences = [s for n in rng.sample(pool, rng.randint(2, 3)) for s in _SENTENCE.split(n) if s.strip()]
        rng.shuffle(sentences)
        sentences = sentences[: rng.randint(1, len(sentences))]
        note = sentences[0]
        for sentence in sentences[1:]:
            note += rng.choice(_GLUE) + sentence
    if hostile:
        note = _roughen(rng, note, pool)
    return note[:LONG_NOTES_CHARS]


def _roughen(rng: random.Random, note: str, pool: list[str]) -> str:
    roll = rng.random()
    if roll < 0.25:
        at = rng.randint(0, len(note))
        note = note[:at] + rng.choice(["", " ", "\n"]) + rng.choice(HOSTILE) + rng.choice(["", " ", "\n"]) + note[at:]
    elif roll < 0.30:
        note = note.upper()
    elif roll < 0.35:
        note = note.replace("'", "’").replace('"', "“")
    elif roll < 0.40:
        note = note[: rng.randint(1, max(1, len(note)))]  # cut anywhere, mid-word too
    elif roll < 0.405:  # a pasted document: thousands of characters
        parts = [note]
        while sum(map(len, parts)) < rng.randint(3_000, LONG_NOTES_CHARS):
            parts.append(rng.choice(pool) if rng.random() < 0.8 else rng.choice(HOSTILE))
        note = rng.choice(["\n", " ", "\n\n- "]).join(parts)
    return note if note.strip() else "n/a"


def varied_interviews(
    count: int, seed: int = 7, hostile: bool = False, tag: str = "varied", most: int = 5
) -> list[dict[str, object]]:
    """`count` InterviewCompleted documents (as dicts), one to `most` assessments each,
    every rating, notes from `varied_note`."""
    rng = random.Random(f"{tag}:{seed}")
    by_competency = corpus_notes()
    competencies = sorted(by_competency)
    documents: list[dict[str, object]] = []
    for number in range(count):
        chosen = rng.sample(competencies, rng.randint(1, most))
        documents.append(
            {
                "event_id": str(uuid.UUID(int=rng.getrandbits(128))),
                "occurred_at": "2026-11-20T14:00:00Z",
                "interview_id": f"{tag}-int-{number}",
                "revision": 1,
                "candidate_id": f"{tag}-cand-{number}",
                "role_id": "backend-engineer",
                "interviewer_id": "intv-varied",
                "assessments": [
                    {
                        "competency": competency,
                        "rating": rng.choice(RATINGS),
                        "notes": varied_note(rng, by_competency[competency], hostile),
                    }
                    for competency in chosen
                ],
            }
        )
    return documents
