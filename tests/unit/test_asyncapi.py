"""The committed AsyncAPI document is current, generated from the services' own brokers,
valid against the AsyncAPI 3.0 JSON Schema, and describes every topic, message, key and header."""

import json
import re
from pathlib import Path

import jsonschema
import pytest

from hiring_pipeline.tools.contracts import asyncapi_text, service_brokers
from schemas import topics
from schemas.tooling import asyncapi

DOCUMENT = json.loads(asyncapi.DOCUMENT.read_text())
SPEC_SCHEMA = json.loads((Path(__file__).parents[1] / "data" / "asyncapi" / "3.0.0-without-id.json").read_text())


def test_the_committed_asyncapi_document_is_what_the_code_generates():
    assert asyncapi.DOCUMENT.read_text() == asyncapi_text(), (
        "docs/asyncapi.json is stale: run `hiring-pipeline schemas export` and commit the result"
    )


def test_the_document_is_valid_asyncapi_3():
    jsonschema.Draft7Validator(SPEC_SCHEMA).validate(DOCUMENT)


def test_the_validation_catches_a_document_that_is_not_asyncapi_3():
    broken = json.loads(json.dumps(DOCUMENT))
    next(iter(broken["operations"].values()))["action"] = "publish"  # AsyncAPI 2's word
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft7Validator(SPEC_SCHEMA).validate(broken)


def operations(direction: str) -> dict[str, set[str]]:
    """channel address -> the operation titles of one direction."""
    found: dict[str, set[str]] = {}
    for op in DOCUMENT["operations"].values():
        if op["action"] == direction:
            address = DOCUMENT["channels"][op["channel"]["$ref"].rsplit("/", 1)[1]]["address"]
            found.setdefault(address, set()).add(op["title"])
    return found


def test_every_subscriber_and_publisher_of_the_real_services_is_an_operation():
    declared = set()
    for broker in service_brokers():
        for subscriber in broker.subscribers:
            declared |= {("receive", getattr(t, "name", t)) for t in subscriber.topics}
        for publisher in broker.publishers:
            declared.add(("send", publisher.topic))
    documented = {(d, address) for d in ("receive", "send") for address in operations(d)}
    assert documented == declared
    assert operations("receive") == {
        topics.INTERVIEW_COMPLETED: {f"scoring.{topics.INTERVIEW_COMPLETED}"},
        topics.INTERVIEW_SCORED: {f"aggregation.{topics.INTERVIEW_SCORED}"},
        topics.RECOMMENDATION: {f"greenhouse-writeback.{topics.RECOMMENDATION}"},
    }


def test_every_topic_of_the_pipeline_is_documented():
    described = set(operations("receive")) | set(operations("send"))
    assert described == {spec.name for spec in topics.topic_specs()}


def test_messages_carry_the_contract_schemas_the_record_key_and_the_headers():
    components = DOCUMENT["components"]
    assert {"InterviewCompleted", "InterviewScored", "InterviewRetracted", "Recommendation"} <= set(
        components["schemas"]
    )
    assert "event_id" in components["schemas"]["InterviewCompleted"]["properties"]
    for name in ("InterviewCompleted", "InterviewScored", "InterviewRetracted", "Recommendation"):
        message = components["messages"][name]
        assert message["payload"] == {"$ref": f"#/components/schemas/{name}"}
        assert message["bindings"]["kafka"]["key"]["description"].startswith("candidate_id:role_id")
        headers = message["headers"]["properties"]
        assert set(headers) == {topics.CORRELATION_ID, topics.EVENT_TYPE, topics.SCHEMA_VERSION}
        assert headers[topics.EVENT_TYPE]["const"] == name
    dead = components["messages"]["DeadLetter"]["headers"]["properties"]
    assert {topics.DLQ_ERROR, topics.DLQ_SOURCE_TOPIC, topics.DLQ_SOURCE_OFFSET} <= set(dead)


def test_each_channel_carries_the_contracts_of_its_topic():
    for channel in DOCUMENT["channels"].values():
        carried = set(channel["messages"])
        if channel["address"].endswith(".dlq"):
            assert carried == {"DeadLetter"}
        else:
            assert carried == set(topics.MESSAGES[channel["address"]])


def test_every_key_matches_the_specifications_pattern():
    pattern = re.compile(r"^[\w\d.\-_]+$")  # the specification's, for component keys
    for section in (DOCUMENT["channels"], DOCUMENT["operations"], *DOCUMENT["components"].values()):
        assert all(pattern.match(k) for k in section), list(section)
