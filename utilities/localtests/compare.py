"""Short failure messages for the local tests: what differs, where, and by how much."""

import numpy as np

# Enough digits to see a difference, few enough that a row fits on one line.
PRINT_OPTIONS = dict(precision=6, threshold=12, edgeitems=3, max_line_width=110)


def _short(a):
    return np.array2string(np.asarray(a), **PRINT_OPTIONS)


def assert_close(actual, expected, what, rtol=1e-7, atol=1e-9, hint=""):
    """Raise AssertionError unless ``actual`` matches ``expected`` elementwise.

    The message names ``what`` (the call that produced ``actual``), counts the
    mismatches, gives the largest one with its index, and prints the row of
    both arrays that holds it, instead of both arrays in full.
    """
    expected = np.asarray(expected, dtype=float)
    if actual is None:
        raise AssertionError(f"{what} returned None; it should return an array of shape "
                             f"{expected.shape}")
    actual = np.asarray(actual, dtype=float)
    if actual.shape != expected.shape:
        raise AssertionError(f"{what}: expected shape {expected.shape}, got {actual.shape}")
    close = np.isclose(actual, expected, rtol=rtol, atol=atol)
    if close.all():
        return
    error = np.where(close, 0.0, np.abs(actual - expected))
    error[np.isnan(error)] = np.inf
    worst = np.unravel_index(np.argmax(error), error.shape)
    lines = [f"{what}: {np.count_nonzero(~close)} of {close.size} values differ; the largest "
             f"difference is at index {tuple(int(i) for i in worst)}: expected "
             f"{expected[worst]:.8g}, got {actual[worst]:.8g}"]
    row = (worst[0],) if expected.ndim >= 2 else ()
    label = f" row {worst[0]}" if row else ""
    lines += [f"  expected{label}: {_short(expected[row])}", f"  got{label}:      {_short(actual[row])}"]
    if hint:
        lines.append(f"  hint: {hint}")
    raise AssertionError("\n".join(lines))


def assert_same_keys(actual, expected, what):
    """Raise AssertionError unless the dict ``actual`` has exactly the keys of ``expected``."""
    if not isinstance(actual, dict):
        raise AssertionError(f"{what} should be a dict with keys {sorted(expected)}, "
                             f"got {type(actual).__name__}")
    missing, extra = sorted(set(expected) - set(actual)), sorted(set(actual) - set(expected))
    if missing or extra:
        raise AssertionError(f"{what}: missing keys {missing}, unexpected keys {extra}")
