"""The services' fast path gives what the reference path gives, on 10,000 varied events and
on the edges of the contract.

The fast path reads and writes events with msgspec (`schemas/wire.py`): the scoring service
decodes InterviewCompleted and encodes InterviewScored with it, the aggregation decodes
InterviewScored and encodes Recommendation. The reference path is the contract's: the
pydantic models of `schemas/events.py` (`decode_record` given a contract model, which never
takes the fast path; `score_interview`; `model_dump_json`). The fast path must accept and
refuse the same records with the same dead-letter reasons, read the same values, and
publish the same bytes.
"""

from __future__ import annotations

import json
import logging
import random
import re
import uuid
from collections.abc import Iterator
from typing import Any

import msgspec
import pytest
import structlog
from prometheus_client import CollectorRegistry
from pydantic import BaseModel, TypeAdapter

from benchmarks.workload import HOSTILE, varied_interviews
from schemas import topics, wire
from schemas.events import InterviewCompleted, InterviewRetracted, InterviewScored, Recommendation
from schemas.rubric import load_roles, load_rubric
from services.aggregation.consumer import AggregationHandler, AggregationMetrics
from services.runtime.dead_letter import DeadLetter, dead_letter_records
from services.runtime.kafka import event_record
from services.runtime.records import Accepted, decode_record
from services.scoring import score as score_module
from services.scoring.consumer import ScoringHandler, ScoringMetrics
from services.scoring.score import score_interview, scored_event_id
from tests.factories import FIXED_TIME, STRONG_NOTES, interview
from tests.fakes import InMemoryAggregationStore, InMemoryScoreStore, InMemorySender, consumer_record

RUBRIC = load_rubric()
ROLES = sorted(load_roles())
EVENTS = 10_000
BATCH = 500
WHITESPACE = [chr(c) for c in range(0x110000) if chr(c).isspace()] + ["\u200b", "\u180e", "\ufeff"]
"""Every character Python calls whitespace, and three that look like it: around an id, the
contract strips some of them (and the fast path leaves every one of them to the contract)."""
TIMES = [
    "2026-11-20T14:00:00Z",
    "2026-11-20T14:00:00.5Z",
    "2026-11-20T14:00:00.123456Z",
    "2026-11-20T14:00:00.000000Z",
    "2026-11-20T14:00:00.1234567Z",
    "2026-11-20T14:00:00.9999995Z",
    "2026-11-20T14:00:00+00:00",
    "2026-11-20T14:00:00-00:00",
    "2026-11-20T14:00:00+05:45",
    "2026-11-20T14:00:00-23:59",
    "2026-11-20T14:00:00+24:00",
    "2026-11-20T14:00:00+0100",
    "2026-11-20T14:00:00+00:00:30",
    "2026-11-20t14:00:00z",
    "2026-11-20 14:00:00Z",
    "2026-11-20T14:00Z",
    "2026-11-20T14:00:00",
    "2026-11-20T14:00:60Z",
    "2026-11-20T24:00:00Z",
    "2026-02-29T00:00:00Z",
    "2024-02-29T00:00:00Z",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59.999999Z",
    "2026-11-20T14:00:00,5Z",
    "1700000000",
    "",
]
UUIDS = [
    "12345678-1234-5678-1234-567812345671",
    "ABCDEF78-1234-5678-1234-567812345672",
    "12345678123456781234567812345673",
    "{12345678-1234-5678-1234-567812345674}",
    "urn:uuid:12345678-1234-5678-1234-567812345675",
    "12345678-1234-5678-1234-56781234567g",
    "",
]


# --- the workload -----------------------------------------------------------------------


def varied_documents(count: int = EVENTS, seed: int = 31) -> list[dict[str, Any]]:
    """`count` InterviewCompleted documents from the labelled corpus (hostile notes too), with
    every optional field present or not, every role, ids in any script, revisions up to the
    bound, times in the forms the contract and the fast path read alike (the others are
    among the edges)."""
    rng = random.Random(f"fast-path:{seed}")
    documents = varied_interviews(count, seed=seed, hostile=True, tag="fast", most=3)
    times = [t for t in TIMES[:10] if "." not in t or len(t.split(".")[1]) <= 7]
    names = ["", "é", "名前", "🙂", "ſ", "İ", "\u202e", "a b", "x" * 150]
    for n, document in enumerate(documents):
        document["role_id"] = rng.choice(ROLES)
        document["candidate_id"] = f"cand-{n}{rng.choice(names)}"
        document["interviewer_id"] = f"intv{rng.choice(names)}-{n % 7}"
        document["revision"] = rng.choice([1, 2, 7, 1_700_000_000_000, 2**63 - 1])
        document["occurred_at"] = rng.choice(times)
        if rng.random() < 0.5:
            document["overall_recommendation"] = rng.choice(
                [None, "definitely_not", "no", "mixed", "yes", "strong_yes"]
            )
        if rng.random() < 0.3:
            document["schema_version"] = 1
        for assessment in document["assessments"]:
            if assessment["notes"] == "n/a" and rng.random() < 0.5:
                del assessment["notes"]
    return documents


def edge_documents() -> Iterator[tuple[str, dict[str, Any] | str]]:
    """(what, document or raw text): every bound of the contract, on both sides."""
    base = json.loads(interview(candidate_id="edge", notes=STRONG_NOTES).model_dump_json())
    numbers = iter(range(1, 10**6))

    def changed(**fields: Any) -> dict[str, Any]:
        """The base event as a new interview (its own event and interview ids), with `fields`."""
        number = next(numbers)
        fresh = {"event_id": str(uuid.UUID(int=number)), "interview_id": f"edge-{number}"}
        return {**json.loads(json.dumps(base)), **fresh, **fields}

    def assessed(**fields: Any) -> dict[str, Any]:
        document = changed()
        document["assessments"][0] = {**document["assessments"][0], **fields}
        return document

    for name in ("interview_id", "candidate_id", "role_id", "interviewer_id"):
        for value in ["", "a", "a" * 200, "a" * 201, "🙂" * 200, "🙂" * 201, "a:b", "é", "a b", " a", "a ", "\\u0041"]:
            yield f"{name}={value[:12]!r}", changed(**{name: value})
        for c in [*range(0x20), *range(0x7F, 0xA0)]:
            yield f"{name} with U+{c:04X}", changed(**{name: f"a{chr(c)}b"})
        for space in WHITESPACE:
            yield f"{name} around U+{ord(space):04X}", changed(**{name: f"{space}a{space}"})
            yield f"{name} inside U+{ord(space):04X}", changed(**{name: f"a{space}b"})
        yield f"{name} null", changed(**{name: None})
        yield f"{name} number", changed(**{name: 5})
    yield "role_id spaced", changed(role_id=" backend-engineer ")
    yield "role_id unknown", changed(role_id="janitor")
    for revision in [0, 1, -1, 2**63 - 1, 2**63, 2**64, 1.0, 1.5, "1", True, None, "1e3"]:
        yield f"revision={revision!r}", changed(revision=revision)
    for time in TIMES:
        yield f"occurred_at={time}", changed(occurred_at=time)
    for value in UUIDS:
        yield f"event_id={value}", changed(event_id=value)
    for version in [1, 2, 0, "1", 1.0, True, None]:
        yield f"schema_version={version!r}", changed(schema_version=version)
    yield "no schema_version", {k: v for k, v in changed().items() if k != "schema_version"}
    yield "no overall_recommendation", {k: v for k, v in changed().items() if k != "overall_recommendation"}
    for vote in ["yes", "YES", "yes ", "maybe", None, 3]:
        yield f"overall={vote!r}", changed(overall_recommendation=vote)
    for count in [0, 1, 5, 6]:
        yield f"{count} assessments", changed(assessments=[*base["assessments"], *base["assessments"]][:count])
    yield "assessments twice the same competency", changed(assessments=[base["assessments"][0]] * 2)
    yield "assessments null", changed(assessments=None)
    yield "assessments an object", changed(assessments={"a": 1})
    for notes in ["", "x" * 20_000, "x" * 20_001, "🙂" * 20_000, "🙂" * 20_001, *HOSTILE, "\x00", "\ud7ff\ue000"]:
        yield f"notes {notes[:12]!r} ({len(notes)})", assessed(notes=notes)
    first = base["assessments"][0]
    yield "notes absent", changed(assessments=[{k: v for k, v in first.items() if k != "notes"}])
    yield "notes null", assessed(notes=None)
    yield "rating absent", changed(assessments=[{k: v for k, v in first.items() if k != "rating"}])
    for rating in [None, "strong_yes", "Strong_Yes", "", 4]:
        yield f"rating={rating!r}", assessed(rating=rating)
    for competency in ["databases", "Databases", "database", "", None]:
        yield f"competency={competency!r}", assessed(competency=competency)
    yield "an extra field", changed(extra="x")
    yield "an extra nested field", assessed(extra="x")
    yield "event_type inside", changed(event_type="InterviewCompleted")
    yield "spaced JSON", json.dumps(changed())
    yield "indented JSON", json.dumps(changed(), indent=2)
    yield "ASCII-escaped JSON", json.dumps(changed(candidate_id="é🙂"), ensure_ascii=True)
    yield "a key twice, last valid", json.dumps(changed())[:-1] + ', "revision": 3}'
    yield "a key twice, last invalid", json.dumps(changed())[:-1] + ', "revision": 0}'
    yield "a key twice, first invalid", '{"revision": 0, ' + json.dumps(changed())[1:]
    yield "a lone surrogate", json.dumps(changed()).replace('"edge"', '"\\ud800"', 1)
    yield "an escaped pair", json.dumps(changed()).replace('"edge"', '"\\ud83d\\ude42"', 1)
    yield "NaN", json.dumps(changed())[:-1] + ', "x": NaN}'
    yield "truncated", json.dumps(changed())[:-5]
    yield "trailing junk", json.dumps(changed()) + "x"
    yield "trailing whitespace", json.dumps(changed()) + " \n"
    yield "an array", "[]"
    yield "a string", '"x"'
    yield "null", "null"
    yield "deep", "[" * 5_000 + "]" * 5_000
    yield "a byte order mark", "\ufeff" + json.dumps(changed())


def record_of(value: bytes, key: bytes | None, offset: int, headers: list[tuple[str, bytes]] | None = None) -> Any:
    return consumer_record(value, key, topic=topics.INTERVIEW_COMPLETED, offset=offset, headers=headers or [])


def key_of(document: Any) -> bytes:
    if isinstance(document, dict) and isinstance(document.get("candidate_id"), str):
        return f"{document['candidate_id'].strip()}:{str(document.get('role_id')).strip()}".encode()
    return b"edge:backend-engineer"


def completed_records() -> list[Any]:
    """10,000 varied events and the edges, each as a record; a few with headers out of bounds,
    keys that do not match, retractions among them."""
    rng = random.Random("fast-path:records")
    records = []
    for n, document in enumerate(varied_documents()):
        compact = rng.random() < 0.8
        value = json.dumps(document, separators=(",", ":") if compact else None, ensure_ascii=not compact)
        headers = [(topics.CORRELATION_ID, f"corr-{n}".encode()), (topics.EVENT_TYPE, b"InterviewCompleted")]
        if n % 97 == 0:
            headers = [(topics.CORRELATION_ID, rng.choice([b"\xff", b"x" * 201, b"a\x07b", b""]))]
        key = key_of(document) if n % 89 else b"someone:else"
        records.append(record_of(value.encode(), key, n, headers))
    for n, (_, document) in enumerate(edge_documents(), start=len(records)):
        value = document if isinstance(document, str) else json.dumps(document)
        records.append(record_of(value.encode("utf-8", "surrogatepass"), key_of(document), n))
    gone = InterviewRetracted(
        event_id=uuid.uuid4(),
        occurred_at=FIXED_TIME,
        interview_id="i-1",
        candidate_id="edge",
        role_id="backend-engineer",
        reason="scorecard_deleted",
    )
    records.append(
        record_of(
            gone.model_dump_json().encode(),
            gone.key.encode(),
            len(records),
            [(topics.EVENT_TYPE, b"InterviewRetracted")],
        )
    )
    records.append(record_of(b"{}", b"edge:backend-engineer", len(records), [(topics.EVENT_TYPE, b"Other")]))
    records.append(record_of(b"", b"edge:backend-engineer", len(records)))
    return records


@pytest.fixture(scope="module", autouse=True)
def quiet() -> Iterator[None]:
    """Warnings only, as the services run under load: 20,000 lines of INFO would be most of the time."""
    before = structlog.get_config()
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    try:
        yield
    finally:
        structlog.configure(**before)


@pytest.fixture(scope="module")
def remembered_core() -> Iterator[None]:
    """The scoring core answers from a cache: each note is read once, for both paths (the core is
    held to its plain search in test_fast_scoring.py; here what is around it is compared).
    Where score.py runs compiled by mypyc it calls `assess` directly, not through its module's
    attribute: the cache is skipped and every note read twice, the same results more slowly."""
    search, found = score_module.assess, {}

    def remembered(notes: str, competency: Any, lexicon: Any, scanned: Any = None) -> Any:
        if (notes, competency) not in found:  # the scan finds what the search would: one reading
            found[(notes, competency)] = search(notes, competency, lexicon, scanned)
        return found[(notes, competency)]

    score_module.assess = remembered  # type: ignore[assignment]
    try:
        yield
    finally:
        score_module.assess = search


# --- comparing ----------------------------------------------------------------------------


def plain(event: Any) -> Any:
    return event.model_dump(mode="json") if isinstance(event, BaseModel) else msgspec.to_builtins(event)


def assert_same_outcome(fast: Accepted[Any] | DeadLetter, reference: Accepted[Any] | DeadLetter, what: str) -> None:
    if isinstance(reference, DeadLetter):
        assert isinstance(fast, DeadLetter), what
        assert (fast.error_type, fast.reason) == (reference.error_type, reference.reason), what
    else:
        assert isinstance(fast, Accepted), (what, fast)
        assert plain(fast.event) == plain(reference.event), what
        assert fast.correlation_id == reference.correlation_id, what


# --- decoding -------------------------------------------------------------------------------


def test_the_fast_decoder_accepts_refuses_and_reads_as_the_contract_on_10000_varied_events_and_the_edges():
    records = completed_records()
    assert len(records) >= EVENTS
    taken_fast = accepted = 0
    for record in records:
        fast = decode_record(record, wire.InterviewCompleted, InterviewRetracted)
        reference = decode_record(record, InterviewCompleted, InterviewRetracted)
        assert_same_outcome(fast, reference, f"offset {record.offset}: {record.value[:200]!r}")
        if isinstance(reference, Accepted) and isinstance(reference.event, InterviewCompleted):
            accepted += 1
            taken_fast += wire.decode(wire.InterviewCompleted, record.value) is not None
    assert accepted > 9_000
    assert taken_fast >= 0.9 * accepted  # the fast path is the path, not the exception


def test_an_edge_the_fast_decoder_accepts_the_contract_accepts_and_reads_the_same():
    """Stronger than the same outcome: what msgspec alone accepts, pydantic alone accepts too."""
    for what, document in edge_documents():
        value = (document if isinstance(document, str) else json.dumps(document)).encode("utf-8", "surrogatepass")
        fast = wire.decode(wire.InterviewCompleted, value)
        if fast is not None:
            assert plain(fast) == InterviewCompleted.model_validate_json(value).model_dump(mode="json"), what


def scored_documents() -> Iterator[tuple[str, Any]]:
    """InterviewScored as the reference scorer writes it, and every bound of its contract."""
    events = [InterviewCompleted.model_validate(d) for d in varied_documents()[:300]]
    for event in events:
        yield "scored", json.loads(score_interview(event, RUBRIC, FIXED_TIME).model_dump_json())
    base = json.loads(score_interview(interview(notes=STRONG_NOTES), RUBRIC, FIXED_TIME).model_dump_json())

    def changed(**fields: Any) -> dict[str, Any]:
        return {**json.loads(json.dumps(base)), **fields}

    def scored(**fields: Any) -> dict[str, Any]:
        document = changed()
        document["scores"][0] = {**document["scores"][0], **fields}
        return document

    def signal(**fields: Any) -> dict[str, Any]:
        document = changed()
        document["scores"][0]["signals"][0] = {**document["scores"][0]["signals"][0], **fields}
        return document

    for value in [0.999, 1, 1.0, 2.5, 4, 4.0, 4.0001, -1, "3.0", None, 1e308, 1e400]:
        yield f"score={value!r}", scored(score=value)
    for value in [0, 0.0, 1, 0.5, 1.0001, -0.0001, "0.5", True]:
        yield f"confidence={value!r}", scored(confidence=value)
    for value in [True, False, None, "true", 1]:
        yield f"supported_by_notes={value!r}", scored(supported_by_notes=value)
    yield (
        "supported_by_notes absent",
        {
            **base,
            "scores": [{k: v for k, v in base["scores"][0].items() if k != "supported_by_notes"}],
        },
    )
    for value in ["x" * 200, "x" * 201, "a\nb", "a\x7f", "ok\n", "é", "a\x85", "é\x01", "\x9f", "\xa0"]:
        yield f"signal={value[:8]!r}", signal(signal=value)
    for value in ["strong", "weak", "red_flag", "Strong", "", None]:
        yield f"kind={value!r}", signal(kind=value)
    for value in ["x" * 20_000, "x" * 20_001, "\x00\n\t", ""]:
        yield f"quote ({len(value)})", signal(quote=value)
    for value in ["2026.12-2", "x" * 64, "x" * 65, "a\nb", "v\n", ""]:
        yield f"rubric_version={value[:8]!r}", changed(rubric_version=value)
    for time in TIMES:
        yield f"scored_at={time}", changed(scored_at=time)
    for value in UUIDS:
        yield f"source_event_id={value}", changed(source_event_id=value)
    for count in [0, 1, 5, 6]:
        yield f"{count} scores", changed(scores=[*base["scores"], *base["scores"]][:count])
    yield "red_flags with a number", scored(red_flags=[1])
    yield "an unknown role", changed(role_id="janitor")
    yield "an id with a space around it", changed(candidate_id=" cand-1 ")
    yield "an extra field", changed(x=1)
    yield "an extra field in a signal", signal(x=1)
    yield "signals null", scored(signals=None)


def test_the_fast_decoder_reads_scored_events_as_the_contract_and_writes_them_back_the_same():
    read = 0
    for what, document in scored_documents():
        value = json.dumps(document, ensure_ascii=False).encode("utf-8", "surrogatepass")
        record = consumer_record(value, f"{document.get('candidate_id')}:{document.get('role_id')}".encode(), topic="t")
        fast = decode_record(record, wire.InterviewScored, InterviewRetracted)
        reference = decode_record(record, InterviewScored, InterviewRetracted)
        assert_same_outcome(fast, reference, what)
        if isinstance(fast, Accepted):
            read += 1
            assert wire.encode(fast.event) == reference.event.model_dump_json().encode(), what  # as the store writes it
            # What a store may keep instead of encoding the event: the value as consumed, only when
            # the fast codec read it as it is, and it reads back as the same event.
            taken_fast = wire.decode(wire.InterviewScored, value) is not None
            assert fast.payload == (value if taken_fast else None), what
            if fast.payload is not None:
                assert plain(wire.read(wire.InterviewScored, fast.payload)) == plain(fast.event), what
        alone = wire.decode(wire.InterviewScored, value)
        if alone is not None:
            assert plain(alone) == InterviewScored.model_validate_json(value).model_dump(mode="json"), what
    assert read > 300


# --- whole handlers -------------------------------------------------------------------------


def reference_scoring(records: list[Any]) -> list[tuple[str, bytes | None, bytes | None, list[Any]]]:
    """What the scoring handler published before the fast path, every event new: per batch, each
    accepted event scored and encoded by its contract model, then the batch's dead letters."""
    published = []
    for start in range(0, len(records), BATCH):
        batch, dead, scored = records[start : start + BATCH], [], []
        for record in batch:
            decoded = decode_record(record, InterviewCompleted, InterviewRetracted)
            if isinstance(decoded, DeadLetter):
                dead.append(decoded)
                continue
            event = decoded.event
            out = event if isinstance(event, InterviewRetracted) else score_interview(event, RUBRIC, FIXED_TIME)
            value = out.model_dump_json().encode()
            scored.append(
                event_record(topics.INTERVIEW_SCORED, out, correlation_id=decoded.correlation_id, value=value)
            )
        published += [*scored, *dead_letter_records(dead, "scoring")]
    return [(r.topic, r.key, r.value, r.headers) for r in published]


async def test_the_scoring_handler_publishes_the_reference_bytes_on_10000_varied_events(remembered_core):
    records = completed_records()
    sender = InMemorySender()
    handler = ScoringHandler(
        InMemoryScoreStore(), sender, RUBRIC, lambda: FIXED_TIME, ScoringMetrics(CollectorRegistry())
    )
    for start in range(0, len(records), BATCH):
        await handler.handle(records[start : start + BATCH])
    fast = [(r.topic, r.key, r.value, r.headers) for r in sender.sent]
    reference = reference_scoring(records)
    assert len(fast) == len(reference)
    for n, (mine, theirs) in enumerate(zip(fast, reference, strict=True)):
        assert mine == theirs, n
    assert sum(topic == topics.INTERVIEW_SCORED for topic, *_ in fast) > 9_000


async def test_the_aggregation_publishes_what_the_contract_writes_for_its_decisions_on_10000_scored_events(
    remembered_core,
):
    """The scored events of the varied workload in loops of three interviews (candidates with
    three interviewers each, every role): the aggregation decodes them fast and must decide as
    it does on the contract's reading of the same records; every recommendation is the JSON
    its contract model writes for it."""
    rng = random.Random("fast-path:loops")
    documents = varied_documents()  # the same notes as the scoring test's: the core's cache serves both
    for n, document in enumerate(documents):
        document["candidate_id"], document["interviewer_id"] = f"loop-{n // 3}", f"intv-{n % 3}"
        document["role_id"] = ROLES[(n // 3) % len(ROLES)]
        document["revision"] = rng.choice([1, 1, 2])
    scored = [score_interview(InterviewCompleted.model_validate(d), RUBRIC, FIXED_TIME) for d in documents]
    records = [
        consumer_record(s.model_dump_json().encode(), s.key.encode(), topic=topics.INTERVIEW_SCORED, offset=n)
        for n, s in enumerate(scored)
    ]

    async def aggregate(reference: bool) -> list[Any]:
        sender = InMemorySender()
        handler = AggregationHandler(
            InMemoryAggregationStore(),
            sender,
            load_roles(),
            lambda: FIXED_TIME,
            AggregationMetrics(CollectorRegistry()),
        )
        if reference:  # the contract model reads every record: the fast decoder never runs
            handler._decode = lambda record: _contract_decode(handler, record)  # type: ignore[method-assign]
        for start in range(0, len(records), BATCH):
            await handler.handle(records[start : start + BATCH])
        return [(r.topic, r.key, r.value, r.headers) for r in sender.sent]

    fast, reference = await aggregate(False), await aggregate(True)
    assert fast == reference
    assert len(fast) > 3_000
    decisions = set()
    for _, _, value, _ in fast:
        contract = Recommendation.model_validate_json(value)
        assert contract.model_dump_json().encode() == value
        decisions.add(contract.decision)
    assert len(decisions) >= 4  # the workload decides every way, not one


def _contract_decode(handler: AggregationHandler, record: Any) -> Any:
    decoded = decode_record(record, InterviewScored, InterviewRetracted)
    if isinstance(decoded, Accepted) and isinstance(decoded.event, InterviewScored):
        decoded = Accepted(record, wire.from_contract(wire.InterviewScored, decoded.event), decoded.correlation_id)
    if isinstance(decoded, Accepted) and decoded.event.role_id not in handler.roles:
        return DeadLetter(record, "unknown_role", "role_id: no role profile for this role")
    return decoded


# --- the pieces -----------------------------------------------------------------------------


def test_a_recommendation_struct_writes_the_json_of_its_contract_model_for_every_field():
    adapter = TypeAdapter(Recommendation)
    document = json.loads(
        json.dumps(
            {
                "event_id": str(uuid.uuid4()),
                "candidate_id": "c",
                "role_id": "backend-engineer",
                "decision": "hire",
                "score": 3.125,
                "competencies": [
                    {
                        "competency": "databases",
                        "score": None,
                        "weight": 0.2,
                        "interviews": 0,
                        "floor": 2.5,
                        "veto": True,
                        "assessments": [
                            {
                                "interview_id": "i",
                                "interviewer_id": "v",
                                "rating": None,
                                "score": 2.5,
                                "counted": False,
                                "quotes": [{"kind": "weak", "signal": "s", "quote": "“q” — é\n🙂"}],
                                "red_flags": [{"kind": "red_flag", "signal": "r", "quote": ""}],
                            }
                        ],
                    }
                ],
                "red_flags": [{"competency": "security", "signal": "x", "interview_id": "i", "interviewer_id": None}],
                "interviews": [{"interview_id": "i", "revision": 2**63 - 1}],
                "reasons": ["a\tb"],
                "rubric_version": "r",
                "version": 3,
                "issued_at": "2026-11-20T14:00:00.120000+05:45",
                "missing_competencies": ["security"],
                "votes": [{"interview_id": "i", "interviewer_id": "v", "vote": "strong_yes"}],
            }
        )
    )
    contract = adapter.validate_python(document)
    struct = msgspec.convert(contract.model_dump(), wire.Recommendation)
    assert wire.encode(struct) == contract.model_dump_json().encode()


def test_a_time_is_written_as_pydantic_writes_it():
    adapter = TypeAdapter(InterviewScored.model_fields["scored_at"].annotation)
    for text in TIMES:
        try:
            moment = adapter.validate_python(text)
        except ValueError:
            continue
        if moment.utcoffset().total_seconds() % 60 == 0:  # whole minutes: what an offset is (see TIMES)
            assert wire.instant(moment).encode() == adapter.dump_json(moment)[1:-1], text


def test_the_scored_event_id_is_the_uuid5_of_the_source_and_the_rubric_version():
    for n in range(2_000):
        source = uuid.UUID(int=random.Random(n).getrandbits(128))
        version = f"2026.{n}-é"
        assert scored_event_id(source, version) == uuid.uuid5(
            score_module.SCORED_EVENT_NAMESPACE, f"{source}|{version}"
        )


def test_the_fast_uuid5_is_uuid5():
    for n in range(2_000):
        namespace = uuid.UUID(int=random.Random(f"ns{n}").getrandbits(128))
        name = f"cand-{n}:backend-engineer|{n}|é{'🙂' * (n % 3)}"
        assert wire.uuid5(namespace, name) == uuid.uuid5(namespace, name)


def test_a_header_is_refused_for_a_control_character_exactly_as_the_bound_says():
    """The header check scans ASCII text with isprintable: the same characters as the bound's
    expression, for every character there is."""
    control = re.compile(r"[\x00-\x1f\x7f-\x9f]")
    for code in range(0x110000):
        if 0xD800 <= code <= 0xDFFF:
            continue  # not UTF-8
        text = f"a{chr(code)}b"
        refused = topics.header_problem(topics.CORRELATION_ID, text.encode()) is not None
        assert refused == bool(control.search(text)), hex(code)
