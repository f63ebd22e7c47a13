"""Grade a submission: run each item's probes in the sandbox, score in this process.

    python -m grader run --submission DIR --results FILE [--variant graduate]

Only this (parent) process computes scores and writes the results file, after
every job has ended, replacing whatever may be at that path.
"""

import ast
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from utilities.submission import import_notes

from . import expected as expected_values
from . import table
from .checks_q1 import summarise_run
from .compare import JobFailed
from .paths import PROBES_DIR, SOURCE_ROOT, SUBMISSION_FILES, TEMPLATES_DIR
from .release import write_stubs
from .sandbox import JobResult, Limits, hide_from_jobs, run_job

# Seconds per job: probes of single functions, the Q1 training runs, the CNN
# training (the course allows 5-10 minutes on a CPU for tune()).
TIMEOUTS = {"nn_train_": 600, "cnn_train": 1800}
UNIT_TIMEOUT = 120


def find_submitted(submission_dir):
    """``{file name: path}`` of the graded files found (shallowest first) in the upload."""
    found = {}
    paths = sorted(Path(submission_dir).rglob("*.py"), key=lambda p: (len(p.parts), str(p)))
    for path in paths:
        if path.name in SUBMISSION_FILES and path.name not in found and path.is_file():
            found[path.name] = path
    return found


def _templates(scratch):
    if TEMPLATES_DIR.is_dir():
        return TEMPLATES_DIR
    write_stubs(scratch / "templates", SOURCE_ROOT, SUBMISSION_FILES)
    return scratch / "templates"


def prepare_workspace(submission_dir, scratch):
    """Build the workspace every job copies; returns (path, notes per file name)."""
    workspace, templates = scratch / "workspace", _templates(scratch)
    workspace.mkdir()
    found, notes = find_submitted(submission_dir), {}
    for name in SUBMISSION_FILES:
        template = (templates / name).read_text()
        if name in found:
            text = found[name].read_bytes().decode("utf-8", "replace")
            notes[name] = import_notes(name, text, template)
        else:
            text, notes[name] = template, [f"{name} was not submitted; graded as the template"]
        (workspace / name).write_text(text)
    shutil.copytree(SOURCE_ROOT / "utilities", workspace / "utilities",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(PROBES_DIR, workspace / "_probes", ignore=shutil.ignore_patterns("__pycache__"))
    # One copy per grading: a job that writes into data/ cannot reach the
    # repository's (or autograder's) own copy through this link.
    shutil.copytree(SOURCE_ROOT / "data", scratch / "data", ignore=shutil.ignore_patterns("raw"))
    (workspace / "data").symlink_to(scratch / "data")
    for path in [scratch, *scratch.rglob("*")]:
        if not path.is_symlink():
            os.chmod(path, 0o755 if path.is_dir() else 0o644)
    return workspace, notes


class Context:
    """What a check sees: job values (run lazily, once each) and expected values.

    ``known_jobs`` ({probe name: value}) are results already computed for this
    very submission, used instead of running those probes again.
    """

    def __init__(self, workspace, expected, timeout_scale, threads=None, known_jobs=None):
        self._workspace, self._expected, self._scale = workspace, expected, timeout_scale
        self._threads = threads
        self._jobs = {name: JobResult(True, value, "", "", 0.0)
                      for name, value in (known_jobs or {}).items()}
        self._y_test, self._mri, self.used = None, None, []

    def _limits(self, name):
        timeout = next((t for prefix, t in TIMEOUTS.items() if name.startswith(prefix)),
                       UNIT_TIMEOUT)
        return Limits(timeout_s=timeout * self._scale, threads=self._threads)

    def job(self, name):
        """The value the probe ``name`` returned; raises JobFailed if it did not finish."""
        if name not in self._jobs:
            self._jobs[name] = run_job(name, self._workspace, self._limits(name))
        result = self._jobs[name]
        if name not in self.used:
            self.used.append(name)
        if not result.ok:
            raise JobFailed(f"{name}: {result.error}")
        return result.value

    def output(self, name):
        return self._jobs[name].output if name in self._jobs else ""

    def expected(self, name):
        return self._expected["jobs"][name]

    def y_test(self):
        """One-hot housing test labels, loaded here (in the parent) from the data."""
        if self._y_test is None:
            from utilities.utils import get_housing_dataset
            self._y_test = get_housing_dataset()[3]
        return self._y_test

    def mri_labels(self):
        """MRI test labels, loaded here (in the parent) from the data."""
        if self._mri is None:
            from utilities.utils import get_mri_dataset
            self._mri = get_mri_dataset()[3]
        return self._mri

    def summary(self, name):
        """Loss trajectory, test CE and confusion diagonal of training job ``name``."""
        return summarise_run(self.job(name), self.y_test())


def _grade_item(item, ctx):
    ctx.used = []
    try:
        parts = item.check(ctx)
    except JobFailed as e:
        parts = [(item.points, False, str(e))]
    except (KeyError, TypeError, ValueError, IndexError) as e:
        parts = [(item.points, False, f"unexpected output from your code ({type(e).__name__}: {e})")]
    earned = sum(p for p, ok, _ in parts if ok)
    lines = [f"{'PASS' if ok else 'FAIL'} ({p:g} pts) {msg}" for p, ok, msg in parts]
    for name in ctx.used:
        if ctx.output(name).strip():
            lines.append(f"--- output of {name} (truncated) ---\n{ctx.output(name).strip()}")
    return {"fraction": earned / sum(p for p, _, _ in parts), "output": "\n".join(lines)}


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
        # Labels are loaded before any student code runs.
        ctx.y_test()
        if any(n.startswith("2.1") for n in numbers):
            ctx.mri_labels()
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
