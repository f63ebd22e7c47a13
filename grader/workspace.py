"""What every job of one grading shares: the workspace folder and the grading context.

``prepare_workspace`` copies the submission (or the template of a file it
lacks), the utilities, the probes and the data into a scratch folder that
each sandboxed job copies; ``Context`` runs the probes there on demand and
hands their values to the checks. Both runner.py and expected.py build on
this module, which imports neither of them.
"""

import os
import shutil
from pathlib import Path

from utilities.submission import import_notes

from .compare import JobFailed
from .paths import PROBES_DIR, SOURCE_ROOT, SUBMISSION_FILES, TEMPLATES_DIR
from .probes import PROBES
from .release import write_stubs
from .sandbox import JobResult, Limits, run_job


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
    very submission, used instead of running those probes again. While an
    item is graded (``start_item``), only the probes it declares may run.
    """

    def __init__(self, workspace, expected, timeout_scale, threads=None, known_jobs=None):
        self._workspace, self._expected, self._scale = workspace, expected, timeout_scale
        self._threads = threads
        self._jobs = {name: JobResult(True, value, "", "", 0.0)
                      for name, value in (known_jobs or {}).items()}
        self._declared, self.used = None, []

    def start_item(self, probes):
        """Grade the next item, which declares the probe names ``probes``."""
        self._declared, self.used = tuple(probes), []

    def job(self, name):
        """The value the probe ``name`` returned; raises JobFailed if it did not finish."""
        if self._declared is not None and name not in self._declared:
            raise RuntimeError(f"the check asked for probe {name!r}, which its item in "
                               f"grader/table.py does not declare (it declares {self._declared})")
        if name not in self._jobs:
            limits = Limits(timeout_s=PROBES[name].timeout_s * self._scale, threads=self._threads)
            self._jobs[name] = run_job(name, self._workspace, limits)
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

    def summary(self, name):
        """The probe's declared summary of its value (its raw value when it declares none)."""
        summarise = PROBES[name].summary
        return summarise(self.job(name)) if summarise else self.job(name)
