"""The points table and the probe registry.

The course's totals come from one copy (utilities/items.py), which the
grader reads; every probe is declared once (grader/probes/base.py's Probe)
and every item names the probes it reads.
"""

import dataclasses
from pathlib import Path

import pytest

from grader import table
from grader.compare import JobFailed
from grader.paths import SUBMISSION_FILES
from grader.probes import PROBES
from grader.runner import _grade_item
from grader.workspace import Context
from utilities.items import BY_NUMBER, ITEMS, graduate_points, points_line, undergraduate_points


def test_grader_variants_sum_to_the_course_totals():
    for variant, total in table.TOTALS.items():
        assert sum(table.weights(variant).values()) == pytest.approx(total)
    assert len({i.number for i in table.ITEMS}) == len(table.ITEMS)


def test_points_table_matches_the_course_totals():
    base = [i for i in ITEMS if not i.bonus]
    assert sum(i.points for i in base) == 135
    assert sum(i.points for i in base if i.written) == 9
    assert sum(i.points for i in base if i.undergraduate_bonus is None) == 94
    assert sum(i.undergraduate_bonus for i in ITEMS if i.undergraduate_bonus) == pytest.approx(6)
    assert sum(i.points for i in ITEMS if i.bonus) == pytest.approx(10)  # 2.2 2.5% + Q4 7.5%


def test_grader_items_take_their_weights_from_the_one_table():
    by_number = {i.number: i for i in ITEMS}
    for item in table.ITEMS:
        course = by_number[item.number]
        assert (item.name, item.points, item.grad_only_percent, item.bonus) == \
            (course.name, course.points, course.undergraduate_bonus, course.bonus)
    graded = {i.number for i in table.ITEMS}
    assert graded == {i.number for i in ITEMS if not i.written}


def test_points_line_names_both_audiences():
    assert points_line("1.1.9") == ("**Points:** graduate 5 pts · undergraduate 0.8% bonus · "
                                    "programming")
    assert (graduate_points(ITEMS[-1]), undergraduate_points(ITEMS[-1])) == \
        ("2.5% bonus", "2.5% bonus")


def test_every_probe_is_declared_once_and_read_by_an_item():
    declared = [name for item in table.ITEMS for name in item.probes]
    assert set(declared) == set(PROBES)
    for item in table.ITEMS:
        assert item.files and set(item.files) <= set(SUBMISSION_FILES)
        assert sum(item.parts) == item.points


def test_an_item_whose_parts_do_not_add_up_is_refused(monkeypatch):
    broken = dataclasses.replace(BY_NUMBER["1.2.1"], parts=(3, 2, 2))
    monkeypatch.setitem(table.BY_NUMBER, "1.2.1", broken)
    with pytest.raises(ValueError, match=r"1\.2\.1: its parts \(3, 2, 2\) add up to 7"):
        table._item("1.2.1", lambda ctx: [], ["nn_train_gd"])


def test_the_2_1_3_grader_line_states_the_split_of_its_points():
    item = BY_NUMBER["2.1.3"]
    assert f"({item.parts[0]:g} points)" in item.grader
    assert f"{item.parts[1]:g} points for any result" in item.grader


class _FakeContext(Context):
    """A context whose jobs return canned values, without a workspace."""

    def __init__(self, values):
        super().__init__(Path("."), {"jobs": {}}, 1.0, known_jobs=values)


def test_a_check_may_only_run_the_probes_its_item_declares():
    ctx = _FakeContext({"nn_softmax": {}, "nn_softsign": {}})
    ctx.start_item(("nn_softmax",))
    assert ctx.job("nn_softmax") == {}
    with pytest.raises(RuntimeError, match="'nn_softsign', which its item"):
        ctx.job("nn_softsign")


def test_points_come_from_the_table_and_checks_give_verdicts():
    item = table.item("1.2.1")

    def fake(check):
        return table.Item(item.number, item.name, item.points, check, (), item.parts)
    ctx = _FakeContext({})
    graded = _grade_item(fake(lambda c: [(True, "a"), (False, "b"), (True, "c")]), ctx)
    assert graded["fraction"] == pytest.approx((3 + 2.5) / 7.5)
    assert graded["output"].splitlines() == ["PASS (3 pts) a", "FAIL (2 pts) b", "PASS (2.5 pts) c"]

    def crashed(c):
        raise JobFailed("nn_train_gd: timed out")

    graded = _grade_item(fake(crashed), ctx)
    assert graded == {"fraction": 0.0, "output": "FAIL (7.5 pts) nn_train_gd: timed out"}
    with pytest.raises(RuntimeError, match="returned 2 parts; utilities/items.py declares 3"):
        _grade_item(fake(lambda c: [(True, "a"), (True, "b")]), ctx)
