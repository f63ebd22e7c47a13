"""Grade a submission: run each item's probes in the sandbox, score in this process.

    python -m grader run --submission DIR --results FILE [--variant graduate]

Only this (parent) process computes scores and writes the results file, after
every job has ended, replacing whatever may be at that path.
"""

import json
import os
import sys
import tempfile
import time
from pathlib import Path

from . import expected as expected_values
from . import table
from .compare import JobFailed
from .probes import PROBES
from .sandbox import hide_from_jobs
from .workspace import Context, prepare_workspace


def _verdicts(item, ctx):
    """The check's ``(passed, message)`` parts; one failed part fails the whole item."""
    try:
        return item.check(ctx)
    except JobFailed as e:
        return [(False, str(e))]
    except (KeyError, TypeError, ValueError, IndexError) as e:
        return [(False, f"unexpected output from your code ({type(e).__name__}: {e})")]


def _grade_item(item, ctx):
    ctx.start_item(item.probes)
    verdicts = _verdicts(item, ctx)
    if len(verdicts) == 1 and not verdicts[0][0]:
        parts = [(item.points, *verdicts[0])]
    elif len(verdicts) == len(item.parts):
        parts = [(points, *verdict) for points, verdict in zip(item.parts, verdicts)]
    else:
        raise RuntimeError(f"the check of {item.number} returned {len(verdicts)} parts; "
                           f"utilities/items.py declares {len(item.parts)}")
    earned = sum(points for points, ok, _ in parts if ok)
    lines = [f"{'PASS' if ok else 'FAIL'} ({p:g} pts) {msg}" for p, ok, msg in parts]
    for name in ctx.used:
        if ctx.output(name).strip():
            lines.append(f"--- output of {name} (truncated) ---\n{ctx.output(name).strip()}")
    return {"fraction": earned / item.points, "output": "\n".join(lines)}


def grade(submission_dir, numbers, expected=None, timeout_scale=1.0, threads=None,
          known_jobs=None):
    """Grade items ``numbers``; returns ({number: {fraction, output}}, notes per file).

    ``threads`` caps each job's compute threads (None: the libraries'
    defaults); ``known_jobs`` passes probe results already computed for this
    submission (see ``Context``).
    """
    expected = expected or expected_values.load()
    with tempfile.TemporaryDirectory(prefix="grader-") as scratch:
        workspace, notes = prepare_workspace(submission_dir, Path(scratch))
        ctx = Context(workspace, expected, timeout_scale, threads, known_jobs)
        # The labels that the checks compare with are read before any student code runs.
        for name in dict.fromkeys(p for n in numbers for p in table.item(n).probes):
            if PROBES[name].labels:
                PROBES[name].labels()
        graded = {n: _grade_item(table.item(n), ctx) for n in numbers}
    for number, result in graded.items():
        extra = [m for f in table.item(number).files for m in notes[f]]
        if extra:
            result["output"] = "\n".join(extra) + "\n" + result["output"]
    return graded, notes


def report(graded, variant, notes, seconds):
    """The Gradescope results dict for ``variant`` from graded items."""
    tests = []
    for number, weight in table.weights(variant).items():
        item, result = table.item(number), graded[number]
        score = round(weight * result["fraction"], 4)
        tests.append({"name": f"{number} {item.name}", "number": number, "score": score,
                      "max_score": weight, "status": "passed" if score == weight else "failed",
                      "output": result["output"], "visibility": item.visibility})
    files = {f for n in table.weights(variant) for f in table.item(n).files}
    messages = [m for f in sorted(files) for m in notes.get(f, []) if "not submitted" not in m]
    return {"score": round(sum(t["score"] for t in tests), 4), "execution_time": round(seconds, 1),
            "output": "\n".join(messages), "stdout_visibility": "hidden", "tests": tests}


def write_results(results, path):
    """Write ``results`` to ``path`` atomically, replacing anything already there."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    with open(tmp, "w") as f:
        json.dump(results, f, indent=1)
    os.replace(tmp, path)


def run(submission_dir, results_path, variant="graduate", timeout_scale=1.0, items=None,
        threads=None):
    """Grade ``submission_dir`` for ``variant`` and write ``results_path``.

    ``items`` (item numbers) grades only those; the variant's other items
    score 0 with a note, which is for debugging one question quickly.
    ``threads`` caps each job's compute threads (see ``grade``).
    """
    start = time.monotonic()
    numbers = list(table.weights(variant))
    if items is not None:
        unknown = sorted(set(items) - set(numbers))
        if unknown:
            raise ValueError(f"items {unknown} are not in variant {variant}; it has {numbers}")
        numbers = [n for n in numbers if n in items]
    expected = expected_values.load()
    if not hide_from_jobs(expected_values.EXPECTED_FILE):
        print(f"note: student jobs run as this grader's user and could read "
              f"{expected_values.EXPECTED_FILE}; run the grader as root, with an interpreter "
              "that the user nobody can execute, to isolate them", file=sys.stderr)
    graded, notes = grade(submission_dir, numbers, expected, timeout_scale, threads)
    skipped = {"fraction": 0.0, "output": "not graded in this run (--items)"}
    graded = {n: graded.get(n, skipped) for n in table.weights(variant)}
    results = report(graded, variant, notes, time.monotonic() - start)
    write_results(results, results_path)
    return results
