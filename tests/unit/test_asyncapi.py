"""The committed AsyncAPI document is current and describes the topics the services use."""

import json

from schemas import topics
from schemas.tooling import asyncapi
from services.aggregation.app import create_app as aggregation_app
from services.scoring.app import create_app as scoring_app

DOCUMENT = json.loads(asyncapi.DOCUMENT.read_text())


def test_the_committed_asyncapi_document_is_what_the_code_generates():
    assert asyncapi.DOCUMENT.read_text() == asyncapi.render(), (
        "docs/asyncapi.json is stale: run `hiring-pipeline schemas export` and commit the result"
    )


def documented(direction: str) -> dict[str, str]:
    """channel address -> title, for the operations of one direction."""
    return {
        DOCUMENT["channels"][op["channel"]["$ref"].split("/")[-1].replace("%20", " ")]["address"]: name
        for name, op in DOCUMENT["operations"].items()
        if op["action"] == direction
    }


def test_every_topic_a_service_subscribes_to_is_documented_with_its_contract():
    for app, contract in ((scoring_app(), "InterviewCompleted"), (aggregation_app(), "InterviewScored")):
        [subscriber] = app.broker.subscribers
        [topic] = subscriber.topics
        assert contract in documented("receive")[getattr(topic, "name", topic)]


def test_every_topic_of_the_pipeline_is_documented():
    described = set(documented("receive")) | set(documented("send"))
    assert described == {spec.name for spec in topics.topic_specs()}


def test_messages_carry_the_contract_schemas():
    schemas = DOCUMENT["components"]["schemas"]
    assert {"InterviewCompleted", "InterviewScored", "Recommendation"} <= set(schemas)
    assert "event_id" in schemas["InterviewCompleted"]["properties"]
