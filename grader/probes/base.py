"""What every probe module shares: how a probe is declared, and how raw output is read.

Each probe module ends with ``PROBES = {name: Probe(...)}``; that entry is
the only place that says what the probe runs, which submission files it
calls, how long it may take, whether the reference's output is stored in
expected.json, and how that output is summarised first. The items of
grader/table.py name the probes they read, and take their files from here.
"""

from dataclasses import dataclass
from typing import Callable, Optional

import numpy as np

# Seconds for a probe that calls single functions on small inputs.
UNIT_TIMEOUT_S = 120


@dataclass(frozen=True)
class Probe:
    """One probe.

    ``run`` is called in the sandboxed job and returns raw outputs. ``files``
    are the submission files whose code it calls. ``stored`` keeps the
    reference's output in expected.json (False for probes checked by
    properties or absolute bars). ``summary``, when given, maps the raw
    output to what is compared and stored; it runs in the parent process.
    ``labels``, when given, reads the labels that the checks compare the
    output with; the parent calls it before any job of the grading runs.
    """

    run: Callable[[], object]
    files: tuple
    timeout_s: float = UNIT_TIMEOUT_S
    stored: bool = True
    summary: Optional[Callable[[object], dict]] = None
    labels: Optional[Callable[[], object]] = None


def as_array(value):
    """``value`` as a float64 array, or None when it is not numeric."""
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        return None
    return arr if arr.dtype == np.float64 else None
