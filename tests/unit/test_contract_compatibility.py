import copy
import json

import pytest

from schemas.tooling import json_schema

RELEASED = json_schema.SCHEMA_DIR / "released" / "v1"
CURRENT = json_schema.generate()


@pytest.mark.parametrize("name", sorted(CURRENT))
def test_committed_json_schema_files_match_the_models(name):
    committed = (json_schema.SCHEMA_DIR / f"{name}.json").read_text()
    assert committed == json_schema.render(CURRENT[name]), (
        f"{name}.json is stale: run `hiring-pipeline schemas export` and commit the result"
    )


@pytest.mark.parametrize("name", sorted(CURRENT))
def test_models_stay_backward_compatible_with_the_released_v1_topics(name):
    released = json.loads((RELEASED / f"{name}.json").read_text())
    assert json_schema.unexplained_incompatibilities(released, CURRENT[name]) == []


def test_every_documented_contract_fix_is_still_needed():
    """An allowance nobody needs any more goes, so the list says exactly what was narrowed."""
    used = set()
    for name, schema in CURRENT.items():
        used |= {
            json_schema.fix_key(p)
            for p in json_schema.incompatibilities(json.loads((RELEASED / f"{name}.json").read_text()), schema)
        }
    assert set(json_schema.CONTRACT_FIXES) <= used


def test_a_changed_pattern_is_detected_and_only_documented_fixes_are_allowed():
    changed = copy.deepcopy(_released("InterviewRetracted"))
    changed["properties"]["reason"]["pattern"] = "^[a-z]{0,3}$"
    assert json_schema.unexplained_incompatibilities(_released("InterviewRetracted"), changed) == [
        "reason: pattern changed (^[a-z]{0,3}$)"
    ]


def _released(name):
    return json.loads((RELEASED / f"{name}.json").read_text())


def test_removing_a_field_is_detected_as_incompatible():
    changed = copy.deepcopy(_released("InterviewCompleted"))
    del changed["properties"]["interviewer_id"]
    assert "interviewer_id: removed or renamed" in json_schema.incompatibilities(
        _released("InterviewCompleted"), changed
    )


def test_narrowing_a_type_is_detected_as_incompatible():
    changed = copy.deepcopy(_released("Recommendation"))
    changed["properties"]["score"] = {"type": "number"}  # no longer nullable
    problems = json_schema.incompatibilities(_released("Recommendation"), changed)
    assert any(p.startswith("score: type narrowed") for p in problems)


def test_removing_an_enum_value_is_detected_as_incompatible():
    changed = copy.deepcopy(_released("InterviewCompleted"))
    changed["$defs"]["Rating"]["enum"].remove("mixed")
    assert "Rating: enum values removed" in json_schema.incompatibilities(_released("InterviewCompleted"), changed)


def test_adding_an_optional_field_is_compatible():
    changed = copy.deepcopy(_released("InterviewCompleted"))
    changed["properties"]["source_system"] = {"type": "string", "default": "ats"}
    assert json_schema.incompatibilities(_released("InterviewCompleted"), changed) == []
