"""Tests of the autograder's scores (grader/, SPEC section 9).

The sandbox, autograder.zip and hostile submissions are tests/test_sandbox.py;
the student kit is tests/test_release.py.

Cost plan (CI budget about 8 minutes): the reference is graded once per
session for every item (four Q1 trainings; its CNN items read the session's
one ``tune()`` from conftest.py); each variant's total is derived from that
one run. The course-style submission is graded once on every item; its own
CNN is lean and trains 6 epochs (best 0.848 in a bf16 grading job, 0.841 in
fp32, against the 0.80 tier), so its training costs about half the reference's. A
mutant submission is graded only on the items that
declare a dependency on a file it changed, less those that train the CNN; its
other items are, by that declaration, identical to the reference's. When
grader/expected.json is stale (a reference module changed), fresh expected
values are computed into a temporary file instead of the repository's.
"""

import shutil

import pytest

from grader import expected as expected_values
from grader import table
from grader.paths import SUBMISSION_FILES
from grader.probes import cnn as cnn_probes
from grader.probes import to_plain
from grader.runner import grade, report
from tests.grader_fixtures.mutants import MUTANTS, apply
from tests.grading import FIXTURES, copy_reference

ALL_ITEMS = [i.number for i in table.ITEMS]


def _mutant_submission(dest, mutant):
    """The reference files in ``dest`` with ``mutant``'s bug put into its file."""
    submission = copy_reference(dest)
    path = submission / mutant.file
    path.write_text(apply(mutant, path.read_text()))
    return submission


@pytest.fixture(scope="module")
def reference_graded(tmp_path_factory, expected_file, reference_tune):
    submission = copy_reference(tmp_path_factory.mktemp("reference"))
    # The CNN items read the session's one tune() of these same files.
    known = {"cnn_train": to_plain(cnn_probes.training_summary(reference_tune[0]))}
    graded, notes = grade(submission, ALL_ITEMS, expected_values.load(expected_file),
                          known_jobs=known)
    return graded, notes


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
               if mutant.file in table.item(n).files and n not in table.CNN_TRAINING]
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
    numbers = [n for n in table.weights(mutant.variant) if n in table.NN_TRAINING]
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
    submission = copy_reference(tmp_path / "submission")
    (submission / "svm.py").write_text("import scipy.linalg\n" + (submission / "svm.py").read_text())
    graded, notes = grade(submission, ["3.3.1"], expected_values.load(expected_file))
    assert graded["3.3.1"]["fraction"] == 1
    assert "import scipy.linalg" in graded["3.3.1"]["output"]


def test_course_template_imports_are_not_reported(tmp_path, expected_file):
    # Our reference svm.py does not need SVC; the course's skeleton imports it.
    submission = copy_reference(tmp_path / "submission")
    text = (submission / "svm.py").read_text()
    (submission / "svm.py").write_text("from sklearn.svm import SVC\n" + text)
    graded, notes = grade(submission, ["3.3.1"], expected_values.load(expected_file))
    assert graded["3.3.1"]["fraction"] == 1 and not notes["svm.py"]


def test_a_comment_change_keeps_expected_values_fresh(tmp_path):
    """Only a code change that a stored value depends on makes expected.json stale."""
    root = copy_reference(tmp_path / "reference")
    before = expected_values.source_hash(root)
    path = root / "cnn_trainer.py"
    text = path.read_text()
    path.write_text(text.replace('"""', '"""Reworded. ', 1).replace("\n# ", "\n# Reworded: ", 1))
    assert expected_values.source_hash(root) == before
    # No stored probe calls cnn_trainer.py: the CNN is graded by the course's bars.
    path.write_text(text.replace("self.num_epochs = 6", "self.num_epochs = 7", 1))
    assert expected_values.source_hash(root) == before
    nn = root / "NN.py"
    nn.write_text(nn.read_text().replace('"""', '"""Reworded. ', 1))
    assert expected_values.source_hash(root) == before
    nn.write_text(nn.read_text() + "\nEXTRA = 1\n")
    assert expected_values.source_hash(root) != before


def test_the_hash_covers_what_stored_probes_call():
    names = {path.name for path in expected_values.hashed_files()}
    assert {"NN.py", "svm.py", "rnn.py", "lstm.py", "base_sequential_model.py"} <= names
    assert {"nn.py", "svm.py", "rnn.py", "inputs.py", "base.py", "__init__.py"} <= names
    assert not names & {"cnn.py", "cnn_trainer.py", "cnn_image_transformations.py"}
