"""Probes: the grader code that runs *inside* the sandboxed student process.

A probe calls the student's functions on fixed inputs and returns their raw
outputs (plain lists and numbers). Each is declared once, as a
:class:`.base.Probe` in its module's ``PROBES``. It never decides a score: the parent
process compares what a probe returns with the expected values, which this
process cannot read. The package is copied into every job's scratch folder and
run there as::

    python -E -s -m _probes JOB RESULT_FILE

The inputs come from :mod:`.inputs`, which the parent imports too, so both
sides build identical arrays from the same seeds.
"""

import json
import sys
import traceback

from . import cnn, nn, rnn, svm

PROBES = {**nn.PROBES, **cnn.PROBES, **svm.PROBES, **rnn.PROBES}


def to_plain(value):
    """Turn numpy arrays, torch tensors and numpy scalars into JSON-able values."""
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    if hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    if hasattr(value, "tolist"):
        return value.tolist()
    return value


def main(argv=None):
    """Run one probe and write ``{"ok": ..., "value" | "error": ...}`` as JSON."""
    job, out_path = (argv or sys.argv[1:])[:2]
    try:
        result = {"ok": True, "value": to_plain(PROBES[job].run())}
    except BaseException as e:  # the student's failure is data for the parent
        tb = traceback.format_exception(type(e), e, e.__traceback__, limit=-4)
        result = {"ok": False, "error": f"{type(e).__name__}: {e}",
                  "traceback": "".join(tb)[-3000:]}
    with open(out_path, "w") as f:
        json.dump(result, f)
