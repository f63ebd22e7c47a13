"""The points table: the course's totals, one copy (utilities/items.py) read by the grader."""

import pytest

from grader import table
from utilities.items import ITEMS, graduate_points, points_line, undergraduate_points


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
