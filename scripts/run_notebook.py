"""Execute a notebook top to bottom in a fresh kernel and save its outputs in place.

Usage: python scripts/run_notebook.py HW4.ipynb [--no-save]

The kernel starts in the notebook's folder
with this interpreter, so the modules and data/ resolve as they do in Jupyter.
Set HW4_SMOKE=1 for the shortened run the tests use.

While it runs, stdout gets a line whenever execution enters a new section,
a line when a slow cell finishes, and the epoch lines of the trainings as the
kernel prints them, e.g.

    [  41.0 s] cell 14/51 · 1.2.1 Training with gradient descent
                 Loss after iteration 10000: 0.283017

"cell k/N" counts the code cells that run, so k is the cell's ``In [k]``.
These lines go to the terminal only; the notebook keeps exactly the outputs
nbclient records. If a cell raises, the notebook file is left untouched, the
partly executed copy is saved beside it as ``<stem>.failed.ipynb``, and the
script exits with status 1.
"""

import argparse
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

# Run as `python scripts/run_notebook.py`, Python puts scripts/ on the path,
# not the repository root that holds utilities/.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from utilities.runtime import atomic_write  # noqa: E402

# Cells this slow get a line of their own when they finish; below it, the
# per-cell lines of the many quick cells would bury the section lines.
SLOW_CELL_S = 10.0
# The NumPy trainings print a loss every 1,000 iterations (60 per run); every
# 10,000th is enough to show they are moving.
LOSS_LINE_EVERY = 10_000
# CNN Trainer: "Epoch 3: Validation Loss: ..."; RNN/LSTM: "Epoch 3/20, train loss: ...".
EPOCH_LINE = re.compile(r"Epoch \d+(/\d+)?[:,] ")
LOSS_LINE = re.compile(r"Loss after iteration (\d+):")
HEADING = re.compile(r" {0,3}#{1,4}\s+(.*?)(?:\s+#+)?\s*$")
FENCE = re.compile(r" {0,3}(```|~~~)")
# Two columns deeper than the text after "[  12.3 s] ", so kernel lines sit under their cell.
INDENT = " " * 13


def section_headings(cells):
    """The most recent markdown heading (levels 1 to 4) at or above each cell.

    Parameters
    ----------
    cells : list of nbformat.NotebookNode

    Returns
    -------
    headings : list of str or None, one per cell
        None for cells above the first heading.
    """
    headings, current = [], None
    for cell in cells:
        if cell.cell_type == "markdown":
            in_fence = False
            for line in cell.source.splitlines():
                # A "# comment" inside a fenced code block is not a heading.
                if FENCE.match(line):
                    in_fence = not in_fence
                elif not in_fence and (match := HEADING.match(line)):
                    current = match.group(1)
        headings.append(current)
    return headings


def is_training_line(line):
    """True for the kernel stdout lines worth streaming: epochs and every 10,000th loss."""
    if EPOCH_LINE.match(line):
        return True
    match = LOSS_LINE.match(line)
    return bool(match) and int(match.group(1)) % LOSS_LINE_EVERY == 0


class Progress:
    """Prints where the execution of one notebook has got to; nbclient calls the hooks.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        The notebook about to run; only its cells are read.
    """

    def __init__(self, notebook):
        self.start = time.perf_counter()
        self.headings = section_headings(notebook.cells)
        # nbclient skips empty code cells, so they get no number (no In [k]) either.
        runs = [i for i, cell in enumerate(notebook.cells)
                if cell.cell_type == "code" and cell.source.strip()]
        self.number = {index: k for k, index in enumerate(runs, start=1)}
        self.total = len(runs)
        self.cell_index = None
        self.cell_start = None
        self.pending = ""

    def label(self, cell_index):
        """``cell k/N · heading`` for the code cell at ``cell_index``."""
        heading = self.headings[cell_index]
        where = f"cell {self.number.get(cell_index, '?')}/{self.total}"
        return f"{where} · {heading}" if heading else where

    def log(self, message):
        print(f"[{time.perf_counter() - self.start:6.1f} s] {message}", flush=True)

    def cell_started(self, cell_index, **_):
        """``on_cell_execute`` hook: announce the cell if it opens a new section."""
        previous = self.cell_index
        if previous is None or self.headings[previous] != self.headings[cell_index]:
            self.log(self.label(cell_index))
        self.cell_index, self.cell_start, self.pending = cell_index, time.perf_counter(), ""

    def cell_executed(self, cell_index, **_):
        """``on_cell_executed`` hook: report a slow cell, after any unterminated last line."""
        self.stdout("\n")
        seconds = time.perf_counter() - self.cell_start
        if seconds > SLOW_CELL_S:
            self.log(f"{self.label(cell_index)} done in {seconds:.1f} s")

    def stdout(self, text):
        """Echo the training lines in a chunk of kernel stdout.

        The kernel sends stdout in chunks that need not end at a line break,
        so the unfinished tail waits for the next chunk.
        """
        *lines, self.pending = (self.pending + text).split("\n")
        for line in lines:
            if is_training_line(line):
                print(INDENT + line, flush=True)


class ProgressClient(NotebookClient):
    """A NotebookClient that also shows each output message to a ``Progress``.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
    progress : Progress
    folder : Path
        Where the kernel starts.
    """

    def __init__(self, notebook, progress, folder):
        super().__init__(
            notebook,
            timeout=None,
            kernel_name="python3",
            # A training loop prints hundreds of lines; keep them as one output per cell.
            coalesce_streams=True,
            resources={"metadata": {"path": str(folder)}},
            on_cell_execute=progress.cell_started,
            on_cell_executed=progress.cell_executed,
        )
        self.progress = progress

    def output(self, outs, msg, display_id, cell_index):
        content = msg["content"]
        if msg["msg_type"] == "stream" and content.get("name") == "stdout":
            self.progress.stdout(content.get("text", ""))
        return super().output(outs, msg, display_id, cell_index)


class NotebookFailed(Exception):
    """A cell raised; the message names it and the saved partial notebook."""


def write_notebook(notebook, path):
    atomic_write(path, lambda handle: nbformat.write(notebook, handle), mode="w")


def save_failed(notebook, failed_cell_index, path):
    """Write the partly executed notebook to ``path``, without outputs below the failure.

    The cells below the one that raised still hold the previous run's outputs;
    in a diagnostic copy they would pass for results of this run.
    """
    for cell in notebook.cells[failed_cell_index + 1:]:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    write_notebook(notebook, path)


def execute(path, save=True):
    """Run every cell of the notebook at ``path``; return the executed notebook.

    Parameters
    ----------
    path : str or Path
    save : bool, default=True
        Write the outputs back to ``path`` (atomically) and remove a stale
        ``<stem>.failed.ipynb``.

    Raises
    ------
    FileNotFoundError
        If there is no notebook at ``path``.
    NotebookFailed
        If a cell raises. ``path`` is left untouched either way; the partial
        run is saved as ``<stem>.failed.ipynb`` beside it.
    """
    path = Path(path).resolve()
    if not path.exists():
        raise FileNotFoundError(f"Notebook not found: {path}")
    failed_path = path.with_name(f"{path.stem}.failed.ipynb")
    notebook = nbformat.read(path, as_version=4)
    progress = Progress(notebook)
    try:
        ProgressClient(notebook, progress, path.parent).execute()
    except CellExecutionError as error:
        save_failed(notebook, progress.cell_index, failed_path)
        raise NotebookFailed(
            f"{progress.label(progress.cell_index)} raised {error.ename}: {error.evalue}\n"
            f"The partly executed notebook, traceback included, is {failed_path}; "
            f"{path.name} is unchanged."
        ) from None
    if save:
        write_notebook(notebook, path)
        failed_path.unlink(missing_ok=True)
    return notebook


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook", type=Path)
    parser.add_argument(
        "--no-save", action="store_true",
        help="execute without writing outputs back; a failing run still writes "
             "<stem>.failed.ipynb, as a diagnostic")
    args = parser.parse_args()
    start = time.perf_counter()
    try:
        execute(args.notebook, save=not args.no_save)
    except NotebookFailed as failure:
        print(f"run_notebook: {failure}", file=sys.stderr)
        sys.exit(1)
    print(f"Executed {args.notebook} in {time.perf_counter() - start:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
