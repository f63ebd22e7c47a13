"""``python -m grader batch`` and ``merge``: a class graded as ``grader run`` grades each submission.

The graded export holds six submissions and only the three SVM items, which
need no training, so the whole module takes about a minute on two cores.
"""

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from grader import batch
from grader.paths import SOURCE_ROOT, SUBMISSION_FILES
from tests.grader_fixtures.mutants import MUTANTS, apply

FIXTURES = Path(__file__).parent / "grader_fixtures"
ITEMS = ["3.2", "3.3.1", "3.3.2"]
VARIANT = "undergraduate"
# Each probe may run 6 s instead of 120 s: enough for these items, short for the loop.
TIMEOUT_SCALE = 0.05
CRASHING_SVM = "import os\nimport signal\n\nos.kill(os.getpid(), signal.SIGSEGV)\n"
METADATA = """\
submission_{id}:
  :submitters:
  - :name: Student {n}
    :sid: '{n:03d}'
    :email: student{n}@example.edu
  :created_at: 2026-11-29 12:00:00.000000000 -08:00
  :score: 0.0
"""


def _write_submission(folder, svm_text=None, mutant=None):
    folder.mkdir(parents=True)
    for name in SUBMISSION_FILES:
        shutil.copy(SOURCE_ROOT / name, folder / name)
    if mutant is not None:
        (folder / mutant.file).write_text(apply(mutant, (folder / mutant.file).read_text()))
    if svm_text is not None:
        (folder / "svm.py").write_text(svm_text)


def build_export(root):
    """A Gradescope-style export: six submission folders and submission_metadata.yml."""
    mutants = {m.name: m for m in MUTANTS}
    root.mkdir(parents=True)
    _write_submission(root / "submission_1")
    _write_submission(root / "submission_2", mutant=mutants["rbf_with_wrong_sign"])
    _write_submission(root / "submission_3", mutant=mutants["kernel_ignoring_phi"])
    _write_submission(root / "submission_4",
                      (FIXTURES / "adversarial" / "infinite_loop_svm.py").read_text())
    _write_submission(root / "submission_5", CRASHING_SVM)
    (root / "submission_6").mkdir()
    (root / batch.METADATA_FILE).write_text(
        "".join(METADATA.format(id=n, n=n) for n in range(1, 7)))
    return root


def grader_cli(*args, **kwargs):
    return subprocess.run([sys.executable, "-m", "grader", *args], cwd=SOURCE_ROOT,
                          capture_output=True, text=True, timeout=600, **kwargs)


def read_rows(path):
    with open(path, newline="") as f:
        return {row["id"]: row for row in csv.DictReader(f)}


def without_seconds(rows):
    return {key: {k: v for k, v in row.items() if k != "seconds"} for key, row in rows.items()}


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    return build_export(tmp_path_factory.mktemp("batch") / "export")


@pytest.fixture(scope="module")
def graded(export, tmp_path_factory):
    """The export graded by ``grader batch --jobs 2``: (csv path, rows, stdout)."""
    out = tmp_path_factory.mktemp("graded") / "grades.csv"
    result = grader_cli("batch", str(export), "--out", str(out), "--jobs", "2", "--variant",
                        VARIANT, "--items", ",".join(ITEMS), "--timeout-scale",
                        str(TIMEOUT_SCALE), "--summary")
    assert result.returncode == 0, result.stderr
    return out, read_rows(out), result.stdout


def test_every_row_matches_a_single_grader_run(export, graded, tmp_path):
    _, rows, _ = graded
    assert sorted(rows) == [f"submission_{n}" for n in range(1, 7)]
    # Two single runs at a time, like the batch's two jobs.
    pending = sorted(rows)
    while pending:
        runs = [subprocess.Popen(
            [sys.executable, "-m", "grader", "run", "--submission", str(export / submission_id),
             "--results", str(tmp_path / f"{submission_id}.json"), "--variant", VARIANT,
             "--items", ",".join(ITEMS), "--timeout-scale", str(TIMEOUT_SCALE)],
            cwd=SOURCE_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            for submission_id in pending[:2]]
        for run in runs:
            assert run.wait(timeout=600) == 0, run.stderr.read()
        pending = pending[2:]
    for submission_id, row in rows.items():
        results = json.loads((tmp_path / f"{submission_id}.json").read_text())
        assert row["status"] == "graded"
        assert float(row["total"]) == results["score"], submission_id
        for test in results["tests"]:
            assert float(row[test["number"]]) == test["score"], (submission_id, test["number"])
    # The reference gets every graded item, the mutants lose their own item only.
    assert [float(rows["submission_1"][n]) for n in ITEMS] == [5, 5, 5]
    assert float(rows["submission_2"]["3.3.2"]) == 0 and float(rows["submission_2"]["3.3.1"]) == 5
    assert float(rows["submission_3"]["3.3.1"]) == 0 and float(rows["submission_3"]["3.3.2"]) == 5
    assert float(rows["submission_6"]["total"]) == 0
    assert rows["submission_1"]["name"] == "Student 1"
    assert rows["submission_1"]["email"] == "student1@example.edu"
    assert rows["submission_1"]["sid"] == "001"


def test_the_loop_and_the_crasher_have_rows_with_reasons(graded):
    _, rows, _ = graded
    assert "timed out or crashed in items 3.3.2" in rows["submission_4"]["reason"]
    assert float(rows["submission_4"]["3.2"]) == 5
    assert "3.2, 3.3.1, 3.3.2" in rows["submission_5"]["reason"]
    assert float(rows["submission_5"]["total"]) == 0
    assert rows["submission_1"]["reason"] == ""


def test_csv_reads_into_pandas_with_one_column_per_item(graded):
    out, _, _ = graded
    table = pd.read_csv(out)
    assert table.shape[0] == 6
    assert list(table.columns[:6]) == ["id", "name", "email", "sid", "status", "total"]
    assert {"3.2", "3.3.1", "3.3.2", "seconds", "reason", "grader_version"} <= set(table.columns)
    assert table["grader_version"].nunique() == 1


def test_progress_lines_and_summary(graded):
    _, _, stdout = graded
    progress = [line for line in stdout.splitlines() if line.startswith("[")]
    assert len(progress) == 6 and all("ETA" in line for line in progress)
    assert "wrote" in stdout and "6 submissions, 6 graded" in stdout
    summary = stdout[stdout.index("item "):].splitlines()
    # Three of the six submissions get 3.3.1 in full: the reference, the rbf mutant, the loop.
    assert summary[2].split() == ["3.3.1", "2.50", "5", "50%"]


def test_shards_merge_into_the_unsharded_csv(export, graded, tmp_path):
    out, rows, _ = graded
    # Shards written beside the full run reuse its records (--resume), so nothing is regraded.
    shards = [out.parent / f"shard-{i}.csv" for i in (1, 2, 3)]
    for i, path in enumerate(shards, 1):
        result = grader_cli("batch", str(export), "--out", str(path), "--shard", f"{i}/3",
                            "--resume", "--variant", VARIANT, "--items", ",".join(ITEMS),
                            "--timeout-scale", str(TIMEOUT_SCALE), "--jobs", "1")
        assert result.returncode == 0, result.stderr
        assert "0 to grade" in result.stdout
    assert sum(len(read_rows(path)) for path in shards) == 6
    merged = tmp_path / "merged.csv"
    assert grader_cli("merge", *map(str, shards), "--out", str(merged)).returncode == 0
    assert merged.read_text() == out.read_text()

    missing = grader_cli("merge", str(shards[0]), str(shards[2]), "--out", str(merged))
    assert missing.returncode != 0 and "missing [2]" in missing.stderr
    repeated = grader_cli("merge", str(shards[0]), str(shards[0]), str(shards[2]), "--out",
                          str(merged))
    assert repeated.returncode != 0 and "repeated [1]" in repeated.stderr
    unsharded = grader_cli("merge", str(out), "--out", str(merged))
    assert unsharded.returncode != 0 and "grader batch --shard i/n" in unsharded.stderr


def test_a_killed_batch_resumes_to_the_same_csv(export, graded, tmp_path):
    _, rows, _ = graded
    out = tmp_path / "grades.csv"
    command = [sys.executable, "-m", "grader", "batch", str(export), "--out", str(out),
               "--jobs", "1", "--variant", VARIANT, "--items", ",".join(ITEMS),
               "--timeout-scale", str(TIMEOUT_SCALE)]
    proc = subprocess.Popen(command, cwd=SOURCE_ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    records = out.parent / "results"
    deadline = time.monotonic() + 300
    while len(list(records.glob("*.batch.json"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=60)
    done_before = {p.name.removesuffix(".batch.json") for p in records.glob("*.batch.json")}
    assert 2 <= len(done_before) < 6
    # The partial CSV is a valid CSV of the finished submissions.
    assert set(read_rows(out)) == done_before

    resumed = subprocess.run(command + ["--resume", "--jobs", "2"], cwd=SOURCE_ROOT,
                             capture_output=True, text=True, timeout=600)
    assert resumed.returncode == 0, resumed.stderr
    graded_again = [line.split()[1].rstrip(":") for line in resumed.stdout.splitlines()
                    if line.startswith("[")]
    assert sorted(graded_again) == sorted(set(rows) - done_before)
    assert without_seconds(read_rows(out)) == without_seconds(rows)


def test_metadata_names_each_submission_and_a_bad_file_is_refused(tmp_path):
    export = tmp_path / "export"
    (export / "submission_7").mkdir(parents=True)
    (export / "loose_folder").mkdir()
    (export / batch.METADATA_FILE).write_text(
        "submission_7:\n  :submitters:\n  - :name: Ada\n    :email: ada@example.edu\n"
        "  - :name: Alan\n    :email: alan@example.edu\n")
    (export / "results").mkdir()
    found = {s.id: s for s in batch.find_submissions(export, skip=[export / "results"])}
    assert "results" not in found
    assert found["submission_7"].name == "Ada; Alan"
    assert found["submission_7"].email == "ada@example.edu; alan@example.edu"
    assert found["loose_folder"].name == ""
    for text, problem in [("- just a list\n", "top level is a list"),
                          ("submission_7: {score: 1}\n", "no list of :submitters"),
                          ("submission_7: [unclosed\n", "does not parse")]:
        (export / batch.METADATA_FILE).write_text(text)
        with pytest.raises(ValueError, match=problem):
            batch.find_submissions(export)
    (export / batch.METADATA_FILE).write_text("submission_8:\n  :submitters: []\n")
    with pytest.raises(ValueError, match="no folder.*submission_8"):
        batch.find_submissions(export)


def test_shards_partition_any_set_of_ids():
    ids = [f"submission_{n}" for n in range(200)]
    for count in (1, 2, 3, 7):
        shards = [[i for i in ids if batch.in_shard(i, index, count)]
                  for index in range(1, count + 1)]
        assert sorted(sum(shards, [])) == sorted(ids)
        # 200 ids leave no shard empty, and no shard gets more than twice its share.
        assert all(0 < len(shard) < 2 * len(ids) / count for shard in shards)
    for bad in ("0/3", "4/3", "2", "a/b", "1/0"):
        with pytest.raises(ValueError, match="--shard must be i/n"):
            batch.parse_shard(bad)


def test_default_jobs_fit_cores_and_memory():
    gib = 2**30
    assert batch.default_jobs(cores=2, available_bytes=64 * gib) == 1
    assert batch.default_jobs(cores=16, available_bytes=64 * gib) == 8
    assert batch.default_jobs(cores=16, available_bytes=12 * gib) == 2
    assert batch.default_jobs(cores=1, available_bytes=1 * gib) == 1


def test_a_grading_over_its_time_limit_gets_a_timeout_row(tmp_path):
    folder = tmp_path / "export" / "slow"
    folder.mkdir(parents=True)
    grades = tmp_path / "out" / "grades.csv"
    run = batch.Batch([batch.Submission("slow", folder)], grades, VARIANT, ["3.2"],
                      submission_timeout_s=0.5)
    rows = run.run(log=lambda line: None)
    assert rows["slow"]["status"] == "timeout" and rows["slow"]["total"] == ""
    assert "longer than 0.5 s" in rows["slow"]["reason"]
    assert read_rows(grades)["slow"]["status"] == "timeout"
