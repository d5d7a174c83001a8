"""The compatibility check catches every way a new schema can refuse old data: narrowed
patterns, formats and numeric bounds too, in optional fields and array items as well.
And every generated file names its dialect and has a stable `$id`."""

from __future__ import annotations

import copy
import json

import pytest

from schemas.tooling import json_schema

RELEASED = json_schema.SCHEMA_DIR / "released" / "v1"


def released(name: str) -> dict:
    return json.loads((RELEASED / f"{name}.json").read_text())


def problems_after(name: str, change) -> list[str]:
    old = released(name)
    new = copy.deepcopy(old)
    change(new)
    return json_schema.incompatibilities(old, new)


@pytest.mark.parametrize("name", sorted(json_schema.generate()))
def test_each_generated_schema_names_its_dialect_and_a_stable_id(name):
    schema = json_schema.generate()[name]
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"urn:hiring-pipeline:schemas:v1:{name}"
    committed = json.loads((json_schema.SCHEMA_DIR / f"{name}.json").read_text())
    assert (committed["$schema"], committed["$id"]) == (schema["$schema"], schema["$id"])


def test_a_changed_pattern_is_caught():
    def change(s):
        s["properties"]["candidate_id"]["pattern"] = "^[a-z0-9-]+$"

    assert any(p.startswith("candidate_id: pattern changed") for p in problems_after("InterviewCompleted", change))


def test_a_new_pattern_in_a_nested_definition_is_caught():
    def change(s):
        s["$defs"]["Assessment"]["properties"]["notes"]["pattern"] = "^[a-z]+$"

    problems = problems_after("InterviewCompleted", change)
    assert "Assessment.notes: pattern added (^[a-z]+$)" in problems


def test_a_new_or_changed_format_is_caught():
    def change(s):
        s["properties"]["event_id"]["format"] = "email"
        s["properties"]["interviewer_id"]["format"] = "hostname"

    problems = problems_after("InterviewCompleted", change)
    assert "event_id: format changed (email)" in problems
    assert "interviewer_id: format added (hostname)" in problems


@pytest.mark.parametrize(
    ("keyword", "value", "expected"),
    [
        ("maximum", 3, "maximum narrowed"),
        ("minimum", 2, "minimum narrowed"),
        ("exclusiveMaximum", 90, "exclusiveMaximum narrowed"),
        ("exclusiveMinimum", 0, "exclusiveMinimum narrowed"),
        ("multipleOf", 5, "multipleOf narrowed"),
    ],
)
def test_a_narrowed_numeric_bound_in_an_optional_field_is_caught(keyword, value, expected):
    def change(s):
        branch = next(b for b in s["properties"]["score"]["anyOf"] if b.get("type") == "number")
        branch[keyword] = value

    assert f"score: {expected}" in problems_after("Recommendation", change)


def test_a_narrowed_bound_inside_array_items_is_caught():
    old = {"properties": {"tags": {"type": "array", "items": {"type": "string", "maxLength": 50}}}}
    new = copy.deepcopy(old)
    new["properties"]["tags"]["items"]["maxLength"] = 10
    assert json_schema.incompatibilities(old, new) == ["tags[]: maxLength narrowed"]


def test_widening_is_compatible():
    old = {"properties": {"n": {"type": "integer", "minimum": 1, "maximum": 5, "multipleOf": 2}}}
    new = {"properties": {"n": {"type": "integer", "minimum": 0, "maximum": 10, "multipleOf": 1}}}
    assert json_schema.incompatibilities(old, new) == []
