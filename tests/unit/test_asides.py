"""What interviewers write about the interview itself is set aside: it is no evidence.

"45 min video call", "candidate was friendly and relaxed throughout", "asked good questions
about our on-call rotation at the end": a box often opens or closes with such a sentence.
Read as evidence, "good" lifted weak notes and a longer note thinned out the words that
carried the verdict (`services/scoring/asides.py`).
"""

import pytest

from schemas.rubric import load_rubric
from schemas.scales import Competency
from services.scoring.asides import CUE, aside, criteria_answered_no, kept, without_opening
from services.scoring.clauses import split_clauses
from services.scoring.evidence import assess, compile_lexicon

FAST = compile_lexicon(load_rubric(), "scan")
PLAIN = compile_lexicon(load_rubric(), "triggers")

SET_ASIDE = [
    "45 min video call, camera on, connection fine.",
    "1h onsite",
    "Zoom interview this morning",
    "Interview done in person, whiteboard in room 4.",
    "audio kept cutting out at first; switched to the phone",
    "Candidate joined from their phone at first, switched to laptop after 5 min.",
    "We spent the first few minutes on intros and the format of the session.",
    "Started 10 min late, previous panel overran.",
    "we started late",
    "This was the last slot of the day.",
    "Second interview of the loop for this candidate.",
    "Pair interview with Sam shadowing.",
    "Priya sat in",
    "Used the standard question from the bank for this section.",
    "This section took about 20 minutes",
    "Took about 20 minutes of the hour for this part.",
    "Notes written up right after the call.",
    "We used the shared doc for this section.",
    "Candidate currently works at a logistics startup, team of six.",
    "She is relocating from another city, mentioned notice period of one month.",
    "Candidate is interviewing with two other companies.",
    "Candidate had done a take-home beforehand",
    "Candidate was friendly and relaxed throughout the chat.",
    "he seemed a bit nervous at first",
    "She was lovely to talk to.",
    "Candidate asked good questions about our on-call rotation at the end.",
    "asked a few questions about the team",
    "- Context: 1h onsite, this was the middle section",
    "Out of time before I could ask about monitoring.",
    "We ran out of time at the end.",
    "Didn't get to the follow-up questions.",
    "Ran a few minutes over.",
    "Happy to discuss in the debrief.",
    "More detail in the shared doc.",
    "Thanks!",
    "Pleasant.",
    "Friendly and relaxed throughout.",
    "Pleasant conversation about the weather.",
    "We talked for twenty minutes about the team and the product roadmap.",
]

KEPT = [
    "he was relaxed about it because the provider probably resends",
    "Asked good questions about who the consumers are",
    "short-lived access tokens (10 min) plus refresh tokens with rotation",
    "Nice.",
    "I'd want him shadowing on-call for a good while first",
    "Started late, finished well above bar",
    "Friendly, curious, below the bar today",
    "the connection pool ran dry under load",
    "took 20 minutes to find the race",
    "asked the right questions before designing the schema",
    "used the standard retry library with jitter",
    "the call to the payment provider has no timeout",
    "he ran out of time before finishing the schema",
    "Ran out of time before he could finish the migration plan",
    "didn't get to a working solution",
    "shared the API key in a google doc",
    "happy path only, no error handling",
    "He was happy to discuss trade-offs in depth",
    "Traffic shadowing",
    "Professional.",
    "We talked about the locking strategy for the ledger",
    "Pleasant to read: idempotency keys on every POST",
]


@pytest.mark.parametrize("text", SET_ASIDE)
def test_a_sentence_about_the_setting_the_candidate_s_manner_or_their_questions_is_set_aside(text):
    clauses = split_clauses(text)
    assert kept(text, clauses) == []
    assert kept(text, clauses, [m.end() for m in CUE.finditer(text)]) == []


@pytest.mark.parametrize("text", SET_ASIDE)
def test_every_phrasing_set_aside_holds_a_word_the_scan_looks_for(text):
    # The scan tells `kept` which clauses hold a cue; a clause set aside without one would
    # be set aside by the trainer's reading and not by the service's.
    for clause in split_clauses(text):
        assert CUE.search(text, clause.start, clause.end), text[clause.start : clause.end]


@pytest.mark.parametrize("text", KEPT)
def test_a_clause_with_anything_about_the_work_in_it_is_kept(text):
    assert not aside(text)
    assert kept(text, split_clauses(text)) == split_clauses(text)


WEAK_WITH_A_RED_FLAG = (
    "Dropped the unique constraint on (merchant_id, external_ref) because inserts kept failing, "
    "and now a nightly job removes duplicates. Didn't see the issue for refunds that look up by external_ref."
)


@pytest.mark.parametrize("opening", SET_ASIDE)
def test_a_note_reads_the_same_after_a_sentence_about_the_interview(opening):
    alone = assess(WEAK_WITH_A_RED_FLAG, Competency.DATABASES, FAST)
    opened = assess(f"{opening}\n{WEAK_WITH_A_RED_FLAG}", Competency.DATABASES, FAST)
    assert opened.weight == alone.weight
    assert [(s.kind, s.signal, s.quote) for s in opened.signals] == [(s.kind, s.signal, s.quote) for s in alone.signals]
    assert "red_flag" in {s.kind for s in opened.signals}


def test_a_note_about_nothing_but_the_interview_gives_no_evidence():
    notes = "45 min zoom call. Candidate was friendly and relaxed throughout. Asked great questions about the team."
    for lexicon in (FAST, PLAIN):
        evidence = assess(notes, Competency.API_DESIGN, lexicon)
        assert (evidence.signals, evidence.weight) == ((), 0.0)


@pytest.mark.parametrize("opening", SET_ASIDE[::3])
def test_the_scan_and_the_plain_search_set_aside_the_same_clauses(opening):
    for competency in Competency:
        notes = f"{WEAK_WITH_A_RED_FLAG}\n{opening}"
        assert assess(notes, competency, FAST) == assess(notes, competency, PLAIN)


@pytest.mark.parametrize(
    ("notes", "read"),
    [
        ("Security: stores the key in settings.py", ["stores the key in settings.py"]),
        ("Security:\nstores the key in settings.py", ["stores the key in settings.py"]),
        ("API design - cursor pagination", ["cursor pagination"]),
        ("- Reliability & Observability: no alerts", ["no alerts"]),
        ("DB: N+1 everywhere", ["N+1 everywhere"]),
        ("security was weak", ["security was weak"]),
        ("Concurrency-heavy role; used a semaphore", ["Concurrency-heavy role", "used a semaphore"]),
    ],
)
def test_a_heading_naming_a_competency_is_not_read_as_words_of_the_note(notes, read):
    assert [notes[c.start : c.end] for c in without_opening(notes, split_clauses(notes))] == read


@pytest.mark.parametrize("heading", ["Databases: ", "Databases -\n", "DATABASES: ", "Security: "])
def test_a_note_reads_the_same_under_a_heading_that_names_a_competency(heading):
    alone = assess(WEAK_WITH_A_RED_FLAG, Competency.DATABASES, FAST)
    headed = assess(heading + WEAK_WITH_A_RED_FLAG, Competency.DATABASES, FAST)
    assert headed.weight == alone.weight
    assert [(s.kind, s.signal) for s in headed.signals] == [(s.kind, s.signal) for s in alone.signals]


@pytest.mark.parametrize(
    "question",
    [
        "Q: two workers pick up the same job, how do you stop it?",
        "How would you keep a counter right under concurrent updates?",
        "Asked how he'd stop double bookings? Then: what if there are six pods?",
    ],
)
def test_the_interviewer_s_opening_question_is_not_read_as_words_of_the_note(question):
    notes = f"{question}\n{WEAK_WITH_A_RED_FLAG}"
    read = without_opening(notes, split_clauses(notes))
    assert notes[read[0].start :].startswith("Dropped the unique constraint")


def test_a_note_of_nothing_but_questions_is_read_whole():
    notes = "Would I trust him with the ledger? Would he page me at 3am for a full disk?"
    assert without_opening(notes, split_clauses(notes)) == split_clauses(notes)


def _kept_text(notes: str) -> list[str]:
    return [notes[c.start : c.end] for c in kept(notes, split_clauses(notes))]


@pytest.mark.parametrize(
    ("notes", "read"),
    [
        (
            "Pagination on 10M rows. What I listen for is whether they see that OFFSET skips rows, and whether"
            " they can name what cursors cost. They went to a keyset cursor on created_at.",
            ["Pagination on 10M rows", "They went to a keyset cursor on created_at"],
        ),
        (
            "Good answers weigh a materialized view against a summary table. With a lot of steering he got to"
            " 'store the total somewhere'.",
            ["With a lot of steering he got to 'store the total somewhere'"],
        ),
        (
            "The risky bits I watch for: sort params concatenated into SQL, unbounded page sizes. None of that"
            " from her.",
            ["None of that from her"],
        ),
        (
            "Looking for a key per request; she went straight to an Idempotency-Key header.",
            ["she went straight to an Idempotency-Key header"],
        ),
        (
            "Retries the POST on timeout with no key. Expected: idempotency key or server-side dedupe.",
            ["Retries the POST on timeout with no key"],
        ),
        (
            "Counts stock in the app. suggestion: a unique constraint or a row lock in the DB.",
            ["Counts stock in the app"],
        ),
        (
            "Tokens in localStorage. Should be: httpOnly cookie, SameSite=strict.",
            ["Tokens in localStorage"],
        ),
    ],
)
def test_what_the_interviewer_was_looking_for_is_not_read_as_the_candidate_s_answer(notes, read):
    assert _kept_text(notes) == read


def test_a_red_flag_named_as_what_the_interviewer_watches_for_is_no_red_flag_of_the_candidate():
    notes = (
        "Search endpoint. The risky bits I watch for: filters concatenated into SQL, page sizes with no cap."
        " None of that from her: a whitelist for sort fields, every filter bound as a parameter, pages capped at 100."
    )
    for lexicon in (FAST, PLAIN):
        assert not assess(notes, Competency.API_DESIGN, lexicon).red_flags


@pytest.mark.parametrize(
    "notes",
    [
        "We check them into the repo, it's a private repo anyway.",
        "Bonus points for reaching optimistic locking with a version column unprompted.",
        "Good answers are what she gave throughout: SELECT FOR UPDATE on the row, and a version column.",
        "I was hoping to hear about optimistic locking and she described it unprompted, a version column and a retry.",
        "Fix: unique constraint on coupon_id in redemptions, catch the unique violation. Unprompted, good catch.",
        "Expected: he said idempotency keys, stored with the response, and he was right.",
    ],
)
def test_the_candidate_s_own_words_are_no_account_of_what_the_interviewer_looked_for(notes):
    assert kept(notes, split_clauses(notes)) == split_clauses(notes)


@pytest.mark.parametrize(
    ("competency", "notes"),
    [
        (Competency.SECURITY, "What I want to hear is bcrypt or argon2, and his answer was MD5 for the passwords."),
        (
            Competency.SECURITY,
            "Looking for parameterised queries - got string concatenation of the user input into the SQL instead.",
        ),
    ],
)
def test_an_answer_told_after_what_the_interviewer_looked_for_is_read(competency, notes):
    for lexicon in (FAST, PLAIN):
        assert assess(notes, competency, lexicon).red_flags


def test_a_criterion_answered_no_is_found_whatever_the_case_and_spacing_of_its_no():
    """The literal search before `CRITERION_ANSWERED_NO` must pass every criterion it reads."""
    for notes in ("Stores passwords in plain text:NO.", "Idempotent retries:\t nope - plain retries", "Uses TLS: No"):
        assert criteria_answered_no(notes), notes
    assert criteria_answered_no("Parameterised queries: yes") == []


@pytest.mark.parametrize(
    ("notes", "read"),
    [
        ("Confuses threads and processes: no.\nUsed a semaphore", ["Used a semaphore"]),
        (
            "- Has never profiled a slow query: no — found one with pg_stat_statements",
            ["found one with pg_stat_statements"],
        ),
        ("Stores passwords in plain text: no, argon2id", ["Stores passwords in plain text: no, argon2id"]),
        ("Stores passwords in plain text: yes.", ["Stores passwords in plain text: yes"]),
    ],
)
def test_a_checklist_criterion_answered_no_alone_is_not_read_as_words_of_the_note(notes, read):
    assert [notes[c.start : c.end].rstrip(".") for c in without_opening(notes, split_clauses(notes))] == read
