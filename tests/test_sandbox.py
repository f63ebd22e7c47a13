"""Tests of the grader's sandbox and of autograder.zip: isolation, limits, hostile submissions.

Scores of ordinary submissions are tests/test_grader.py; the student kit is
tests/test_release.py.
"""

import json
import os
import pwd
import shutil
import site
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest

from grader import sandbox
from grader.bundle import build_zip
from grader.paths import SOURCE_ROOT
from grader.sandbox import REQUIRED_MODULES
from tests.grading import FIXTURES, solution_lines


@pytest.fixture(scope="module")
def autograder(tmp_path_factory, expected_file):
    """The built zip and its source/ folder unpacked the way Gradescope does."""
    root = tmp_path_factory.mktemp("autograder")
    zip_path = build_zip("undergraduate", root / "autograder.zip", expected_file=expected_file)
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(root / "unpacked")
    return zip_path, root / "unpacked"


def test_zip_layout_and_no_solution_code(autograder):
    zip_path, unpacked = autograder
    names = zipfile.ZipFile(zip_path).namelist()
    assert {"setup.sh", "run_autograder", "source/requirements.txt",
            "source/grader/expected.json"} <= set(names)
    assert "undergraduate" in (unpacked / "run_autograder").read_text()
    solution = solution_lines()
    for path in unpacked.rglob("*.py"):
        leaked = solution & {s.strip() for s in path.read_text().splitlines()}
        assert not leaked, f"{path.relative_to(unpacked)} contains solution lines {leaked}"


def _run_as_nobody(python, code, *args):
    """Run ``python -c code args`` as the user ``nobody``; returns the CompletedProcess."""
    entry = pwd.getpwnam("nobody")
    return subprocess.run([python, "-c", code, *map(str, args)], cwd="/", capture_output=True,
                          text=True, timeout=120, user=entry.pw_uid, group=entry.pw_gid,
                          extra_groups=[])


def _nobody_can_run(python, code):
    try:
        return _run_as_nobody(python, code).returncode == 0
    except OSError:  # the interpreter itself cannot be reached
        return False


def _world_dir():
    """A new temporary folder that every user can enter (mkdtemp makes it 0700)."""
    path = Path(tempfile.mkdtemp(prefix="grader-test-"))
    path.chmod(0o755)
    return path


@pytest.fixture(scope="module")
def nobody_python():
    """(interpreter, "") that ``nobody`` can run with this venv's packages, or (None, reason).

    As on Gradescope, where a root grader and its jobs share a system-wide
    install. This venv's base Python may sit under a 0700 /root, which
    ``nobody`` cannot enter; a venv made from a system Python of the same
    version, with a .pth file pointing at this venv's site-packages, stands in.
    """
    if os.geteuid() != 0:
        yield None, "jobs only change user when the grader runs as root"
        return
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    bases = [sys._base_executable, f"/usr/local/bin/python{version}", f"/usr/bin/python{version}"]
    base = next((b for b in bases if _nobody_can_run(b, "import venv")), None)
    if base is None:
        yield None, f"no Python {version} that the user nobody can run among {bases}"
        return
    root = _world_dir()
    subprocess.run([base, "-m", "venv", "--without-pip", str(root / "venv")], check=True,
                   timeout=120)
    site_dir = next(root.glob("venv/lib/python*/site-packages"))
    (site_dir / "parent_venv.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    python = str(root / "venv" / "bin" / "python")
    if _nobody_can_run(python, f"import {REQUIRED_MODULES}"):
        yield python, ""
    else:
        yield None, f"the user nobody cannot import this venv's packages {site.getsitepackages()}"
    shutil.rmtree(root)


@pytest.fixture(scope="module")
def grading_python(nobody_python):
    """The interpreter that runs the grader: one whose jobs can run as nobody, if any."""
    return nobody_python[0] or sys.executable


def _run_unpacked(unpacked, submission, results, items, scale=1.0, python=sys.executable):
    subprocess.run(
        [python, "-m", "grader", "run", "--submission", str(submission), "--results",
         str(results), "--variant", "undergraduate", "--items", ",".join(items),
         "--timeout-scale", str(scale)],
        cwd=unpacked / "source", check=True, capture_output=True, timeout=600)
    with open(results) as f:
        data = json.load(f)
    assert {"score", "execution_time", "tests"} <= set(data)
    return {t["number"]: t for t in data["tests"]}


# (fixture file, submitted as, items graded, items attacked, timeout scale)
ADVERSARIAL = [
    ("infinite_loop_svm.py", "svm.py", ["3.2", "3.3.1", "3.3.2"], ["3.3.2"], 0.1),
    ("memory_hog_nn.py", "NN.py", ["1.1.2", "1.1.3"], ["1.1.2"], 1.0),
    ("forging_svm.py", "svm.py", ["3.3.1", "3.3.2"], ["3.3.1", "3.3.2"], 1.0),
    ("editing_tests_svm.py", "svm.py", ["3.3.1", "3.3.2"], ["3.3.1", "3.3.2"], 1.0),
]


@pytest.mark.parametrize("case", ADVERSARIAL, ids=lambda c: c[0].removesuffix(".py"))
def test_adversarial_submission_gains_nothing(tmp_path, autograder, grading_python, case):
    fixture, name, items, attacked, scale = case
    submission, results = tmp_path / "submission", tmp_path / "results.json"
    submission.mkdir()
    text = (FIXTURES / "adversarial" / fixture).read_text()
    if name == "NN.py":
        text = (SOURCE_ROOT / "NN.py").read_text() + "\n\nimport numpy as np\n" + text
    (submission / name).write_text(text.replace("FORGED_PATH", str(results)))
    tests = _run_unpacked(autograder[1], submission, results, items, scale, grading_python)
    assert all(tests[n]["score"] == 0 for n in attacked)  # an empty submission scores 0
    assert all(tests[n]["score"] == tests[n]["max_score"] for n in set(items) - set(attacked))
    assert sum(t["score"] for t in tests.values()) <= 15


def test_jobs_cannot_read_expected_values(tmp_path, autograder, nobody_python):
    """As root, jobs run as nobody and expected.json is hidden from them before any runs."""
    job_python, reason = nobody_python
    if job_python is None:
        pytest.skip(reason)
    root = _world_dir()
    try:
        unpacked = root / "unpacked"
        shutil.copytree(autograder[1], unpacked)
        expected_file = unpacked / "source" / "grader" / "expected.json"
        expected_file.chmod(0o644)
        # Without the grader's protection nobody could read the answers here.
        assert _run_as_nobody(job_python, "import sys; open(sys.argv[1]).read()",
                              expected_file).returncode == 0
        submission, results = tmp_path / "submission", tmp_path / "results.json"
        submission.mkdir()
        text = (FIXTURES / "adversarial" / "reading_expected_svm.py").read_text()
        (submission / "svm.py").write_text(text.replace("EXPECTED_PATH", str(expected_file)))
        tests = _run_unpacked(unpacked, submission, results, ["3.3.1", "3.3.2"],
                              python=job_python)
        assert tests["3.3.1"]["score"] == tests["3.3.2"]["score"] == 0
        assert f"could not read {expected_file}: Permission denied" in tests["3.3.1"]["output"]
        assert expected_file.stat().st_mode & 0o077 == 0
    finally:
        shutil.rmtree(root)


def test_thread_limit_reaches_every_library(tmp_path):
    env = sandbox._env(tmp_path, threads=3)
    assert [env[k] for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")] \
        == ["3", "3", "3"]
    assert "OMP_NUM_THREADS" not in sandbox._env(tmp_path)


def test_hide_from_jobs_leaves_the_file_when_jobs_run_as_the_grader(tmp_path, monkeypatch):
    monkeypatch.setattr(sandbox, "unprivileged_user", lambda: None)
    path = tmp_path / "expected.json"
    path.write_text("{}")
    path.chmod(0o644)
    assert sandbox.hide_from_jobs(path) is False
    assert path.stat().st_mode & 0o777 == 0o644


def test_hide_from_jobs_refuses_when_the_job_user_can_still_read(tmp_path, monkeypatch):
    # As on a filesystem that ignores modes: the chmod runs, the job user still reads.
    monkeypatch.setattr(sandbox, "unprivileged_user", lambda: (65534, 65534))
    monkeypatch.setattr(sandbox, "user_can_read", lambda path, user: True)
    path = tmp_path / "expected.json"
    path.write_text("{}")
    with pytest.raises(RuntimeError, match="still readable by the job user"):
        sandbox.hide_from_jobs(path)
