"""scripts/run_notebook.py: progress on stdout, and a failing cell never touches the notebook.

Each run of the script starts a kernel (a few seconds), so the tests share three
tiny notebooks and run the script three times in all.
"""

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from scripts.run_notebook import execute, is_training_line, section_headings

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "run_notebook.py"
# Generous for a kernel start on a busy 2-core machine; a hang should still fail.
RUN_TIMEOUT_S = 180

EPOCH_LINE = ("Epoch 1: Validation Loss: 0.50, Validation Accuracy: 0.900 | "
              "Train Loss: 0.40, Train Accuracy: 0.950 | 0.1s")
# Flushed and spaced out, the lines reach the client as separate stream messages.
TRAINING_SOURCE = "\n".join([
    "import time",
    f"print({EPOCH_LINE!r}, flush=True); time.sleep(0.05)",
    "print('Loss after iteration 10000: 0.250000', flush=True); time.sleep(0.05)",
    "print('Loss after iteration 11000: 0.240000', flush=True); time.sleep(0.05)",
    "print('not a training line')",
])


def tiny_cells():
    """Two sections of one code cell each: ``cell 1/N · Tiny`` and ``cell 2/N · 1.2 Training``."""
    return [
        new_markdown_cell("# Tiny"),
        new_code_cell("total = 1 + 1"),
        new_markdown_cell("Some prose.\n\n## 1.2 Training"),
        new_code_cell(TRAINING_SOURCE),
    ]


def failing_cells():
    """The tiny cells, then a cell that raises and one below it holding a stale output."""
    stale = new_code_cell("print('after')", execution_count=9,
                          outputs=[new_output("stream", name="stdout", text="stale\n")])
    return tiny_cells() + [new_markdown_cell("## 1.3 Broken"),
                           new_code_cell('raise ValueError("boom")'), stale]


def write(tmp_path, cells):
    path = tmp_path / "nb.ipynb"
    nbformat.write(new_notebook(cells=cells), path)
    return path


def run_script(path, *args):
    return subprocess.run([sys.executable, str(SCRIPT), str(path), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=RUN_TIMEOUT_S)


def test_success_reports_sections_streams_epochs_and_saves(tmp_path):
    path = write(tmp_path, tiny_cells())
    stale = tmp_path / "nb.failed.ipynb"
    stale.write_text("{}")
    result = run_script(path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert re.fullmatch(r"\[ *\d+\.\d s\] cell 1/2 · Tiny", lines[0])
    assert re.fullmatch(r"\[ *\d+\.\d s\] cell 2/2 · 1\.2 Training", lines[1])
    assert lines[2:] == [" " * 13 + EPOCH_LINE,
                         " " * 13 + "Loss after iteration 10000: 0.250000"]
    # The kernel shares stderr and may warn there (e.g. about unencrypted TCP).
    assert re.fullmatch(r"Executed .*nb\.ipynb in \d+ s", result.stderr.splitlines()[-1])
    executed = nbformat.read(path, as_version=4)
    assert [c.execution_count for c in executed.cells if c.cell_type == "code"] == [1, 2]
    # The terminal gets a selection; the notebook keeps every line the cell printed,
    # in one output rather than one per message.
    assert len(executed.cells[3].outputs) == 1
    assert executed.cells[3].outputs[0].text == (
        f"{EPOCH_LINE}\nLoss after iteration 10000: 0.250000\n"
        "Loss after iteration 11000: 0.240000\nnot a training line\n")
    assert not stale.exists()


def test_failure_leaves_notebook_and_saves_partial_copy(tmp_path):
    path = write(tmp_path, failing_cells())
    before = path.read_bytes()
    result = run_script(path)
    failed = tmp_path / "nb.failed.ipynb"
    assert result.returncode == 1
    assert path.read_bytes() == before
    assert "cell 3/4 · 1.3 Broken raised ValueError: boom" in result.stderr
    assert str(failed) in result.stderr
    assert "Traceback" not in result.stderr
    partial = nbformat.read(failed, as_version=4)
    assert EPOCH_LINE in partial.cells[3].outputs[0].text
    error = partial.cells[5].outputs[-1]
    assert (error.output_type, error.ename, error.evalue) == ("error", "ValueError", "boom")
    assert (partial.cells[6].outputs, partial.cells[6].execution_count) == ([], None)


def test_no_save_leaves_notebook_unchanged(tmp_path):
    path = write(tmp_path, tiny_cells())
    before = path.read_bytes()
    result = run_script(path, "--no-save")
    assert result.returncode == 0, result.stderr
    assert path.read_bytes() == before
    assert not (tmp_path / "nb.failed.ipynb").exists()


def test_missing_notebook_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="Notebook not found: .*missing.ipynb"):
        execute(tmp_path / "missing.ipynb")


def test_section_headings_skip_fenced_code_and_closing_hashes():
    cells = [new_code_cell("x = 1"),
             new_markdown_cell("## 1.2 Training ##\n```\n# a comment, not a heading\n```"),
             new_markdown_cell("##### too deep\n\ntext"),
             new_markdown_cell("#### C# notes")]
    assert section_headings(cells) == [None, "1.2 Training", "1.2 Training", "C# notes"]


@pytest.mark.parametrize("line, streamed", [
    (EPOCH_LINE, True),
    ("Epoch 3/20, train loss: 1.2345, validation loss: 1.3456", True),
    ("Loss after iteration 0: 2.302585", True),
    ("Loss after iteration 20000: 0.100000", True),
    ("Loss after iteration 21000: 0.100000", False),
    ("    Saved best model to rnn_model_weights/rnn.pth", False),
    ("Epochs to run: 20", False),
])
def test_is_training_line(line, streamed):
    assert is_training_line(line) is streamed
