"""The adverse-impact arithmetic on 400 candidates whose rates are known by construction."""

import json
from datetime import UTC, datetime

import pytest

from hiring_pipeline.tools.audit import UNANSWERED, Audited, adverse_impact, audited
from tests.greenhouse import recommendation

WHITE, ASIAN, BLACK, TWO = "White", "Asian", "Black or African American", "Two or More Races"
DECLINE = "Decline To Self Identify"
# (sex, race): (candidates, selected); scores: selected 3.5, the others 2.0
CELLS = {
    ("Male", WHITE): (100, 50),
    ("Male", ASIAN): (60, 30),
    ("Male", BLACK): (40, 20),
    ("Female", WHITE): (80, 32),
    ("Female", ASIAN): (50, 20),
    ("Female", BLACK): (30, 12),
    (DECLINE, WHITE): (20, 6),
    (DECLINE, ASIAN): (8, 2),
    (DECLINE, BLACK): (6, 2),
    (UNANSWERED, TWO): (6, 3),
}
ABOVE_MEDIAN_NOT_SELECTED = 10
"""Female / White: ten not selected score 2.5, above the median (2.0) without being selected."""


def people() -> list[Audited]:
    result = []
    for (sex, race), (n, selected) in CELLS.items():
        for k in range(n):
            chosen = k < selected
            score = 3.5 if chosen else 2.0
            if (sex, race) == ("Female", WHITE) and selected <= k < selected + ABOVE_MEDIAN_NOT_SELECTED:
                score = 2.5
            result.append(Audited(f"{sex}-{race}-{k}", sex, race, chosen, score))
    return result


@pytest.fixture(scope="module")
def report():
    return adverse_impact(people(), "backend-engineer")


def rows(report, dimension):
    return {r.category: r for r in report.groups[dimension]}


def test_the_median_and_the_totals(report):
    assert report.candidates == 400
    assert report.median_score == 2.0  # 213 of 400 score 2.0


def test_sex_selection_and_scoring_rates_and_impact_ratios(report):
    sex = rows(report, "sex")
    assert {c: (r.candidates, r.selected) for c, r in sex.items()} == {
        "Male": (200, 100),
        "Female": (160, 64),
        DECLINE: (34, 10),
        UNANSWERED: (6, 3),
    }
    assert sex["Male"].selection_impact_ratio == 1.0
    assert sex["Female"].selection_rate == 0.4 and sex["Female"].selection_impact_ratio == 0.8
    assert not sex["Female"].flagged  # exactly four-fifths is not below it
    assert sex[DECLINE].selection_impact_ratio == round((10 / 34) / 0.5, 4) and sex[DECLINE].flagged
    assert sex["Female"].scoring_rate == round(74 / 160, 4)
    assert sex["Female"].scoring_impact_ratio == round((74 / 160) / 0.5, 4)
    assert sex[UNANSWERED].left_out and sex[UNANSWERED].selection_impact_ratio is None  # 1.5 % of the data


def test_race_rates_against_the_most_selected_category(report):
    race = rows(report, "race/ethnicity")
    top = 34 / 76  # Black or African American is the most selected
    assert race[BLACK].selection_impact_ratio == 1.0
    assert race[WHITE].selection_rate == 0.44 and race[WHITE].selection_impact_ratio == round(0.44 / top, 4)
    assert race[ASIAN].selection_impact_ratio == round((52 / 118) / top, 4)
    assert race[WHITE].scoring_rate == round(98 / 200, 4)
    assert race[TWO].left_out
    assert not any(r.flagged for r in race.values())


def test_intersections_flag_and_leave_out_as_the_rule_says(report):
    cells = rows(report, "intersection")
    assert cells[f"Female / {WHITE}"].selection_impact_ratio == 0.8
    assert cells[f"Female / {WHITE}"].scoring_rate == round(42 / 80, 4)
    assert cells[f"{DECLINE} / {WHITE}"].selection_impact_ratio == 0.6 and cells[f"{DECLINE} / {WHITE}"].flagged
    assert not cells[f"{DECLINE} / {ASIAN}"].left_out  # 8 of 400 is 2 %: kept
    assert cells[f"{DECLINE} / {ASIAN}"].selection_impact_ratio == 0.5
    assert cells[f"{DECLINE} / {BLACK}"].left_out and cells[f"{UNANSWERED} / {TWO}"].left_out
    assert report.left_out == [
        f"sex: {UNANSWERED} (6)",
        f"race/ethnicity: {TWO} (6)",
        f"intersection: {DECLINE} / {BLACK} (6)",
        f"intersection: {UNANSWERED} / {TWO} (6)",
    ]


def test_the_json_report_carries_the_flags(report):
    data = json.loads(report.to_json())
    flagged = {r["category"] for r in data["groups"]["sex"] if r["flagged"]}
    assert flagged == {DECLINE}


def test_undecided_and_unidentified_candidates_are_counted_apart_never_guessed():
    decided = [recommendation(1, 1, "hire"), recommendation(2, 1, "no_hire"), recommendation(3, 1, "hire")]
    undecided = recommendation(4, 1, "insufficient_evidence")
    demographics = {"1": ("Female", WHITE), "2": (DECLINE, None), "4": ("Male", ASIAN)}
    people, pending, unknown = audited([*decided, undecided], demographics, "backend-engineer", None)
    assert [(p.candidate_id, p.sex, p.race, p.selected) for p in people] == [
        ("1", "Female", WHITE, True),
        ("2", DECLINE, UNANSWERED, False),
    ]
    assert (pending, unknown) == (1, 1)
    later = audited(decided, demographics, "backend-engineer", datetime(2999, 1, 1, tzinfo=UTC))
    assert later == ([], 0, 0)
