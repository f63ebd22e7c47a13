"""Student release: turn the reference into the starter kit.

Solution regions are the lines between ``# BEGIN SOLUTION`` and
``# END SOLUTION`` (each on its own line, at a function body's indentation);
each becomes ``raise NotImplementedError(...)`` at that indentation. Notebook
cells tagged ``solution`` become "YOUR ANSWER HERE" (markdown) or a raising
stub (code), cells tagged ``reference-only`` (the note that this copy is the
executed reference, the code that computes the 3.1 verdicts) are left out,
and every output is cleared. The kit's README lists the functions to write,
taken from the solution regions.

    python -m grader release --out DIR
"""

import ast
import json
import re
import shutil
from pathlib import Path

from .paths import SOURCE_ROOT, SUBMISSION_FILES

BEGIN = re.compile(r"^(\s*)# BEGIN SOLUTION\s*$")
END = re.compile(r"^(\s*)# END SOLUTION\s*$")
# Module-level lines that only the solution uses (constants of the reference
# answer) sit between these markers and are deleted from the kit outright.
REFERENCE_ONLY_BLOCK = re.compile(r"^# BEGIN REFERENCE ONLY\n.*?^# END REFERENCE ONLY\n\n?",
                                  re.M | re.S)
STUB = 'raise NotImplementedError("Implement this function (see HW4.ipynb).")'
ANSWER_STUB = "YOUR ANSWER HERE"
REFERENCE_ONLY = "reference-only"
CODE_STUB = "# YOUR CODE HERE\nraise NotImplementedError()"
KIT_FILES = ("requirements.txt", "environment.yml")
# The project README describes the whole repository (tests, grader, make
# targets); students get their own.
KIT_README = Path(__file__).resolve().parent / "kit_README.md"
# data/README.md documents how the instructor rebuilds the data; students get
# what each file is and where it comes from.
KIT_DATA_README = Path(__file__).resolve().parent / "kit_data_README.md"
YOU_COMPLETE = "{{YOU_COMPLETE}}"
KIT_MODULES = (*SUBMISSION_FILES, "text_generator.py")
KIT_DIRS = ("utilities", "data")
# The two scripts the kit README names; the data generators stay with the instructor.
KIT_SCRIPTS = ("scripts/run_notebook.py", "scripts/export_pdf.py")
NOTEBOOK = "HW4.ipynb"
# Never shipped: caches, raw data the shipped files are built from, the
# instructor's data notes, and utilities that compute written answers.
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints", "raw",
                                 "README.md", "separability.py")


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
    """Return ``text`` with every solution region replaced by a raising stub
    and every reference-only block deleted."""
    text = REFERENCE_ONLY_BLOCK.sub("", text)
    lines = text.splitlines(keepends=True)
    out, last = [], 0
    for begin, end, indent in _regions(lines, where):
        out += lines[last:begin] + [f"{indent}{STUB}\n"]
        last = end + 1
    return "".join(out + lines[last:])


def solution_lines(text, where="<text>"):
    """The lines inside solution regions and reference-only blocks (markers excluded)."""
    blocks = [line for block in REFERENCE_ONLY_BLOCK.findall(text)
              for line in block.splitlines()[1:] if not line.startswith("# END REFERENCE ONLY")]
    lines = REFERENCE_ONLY_BLOCK.sub("", text).splitlines()
    return blocks + [line for b, e, _ in _regions(lines, where) for line in lines[b + 1:e]]


def strip_notebook(notebook):
    """Return a copy of a notebook dict with answers stubbed and outputs cleared."""
    notebook = json.loads(json.dumps(notebook))
    notebook["cells"] = [c for c in notebook.get("cells", [])
                         if REFERENCE_ONLY not in c.get("metadata", {}).get("tags", [])]
    for index, cell in enumerate(notebook["cells"]):
        source = "".join(cell.get("source", []))
        if "solution" in cell.get("metadata", {}).get("tags", []):
            source = ANSWER_STUB if cell["cell_type"] == "markdown" else CODE_STUB
        elif cell["cell_type"] == "code":
            source = strip_solutions(source, f"{NOTEBOOK} cell {index}")
        cell["source"] = source.splitlines(keepends=True)
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
    return notebook


def solution_functions(text, where="<text>"):
    """Qualified names (``Class.method`` or ``function``) of the functions holding solution regions."""
    lines = text.splitlines()
    starts = [begin + 1 for begin, _, _ in _regions(lines, where)]  # 1-based line numbers
    found = []

    def visit(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                visit(child, f"{prefix}{child.name}.")
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if any(child.lineno < line <= child.end_lineno for line in starts):
                    found.append(f"{prefix}{child.name}")

    visit(ast.parse(text), "")
    return found


def you_complete_table(root=SOURCE_ROOT):
    """Markdown table of the files and functions a student writes, from the solution regions."""
    rows = ["| file | you write |", "|---|---|"]
    for name in SUBMISSION_FILES:
        functions = solution_functions((Path(root) / name).read_text(), name)
        if functions:
            rows.append(f"| `{name}` | {', '.join(f'`{f}`' for f in functions)} |")
    return "\n".join(rows)


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
    shutil.copy(KIT_DATA_README, out_dir / "data" / "README.md")
    for name in KIT_SCRIPTS:
        (out_dir / name).parent.mkdir(exist_ok=True)
        shutil.copy(root / name, out_dir / name)
    for path in (out_dir / "utilities").rglob("*.py"):
        path.write_text(strip_solutions(path.read_text(), str(path)))
    for name in KIT_FILES:
        if (root / name).is_file():
            shutil.copy(root / name, out_dir / name)
    readme = KIT_README.read_text().replace(YOU_COMPLETE, you_complete_table(root))
    (out_dir / "README.md").write_text(readme)
    if (root / NOTEBOOK).is_file():
        notebook = strip_notebook(json.loads((root / NOTEBOOK).read_text()))
        (out_dir / NOTEBOOK).write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n")
    return out_dir
