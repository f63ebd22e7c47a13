"""Helpers the checks use to compare a job's raw output with expected values.

Everything here treats the student's output as untrusted data: any type or
shape problem is a failed comparison with a message, never an exception.
"""

import numpy as np

from .probes.base import as_array

# Default tolerances for deterministic float64 results: loose enough for a
# different but equivalent order of operations, far tighter than any bug.
RTOL = 1e-6
ATOL = 1e-8


class JobFailed(Exception):
    """A job timed out, crashed or raised; the message says which and why."""


def close(actual, expected, name, rtol=RTOL, atol=ATOL):
    """(ok, message) for ``actual`` ≈ ``expected``, recursing into dicts and lists."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict) or sorted(actual) != sorted(expected):
            keys = sorted(actual) if isinstance(actual, dict) else type(actual).__name__
            return False, f"{name}: expected keys {sorted(expected)}, got {keys}"
        for key in sorted(expected):
            ok, msg = close(actual[key], expected[key], f"{name}[{key!r}]", rtol, atol)
            if not ok:
                return ok, msg
        return True, f"{name}: matches"
    if isinstance(expected, list) and any(isinstance(x, (dict, list)) for x in expected) \
            and any(isinstance(x, dict) for x in expected):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return False, f"{name}: expected a list of {len(expected)} entries"
        for i, (a, e) in enumerate(zip(actual, expected)):
            ok, msg = close(a, e, f"{name}[{i}]", rtol, atol)
            if not ok:
                return ok, msg
        return True, f"{name}: matches"
    a, e = as_array(actual), np.asarray(expected, dtype=np.float64)
    if a is None or a.shape != e.shape:
        got = "a non-numeric value" if a is None else f"shape {a.shape}"
        return False, f"{name}: expected shape {e.shape}, got {got}"
    if not np.all(np.isfinite(a)):
        return False, f"{name}: contains NaN or infinite values"
    err = np.abs(a - e)
    bad = err > atol + rtol * np.abs(e)
    if bad.any():
        i = np.unravel_index(np.argmax(np.where(bad, err, -1)), e.shape) if e.ndim else ()
        return False, (f"{name}: {int(bad.sum())} of {e.size} values differ; e.g. at {i} "
                       f"expected {e[i]:.6g}, got {a[i]:.6g}")
    return True, f"{name}: matches"


def all_close(pairs):
    """(ok, messages) for a list of ``(actual, expected, name)`` comparisons."""
    results = [close(a, e, n) for a, e, n in pairs]
    return all(ok for ok, _ in results), [msg for _, msg in results]
