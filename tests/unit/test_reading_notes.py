"""How the scorer reads a note in context: the kinds of writing that fooled a phrase list.

Each case is a note as interviewers write it (not a rubric sentence); the assertion is on
the verdict the notes alone give (the side of 2.5 the score falls on) or on the evidence.
"""

import dataclasses
import re
import textwrap

import pytest

from schemas.events import Assessment
from schemas.rubric import load_rubric
from schemas.scales import Competency
from services.scoring import evidence, notes_model
from services.scoring.asides import hypothesis_sections
from services.scoring.clauses import as_read, cut_ellipses, cut_run_ons, fold_case, python_split_clauses, split_clauses
from services.scoring.evidence import assess, compile_lexicon, scan_notes
from services.scoring.notes_model import NotesModel
from services.scoring.score import score_assessment

LEXICON = compile_lexicon(load_rubric())
A, D, C, R, S = (
    Competency.API_DESIGN,
    Competency.DATABASES,
    Competency.CONCURRENCY,
    Competency.RELIABILITY_OBSERVABILITY,
    Competency.SECURITY,
)


def verdict(notes: str, competency: Competency) -> str:
    scored = score_assessment(
        Assessment(competency=competency, rating=None, notes=notes), assess(notes, competency, LEXICON)
    )
    return "strong" if scored.score > 2.5 else "weak" if scored.score < 2.5 else "none"


def judgement_roles(notes: str, competency: Competency) -> set[str]:
    """The roles of the judgement words the lexicons alone find ("prompted", "gap", ...)."""
    return {
        s.signal.split(".")[1] for s in assess(notes, competency, RULES).signals if s.signal.startswith("judgement.")
    }


KNOWING_THE_WORD_IS_NOT_UNDERSTANDING_IT = [
    (C, "Mentioned the CAP theorem but could not apply it to the checkout flow."),
    (C, "Name-dropped Kafka, could not say what a consumer group is."),
    (D, "Textbook definition of normalization, no practical example."),
    (R, "Listed Prometheus and Grafana. Asked what he would alert on, he had no answer."),
]


@pytest.mark.parametrize(("competency", "notes"), KNOWING_THE_WORD_IS_NOT_UNDERSTANDING_IT)
def test_a_term_the_candidate_could_not_apply_is_no_strength(competency, notes):
    assert verdict(notes, competency) == "weak"


HEDGED_AND_PROMPTED = [
    (A, "Got to cursor pagination with a lot of hints."),
    (C, "Eventually, after nudging, arrived at optimistic locking."),
    (D, "Partially explained the composite index ordering."),
]


@pytest.mark.parametrize(("competency", "notes"), HEDGED_AND_PROMPTED)
def test_an_answer_reached_only_with_help_is_not_a_strength(competency, notes):
    assert verdict(notes, competency) == "weak"


def test_a_negation_scopes_over_every_item_of_a_list():
    evidence = {
        (s.kind, s.signal) for s in assess("No idea about isolation levels, MVCC or locking.", C, LEXICON).signals
    }
    assert ("weak", "concurrency.isolation_levels") in evidence
    assert ("weak", "concurrency.locking") in evidence
    assert not any(kind == "strong" for kind, _ in evidence)


def test_more_than_is_not_a_negation():
    assert verdict("Didn't just retry — added exponential backoff with jitter and a timeout.", R) == "strong"


def test_a_negation_that_belongs_to_the_topic_is_not_a_gap():
    assert verdict("Found the HTTP client had no timeout and added timeouts and a circuit breaker.", R) == "strong"


def test_a_deliberate_choice_not_to_use_something_is_not_a_gap():
    notes = "Wouldn't reach for a global lock here; partitioned the queue by account id instead."
    assert all(s.kind != "weak" for s in assess(notes, C, LEXICON).signals)


def test_one_slip_does_not_sink_a_strong_note():
    notes = (
        "Designed idempotent POSTs with an Idempotency-Key, cursor pagination and ETags for conditional updates. "
        "Wasn't sure of the exact header name for rate limits."
    )
    assert verdict(notes, A) == "strong"


def test_the_interviewers_own_bottom_line_weighs_more_than_one_hedge():
    assert verdict("Slow start and needed a nudge on CSRF, but meets the bar.", S) == "strong"
    assert verdict("Knew the OWASP list. Below the bar though.", S) == "weak"


def test_a_rejected_bad_practice_is_no_red_flag():
    evidence = assess("Would never store passwords in plain text; argon2 with a per-user salt.", S, LEXICON)
    assert evidence.red_flags == ()


def test_a_note_with_no_evidence_either_way_says_so():
    notes = "We talked for twenty minutes about the team and the product roadmap."
    evidence = assess(notes, D, LEXICON)
    scored = score_assessment(Assessment(competency=D, rating=None, notes=notes), evidence)
    assert not evidence.supported
    assert scored.supported_by_notes is False
    assert scored.score == 2.5


def test_clauses_end_at_dashes_parentheses_and_contrast_words():
    notes = "Knew MVCC — explained it (with a diagram), but not write skew"
    texts = [notes[c.start : c.end] for c in split_clauses(notes)]
    assert texts == ["Knew MVCC", "explained it", "with a diagram", "but not write skew"]
    assert [c.contrast for c in split_clauses(notes)] == [False, False, False, True]


RUN_ON = (
    "Good incident story: the event loop blocked by a synchronous PDF parse on upload, found with the "
    "event-loop lag metric and a flame graph, parsing moved to a worker thread Forgot to put an alert "
    "on the lag when I asked what would page, added one when I nudged"
)


def test_a_note_written_without_full_stops_is_cut_where_a_capitalised_opener_starts_a_sentence():
    clauses = cut_run_ons(RUN_ON, split_clauses(RUN_ON))
    assert [RUN_ON[c.start : c.end].split()[0] for c in clauses] == ["Good", "Forgot"]
    assert [c.sentence for c in clauses] == [0, 1]


def test_a_hint_in_one_run_on_sentence_does_not_take_back_the_topics_of_another():
    signals = assess(RUN_ON, Competency.RELIABILITY_OBSERVABILITY, LEXICON).signals
    assert ("strong", "reliability_observability.profiling_tools") in {(s.kind, s.signal) for s in signals}


def test_a_note_written_in_lower_case_without_full_stops_is_cut_before_a_subject_and_its_verb():
    notes = (
        "no idea about isolation levels at first and a long pause about the phantom rows in the report "
        "he said read committed is enough for the whole thing he explained lost updates with an example"
    )
    clauses = cut_run_ons(notes, split_clauses(notes))
    assert [notes[c.start : c.end].split()[:2] for c in clauses] == [
        ["no", "idea"],
        ["he", "said"],
        ["he", "explained"],
    ]


RUN_ONS_AND_THEIR_SENTENCES = [
    pytest.param(
        "she was asked about the retry storm from the payment provider and he asked back whether the "
        "overall design had any budget for retries which it did not and she kept going on the overall "
        "architecture for a long while without landing anything concrete about backoff",
        ["she", "he", "she"],
        id="no cut between a subject and asked, nor before the adjective overall",
    ),
    pytest.param(
        "SQL injection was the first thing on the snippet and he spotted it straight away without any "
        "hint from me he said the query should be parameterised and the ORM used as it was meant to be",
        ["SQL", "he", "he"],
        id="a lower-case note opening with an acronym is cut as lower case",
    ),
    pytest.param(
        "we went through the checkout service with no lock at all on the stock row and the retries "
        "he explained calling Thread.Sleep between attempts would fix it she was asked about deadlocks",
        ["we", "he", "she"],
        id="a dotted API name does not make a lower-case note capitalised",
    ),
    pytest.param(
        "solid on the schema design for the wallet with sensible foreign keys everywhere asked what "
        "happens if two requests read the balance and write it back he said select for update",
        ["solid", "asked", "he"],
        id="the interviewer's question starts a sentence of its own",
    ),
    pytest.param(
        "the storefront is server rendered with Next.js and the product pages call the catalogue API on "
        "every request so the candidate put a short cache in front with revalidation on publish which "
        "was sensible and She said the cache key must carry the locale",
        ["the", "She"],
        id="a framework named after an opener starts no sentence",
    ),
    pytest.param(
        "the candidate built the ordering service for a small café He explained the idempotency key on "
        "the POST and how a retried request returns the first response instead of charging twice again",
        ["the", "He"],
        id="an opener after a word with an accent starts a sentence",
    ),
]


@pytest.mark.parametrize(("notes", "first_words"), RUN_ONS_AND_THEIR_SENTENCES)
def test_a_run_on_is_cut_only_where_a_sentence_plainly_starts(notes, first_words):
    clauses = cut_run_ons(notes, split_clauses(notes))
    assert [notes[c.start : c.end].split()[0] for c in clauses] == first_words


@pytest.mark.parametrize(
    ("opening", "is_the_interviewers"),
    [
        ("Task: review the refund handler", True),
        ("Scenario - a replica lags by a minute", True),
        ("Prompt — the card number shows up in the logs", True),
        ("Task-based access checks in the React app only", False),
        ("Prompt-injection was not on his radar", False),
        ("Setup-wise he keeps the key in settings.py", False),
    ],
)
def test_a_label_of_the_interviewers_ends_in_a_colon_or_a_spaced_dash_not_a_hyphenated_word(
    opening, is_the_interviewers
):
    assert (evidence._INTERVIEWERS_WORDS.match(opening) is not None) is is_the_interviewers


def test_only_a_bare_yes_is_echoed_by_the_words_after_it():
    echoed, verdict = "Yes. Yes we would.", "Strong. Yes we would."
    assert evidence._echoed(echoed, evidence._Hit(0, 0, 3, None))  # type: ignore[arg-type]
    assert not evidence._echoed(verdict, evidence._Hit(0, 0, 6, None))  # type: ignore[arg-type]


TRAILING_OFF = (
    "no process.on('uncaughtException') that keeps running... log it with context and exit, let k8s "
    "restart... right call"
)


def test_a_thought_trailing_off_into_the_next_ends_its_clause_but_an_elision_in_code_does_not():
    clauses = cut_ellipses(TRAILING_OFF, cut_run_ons(TRAILING_OFF, split_clauses(TRAILING_OFF)))
    assert TRAILING_OFF[clauses[-1].start : clauses[-1].end] == "right call"
    assert len({c.sentence for c in clauses}) == 1  # pieces of one sentence, as a question's answer stays
    elided = "Used SELECT ... FOR UPDATE SKIP LOCKED on the jobs table."
    assert cut_ellipses(elided, split_clauses(elided)) == split_clauses(elided)


def test_the_verdict_after_the_last_trailing_thought_counts():
    signals = assess(TRAILING_OFF, Competency.RELIABILITY_OBSERVABILITY, LEXICON).signals
    assert ("strong", "judgement.praise.summary") in {(s.kind, s.signal) for s in signals}


def test_long_clauses_of_a_note_with_ordinary_sentences_are_left_as_they_are():
    notes = "Explained the outbox. " + RUN_ON + ". Strong."
    assert cut_run_ons(notes, split_clauses(notes)) == split_clauses(notes)


def test_text_struck_through_is_what_the_interviewer_took_back():
    struck = "~~Explained structured logs with trace ids well.~~ EDIT: he could not name one metric to alert on."
    kept = struck.replace("~~", "")
    assert len(as_read(struck)) == len(struck)
    assert "judgement.praise.clear" in [s.signal for s in assess(kept, R, LEXICON).signals]
    assert [s.quote for s in assess(struck, R, LEXICON).signals if s.kind == "strong"] == []


def test_struck_text_with_a_tilde_or_a_line_break_inside_is_taken_back_too():
    notes = "~~p99 ~200ms is fine, explained it well~~ and ~~solid\ntracing~~ then nothing concrete."
    read = as_read(notes)
    assert len(read) == len(notes)
    assert "explained" not in read and "tracing" not in read


def test_case_folding_keeps_every_offset_of_the_original_text():
    notes = "İİİ İstanbul team. Ran EXPLAIN ANALYZE on the slow query."
    assert len(fold_case(notes)) == len(notes)
    [signal] = [s for s in assess(notes, D, LEXICON).signals if s.signal == "databases.query_plans"]
    assert signal.quote == "Ran EXPLAIN ANALYZE on the slow query"
    assert signal.quote in notes


def test_the_text_the_rules_read_keeps_every_offset_of_the_original_text():
    notes = "İİ Couldnae say. DIDNAE know, wisnae sure; Cannae, dinnae, canna. Renae's notes, Hannah."
    read = as_read(notes)
    assert len(read) == len(notes)
    assert read == "İİ Couldn't say. DIDN'T know, wasn't sure; Cannot, do not, can't. Renae's notes, Hannah."
    doric = "Nae idea. Hasna profiled, DIDNA look; wasna sure. Snapshots, DNA, arena, Renae's."
    assert as_read(doric) == " no idea. Hasnt profiled, DIDNT look; wasnt sure. Snapshots, DNA, arena, Renae's."


def test_quotes_are_at_most_160_characters_and_come_from_the_notes():
    notes = "Ran EXPLAIN ANALYZE " + "and kept talking about the plan " * 20 + "then stopped."
    for signal in assess(notes, D, LEXICON).signals:
        assert len(signal.quote) <= 160
        assert signal.quote in " ".join(notes.split())


def test_a_bad_practice_told_as_a_story_under_a_hire_bottom_line_is_no_red_flag():
    notes = (
        "Inherited an API where every error came back as 200 with success false in the body. "
        "Migrated it to real status codes behind a version flag. Strong."
    )
    evidence = assess(notes, A, LEXICON)
    assert not evidence.red_flags
    assert verdict(notes, A) == "strong"


def test_a_red_flag_stands_when_the_bottom_line_is_mixed():
    notes = "Returns 200 for every error, with the message in the body. Good on pagination. Weak overall."
    assert assess(notes, A, LEXICON).red_flags


def _tiny_model(red_flag_words: dict[str, float]) -> NotesModel:
    """A notes model with no tone and a red-flag head that knows a few words: the mechanism,
    apart from what the committed artifact happens to weigh."""
    head = NotesModel(version="t", bias=-1.0, weights=red_flag_words, threshold=0.4)
    return NotesModel(version="t", bias=-0.1, weights={"fine": 3.0}, red_flag=head)


def test_a_weak_note_that_reads_like_a_red_flag_is_flagged_with_the_clause_that_weighs_most():
    lexicon = dataclasses.replace(LEXICON, model=_tiny_model({"zorps": 10.0, "blibs": 10.0}))
    notes = "Talked about the nightly job. He zorps the blibs before lunch."
    evidence = assess(notes, C, lexicon)
    flags = [s for s in evidence.signals if s.kind == "red_flag"]
    assert [(s.signal, s.quote) for s in flags] == [("notes_model.red_flag", "He zorps the blibs before lunch")]


def test_the_red_flag_head_never_flags_a_note_that_reads_strong():
    lexicon = dataclasses.replace(LEXICON, model=_tiny_model({"zorps": 10.0, "blibs": 10.0}))
    notes = "Fine, fine, fine: she knew he zorps the blibs before lunch."
    assert not assess(notes, C, lexicon).red_flags


def test_small_talk_is_no_evidence_even_when_the_model_leans_weak():
    lexicon = dataclasses.replace(LEXICON, model=NotesModel(version="t", bias=-1.5, weights={}))
    evidence = assess("We talked about the team and the roadmap.", D, lexicon)
    assert not evidence.supported


def test_a_bad_first_answer_the_candidate_moved_on_from_is_weak_not_a_red_flag():
    notes = (
        "First instinct was to return the whole statement history in one response. "
        "With hints arrived at limit/offset, but could not discuss page boundaries."
    )
    evidence = assess(notes, A, LEXICON)
    assert verdict(notes, A) == "weak"
    assert not [s for s in evidence.signals if s.kind == "red_flag" and not s.signal.startswith("notes_model.")]


def test_a_bad_practice_with_no_better_answer_after_it_stays_a_red_flag():
    notes = "Returns the whole statement history in one response, no paging at all."
    assert assess(notes, A, dataclasses.replace(LEXICON, model=None)).red_flags


def test_a_lists_negation_stops_at_a_new_subject():
    notes = "There are no alerts or dashboards, and the health endpoint returns UP unconditionally."
    assert assess(notes, R, dataclasses.replace(LEXICON, model=None)).red_flags


def test_a_catch_all_block_is_not_the_candidate_catching_a_problem():
    notes = "Wraps every handler in a catch-all that swallows the exception and returns 200."
    assert assess(notes, R, dataclasses.replace(LEXICON, model=None)).red_flags


def test_undoing_a_good_practice_is_no_strength():
    lexicon = dataclasses.replace(LEXICON, model=None)
    undone = assess("Drops foreign keys and unique constraints so inserts are faster.", D, lexicon)
    assert not [s for s in undone.signals if s.kind == "strong"]
    assert verdict("Dropped unused indexes found via pg_stat_user_indexes.", D) == "strong"


def test_a_topic_followed_by_he_had_never_heard_of_it_is_a_gap():
    notes = "Logs are println to stdout; correlation ids he'd never heard of."
    found = {(s.kind, s.signal) for s in assess(notes, R, LEXICON).signals}
    assert ("strong", "reliability_observability.correlation_ids") not in found


def test_a_defended_knowledge_gap_is_weak_while_a_defended_practice_is_a_red_flag():
    lexicon = dataclasses.replace(LEXICON, model=None)
    gap = assess("Never profiled a slow query in production. He did not see this as a problem.", D, lexicon)
    assert not gap.red_flags and verdict("Never profiled a slow query in production.", D) == "weak"
    practice = assess("Catches Exception and carries on. He did not see this as a problem.", R, lexicon)
    assert practice.red_flags


@pytest.mark.parametrize(
    ("notes", "expected"),
    [
        ("Knew bcrypt once I asked. Leaning weak, landing weak.", "weak"),
        ("1) indexing 1/4\n2) EXPLAIN: x\noverall 1/5", "weak"),
        ("Talked through the schema with me. Calling it a strong yes.", "strong"),
        ("Walked through the schema. overall 4/5", "strong"),
    ],
)
def test_the_interviewers_bottom_line_in_their_own_form_is_read(notes, expected):
    found = {(s.kind, s.signal.split(".")[1]) for s in assess(notes, D, LEXICON).signals}
    assert ("strong" if expected == "strong" else "weak", "verdict") in found


def test_an_interviewers_alarm_flags_a_practice_no_lexicon_lists_quoting_the_practice():
    notes = "To free disk space he would truncate the audit table every Friday by hand. Yikes."
    evidence = assess(notes, D, LEXICON)
    flags = [s for s in evidence.signals if s.kind == "red_flag"]
    assert [s.signal for s in flags] == ["judgement.alarm.interviewer"]
    assert flags[0].quote == "To free disk space he would truncate the audit table every Friday by hand"


def test_a_harm_the_candidates_design_does_is_a_red_flag_quoted_with_the_practice_before_it():
    # (a practice no red-flag pattern names, so the harm is the red flag: copying the prod database
    # to a laptop was one until rubric 2026.12-264 made it a red flag of its own)
    notes = "His fix for the slow report was to run the big nightly join on the primary at noon; it went down for 10 minutes each time."
    flags = [s for s in assess(notes, D, LEXICON).signals if s.kind == "red_flag"]
    assert [s.signal for s in flags] == ["judgement.alarm.harm"]
    assert "run the big nightly join on the primary" in flags[0].quote
    assert flags[0].quote.endswith("it went down for 10 minutes each time")


@pytest.mark.parametrize(
    "notes",
    [
        "Keyed every payment by the provider's event id so a redelivered webhook can never charge twice. Solid.",
        "Explained that an at-least-once consumer would charge twice unless it records what it processed.",
        "No red flags; she walked through the reconciliation job clearly and knew when it runs.",
    ],
)
def test_a_harm_designed_out_explained_or_denied_is_no_red_flag(notes):
    assert assess(notes, C, LEXICON).red_flags == ()


def test_a_harm_beside_a_practice_the_lexicon_calls_weak_keeps_the_lexicons_reading():
    notes = "the migration locked the orders table and checkout was down for 15 minutes"
    evidence = assess(notes, D, LEXICON)
    assert "judgement.alarm.harm" not in evidence.red_flags


@pytest.mark.parametrize(
    "notes",
    [
        "consumer commits the offset first then processes, crash => msg gone. cand. fine w/ that",
        "Acks the message on receipt and processes afterwards; she called it an acceptable edge case.",
    ],
)
def test_a_weak_practice_the_candidate_shrugs_off_in_any_words_is_a_red_flag(notes):
    assert assess(notes, C, LEXICON).red_flags != ()


def test_a_bad_practice_told_as_a_past_system_the_candidate_then_fixed_is_no_red_flag():
    notes = (
        "At her previous company the billing service kept the Stripe secret key in settings.py in the repo. "
        "She rotated it, moved it to the secrets manager and added a pre-commit scanner."
    )
    assert assess(notes, S, LEXICON).red_flags == ()


def test_a_bad_practice_told_as_a_past_system_with_no_fix_after_it_stays_a_red_flag():
    notes = (
        "At her previous company the billing service kept the Stripe secret key in settings.py in the repo. "
        "She would set it up the same way here."
    )
    assert assess(notes, S, LEXICON).red_flags != ()


RULES = dataclasses.replace(LEXICON, model=None)
"""The lexicons and reading rules alone: the notes model flags some of these notes by itself."""


@pytest.mark.parametrize(
    "notes",
    [
        "Order totals are recomputed in a nightly job; when two edits race, one is lost. She said the odds of that are tiny.",
        "Writes the uploaded CSV straight into the shared temp folder under one fixed name. 'very rare', he said. nope",
        "Password reset answers are the user's birth year. He didn't seem to regard this as a problem.",
    ],
)
def test_a_risk_the_candidate_shrugs_off_is_a_red_flag_even_in_words_no_lexicon_lists(notes):
    flags = [s for s in assess(notes, D, RULES).signals if s.kind == "red_flag"]
    assert [s.signal for s in flags] == ["judgement.complacent.defends"]


def test_a_shrugged_off_risk_is_quoted_with_the_practice_before_it():
    notes = "Cache entries are keyed by the user's display name across tenants. cand. thinks its fine."
    flags = [s for s in assess(notes, S, RULES).signals if s.kind == "red_flag"]
    assert [s.signal for s in flags] == ["judgement.complacent.defends"]
    assert flags[0].quote.startswith("Cache entries are keyed by the user's display name")


def test_leaving_it_to_the_framework_is_a_gap_not_a_red_flag():
    evidence = assess("Concurrency: 'the ORM handles that', nothing more.", C, RULES)
    assert evidence.red_flags == ()
    assert "judgement.complacent.deferred" in [s.signal for s in evidence.signals]


PRACTICE = "Puts synchronized on every method of the loyalty points service to be safe."


@pytest.mark.parametrize(
    "unease",
    ["I was not entirely persuaded.", "I would have some reservations about that.", "That sounds risky for money."],
)
def test_an_interviewers_understated_unease_turns_a_weak_practice_into_a_red_flag(unease):
    assert assess(PRACTICE, C, RULES).red_flags == ()
    assert assess(f"{PRACTICE} {unease}", C, RULES).red_flags == ("concurrency.lock_everything",)


def test_a_judged_need_is_a_choice_not_a_gap():
    evidence = assess("No lock needed here: the unique index rejects the second insert.", C, RULES)
    assert not [s for s in evidence.signals if s.kind == "weak" and s.signal == "concurrency.locking"]


@pytest.mark.parametrize(
    "notes",
    [
        "At a previous company the team kept API secrets in a committed .env file; he moved them to Vault.",
        "In code review she found a colleague building the SQL WHERE clause from request params with string concatenation. Fixed it with bound parameters.",
        "On his team the payment client had no timeout and threads piled up during an outage. He found it in a thread dump and added connect and read timeouts.",
    ],
)
def test_someone_elses_bad_practice_the_candidate_fixed_in_the_same_or_next_sentence_is_no_red_flag(notes):
    competency = R if "timeout" in notes else S
    assert assess(notes, competency, RULES).red_flags == ()


@pytest.mark.parametrize(
    ("competency", "notes", "flag"),
    [
        (
            Competency.CONCURRENCY,
            "Story from his current job: the nightly settlement cron ran on both replicas and merchants got paid twice. "
            "He found it in the logs, added an advisory lock and a unique (merchant, day) key.",
            "concurrency.hazard3.billing_job_every_instance",
        ),
        (
            Competency.API_DESIGN,
            "The starter code had `GET /users/{id}/delete`. He didn't keep it: DELETE /users/{id} with a 204.",
            "api_design.unsafe_get",
        ),
        (
            Competency.API_DESIGN,
            "Reviewed our legacy /export endpoint that returns 200 with an error object in the body. "
            "She said that breaks every client's retry logic and our 5xx alerts.",
            "api_design.confuses_status_codes",
        ),
        (
            Competency.RELIABILITY_OBSERVABILITY,
            "Their search went down because the HTTP client to the ranking service had no timeout; workers piled up. "
            "He found it in a thread dump, added connect and read timeouts and a circuit breaker.",
            "reliability_observability.hazard3.no_timeout_broad",
        ),
    ],
)
def test_a_story_of_a_bad_practice_the_candidate_found_and_fixed_or_declined_is_no_red_flag(competency, notes, flag):
    """The practice is found (a story from a past team, starter or legacy code, an outage told
    after the fact) and what follows is the candidate's fix, refusal or critique."""
    practice = notes.split(". ")[0].split(": ", 1)[-1] + "."
    assert flag in assess(practice, competency, RULES).red_flags  # told alone, it is the candidate's
    assert assess(notes, competency, RULES).red_flags == ()


def test_a_question_the_interviewer_answers_yes_or_no_is_evidence_of_what_the_answer_says():
    """Interviewers who write their notes as questions to themselves ("Knew when to pick
    each? Yes.") put the topic in the question and the judgement in the answer."""
    asked = "Knew when to reach for optimistic versus pessimistic locking?"
    yes, no = assess(f"{asked} Yes.", C, RULES), assess(f"{asked} No.", C, RULES)
    assert ("strong", "concurrency.locking") in [(s.kind, s.signal) for s in yes.signals]
    assert ("weak", "concurrency.locking") in [(s.kind, s.signal) for s in no.signals]
    assert yes.weight > 0 > no.weight


def test_a_bare_yes_to_a_question_about_a_belief_is_no_hire_verdict():
    notes = "Does he think the single thread protects him? Yes, firmly: 'single thread, so no concurrency issues.'"
    evidence = assess(notes, C, RULES)
    assert "judgement.verdict.hire_alone" not in [s.signal for s in evidence.signals]
    assert "concurrency.races_impossible" in {s.signal for s in evidence.signals if s.kind == "weak"}
    assert "judgement.verdict.no_hire_alone" in [s.signal for s in assess("Would I hire him? No.", C, RULES).signals]


def test_a_practice_found_and_not_kept_told_as_questions_and_answers_is_no_red_flag():
    notes = (
        "What did she find in the legacy schema? Role ids kept as a comma-separated varchar on the user row. "
        "Did she leave it? No - a join table with foreign keys, backfilled in batches."
    )
    assert assess(notes, D, RULES).red_flags == ()
    assert assess("Role ids kept as a comma-separated varchar on the user row.", D, RULES).red_flags


def test_issuing_tokens_is_the_candidates_practice_not_an_issue_raised_with_it():
    notes = "Issues JWTs with no expiry 'so users never get logged out', and logout only clears local storage."
    evidence = assess(notes, S, RULES)
    assert not [s.signal for s in evidence.signals if s.signal.endswith(".rejected")]
    assert [s for s in evidence.signals if s.kind in ("weak", "red_flag")]


def test_a_finding_reaches_every_that_clause_joined_to_it():
    notes = (
        "On a search endpoint backed by Mongo she spotted that passing the parsed query string into find() "
        "lets a caller send operators, and that $where with user input is worse still."
    )
    assert assess(notes, S, RULES).red_flags == ()
    assert assess("Passes $where with user input straight to Mongo.", S, RULES).red_flags


def test_a_harm_in_a_colleagues_code_the_candidate_replaced_is_no_alarm():
    notes = (
        "Described finding a read-then-insert in a colleague's checkout code that created duplicate orders under load, "
        "and replacing it with an insert guarded by a unique key."
    )
    assert assess(notes, C, RULES).red_flags == ()
    assert assess("The checkout created duplicate orders under load.", C, RULES).red_flags


def test_a_failure_explained_as_the_reason_for_an_outbox_is_no_red_flag():
    notes = (
        "Writing to the database and publishing to the broker separately loses events silently if the process dies "
        "in between, so they write to an outbox table in the same transaction and relay it."
    )
    assert assess(notes, R, RULES).red_flags == ()


def test_against_a_server_is_no_rejection_of_the_practice():
    notes = "When data is wrong he opens psql against production and types the UPDATE by hand, autocommit on."
    assert "databases.hazard3.manual_prod_sql" in assess(notes, D, RULES).red_flags


def test_a_bad_practice_followed_by_the_fix_the_candidate_would_make_is_explained_not_kept():
    notes = "A blocking requests.get inside an async def handler stalls the whole event loop; would switch to httpx.AsyncClient."
    assert assess(notes, C, RULES).red_flags == ()


def test_long_quotes_start_and_end_on_whole_words():
    padding = "walked through the nightly export job that copies every customer record and invoice line "
    notes = "He " + padding * 2 + "and keeps the Stripe secret key in settings.py in the repo " + padding * 2 + "today."
    text = " ".join(notes.split())
    flags = [s for s in assess(notes, S, LEXICON).signals if s.kind == "red_flag"]
    assert flags
    for signal in flags:
        at = text.find(signal.quote)
        assert at > 0 and len(signal.quote) < len(text) - at  # cut on both sides of a long clause
        assert text[at - 1] == " " and text[at + len(signal.quote)] == " "


@pytest.mark.parametrize(
    ("competency", "notes", "flag"),
    [
        (S, "Takes the tenant id from an X-Org-Id header the browser sets.", "tenant_from_client_input"),
        (D, "backup strategy = 'we have a read replica'", "replica_as_backup"),
        (S, "The app connects as one shared admin user for all services.", "shared_superuser"),
        (S, "Keeps the prod database credentials on a team wiki page.", "shared_superuser"),
    ],
)
def test_practices_added_in_round_five_and_six_are_red_flags(competency, notes, flag):
    assert any(f.endswith(flag) for f in assess(notes, competency, RULES).red_flags)


def test_single_threaded_does_not_mean_safe_is_no_red_flag():
    notes = "Single-threaded doesn't mean you don't have to worry about races: two awaits interleave."
    assert assess(notes, C, RULES).red_flags == ()


@pytest.mark.parametrize(
    ("competency", "notes"),
    [
        (S, "+ prev job: API key leaked in a repo -> revoked, rotated, scrubbed history, added gitleaks to CI"),
        (R, "The starter code had `catch (e) {}` around the webhook handler. She removed it and logged the event id."),
        (S, "Rewrote the search handler's f-string query with bound parameters."),
    ],
)
def test_a_practice_the_candidate_fixed_in_a_bullet_or_an_exercise_is_no_red_flag(competency, notes):
    assert assess(notes, competency, RULES).red_flags == ()


def test_a_failing_race_test_dismissed_as_flaky_is_a_red_flag():
    notes = "Read the balance, awaited the fraud check, wrote it back. The parallel test failed; she called it flaky and re-ran it until it passed."
    assert assess(notes, C, RULES).red_flags != ()


def test_work_that_vanishes_on_a_deploy_is_a_harm():
    notes = "Keeps pending emails in a list in the API process; whatever is in flight vanishes on deploy."
    assert "judgement.alarm.harm" in assess(notes, C, RULES).red_flags


def test_a_bad_practice_the_interviewer_calls_a_slip_is_weak_not_a_red_flag():
    notes = "Slip: runs the debug log level in prod 'for now', and agreed to change it when I raised the cost."
    assert assess(notes, R, RULES).red_flags == ()


@pytest.mark.parametrize(
    ("competency", "notes", "flag"),
    [
        (C, "Uses a static HashMap in the service as the lock table; prod runs four replicas.", "local"),
        (S, "One AWS access key with admin rights is shared by all services.", "shared_superuser"),
        (S, "Reset links carry a token that is the base64 of the user's email.", "guessable_reset_token"),
        (S, "Services read the role with jwt.decode; verification happens at the gateway.", "jwt_unverified"),
        (S, "Their JWTs are signed with the secret 'secret123'.", "jwt_misuse"),
        (R, "When the lag alert fires, the runbook resets the group's offsets to latest.", "lag_cleared_by_skipping"),
    ],
)
def test_practices_added_in_round_seven_are_red_flags(competency, notes, flag):
    assert any(flag in f for f in assess(notes, competency, RULES).red_flags)


@pytest.mark.parametrize(
    "notes",
    [
        "Puts the clinic filter into each repository method where it is needed; said code review would catch a missing one.",
        "Restarts pods until the slowness goes away and considers the incident closed.",
        "Presented a muted alert channel as a reasonable equilibrium.",
    ],
)
def test_more_ways_of_shrugging_a_risk_off(notes):
    assert assess(notes, R, RULES).red_flags != ()


def test_a_knowledge_gap_beside_a_harm_does_not_hide_the_harm():
    notes = "Capacity is read, decremented in Java and saved; he agreed two requests could both succeed and did not consider an atomic update. Occasional overbooking is fine, he said."
    assert assess(notes, C, RULES).red_flags != ()


def test_a_lock_held_across_a_remote_call_is_a_red_flag_even_with_no_harm_or_defence_told():
    practice = "Holds SELECT ... FOR UPDATE on the order row while calling the payment provider over HTTP."
    assert assess(practice, C, RULES).red_flags == ("concurrency.hazard3.tx_around_remote_call",)
    told_by_the_pedant = (
        "Checkout opens a transaction, takes SELECT ... FOR UPDATE on the cart and inventory rows, then calls the"
        " payment provider over HTTP (timeout 30s) before committing."
    )
    assert assess(told_by_the_pedant, C, RULES).red_flags == ("concurrency.hazard3.tx_around_remote_call",)
    terse = "SELECT ... FOR UPDATE on the account, then calls the bank's API over HTTP before committing."
    assert assess(terse, C, RULES).red_flags == ("concurrency.hazard3.tx_around_remote_call",)


@pytest.mark.parametrize(
    ("competency", "notes", "flag"),
    [
        (
            C,
            "A static HashMap of sessions lives in the controller and every request thread puts into it.",
            "shared_static_collection",
        ),
        (S, "Renders the seller's product description by assigning it to element.innerHTML.", "xss_sinks"),
        (S, "The org id is taken from the X-Org header on each call and used as is.", "tenant_from_client_input"),
        (
            A,
            "The export endpoint returns all of them and the mobile app pages through them locally.",
            "unbounded_lists",
        ),
    ],
)
def test_practices_added_in_round_eight_are_red_flags(competency, notes, flag):
    assert any(flag in f for f in assess(notes, competency, RULES).red_flags)


@pytest.mark.parametrize(
    ("competency", "notes"),
    [
        (
            C,
            "Reads the seat count, checks one is free, then inserts the booking; when I asked about two buyers, 'that would be really rare'.",
        ),
        (D, "Runs a plain CREATE INDEX on the payments table in the lunchtime release and said 'only a few seconds'."),
        (D, "Nightly dumps go to the same bucket. Ever restored one? 'Never had to.'"),
        (C, "Locks rows with NOLOCK hints everywhere and called it a free performance win."),
    ],
)
def test_a_weak_practice_with_the_odds_waved_away_in_the_candidates_words_is_a_red_flag(competency, notes):
    assert assess(notes, competency, RULES).red_flags != ()


def test_a_finding_in_the_sentence_before_with_the_candidates_fix_after_is_no_red_flag():
    notes = (
        "Spotted the problem in the code review exercise. The query glued the search term into the SQL string. "
        "She parameterised it and added a test with a quote in the input."
    )
    assert assess(notes, S, RULES).red_flags == ()


def test_not_knowing_a_rare_status_code_is_a_gap_not_a_confusion_of_status_codes():
    notes = "Could not explain 404 versus 410 or when to prefer PATCH."
    assert assess(notes, A, RULES).red_flags == ()


@pytest.mark.parametrize(
    ("competency", "notes", "flag"),
    [
        (S, "The service takes the user from the token via jwt.decode rather than jwt.verify.", "jwt_unverified"),
        (S, "Support tools check a header named X-Admin that the SPA sets for staff accounts.", "role_from_client"),
        (
            S,
            "The API reads the role field from the request body to decide who may refund.",
            "role_from_client|access_control",
        ),
        (S, "The HMAC signing key is literally 'changeme' in every environment.", "jwt_misuse"),
        (
            S,
            "Avatars are stored under whatever filename the browser sends, in the public folder.",
            "unrestricted_upload",
        ),
        (C, "Locking = an in-memory dict keyed by account id; they run 3 replicas.", "local_lock_across_instances"),
    ],
)
def test_practices_added_in_round_nine_are_red_flags(competency, notes, flag):
    assert any(re.search(flag, f) for f in assess(notes, competency, RULES).red_flags)


def test_a_query_per_row_in_a_loop_defended_as_fine_is_a_red_flag():
    notes = "The order list loads 40 orders and then, inside a loop, queries the customer for each one. He thinks that's fine."
    assert "databases.hazard3.n_plus_one" in assess(notes, D, RULES).red_flags


@pytest.mark.parametrize(
    "notes",
    [
        "Reads the voucher, checks it is unused, then marks it used in a second query; she called the race 'something to revisit later'.",
        "Failed transfers are logged and skipped, and he expects the nightly reconciliation job catches them.",
        "Both data centres run the payout script, so merchants get duplicate payouts some weeks.",
    ],
)
def test_a_fix_put_off_or_left_to_a_batch_job_and_duplicate_charges_flag_the_practice(notes):
    assert assess(notes, C, RULES).red_flags != ()


def test_jwt_decode_named_as_the_fixed_mistake_is_no_red_flag():
    notes = "Spotted that the old service used jwt.decode instead of jwt.verify and fixed it; she added tests for forged tokens."
    assert assess(notes, S, RULES).red_flags == ()


@pytest.mark.parametrize(
    ("competency", "notes"),
    [
        (D, "For backups they keep a hot standby, so we're covered; a bad DELETE would be on it too."),
        (S, "Tokens are signed with HS256 using the literal string 'password' in every environment."),
        (C, "The nightly billing job runs from cron on all three app servers 'for redundancy'."),
        (
            R,
            "Logs go to one file that grows forever; rotation is 'something ops handles'. The disk filled up last year.",
        ),
    ],
)
def test_practices_told_in_round_ten_voices_are_red_flags(competency, notes):
    assert assess(notes, competency, RULES).red_flags != ()


def test_a_root_cause_found_and_fixed_in_a_numbered_thread_is_no_red_flag():
    notes = (
        "1/ the API hung every few days\n"
        "2/ root cause: the HTTP client had no timeout, one slow dependency held every worker\n"
        "3/ fix: connect and read timeouts, bounded retries with backoff, an alert on pool saturation"
    )
    assert assess(notes, R, RULES).red_flags == ()


def test_a_short_sleep_between_batches_so_the_replicas_keep_up_is_throttling_not_a_race_fix():
    notes = "Backfilled in batches of 5k with a short sleep between so the replicas kept up."
    assert assess(notes, D, RULES).red_flags == ()


# --- round 19: the interviewer's own words, dropped articles, bare gaps ----------------------


@pytest.mark.parametrize(
    ("competency", "notes"),
    [
        (A, "Asked about changing the API without breaking clients - 'we will make a new endpoint'. Not so good."),
        (
            S,
            "When I showed a snippet concatenating a username into a query he didn't see the issue until I pointed at it.",
        ),
    ],
)
def test_a_poor_practice_in_the_interviewers_question_or_exhibit_is_not_the_candidates(competency, notes):
    evidence = assess(notes, competency, RULES)
    assert evidence.red_flags == () and evidence.weight <= 0


def test_a_poor_practice_the_candidate_answers_with_after_the_question_stays_a_red_flag():
    notes = "I asked how he stops one tenant reading another's invoices and he said they wouldn't know the ids."
    assert assess(notes, A, RULES).red_flags != ()


def test_a_bare_gap_after_a_list_of_questions_takes_back_the_topics_asked_about():
    notes = (
        "Listed Prometheus, Grafana and Jaeger. Which dashboard, which metric, how to go from an alert to one "
        "request - could not continue."
    )
    assert verdict(notes, R) == "weak"


@pytest.mark.parametrize(
    ("competency", "notes"),
    [
        (
            A,
            "In current company team was returning ORM entities directly as JSON, so one rename broke old app "
            "versions. He introduced response DTO layer with explicit mapping and additive-only changes in v1.",
        ),
        (
            S,
            "Good example from code review: colleague built query with template string from the email param. "
            "He changed it to a parameterized query and whitelisted the ORDER BY column.",
        ),
    ],
)
def test_a_fix_told_without_articles_is_a_story_of_a_fix_not_a_red_flag(competency, notes):
    evidence = assess(notes, competency, RULES)
    assert evidence.red_flags == () and evidence.weight > 0


def test_a_token_kept_out_of_local_storage_is_no_red_flag():
    notes = (
        "Keeps the session token out of localStorage: httpOnly, Secure, SameSite cookie, and knows the CSRF trade-off."
    )
    assert assess(notes, S, RULES).red_flags == ()


def test_disowning_an_area_is_weak_but_no_red_flag_on_its_own():
    notes = "Vague on how JWTs get validated and where secrets live in her team ('DevOps handles that')."
    evidence = assess(notes, S, RULES)
    assert evidence.red_flags == () and evidence.weight < 0


# --- round 20: asides, pointers back, exhibits of every kind -------------------------------


def test_a_gap_that_points_back_takes_back_the_list_before_it():
    notes = "Versioning, pagination, error formats - nothing on any of the three beyond 'we'd figure it out as we go'."
    assert verdict(notes, A) == "weak"


def test_a_fix_nobody_mentioned_is_no_strength():
    notes = "He'd speed it up by raising the pool. @EntityGraph, join fetch, batch size - none of it came up."
    evidence = assess(notes, D, RULES)
    assert evidence.weight < 0 and not any(s.kind == "strong" for s in evidence.signals)


def test_a_mechanism_described_wrongly_in_quotes_is_a_gap_not_a_defended_practice():
    notes = "Brought up @Version straight away, then described it as 'Hibernate locks the row until commit'."
    assert assess(notes, C, RULES).red_flags == ()


def test_a_template_the_interviewer_showed_is_not_the_candidates_practice():
    notes = "When I showed him a template rendering a user comment with th:utext he didn't see the issue."
    assert assess(notes, S, RULES).red_flags == ()


def test_no_idea_about_deprecation_is_a_gap_not_a_missing_strategy_red_flag():
    assert (
        assess("No idea about deprecation windows, contract tests, or which clients are on v1.", A, RULES).red_flags
        == ()
    )


# --- round 21: the panel's verdict, plain praise, money and locks ---------------------------


def test_agreeing_with_the_panel_on_a_verdict_is_that_verdict():
    said = assess("Agree with the other panelists: weak. The discussion stayed at the surface.", C, RULES)
    assert "judgement.verdict.no_hire" in {s.signal for s in said.signals}
    assert verdict("Agree with the rest of the panel - strong.", C) == "strong"


def test_solid_fundamentals_and_nothing_to_worry_about_are_praise():
    assert verdict("Security fundamentals solid. Nothing to worry about.", S) == "strong"


def test_a_transaction_held_open_across_a_call_to_a_card_network_is_a_red_flag():
    notes = (
        "Opens the transaction, locks the account row, then calls the external card network with a "
        "thirty-second timeout before committing; his fix for the queue was a bigger Hikari pool."
    )
    assert "concurrency.hazard3.lock_held_across_remote_call" in assess(notes, C, RULES).red_flags


# --- round 22: who did the thinking, a harm asked about, a term never heard ---------------


@pytest.mark.parametrize(
    "notes",
    [
        "Check-then-insert on registration. Only on the third prompt did he arrive at a unique constraint.",
        "Got to the composite index, but I drove most of the way.",
        "Found the N+1 only after I pasted the SQL log; needed another nudge to get to a fetch join.",
        "Got there in the end, but I was doing the thinking.",
        "Reached idempotency keys; would not have got there on his own.",
        # round 23
        "First sketch raced on the same rows. I hinted at row locking; she remembered SKIP LOCKED.",
        "Lease and heartbeat for a dead worker didn't come, even after I asked twice.",
        "Secrets in env vars, rotation unclear. Half there.",
        # round 24
        "Got to a bounded number of in-flight bulks, but only once I said 'semaphore'.",
        "After I brought up 429s he arrived at backpressure.",
        "Alerting on lag only came up when I asked how we'd know first.",
        "Got to optimistic locking with quite a lot of help.",
    ],
)
def test_an_answer_the_interviewer_led_the_candidate_to_is_prompted(notes):
    assert "judgement.prompted.hints" in {s.signal for s in assess(notes, D, RULES).signals}


def test_a_harm_the_candidate_asks_about_is_no_red_flag():
    notes = (
        "I asked what happens on the retry - long pause, then 'we'd charge twice?'. Needed two nudges to get to a key."
    )
    assert not assess(notes, A, RULES).red_flags
    assert assess("On a retry the endpoint charges the card twice.", A, RULES).red_flags


def test_a_term_the_candidate_never_heard_of_is_a_gap_in_any_word_order():
    notes = "Would zip the 200MB report in the request handler; worker_threads never heard."
    assert "strong" not in {s.kind for s in assess(notes, C, RULES).signals if s.signal == "concurrency.node_async"}


# --- round 23: hints given, a topic answered with "nothing", recoverable passwords ----------


def test_a_topic_answered_with_nothing_is_a_gap():
    assert verdict("Versioning strategy: nothing.", A) == "weak"


def test_a_candidate_who_sees_an_outage_pattern_as_good_defends_it():
    notes = "Liveness probe calls the DB and Redis; when the DB is slow every pod restarts. He sees this as good."
    assert "judgement.complacent.defends" in {s.signal for s in assess(notes, R, RULES).signals}


# --- a red flag told over two sentences ------------------------------------------------------


def test_a_red_flag_whose_second_half_comes_in_the_next_sentence_is_found():
    notes = "Passwords go through SHA-256 before they're stored, 'it's one-way'. No salt. Rest was thin."
    assert "security.hazard3.unsalted_fast_hash" in assess(notes, S, RULES).red_flags
    notes = "Orders has 23 indexes, one per filtered column. Writes got slower last year; he blamed traffic."
    assert "databases.hazard3.indexes_slowing_writes_shrugged" in assess(notes, D, RULES).red_flags


def test_the_next_sentence_reaches_back_one_sentence_only():
    notes = "Passwords: SHA-256. Pepper in a vault. Rotated yearly. No salt."
    assert "security.hazard3.unsalted_fast_hash" not in assess(notes, S, RULES).red_flags


# --- round 24: answers after a quoted sentence, practices kept where they pay -------------


def test_a_quoted_sentence_ends_where_its_full_stop_is():
    notes = (
        "Q: alerting? -> every logger.error goes to PagerDuty, 'so nothing is missed.' How many pages now? A: 'a lot.'"
    )
    clauses = split_clauses(notes)
    said = next(c for c in clauses if "PagerDuty" in notes[c.start : c.end])
    assert not said.question  # the candidate's answer, not the interviewer's next question
    assert "reliability_observability.hazard3.page_on_every_error" in assess(notes, R, RULES).red_flags


def test_a_practice_not_applied_everywhere_is_no_gap():
    notes = "He didn't denormalize everything, only the order total, updated in the same transaction."
    assert "weak" not in {s.kind for s in assess(notes, D, RULES).signals if s.signal == "databases.normalization"}


# --- round 25: the kind mentor and the tally --------------------------------------------------


def test_what_the_interviewer_wishes_to_see_is_not_what_they_saw():
    notes = "I'd love to see him get more on-call exposure and alerting practice."
    said = assess(notes, R, RULES)
    assert "strong" not in {s.kind for s in said.signals if s.signal.startswith("reliability_observability.")}


@pytest.mark.parametrize(
    "notes",
    [
        "Isolation levels, row locking and optimistic concurrency weren't things she'd had a chance to work with.",
        "Monitoring is an area with lots of room to grow; he would benefit from more exposure to incidents.",
        "It was hard for him to find a starting point in the incident.",
    ],
)
def test_a_gap_wrapped_in_growth_is_a_gap(notes):
    assert verdict(notes, C) == "weak"


def test_a_tally_s_bottom_line_is_its_verdict():
    assert verdict("+ threads vs processes fine\n- no lock on the wallet debit\nnet: -", C) == "weak"
    assert verdict("+ SKIP LOCKED for the job queue\n+ idempotent consumers\nnet: +", C) == "strong"


def test_a_pair_that_follows_is_found_whichever_sentence_holds_its_literal():
    """The plain search starts from the clause of a literal, the scan from that of a match's
    end: a lock in one sentence and the pods in the next are found either way."""
    notes = "First answer was an in-process mutex. The service runs on two pods behind the load balancer."
    for search in ("scan", "triggers", "every"):
        lexicon = dataclasses.replace(compile_lexicon(load_rubric(), search), model=None)
        assert "concurrency.hazard.local_lock_across_instances" in {s.signal for s in assess(notes, C, lexicon).signals}


# --- round 26: help told in a second language, practices told by what they let happen ------


@pytest.mark.parametrize(
    ("competency", "notes"),
    [
        (R, "Incident: he check error rate, correlate with deploy I have to hint."),
        (C, "Optimistic locking with a version column, he arrive there only after I ask about lost updates."),
        (S, "Rate limiting: got to per-account limits with help."),
        (S, "Parameterized queries, CSRF tokens, after I give example."),
        (D, "Covering index for the report query, need push."),
    ],
)
def test_help_told_in_a_second_languages_present_tense_is_prompting(competency, notes):
    assert verdict(notes, competency) == "weak"


# Each round's new red flags, told as its notes told them; one test at the end holds them all.
ROUND_26_PRACTICES = [
    (
        C,
        "Takes Redis SETNX on the SKU's key around the reservation and DELs it at the end. No expiry on the key.",
        "concurrency.hazard3.lock_without_expiry",
    ),
    (
        S,
        "GET /invoices/{id}: middleware checks the user is logged in, then loads the invoice by id and returns it.",
        "security.hazard3.object_fetched_by_id_for_any_login",
    ),
    (
        S,
        "Order ids are sequential. Any account can walk the ids and pull other shoppers' addresses.",
        "security.hazard3.object_fetched_by_id_for_any_login",
    ),
    (
        S,
        "CORS: echo the request Origin back in Access-Control-Allow-Origin with Allow-Credentials: true.",
        "security.hazard3.cors_reflects_any_origin_with_credentials",
    ),
    (S, "Passwords stored as SHA-256 of the password.", "security.hazard3.plain_fast_hash_for_passwords"),
    (
        A,
        "Controller returns the entity; passwordHash in the JSON.",
        "api_design.hazard3.sensitive_fields_in_response",
    ),
    (
        A,
        "He'd rename price to priceMinor and switch it from a string to an int on the existing /v1/products response.",
        "api_design.hazard3.no_versioning_broad",
    ),
    (
        D,
        "starts_at is a timestamp without time zone, filled from whatever the admin's laptop clock says.",
        "databases.hazard3.local_time_without_zone",
    ),
]


def test_an_object_loaded_by_id_and_checked_for_its_owner_is_no_red_flag():
    notes = "After login the handler loads the invoice by id where owner_id matches the caller, else 404."
    assert "security.hazard3.object_fetched_by_id_for_any_login" not in assess(notes, S, RULES).red_flags


def test_a_salted_slow_hash_is_no_fast_hash_red_flag():
    notes = "Passwords hashed with SHA-256 inside PBKDF2, per-user salt, 600k iterations."
    assert "security.hazard3.plain_fast_hash_for_passwords" not in assess(notes, S, RULES).red_flags


# --- round 27: the formal evaluator, the distracted manager, the DBA -------------------------


@pytest.mark.parametrize(
    ("competency", "notes", "topic"),
    [
        (S, "Didn't stop at parameterized queries.", "security.owasp"),
        (D, "Not dogmatic at all about normalization, which I like.", "databases.normalization"),
    ],
)
def test_a_negation_of_stopping_short_or_of_dogma_is_no_gap(competency, notes, topic):
    assert {s.kind for s in assess(notes, competency, RULES).signals if s.signal == topic} == {"strong"}


@pytest.mark.parametrize(
    ("competency", "notes"),
    [
        (R, "Correlation ids across services: no mechanism was described."),
        (C, "Optimistic locking with a version column: no explanation was given of the retry."),
        (A, "Idempotency keys for the transfer endpoint, partial, w/ lots of help."),
    ],
)
def test_a_gap_told_in_the_passive_or_help_in_shorthand_is_no_strength(competency, notes):
    assert verdict(notes, competency) == "weak"


ROUND_27_PRACTICES = [
    (
        R,
        "Backup strategy is the two streaming replicas; a separate backup is considered redundant.",
        "databases.hazard3.replica_as_backup",
    ),
    (
        S,
        "The handler loads the row by id. A customer can walk the sequence and read every other customer's invoices.",
        "security.hazard3.object_fetched_by_id_for_any_login",
    ),
    (
        C,
        "Lock with SETNX, released with DEL. If the worker dies mid-way, an operator would remove the key manually.",
        "concurrency.hazard3.lock_without_expiry",
    ),
    (
        D,
        "All associations annotated `FetchType.EAGER` to prevent `LazyInitializationException`.",
        "databases.hazard3.eager_to_dodge_lazy_init",
    ),
]


def test_a_uniqueness_check_before_an_insert_with_nothing_behind_it_is_a_red_flag():
    notes = "Unique usernames: SELECT to see if taken, then INSERT."
    assert "concurrency.hazard3.check_then_insert_unguarded" in assess(notes, C, RULES).red_flags
    assert verdict(notes, C) == "weak"
    guarded = "SELECT to see if taken, then INSERT, with a unique constraint behind it for the race."
    assert "concurrency.hazard3.check_then_insert_unguarded" not in {
        s.signal for s in assess(guarded, C, RULES).signals
    }


@pytest.mark.parametrize(
    ("competency", "notes"),
    [
        (
            S,
            "Retains CSRF protection on the filter chain serving the session-authenticated portal and disables it"
            " only on the separate stateless chain that accepts bearer tokens.",
        ),
        (C, "Could not explain how a version column would actually work in the update."),
        (
            C,
            "Double-booking question: first answer @Transactional 'makes it safe', then SELECT FOR UPDATE after a nudge.",
        ),
    ],
)
def test_a_right_exception_or_a_topics_name_is_no_red_flag(competency, notes):
    assert not [
        f for f in assess(notes, competency, RULES).red_flags if "versioning" in f or "protection" in f or "alarm" in f
    ]


# --- round 28: a risk register, SQL in the notes, harms told as what they cost ---------------


def test_a_sql_placeholder_ends_no_sentence_and_asks_no_question():
    notes = "Checks SELECT COUNT(*) FROM impressions WHERE user_id=? AND campaign_id = ? AND day = today. Why? Fine."
    clauses = split_clauses(notes)
    assert [c.question for c in clauses if "impressions" in notes[c.start : c.end]] == [False]
    assert len({c.sentence for c in clauses}) == 3


@pytest.mark.parametrize("split", [split_clauses, python_split_clauses], ids=["compiled", "python"])
def test_a_double_question_mark_after_a_reported_practice_is_disbelief_not_a_question(split):
    """Chess annotators and exasperated interviewers mark a blunder " ??" or " ?!", set apart:
    the practice before it is what the candidate said, not what the interviewer asked."""
    notes = "Balances stored as FLOAT, 'we round on display' ?? Refunds ok ?! Asked about idempotency? Yes. EXPLAIN?? never ran it."
    asked = {notes[c.start : c.end].strip(" '?!"): c.question for c in split(notes)}
    assert asked["Balances stored as FLOAT, 'we round on display"] is False
    assert asked["Refunds ok"] is False
    assert asked["Asked about idempotency"] is True
    assert asked["EXPLAIN"] is True  # typed onto the word: the interviewer asking
    assert verdict("Stores passwords with md5 ?? In 2026.", S) == "weak"
    assert assess("Stores passwords with md5 ?? In 2026.", S, RULES).red_flags


ROUND_28_PRACTICES = [
    (
        D,
        "A nightly job rolls impressions into daily aggregates, then deletes the raw rows 'since nobody queries them'.",
        "databases.hazard3.raw_events_purged_after_rollup",
    ),
    (
        D,
        "Frequency cap is SELECT COUNT(*) FROM impressions WHERE user_id=? AND campaign_id=? on every bid request.",
        "databases.hazard3.aggregate_query_per_request",
    ),
    (
        D,
        "He runs one DELETE FROM events WHERE created_at < now() - interval '90 days' on the primary as a single transaction.",
        "databases.hazard3.mass_delete_one_statement",
    ),
    (
        C,
        "Budget: GET remaining from Redis, if remaining >= price then SET remaining - price.",
        "concurrency.hazard3.redis_get_then_set",
    ),
    (
        C,
        "The race between two listeners he fixed with Thread.sleep(500) in the second one.",
        "concurrency.sleep_as_sync",
    ),
    (
        R,
        "Monitoring is CPU, memory and disk alerts at 80%. Nothing on spend rate or win rate.",
        "reliability_observability.hazard3.alerts_only_on_hosts",
    ),
    (S, "The win notice books spend from ?price= on the URL.", "security.hazard3.price_from_the_url"),
    (
        S,
        "GET /api/invoices/{id} checks the user is authenticated, then findById and return.",
        "security.hazard3.object_fetched_by_id_for_any_login",
    ),
]


@pytest.mark.parametrize(
    ("competency", "notes", "expected"),
    [
        (C, "Two admins editing one price: talked through it. Residual risk: not acceptable.", "weak"),
        (C, "Two admins editing one price: talked through it. Residual risk: acceptable.", "strong"),
        (C, "Version column mentioned, retries unclear. Residual risk: not acceptable.", "weak"),
        (D, "Says the right words: covering index, selectivity, EXPLAIN ANALYZE.", "weak"),
        (S, "JWT vs sessions: JWT with refresh tokens, copied from a tutorial.", "weak"),
        (S, "Why csrf protection matters - don't know, the OWASP list he knows by heart.", "weak"),
    ],
)
def test_a_risk_registers_bottom_line_and_borrowed_words_are_read(competency, notes, expected):
    assert verdict(notes, competency) == expected


@pytest.mark.parametrize(
    ("competency", "notes", "topic"),
    [
        (D, "Didn't denormalize by reflex; kept the campaigns in 3NF.", "databases.normalization"),
        (D, "Not against denormalizing either, for immutable creative dimensions.", "databases.normalization"),
    ],
)
def test_a_practice_kept_where_it_pays_or_an_objection_denied_is_no_gap(competency, notes, topic):
    assert "weak" not in {s.kind for s in assess(notes, competency, RULES).signals if s.signal == topic}


def test_knowing_that_a_client_defaults_to_no_timeout_is_no_red_flag():
    notes = "Timeouts set explicitly on the RestClient. He knew some HTTP clients default to no timeout at all."
    assert assess(notes, R, RULES).red_flags == ()


def test_a_candidate_explaining_a_lost_update_in_numbers_is_no_harm():
    notes = "She said no: the await is where another request gets in - two top-ups both read 0 and both write 50."
    assert assess(notes, C, RULES).red_flags == ()


# --- round 29: review comments, an exchange's ledger, second-language leads -------------------


ROUND_29_PRACTICES = [
    (
        R,
        "The BFF retries 3x, orders retries the inventory call 3x, the inventory client retries the DB too.",
        "reliability_observability.hazard3.retries_at_every_layer",
    ),
    (
        R,
        "Credits deposits at 1 conf on every chain, 'reorgs are rare'.",
        "reliability_observability.hazard3.chain_deposits_on_one_confirmation",
    ),
    (
        R,
        "If the broadcast times out, marks the withdrawal failed and requeues; the requeue signs with the next nonce.",
        "reliability_observability.hazard3.resigned_after_broadcast_timeout",
    ),
    (
        S,
        "jsonwebtoken verify(token, key) w/ no algorithms option.",
        "security.hazard3.jwt_algorithms_not_pinned",
    ),
    (
        S,
        "JWT signed HS256 with the secret 'superapp123', token lifetime forever.",
        "security.hazard3.guessable_signing_secret",
    ),
    (
        D,
        "accounts(id, asset, balance); withdraw is UPDATE balance = balance - x. No entries table.",
        "databases.hazard3.balance_without_ledger",
    ),
    (
        D,
        "For the old pings (around 2 billion rows) he writes one DELETE with a date filter at 7 PM.",
        "databases.hazard3.mass_delete_one_statement",
    ),
    (
        C,
        "SETNX then DEL. Expiry? 'we'd clear them by hand if it happens'.",
        "concurrency.hazard3.lock_without_expiry",
    ),
]


def test_a_review_comment_that_blocks_is_the_interviewers_bottom_line():
    assert verdict("praise: knows the OWASP list. blocking: list memorised, not applied.", S) == "weak"
    assert verdict("Uses non-blocking I/O for the fan-out; knows the event loop well.", C) == "strong"


# --- round 30: fail-open fallbacks, money rewritten or deleted, "was not able to" -----------


ROUND_30_PRACTICES = [
    (
        R,
        "Resilience4j breaker on the coverage check; the fallback returns covered = true so claimants aren't blocked.",
        "reliability_observability.hazard3.fallback_fakes_success",
    ),
    (
        A,
        "Bulk upload: accept the file, return 200, write the rejected rows to our own log.",
        "api_design.hazard3.batch_failures_hidden_behind_200",
    ),
    (
        D,
        "Reserve adjustments: UPDATE claim SET reserve_amount = ? on each change, no history table.",
        "databases.hazard3.money_overwritten_in_place",
    ),
    (
        D,
        "Cancellation = DELETE FROM bookings WHERE id = ?, segments and payments cascade.",
        "databases.hazard3.money_records_hard_deleted",
    ),
    (
        C,
        "The job takes a Redis SETNX lock so only one pod runs it. The key stays until the job deletes it at the end.",
        "concurrency.hazard3.lock_without_expiry",
    ),
]


def test_was_not_able_to_say_is_a_gap():
    notes = "Talked about OpenTelemetry and SLOs; which metric would show the missing callbacks he was not able to say."
    assert verdict(notes, R) == "weak"


def test_a_practice_not_followed_for_its_own_sake_is_no_gap():
    notes = "Didn't denormalise for the sake of it."
    assert "weak" not in {s.kind for s in assess(notes, D, RULES).signals if s.signal == "databases.normalization"}


# --- round 31: second-person recaps, compressed English, lists never heard of -------------------


def test_a_list_never_heard_of_is_a_gap_in_every_item():
    notes = "JOIN FETCH / @EntityGraph / batch_size never heard."
    kinds = {s.kind for s in assess(notes, D, RULES).signals if s.signal == "databases.orm_fetching"}
    assert kinds == {"weak"}


@pytest.mark.parametrize(
    ("competency", "notes", "topic"),
    [
        (
            D,
            "He didn't denormalize until he'd named the read-to-write ratio that paid for it.",
            "databases.normalization",
        ),
        (R, "Nothing missing in her on-call design that I can see.", "reliability_observability.alerting"),
        (D, "You won't hear him claim normalization is always right.", "databases.normalization"),
    ],
)
def test_a_practice_held_back_until_measured_or_nothing_missing_is_no_gap(competency, notes, topic):
    assert "weak" not in {s.kind for s in assess(notes, competency, RULES).signals if s.signal == topic}


def test_a_strength_in_the_question_the_reader_is_told_to_ask_is_not_the_candidates():
    notes = "Ask him how CSRF works against a cookie-authenticated endpoint and you'll get XSS described instead."
    evidence = assess(notes, S, RULES)
    assert not [s for s in evidence.signals if s.kind == "strong"]
    assert verdict(notes, S) == "weak"


@pytest.mark.parametrize(
    ("competency", "notes"),
    [
        (S, "OTP login: didn't think of brute force until I ask how many tries are allowed."),
        (D, "Got to the composite index eventually."),
        (A, "Only when you'd ask about the old mobile clients did she make the new field optional."),
        (A, "Reached a Sunset header, but only after you've said the word."),
        (R, "Needed quite a push before correlation ids came up."),
        (D, "Knows what an index is. She never reached for EXPLAIN herself."),
        (S, "SameSite didn't ring a bell."),
        (C, "You'll hear eventual consistency, CAP and saga in a single sentence."),
    ],
)
def test_help_gaps_and_name_dropping_in_a_recaps_words_are_weak(competency, notes):
    judged = judgement_roles(notes, competency)
    assert judged & {"prompted", "gap"}
    assert verdict(notes, competency) == "weak"


@pytest.mark.parametrize(
    ("competency", "notes"),
    [
        (
            C,
            "Voucher oversell race - didn't see it at first. After a timeline on the whiteboard she got to SELECT FOR UPDATE.",
        ),
        (
            R,
            "Correlation id only after a hint. Then I ask how we even know before customers complain - she say CS will tell us.",
        ),
    ],
)
def test_a_harm_the_interviewer_poses_is_no_red_flag(competency, notes):
    assert not [f for f in assess(notes, competency, LEXICON).red_flags if "alarm" in f]


def test_an_overstatement_the_candidate_qualifies_is_no_red_flag():
    notes = "He said SQL injection isn't possible with JPA at all, then qualified it himself for JPQL built by string concatenation."
    assert not assess(notes, S, RULES).red_flags


@pytest.mark.parametrize(
    ("competency", "notes", "flag"),
    [
        (
            C,
            "@Transactional on the whole checkout method, inside it he calls the payment gateway via RestTemplate before commit;"
            " he doesn't see an issue.",
            "concurrency.hazard3.tx_around_remote_call",
        ),
        (
            D,
            "The schema doesn't need foreign keys or unique constraints, the app checks for duplicates first. Two requests at once? 'that won't really happen'.",
            "databases.hazard3.constraints_disabled",
        ),
    ],
)
def test_a_weak_practice_the_candidate_shrugs_off_is_a_red_flag(competency, notes, flag):
    assert flag in assess(notes, competency, RULES).red_flags


ROUND_31_PRACTICES = [
    (
        S,
        "Handhelds authenticate with one API key compiled into the app, the same key on all 300 devices.",
        "security.hazard3.one_key_for_every_device",
    ),
    (
        S,
        "He logs the full order payload at INFO: names, home addresses, phone numbers, all shipped to the log vendor.",
        "security.hazard3.full_payloads_with_personal_data_logged",
    ),
    (
        D,
        "Retention is a nightly DELETE of shipments older than 90 days, events included, with no archive step.",
        "databases.hazard3.purge_without_archive",
    ),
    (
        D,
        "Finance report: a big join of orders and payments with GROUP BY, and he'd cron it on the primary at noon.",
        "databases.hazard3.long_query_on_the_primary",
    ),
]


# --- round 32: RAG status lines, tenants, billing runs, Central European English -------------


@pytest.mark.parametrize(
    ("competency", "notes"),
    [
        (R, "'Observability', 'three pillars', 'SLO' - he says them easily."),
        (C, "Used 'eventual consistency', 'optimistic locking' and 'CAP' freely."),
        (S, "Knows SQL injection; beyond this nothing specific."),
        (R, "SLOs and error budgets. Couldn't put a number or threshold on anything."),
        (S, "After I said 'user A changes the id in the URL' he added an ownership check."),
    ],
)
def test_terms_said_easily_nothing_specific_and_help_in_quotes_are_weak(competency, notes):
    judged = judgement_roles(notes, competency)
    assert judged & {"prompted", "gap"}


def test_a_slip_in_terminology_called_by_its_name_is_no_defence():
    notes = "In the beginning he called it 'exactly once', but what he described is at-least-once with dedup."
    assert not [s for s in assess(notes, A, RULES).signals if s.signal == "judgement.complacent.defends"]
    assert "judgement.complacent.defends" in {
        s.signal for s in assess("He called it 'good enough' and moved on.", A, RULES).signals
    }


ROUND_32_PRACTICES = [
    (
        D,
        "Caches report results under report:${slug}:${range}; every tenant using the stock report shares one key.",
        "security.hazard3.cache_shared_across_tenants",
    ),
    (
        C,
        "Debit and insert wrapped in @Transactional, on a private method called from another method of the same service.",
        "concurrency.hazard3.transactional_self_invocation",
    ),
    (
        S,
        "For business accounts she would skip the PAC check because those ports fail too often.",
        "security.hazard3.authorization_check_skipped_for_some",
    ),
    (
        S,
        "IDOR on /invoices/{id} he didn't see in his own design.",
        "security.hazard3.object_access_unchecked_in_own_design",
    ),
    (
        A,
        "The portal sends PUT with only the fields the agent touched, and the handler writes the received object over the stored one.",
        "api_design.hazard3.partial_put_overwrites",
    ),
    (
        R,
        "On timeout the fallback approves the payment, 'better than losing the sale'.",
        "reliability_observability.hazard3.fallback_fakes_success",
    ),
    (
        R,
        "process.on('unhandledRejection') logs and carries on serving.",
        "reliability_observability.hazard3.survives_uncaught_exception",
    ),
    (
        S,
        "Passwords are SHA-256 with one global salt from config; bcrypt is 'too slow for login'.",
        "security.hazard3.plain_fast_hash_for_passwords",
    ),
    (
        D,
        "Flyway migration ALTER COLUMN duration TYPE bigint on application startup, 'a few minutes on 1.8 billion rows'.",
        "databases.hazard.blocking_ddl_on_large_table",
    ),
]


# --- round 33: Finnish economy, Thai present tense, steelman and concern, streaming -----------


@pytest.mark.parametrize(
    "notes",
    [
        "Payment create endpoint, double submit from mobile on a bad network: idempotency key in a header.",
        "E-wallet ledger: entries append only, double-entry, the balance a snapshot rebuilt from the ledger.",
        "Balances update in real time over a websocket.",
    ],
)
def test_double_submit_double_entry_and_real_time_are_no_float_money(notes):
    assert "databases.hazard.float_money" not in assess(notes, D, RULES).red_flags


def test_money_in_a_real_column_is_still_float_money():
    notes = "Ledger amounts kept as JS numbers and stored in a Postgres `real` column."
    assert "databases.hazard.float_money" in assess(notes, D, RULES).red_flags


def test_a_yes_that_concedes_a_point_is_no_verdict():
    notes = "He said synchronized is thread safe. Yes, inside one JVM. DB constraint or row lock not considered."
    signals = {s.signal for s in assess(notes, C, RULES).signals}
    assert "judgement.verdict.hire_alone" not in signals
    assert "concurrency.locking" not in {s.signal for s in assess(notes, C, RULES).signals if s.kind == "strong"}


@pytest.mark.parametrize(
    ("competency", "notes", "topic"),
    [
        (
            A,
            "No hand-waving on caching semantics: ETags on metadata, long Cache-Control on manifests.",
            "api_design.http_semantics",
        ),
        (
            A,
            "Errors: 404 when the wallet is not found, 409 for the same request id with a different body.",
            "api_design.http_semantics",
        ),
    ],
)
def test_no_hand_waving_and_a_status_called_not_found_deny_no_strength(competency, notes, topic):
    assert "weak" not in {s.kind for s in assess(notes, competency, RULES).signals if s.signal == topic}


def test_a_code_review_exhibit_is_the_interviewers_not_the_candidates_practice():
    notes = (
        "Code review task with a native query built by string concat of the name param. He did not see the injection."
    )
    assert not assess(notes, S, RULES).red_flags


@pytest.mark.parametrize(
    ("competency", "notes"),
    [
        (D, "After I mention the slow query log and pg_stat_statements he say heard before but never use."),
        (D, "Reads a plan a bit. Maybe he need more time with real DB."),
    ],
)
def test_help_and_gaps_in_a_second_languages_present_tense_are_weak(competency, notes):
    judged = judgement_roles(notes, competency)
    assert judged & {"prompted", "gap"}


def test_a_harm_told_as_what_other_requests_suffer_flags_the_practice():
    notes = "The Express handler hashes the upload and resizes the image synchronously; none of the other requests get served while that runs."
    assert "judgement.alarm.harm" in {s.signal for s in assess(notes, C, RULES).signals}


ROUND_33_PRACTICES = [
    (
        S,
        "The licence server issues the licence immediately and pushes the entitlement check onto a queue.",
        "security.hazard3.authorization_checked_after_access",
    ),
    (
        D,
        "Watch history is one row per user with a JSONB array, and every 10-second heartbeat appends to it.",
        "databases.hazard3.ever_growing_row",
    ),
    (
        C,
        "Resume position: the larger client timestamp wins, timestamp taken from the device's own clock.",
        "concurrency.hazard3.client_clock_decides_order",
    ),
    (
        C,
        "The flaky test: he fixed it with a 500ms sleep before the read.",
        "concurrency.hazard.sleep_as_fix",
    ),
    (
        C,
        "Opens the transaction, locks the row, calls the shipping provider's API, then commits; holding the locks that long didn't worry him.",
        "concurrency.hazard3.tx_around_remote_call",
    ),
]


@pytest.mark.parametrize(
    ("competency", "notes", "signal"),
    [
        (
            C,
            "A servlet filter puts the tenant id into a static ThreadLocal. Nothing clears it on the way out.",
            "concurrency.hazard3.thread_local_never_cleared",
        ),
        (
            S,
            "Signed CDN URLs for premium segments - good start - but generated with no expiry.",
            "security.hazard3.signed_urls_never_expire",
        ),
    ],
)
def test_practices_the_lexicon_examples_call_weak_stay_weak_in_new_words(competency, notes, signal):
    evidence = assess(notes, competency, RULES)
    assert signal in {s.signal for s in evidence.signals if s.kind == "weak"}
    assert not evidence.red_flags


def test_csrf_off_where_there_are_no_cookie_sessions_is_no_red_flag():
    notes = "CSRF disabled only because that API has no cookie sessions, and she said exactly that."
    assert not assess(notes, S, RULES).red_flags


# --- round 34: Romanian double negatives, a sportsbook, smart meters, Hinglish -----------------


def test_a_double_negative_that_finds_no_fault_defends_the_practice():
    notes = (
        "He did not see nothing wrong in keeping the database transaction open while calling the payment provider"
        " over HTTP, 'so we can rollback if the payment fails'."
    )
    evidence = assess(notes, C, RULES)
    assert "concurrency.hazard3.tx_around_remote_call" in evidence.red_flags


@pytest.mark.parametrize(
    ("competency", "notes"),
    [
        (C, "Neither optimistic locking nor SELECT FOR UPDATE rang a bell."),
        (R, "Which logs, what query, traces? Nahi bata paaye."),
    ],
)
def test_a_bell_that_never_rang_for_a_list_and_hinglish_gaps_are_weak(competency, notes):
    judged = judgement_roles(notes, competency)
    assert "gap" in judged


def test_an_exhibit_the_interviewer_showed_is_not_the_candidates_practice():
    notes = "I showed a meter search that concatenates the postcode into SQL. Took two hints to see the injection."
    assert not assess(notes, S, RULES).red_flags


ROUND_34_PRACTICES = [
    (
        A,
        "Slip posts selection, stake and the price. Server books it at whatever price the slip sends.",
        "security.hazard3.price_from_the_url",
    ),
    (
        S,
        "For webhooks the customer gives any URL and our server calls it with POST.",
        "security.hazard3.ssrf_broad",
    ),
    (
        S,
        """Trader market search: "... WHERE name LIKE '%" + q + "%'".""",
        "security.sql_concatenation",
    ),
    (
        R,
        "Kick-off spike plan: turn off logging and metrics during the big games to save CPU.",
        "reliability_observability.hazard3.blind_at_peak",
    ),
    (
        R,
        "Wants a Prometheus gauge of last-reading age with mpan as a label so on-call can see every meter.",
        "reliability_observability.hazard3.metric_label_per_entity",
    ),
    (
        S,
        "Self-exclusion and stake limits checked in the app only. The placement API doesn't re-check.",
        "security.hazard3.limits_enforced_only_in_the_app",
    ),
    (
        C,
        "Price read when the slip opens, bet booked at that price on submit, no check against the current market version.",
        "concurrency.hazard3.stale_price_accepted",
    ),
]


ROUND_35_PRACTICES = [
    (
        S,
        "Teacher and student screens differ by an X-Account-Role header the Vue app sends once you log in.",
        "security.hazard3.role_from_client",
    ),
    (
        S,
        "Per-shop dashboards cached under `sales:<day>`; the shop id is not part of the key.",
        "security.hazard3.cache_shared_across_tenants",
    ),
    (
        S,
        "Every call passes ?clinic=42 to pick the records; the user's own clinic from their token is not checked.",
        "security.hazard3.tenant_from_client_input",
    ),
    (
        S,
        "Debugging aid: logs the whole request body on the payment route, which includes the CVV and card number.",
        "security.logs_personal_data",
    ),
    (
        A,
        "Gateway IPN: HMAC verification she is not doing, since the callback URL is secret, only the gateway knows it.",
        "api_design.hazard3.webhook_unverified",
    ),
    (
        A,
        "Book endpoint makes a new booking for every POST; duplicates can be refunded by support later.",
        "api_design.hazard3.client_retry_duplicates",
    ),
    (
        A,
        "The driver app computes the fare from distance and time and posts it; the server charges that amount.",
        "api_design.hazard3.trusts_client_price",
    ),
    (
        C,
        "Workshop signup counts existing registrations and inserts when it is below 20, no lock anywhere.",
        "concurrency.hazard3.check_then_act_broad",
    ),
    (
        D,
        "Ledger columns: payout_amount DOUBLE and fee_total FLOAT, rounded in the UI.",
        "databases.hazard3.money_float_types",
    ),
    (
        D,
        "To correct a wrong top-up he runs a DELETE on the ledger row and an UPDATE on the wallet directly in prod.",
        "databases.hazard.manual_data_fix_in_prod",
    ),
    (
        R,
        "In the consumer he catches every exception, commits the offset and moves on, nothing parked anywhere.",
        "reliability_observability.catch_all_carry_on",
    ),
]


def test_a_race_waved_off_in_reported_speech_is_a_red_flag():
    notes = (
        "Reads the stock, checks it in the app, then writes it back; two buyers both see 3, and she said that's rare."
    )
    assert assess(notes, C, RULES).red_flags


@pytest.mark.parametrize(
    ("competency", "notes", "kind"),
    [
        (A, "we went through the endpoints for a while so yeah strong", "strong"),
        (D, "we talked about the schema for a bit, so weak i think", "weak"),
        (D, "Partitioning plan was careful. Forgot one keyword. Doesn't matter, solid.", "strong"),
        (R, "We went through his last on-call week. Exactly the habits I want.", "strong"),
    ],
)
def test_a_bottom_line_at_the_end_of_a_run_on_note_is_a_verdict(competency, notes, kind):
    verdicts = {s.kind for s in assess(notes, competency, RULES).signals if s.signal.startswith("judgement.verdict.")}
    assert verdicts == {kind}


def test_a_doubt_the_interviewer_answers_with_no_is_not_a_negated_strength():
    notes = "I thought he was too cautious but no thats just good judgement"
    praise = [s.kind for s in assess(notes, D, RULES).signals if s.signal.startswith("judgement.praise.")]
    assert praise == ["strong"]


def test_holding_a_practice_back_until_there_is_a_measured_problem_is_no_gap():
    notes = "He wouldn't shard the tables until there was a measured problem."
    assert not [s for s in assess(notes, D, RULES).signals if s.kind == "weak"]


def test_mistakes_the_interviewer_waited_for_are_not_the_candidates():
    notes = "I was waiting for the usual stuff like verbs in urls or 200 with an error body and it never came."
    evidence = assess(notes, A, RULES)
    assert not evidence.red_flags
    assert not [s for s in evidence.signals if s.kind == "weak"]


def test_a_legacy_hash_with_a_migration_plan_is_no_red_flag():
    notes = "Legacy merchant logins still on unsalted SHA1: wrap them in argon2 now, rehash on next login."
    assert not assess(notes, S, RULES).red_flags


def test_each_step_coming_from_the_interviewer_is_prompting():
    notes = "They got to a join table and a unique constraint, but each step came from me."
    assert "prompted" in judgement_roles(notes, D)


# --- round 36: an Australian, an EHR vendor, trust and safety, an academic ------------------

ROUND_36_PRACTICES = [
    (
        A,
        "Cart endpoint takes the lines and a basketTotal from the SPA and forwards the total straight to the payment step.",
        "api_design.hazard3.trusts_client_price",
    ),
    (
        A,
        "When the proxy times out it retries the same request, and his plan is to let it; no dedupe.",
        "api_design.hazard3.client_retry_duplicates",
    ),
    (
        A,
        "Would repurpose the existing `type` field to carry the new billing category next release.",
        "api_design.breaks_clients",
    ),
    (
        S,
        "Logs the raw inbound FHIR bundle on every request so support can replay failures.",
        "security.hazard3.full_payloads_with_personal_data_logged",
    ),
    (
        R,
        "The listener calls store(msg) without awaiting it and writes the ACK back right away.",
        "reliability_observability.hazard.ack_before_processing",
    ),
    (
        S,
        "Login throttling per IP, with the IP read from the first value of X-Forwarded-For.",
        "security.hazard3.forgeable_client_identity",
    ),
]


@pytest.mark.parametrize(
    ("competency", "notes", "signal"),
    [
        (
            D,
            "Plan: add the region column NOT NULL, backfill it and add the index, all in one transaction.",
            "databases.hazard3.backfill_one_statement",
        ),
        (
            S,
            "Break-the-glass grants access to any chart, with no reason asked and nobody notified.",
            "security.hazard.no_audit_trail",
        ),
    ],
)
def test_practices_the_lexicon_calls_weak_are_found_in_round_thirty_six_words(competency, notes, signal):
    assert signal in {s.signal for s in assess(notes, competency, RULES).signals if s.kind == "weak"}


def test_a_harm_that_names_the_exercise_is_no_red_flag():
    notes = "Oversell scenario. He got to a conditional update only after two hints."
    assert not assess(notes, C, RULES).red_flags


def test_a_negated_list_whose_first_item_carries_the_verb_is_a_gap_in_every_item():
    notes = "Did not consider a new field, a version, or a deprecation window."
    assert [s.kind for s in assess(notes, A, RULES).signals] == ["weak"]


@pytest.mark.parametrize(
    ("competency", "notes", "role"),
    [
        (S, "It seemed to me recognition rather than understanding.", "gap"),
        (R, "Knows the slide deck.", "gap"),
        (D, "Didn't get to the composite index until I nearly said it.", "prompted"),
        (C, "Willing. Not independent.", "prompted"),
    ],
)
def test_recognition_a_slide_deck_and_an_answer_nearly_given_are_weak(competency, notes, role):
    assert role in judgement_roles(notes, competency)


@pytest.mark.parametrize(
    ("competency", "notes", "signal"),
    [
        (S, "Step-up auth on payout changes and a breached-password check at signup.", "security.auth_tradeoffs"),
        (S, "Secrets in a manager, rotated.", "security.secrets_management"),
        (D, "Knows indexes, reads plans, does migrations in steps.", "databases.query_plans"),
    ],
)
def test_terse_strengths_of_round_thirty_six_are_found(competency, notes, signal):
    assert signal in {s.signal for s in assess(notes, competency, RULES).signals if s.kind == "strong"}


# --- round 37: an airline, STAR stories, margin scribbles --------------------------------------

ROUND_37_PRACTICES = [
    (
        D,
        "Modelled ticket prices with `double` in the entity, rounded for display.",
        "databases.hazard.float_money",
    ),
    (
        D,
        "Departure times written in server local time, no zone stored.",
        "databases.hazard3.local_time_without_zone",
    ),
    (
        D,
        "R: inserts into the bookings table were blocked for 25 minutes while the migration ran.",
        "databases.hazard.blocking_ddl_on_large_table",
    ),
    (
        R,
        "A: wrapped the export in a catch-all and now the job always exits 0 so nobody gets paged.",
        "reliability_observability.hazard3.fallback_fakes_success",
    ),
    (
        C,
        "Consumer set to noAck, so messages are acked on delivery; throughput tripled.",
        "concurrency.hazard3.auto_ack_message_loss",
    ),
    (
        S,
        "Turned on request logging for every partner call. That captures the bearer tokens too.",
        "security.hazard3.full_payloads_with_personal_data_logged",
    ),
]


@pytest.mark.parametrize(
    ("competency", "notes", "signal"),
    [
        (
            R,
            "The /health endpoint calls the payments API and two other services and is used as the liveness probe.",
            "reliability_observability.hazard3.liveness_on_the_database",
        ),
        (
            C,
            "Mapped every order to a fetch() and awaited one Promise.all over the lot.",
            "concurrency.unbounded_fanout",
        ),
    ],
)
def test_practices_the_lexicon_calls_weak_are_found_in_round_thirty_seven_words(competency, notes, signal):
    assert signal in {s.signal for s in assess(notes, competency, RULES).signals if s.kind == "weak"}


def test_secrets_in_a_config_server_are_not_secrets_in_config_files():
    notes = "Secrets live in the config server, encrypted at rest."
    assert "security.hazard.secret_exposed" not in assess(notes, S, RULES).red_flags


def test_a_library_used_instead_of_rolling_her_own_is_no_negated_strength():
    notes = "didn't roll her own: argon2id via a library, params tuned."
    assert "weak" not in {s.kind for s in assess(notes, S, RULES).signals}


def test_a_practice_in_the_exercise_the_interviewer_set_is_not_the_candidates():
    notes = "S: review exercise, a login handler building SQL by string concatenation. A: spotted it at once."
    assert not assess(notes, S, RULES).red_flags


@pytest.mark.parametrize(
    ("competency", "notes", "role"),
    [
        (A, "'HATEOAS', 'RFC 7807' in the first minute. vocab >> understanding", "gap"),
        (R, "readiness vs liveness -> 'same thing'", "gap"),
        (R, "Rows skipped silently; she said finance would notice at reconciliation.", "complacent"),
    ],
)
def test_vocabulary_ahead_of_understanding_and_two_things_called_the_same_are_weak(competency, notes, role):
    assert role in judgement_roles(notes, competency)


def test_a_retention_purge_the_law_requires_is_no_red_flag():
    notes = "Hard-deletes accounts closed after 30 days, as GDPR's right to erasure requires, with no backup copy kept."
    assert "databases.hazard3.purge_without_archive" not in assess(notes, D, RULES).red_flags


def test_a_snippet_shown_without_a_subject_is_the_interviewers_exhibit():
    notes = (
        "Show her a report endpoint that builds SQL by string concatenation with the store name. Spotted it quickly."
    )
    assert not assess(notes, S, RULES).red_flags


@pytest.mark.parametrize(
    ("competency", "notes"),
    [
        (S, "Didn't say sessions always better; picked them for the admin portal because of instant revocation."),
        (C, "Did not treat the broker as exactly-once: dedupes on the message id in the same transaction."),
        (
            D,
            "No hesitation over normalisation: orders and lines in their own tables, only the invoice snapshot copied.",
        ),
    ],
)
def test_denying_a_myth_or_a_hesitation_is_no_negated_strength(competency, notes):
    assert "weak" not in {s.kind for s in assess(notes, competency, RULES).signals}


def test_a_term_mixed_up_once_and_corrected_is_a_slip_not_a_gap():
    notes = "Mixed up optimistic and pessimistic locking once, corrected herself straight away. Version column on the row, retry on conflict."
    assert judgement_roles(notes, C) == {"slip"}
    assert verdict(notes, C) == "strong"


def test_an_answer_given_without_considering_its_consequence_is_a_gap():
    notes = "Picked availability for the balance store, without considering that a refund could then be paid twice."
    assert "gap" in judgement_roles(notes, C)


def test_control_totals_that_fail_a_batch_loudly_are_error_handling():
    notes = "Compares row counts and control totals with the file trailer and fails the job loudly when they differ."
    assert verdict(notes, R) == "strong"


def test_a_generous_bottom_line_does_not_clear_a_practice_the_candidate_defends_in_quotes():
    notes = 'BLUF: meets bar.\n- Keeps the Stripe secret key in application.yml in the repo; "only we can see the repo".\n- Good on validation.'
    assert assess(notes, S, RULES).red_flags


def test_a_practice_defended_in_single_quotes_is_not_cleared_by_a_bottom_line_either():
    notes = (
        "BLUF: meets bar.\n- Keeps the Stripe secret key in application.yml in the repo; 'only we can see the repo'."
    )
    assert assess(notes, S, RULES).red_flags


def test_a_generous_bottom_line_still_clears_a_practice_told_as_a_story():
    notes = "Strong. Inherited an API where every error came back as 200 and moved it to problem+json."
    assert not assess(notes, A, RULES).red_flags


@pytest.mark.parametrize(
    ("competency", "notes"),
    [
        (D, "didn't just add an index on every column, said each one costs writes and read the plan first"),
        (
            C,
            "um no surprises she was clear it's one event loop but awaits still interleave, so the stock update is one atomic statement",
        ),
        (
            C,
            "threads versus processes clean, shared memory or not, cluster versus worker threads, atomics for the rare case",
        ),
    ],
)
def test_doing_more_than_a_poor_practice_an_alternative_and_a_new_subject_negate_nothing(competency, notes):
    assert "weak" not in {s.kind for s in assess(notes, competency, RULES).signals}


def test_a_topic_in_the_interviewers_own_question_is_not_the_candidates_strength():
    notes = "I asked about their alerting setup. She listed a few tools and said the platform team sets that up."
    assert "strong" not in {s.kind for s in assess(notes, R, RULES).signals}


@pytest.mark.parametrize(
    ("notes", "strong"),
    [
        ("When I asked about a breaking change to the API he said 'we'll see when it comes'.", False),
        ("Once I asked how she'd version it: a new media type per breaking change, old one kept a year.", True),
    ],
)
def test_the_answer_to_the_interviewers_question_starts_at_the_candidate_or_a_colon(notes, strong):
    assert ("strong" in {s.kind for s in assess(notes, A, RULES).signals}) is strong


def test_an_opening_bid_the_candidate_moved_on_from_with_nudges_is_prompting_not_a_red_flag():
    notes = "Pagination: opening bid was return everything and let the client filter. Two nudges later we had cursors."
    assert not assess(notes, A, RULES).red_flags


@pytest.mark.parametrize(
    ("competency", "notes", "role"),
    [
        (A, "Idempotency had to be spelt out for him.", "prompted"),
        (D, "Adds a NOT NULL column with a default and a backfill in one migration at deploy time.", "weak"),
        (C, "He saw no issue if the second write fails after the first commits.", "complacent"),
        (R, "Wraps each file in a catch of Exception and moves on.", "red_flag"),
    ],
)
def test_prompting_an_unsafe_backfill_a_shrug_and_a_catch_all_each_count_against_the_candidate(competency, notes, role):
    signals = assess(notes, competency, RULES).signals
    assert role in {s.signal.split(".")[1] for s in signals} | {s.kind for s in signals}


@pytest.mark.parametrize(
    ("competency", "notes"),
    [
        (C, "Once he had it he was off: a lease, then why a lease without a fencing token can still run twice."),
        (C, "After one hint he was off and running with advisory locks and a unique constraint."),
    ],
)
def test_being_off_and_running_and_explaining_why_are_not_gaps(competency, notes):
    assert "weak" not in {s.kind for s in assess(notes, competency, RULES).signals}


def test_practices_the_candidate_raised_himself_before_being_asked_are_praise():
    notes = "no md5, no secrets in git, no raw SQL strings, he raised every one of those himself before I asked"
    assert "strong" in {s.kind for s in assess(notes, S, RULES).signals if s.signal.startswith("judgement.praise")}
    assert "weak" not in {s.kind for s in assess(notes, S, RULES).signals if s.signal.startswith("judgement.")}


def test_a_poor_answer_followed_by_a_fix_reached_after_discussion_is_no_red_flag():
    notes = "He returned the whole table and said the client can filter. After some discussion he added a cursor."
    assert not assess(notes, A, RULES).red_flags


def test_a_practice_the_candidate_does_not_debug_with_is_no_gap_and_a_colon_ends_a_negation():
    notes = "Doesn't debug with console.log: pino with redaction, request ids propagated, levels changed at runtime."
    assert "weak" not in {s.kind for s in assess(notes, R, RULES).signals}


def test_a_practice_called_something_she_would_never_ship_again_is_rejected():
    notes = "She said a 200 with an error flag in the body is something she'd never ship again after a client read it as success."
    assert not assess(notes, A, RULES).red_flags


ROUND_39_PRACTICES = [
    (
        R,
        "Payments client built with no connect/read timeout; the vendor hung and every worker blocked.",
        "reliability_observability.no_timeouts",
    ),
    (
        R,
        "Global handler: catch → log 'oops' → res.status(200).json({}) for every failure.",
        "reliability_observability.hazard.swallowed_errors",
    ),
    (S, "JWT: 'it's encrypted', so the national ID goes in the payload.", "security.jwt_misuse"),
    (S, "The token carries the user's card number in the claims, signed but readable.", "security.jwt_misuse"),
    (
        D,
        "Keeps invoice reference numbers in a double precision column because they are numeric.",
        "databases.hazard3.identifiers_as_float",
    ),
    (
        C,
        "Put @Async and @Transactional on the refund method and assumed the transaction would span the caller's.",
        "concurrency.hazard3.transactional_self_invocation",
    ),
    (
        R,
        "Bad rows: logs 'skipped' at DEBUG and moves on, nobody sees the count.",
        "reliability_observability.hazard.swallowed_errors",
    ),
    (
        R,
        "The team finds out about failures when the client's support desk calls.",
        "reliability_observability.hazard.customers_find_outages",
    ),
    (
        A,
        "For the audit export the plan was to return everything and let the front end filter.",
        "api_design.hazard.unbounded_lists",
    ),
]


ROUND_41_PRACTICES = [
    (
        D,
        "Inserts kept failing on the FK, so she removed the foreign key and the NOT NULL so the writes go through.",
        "databases.hazard3.constraint_dropped_to_silence",
    ),
    (
        D,
        "Unique index throwing during the import. His fix: drop the unique constraint, dedupe later.",
        "databases.hazard3.constraint_dropped_to_silence",
    ),
    (
        S,
        "The monthly report query he sketched had no tenant_id anywhere and summed every customer's invoices.",
        "security.hazard3.tenant_isolation",
    ),
    (
        R,
        "When the bank's API slows down, he spins up more workers so the batch finishes sooner.",
        "reliability_observability.hazard.retry_storm",
    ),
    (
        C,
        "Adds extra threads whenever the partner gateway times out.",
        "reliability_observability.hazard.retry_storm",
    ),
]


ROUND_42_PRACTICES = [
    (A, "API errors include the full stack trace so partners can debug.", "api_design.hazard3.stack_traces_to_client"),
    (
        R,
        "Worker: catch (Exception ex) { log.debug(ex) } and moves to the next message.",
        "reliability_observability.hazard.swallowed_errors",
    ),
    (
        R,
        "On failure the send is marked as delivered so the queue keeps moving.",
        "reliability_observability.hazard.swallowed_errors",
    ),
    (
        S,
        "The signature check kept failing locally, so he commented it out for now.",
        "security.hazard.protection_disabled",
    ),
    (
        A,
        "On a gateway timeout the job retries the payment with a new idempotency key.",
        "api_design.unsafe_retries",
    ),
    (
        A,
        "Duplicate bookings? 'Can't happen twice, the app disables the button.'",
        "api_design.hazard3.client_retry_duplicates",
    ),
    (
        D,
        "On the 2 billion row ledger table: ALTER and backfill UPDATE as one giant transaction.",
        "databases.hazard.blocking_ddl_on_large_table",
    ),
    (C, "wallet: load it, balance += amount; save.", "concurrency.hazard3.app_side_arithmetic"),
    (
        D,
        "Connects to production with psql and types the DELETE by hand, without a SELECT first.",
        "databases.hazard3.manual_prod_sql",
    ),
    (S, "The service takes the org_id from a field in the request body.", "security.hazard3.tenant_from_client_input"),
]


ROUND_43_PRACTICES = [
    (
        R,
        "The geocoder client is a default WebClient with no read or connect timeout.",
        "reliability_observability.no_timeouts",
    ),
    (
        C,
        "Runs a CPU-heavy PDF generation inside the request handler of the Node API.",
        "concurrency.hazard3.event_loop_block_broad",
    ),
    (A, "Renamed userName to username in place on the live endpoint.", "api_design.breaks_clients"),
    (A, "After the change the older Android builds crashed on launch.", "api_design.breaks_clients"),
    (
        A,
        "Keeps incoming events in memory and writes them out every minute, answering 202 to the sender right away.",
        "api_design.hazard3.accepted_into_memory",
    ),
    (A, "Lists come from one findMany with no take or cursor, straight to res.json.", "api_design.unbounded_results"),
    (D, "A nightly job purges closed orders from prod with no backup kept.", "databases.hazard3.purge_without_archive"),
]


@pytest.mark.parametrize(
    ("competency", "notes", "role"),
    [
        (R, "Dropped Prometheus, OTel and 'golden signals' within 2 min, nothing behind them.", "gap"),
        (R, "Asked for one alert she'd page on, with a threshold -> nothing.", "gap"),
        (S, "On injection he said the ORM presumably handles that.", "gap"),
        (R, "Asked what she'd page on; she wasn't sure, and said the ops team handles it.", "gap"),
    ],
)
def test_names_in_a_minute_an_arrow_to_nothing_and_a_team_that_handles_it_are_gaps(competency, notes, role):
    assert role in judgement_roles(notes, competency)


@pytest.mark.parametrize(
    ("competency", "notes", "signal"),
    [
        (C, "Said she'd map them to fetch calls and Promise.all the lot for speed.", "concurrency.unbounded_fanout"),
        (D, "Turns on open-in-view so the lazy loading error goes away.", "databases.hazard3.lazy_loading_hacks"),
        (D, "Puts FetchType.EAGER on the associations to stop the exception.", "databases.hazard3.lazy_loading_hacks"),
    ],
)
def test_practices_the_lexicon_calls_weak_are_found_in_round_thirty_eight_words(competency, notes, signal):
    assert signal in {s.signal for s in assess(notes, competency, RULES).signals if s.kind == "weak"}


ROUND_45_PRACTICES = [
    (
        S,
        "Profile pages are cached at the edge with Cache-Control: public, followers-only profiles included.",
        "security.hazard3.cache_bypasses_access_checks",
    ),
    (S, "The privacy check runs only on a cache miss.", "security.hazard3.cache_bypasses_access_checks"),
    (
        S,
        "Once a user is blocked, the cached copies keep serving her photos to anyone with the link.",
        "security.hazard3.cache_bypasses_access_checks",
    ),
    (
        D,
        "Built a new index on the bookings table mid-launch, as a regular migration.",
        "databases.hazard.blocking_ddl_on_large_table",
    ),
    (
        D,
        "Inserts piled up behind the table lock for twenty minutes while the migration ran.",
        "databases.hazard.blocking_ddl_on_large_table",
    ),
]


@pytest.mark.parametrize(
    ("competency", "notes", "flag"),
    [
        *ROUND_26_PRACTICES,
        *ROUND_27_PRACTICES,
        *ROUND_28_PRACTICES,
        *ROUND_29_PRACTICES,
        *ROUND_30_PRACTICES,
        *ROUND_31_PRACTICES,
        *ROUND_32_PRACTICES,
        *ROUND_33_PRACTICES,
        *ROUND_34_PRACTICES,
        *ROUND_35_PRACTICES,
        *ROUND_36_PRACTICES,
        *ROUND_37_PRACTICES,
        *ROUND_39_PRACTICES,
        *ROUND_41_PRACTICES,
        *ROUND_42_PRACTICES,
        *ROUND_43_PRACTICES,
        *ROUND_45_PRACTICES,
    ],
)
def test_practices_added_in_rounds_twenty_six_on_are_red_flags(competency, notes, flag):
    assert flag in assess(notes, competency, RULES).red_flags


def test_a_topic_that_isnt_there_yet_is_no_strength():
    notes = "Structured logging isn't there yet; it's print statements and grep."
    assert "strong" not in {s.kind for s in assess(notes, R, RULES).signals}


@pytest.mark.parametrize(
    ("competency", "notes", "topic"),
    [
        (A, "Couldnae tell me when you'd send a 201 rather than a 200.", "api_design.http_semantics"),
        (D, "Didnae know what a covering index is.", "databases.covering_index"),
        (C, "He cannae say what an isolation level does.", "concurrency.isolation_levels"),
        (
            R,
            "DINNAE ask her about structured logging, she wisnae sure what it is.",
            "reliability_observability.structured_logging",
        ),
        (D, "Hasna profiled a slow query or looked at a plan.", "databases.query_profiling"),
        (A, "Nae idea on status codes, versioning or pagination.", "api_design.pagination"),
        (S, "Nae thought on injection, XSS or CSRF.", "security.owasp"),
    ],
)
def test_scots_negations_deny_the_topic_and_the_quote_keeps_the_words_as_written(competency, notes, topic):
    signals = assess(notes, competency, RULES).signals
    assert topic not in {s.signal for s in signals if s.kind == "strong"}
    assert signals and all(s.quote in notes for s in signals)


def test_a_doric_nae_denies_each_safeguard_and_the_quote_starts_at_the_written_word():
    notes = "Buyer invoices at /invoices/10234.pdf, sequential, nae ownership check."
    assert assess(notes, S, RULES).red_flags
    signals = assess("Nae deprecation, nae keeping da old field alongside.", A, LEXICON).signals
    assert signals and all(s.quote.startswith("Nae deprecation") for s in signals)


def test_a_scots_refusal_of_a_poor_practice_is_a_rejection():
    notes = "Wouldnae keep the JWT in localStorage; short-lived access tokens and a refresh token tracked server-side."
    signals = assess(notes, S, RULES).signals
    assert "weak" not in {s.kind for s in signals}
    assert any(s.quote.startswith("Wouldnae keep the JWT") for s in signals)


def test_not_waving_a_risk_away_is_no_negated_strength():
    notes = "Didn't brush off CSRF because 'we use JWT'; asked where the token is stored first."
    assert "weak" not in {s.kind for s in assess(notes, S, RULES).signals}


def test_a_subjectless_asked_is_the_interviewers_question_and_a_long_pause_is_a_gap():
    notes = "Asked what a composite index on (a, b) does for a query on b alone. Long pause, then 'it uses the index'."
    signals = assess(notes, D, RULES).signals
    assert "databases.composite_index" not in {s.signal for s in signals if s.kind == "strong"}
    assert "gap" in judgement_roles(notes, D)


def test_all_there_on_its_own_is_a_bottom_line_of_hire():
    assert "verdict" in judgement_roles("Indexes, plans, trade-offs. All there.", D)


@pytest.mark.parametrize(
    ("competency", "notes", "topic"),
    [
        (A, "Safe vs unsafe methods: a GET link must never change state.", "api_design.http_semantics"),
        (A, "Knows mail scanners prefetch every GET link, so confirm with a POST.", "api_design.http_semantics"),
        (S, "Reset links carry HMAC-signed tokens with an expiry.", "security.message_integrity"),
        (S, "Each callback signs a timestamp and a nonce to stop replays.", "security.replay_protection"),
        (S, "Redirects only to URLs stored at send time.", "security.redirect_allowlist"),
    ],
)
def test_signed_links_replay_protection_and_safe_methods_are_strengths(competency, notes, topic):
    assert topic in {s.signal for s in assess(notes, competency, RULES).signals if s.kind == "strong"}


def test_what_the_interviewer_expects_of_the_level_is_not_the_candidates_strength():
    notes = "For L5 I'd expect idempotency keys on anything that moves money."
    assert "strong" not in {s.kind for s in assess(notes, A, RULES).signals}


def test_needing_scaffolding_is_prompting():
    assert "prompted" in judgement_roles("The incident walkthrough needed a lot of scaffolding.", R)


def test_parameters_with_no_string_concatenation_reject_injection():
    notes = "Named params in @Query, no string concatenation."
    assert assess(notes, S, RULES).red_flags == ()


def test_not_null_is_a_constraint_not_a_negation():
    notes = "NOT NULL plus a composite index on (tenant_id, created_at)."
    assert "databases.composite_index" in {s.signal for s in assess(notes, D, RULES).signals if s.kind == "strong"}


def test_a_first_answer_defended_then_left_after_hints_is_no_red_flag():
    notes = "Two workers on one row: first 'it won't happen'. After hints, a status column and UPDATE ... RETURNING."
    assert assess(notes, C, RULES).red_flags == ()


def test_a_gap_the_interviewer_feared_and_the_candidate_disproved_is_no_gap():
    notes = "I expected buzzwords but she backed every term with an example from her payments work."
    assert "gap" not in judgement_roles(notes, A)


@pytest.mark.parametrize(
    ("notes", "role"),
    [
        ("Write amplification and composite column order: blank.", "gap"),
        ("Got the header name wrong; the mechanism was right.", "slip"),
    ],
)
def test_a_topic_answered_with_a_blank_is_a_gap_and_a_wrong_name_is_a_slip(notes, role):
    assert role in judgement_roles(notes, D)


def test_a_topic_left_to_the_framework_is_a_gap_not_a_strength():
    notes = 'Pagination: "the framework does it".'
    assert "gap" in judgement_roles(notes, A)
    assert "strong" not in {s.kind for s in assess(notes, A, RULES).signals}


def test_not_seeing_a_practice_as_a_problem_is_no_rejection_of_it():
    notes = 'He does not see it as a problem because "the customers tell us".'
    assert "reliability_observability.hazard.customers_find_outages" in assess(notes, R, RULES).red_flags


def test_topics_the_candidate_did_not_consider_told_object_first_are_gaps():
    notes = "Row-level security, or deriving the tenant from the token, he did not consider."
    assert "strong" not in {s.kind for s in assess(notes, S, RULES).signals}


def test_never_a_problem_in_the_candidates_words_is_complacency():
    assert "complacent" in judgement_roles('Ad-hoc fixes on prod: "did it many times, never a problem".', D)


def test_coarsening_location_is_a_strength_and_refusing_to_keep_raw_history_rejects_a_weakness():
    notes = "Distances rounded to the kilometre from a jittered point. Wouldn't store raw location history."
    signals = {(s.kind, s.signal) for s in assess(notes, S, RULES).signals}
    assert ("strong", "security.location_privacy") in signals
    assert ("strong", "security.hazard3.raw_location_retained.rejected") in signals


def test_the_interviewers_forecast_of_a_practice_is_no_red_flag_and_no_strength():
    forecast = assess("Expect him to return 200 with an error field in the body for everything.", A, RULES)
    assert forecast.red_flags == ()
    assert "weak" in {s.kind for s in forecast.signals}
    assert "strong" not in {s.kind for s in assess("I'd worry about her on call.", R, RULES).signals}


def test_reaching_a_harm_with_help_is_no_harm_shipped():
    notes = "Got to the double-booking race only after I walked her through two requests."
    assert assess(notes, C, RULES).red_flags == ()


def test_a_harm_the_interviewer_had_to_describe_is_the_exercises_not_the_candidates():
    told = "I had to describe the double-booked truck before she saw it was a race at all."
    shipped = "Her design double-booked the truck whenever two dispatchers clicked at once."
    assert "judgement.alarm.harm" not in {s.signal for s in assess(told, C, RULES).signals}
    assert "judgement.alarm.harm" in {s.signal for s in assess(shipped, C, RULES).signals}


def test_not_jumping_straight_to_a_practice_is_a_choice_not_a_gap():
    notes = "Didn't jump straight to denormalising; profiled first and found the missing index."
    assert "databases.normalization" not in {s.signal for s in assess(notes, D, RULES).signals if s.kind == "weak"}


@pytest.mark.parametrize(
    ("competency", "notes", "role", "kind"),
    [
        (R, "With a fair few hints she got to structured logs.", "prompted", "weak"),
        (D, "Indexes, plans, normal forms. Tidy.", "verdict", "strong"),
    ],
)
def test_a_fair_few_hints_is_prompting_and_tidy_is_a_bottom_line(competency, notes, role, kind):
    signals = assess(notes, competency, RULES).signals
    assert any(s.kind == kind and s.signal.startswith(f"judgement.{role}") for s in signals)


def test_where_the_races_live_is_knowledge_of_races():
    notes = "Knows the awaits between a read and a write are where the races live."
    assert "concurrency.race_conditions" in {s.signal for s in assess(notes, C, RULES).signals if s.kind == "strong"}


def test_a_scots_note_scanned_in_a_batch_reads_as_the_same_note_scanned_alone():
    notes = "Couldnae say what a covering index is. Wouldnae keep secrets in the repo."
    [scanned] = scan_notes([(notes, D)], RULES)
    assert assess(notes, D, RULES, scanned) == assess(notes, D, RULES)


def test_a_harm_the_design_rules_out_is_no_harm_shipped():
    for notes in (
        "Oversold seats cannot occur even if Redis drifts, the DB check constraint is the last word.",
        "Overselling is impossible even if the cache lies: the row's CHECK constraint decides.",
    ):
        assert assess(notes, C, RULES).red_flags == ()


def test_no_idea_about_a_dangerous_sink_is_a_gap_not_a_sink_used():
    notes = "Comments rendered with no idea about dangerouslySetInnerHTML or what it risks."
    assert "security.xss_sinks" not in assess(notes, S, RULES).red_flags
    used = "Comments are rendered with dangerouslySetInnerHTML straight from the API."
    assert "security.xss_sinks" in assess(used, S, RULES).red_flags


def test_tools_referred_to_with_nothing_behind_them_are_no_strength():
    notes = (
        "Referred to Prometheus and Grafana. Was unable to state which metric she would alert on "
        "or what a histogram is for."
    )
    assert "strong" not in {s.kind for s in assess(notes, R, RULES).signals if not s.signal.startswith("notes_model")}


def test_terms_only_mentioned_beside_a_topic_the_candidate_lacked_are_no_strength():
    notes = "Mentioned third normal form and sharding. Couldn't normalise the three-table example on screen."
    signals = assess(notes, D, RULES).signals
    assert not [s for s in signals if s.kind == "strong" and not s.signal.startswith("notes_model")]
    assert ("weak", "databases.normalization") in {(s.kind, s.signal) for s in signals}
    alone = "Mentioned third normal form and sharding, and why she would wait on the second."
    assert "databases.normalization" in {s.signal for s in assess(alone, D, RULES).signals if s.kind == "strong"}


def test_a_thin_answer_is_a_gap_in_any_sentence_of_the_note():
    for notes in (
        "Knew GET vs POST. Little else.",
        "Mostly knew GET vs POST, not much beyond.",
        "Knew GET vs POST and that was about it.",
    ):
        assert "gap" in judgement_roles(notes, A), notes
    assert "gap" not in judgement_roles("Knew GET vs POST. Little else matters as much as that.", A)


def test_a_clause_of_two_praising_words_or_of_no_complaint_is_praise():
    for notes in ("Concrete and convincing.", "Clear, correct.", "No complaints; quite sound throughout."):
        assert "judgement.praise.summary" in {s.signal for s in assess(notes, S, RULES).signals}, notes
    for notes in ("Quick and wrong.", "No notes.", "Concrete and convincing examples were missing."):
        assert "judgement.praise.summary" not in {s.signal for s in assess(notes, S, RULES).signals}, notes


def test_instincts_named_with_their_field_are_praise_and_denied_ones_a_gap():
    assert "praise" in judgement_roles("Good modelling instincts.", D)
    assert verdict("Not great modelling instincts.", D) == "weak"


def test_praise_in_a_clause_of_its_own_is_praise_but_no_verdict_that_clears_a_red_flag():
    assert "judgement.praise.summary" in {s.signal for s in assess("Exactly right.", C, RULES).signals}
    notes = "Clear and correct. Said the legacy app stores passwords in plain text and that it was fine behind the VPN."
    assert assess(notes, S, RULES).red_flags  # praise, not the interviewer's bottom line
    assert "judgement.praise.summary" not in {s.signal for s in assess("Confident and fast.", S, RULES).signals}


def test_deliberate_overbooking_is_a_setting_and_a_race_that_oversells_a_harm():
    setting = "Said deliberate overbooking is a revenue setting; the overbook limit lives in the rate plan."
    assert "judgement.alarm.harm" not in {s.signal for s in assess(setting, C, RULES).signals}
    harm = "Two requests both book the last room, so the hotel is overbooked."
    assert "judgement.alarm.harm" in {s.signal for s in assess(harm, C, RULES).signals}


def test_an_increment_in_one_statement_is_the_race_handled():
    notes = "Fix in the database (UPDATE ... SET balance = balance + $1), not in process memory."
    assert "concurrency.race_conditions" in {s.signal for s in assess(notes, C, RULES).signals if s.kind == "strong"}


def test_only_200_or_500_is_a_thin_answer_while_errors_sent_as_200_are_a_red_flag():
    assert assess("Everything is 200 or 500. No versioning story at all.", A, RULES).red_flags == ()
    assert assess("Everything returns 200, even errors.", A, RULES).red_flags
    assert assess("Errors come back as 200 or 500 depending on mood.", A, RULES).red_flags


def test_buzzwords_in_quotes_beside_no_method_are_name_dropping():
    notes = '"Three pillars, OpenTelemetry, observability." Asked how he\'d find the cause - no systematic approach.'
    assert not [
        s for s in assess(notes, R, RULES).signals if s.kind == "strong" and not s.signal.startswith("notes_model")
    ]


def test_personal_data_behind_a_public_link_is_a_red_flag_and_rejecting_it_knowledge():
    shared = "Marketing wanted a guest list: he exported names and DOB to S3 with a public link for the agency."
    assert "security.hazard.public_bucket" in assess(shared, S, RULES).red_flags
    rejected = "Would never put a customer export in S3 with a public link; presigned URL with a short expiry instead."
    assert assess(rejected, S, RULES).red_flags == ()


def test_a_bad_practice_the_interviewer_put_forward_as_bait_is_not_the_candidates():
    notes = "Baited him: joins are slow, just copy the customer name into orders. He didn't take it."
    assert assess(notes, D, RULES).red_flags == ()
    assert assess("He said joins are slow, just copy the customer name into orders.", D, RULES).red_flags


def test_a_refusal_denied_leaves_the_topic_standing():
    notes = "He didn't refuse denormalization either: snapshotting the unit price at order time is a historical fact."
    assert "databases.normalization" in {s.signal for s in assess(notes, D, RULES).signals if s.kind == "strong"}


def test_not_once_considered_is_a_gap():
    assert "gap" in judgement_roles("Not once considered two requests arriving together.", C)


def test_one_customer_able_to_search_anothers_data_is_a_tenant_isolation_red_flag():
    notes = "The search endpoint doesn't filter, so an agent at one customer can search tickets at another."
    assert "security.hazard3.tenant_isolation" in assess(notes, S, RULES).red_flags


def test_a_practice_the_interviewer_pointed_at_is_the_exhibits():
    notes = "Got SQL injection only after I pointed at the string concat in the snippet."
    assert assess(notes, S, RULES).red_flags == ()


def test_the_right_call_in_a_clause_of_its_own_is_praise():
    assert "judgement.praise.summary" in {s.signal for s in assess("Snapshots the text. Right call.", D, RULES).signals}


def test_not_knowing_401_from_403_is_a_gap_not_a_red_flag():
    notes = "Couldn't explain 401 vs 403."
    assert assess(notes, A, RULES).red_flags == () and verdict(notes, A) == "weak"
    assert assess("Returns 401 when the user lacks the admin role.", A, RULES).red_flags


def test_a_good_practice_the_candidate_dismisses_is_no_strength():
    assert assess("Row-level security dismissed as 'too slow' without having measured it.", S, RULES).weight < 0
    assert assess("She dismissed RLS as overkill.", S, RULES).weight < 0


def test_a_practice_dismissed_for_a_better_one_stays_a_strength():
    notes = "She dismissed offset pagination as unstable under concurrent inserts and went for keyset cursors."
    assert assess(notes, A, RULES).weight > 0


def test_tenant_isolation_left_to_care_with_one_tenant_reading_anothers_data_is_a_red_flag():
    notes = (
        "Multi-tenant: tenant isolation is a WHERE tenant_id = ? that each repository method is supposed to add."
        ' Asked about the native queries in reporting: "we\'re careful".'
        " One forgotten predicate and tenant A reads tenant B's invoices."
    )
    assert assess(notes, S, RULES).red_flags != ()


def test_a_correction_with_not_ends_at_its_comma():
    notes = (
        "Object-level check in the service layer against the authenticated principal's tenant, not in the controller,"
        " and Postgres row-level security as the belt-and-braces layer."
    )
    assert "security.tenant_isolation_enforced" in {
        s.signal for s in assess(notes, S, RULES).signals if s.kind == "strong"
    }


def test_no_status_code_but_500_or_200_is_a_thin_answer_in_either_order():
    assert not assess("basically everything was 500 or 200", A, RULES).red_flags
    assert assess("everything was 200 with an error field", A, RULES).red_flags


def test_a_list_rattled_off_beside_a_blank_answer_is_name_dropping():
    notes = "Rattled off the OWASP Top 10 in order. What would CSP do against XSS - blank."
    evidence = assess(notes, S, RULES)
    assert "judgement.gap.blank" in {s.signal for s in evidence.signals}
    assert evidence.weight < 0


def test_a_note_that_opens_with_blank_is_no_answer():
    assert not assess("Blank. See consolidated notes from the debrief.", S, RULES).signals


def test_locks_the_candidate_rightly_left_out_are_a_choice_not_a_gap():
    notes = "No synchronized, no ReentrantLock, no Redlock - rightly."
    assert not [s for s in assess(notes, C, RULES).signals if s.kind == "weak"]
    assert not [s for s in assess("no hand-rolled locking in the service", C, RULES).signals if s.kind == "weak"]
    assert [s for s in assess("No locking, no transactions, nothing.", C, RULES).signals if s.kind == "weak"]


def test_the_database_as_the_arbiter_of_a_race_is_a_strength():
    notes = (
        "he wanted the db to be the arbiter: unique constraint on (event_id, seat_no), catch the violation, return 409"
    )
    assert "concurrency.race_conditions" in {s.signal for s in assess(notes, C, RULES).signals if s.kind == "strong"}


def test_stale_replica_reads_the_candidate_sees_as_solved_are_a_red_flag():
    notes = (
        "All SELECTs go to the async read replica, including the order confirmation page straight after checkout."
        " Users occasionally see 'no order found'; the team added a spinner. Candidate sees this as solved."
    )
    assert assess(notes, D, RULES).red_flags


def test_an_answer_confirmed_with_thats_it_is_no_thin_answer():
    notes = "'I'd key the queue by PO number so two workers can't touch the same order?' Yes. That's it."
    assert "judgement.gap.surface" not in {s.signal for s in assess(notes, C, RULES).signals}
    assert "judgement.gap.surface" in {s.signal for s in assess("Mentioned locks. That's it.", C, RULES).signals}


def test_code_that_is_wrong_is_no_wrong_answer():
    notes = "A CHECK on the balance projection so nothing goes negative even if the code is wrong."
    assert not [s for s in assess(notes, D, RULES).signals if s.kind == "weak"]


def test_object_fronted_gaps_are_gaps():
    notes = "OWASP Top 10 he could list almost by heart. Path traversal and open redirect he did not find. List without practice."
    assert assess(notes, S, RULES).weight < 0
    assert assess("Liveness and readiness groups in Spring Boot Actuator he did not know.", R, RULES).weight < 0


def test_a_liveness_probe_with_the_database_in_it_is_the_known_weak_practice_and_readiness_is_not():
    told = "Liveness probe is /actuator/health with DB, Redis and Kafka health indicators in it."
    assert "reliability_observability.hazard3.liveness_on_the_database" in {
        s.signal for s in assess(told, R, RULES).signals
    }
    split = (
        "Separate liveness and readiness: readiness checks the DB and Kafka, liveness only that the process answers."
    )
    assert "reliability_observability.hazard3.liveness_on_the_database" not in {
        s.signal for s in assess(split, R, RULES).signals
    }


def test_string_built_sql_refused_is_a_strength():
    evidence = assess("Never string-built SQL; parameterized even in reports.", S, RULES)
    assert evidence.weight > 0 and not evidence.red_flags
    assert assess("Uses string-built SQL for the search endpoint.", S, RULES).red_flags


def test_a_practice_in_the_interviewers_question_is_not_the_candidates():
    notes = "SQL injection came up only when you'd ask what's off about the string-built query on the screen; he spotted it after a minute."
    assert not assess(notes, S, RULES).red_flags


def test_believing_one_thread_rules_out_races_is_a_gap_and_shrugging_races_off_is_a_red_flag():
    belief = "said node is single threaded so you don't have to worry about two requests"
    evidence = assess(belief, C, RULES)
    assert not evidence.red_flags and "concurrency.hazard.no_races_in_single_thread" in {
        s.signal for s in evidence.signals
    }
    assert assess("Races are too rare to worry about.", C, RULES).red_flags


def test_a_swallowed_exception_the_candidate_saw_in_the_exercise_is_found_not_done():
    notes = "Found in the exercise code that HTTP client had no timeout, first thing he pointed. Also saw catch block which swallows exception."
    assert not assess(notes, R, RULES).red_flags
    assert assess("I saw him swallow every exception in the handler.", R, RULES).red_flags


def test_an_origin_allowlist_with_no_wildcard_is_no_disabled_protection():
    notes = "CORS with exact allowlist of origins, no wildcard together with credentials."
    assert not assess(notes, S, RULES).red_flags


def test_a_transaction_held_while_blocking_for_a_devices_ack_is_a_red_flag():
    notes = "@Transactional around: insert command row, publish to MQTT, block for the vehicle ack (up to 60s), commit."
    assert assess(notes, C, RULES).red_flags == ("concurrency.hazard3.tx_around_remote_call",)


def test_early_acks_defended_with_never_lost_one_are_a_red_flag():
    notes = "Acks straight away, then does the work in memory. She said they've 'never lost one that we know of.'"
    assert assess(notes, C, RULES).red_flags


@pytest.mark.parametrize(
    ("competency", "notes"),
    [
        (S, 'OTA images from S3 over TLS, no signature on the image, "TLS already guarantees integrity".'),
        (S, "Provisioning: one client cert + key baked into every TCU image for mTLS to the broker."),
        (D, "She'd UPDATE the fill row in place with the new price. Old value gone."),
    ],
)
def test_round_forty_nine_practices_are_red_flags(competency, notes):
    assert assess(notes, competency, RULES).red_flags


def test_signed_updates_and_per_device_certificates_are_no_red_flags():
    assert not assess(
        "Per-device certs from the factory HSM, and OTA images signed with a key kept offline.", S, RULES
    ).red_flags


def test_ssh_to_read_the_logs_is_a_thin_answer_and_ssh_to_change_the_code_a_red_flag():
    reads = "Debugging = console.log and ssh onto the box to tail the file."
    assert "reliability_observability.hazard.debugging_live_production" not in assess(reads, R, RULES).red_flags
    edits = (
        "Debugging story: SSH'd into the prod box, added console.log lines to the running server file, restarted it."
    )
    assert "reliability_observability.hazard.debugging_live_production" in assess(edits, R, RULES).red_flags


def test_a_naive_answer_the_candidate_did_not_give_is_no_gap():
    notes = (
        'didnt say "just add a lock", walked through a deadlock from two transfers locking accounts in opposite order.'
    )
    evidence = assess(notes, C, RULES)
    assert evidence.weight > 0 and "judgement.gap.could_not" not in {s.signal for s in evidence.signals}
    assert assess("He didn't say anything about locks.", C, RULES).weight < 0


def test_a_snippet_given_to_review_is_the_interviewers_and_code_of_the_candidates_own_is_not():
    reviewed = "Reviewed a snippet building SQL with a template literal. Did not see the issue until I asked about an apostrophe."
    assert not assess(reviewed, S, RULES).red_flags
    own = "He reviewed our handler and then wrote his own endpoint building SQL with a template literal."
    assert assess(own, S, RULES).red_flags


def strengths(notes: str, competency: Competency) -> set[str]:
    return {s.signal for s in assess(notes, competency, RULES).signals if s.kind == "strong"}


def test_terms_used_in_one_sentence_beside_a_gap_are_name_dropping():
    dropped = "Used mutex, semaphore and eventual consistency in a single sentence; couldnt give one case where two requests collide."
    assert not strengths(dropped, C) and assess(dropped, C, RULES).weight < 0
    assert strengths("Said mutex, semaphore and eventual consistency; used each one correctly in the design.", C)


def test_knowing_a_tool_exists_beside_a_gap_is_name_dropping():
    notes = "Knew Vault exists. Could not explain how the app would get its token or how rotation works."
    assert "security.secrets_management" not in strengths(notes, S)


def test_a_practice_that_had_not_been_used_is_a_gap_not_a_strength():
    notes = "Talked about indexes for a while. EXPLAIN had not been used in any of his jobs."
    assert "databases.query_plans" not in strengths(notes, D)
    assert "databases.query_plans" in strengths("EXPLAIN had been used on every slow query he showed me.", D)


def test_not_able_to_without_a_subject_is_a_gap():
    assert "gap" in judgement_roles("Asked which metric she would alert on - not able to say.", R)


def test_unsure_where_or_how_negates_the_topic_it_introduces():
    assert "concurrency.locking" not in strengths(
        "Hinted at FOR UPDATE; unsure where the lock is held or for how long.", C
    )
    assert "concurrency.locking" in strengths("Unsure voice, but the row lock was held exactly as long as needed.", C)


def test_a_topic_called_shaky_too_is_a_gap():
    assert "api_design.http_semantics" not in strengths("Status codes shaky too, 401 and 403 mixed up.", A)


def test_knowing_the_acronyms_beside_a_gap_is_name_dropping():
    notes = "Knows the acronyms: CSRF, XSS, CORS. Could not say what SameSite does."
    assert "security.owasp" not in strengths(notes, S)


def test_no_gaps_found_in_a_list_of_topics_is_praise_not_their_negation():
    notes = "No gaps I could find in output encoding, CSRF or secrets handling; each answered concretely."
    assert "security.owasp" in strengths(notes, S) and assess(notes, S, RULES).weight > 0


def test_a_shrug_the_candidate_did_not_say_is_no_complacency():
    notes = "He didn't say 'that won't happen' - he said it will, and deduplicated on the event id."
    assert not assess(notes, C, RULES).red_flags
    assert assess("Asked about the double webhook: 'that won't happen', he said.", C, RULES).red_flags


def test_terms_mixed_up_for_a_second_are_a_slip_not_a_gap():
    roles = judgement_roles("She mixed up read committed and repeatable read for a second, then corrected herself.", D)
    assert "slip" in roles and "gap" not in roles


NOTES_TYPED_WITH_APOSTROPHES = [
    (D, "Didn't leave it there: alarm on consumed read capacity so the next stray scan shows up."),
    (S, "Didn't treat the RFID tag as identity; sees the UID as a cloneable bearer token."),
    (C, "Couldn't say what happens when two requests race, wasn't sure locks were needed."),
    (A, "It's the candidate's design and he'd defend it; doesn't version the API, won't paginate."),
]


@pytest.mark.parametrize(("competency", "notes"), NOTES_TYPED_WITH_APOSTROPHES)
def test_a_note_typed_without_apostrophes_reads_as_it_does_with_them(competency, notes):
    """ "didnt", "wasnt", "its": many interviewers type them so, and the notes model must
    read them as the words it learnt with their apostrophes."""
    typed = notes.replace("'", "")
    model = LEXICON.model
    assert model is not None
    with_them, without = (notes_model.read(as_read(n), model) for n in (notes, typed))
    assert without.logit == pytest.approx(with_them.logit, abs=1e-12)
    assert notes_model.clause_features("he didnt know") == notes_model.clause_features("he didn't know")


def _as_she(notes: str) -> str:
    words = {"he": "she", "him": "her", "his": "her", "himself": "herself"}
    return re.sub(r"\b[A-Za-z]+\b", lambda m: words.get(m.group().lower(), m.group()), notes)


@pytest.mark.parametrize(
    "notes",
    [
        "He knew his stuff: walked me through the lock ordering himself, I'd hire him.",
        "The guy froze on isolation levels; he needed hints for every step and his answer was wrong.",
        "Solid. He designed the idempotency key table and told me why his retries are safe.",
    ],
)
def test_the_notes_model_reads_he_she_and_they_alike(notes):
    """A verdict must not move with the pronoun an interviewer used: the model learnt from
    writers who wrote "he" of more weak candidates than strong ones, and read "he" as weak."""
    model = LEXICON.model
    assert model is not None
    readings = {
        notes_model.read(as_read(n), model).logit for n in (notes, _as_she(notes), re.sub(r"\b[Hh]e\b", "they", notes))
    }
    assert len(readings) == 1, readings


def test_a_negation_in_a_note_without_full_stops_does_not_negate_the_next_sentence():
    """Without full stops a clause runs on over sentences: "no stack trace" must not make
    "log format is free text" a negated thought to the notes model."""
    run_on = (
        "Catches Exception at the controller and logs the message with no stack trace and returns 200 "
        "Log format is free text with string concatenation and the alerts go to a channel nobody reads"
    )
    (words, *_), _, _ = notes_model.tokenize(run_on, split_clauses(run_on)).counted
    assert "NOT_stack" in words and "NOT_trace" in words
    assert "format" in words and "NOT_format" not in words
    written = run_on.replace("200 Log", "200. Log")
    (first, *_), _, _ = notes_model.tokenize(written, split_clauses(written)).counted
    assert "NOT_returns" in first  # with its full stop, a negation still reads to its clause's end


WRAPPED_AT_A_WIDTH = (
    "Proposed an idempotency key on the payment endpoint, stored with the response for a day, and "
    "explained that a retry with the same key replays the stored response instead of charging twice. "
    "Would keep the key per merchant so two merchants can never collide. No retry budget on the client "
    "though, and no jitter on the backoff."
)


@pytest.mark.parametrize("width", [60, 72, 80])
def test_a_paragraph_wrapped_at_a_width_reads_as_the_paragraph(width):
    """Notes pasted from an email or an editor that wraps: a line break ends a clause, so a
    wrapped sentence would be read in pieces ("... with no" / "retry budget")."""
    wrapped = textwrap.fill(WRAPPED_AT_A_WIDTH, width)
    assert "\n" in wrapped and len(as_read(wrapped)) == len(wrapped)
    spans = [(c.start, c.end) for c in split_clauses(as_read(wrapped))]
    assert spans == [(c.start, c.end) for c in split_clauses(WRAPPED_AT_A_WIDTH)]
    crlf = wrapped.replace("\n", "\r\n")
    assert as_read(crlf).replace("  ", " ") == WRAPPED_AT_A_WIDTH


@pytest.mark.parametrize(
    "notes",
    [
        "- explained the outbox pattern and why the relay must be idempotent\n"
        "- did not know how to size the Hikari pool for the number of pods\n"
        "- no idea what a covering index is, or when the planner would use one",
        "1. resource modelling: clean nouns, sub-resources where they belong 4/4\n"
        "2. versioning: additive changes first, deprecate later, sunset header 3/4\n"
        "overall 4/5",
        "10:02 asked about retries, he went straight to exponential backoff with jitter\n"
        "10:05 idempotency key on the charge endpoint, stored with the response\n"
        "10:09 no circuit breaker on the partner call, the pool would be exhausted",
        "Explained the outbox pattern and why the relay must be idempotent\n"
        "Did not know how to size the Hikari pool for the number of pods at all\n"
        "Thought a covering index was the same as a composite index, not quite",
    ],
)
def test_a_list_or_lines_of_one_thought_each_keep_their_line_breaks(notes):
    assert as_read(notes) == notes


def test_a_gap_word_in_a_lower_case_run_on_does_not_take_back_what_the_rest_says():
    """ "Words that read strong cannot lift a note of one clause a gap takes back" is for a
    note of one sentence ("Partially explained the index ordering"); a note typed in lower
    case without full stops is one clause only because nothing marks its sentences."""
    notes = (
        "retries only on idempotent operations with backoff and jitter and a per client retry budget so a "
        "struggling dependency is not made worse timeouts shorter than the callers own deadline and the "
        "breaker opens on the error rate rather than on one failure dashboards come from the same metrics"
    )
    assert len(split_clauses(notes)) == 1
    assert verdict(notes, R) == "strong"
    assert verdict("Partially explained the composite index ordering.", D) == "weak"


@pytest.mark.parametrize(
    "notes",
    [
        "Not sure I'd call it a hire.",
        "I would not say she meets the bar.",
        "I'm not at all sure she meets the bar.",
        "I don't think she meets the bar.",
        "Meets the bar? Not really.",
        "Strong hire? No.",
        "Would she meet the bar? I don't think so.",
    ],
)
def test_a_doubt_about_the_bar_is_a_no_hire_with_no_hire_signal_beside_it(notes):
    signals = assess(notes, D, LEXICON).signals
    assert verdict(notes, D) == "weak"
    assert not [s for s in signals if s.kind == "strong" and s.signal.startswith("judgement.verdict.")]


@pytest.mark.parametrize(
    ("competency", "notes"),
    [
        (R, "I don't think they meet their SLOs without the cache, so she proposed load shedding and stale reads."),
        (D, "Don't think he's there yet on Cassandra internals, which this role doesn't need; EXPLAIN was excellent."),
        (D, "I don't think she clears the cache on write, so readers see stale prices for minutes."),
        (C, "I don't think she reaches for a mutex by default; she used a channel and explained happens-before."),
    ],
)
def test_a_practice_or_a_topic_doubted_is_no_verdict_on_the_candidate(competency, notes):
    assert "judgement.verdict.no_hire" not in {s.signal for s in assess(notes, competency, LEXICON).signals}


def test_a_verdict_after_a_comma_is_not_negated_by_the_words_before_it():
    assert verdict("Nothing to add, strong hire.", D) == "strong"
    assert verdict("No concerns from me: strong hire.", D) == "strong"


def test_a_verdict_is_negated_by_its_own_words_not_by_a_practice_denied_before_it():
    assert verdict("spotted the ssrf, allowlist and no redirects i think thats a yes", S) == "strong"
    assert verdict("Doesn't meet the bar, no.", D) == "weak"
    assert verdict("Not convinced it meets the bar.", D) == "weak"


def test_a_bad_first_answer_the_candidate_moved_on_from_with_a_hint_is_no_red_flag():
    notes = "Knew passwords must be hashed but first said md5 'because it is fast'. With my hint she moved to bcrypt."
    assert not assess(notes, S, LEXICON).red_flags
    assert assess("Said md5 'because it is fast', and kept it when I asked about cracking.", S, LEXICON).red_flags


@pytest.mark.parametrize(
    "notes",
    [
        "He first said md5 for passwords and defended it when I pushed back. Then we talked about sessions.",
        "He first said md5 for passwords and stuck with it. After that we moved on to CSRF, which was fine.",
        "She first proposed storing passwords with md5, and insisted it was fine even later when asked again.",
        "He first said md5 for passwords. With my hint he moved to sha256, still unsalted and fast.",
        "First said he would store passwords in plain text, later said hashing is overkill for an internal tool.",
    ],
)
def test_a_first_answer_is_moved_on_from_only_by_a_better_one_not_by_the_interview_moving_on(notes):
    assert assess(notes, S, LEXICON).red_flags


@pytest.mark.parametrize(
    "notes",
    [
        "Theres no on-call rotation at her current job, so she set one up with runbooks and SLO-based paging.",
        "Their service had no alerting at all when he joined, so he built one from the RED metrics.",
    ],
)
def test_a_gap_at_the_candidate_s_job_that_they_filled_is_their_fix(notes):
    evidence = assess(notes, R, LEXICON)
    assert not evidence.red_flags
    assert not [s for s in evidence.signals if ".hazard" in s.signal and s.kind == "weak"]
    assert [s for s in evidence.signals if s.signal.endswith(".rejected")]


@pytest.mark.parametrize(
    "notes",
    ["He didn't just retry, he added jitter", "not only the index", "No doubt she meets the bar", "without hesitation"],
)
def test_a_negation_before_just_only_or_doubt_marks_none_of_the_words_after_it(notes):
    assert not [f for f in notes_model.clause_features(notes) if f.startswith("NOT_")]
    assert "NOT_locking" in notes_model.clause_features("no idea about isolation, not just locking")


def test_a_first_answer_never_corrected_stays_a_red_flag_in_a_note_that_reads_strong():
    """A note that reads clearly strong tells a red flag as a story of one fixed; "first
    said" is the candidate's own answer, not a story."""
    notes = (
        "He first said md5 for passwords. Sessions excellent. Cookie flags spot on. "
        "CSRF tokens and SameSite, all correct and well explained."
    )
    evidence = assess(notes, S, LEXICON)
    assert evidence.red_flags
    assert not [s for s in evidence.signals if s.signal.endswith(".rejected")]


def test_a_first_answer_corrected_in_the_same_or_the_next_sentence_is_no_red_flag():
    assert not assess(
        "He first said md5 for passwords, then moved to bcrypt when I asked about cracking.", S, LEXICON
    ).red_flags
    assert not assess(
        "First said md5 for passwords. Then switched to argon2id with a per-user salt.", S, LEXICON
    ).red_flags


def test_a_note_pasted_with_no_break_spaces_reads_as_typed():
    typed = "Keeps the Stripe key in settings.py, it's a private repo anyway. No rotation plan."
    pasted = typed.replace(" ", "\u00a0", 6).replace("rotation plan", "rotation\u202fplan")
    as_typed, as_pasted = assess(typed, S, LEXICON), assess(pasted, S, LEXICON)
    assert as_pasted.weight == as_typed.weight
    assert as_pasted.signals == as_typed.signals  # quotes too: a quote's spaces are spaces
    assert "red_flag" in {s.kind for s in as_pasted.signals}


@pytest.mark.parametrize(
    ("competency", "notes"),
    [
        (R, "No monitoring beyond 'customers will tell us'."),
        (R, "no metrics, no alerts -> users tell us when it's down"),
        (S, "Not bcrypt, not argon2: the passwords are AES-encrypted with the key in the same config file."),
        (R, "Wraps the nightly job in try { } catch { } so it never crashes."),
        (C, "Catches OptimisticLockException and retries the whole transfer in a while(true) loop, no backoff."),
    ],
)
def test_a_practice_after_all_that_is_denied_is_the_candidate_s_not_one_rejected(competency, notes):
    evidence = assess(notes, competency, LEXICON)
    assert not [s.signal for s in evidence.signals if s.signal.endswith(".rejected")]
    assert verdict(notes, competency) == "weak"


@pytest.mark.parametrize(
    "notes",
    [
        "He first said md5 for passwords. Then I asked about session fixation.",
        "He first said md5 for passwords. Later I asked him about CSRF tokens.",
        "He first said md5 for passwords. After that I moved him on to CSRF.",
        "He first said md5 for passwords. Then on to CSRF, which he handled fine.",
        "He first said md5 for passwords. Then the conversation went to CSRF.",
        "He first said md5 for passwords. We then moved on to CSRF.",
        "He first said md5 for passwords. We quickly moved on to CSRF.",
        "He first said md5 for passwords and wouldnt budge. Later asked about CSRF.",
        "First said md5 for passwords. Then CSRF, which was fine.",
        "First said md5 for passwords. After that, XSS: solid on output encoding.",
        "First said md5 for passwords. Switched to CSRF after 10 min, he was fine there.",
    ],
)
def test_the_interviewer_moving_on_does_not_move_the_candidate_off_a_first_answer(notes):
    assert assess(notes, S, LEXICON).red_flags


@pytest.mark.parametrize(
    "notes",
    [
        "First said md5 for passwords; changed to sha1.",
        "First said md5 for passwords, swapped it for sha1 when I pushed.",
        "First said plain text passwords, swapped to sha256 with no salt.",
    ],
)
def test_a_first_answer_swapped_for_the_same_hazard_is_still_a_red_flag(notes):
    assert assess(notes, S, LEXICON).red_flags


@pytest.mark.parametrize(
    "notes",
    [
        "He initially went with md5 for passwords. When I asked why, he insisted it was fine; later admitted bcrypt is better.",
        "First said md5 for passwords; defended it for a minute, then switched to bcrypt once I mentioned GPUs.",
        "First answer md5 for passwords. Kept saying it was fine for a while, eventually landed on argon2.",
        "First said md5 for passwords, moved to sha256, still unsalted, then finally landed on bcrypt.",
        "First said md5 for passwords. Moved to sha256, still unsalted. With a hint about GPUs he got to bcrypt.",
        "First said md5 for passwords, then bcrypt, still fast enough for login at cost 10.",
        "First said md5 for passwords, moved to bcrypt, still not sure about the cost factor.",
        "First said md5 for passwords, moved to bcrypt, still no pepper but thats fine.",
        "He first said md5 for passwords. I asked about salts. He thought about it. I pushed on rainbow tables. "
        "He was quiet. Then he said bcrypt.",
        "First said md5 for passwords, moved on to bcrypt when I pushed.",
        "First said md5 for passwords, then on to bcrypt after I asked about GPU cracking.",
        "At first glance he said md5 for passwords, after a hint moved to argon2.",
    ],
)
def test_a_first_answer_left_for_a_sound_one_in_the_end_is_prompting_not_a_red_flag(notes):
    """Defended for a while, corrected after a detour through another bad answer, or with a
    detail of the good answer left open: the candidate got there with help."""
    assert not assess(notes, S, LEXICON).red_flags


def test_a_bad_practice_the_interviewer_saw_at_first_glance_is_not_the_candidate_s_first_answer():
    notes = (
        "At first glance the legacy code used md5 for passwords, she spotted it immediately. Sessions excellent, "
        "CSRF excellent, threat modelling excellent, deep on OAuth flows."
    )
    assert not assess(notes, S, LEXICON).red_flags
    assert verdict(notes, S) == "strong"


def test_a_step_order_told_with_first_and_then_is_a_procedure_not_a_corrected_first_answer():
    notes = (
        'Consumer design. He said first "delete the message up front to avoid redelivery noise" and then processes it.'
    )
    assert assess(notes, C, LEXICON).red_flags


@pytest.mark.parametrize(
    "notes",
    [
        "Assumes the framework to handle thread safety, didn't think about shared state.",
        "Expects the event loop to sort out back-pressure.",
    ],
)
def test_a_topic_left_to_the_framework_is_not_a_strength(notes):
    evidence = assess(notes, C, LEXICON)
    assert not [s for s in evidence.signals if s.kind == "strong" and not s.signal.startswith("notes_model.")]
    assert "judgement.complacent.deferred" in {s.signal for s in evidence.signals}


@pytest.mark.parametrize(
    "notes",
    [
        "Said the database handles that with a unique constraint on (user_id, day).",
        "Relies on the database to handle it via SELECT ... FOR UPDATE on the seat row.",
    ],
)
def test_the_database_handling_it_by_a_named_mechanism_is_no_shrug(notes):
    signals = {s.signal for s in assess(notes, C, LEXICON).signals}
    assert not {"judgement.complacent.deferred", "judgement.gap.surface"} & signals


@pytest.mark.parametrize(
    "notes",
    [
        "Good on indexes. Meets the bar? Not really.",
        "Good on indexes. Meets the bar? I doubt it.",
        "Good on indexes. Strong hire? Honestly, no.",
        "Good on indexes. Would she meet the bar? I don't think so.",
        "Good on indexes. Not sure I'd call it a hire.",
        "Good on indexes. No hire.",
        "Good on indexes. Not a hire.",
        "Good on indexes. Meets the bar? Not quite, close though.",
        "Good on indexes. Meets the bar? not really, sadly.",
    ],
)
def test_the_interviewer_s_closing_no_hire_outweighs_how_well_the_rest_reads(notes):
    assert verdict(notes, D) == "weak"


@pytest.mark.parametrize(
    "notes",
    [
        "Good on indexes. Meets the bar? Definitely.",
        "Good on indexes. Hire? Easily.",
        "Good on indexes. Meets the bar? No doubt.",
        "Good on indexes. Meets the bar? No question.",
    ],
)
def test_a_yes_to_the_interviewer_s_own_bottom_line_question_is_a_hire(notes):
    signals = assess(notes, D, LEXICON).signals
    assert [s for s in signals if s.kind == "strong" and s.signal.startswith("judgement.verdict.")]
    assert not [s for s in signals if s.kind == "weak" and s.signal.startswith("judgement.verdict.")]


def test_a_no_hire_read_from_an_answer_carries_the_no_hire_rule():
    evidence = assess("Good on indexes. Meets the bar? Not really.", D, LEXICON)
    [no] = [s for s in evidence.signals if s.signal == "judgement.verdict.no_hire"]
    assert no.kind == "weak" and no.quote.startswith("Not really")


def test_the_bottom_line_is_the_last_sentence_not_a_verdict_up_front_the_rest_takes_back():
    notes = (
        "Net: lean no, felt slow. - On reflection that's unfair: slow query log, EXPLAIN, found a function on the "
        "indexed column killing the index, fixed with an expression index, and covering indexes done right."
    )
    assert verdict(notes, D) == "strong"


@pytest.mark.parametrize(
    "notes",
    [
        "Precise: she wouldn't call it strong consistency, only read-your-writes. Hire.",
        "Explained MVCC well. She was not sure if it's ready for production traffic without a canary, which is "
        "the right instinct.",
        "Asked whether her team's replicas were caught up; she was not sure they were there yet and said she'd "
        "check lag first.",
    ],
)
def test_the_candidate_s_own_caution_is_no_doubt_about_the_bar(notes):
    assert "judgement.verdict.no_hire" not in {s.signal for s in assess(notes, D, LEXICON).signals}


@pytest.mark.parametrize(
    "notes",
    [
        "I doubt she meets the bar.",
        "I have doubts she meets the bar.",
        "Unsure whether she meets the bar.",
        "Honestly not sure she's a hire.",
        "I'm not convinced he'd be a hire at senior.",
        "Not convinced shes at the bar.",
        "I don't think he's ready for the role just yet.",
    ],
)
def test_a_doubt_about_the_bar_in_other_words_is_a_no_hire(notes):
    signals = assess(notes, D, LEXICON).signals
    assert "judgement.verdict.no_hire" in {s.signal for s in signals}
    assert not [s for s in signals if s.kind == "strong" and s.signal.startswith("judgement.verdict.")]
    assert verdict(notes, D) == "weak"


@pytest.mark.parametrize("notes", ["not ready for the role just yet", "hasn't yet used argon2", "isn’t yet sure"])
def test_yet_after_just_or_a_negation_opens_no_contrast(notes):
    assert len(split_clauses(notes)) == 1
    assert len(split_clauses("careful yet fast")) == 2


@pytest.mark.parametrize(
    "notes",
    ["doesn't have a view yet on versioning, paging or errors", "no real sense yet of locks", "no feel yet for 409"],
)
def test_yet_between_a_word_for_knowledge_and_a_preposition_opens_no_contrast(notes):
    assert len(split_clauses(notes)) == 1
    assert [c.contrast for c in split_clauses("Hedged, yet on every point she landed")] == [False, True]
    assert [c.contrast for c in split_clauses("Would never log tokens yet in the demo he printed one")] == [False, True]
    assert [c.contrast for c in split_clauses("Knew the theory. Yet in practice he froze")] == [False, True]


def test_a_match_never_starts_inside_a_word_nor_at_a_dot_after_a_space():
    starts = re.compile(evidence._from_word_start(r"(env|users/me|/me)"), re.IGNORECASE)
    assert not starts.search("reads dotenv")
    assert starts.search("GET /users/me").group() == "users/me"
    assert not re.compile(evidence._from_word_start(r"(\.env)")).search("keys in .env, committed")


def test_a_secret_in_a_dot_env_file_told_after_a_space_is_a_red_flag():
    notes = "Plaid and processor keys are in .env, committed, so new devs can run it right away."
    assert assess(notes, S, RULES).red_flags == ("security.committed_secrets",)


def test_first_before_a_quote_is_a_first_answer_only_when_it_opens_one():
    """ "First: 'in the config file'" is the candidate's first answer; "deletes the message
    first 'to avoid redelivery noise'" is the order of their steps, and "measure first'"
    closes a quote."""
    flags = assess('SQS consumer deletes the message first "to avoid redelivery noise", then processes.', C, LEXICON)
    assert "concurrency.hazard3.ack_early" in flags.red_flags
    assert not assess(
        "Where do the DB password and the Stripe key live? First: 'in the config file'. With a hint about the "
        "repo, moved to a secrets manager with rotation.",
        S,
        LEXICON,
    ).red_flags


@pytest.mark.parametrize(
    "notes",
    [
        "Me: you said you used to debug with console.log\nC: first job, yes. not anymore — pino, JSON out, "
        "child loggers with requestId from AsyncLocalStorage",
        "Used to debug with console.log in his first job, not anymore: pino with JSON and request ids.",
        "In her first job they debugged with print statements; these days structured logs with trace ids.",
    ],
)
def test_a_poor_practice_the_candidate_has_left_behind_is_a_lesson_not_a_weakness(notes):
    evidence = assess(notes, R, LEXICON)
    assert not [s for s in evidence.signals if s.kind == "weak" and "print_debugging" in s.signal]
    assert verdict(notes, R) == "strong"


def test_a_past_practice_still_kept_is_still_weak():
    assert verdict("Used to debug with console.log and still does.", R) == "weak"


def test_in_a_dialogue_the_topics_the_interviewer_names_are_questions_not_answers():
    asked_only = (
        "Me: which isolation level does your service run at\nC: the default\nMe: which is\nC: serializable?\n"
        "Me: it's Postgres, read committed. what about SELECT FOR UPDATE or optimistic locking with a version column\n"
        "C: not sure, never used those"
    )
    answered = (
        "Me: two withdrawals racing on one balance\nC: SELECT FOR UPDATE on the account row, or optimistic locking "
        "with a version column and a retry\nMe: which one here\nC: the row lock, contention is low and it is simpler"
    )
    assert not [
        s for s in assess(asked_only, C, LEXICON).signals if s.kind == "strong" and s.signal.startswith("concurrency.")
    ]
    assert verdict(asked_only, C) != "strong"
    assert verdict(answered, C) == "strong"
    assert not evidence._interviewer_turns("Note: the retry uses a version column. C: nothing else")


@pytest.mark.parametrize(
    "dialogue",
    [
        "ME  : which isolation level?\ncandidate : the default",
        "q: why a queue? a: retries without blocking the request",
        "- Interviewer:\tand the lock? Cand: a row lock, FOR UPDATE",
        "Fine so far. IV: what if both pass the check? C: both insert",
    ],
)
def test_a_dialogue_is_found_however_its_speakers_labels_are_cased_and_spaced(dialogue):
    """The cheap check before `_SPEAKER` must pass every dialogue the regex reads."""
    assert evidence._interviewer_turns(dialogue)
    assert [evidence._SPEAKER.search(dialogue)] != [None]


@pytest.mark.parametrize(
    "aside",
    [
        "Panel interview this time, three of us on the call instead of back-to-back sessions.",
        "Turned the questions on me at the end: why I joined and why I stayed.",
    ],
)
def test_a_sentence_about_the_interview_does_not_thin_out_a_red_flag_told_in_free_words(aside):
    """The red-flag head weighs a note as a whole; a sentence about something else before it
    must not take the flag away (read without that sentence, the note is flagged)."""
    notes = (
        "Partner API: the caller sends a vehicle's VIN and we return where the car is. He says a VIN is hard to "
        "guess. It's printed on the windscreen."
    )
    assert assess(notes, S, LEXICON).red_flags == ("notes_model.red_flag",)
    assert assess(f"{aside} {notes}", S, LEXICON).red_flags == ("notes_model.red_flag",)


@pytest.mark.parametrize(
    "notes",
    [
        "First said md5 for passwords, then replaced md5 with bcrypt.",
        "First said md5 for passwords, then swapped md5 for argon2id.",
        "First said md5 for passwords, then changed md5 to bcrypt.",
        "First said md5 for passwords; then realised md5 is far too fast and went with bcrypt.",
        "He first said md5 for passwords, after I pushed he switched to bcrypt.",
        "He first said md5 for passwords, when I hinted she moved to bcrypt.",
        "First said md5 for passwords. Then I asked why and he went to bcrypt himself.",
    ],
)
def test_a_correction_that_names_the_answer_it_replaces_or_follows_a_hint_is_still_a_correction(notes):
    assert not assess(notes, S, LEXICON).red_flags


@pytest.mark.parametrize(
    "answer",
    ["No doubts.", "No reservations.", "No issues from me.", "No two ways about it.", "No, exceeds it."],
)
def test_an_emphatic_yes_that_opens_with_no_is_no_no_hire(answer):
    notes = f"Solid on indexes, EXPLAIN, covering indexes. Meets the bar? {answer}"
    assert "judgement.verdict.no_hire" not in {s.signal for s in assess(notes, D, LEXICON).signals}
    assert verdict(notes, D) == "strong"


@pytest.mark.parametrize(
    "notes",
    [
        "Databases: excellent. Composite indexes in the right order, EXPLAIN ANALYZE, MVCC and isolation levels "
        "all solid. Overall no hire (failed the system design round).",
        "Excellent on indexes, EXPLAIN ANALYZE, partial indexes, MVCC. No hire overall because of the coding round, "
        "but databases was the strongest part.",
        "Great on indexes and MVCC, isolation levels, partitioning. Not sure I'd call it a hire for staff, but for "
        "senior yes.",
        "Great on indexes and MVCC, explained isolation anomalies well. If the team is not sure it's ready, they "
        "keep it behind a flag.",
        "Knows isolation well: explained read committed vs repeatable read, phantoms, MVCC snapshots. When unsure "
        "if it's at the serializable level, she checks SHOW transaction_isolation.",
    ],
)
def test_a_no_hire_about_another_round_or_level_or_a_doubt_about_a_system_does_not_sink_a_strong_note(notes):
    assert verdict(notes, D) == "strong"


@pytest.mark.parametrize(
    "answer", ["Yes, if we lower the bar.", "Yes for a junior role, not this one.", "Yes and no - mostly no."]
)
def test_a_conditional_yes_to_the_bottom_line_question_is_no_hire(answer):
    notes = f"Weak on indexes, never used EXPLAIN. Hire? {answer}"
    assert not [s for s in assess(notes, D, LEXICON).signals if s.kind == "strong" and "verdict" in s.signal]


@pytest.mark.parametrize("answer", ["Definitely not.", "Clearly not.", "Yeah, no."])
def test_a_firm_no_to_the_bottom_line_question_is_a_no_hire(answer):
    notes = f"Good on indexes. Meets the bar? {answer}"
    assert "judgement.verdict.no_hire" in {s.signal for s in assess(notes, D, LEXICON).signals}


def test_a_past_practice_kept_today_is_no_lesson_learnt():
    for notes in (
        "Used to debug with console.log and these days still does.",
        "Used to debug with print, nowadays console.log.",
    ):
        assert not [s for s in assess(notes, R, LEXICON).signals if s.signal.endswith(".rejected")]


@pytest.mark.parametrize(
    ("competency", "notes"),
    [
        (R, "He's used to debugging with console.log; nowadays the whole team does that too."),
        (S, "Stores passwords in md5, only after checking they meet the complexity rules."),
        (A, "Retries the payment call on timeout without an idempotency key, only when the health check fails."),
    ],
)
def test_a_habit_or_an_unrelated_check_after_a_poor_practice_does_not_turn_it_into_a_strength(competency, notes):
    assert not [s for s in assess(notes, competency, LEXICON).signals if s.signal.endswith(".rejected")]


@pytest.mark.parametrize(
    ("competency", "notes"),
    [
        (
            D,
            "I laid out the table schema for her and she immediately spotted the missing composite index and "
            "explained the column order.",
        ),
        (R, "There were no alerts at her current job, so she added them for error rate and latency SLOs."),
    ],
)
def test_setting_the_exercise_is_no_hint_and_filling_a_gap_at_work_is_no_gap(competency, notes):
    assert verdict(notes, competency) == "strong"


@pytest.mark.parametrize(
    ("competency", "notes"),
    [
        (S, "Knows prepared statements and bcrypt. Not enough for this level."),
        (D, "Good on indexes, partial on plans. Not enough for the role."),
        (D, "Knows the basics of EXPLAIN. Not at the level we need."),
    ],
)
def test_not_enough_for_the_level_is_the_interviewer_s_no_hire(competency, notes):
    evidence = assess(notes, competency, LEXICON)
    assert "judgement.verdict.no_hire" in {s.signal for s in evidence.signals}
    assert verdict(notes, competency) == "weak"


def test_not_enough_for_a_level_of_something_else_is_no_verdict():
    signals = {s.signal for s in assess("bcrypt alone is not enough for this level of risk", S, LEXICON).signals}
    assert "judgement.verdict.no_hire" not in signals


@pytest.mark.parametrize(
    ("competency", "notes"),
    [
        (D, "Composite index order question - not answered."),
        (D, "Composite index order - not sure."),
        (R, "Timeout on RestTemplate - not sure if it is set."),
    ],
)
def test_a_topic_followed_by_not_answered_or_not_sure_is_a_gap_not_a_strength(competency, notes):
    evidence = assess(notes, competency, LEXICON)
    assert not [s for s in evidence.signals if s.kind == "strong" and not s.signal.startswith("notes_model.")]
    assert "judgement.gap.blank" in {s.signal for s in evidence.signals}


@pytest.mark.parametrize(
    ("competency", "notes", "gap"),
    [
        (D, "He sees the seq scan but don't understand why the index is not used.", "judgement.gap.could_not"),
        (D, "He doesn't understand why the planner skips the index.", "judgement.gap.could_not"),
        (D, "Then he remember something about functional index.", "judgement.gap.surface"),
        (
            C,
            "Two dispatchers edit the same address at once, what happens? He was not knowing.",
            "judgement.gap.could_not",
        ),
    ],
)
def test_non_native_and_vague_gaps_are_read_as_gaps(competency, notes, gap):
    evidence = assess(notes, competency, LEXICON)
    assert gap in {s.signal for s in evidence.signals}
    assert not [s for s in evidence.signals if s.kind == "strong" and not s.signal.startswith("notes_model.")]


def test_a_question_written_without_its_subject_is_the_interviewer_s():
    notes = "Ask what is half-open state and which slidingWindow settings they use - he don't know."
    assert not [s for s in assess(notes, R, LEXICON).signals if s.kind == "strong"]


def test_topics_a_candidate_talks_about_beside_a_gap_are_name_dropping():
    notes = (
        "Talks about 3NF, B-tree, sharding, even LSM trees. I show him a query with WHERE lower(email) = $1 and "
        "a seq scan. Expression index he don't know."
    )
    assert verdict(notes, D) == "weak"


def test_a_risk_seen_only_once_the_interviewer_said_it_is_prompting_not_a_defended_practice():
    notes = "Last write wins on the delivery address and he did not see it as problem until I said it."
    assert "judgement.complacent.defends" not in {s.signal for s in assess(notes, C, LEXICON).signals}


def test_a_practice_the_candidate_never_uses_is_not_a_strength():
    evidence = assess("Explain plan he never use.", D, LEXICON)
    assert "databases.query_plans" in {s.signal for s in evidence.signals if s.kind == "weak"}
    assert not [s for s in evidence.signals if s.kind == "strong"]


def test_terms_quoted_beside_answers_that_could_not_be_given_are_name_dropping():
    notes = (
        "Quoted CAP, 'eventual consistency' and vector clocks; asked for a case in his own work where ordering "
        "mattered, could offer none; on the counter exercise proposed 'a distributed lock' without being able to "
        "say what would implement one. Vocabulary adequate; reasoning not in evidence."
    )
    evidence = assess(notes, C, LEXICON)
    assert {"judgement.gap.could_not", "judgement.gap.surface"} <= {s.signal for s in evidence.signals}
    assert verdict(notes, C) == "weak"


@pytest.mark.parametrize(
    ("competency", "notes"),
    [
        (
            D,
            "A single B-tree on created_at is not enough for the lead time report, he said, so he added a composite "
            "on (team_id, created_at) and checked the plan.",
        ),
        (
            C,
            "Said READ COMMITTED is not enough for the position update, so he takes a row lock with SELECT FOR UPDATE.",
        ),
        (
            R,
            "Retries with exponential backoff and jitter live in the client SDK, with a retry budget. Timeouts are "
            "set per hop from the SLO. Circuit breaker in the gateway, not at this level.",
        ),
        (D, "Solid senior. Not at the staff level."),
    ],
)
def test_design_talk_and_a_higher_level_named_are_no_no_hire(competency, notes):
    assert "judgement.verdict.no_hire" not in {s.signal for s in assess(notes, competency, LEXICON).signals}


@pytest.mark.parametrize(
    ("competency", "notes"),
    [
        (
            S,
            "Relies on the framework to handle CSRF tokens, Spring Security's default, and only disables it for the "
            "stateless API that takes bearer tokens.",
        ),
        (
            C,
            "Relies on node to handle the I/O concurrency and moved the CPU-heavy PDF rendering to a worker thread pool.",
        ),
        (
            R,
            "Counts on Kubernetes to handle restarts, and set liveness on a cheap endpoint and readiness on the DB pool.",
        ),
        (
            C,
            "Relies on the platform to guarantee at-least-once delivery, so he made the consumer idempotent with a "
            "dedup table keyed by message id.",
        ),
    ],
)
def test_a_design_that_relies_on_the_platform_is_no_shrug(competency, notes):
    evidence = assess(notes, competency, LEXICON)
    assert "judgement.complacent.deferred" not in {s.signal for s in evidence.signals}
    assert [s for s in evidence.signals if s.kind == "strong" and not s.signal.startswith("notes_model.")]


@pytest.mark.parametrize(
    ("competency", "notes"),
    [
        (C, "The lock holder does not know when its lease expired, so he adds fencing tokens checked by the storage."),
        (A, "The client does not know what the server committed after a timeout, so an idempotency key on every POST."),
        (R, "On-call doesn't know what changed, so he puts deploy markers on every dashboard and links the runbook."),
    ],
)
def test_a_component_that_does_not_know_is_design_not_the_candidate_s_gap(competency, notes):
    assert "judgement.gap.could_not" not in {s.signal for s in assess(notes, competency, LEXICON).signals}


@pytest.mark.parametrize(
    "notes",
    [
        "First said md5 for passwords. Then she switched to bcrypt, which was good.",
        "Initial answer md5 for passwords. Then he moved to argon2id, which was fine.",
        "First said md5 for passwords. Finally argon2: good.",
        "Said first 'md5 is fine for passwords' and then, after my hint about rainbow tables, 'bcrypt with salt'.",
        'He said first "sha256 for passwords", then after I asked about GPUs, "bcrypt".',
    ],
)
def test_a_first_answer_corrected_in_a_sentence_that_praises_the_correction_is_prompting(notes):
    assert not assess(notes, S, LEXICON).red_flags


@pytest.mark.parametrize(
    "notes",
    [
        "First said md5 for passwords and would not budge. Moved on to CSRF when I asked about cookies.",
        "First said md5 for passwords, defended it. Moved on to session handling after a question on cookies.",
    ],
)
def test_the_interviewer_moving_on_after_a_defended_answer_leaves_the_red_flag(notes):
    assert assess(notes, S, LEXICON).red_flags


@pytest.mark.parametrize(
    ("competency", "notes"),
    [
        (R, "Circuit breaker per client with Resilience4j, half-open after 30s - not sure if we need it at our scale."),
        (D, "Covering index with INCLUDE for the hot query, checked the plan - not sure whether we're on PG 11 yet."),
        (
            R,
            "Bulkhead: did not know the term, but described separate thread pools per downstream so one slow "
            "dependency cannot starve the others.",
        ),
        (
            R,
            "Talks about SLOs properly: 99.9 on checkout, burn-rate alerts on two windows. He did not know what a "
            "bulkhead is.",
        ),
        (
            D,
            "Says B-tree, GIN, BRIN, and picks GIN for the jsonb containment query with a plan to prove it. Didn't "
            "know what fillfactor is.",
        ),
        (
            R,
            "Recalled something about an outage at his last job: pool exhaustion from a slow query, fixed it with a "
            "statement timeout and a bulkhead.",
        ),
        (R, "Then ask what the SLO for checkout is, derive the error budget, and alert on burn rate over two windows."),
    ],
)
def test_a_strength_told_beside_a_doubt_a_name_or_a_step_keeps_counting(competency, notes):
    evidence = assess(notes, competency, LEXICON)
    assert [
        s for s in evidence.signals if s.kind == "strong" and not s.signal.startswith(("notes_model.", "judgement."))
    ]


@pytest.mark.parametrize(
    ("competency", "notes"),
    [
        (S, "CSRF? The framework handles it by default, he said, so no tokens needed anywhere."),
        (C, "Double booking? He said the database handles that by itself, nothing more."),
    ],
)
def test_handled_by_default_or_by_itself_is_still_a_shrug(competency, notes):
    assert "judgement.complacent.deferred" in {s.signal for s in assess(notes, competency, LEXICON).signals}


def test_a_question_on_a_practice_the_candidate_could_not_answer_is_a_gap_not_a_rejection():
    notes = (
        "'Non-blocking I/O', 'libuv thread pool' - says well as words. But why crypto.pbkdf2Sync in request handler "
        "makes all API slow - it was not clear for him. Promise.all on 5000 inserts - did not see pool exhaustion."
    )
    evidence = assess(notes, C, LEXICON)
    assert not [s for s in evidence.signals if s.signal.endswith(".rejected")]
    assert "judgement.gap.could_not" in {s.signal for s in evidence.signals}
    assert verdict(notes, C) == "weak"


def test_explaining_what_the_team_did_is_an_account_of_the_practice_not_a_rejection():
    notes = (
        "Started walking through their Spring Security config, ended explaining they added csrf().disable() and "
        'permitAll() on /admin/** "temporarily" because integration tests kept getting 403s. Two years ago. '
        "Cookie-session app."
    )
    assert assess(notes, S, LEXICON).red_flags


def signals_of(notes: str, competency: Competency) -> set[tuple[str, str]]:
    """What the lexicons alone find (the notes model's red-flag head reads other words)."""
    return {(s.kind, s.signal) for s in assess(notes, competency, dataclasses.replace(LEXICON, model=None)).signals}


CHECKLIST_STRONG = [
    (
        D,
        "Cannot explain indexing beyond 'it makes things faster': no, way beyond.\n"
        "No strategy for schema design: no, starts from access patterns and writes them down.\n"
        "Has never profiled a slow query: no - pg_stat_statements, found WHERE lower(email) = ... skipping "
        "the index, added an expression index, checked the plan after.",
    ),
    (
        C,
        "Has never considered concurrency: no.\nConfuses threads and processes: no.\n"
        "Cannot describe a situation where data consistency was a concern: no - two workers both marking the "
        "same invoice paid, fixed with a unique constraint plus a conditional UPDATE ... WHERE status = 'pending'.",
    ),
    (
        S,
        "Has never thought about SQL injection: no, obviously has.\nStores passwords in plain text: no.\n"
        "Commits secrets to version control without concern: no - described cleaning one out of git history "
        "and said rotating the key is the actual fix.\nJWT vs sessions: yes.",
    ),
]


@pytest.mark.parametrize(("competency", "notes"), CHECKLIST_STRONG)
def test_a_checklist_of_weaknesses_each_answered_no_reads_as_the_annotations_say(competency, notes):
    """Round 105's checklist voice pasted the rubric's weak signals as criteria and answered
    each "no": what the criterion names is what the candidate did not show."""
    assert verdict(notes, competency) == "strong"
    assert not [s for s in assess(notes, competency, LEXICON).signals if s.kind == "red_flag"]


@pytest.mark.parametrize(
    ("competency", "notes", "expected"),
    [
        (S, "Stores passwords in plain text: no.", set()),
        (
            S,
            "Stores passwords in plain text: yes, in a users table column.",
            {("red_flag", "security.plaintext_passwords")},
        ),
        (A, "Idempotent retries: no - plain retries.", {("weak", "api_design.idempotency")}),
        (A, "Meets the bar: no.", {("weak", "judgement.verdict.no_hire")}),
        (S, "SQL injection risk: no - uses bind params throughout.", {("strong", "security.owasp")}),
        (
            S,
            "Parameterised queries: no, string concatenation everywhere.",
            {("weak", "security.owasp"), ("red_flag", "security.hazard3.sql_injection_broad")},
        ),
    ],
)
def test_a_criterion_answered_no_denies_what_it_names_and_the_annotation_is_read(competency, notes, expected):
    assert expected <= signals_of(notes, competency)
    assert not {s for s in signals_of(notes, competency) if s[0] == "red_flag"} - expected


@pytest.mark.parametrize(
    ("competency", "notes", "expected"),
    [
        (D, "Used float for the money column. Self-corrected: no.", "weak"),
        (D, "Aware of the N+1 problem: no.", "weak"),
        (A, "Meets the bar: no-brainer.", "strong"),
        (A, "Raises the bar: no, but comfortably meets it.", "strong"),
        (C, "Locking required for the counter: no - atomic increment in Redis.", "strong"),
        (
            C,
            "Solid on optimistic locking. Charges the card then writes the order with no 2PC; compensation never came up.",
            "weak",
        ),
    ],
)
def test_what_is_not_a_checklist_criterion_answered_no_reads_as_before(competency, notes, expected):
    """An independent review's cases: a finding before the criterion on its line, a criterion of
    what the candidate noticed, a design question, "no-brainer", a compensation never given."""
    assert verdict(notes, competency) == expected


@pytest.mark.parametrize(
    "notes",
    [
        "Explained why PUT is idempotent and PATCH may not be. Got there at H3.",
        "H1: nothing. H2: 'a key in a header?' Reached it on hint 3.",
        "Explained why PUT is idempotent and PATCH may not be, with me carrying most of it.",
    ],
)
def test_an_answer_reached_high_on_a_hint_ladder_is_prompted(notes):
    """Round 106's hint-ladder voice numbers its hints (H1, H2, H3): reached at the third, the
    answer is the interviewer's as much as the candidate's."""
    assert "prompted" in judgement_roles(notes, A)


def test_an_answer_with_the_interviewer_carrying_it_is_weak():
    assert verdict("Explained why PUT is idempotent and PATCH may not be, with me carrying most of it.", A) == "weak"
    assert verdict("Explained why PUT is idempotent and PATCH may not be, with no hints at all.", A) == "strong"


def test_the_notes_model_never_flags_a_red_flag_it_can_only_quote_as_one_word():
    """ "H2: error budget for that? -> no.": a clause of one word shows the reader no practice."""
    assert not [s for s in assess("H2: error budget for that? -> no.", R, LEXICON).signals if s.kind == "red_flag"]


RETRO_IDEMPOTENCY = (
    "Continue: clean resource names. Stop: a POST /orders that creates a second order whenever the client retries "
    "after a timeout. Start: an Idempotency-Key header, with the stored response replayed on a repeat."
)
RETRO_PASSWORDS = (
    "Stop: storing passwords as unsalted SHA-1 because bcrypt 'is too slow'. Start: bcrypt or argon2id with a "
    "per-user salt. Continue: sensible session cookie flags."
)


@pytest.mark.parametrize(
    ("competency", "notes"),
    [
        (A, RETRO_IDEMPOTENCY),
        (S, RETRO_PASSWORDS),
    ],
)
def test_what_a_retros_stop_line_tells_is_the_candidates_practice(competency, notes):
    """Round 107's retro voice writes each box as Start / Stop / Continue: "Stop:" tells what the
    candidate did (the word rejects nothing), "Start:" what they did not show."""
    assert verdict(notes, competency) == "weak"
    assert [s for s in assess(notes, competency, LEXICON).signals if s.kind == "red_flag"]
    assert not [s for s in assess(notes, competency, LEXICON).signals if s.signal.endswith(".rejected")]


def test_what_a_retros_start_line_names_is_no_strength_the_candidate_showed():
    assert ("weak", "api_design.idempotency") in signals_of(RETRO_IDEMPOTENCY, A)
    assert ("strong", "api_design.idempotency") not in signals_of(RETRO_IDEMPOTENCY, A)
    assert ("strong", "api_design.resource_modeling") in signals_of(RETRO_IDEMPOTENCY, A)


def test_a_retros_stop_with_nothing_to_stop_is_no_gap():
    notes = (
        "Stop: nothing. Took SELECT ... FOR UPDATE on the seat row, kept the transaction short and retried "
        "serialization failures with a cap. Start: measuring lock waits under load; got there when I asked."
    )
    assert not [s for s in assess(notes, C, LEXICON).signals if s.signal.startswith("judgement.gap.")]
    assert ("strong", "concurrency.locking") in signals_of(notes, C)


def test_a_lone_start_label_is_a_timeline_not_a_retro():
    notes = (
        "Start: nervous, warmed up once we got to the schema. Took SELECT ... FOR UPDATE on the seat row and kept "
        "the transaction short."
    )
    assert verdict(notes, C) == "strong"
    assert ("strong", "concurrency.locking") in signals_of(notes, C)


@pytest.mark.parametrize(
    ("competency", "notes", "expected"),
    [
        # a timeline, and a design's lifecycle: labels, but no retro
        (
            S,
            "Start: 14:00. Stop: 14:45. Avoided storing JWTs in localStorage; httpOnly cookies.",
            "security.jwt_in_localstorage.rejected",
        ),
        (
            C,
            "Designed the worker lifecycle well.\nStart: claim a job with SELECT ... FOR UPDATE SKIP LOCKED and a "
            "lease.\nStop: release the lease, commit, and drain in-flight jobs before exit.",
            "concurrency.locking",
        ),
        # the candidate's own list of what to stop is their rejection of it
        (
            S,
            "Reviewing our legacy service, what she would stop doing: MD5 for passwords.",
            "security.weak_password_hashing.rejected",
        ),
        # a retro's section ends at another label: what follows is the note's own reading
        (
            C,
            "Continue: clear thinking. Start: measuring lock waits. Overall: took SELECT ... FOR UPDATE on the seat row, "
            "kept the transaction short and retried serialization failures with a cap.",
            "concurrency.isolation_levels",
        ),
        # "nothing - ..." is a Stop with nothing to stop, and what follows the candidate's
        (
            A,
            "Continue: clean resource names. Stop: nothing - she already stopped retrying POSTs without an idempotency key.",
            "api_design.unsafe_retries.rejected",
        ),
    ],
)
def test_what_is_not_a_retros_practice_reads_as_before(competency, notes, expected):
    """An independent review's cases against the first version of the retro reading."""
    found = {(s.kind, s.signal) for s in assess(notes, competency, LEXICON).signals}
    assert ("strong", expected) in found
    assert not [s for s in assess(notes, competency, LEXICON).signals if s.signal.startswith("judgement.gap.")]


def test_a_retro_in_capitals_is_read_as_one():
    """The cheap check before `RETRO_LABEL` must pass every retro the regex reads."""
    notes = (
        RETRO_IDEMPOTENCY.replace("Continue:", "CONTINUE:").replace("Stop:", "STOP :").replace("Start:", "Start Doing:")
    )
    assert ("weak", "api_design.idempotency") in signals_of(notes, A)
    assert [s for s in assess(notes, A, LEXICON).signals if s.kind == "red_flag"]


@pytest.mark.parametrize(
    ("competency", "guarded", "shipped"),
    [
        (
            S,
            "Same with the ORM: knex.raw with template strings is where people slip.",
            "Builds the search query with knex.raw and template strings, which is where he slipped.",
        ),
        (
            R,
            "Added an ArchUnit rule: CI fails the build if a RestTemplate is built without timeouts.",
            "RestTemplate is built without timeouts.",
        ),
    ],
)
def test_a_practice_named_as_the_pitfall_or_failed_in_the_build_is_rejected(competency, guarded, shipped):
    """Round 109's chat log: "is where people slip" warns of a practice, and a build that fails on
    it guards against it; the candidate's own slip, or the practice shipped, stays a red flag."""
    assert not [kind for kind, _ in signals_of(guarded, competency) if kind == "red_flag"]
    assert [signal for _, signal in signals_of(guarded, competency) if signal.endswith(".rejected")]
    assert [kind for kind, _ in signals_of(shipped, competency) if kind == "red_flag"]


def test_tagalogs_walang_reads_as_english_has_no_of_the_same_length():
    """Round 110's Taglish lead: "walang canary, walang rollback" is "no canary, no rollback"; the
    Hindi-English suffix "wala" ("production wala thinking") is left as written."""
    taglish = "Walang ShedLock, walang leader election."
    assert as_read(taglish) == "Has no ShedLock, has no leader election."
    hinglish = "Solid, production wala thinking."
    assert as_read(hinglish) == hinglish
    deploys = "Deploys nila to all servers at once, walang canary, walang rollback."
    assert [kind for kind, _ in signals_of(deploys, R) if kind == "red_flag"]


@pytest.mark.parametrize(
    ("competency", "hedged", "topic"),
    [
        (
            S,
            "CSRF: got about halfway, and only after I spelled out SameSite.",
            "What if the pod dies halfway? Said the job is idempotent.",
        ),
        (
            D,
            "Isolation levels. Halfway.",
            "The backfill stops halfway through when the lock times out; she resumes it from a checkpoint.",
        ),
    ],
)
def test_halfway_is_a_hedge_only_about_the_candidate_getting_there(competency, hedged, topic):
    """Round 110's what-if writer: "What if the client disconnects halfway?" is the interviewer's
    probe, not the candidate going part of the way."""
    assert "prompted" in judgement_roles(hedged, competency)
    assert "prompted" not in judgement_roles(topic, competency)


def test_a_grade_in_parentheses_on_a_first_answer_does_not_outweigh_its_recovery():
    """Round 110: "(shaky)" grades the answer before it, as much as one gap, not the interviewer's
    bottom line; "Recovered fully." is praise."""
    notes = (
        "CSV export. Started with reading the whole result into memory (shaky). What if it's 4GB? -> "
        "switched to stream.pipeline from a DB cursor, explained highWaterMark and why bare .pipe() leaks "
        "on error. What if the client disconnects halfway? -> pipeline destroys the cursor, query gets "
        "cancelled. Recovered fully."
    )
    assert verdict(notes, R) == "strong"
    assert ("strong", "judgement.praise.summary") in signals_of(notes, R)
    graded = assess("Read the whole result into memory (shaky).", R, RULES).weight
    bottom_line = assess("Read the whole result into memory. Shaky.", R, RULES).weight
    assert bottom_line < graded < 0


def test_a_doubt_that_anything_lies_behind_the_terms_is_no_alarm():
    """Round 110's judgment-style writer: "I am not persuaded there is anything behind the terms"
    doubts the candidate's depth; "I was not entirely persuaded." about a practice is an alarm."""
    assert "alarm" not in judgement_roles("HELD: I am not persuaded there is anything behind the terms.", R)
    assert "alarm" in judgement_roles("Keys live in the repo. I was not entirely persuaded.", S)


def test_the_practice_inside_a_hint_is_the_interviewers_not_the_candidates():
    """Round 110: "With a nudge (an await between reading a counter and writing it back)" is what the
    interviewer pointed at; the candidate's own handler doing it stays a red flag."""
    hinted = (
        "With a nudge (an await between reading a counter from Redis and writing it back), agreed two "
        "requests could interleave."
    )
    shipped = "His handler reads the counter from Redis, then writes it back after an await."
    assert not [kind for kind, _ in signals_of(hinted, C) if kind == "red_flag"]
    assert [kind for kind, _ in signals_of(shipped, C) if kind == "red_flag"]


def test_a_german_negation_reads_as_the_english_of_its_length():
    """Round 111's Denglish lead: "ohne Backoff", "Kein Monitoring, keine Alerts" negate as "no"
    does, padded in front so every offset is the written one."""
    for written in ("ohne Backoff, ohne Jitter", "Kein Monitoring, keine Alerts.", "Hat es nicht gesehen."):
        assert len(as_read(written)) == len(written)
    assert as_read("ohne Backoff, ohne Jitter") == "  no Backoff,   no Jitter"
    assert as_read("Hat es nicht gesehen.") == "Hat es   not gesehen."
    assert verdict("Kein Monitoring, keine Alerts, kein Tracing.", R) == "weak"


@pytest.mark.parametrize(
    ("call", "expected"),
    [("Call: the opposition carries it.", "weak"), ("Call: motion passes.", "strong")],
)
def test_a_debaters_call_is_the_bottom_line(call, expected):
    """Round 111's debater argues both sides; the call decides ("the opposition carries it")."""
    notes = (
        "Case for: knows the event loop phases and why a synchronous JSON.parse stalls every request. "
        "Case against: missed that the top-up can interleave with another at the await. " + call
    )
    assert verdict(notes, C) == expected


def test_never_having_heard_of_a_term_is_a_gap_whatever_the_term():
    """Round 111: "He hadn't heard of operator injection" (no topic of the rubric's names it)."""
    assert "gap" in judgement_roles("He hadn't heard of operator injection.", S)
    assert "gap" in judgement_roles("She had never even heard about idempotency keys.", A)
    assert "gap" not in judgement_roles("He had heard of operator injection and showed the $ne payload.", S)


def test_praise_as_the_best_answer_of_the_loop_and_i_think_he_passes_read_strong():
    """Round 111: "Probably the cleanest answer to that question this loop", and Nigerian Pidgin's
    "I dey think e pass" (I think he passes) as the bottom line."""
    assert ("strong", "judgement.praise.clear") in signals_of(
        "Probably the cleanest answer to that question this loop.", A
    )
    assert ("strong", "judgement.verdict.hire") in signals_of("I think she passes, small hesitation.", D)
    assert ("strong", "judgement.verdict.hire") in signals_of("I dey think e pass, small hesitation.", D)
    assert ("strong", "judgement.verdict.hire") not in signals_of("I think he passes the token in the URL.", S)
    assert ("strong", "judgement.verdict.hire") not in signals_of("I think he passes tokens in the URL.", S)


def test_an_audit_trail_the_app_cannot_rewrite_is_a_strength_and_its_absence_is_not():
    """Round 112's fisheries lead: an append-only, hash-chained audit table is a security strength;
    an audit table that is "not append-only" is not that strength."""
    assert ("strong", "security.audit_trail") in signals_of(
        "Quota changes audited: who/when/why, append-only table, hash-chained so tampering is visible.", S
    )
    assert ("strong", "security.audit_trail") not in signals_of(
        "The audit log table is not append-only; any admin can edit rows in it.", S
    )


def test_a_hypothesis_line_is_what_the_test_looks_for_and_its_result_is_the_verdict():
    """Round 112's hypothesis writer: "H: candidate uses EXPLAIN plans and knows covering indexes"
    names the rubric's words whatever the candidate showed; "Result: not supported" decides."""
    notes = (
        "H: candidate uses EXPLAIN plans and knows covering indexes.\n"
        "Test: an EXPLAIN ANALYZE of a slow report.\n"
        "Observed: read the Seq Scan on a 300-row lookup table as the problem; missed the nested loop.\n"
        "Result: not supported."
    )
    sections = hypothesis_sections(notes)
    assert [notes[start:end] for start, end in sections] == [
        "H: candidate uses EXPLAIN plans and knows covering indexes."
    ]
    assert not [s for s in assess(notes, D, RULES).signals if s.kind == "strong" and "covering" in s.quote]
    assert verdict(notes, D) == "weak"
    supported = notes.replace(
        "read the Seq Scan on a 300-row lookup table as the problem; missed the nested loop",
        "found the nested loop running 2M times and added a covering index",
    ).replace("not supported", "supported")
    assert verdict(supported, D) == "strong"
    assert hypothesis_sections("HTTP: 429 with Retry-After.") == []


@pytest.mark.parametrize(
    ("grade", "kind"),
    [("(0.2)", "weak"), ("(1/5)", "weak"), ("(0.9)", "strong"), ("(4/5)", "strong")],
)
def test_a_practice_graded_low_in_parentheses_is_one_the_candidate_did_not_show(grade, kind):
    """Round 113's OKR writer: "KR3: idempotency of the create call (0.2)" names the practice the
    key result probed; its low grade says the candidate did not show it."""
    notes = f"KR1: idempotency of the create call {grade}"
    assert (kind, "api_design.idempotency") in signals_of(notes, A)
    # Outside key results a number in parentheses is no grade ("a canary (10%)", a count, a share).
    assert ("strong", "api_design.idempotency") in signals_of(f"Idempotency of the create call {grade}", A)


@pytest.mark.parametrize(
    ("overall", "expected"),
    [("Overall: 0.35.", "judgement.verdict.no_hire"), ("Overall: 0.85.", "judgement.verdict.hire")],
)
def test_an_okrs_overall_score_on_a_scale_of_one_is_the_bottom_line(overall, expected):
    """Round 113: "Overall: 0.35" is a no, "Overall: 0.85" a yes (not the "0" of "0.85")."""
    notes = "Objective: retries for the payment call. KR1: talked about the retry loop. " + overall
    found = {signal for _, signal in signals_of(notes, R) if signal.startswith("judgement.verdict.")}
    assert found == {expected}


def test_a_hypothesis_is_one_only_beside_its_test_and_its_result_reads_only_on_a_strength():
    """The review of -245: a transcript's "H:" speaker and the candidate's own "Hypothesis: ...,
    confirmed" are no hypothesis tests; "Result: rejected" on "H: candidate builds SQL by string
    concatenation" is no verdict, and the H line's practice is no red flag; "Result:" elsewhere
    is no verdict."""
    transcript = (
        "Me: how do you make the create call safe to retry?\n"
        "H: an idempotency key per request, stored with the response and replayed on a retry."
    )
    assert hypothesis_sections(transcript) == []
    assert ("strong", "api_design.idempotency") in signals_of(transcript, A)
    inverted = (
        "H: candidate builds SQL by string concatenation.\n"
        "Observed: bound parameters throughout, even for the ORDER BY via an allow-list.\n"
        "Result: not supported."
    )
    found = signals_of(inverted, S)
    assert not [kind for kind, _ in found if kind == "red_flag"]
    assert not [signal for _, signal in found if signal.startswith("judgement.verdict.")]
    elsewhere = "Duplicate payment? Result: not supported by the provider, so the client retries."
    assert not [signal for _, signal in signals_of(elsewhere, A) if signal.startswith("judgement.verdict.")]


def test_a_verdict_labelled_before_its_parenthesis_is_the_bottom_line():
    """The review of -245: "Verdict (weak)." is the bottom line, not a grade of the answer before it."""
    labelled = assess("Read the whole result into memory. Verdict (weak).", R, RULES).weight
    graded = assess("Read the whole result into memory (weak).", R, RULES).weight
    assert labelled < graded < 0


def test_an_okrs_overall_is_a_label_not_a_word_in_a_measurement():
    """The review of -245: "Cache hit ratio overall: 0.4." measures; it is no verdict."""
    for notes in ("Cache hit ratio overall: 0.4.", "Zero errors (5xx overall: 0)."):
        assert not [signal for _, signal in signals_of(notes, R) if signal.startswith("judgement.verdict.")]


def test_an_audit_trail_is_not_any_immutable_thing_nor_one_open_to_tampering():
    """The review of -245."""
    for notes in (
        "Said JWTs are immutable so logout needs a blocklist table.",
        "The audit log is in the app's own schema and any admin can tamper with it.",
    ):
        assert ("strong", "security.audit_trail") not in signals_of(notes, S)
    assert ("strong", "security.audit_trail") in signals_of("Audit log table the app role can't update or delete.", S)


def test_a_telegrams_stop_is_a_full_stop_and_a_plain_stop_is_a_word():
    """Round 114's telegram voice: "... SO NO RACE STOP SERVICE RUNS SIX PODS STOP" ends its
    sentences with "STOP" (read as the candidate rejecting the practice before it, until -247);
    "PLEASE STOP USING MD5" keeps its word."""
    telegram = "STORES PASSWORDS AS MD5 STOP SAYS FINE FOR INTERNAL TOOL STOP NOT THERE STOP"
    read = as_read(telegram)
    assert len(read) == len(telegram)
    assert read == "STORES PASSWORDS AS MD5 .    SAYS FINE FOR INTERNAL TOOL .    NOT THERE .   "
    assert [kind for kind, _ in signals_of(telegram, S) if kind == "red_flag"]
    assert as_read("PLEASE STOP USING MD5 FOR PASSWORDS") == "PLEASE STOP USING MD5 FOR PASSWORDS"


_RETRIES_AT_EVERY_LAYER = (
    "Every outbound call goes through a shared retry helper, five attempts each, and the BFF, the orders "
    "service and the inventory client each wrap their calls in it, so a request that fails at the bottom is retried "
    "again at every layer above"
)


def test_a_weak_practice_the_candidate_approves_of_in_its_sentence_is_a_red_flag():
    endorsed = assess(_RETRIES_AT_EVERY_LAYER + ", which he sees as defence in depth.", R, RULES)
    told = assess(_RETRIES_AT_EVERY_LAYER + ".", R, RULES)
    assert endorsed.red_flags == ("reliability_observability.hazard.retry_amplification",)
    assert not told.red_flags
    # with "no delay" it is a red flag as told: 29 of the 31 corpus notes that say so (-295)
    no_delay = _RETRIES_AT_EVERY_LAYER.replace("five attempts each", "five attempts with no delay")
    assert "reliability_observability.hazard.retry_storm" in assess(no_delay + ".", R, RULES).red_flags


def test_a_bottom_line_does_not_clear_a_practice_the_candidate_rests_on_its_track_record():
    backups = "Strong. Backups are a nightly pg_dump to a directory on the same disk as the database"
    assert assess(backups + "; she mentioned it has run reliably for two years.", R, RULES).red_flags
    assert not assess(backups + "; she moved them to S3 with monthly restore drills.", R, RULES).red_flags


def test_approval_of_a_sound_practice_raises_no_red_flag():
    notes = (
        "Keys rotate every 90 days through the secrets manager, and he likes that nobody ever sees a production key."
    )
    assert not assess(notes, S, LEXICON).red_flags


def test_a_one_word_verdict_between_dashes_is_an_aside_not_the_bottom_line():
    blob = "One JSON blob per customer holding settings, orders and invoices: read it, modify, write it all back."
    assert assess('He did ask "is it read heavy?" - good - but ignored my answer. ' + blob, D, LEXICON).red_flags


@pytest.mark.parametrize(
    "notes",
    [
        "Strong. When he joined, backups were a nightly pg_dump to a directory on the same disk as the database; he moved"
        " them to S3 with PITR, and that has worked flawlessly since.",
        "Strong. He described a partner team whose backups were a nightly pg_dump to a directory on the same disk as the"
        " database, which they saw as good enough; he talked them into off-site copies.",
    ],
)
def test_an_approval_of_the_fix_or_of_another_teams_practice_is_not_the_candidates(notes):
    assert not assess(notes, R, LEXICON).red_flags


def test_an_approved_practice_stays_a_red_flag_while_a_story_beside_it_is_cleared():
    notes = (
        "Strong. Backups used to be a nightly pg_dump to a directory on the same disk as the database; he replaced that"
        " with WAL archiving to S3. " + _RETRIES_AT_EVERY_LAYER + ", which he sees as defence in depth."
    )
    assert assess(notes, R, LEXICON).red_flags == ("reliability_observability.hazard.retry_amplification",)


def test_a_sound_practice_the_candidate_approves_of_is_no_red_flag():
    notes = (
        "Strong hire. Inside one transaction he reads the balance with SELECT ... FOR UPDATE, awaits the fraud-score call,"
        " then writes the new balance back, and he likes that the row lock makes the race impossible."
    )
    assert not assess(notes, C, LEXICON).red_flags


def test_a_denial_that_opens_a_list_of_denied_safeguards_rejects_nothing():
    told = assess("JWTs for the mobile app, and no sessions, tokens in the query string for the websocket.", S, RULES)
    assert told.red_flags


_KEYS_PER_INSTANCE = "The idempotency keys live in a Caffeine cache inside each instance"


@pytest.mark.parametrize(
    "reason",
    [
        ', since "the LB has sticky sessions on client id anyway".',
        ', because "the load balancer pins each client to one instance".',
        ", which he finds simpler than running Redis.",
    ],
)
def test_a_weak_practice_defended_as_a_choice_or_in_quotes_is_a_red_flag(reason):
    assert assess(_KEYS_PER_INSTANCE + reason, A, RULES).red_flags == ("api_design.hazard.idempotency_keys_in_memory",)
    assert not assess(_KEYS_PER_INSTANCE + ".", A, RULES).red_flags


@pytest.mark.parametrize(
    "notes",
    [
        "He would not keep idempotency keys in a Caffeine cache inside each instance, because the load balancer"
        " already spreads one client over all of them.",
        _KEYS_PER_INSTANCE + " - he moved them to Redis, since the cache was already shared.",
    ],
)
def test_a_reason_after_a_refused_or_replaced_practice_defends_nothing(notes):
    assert not assess(notes, A, RULES).red_flags


_PRAISE_AROUND = (
    "Talked about secrets managers and rotation fluently, with real depth. {} Solid on dependency hygiene: npm audit"
    " and lockfile checks in CI, pinned base images, and a clear account of SBOMs."
)


def test_a_red_flag_defended_with_a_reason_is_not_cleared_by_praise_around_it():
    defended = "Their setup copies the .env file into the Docker image at build time, since the registry is private."
    story = "At his last job the team copied the .env file into the Docker image; he moved it to Secrets Manager."
    assert assess(_PRAISE_AROUND.format(defended), S, LEXICON).red_flags
    assert not assess(_PRAISE_AROUND.format(story), S, LEXICON).red_flags


_WARM = (
    "Good instincts on input validation, zod on every route and unknown keys rejected, parameterised queries through"
    " the driver, helmet defaults and a sane CSP for the admin app. {} Explained bcrypt against argon2id cost"
    " parameters really well."
)


def test_a_red_flag_told_plainly_as_the_candidates_own_design_is_not_read_as_a_story():
    plain = (
        "Tenant scoping comes from an X-Tenant-Id header the SPA sets after login, and the repository adds"
        " WHERE tenant_id = that value."
    )
    assert assess(_WARM.format(plain), S, LEXICON).red_flags


@pytest.mark.parametrize(
    "told",
    [
        "He knew that tenant scoping from an X-Tenant-Id header the SPA sets is how tenants leak, and reads it from"
        " the token.",
        "Tenant scoping comes from the verified token claim, never from a header the SPA sets.",
    ],
)
def test_a_practice_known_or_denied_in_a_warm_note_is_no_red_flag(told):
    assert not assess(_WARM.format(told), S, LEXICON).red_flags


def test_a_reason_after_a_guarded_practice_keeps_a_warm_note_from_a_red_flag():
    notes = (
        "Nightly job that builds the invoices on the 1st: he guards it with a Postgres advisory lock so only one"
        " instance runs it, and the job is idempotent anyway if it runs two times. Correct, and well explained."
    )
    assert not assess(notes, C, LEXICON).red_flags


def test_a_list_denied_by_the_clause_after_it_is_a_gap_not_a_strength():
    denied = assess(
        "Never built anything with concurrent writes. Locking, isolation levels, queues - none of it.", C, RULES
    )
    listed = assess(
        "Built a booking service with concurrent writes. Locking, isolation levels, queues - all of it.", C, RULES
    )
    assert denied.weight < 0 and {s.kind for s in denied.signals if s.signal.startswith("concurrency.")} == {"weak"}
    assert listed.weight > 0


def test_a_harm_the_candidate_saw_only_after_the_interviewers_drawing_is_the_exercises():
    notes = "Needed me to draw the two requests on the whiteboard before she saw the double-book."
    assert not assess(notes, C, RULES).red_flags


def test_a_reason_alone_keeps_a_red_flag_in_praise_from_being_read_as_a_story():
    # "we learnt that" keeps the sentence from reading as plainly told: only the reason is left
    told = "On deploys we learnt that their setup copies the .env file into the Docker image at build time"
    assert assess(_PRAISE_AROUND.format(told + ", since the registry is private."), S, LEXICON).red_flags
    assert not assess(_PRAISE_AROUND.format(told + "."), S, LEXICON).red_flags


_ENV_IN_THE_IMAGE = "On deploys we learnt that their setup copies the .env file into the Docker image at build time"


@pytest.mark.parametrize(
    "reason",
    [
        ", because a secrets step in the pipeline was costing them a day per release.",
        ", on the grounds that a secrets manager is one more moving part.",
        ", so the developers don't have to fetch anything at startup.",
        ", so a deploy can't lose its config.",
    ],
)
def test_a_cost_a_grounds_or_a_purpose_after_a_red_flag_in_praise_is_the_candidates_reason(reason):
    assert assess(_PRAISE_AROUND.format(_ENV_IN_THE_IMAGE + reason), S, LEXICON).red_flags


@pytest.mark.parametrize(
    "after",
    [
        " - he suggested build secrets, since the registry is private anyway.",
        " (he would pass build secrets, since the registry is private).",
    ],
)
def test_a_reason_set_apart_by_a_dash_or_parenthesis_belongs_to_the_fix_after_it(after):
    assert not assess(_PRAISE_AROUND.format(_ENV_IN_THE_IMAGE + after), S, LEXICON).red_flags


def test_a_fix_after_the_reason_in_its_sentence_makes_the_reason_the_old_teams():
    fixed = ", since the registry was private, and he moved it to build secrets."
    assert not assess(_PRAISE_AROUND.format(_ENV_IN_THE_IMAGE + fixed), S, LEXICON).red_flags


def test_a_quote_given_late_in_a_run_on_sentence_defends_the_practice_before_it():
    late = (
        " so that every deploy carries its own config and nothing else is needed,"
        ' "the registry is private and nobody outside can pull it".'
    )
    assert assess(_PRAISE_AROUND.format(_ENV_IN_THE_IMAGE + late), S, LEXICON).red_flags


def test_a_quote_after_a_fix_is_a_lesson_not_a_defence():
    lesson = ' until an audit, when he moved it to build secrets and wrote up why, "the image is no place for a key".'
    assert not assess(_PRAISE_AROUND.format(_ENV_IN_THE_IMAGE + lesson), S, LEXICON).red_flags


def test_a_quoted_purpose_right_after_a_practice_defends_it():
    defended = _ENV_IN_THE_IMAGE + ' "so every deploy has its config".'
    assert assess(_PRAISE_AROUND.format(defended), S, LEXICON).red_flags


def test_the_quoted_reason_for_a_safeguard_defends_no_practice():
    notes = (
        "Slow to start on secrets, then it came out well: nothing in repos or images, short-lived credentials,"
        ' rotation that has been tested, a scanner on commits "because people do paste keys, I have". Sessions over'
        " JWT because of revocation, and could say when she would choose the other way round. Meets the bar."
    )
    assert not assess(notes, S, LEXICON).red_flags


@pytest.mark.parametrize(
    "after",
    [
        ' and he was clear about the risk to the company, saying "an image is a public artefact sooner or later".',
        '; on dependencies he said "pin everything and scan every build".',
        ", and he would mount it at runtime from the secret store so keys don't get baked into layers.",
        ", which he called dangerous because rotating a leaked key then takes a day per service.",
    ],
)
def test_a_warning_a_proposal_or_another_topics_quote_after_a_practice_is_no_defence_of_it(after):
    assert not assess(_PRAISE_AROUND.format(_ENV_IN_THE_IMAGE + after), S, LEXICON).red_flags


def test_a_quoted_defence_may_say_in_its_own_words_what_was_added():
    defended = '; his words: "we added it to the image so a deploy is one artefact".'
    assert assess(_PRAISE_AROUND.format(_ENV_IN_THE_IMAGE + defended), S, LEXICON).red_flags


def test_a_quote_after_because_defends_the_practice_told_before_it():
    notes = (
        "Really strong on replication and on the WAL, with real depth. On backups she stopped taking base backups a"
        ' while ago because "the standby is a full copy at all times, that is the backup". Then a crisp account of'
        " synchronous against asynchronous commit and what a failover loses."
    )
    assert "databases.hazard3.replica_as_backup" in assess(notes, D, LEXICON).red_flags


@pytest.mark.parametrize(
    "told",
    [
        "Scenario two: tenant scoping comes from an X-Tenant-Id header the SPA sets after login, and the repository"
        " adds WHERE tenant_id = that value.",
        "At his last company tenant scoping came from an X-Tenant-Id header the SPA sets after login.",
        "Tenant scoping comes from an X-Tenant-Id header the SPA sets after login. She flags it at once and moves it"
        " to the token claim.",
    ],
)
def test_an_exhibit_a_past_employer_or_a_flag_diagnosed_next_is_no_plainly_told_practice(told):
    assert not assess(_WARM.format(told), S, LEXICON).red_flags


def test_a_reason_set_apart_by_a_dash_belongs_to_the_fix_after_it():
    notes = (
        "Hard to read at first. But: Promise.all over 5k items opens 5k sockets - suggested a p-limit style cap around"
        " 20 with a keepAlive agent, and said the downstream rate-limits anyway so more concurrency just buys 429s."
        " Quietly correct. Yes."
    )
    assert not assess(notes, C, LEXICON).red_flags


def test_only_the_candidate_calling_a_practice_fine_to_keep_makes_it_theirs():
    shape = (
        "For response shaping he returns the Prisma model straight through res.json(user), relations included, and {}"
        " said passwordHash and resetToken are fine to leave on it."
    )
    assert assess(shape.format("he"), A, RULES).red_flags == ("api_design.hazard3.entity_serialized",)
    assert not assess(shape.format("their security lead"), A, RULES).red_flags


def test_a_reason_followed_by_the_fix_in_a_hired_note_keeps_the_story_a_story():
    notes = (
        "Strong hire. The search sync writes the order to Postgres and then to Elasticsearch; if the ES write fails it"
        " logs a warning and returns 200, because the nightly reindex fixes drift anyway. He replaced that with an"
        " outbox table and a relay."
    )
    assert not assess(notes, D, LEXICON).red_flags


@pytest.mark.parametrize(
    "told",
    [
        # a past telling with a story's own words is read as a story (a bare "was" is not one since -294)
        "At his last job tenant scoping was taken from an X-Tenant-Id header the SPA sets after login, and the"
        " repository added WHERE tenant_id = that value; he moved it to the token's signed claim.",
        # a sentence that alone does not read weak is not told plainly as a flaw
        "Tenant scoping comes from an X-Tenant-Id header the SPA sets after login, a clean, well reasoned and clearly"
        " explained design.",
    ],
)
def test_a_red_flag_in_praise_told_as_a_story_or_in_praising_words_is_still_read_as_a_story(told):
    assert not assess(_WARM.format(told), S, LEXICON).red_flags


def test_a_practice_told_with_a_bare_was_in_praise_is_the_candidates_own():
    told = (
        "Tenant scoping was taken from an X-Tenant-Id header the SPA sets after login, and the repository adds"
        " WHERE tenant_id = that value."
    )
    assert assess(_WARM.format(told), S, LEXICON).red_flags


_API_PRAISE = (
    "Really fluent on REST: problem+json errors, cursor pagination with opaque tokens, ETags for conditional"
    " updates and a clean resource model. {} Deprecation headers and sunset dates came up without prompting."
)


def test_a_breaking_change_made_on_the_existing_endpoint_is_the_candidates_own_practice():
    told = "He'd rename `qty` to `quantity` on the existing endpoint in one release, because the apps are all ours."
    story = "He once inherited the existing endpoint where a teammate renamed `qty` to `quantity`, and added a v2."
    assert assess(_API_PRAISE.format(told), A, LEXICON).red_flags
    assert not assess(_API_PRAISE.format(story), A, LEXICON).red_flags


_OPS_PRAISE = (
    "Strong on observability: structured JSON logs with trace ids, RED dashboards per service and SLO burn-rate"
    " alerts with runbooks. {} Clear, calm on-call handover notes too."
)


def test_keeping_one_bad_record_from_stopping_the_run_is_a_reason_for_swallowing_its_error():
    told = "Each record is handled in a try/catch that logs at DEBUG and moves on"
    assert assess(
        _OPS_PRAISE.format(told + ", so one malformed message never stops the nightly run."), R, LEXICON
    ).red_flags


def test_a_verdict_on_the_topic_the_interview_moved_to_is_not_the_bottom_line_on_the_note():
    notes = (
        'Lock expiry and the reminders. She said "I set a setTimeout for the expiry and another one for the'
        " three-day reminder, it's cheap and there's no cron to maintain.\" Locks run 30 to 60 days. Asked about"
        " the reminder email: a template service and retries with backoff, fine. {}"
    )
    assert assess(
        notes.format("Then we moved into logging: pino, JSON, a redaction config, solid."), R, LEXICON
    ).red_flags
    assert not assess(notes.format("Strong hire overall, solid."), R, LEXICON).red_flags


@pytest.mark.parametrize(
    "told",
    [
        "After her talk the devs each stopped committing .env files to the repo.",
        "She put a stop to logging the whole request body at info in production.",
    ],
)
def test_a_stop_after_each_or_an_article_still_rejects_the_practice_in_a_praised_note(told):
    assert not assess(_PRAISE_AROUND.format(told), S, LEXICON).red_flags


def test_code_the_candidate_was_handed_on_an_existing_app_is_not_their_practice():
    told = (
        "Her take-home built on the existing app, where the JWT is decoded without verifying the signature;"
        " she noticed it and fixed it."
    )
    assert not assess(told, S, LEXICON).red_flags


def test_a_wrap_up_after_a_topic_move_is_still_the_bottom_line_on_the_note():
    notes = (
        'Lock expiry and the reminders. She said "I set a setTimeout for the expiry and another one for the'
        " three-day reminder, it's cheap and there's no cron to maintain.\" Locks run 30 to 60 days."
        " Finally we got to the wrap-up: strong hire overall, solid."
    )
    assert not assess(notes, R, LEXICON).red_flags


def test_a_reason_given_for_the_candidates_fix_does_not_defend_the_practice_it_replaced():
    praise = (
        "Really fluent on concurrency: SKIP LOCKED queues, idempotent consumers, backpressure and fencing tokens."
        " {} Calm, precise answers throughout."
    )
    told = (
        "The nightly job took a Redis SETNX lock with a 10-second expiry while the publish runs 30 to 60 seconds,"
        " and she added a version check on write so a second run can't break anything."
    )
    assert not assess(praise.format(told), C, LEXICON).red_flags


_TOP_UP = "Wallet w = repo.findById(id).orElseThrow(); w.setBalance(w.getBalance() + amt); repo.save(w);"
_TIDY = (
    " Very readable, tight method, good naming, and he wrote unit tests for it without being asked."
    " Clear, confident explanations throughout."
)


def test_a_dangerous_line_in_the_candidates_own_inline_code_is_not_cleared_by_praise_for_the_rest():
    assert assess(f"Wallet top-up in the Kafka listener: `{_TOP_UP}`{_TIDY}", C, LEXICON).red_flags


def test_a_dangerous_line_in_the_candidates_own_fenced_code_is_not_cleared_by_praise_for_the_rest():
    fenced = _TOP_UP.replace("; ", ";\n")
    assert assess(f"Wallet top-up listener they wrote:\n```\n{fenced}\n```\n{_TIDY.strip()}", C, LEXICON).red_flags


@pytest.mark.parametrize(
    "notes",
    [
        f"We gave him `{_TOP_UP}` from our codebase and he spotted the lost update at once.{_TIDY}",
        "Wallet top-up listener we gave him:\n```\n"
        + _TOP_UP.replace("; ", ";\n")
        + "\n```\nHe spotted the lost update at once and moved it to an atomic UPDATE."
        + _TIDY,
    ],
)
def test_code_the_candidate_was_given_and_fixed_is_still_cleared_by_praise(notes):
    assert not assess(notes, C, LEXICON).red_flags


def test_a_one_word_verdict_on_a_timestamped_line_judges_that_line_not_the_note():
    notes = (
        "10:02 asked how schema changes reach production.\n"
        "10:04 spring.jpa.hibernate.ddl-auto=update in every environment incl prod, Hibernate adds the columns.\n"
        "10:07 knew N+1 with lazy loading, fixes it with join fetch. good.\n"
        "10:10 Hikari pool sized from max_connections across 6 pods.\n"
        "Pleasant, knows JPA."
    )
    assert assess(notes, D, LEXICON).red_flags


def test_a_practice_the_candidate_defends_inside_their_own_quote_is_not_cleared_by_praise_for_something_else():
    notes = (
        "\"Gateway tokens never expire, because the units sit in a depot all winter and we don't want to"
        ' re-provision them. No revocation list either, keeps the auth service simple." Knows the hardware, good.'
    )
    assert assess(notes, S, LEXICON).red_flags


def test_a_quote_that_warns_about_the_practice_is_a_lesson_not_a_defence():
    notes = (
        '"Tokens that never expire are the risk, because a stolen unit keeps working." Rotates them monthly'
        " with a revocation list. Knows the hardware, good."
    )
    assert not assess(notes, S, LEXICON).red_flags


def test_an_answer_in_parentheses_after_the_question_is_the_candidates_not_part_of_the_next_question():
    notes = (
        "morning rush, inserts get slow, what do you do? (turn fsync off on the primary, it's mostly writes anyway)"
        " what else? (COPY for the nightly import) partitioning? (by day, drop old partitions)"
    )
    clauses = split_clauses(notes)
    answer = next(c for c in clauses if notes[c.start : c.end].startswith("turn fsync"))
    assert not answer.question
    assert assess(notes, D, LEXICON).red_flags


@pytest.mark.parametrize(
    "notes",
    [
        "CAP talk was grounded: for card sales take the order and reconcile later, for seat allocations refuse."
        " Dropped PACELC then couldn't remember what the E-L half was. Didn't matter.",
        "Good on async: bounded concurrency with p-limit, AbortController to cancel the batch when the client goes"
        " away. Mixed up setImmediate and process.nextTick ordering. Did not affect the substance.",
    ],
)
def test_a_gap_the_interviewer_dismisses_in_the_next_breath_is_a_slip_in_a_strong_note(notes):
    assert verdict(notes, C) == "strong"


@pytest.mark.parametrize(
    "notes",
    [
        f"First draft of the top-up: `{_TOP_UP}` then he switched to `UPDATE wallet SET balance = balance + :amt"
        f" WHERE id = :id` on his own, explaining the lost update.{_TIDY}",
        f"Told the incident story: `{_TOP_UP}` in two consumers lost 300 top-ups in a day; the postmortem moved"
        f" them to an atomic UPDATE.{_TIDY}",
    ],
)
def test_the_candidates_first_cut_or_incident_code_left_behind_is_still_a_story(notes):
    assert not assess(notes, C, LEXICON).red_flags


def test_a_fix_word_far_from_the_candidates_code_does_not_release_it():
    notes = f"Wallet top-up in the Kafka listener: `{_TOP_UP}`{_TIDY} He saw the point of idempotent consumers."
    assert assess(notes, C, LEXICON).red_flags


def test_a_tilde_fence_holds_the_candidates_code_too():
    notes = "Wallet top-up listener they wrote:\n~~~\n" + _TOP_UP.replace("; ", ";\n") + "\n~~~\n" + _TIDY.strip()
    assert assess(notes, C, LEXICON).red_flags


@pytest.mark.parametrize("verdict_line", ["- Overall: hire.", "- I'd hire him."])
def test_a_labelled_verdict_on_a_bullet_is_still_the_bottom_line(verdict_line):
    notes = (
        "- schema changes: ddl-auto=update in prod at his last place, drifted twice, now Flyway\n"
        f"- knows N+1, join fetch\n- Hikari pool sized per pod\n{verdict_line}\n- follow-up for the panel: system design"
    )
    assert not assess(notes, D, LEXICON).red_flags


@pytest.mark.parametrize(
    "notes",
    [
        "At his last job passwords were plain MD5 and he led the move to argon2. He quoted the old team lead:"
        ' "tokens never expire, because the units sit in a depot", and explained why that was the wrong call.'
        " Knows the hardware, good.",
        '"Gateway tokens never expire, because the units sit in a depot all winter." He then called that the'
        " weakest part of the design and proposed short-lived certs with a refresh. Knows the hardware, good.",
        "He described his current project: \"We've had gateway tokens that never expire since 2019, and I'm"
        ' replacing them this quarter with one-hour tokens and a revocation list." Strong hire.',
    ],
)
def test_a_quote_someone_else_said_or_the_candidate_turned_from_defends_nothing(notes):
    assert not assess(notes, S, LEXICON).red_flags


@pytest.mark.parametrize(
    "notes",
    [
        "Fans the three lookups out on a dedicated bounded executor, not the common ForkJoinPool, timeout on each.",
        "Fans the three lookups out on a dedicated bounded executor (not the common ForkJoinPool), timeout on each.",
    ],
)
def test_a_default_the_candidate_chose_against_is_no_gap_in_what_they_know(notes):
    assert not [
        s for s in assess(notes, C, LEXICON).signals if s.kind == "weak" and s.signal.startswith("concurrency.")
    ]


def test_a_note_that_opens_with_its_prompt_names_the_exercise_not_a_hint():
    opening = "Prompt: the monthly statement query is slow.\nActual: ran EXPLAIN ANALYZE, found the seq scan, added a composite index."
    hinted = "Started with a seq scan and no plan.\nprompt: what does EXPLAIN say?\nThen found the index."
    assert not judgement_roles(opening, D) & {"prompted"}
    assert "prompted" in judgement_roles(hinted, D)


def test_a_tree_drawn_with_box_characters_reads_like_bullets():
    notes = "retry endpoint\n├── Idempotency-Key header, stored 24h with the first response\n└── ok"
    assert len(as_read(notes)) == len(notes)
    assert "praise" in judgement_roles(notes, A)
    assert verdict(notes, A) == "strong"


def test_a_match_that_runs_on_past_a_code_parenthesis_is_quoted_to_its_end():
    notes = "Nightly partner import: catch (Exception e) log it and skip to the next file."
    flags = [s for s in assess(notes, R, LEXICON).signals if s.kind == "red_flag"]
    assert flags and "skip to the next" in flags[0].quote


def test_a_yes_or_no_answer_named_as_a_thing_is_no_verdict():
    notes = "Returns a risk score with a confidence band, not a yes/no."
    assert "verdict" not in judgement_roles(notes, A)


def test_practices_the_candidate_found_unfamiliar_are_gaps_not_strengths():
    notes = "Renders the PDFs on the main thread; worker_threads and a job queue were unfamiliar."
    assert not [
        s for s in assess(notes, C, LEXICON).signals if s.kind == "strong" and s.signal.startswith("concurrency.")
    ]


def test_practices_the_interviewer_raised_and_the_candidate_waved_off_are_not_strengths():
    notes = "Advisory locks, ShedLock and a SKIP LOCKED claim were raised by me and waved off as overkill."
    assert not [
        s for s in assess(notes, C, LEXICON).signals if s.kind == "strong" and s.signal.startswith("concurrency.")
    ]


def test_a_practice_named_as_how_apps_get_owned_is_known_not_shipped():
    notes = "Knew exec with a user-supplied filename is how node services get owned."
    assert not assess(notes, S, LEXICON).red_flags


def test_a_missing_timeout_the_candidate_worked_out_is_a_finding():
    notes = "Calls piled up with no errors. She worked out the vendor client was built with no timeout, then added one."
    assert not assess(notes, R, RULES).red_flags


def test_a_practice_held_back_until_the_candidate_had_measured_is_no_gap():
    notes = "Wouldn't denormalize the orders table until she'd profiled the slow report."
    assert not [s for s in assess(notes, D, RULES).signals if s.kind == "weak" and s.signal.startswith("databases.")]


def test_a_practice_defended_by_the_candidates_quoted_reassurance_stays_a_red_flag_under_praise():
    notes = 'The payout callback marks the order paid on any POST, no signature check "because the URL is secret". Zero friction. Nice.'
    assert "security.hazard.webhook_unverified" in assess(notes, S, LEXICON).red_flags


def test_a_practice_the_candidate_makes_the_case_for_in_the_next_sentence_stays_a_red_flag():
    notes = (
        "If the order POST hangs the kiosk simply posts again, up to five times, and the night shift merges whatever"
        " duplicates turn up. He reasoned that customers in a queue will not wait and merging takes ten minutes. The"
        " rest of the order resource was tidy, with good validation messages and a sensible 201 with Location."
    )
    assert assess(notes, A, LEXICON).red_flags


def test_a_practice_only_someone_else_might_slip_into_is_no_red_flag():
    notes = "Bind parameters everywhere; the ORM covers it unless someone concatenates into a native query, which lint flags."
    assert not assess(notes, S, RULES).red_flags


def test_a_limit_the_design_keeps_does_not_negate_the_list_after_it():
    notes = "POST /payments/{id}/refunds, total can't exceed what was captured, idempotency key, 201 with Location."
    assert not [s for s in assess(notes, A, RULES).signals if s.kind == "weak"]


def test_words_that_only_frame_the_knowledge_do_not_stop_a_negation_reaching_a_list():
    notes = "She doesn't have much of a view yet on versioning, pagination or error formats."
    signals = assess(notes, A, RULES).signals
    assert {s.signal for s in signals if s.kind == "weak"} >= {"api_design.evolution", "api_design.pagination"}
    assert not [s for s in signals if s.kind == "strong"]


def test_removing_an_old_field_once_its_deprecation_window_is_over_is_no_undone_practice():
    notes = "Said add the new field, keep the old one populated, then remove it after the deprecation window."
    signals = assess(notes, A, RULES).signals
    assert "api_design.evolution" in {s.signal for s in signals if s.kind == "strong"}
    assert not [s for s in signals if s.kind == "weak"]


def test_a_practice_after_a_denied_item_and_just_is_the_candidates_own():
    notes = "No pagination on /fleet/receipts at all, just send the whole list and let the app filter."
    assert "api_design.hazard.unbounded_lists" in assess(notes, A, RULES).red_flags


def test_a_topic_that_did_not_occur_to_the_candidate_is_a_gap():
    signals = assess("ConcurrentHashMap and AtomicInteger didn't occur to them.", C, RULES).signals
    assert [s for s in signals if s.kind == "weak"]
    assert not [s for s in signals if s.kind == "strong"]


def test_saying_this_is_not_a_pass_is_the_interviewers_no():
    notes = "Knows locks and queues. I think, on balance, this isn't a pass."
    assert "judgement.verdict.no_hire" in {s.signal for s in assess(notes, C, RULES).signals}


def test_a_negation_inside_a_condition_the_design_answers_is_no_gap():
    notes = (
        "Extension takes a row lock on the car's calendar; if we couldn't lock, the exclusion constraint catches it."
    )
    assert not [s for s in assess(notes, C, RULES).signals if s.kind == "weak"]


def test_a_pattern_that_names_a_parenthesis_matches_across_the_clauses_it_parts():
    notes = "Added an index on (route_id, tapped_at) for the weekly revenue report."
    assert "databases.composite_index" in {s.signal for s in assess(notes, D, RULES).signals if s.kind == "strong"}


def test_what_a_swallowing_catch_leaves_undone_is_how_the_practice_is_told_not_a_rejection():
    notes = "He catches Exception in the job runner, does not rethrow, logs at debug and marks the job DONE."
    assert "reliability_observability.hazard.swallowed_errors" in assess(notes, R, RULES).red_flags


def test_a_pair_that_follows_reads_the_next_sentence_before_flagging_a_practice():
    notes = (
        "SETNX a key as the lock and delete it at the end. The key gets a 30s TTL too, so a dead worker can't hold it."
    )
    assert not assess(notes, C, RULES).red_flags
    assert assess("SETNX a key as the lock and delete it at the end. Simple, no extra infra.", C, RULES).red_flags


def test_not_a_pass_ending_the_note_is_the_interviewers_no_but_a_pass_through_proxy_is_no_verdict():
    assert "judgement.verdict.no_hire" in {s.signal for s in assess("Knows locks. Not a pass.", C, RULES).signals}
    notes = "She designed the gateway well; it isn't a pass-through proxy, it validates and rate-limits per API key."
    assert not [s for s in assess(notes, A, RULES).signals if s.signal.startswith("judgement.verdict.")]


def test_a_list_that_the_clause_after_a_dash_says_none_of_is_a_gap_in_each_item():
    notes = "But pagination, idempotency, versioning - none of the three she had an answer for."
    signals = assess(notes, A, RULES).signals
    assert {s.signal for s in signals if s.kind == "weak"} >= {"api_design.pagination", "api_design.idempotency"}
    assert not [s for s in signals if s.kind == "strong"]


def test_a_one_word_compliment_before_a_practice_told_plainly_does_not_clear_its_red_flag():
    notes = (
        "Impressive. He runs the payment service with log level DEBUG in prod, logging full card numbers "
        "and CVV to help the fraud team. Strong collaborator."
    )
    assert assess(notes, R, LEXICON).red_flags
    assert assess("Solid. They run migrations by hand in psql against prod, no scripts in git.", D, LEXICON).red_flags


def test_a_practice_told_as_the_situation_of_a_star_story_is_cleared_by_the_interviewers_strong():
    notes = (
        "S: passwords in application.yml across Spring Boot repos. T: clean it up. A: moved secrets to Vault, "
        "rotated everything that had leaked, gitleaks in CI. R: no secrets in repos since. Assessment: strong."
    )
    assert not assess(notes, S, LEXICON).red_flags


def test_good_words_before_a_list_are_the_vocabulary_not_the_understanding():
    notes = (
        "Juniors would hear good words: SLOs, error budgets, OpenTelemetry, circuit breakers. Asked what SLO "
        "he'd set for booking and how the breaker behaves when the SMS provider is down, couldn't pin either."
    )
    assert not [s for s in assess(notes, R, RULES).signals if s.kind == "strong"]


def test_a_practice_the_interviewer_offered_and_the_candidate_refused_is_no_red_flag():
    refused = "When I proposed GET /orders/{id}/cancel for simplicity she objected: GETs get prefetched and crawled."
    assert not assess(refused, A, RULES).red_flags
    taken = "When I proposed GET /orders/{id}/cancel for simplicity she said fine, one click from the email."
    assert assess(taken, A, RULES).red_flags
    no_problem = "When I proposed GET /orders/{id}/cancel so support can click it, he said no problem and wrote it."
    assert assess(no_problem, A, RULES).red_flags


def test_a_practice_in_a_relative_clause_after_what_the_candidate_fixed_is_the_hole_not_theirs():
    notes = "They closed an SSRF hole in the tile proxy, which fetched any URL the client supplied: now an allow-list."
    assert not assess(notes, S, RULES).red_flags
    assert assess("Their tile proxy fetched any URL the client supplied, to keep it simple.", S, RULES).red_flags


def test_what_a_thread_dump_showed_is_a_finding_not_the_candidates_practice():
    notes = (
        "Ruled out the pool and GC until a thread dump showed every thread blocked on a provider call with no timeout."
    )
    assert not assess(notes, R, RULES).red_flags


def test_a_compliment_the_note_opens_with_is_a_first_impression_not_the_bottom_line():
    notes = (
        "Solid. Invoice PDF generation starts a new Thread per hospital per request, no pool, no limit; at month "
        "end that's a few thousand threads at once. Said the JVM sorts that out. Keen."
    )
    assert assess(notes, C, LEXICON).red_flags
    story = "Strong hire. At his last job the invoice PDFs started a new Thread per hospital, no pool; he moved them to a bounded executor."
    assert not assess(story, C, LEXICON).red_flags


def test_a_refusal_in_the_next_sentence_answers_the_interviewers_bait():
    notes = (
        "I suggested we skip migration tooling and let devs change prod schema by hand. He didn't agree: "
        "versioned migrations, expand/contract for renames."
    )
    assert not assess(notes, D, RULES).red_flags
    taken = "I suggested we skip migration tooling and let devs change prod schema by hand. He agreed, it's faster."
    assert assess(taken, D, RULES).red_flags


def test_the_candidates_reason_in_the_next_sentence_keeps_a_practice_under_a_hire():
    notes = (
        "She modeled the entities well. She ran the service with spring.jpa.hibernate.ddl-auto=update in "
        "production. She said it saved writing migrations. She used Testcontainers for the repository tests. Hire."
    )
    assert assess(notes, D, LEXICON).red_flags


def test_a_hire_over_a_note_that_reads_weak_does_not_make_its_practice_a_story():
    notes = "He added a request filter that logs every header, Authorization included, for debugging. Hire."
    assert assess(notes, S, LEXICON).red_flags
    assert assess("He exposed GET /pumps/{id}/stop so the operators can bookmark it. Hire.", A, LEXICON).red_flags
    story = (
        "Strong on locking: at his last job a synchronized booking method broke once they ran four instances; "
        "he moved it to a Postgres advisory lock and explained fencing. Hire."
    )
    assert not assess(story, C, LEXICON).red_flags


def test_a_purpose_clause_after_a_practice_is_what_it_was_for_not_a_refusal():
    notes = "Invoice job ran on all four pods. He added a random sleep at startup so they wouldnt overlap."
    assert "concurrency.hazard.sleep_as_fix" in assess(notes, C, RULES).red_flags


@pytest.mark.parametrize(
    ("practice", "story"),
    [
        # a hire alone over a note that names no strength besides
        (
            "The bulk import returned 202 and dropped bad rows without saying which. Client re-uploads if the count"
            " looks off. Hire.",
            "Cursor pagination with an opaque token, 201 with Location, a clear error model. Her old bulk import "
            "returned 202 and dropped bad rows without saying which; she moved it to a per-row error report. Hire.",
        ),
        # the candidate's own past tense
        (
            "He built the pump control API in Spring Boot. He kept DTOs apart from the entities. He returned 201 with"
            " a Location header on create. He exposed GET /pumps/{id}/start so the operators could click it from a "
            "bookmark. He wrote the OpenAPI spec and generated the client. Hire.",
            "He built the pump control API in Spring Boot. The old one exposed GET /pumps/{id}/start for bookmarks; "
            "he took it out and made it a POST with an idempotency key. Hire.",
        ),
    ],
)
def test_under_a_hire_a_practice_told_plainly_is_the_candidates_and_its_story_is_not(practice, story):
    assert assess(practice, A, LEXICON).red_flags
    assert not assess(story, A, LEXICON).red_flags


def test_a_breaker_and_bulkhead_round_the_payment_client_are_no_retry_of_payments():
    notes = "Resilience4j round the payment gateway: TimeLimiter 3 s, circuit breaker on failure rate, bulkhead."
    assert not assess(notes, R, RULES).red_flags
    assert assess("Resilience4j retry on the payment client, five attempts, no idempotency key.", R, RULES).red_flags


def test_a_plan_told_with_was_under_a_hire_is_the_candidates_practice():
    notes = (
        "Versioning plan was to change response fields in place and push the drivers to update the app. "
        "Old builds stay out for weeks. Resource naming was good. Hire."
    )
    assert assess(notes, A, LEXICON).red_flags


@pytest.mark.parametrize(
    ("competency", "notes"),
    [
        (
            S,
            "Story from his fintech: passwords were unsalted SHA-1, a dump leaked and they had to force-reset two "
            "million users. He drove the move to argon2. Hire.",
        ),
        (C, "Their old invoice cron ran on every replica. He put it behind a lease. Hire."),
    ],
)
def test_a_story_under_a_hire_is_cleared_however_its_incident_reads(competency, notes):
    assert not assess(notes, competency, LEXICON).red_flags
    assert assess("The invoice cron ran on every replica. Hire.", C, LEXICON).red_flags


@pytest.mark.parametrize(
    ("competency", "notes"),
    [
        (
            S,
            "Every service logs in to Postgres as the same superuser, the public status page included. Knows the OWASP list. Hire.",
        ),
        (
            R,
            "Pages go to a shared inbox that nobody watches on weekends, and disk alerts are muted. Nice runbooks. Meets the bar.",
        ),
    ],
)
def test_a_bare_bottom_line_does_not_lift_a_practice_the_rest_of_the_note_reads_as_a_red_flag(competency, notes):
    assert "notes_model.red_flag" in assess(notes, competency, LEXICON).red_flags


def test_a_bottom_line_with_the_level_it_meets_is_still_a_bare_bottom_line():
    notes = "Turns off the foreign keys for every deploy and never turns them back on. Meets the bar for a senior."
    assert "notes_model.red_flag" in assess(notes, D, LEXICON).red_flags


def test_under_a_bare_bottom_line_an_incident_told_as_someone_elses_is_no_red_flag():
    notes = (
        "Pushed for monthly restore drills because at her previous company the nightly backups turned out to be "
        "empty for half a year and nobody noticed. Meets the bar."
    )
    assert not assess(notes, R, LEXICON).red_flags


def test_a_bare_bottom_line_over_strengths_stays_a_hire():
    notes = "Cursor pagination with an opaque token, 201 with a Location header, idempotency keys on every POST. Meets the bar."
    evidence = assess(notes, A, LEXICON)
    assert not evidence.red_flags and evidence.weight > 0
