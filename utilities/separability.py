"""Exact check of whether one real-valued feature separates two classes (Q3.1).

A hyperplane in one dimension is a threshold, so a single feature separates
the labels -1 and +1 exactly when the two classes' value intervals do not
overlap: every value of one class lies strictly below every value of the
other. That is a comparison of four numbers, with no solver and no tolerance,
unlike reading off the training accuracy of one soft-margin ``SVC`` fit (whose
default ``C=1`` can misclassify a separable set whose gap is narrow).
"""

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Separation:
    """Verdict for one feature.

    Attributes
    ----------
    positive, negative : ndarray of shape (N+,) and (N-,)
        Sorted feature values of class +1 and class -1.
    gap : float
        ``min(upper) - max(lower)``, where the upper class is the one whose
        smallest value is larger: the width of the empty band between the
        classes, or, when negative, how far the lower class reaches past the
        upper class's smallest value.
    separable : bool
        ``gap > 0``: some threshold puts every point on its own class's side.
    threshold : float or None
        Midpoint of the gap when separable, else None.
    """

    positive: np.ndarray
    negative: np.ndarray
    gap: float
    separable: bool
    threshold: float | None


def separation_1d(values, y):
    """Decide whether a threshold on ``values`` splits the classes of ``y``.

    Parameters
    ----------
    values : array-like of shape (N,)
        One finite feature value per point.
    y : array-like of shape (N,)
        Labels in {-1, 1}; both classes must occur.

    Returns
    -------
    Separation
    """
    values = np.asarray(values, dtype=np.float64)
    y = np.asarray(y)
    if values.ndim != 1 or values.shape != y.shape:
        raise ValueError(
            f"values and y must be 1-D of equal length, got shapes {values.shape} and {y.shape}"
        )
    if not np.all(np.isfinite(values)):
        raise ValueError("values contain NaN or infinite entries")
    if not np.all(np.isin(y, (-1, 1))) or np.unique(y).size != 2:
        raise ValueError(
            f"y must contain both labels -1 and 1 and nothing else, got {np.unique(y)}"
        )
    positive, negative = np.sort(values[y == 1]), np.sort(values[y == -1])
    # Put the class whose smallest value is larger on top; if any order
    # separates, this one does (the other would need min(upper) < min(lower)).
    if positive[0] >= negative[0]:
        lower_max, upper_min = negative[-1], positive[0]
    else:
        lower_max, upper_min = positive[-1], negative[0]
    # IEEE subtraction keeps the sign of a - b exact (gradual underflow), so
    # "gap > 0" is the exact comparison upper_min > lower_max.
    gap = float(upper_min - lower_max)
    separable = gap > 0
    threshold = float((lower_max + upper_min) / 2) if separable else None
    return Separation(positive, negative, gap, separable, threshold)


def check_candidates(candidates, x_1, x_2, y):
    """Apply each ``f(x_1, x_2)`` and test the resulting feature with ``separation_1d``.

    Parameters
    ----------
    candidates : dict of str to callable
        Name -> function mapping two arrays of shape (N,) to one of shape (N,).
    x_1, x_2 : array-like of shape (N,)
        The two input features.
    y : array-like of shape (N,)
        Labels in {-1, 1}.

    Returns
    -------
    dict of str to Separation
        In the order of ``candidates``.
    """
    x_1, x_2 = np.asarray(x_1, dtype=np.float64), np.asarray(x_2, dtype=np.float64)
    return {name: separation_1d(f(x_1, x_2), y) for name, f in candidates.items()}


def format_report(results, digits=4):
    """Render ``check_candidates`` output as a plain-text table, one line per feature."""
    def values(v):
        return "[" + ", ".join(f"{x:.{digits}g}" for x in v) + "]"

    lines = [f"{'f':<4} {'separable':<9} {'gap':>9}  class +1 values | class -1 values"]
    for name, s in results.items():
        lines.append(
            f"{name:<4} {str(s.separable):<9} {s.gap:>9.{digits}g}  "
            f"{values(s.positive)} | {values(s.negative)}"
        )
    return "\n".join(lines)
