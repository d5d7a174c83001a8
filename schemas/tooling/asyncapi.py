"""The AsyncAPI 3.0 document of every topic and message, generated from the services' own
FastStream brokers: their subscribers and the publishers they declare.

`document(brokers)` takes the brokers of the real apps (the caller builds them:
`hiring_pipeline.tools.contracts`, since this layer does not import the services), reads
which service receives from and sends to which topic through FastStream's AsyncAPI
generator, then writes what FastStream cannot know: the services consume raw records (a
bad one must become a dead letter, not a failed batch), so each channel's messages are the
contract models its topic carries (`schemas.topics.MESSAGES`), with the record key and
headers as every record has them. Keys are the specification's `^[\\w\\d.\\-_]+$`; a test
validates the document against the AsyncAPI 3.0 JSON Schema.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from pydantic.json_schema import models_json_schema

from schemas import topics
from schemas.events import EVENT_MODELS
from schemas.tooling.files import project_file

DOCUMENT = project_file("docs/asyncapi.json")
VERSION = "1"
KAFKA_BINDING = "0.5.0"
_INVALID_KEY = re.compile(r"[^\w.\-]")
DEAD_LETTER_HEADERS = {
    topics.DLQ_ERROR: "why the record was refused (names the field, never its value)",
    topics.DLQ_ERROR_TYPE: "validation_error, unknown_event_type, ...",
    topics.DLQ_SOURCE_TOPIC: "the topic the record was read from",
    topics.DLQ_SOURCE_PARTITION: "its partition",
    topics.DLQ_SOURCE_OFFSET: "its offset",
    topics.DLQ_CONSUMER_GROUP: "the consumer group that refused it",
}


def key(name: str) -> str:
    """A component, channel or operation key as the specification allows it."""
    return _INVALID_KEY.sub("_", name)


def _record_key() -> dict[str, Any]:
    return {
        "type": "string",
        "pattern": "^[^:\\x00-\\x1f]+:[^:\\x00-\\x1f]+$",
        "description": "candidate_id:role_id: every record of a pair on one partition, in order",
    }


def _headers(event_type: str) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            topics.CORRELATION_ID: {
                "type": "string",
                "description": "the id of the event that started the flow, carried through every service",
            },
            topics.EVENT_TYPE: {
                "type": "string",
                "const": event_type,
                "description": "the contract of the value; a record without it is its topic's main type",
            },
            topics.SCHEMA_VERSION: {"type": "string", "const": "1"},
        },
    }


def _messages() -> tuple[dict[str, Any], dict[str, Any]]:
    """(components.messages, components.schemas): one message per contract, one for dead letters."""
    _, definitions = models_json_schema(
        [(model, "serialization") for model in EVENT_MODELS.values()], ref_template="#/components/schemas/{model}"
    )
    schemas: dict[str, Any] = dict(sorted(definitions["$defs"].items()))
    messages: dict[str, Any] = {}
    for name, model in EVENT_MODELS.items():
        messages[name] = {
            "name": name,
            "title": name,
            "summary": (model.__doc__ or name).strip().splitlines()[0],
            "contentType": "application/json",
            "correlationId": {"location": f"$message.header#/{topics.CORRELATION_ID}"},
            "headers": _headers(name),
            "payload": {"$ref": f"#/components/schemas/{name}"},
            "bindings": {"kafka": {"key": _record_key(), "bindingVersion": KAFKA_BINDING}},
        }
    messages["DeadLetter"] = {
        "name": "DeadLetter",
        "title": "DeadLetter",
        "summary": "A refused record: its original key, value and headers, unchanged, and why.",
        "contentType": "application/octet-stream",
        "headers": {
            "type": "object",
            "properties": {name: {"type": "string", "description": text} for name, text in DEAD_LETTER_HEADERS.items()},
            "required": [topics.DLQ_ERROR, topics.DLQ_ERROR_TYPE, topics.DLQ_SOURCE_TOPIC],
        },
        "payload": {"type": "string", "description": "the original value's bytes"},
        "bindings": {"kafka": {"key": {"type": "string"}, "bindingVersion": KAFKA_BINDING}},
    }
    return messages, schemas


def _carried(address: str) -> list[str]:
    if address.endswith(".dlq"):
        return ["DeadLetter"]
    return list(topics.MESSAGES[address])


def document(brokers: list[Any], *, title: str = "hiring-pipeline", version: str = VERSION) -> dict[str, Any]:
    """The document of what these FastStream brokers declare (see the module's docstring)."""
    from faststream.specification import AsyncAPI

    generated = AsyncAPI(*brokers, title=title, version=version, schema_version="3.0.0")
    raw: dict[str, Any] = generated.to_specification().to_jsonable()
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    for name, operation in sorted(raw["operations"].items()):
        declared = raw["channels"][operation["channel"]["$ref"].rsplit("/", 1)[1]]
        address = declared["address"]
        channel = key(address)
        carried = _carried(address)
        channels.setdefault(
            channel,
            {
                "address": address,
                "title": address,
                "messages": {m: {"$ref": f"#/components/messages/{m}"} for m in carried},
                "bindings": {"kafka": {"topic": address, "bindingVersion": KAFKA_BINDING}},
            },
        )
        described = {"description": declared["description"]} if declared.get("description") else {}
        operations[key(name)] = {
            "action": operation["action"],
            "title": name,
            **described,
            "channel": {"$ref": f"#/channels/{channel}"},
            "messages": [{"$ref": f"#/channels/{channel}/messages/{m}"} for m in carried],
        }
    messages, schemas = _messages()
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": title,
            "version": version,
            "description": "The topics of hiring-pipeline, generated from the services' declared subscribers "
            "and publishers. Every record is keyed candidate_id:role_id; values are JSON.",
        },
        "defaultContentType": "application/json",
        "servers": {
            "kafka": {
                "host": "kafka:9092",
                "protocol": "kafka",
                "description": "Any Kafka cluster: KAFKA_BOOTSTRAP_SERVERS, with SASL/SSL as configured.",
            }
        },
        "channels": dict(sorted(channels.items())),
        "operations": operations,
        "components": {"messages": messages, "schemas": schemas},
    }


def render(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, sort_keys=True) + "\n"


def export(doc: dict[str, Any], path: Path = DOCUMENT) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(doc))
    return path
