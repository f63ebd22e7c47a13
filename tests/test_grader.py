"""Tests of the autograder (grader/, SPEC section 9); the student kit is tests/test_release.py.

Cost plan (CI budget about 8 minutes): the reference is graded once per
session for every item (four Q1 trainings; its CNN items read the session's
one ``tune()`` from conftest.py); each variant's total is derived from that
one run. The course-style submission is graded once on every item; its own
CNN is lean, so its training costs about a third of the reference's. A
mutant or adversarial submission is graded only on the items that
declare a dependency on a file it changed, less those that train the CNN; its
other items are, by that declaration, identical to the reference's. When
grader/expected.json is stale (a reference module changed), fresh expected
values are computed into a temporary file instead of the repository's.
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

from grader import expected as expected_values
from grader import release, sandbox, table
from grader.bundle import build_zip
from grader.paths import SOURCE_ROOT, SUBMISSION_FILES
from grader.probes import cnn as cnn_probes
from grader.probes import to_plain
from grader.runner import grade, report
from grader.sandbox import REQUIRED_MODULES
from tests.grader_fixtures.mutants import MUTANTS, apply

FIXTURES = Path(__file__).parent / "grader_fixtures"
ALL_ITEMS = [i.number for i in table.ITEMS]


def _solution_lines():
    """Non-trivial lines from solution regions that occur nowhere outside them."""
    lines, outside = set(), set()
    for name in SUBMISSION_FILES:
        text = (SOURCE_ROOT / name).read_text()
        inside = release.solution_lines(text, name)
        lines |= {s.strip() for s in inside}
        outside |= {s.strip() for s in release.strip_solutions(text, name).splitlines()}
    return {s for s in lines - outside if len(s) > 12 and not s.startswith("#")}


def _copy_reference(dest):
    dest.mkdir(parents=True, exist_ok=True)
    for name in SUBMISSION_FILES:
        shutil.copy(SOURCE_ROOT / name, dest / name)
    return dest


def _mutant_submission(dest, mutant):
    """The reference files in ``dest`` with ``mutant``'s bug put into its file."""
    submission = _copy_reference(dest)
    path = submission / mutant.file
    path.write_text(apply(mutant, path.read_text()))
    return submission


@pytest.fixture(scope="module")
def expected_file(tmp_path_factory):
    if not expected_values.is_stale():
        return expected_values.EXPECTED_FILE
    path = tmp_path_factory.mktemp("expected") / "expected.json"
    expected_values.build(path)
    return path


@pytest.fixture(scope="module")
def reference_graded(tmp_path_factory, expected_file, reference_tune):
    submission = _copy_reference(tmp_path_factory.mktemp("reference"))
    # The CNN items read the session's one tune() of these same files.
    known = {"cnn_train": to_plain(cnn_probes.training_summary(reference_tune[0]))}
    graded, notes = grade(submission, ALL_ITEMS, expected_values.load(expected_file),
                          known_jobs=known)
    return graded, notes


def test_points_table_sums_to_course_totals():
    for variant, total in table.TOTALS.items():
        assert sum(table.weights(variant).values()) == pytest.approx(total)
    assert len({i.number for i in table.ITEMS}) == len(table.ITEMS)


def _assert_full_marks(graded, notes, variant):
    """Every item of ``variant`` at full points, the course total, and no import notes."""
    results = report(graded, variant, notes, 0.0)
    failed = {t["number"]: t["output"] for t in results["tests"] if t["score"] != t["max_score"]}
    assert not failed
    assert results["score"] == pytest.approx(table.TOTALS[variant])
    assert not any(notes.values()), notes


@pytest.mark.parametrize("variant", table.VARIANTS)
def test_reference_gets_full_marks(reference_graded, variant):
    _assert_full_marks(*reference_graded, variant)


@pytest.fixture(scope="module")
def course_style_graded(tmp_path_factory, expected_file):
    """Every item of the submission in grader_fixtures/course_style, graded once.

    Its files were written against the course's skeleton, independently of our
    reference, the way a course student writes them: only the course's
    calls, attributes and imports reach the grader.
    """
    submission = tmp_path_factory.mktemp("course_style")
    for path in (FIXTURES / "course_style").glob("*.py"):
        shutil.copy(path, submission / path.name)
    assert sorted(p.name for p in submission.iterdir()) == sorted(SUBMISSION_FILES)
    return grade(submission, ALL_ITEMS, expected_values.load(expected_file))


@pytest.mark.parametrize("variant", table.VARIANTS)
def test_course_style_submission_gets_full_marks(course_style_graded, variant):
    # No import notes either: the course template's imports are allowed.
    _assert_full_marks(*course_style_graded, variant)


@pytest.mark.parametrize("mutant", MUTANTS, ids=lambda m: m.name)
def test_mutant_loses_exactly_its_items(tmp_path, mutant, reference_graded, expected_file):
    submission = _mutant_submission(tmp_path / "submission", mutant)
    # Every item that reads the changed file, except those that train the CNN
    # with tune(): each would cost a full training (2-9 minutes on 2 cores),
    # and no CNN mutant's bug is meant to show there.
    numbers = [n for n in table.weights(mutant.variant)
               if mutant.file in table.item(n).files and table.item(n).trains != "cnn"]
    graded, notes = grade(submission, numbers, expected_values.load(expected_file))
    reference = report(reference_graded[0], mutant.variant, notes, 0.0)["tests"]
    results = report({**reference_graded[0], **graded}, mutant.variant, notes, 0.0)["tests"]
    # Relative to the reference, so that a reference shortfall shows in one test only.
    lost = {t["number"]: round(r["score"] - t["score"], 4)
            for r, t in zip(reference, results) if r["score"] != t["score"]}
    assert lost == mutant.lost, {n: graded[n]["output"][:400] for n in lost}


def test_training_grades_do_not_depend_on_the_thread_count(tmp_path, expected_file):
    # The mutant whose full-batch run oscillates: of all fixtures, the one whose
    # trained numbers move most with the order of float additions.
    mutant = next(m for m in MUTANTS if m.name == "gradients_not_averaged")
    numbers = [n for n in table.weights(mutant.variant) if table.item(n).trains == "nn"]
    submission = _mutant_submission(tmp_path / "submission", mutant)
    expected = expected_values.load(expected_file)
    scores = {}
    for threads in (1, 2):
        graded, _ = grade(submission, numbers, expected, threads=threads)
        scores[threads] = {n: graded[n]["fraction"] for n in numbers}
    assert scores[1] == scores[2]
    assert scores[1]["1.2.1"] == 0 and scores[1]["1.3"] == pytest.approx(2 / 3)


def test_empty_submission_scores_zero(tmp_path, expected_file):
    (tmp_path / "empty").mkdir()
    numbers = ["1.1.2", "1.1.11", "2.1.2", "3.3.2", "4.1.2"]
    graded, notes = grade(tmp_path / "empty", numbers, expected_values.load(expected_file))
    assert all(graded[n]["fraction"] == 0 for n in numbers)
    assert "NotImplementedError" in graded["3.3.2"]["output"]
    assert all("not submitted" in notes[f][0] for f in SUBMISSION_FILES)


def test_added_import_is_reported(tmp_path, expected_file):
    submission = _copy_reference(tmp_path / "submission")
    (submission / "svm.py").write_text("import scipy.linalg\n" + (submission / "svm.py").read_text())
    graded, notes = grade(submission, ["3.3.1"], expected_values.load(expected_file))
    assert graded["3.3.1"]["fraction"] == 1
    assert "import scipy.linalg" in graded["3.3.1"]["output"]


def test_course_template_imports_are_not_reported(tmp_path, expected_file):
    # Our reference svm.py does not need SVC; the course's skeleton imports it.
    submission = _copy_reference(tmp_path / "submission")
    text = (submission / "svm.py").read_text()
    (submission / "svm.py").write_text("from sklearn.svm import SVC\n" + text)
    graded, notes = grade(submission, ["3.3.1"], expected_values.load(expected_file))
    assert graded["3.3.1"]["fraction"] == 1 and not notes["svm.py"]


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
    solution = _solution_lines()
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


def test_a_comment_change_keeps_expected_values_fresh(tmp_path):
    root = _copy_reference(tmp_path / "reference")
    before = expected_values.source_hash(root)
    path = root / "cnn_trainer.py"
    text = path.read_text()
    path.write_text(text.replace('"""', '"""Reworded. ', 1).replace("\n# ", "\n# Reworded: ", 1))
    assert expected_values.source_hash(root) == before
    path.write_text(text.replace("self.num_epochs = 6", "self.num_epochs = 7", 1))
    assert expected_values.source_hash(root) != before
