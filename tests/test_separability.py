"""Tests for utilities/separability.py, the exact 1-D check behind the Q3.1 answer."""

import numpy as np
import pytest
from scipy.optimize import linprog

from utilities.separability import check_candidates, format_report, separation_1d

# The eight points of the notebook's 3.1 and its five candidate features.
X_1 = np.array([0.46, 1.96, 2.94, 3.71, 0.81, 1.93, 2.95, 4.51])
X_2 = np.array([0.76, 1.56, 1.99, 2.32, 0.10, 2.62, 2.80, -1.13])
Y = np.array([1, 1, 1, 1, -1, -1, -1, -1])
CANDIDATES = {
    "f1": lambda a, b: a**2 + b**2,
    "f2": lambda a, b: a**2,
    "f3": lambda a, b: np.exp(-(a**2 + b**2) / 2),
    "f4": lambda a, b: np.abs(1 - b),
    "f5": lambda a, b: b - a,
}


def lp_separable(values, y):
    """Independent reference: is there (w, b) with y_i (w v_i + b) >= 1 for all i?"""
    A = -y[:, None] * np.column_stack((values, np.ones_like(values)))  # (N, 2)
    result = linprog(np.zeros(2), A_ub=A, b_ub=-np.ones(len(y)), bounds=(None, None),
                     method="highs")
    assert result.status in (0, 2), result.message  # 0 feasible, 2 infeasible
    return result.status == 0


def test_notebook_points_verdicts_agree_with_lp():
    results = check_candidates(CANDIDATES, X_1, X_2, Y)
    assert list(results) == list(CANDIDATES)
    for name, f in CANDIDATES.items():
        assert results[name].separable == lp_separable(f(X_1, X_2), Y), name
    # Worked out by hand from the per-class ranges: every pair of intervals
    # overlaps; f4 comes closest (class -1 starts at 0.90, class +1 ends at 1.32).
    assert not any(r.separable for r in results.values())
    assert results["f4"].gap == pytest.approx(0.90 - 1.32, abs=1e-12)


def test_moving_one_point_makes_f4_separate():
    # The 3.3 variant of the data puts the fifth point at (1.81, -0.50).
    x_1, x_2 = X_1.copy(), X_2.copy()
    x_1[4], x_2[4] = 1.81, -0.50
    result = check_candidates(CANDIDATES, x_1, x_2, Y)["f4"]
    assert result.separable and lp_separable(np.abs(1 - x_2), Y)
    assert result.gap == pytest.approx(1.50 - 1.32, abs=1e-12)
    assert result.threshold == pytest.approx(1.41, abs=1e-12)


@pytest.mark.parametrize("seed", range(20))
def test_random_features_agree_with_lp(seed):
    rng = np.random.default_rng(seed)
    y = rng.permutation(np.repeat([-1, 1], 6))
    values = rng.normal(size=12) + rng.uniform(0, 6) * y  # separable for large shifts
    result = separation_1d(values, y)
    assert result.separable == lp_separable(values, y)
    if result.separable:
        side = np.sign(values - result.threshold)
        assert np.all(side == side[y == 1][0] * y), "threshold must split the classes"


def test_touching_classes_are_not_separable():
    result = separation_1d([0.0, 1.0, 1.0, 2.0], [1, 1, -1, -1])
    assert result.gap == 0.0 and not result.separable and result.threshold is None


def test_either_class_may_lie_above():
    up = separation_1d([3.0, 4.0, 0.0, 1.0], [1, 1, -1, -1])
    down = separation_1d([0.0, 1.0, 3.0, 4.0], [1, 1, -1, -1])
    assert up.separable and down.separable
    assert up.gap == down.gap == 2.0 and up.threshold == down.threshold == 2.0
    np.testing.assert_array_equal(down.positive, [0.0, 1.0])
    np.testing.assert_array_equal(down.negative, [3.0, 4.0])


def test_report_lists_every_feature_and_verdict():
    report = format_report(check_candidates(CANDIDATES, X_1, X_2, Y))
    lines = report.splitlines()
    assert len(lines) == 1 + len(CANDIDATES)
    assert all(line.split()[1] == "False" for line in lines[1:])
    assert "0.24" in lines[4] and "2.13" in lines[4]  # f4's extreme values


@pytest.mark.parametrize("values, y, match", [
    ([1.0, 2.0], [1], "equal length"),
    ([[1.0, 2.0]], [[1, -1]], "1-D"),
    ([1.0, np.nan], [1, -1], "NaN"),
    ([1.0, 2.0], [1, 1], "both labels"),
    ([1.0, 2.0], [0, 1], "both labels"),
])
def test_bad_inputs_raise_value_error(values, y, match):
    with pytest.raises(ValueError, match=match):
        separation_1d(values, y)
