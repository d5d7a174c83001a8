"""The lexicon over a table of paraphrased notes: strong, weak, negated and red flags."""

import pytest

from schemas.rubric import load_rubric
from schemas.scales import Competency
from services.scoring.evidence import compile_lexicon, find_signals

LEXICON = compile_lexicon(load_rubric())
A, D, C, R, S = (
    Competency.API_DESIGN,
    Competency.DATABASES,
    Competency.CONCURRENCY,
    Competency.RELIABILITY_OBSERVABILITY,
    Competency.SECURITY,
)


def kinds(notes, competency):
    return {(s.kind, s.signal) for s in find_signals(notes, competency, LEXICON)}


STRONG = [
    (A, "Modelled the orders as resources with sub-resources for line items.", "api_design.resource_modeling"),
    (A, "Returns 409 on a version conflict and 422 for validation failures.", "api_design.http_semantics"),
    (A, "Clients send an Idempotency-Key header so retries are safe.", "api_design.idempotency"),
    (A, "Prefers keyset pagination over offsets for deep pages.", "api_design.pagination"),
    (A, "Talked through additive changes and deprecating fields before a /v2.", "api_design.evolution"),
    (D, "composite index on (tenant_id, created_at)", "databases.composite_index"),
    (D, "made it covering with INCLUDE", "databases.covering_index"),
    (D, "ran EXPLAIN ANALYZE and spotted the seq scan", "databases.query_plans"),
    (D, "Argued when to denormalise a read model.", "databases.normalization"),
    (D, "Found the culprit with pg_stat_statements.", "databases.query_profiling"),
    (C, "Used SELECT ... FOR UPDATE to serialise the balance update.", "concurrency.locking"),
    (C, "Knew that REPEATABLE READ still allows write skew.", "concurrency.isolation_levels"),
    (C, "Would put the work on a Kafka topic and let a consumer group absorb spikes.", "concurrency.queues"),
    (C, "Described a lost update race between two checkout requests.", "concurrency.race_conditions"),
    (C, "Discussed eventual consistency against availability during a partition.", "concurrency.consistency_tradeoffs"),
    (R, "Emits structured logs in JSON with sensible log levels.", "reliability_observability.structured_logging"),
    (R, "Propagates a request id through every hop.", "reliability_observability.correlation_ids"),
    (R, "Separate liveness and readiness probes.", "reliability_observability.health_checks"),
    (R, "Pages on-call from SLO burn-rate alerts.", "reliability_observability.alerting"),
    (R, "Walked through a post-mortem and the root cause.", "reliability_observability.systematic_debugging"),
    (S, "Mentioned XSS and CSRF without being asked.", "security.owasp"),
    (S, "Compared JWTs with server-side sessions, including revocation.", "security.auth_tradeoffs"),
    (S, "Keeps credentials in a secrets manager, injected as env vars.", "security.secrets_management"),
    (S, "Hashes passwords with argon2.", "security.password_hashing"),
]


@pytest.mark.parametrize(("competency", "notes", "signal"), STRONG)
def test_paraphrased_strong_answers_are_strong_signals(competency, notes, signal):
    assert ("strong", signal) in kinds(notes, competency)


NEGATED = [
    (D, "Could not explain what a composite index is.", "databases.composite_index"),
    (D, "Had never used EXPLAIN.", "databases.query_plans"),
    (C, "No idea about locks.", "concurrency.locking"),
    (C, "Was unfamiliar with isolation levels.", "concurrency.isolation_levels"),
    (A, "Didn't know what idempotent means.", "api_design.idempotency"),
    (C, "Couldn’t describe a deadlock (curly apostrophe).", "concurrency.race_conditions"),
    (A, "Had no answer for pagination of large lists.", "api_design.pagination"),
    (R, "Has no monitoring in place.", "reliability_observability.alerting"),
    (R, "Never heard of correlation IDs.", "reliability_observability.correlation_ids"),
    (S, "Could not say what CSRF is.", "security.owasp"),
    (S, "Has not used a secrets manager.", "security.secrets_management"),
]


@pytest.mark.parametrize(("competency", "notes", "signal"), NEGATED)
def test_a_denied_strength_is_a_weak_signal_not_a_strong_one(competency, notes, signal):
    found = kinds(notes, competency)
    assert ("weak", signal) in found
    assert ("strong", signal) not in found


RED_FLAGS = [
    (S, "Stores passwords in plain text.", "security.plaintext_passwords"),
    (S, "Concatenates request parameters into SQL.", "security.sql_concatenation"),
    (S, "Committed API keys to git and shrugged.", "security.committed_secrets"),
    (S, "Uses MD5 for the user passwords.", "security.weak_password_hashing"),
    (R, "Catches exceptions and ignores them.", "reliability_observability.swallows_errors"),
    (A, "Confuses HTTP status codes; returns 200 for errors.", "api_design.confuses_status_codes"),
    (D, "Stores the order totals as a float column.", "databases.hazard.float_money"),
]


@pytest.mark.parametrize(("competency", "notes", "signal"), RED_FLAGS)
def test_red_flags_are_found_in_paraphrase(competency, notes, signal):
    assert ("red_flag", signal) in kinds(notes, competency)


NAMED_GAPS = [
    (S, "Had never thought about SQL injection.", "security.never_considered_injection"),
    (C, "Confused threads and processes.", "concurrency.threads_vs_processes"),
    (C, "Has never considered concurrency in his services.", "concurrency.never_considered"),
    (R, "Could not describe how she would investigate an outage.", "reliability_observability.cannot_investigate"),
    # The seed rubric's weak description; 42 corpus notes that show it are labelled no red flag
    (R, "Relies on console.log for debugging.", "reliability_observability.print_debugging"),
    (R, "Debugging is console.log and redeploy.", "reliability_observability.hazard.print_debugging"),
    # "Has never considered concurrency", in the seed rubric's weak description; 16 of 49 corpus findings unflagged
    (C, "Said race conditions can't happen in Node.", "concurrency.races_impossible"),
]


@pytest.mark.parametrize(("competency", "notes", "signal"), NAMED_GAPS)
def test_a_named_knowledge_gap_is_weak_evidence_not_a_red_flag(competency, notes, signal):
    """Interviewers write a gap in the rubric's own words as a thin answer, not as a red flag:
    of the corpus notes that name one, few are labelled as red flags. Red flags are things done."""
    found = kinds(notes, competency)
    assert ("weak", signal) in found
    assert not any(kind == "red_flag" for kind, _ in found)


NOT_RED_FLAGS = [
    (S, "Would never store passwords in plain text.", "security.plaintext_passwords"),
    (S, "Does not concatenate user input into SQL; uses bind parameters.", "security.sql_concatenation"),
    (S, "Never commits secrets to the repo.", "security.committed_secrets"),
    (C, "Does not confuse threads and processes.", "concurrency.threads_vs_processes"),
    (R, "Does not rely on console.log for debugging.", "reliability_observability.print_debugging"),
]


@pytest.mark.parametrize(("competency", "notes", "signal"), NOT_RED_FLAGS)
def test_a_denied_red_flag_is_no_red_flag(competency, notes, signal):
    assert ("red_flag", signal) not in kinds(notes, competency)


def test_a_negation_does_not_reach_across_a_scope_breaker():
    found = kinds("Handles retries without duplicates via idempotency keys.", A)
    assert ("strong", "api_design.idempotency") in found


def test_a_negation_does_not_reach_into_the_next_clause():
    found = kinds("Had never used EXPLAIN before, but reasoned well about composite indexes.", D)
    assert ("weak", "databases.query_plans") in found
    assert ("strong", "databases.composite_index") in found


def test_the_verb_explain_is_not_the_explain_command():
    assert ("strong", "databases.query_plans") not in kinds("She could explain the trade-offs well.", D)


def test_each_signal_carries_the_quote_that_produced_it():
    [signal] = find_signals("Good rapport. Ran EXPLAIN ANALYZE on the slow report query.", D, LEXICON)[:1]
    assert signal.quote == "Ran EXPLAIN ANALYZE on the slow report query"


def test_signals_come_in_the_order_the_notes_mention_them():
    notes = "Ran EXPLAIN first. Then suggested a composite index. Finally covered normalisation."
    lexicons = [s.signal for s in find_signals(notes, D, LEXICON) if not s.signal.startswith("notes_model.")]
    assert lexicons == [
        "databases.query_plans",
        "databases.composite_index",
        "databases.normalization",
    ]


def test_a_signal_mentioned_twice_is_reported_once():
    signals = [s.signal for s in find_signals("EXPLAIN here. EXPLAIN there.", D, LEXICON)]
    assert signals.count("databases.query_plans") == 1


def test_empty_notes_have_no_signals():
    assert find_signals("   ", D, LEXICON) == []


def test_a_topic_is_only_looked_for_in_its_own_competency():
    assert {
        k for k in kinds("Ran EXPLAIN ANALYZE and added a composite index.", S) if not k[1].startswith("notes_model.")
    } == set()


def test_a_red_flag_is_one_whichever_competency_it_is_written_under():
    assert ("red_flag", "security.plaintext_passwords") in kinds("Stores passwords in plain text.", D)


# --- the trigger prefilter never changes what is found ----------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

REFERENCE = compile_lexicon(load_rubric(), search="every")
VOCABULARY = sorted(
    {
        word
        for competency in load_rubric().competencies
        for text in (competency.strong_answer, competency.red_flag)
        for word in text.replace(",", " ").replace(".", " ").split()
    }
    | {
        "never",
        "not",
        "no",
        "idea",
        "without",
        "via",
        "but",
        "couldn't",
        "plain",
        "text",
        "passwords",
        "stores",
        "EXPLAIN",
        "index",
        "composite",
        "(tenant_id,",
        "created_at)",
        "keys",
        "git",
        "committed",
        "locks",
        ".",
        ";",
        "\n",
        "console.log",
        "idempotency",
        "/v2",
        "409",
        "n+1",
        "queries",
    }
)


@settings(max_examples=300, deadline=None)
@given(
    competency=st.sampled_from(list(Competency)),
    words=st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=120),
)
def test_the_trigger_prefilter_finds_exactly_what_a_full_search_finds(competency, words):
    notes = " ".join(words)
    assert find_signals(notes, competency, LEXICON) == find_signals(notes, competency, REFERENCE)


def test_a_red_flag_in_every_competencys_lexicon_is_compiled_once():
    """Every red flag sits in all five lexicons: one regex object serves them all, so a
    service's start-up compiles each distinct pattern once."""
    lexicon = compile_lexicon(load_rubric())
    by_pattern: dict[str, set[int]] = {}
    for compiled in lexicon.competencies.values():
        for pattern in compiled.patterns:
            by_pattern.setdefault(pattern.regex.pattern, set()).add(id(pattern.regex))
    shared = [p for c in lexicon.competencies.values() for p in c.patterns if p.rule.kind == "red_flag"]
    assert len(shared) > 4 * len({p.regex.pattern for p in shared})  # the copies exist
    assert all(len(ids) == 1 for ids in by_pattern.values())
