from pathlib import Path

import pytest

from schemas.rubric import load_roles, load_rubric
from schemas.scales import Competency

SEED = Path(__file__).resolve().parents[2] / "schemas" / "data" / "seed" / "rubric-and-roles.txt"
"""The product owner's seed, committed as received, so the rubric's provenance is checked."""


def test_the_rubric_describes_each_of_the_five_competencies_once():
    assert sorted(c.id for c in load_rubric().competencies) == sorted(Competency)


def test_every_competency_has_strong_weak_evidence_and_red_flag_signals():
    for competency in load_rubric().competencies:
        kinds = {s.kind for s in competency.signals}
        assert {"strong", "red_flag"} <= kinds, competency.id


def test_the_rubric_prose_is_the_product_owners_seed_unchanged():
    seed = SEED.read_text()
    for competency in load_rubric().competencies:
        for text in (competency.description, competency.strong_answer, competency.red_flag):
            assert text in seed


def test_the_three_roles_of_the_seed_have_profiles():
    assert set(load_roles()) == {"backend-engineer", "java-backend-engineer", "node-backend-engineer"}


def test_role_weights_cover_every_required_competency_and_sum_to_one():
    for role in load_roles().values():
        assert set(role.required) <= set(role.weights)
        assert sum(role.weights.values()) == pytest.approx(1.0)


def test_signal_ids_are_unique_and_prefixed_by_their_competency():
    ids = [s.id for c in load_rubric().competencies for s in c.signals]
    assert len(ids) == len(set(ids))
    for competency in load_rubric().competencies:
        assert all(s.id.startswith(f"{competency.id.value}.") for s in competency.signals)
