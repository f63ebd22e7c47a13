"""Argument checks for the public entry points of the exercise modules.

Each check raises ValueError naming the argument, what was expected and what
was given, so a wrong call fails where it is made rather than deep inside
NumPy.
"""

import numpy as np


def as_points(X, name, n_features=None):
    """Return ``X`` as a finite float64 array of shape (N, D), or raise ValueError.

    ``n_features`` fixes D when the points must match earlier ones (query
    points against training points).
    """
    try:
        X = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError) as e:
        raise ValueError(f"{name} must be numeric, got {type(X).__name__}") from e
    if X.ndim != 2:
        raise ValueError(f"{name} must be 2-D of shape (n_samples, n_features), got shape "
                         f"{X.shape}; reshape a single point with x.reshape(1, -1)")
    if X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(f"{name} needs at least one row and one column, got shape {X.shape}")
    if n_features is not None and X.shape[1] != n_features:
        raise ValueError(f"{name} must have {n_features} features like X, got {X.shape[1]}")
    if not np.all(np.isfinite(X)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return X


def positive_number(value, name):
    """Return ``value`` as a float, or raise ValueError unless it is a finite number > 0."""
    if np.ndim(value) != 0 or isinstance(value, (bool, np.bool_, str)):
        raise ValueError(f"{name} must be a positive real number, got {value!r}")
    value = float(value)
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be finite and > 0, got {value}")
    return value


def callable_map(fn, name):
    """Return ``fn``, or raise ValueError unless it can be called."""
    if not callable(fn):
        raise ValueError(f"{name} must be callable (a function of one point), got {type(fn).__name__}")
    return fn
