"""Student release: turn the reference into the starter kit.

Solution regions are the lines between ``# BEGIN SOLUTION`` and
``# END SOLUTION`` (each on its own line, at a function body's indentation);
each becomes ``raise NotImplementedError(...)`` at that indentation. Notebook
cells tagged ``solution`` become "YOUR ANSWER HERE" (markdown) or a raising
stub (code), and every output is cleared.

    python -m grader release --out DIR
"""

import json
import re
import shutil
from pathlib import Path

from .paths import SOURCE_ROOT, SUBMISSION_FILES

BEGIN = re.compile(r"^(\s*)# BEGIN SOLUTION\s*$")
END = re.compile(r"^(\s*)# END SOLUTION\s*$")
STUB = 'raise NotImplementedError("Implement this function (see HW4.ipynb).")'
ANSWER_STUB = "YOUR ANSWER HERE"
CODE_STUB = "# YOUR CODE HERE\nraise NotImplementedError()"
KIT_FILES = ("requirements.txt", "environment.yml")
# The project README describes the whole repository (tests, grader, make
# targets); students get their own.
KIT_README = Path(__file__).resolve().parent / "kit_README.md"
KIT_MODULES = (*SUBMISSION_FILES, "text_generator.py")
KIT_DIRS = ("utilities", "data", "scripts")  # the notebook imports the data generator from scripts
NOTEBOOK = "HW4.ipynb"
# Never shipped: caches, and raw data the shipped files are built from.
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints", "raw")


def _regions(lines, where):
    """Yield (begin, end, indent) line indices of each solution region."""
    begin = None
    for i, line in enumerate(lines):
        if BEGIN.match(line):
            if begin is not None:
                raise ValueError(f"{where}:{i + 1}: BEGIN SOLUTION inside another region")
            begin, indent = i, BEGIN.match(line).group(1)
        elif END.match(line):
            if begin is None or END.match(line).group(1) != indent:
                raise ValueError(f"{where}:{i + 1}: END SOLUTION without a matching BEGIN "
                                 "at the same indentation")
            yield begin, i, indent
            begin = None
    if begin is not None:
        raise ValueError(f"{where}:{begin + 1}: BEGIN SOLUTION is never closed")


def strip_solutions(text, where="<text>"):
    """Return ``text`` with every solution region replaced by a raising stub."""
    lines = text.splitlines(keepends=True)
    out, last = [], 0
    for begin, end, indent in _regions(lines, where):
        out += lines[last:begin] + [f"{indent}{STUB}\n"]
        last = end + 1
    return "".join(out + lines[last:])


def solution_lines(text, where="<text>"):
    """The lines inside solution regions (markers excluded)."""
    lines = text.splitlines()
    return [line for b, e, _ in _regions(lines, where) for line in lines[b + 1:e]]


def strip_notebook(notebook):
    """Return a copy of a notebook dict with answers stubbed and outputs cleared."""
    notebook = json.loads(json.dumps(notebook))
    for index, cell in enumerate(notebook.get("cells", [])):
        source = "".join(cell.get("source", []))
        if "solution" in cell.get("metadata", {}).get("tags", []):
            source = ANSWER_STUB if cell["cell_type"] == "markdown" else CODE_STUB
        elif cell["cell_type"] == "code":
            source = strip_solutions(source, f"{NOTEBOOK} cell {index}")
        cell["source"] = source.splitlines(keepends=True)
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
    return notebook


def write_stubs(out_dir, root=SOURCE_ROOT, names=KIT_MODULES):
    """Write the stubbed version of each module in ``names`` found under ``root``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in names:
        if (Path(root) / name).is_file():
            text = (Path(root) / name).read_text()
            (out_dir / name).write_text(strip_solutions(text, name))


def build_kit(out_dir, root=SOURCE_ROOT):
    """Write the student starter kit into ``out_dir`` (which must not exist or be empty)."""
    out_dir, root = Path(out_dir), Path(root)
    if out_dir.exists() and any(out_dir.iterdir()):
        raise ValueError(f"{out_dir} is not empty; choose a new folder for the kit")
    write_stubs(out_dir, root)
    for name in KIT_DIRS:
        shutil.copytree(root / name, out_dir / name, ignore=IGNORED, dirs_exist_ok=True)
    for path in (out_dir / "utilities").rglob("*.py"):
        path.write_text(strip_solutions(path.read_text(), str(path)))
    for name in KIT_FILES:
        if (root / name).is_file():
            shutil.copy(root / name, out_dir / name)
    shutil.copy(KIT_README, out_dir / "README.md")
    if (root / NOTEBOOK).is_file():
        notebook = strip_notebook(json.loads((root / NOTEBOOK).read_text()))
        (out_dir / NOTEBOOK).write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n")
    return out_dir
