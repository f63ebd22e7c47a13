"""Tests of the student release kit (``python -m grader release``) and the self-check.

The kit is built once per session. Each test reads it as a student would:
what it names must exist in it, it must not give away the written answers,
what it asks students to write must match the stubs, every graded item must
show its points, and the commands of its README must run in it.
"""

import ast
import json
import re
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from grader import release
from grader.paths import SOURCE_ROOT, SUBMISSION_FILES
from utilities.items import ITEMS, points_line
from tests.grading import FIXTURES, solution_lines
from utilities.submission import COURSE_IMPORTS, TEMPLATE_IMPORTS, imports

# Files a student makes by following the kit; the kit may name them before they exist.
OUTPUTS = {"HW4.pdf", "hw4_submission.zip", "HW4.failed.ipynb", ".venv", "rnn_model_weights",
           "DIR", "PATH"}
# Bare file names of these kinds must name a file of the kit (others, such as
# Gradescope's submission_metadata.yml or a checkpoint's _losses.json, are made elsewhere).
BARE_FILES = (".py", ".ipynb", ".md", ".csv", ".npz")
# Where the MRI loader looks for the raw Kaggle folders, which a student may add.
OPTIONAL = {"data/mri/raw", "data/mri/raw/", "data/mri/raw/Training", "data/mri/raw/Testing"}
# Statements of the 3.1 verdicts or the 3.2 feature map, in the words and
# formulas a reference answer, a docstring or a comment would use. The 3.1
# candidate maps themselves (f1 = x1^2 + x2^2, ...) are the course's question.
ANSWER_PHRASES = (
    "none of the five", "not linearly separable", "is separable", "are separable",
    "paraboloid", "disc", "circle", "annulus", "radius", "ring", "centre", "center",
    "squared distance", "squared_norm", "squared norm", "||x||^2", "x_1^2 + x_2^2",
    "0.5, -0.25", "(0.5, -0.3)", "np.sum(x ** 2", "np.sum(X ** 2",
)


@pytest.fixture(scope="module")
def kit(tmp_path_factory):
    return release.build_kit(tmp_path_factory.mktemp("release") / "kit")


def kit_texts(kit):
    """``{relative path: text}`` of every file a student reads (notebook cells as text)."""
    texts = {}
    for path in kit.rglob("*"):
        if path.suffix in (".py", ".md", ".yml", ".txt") and "data/macbeth" not in str(path):
            texts[str(path.relative_to(kit))] = path.read_text()
    notebook = json.loads((kit / "HW4.ipynb").read_text())
    for index, cell in enumerate(notebook["cells"]):
        texts[f"HW4.ipynb cell {index}"] = "".join(cell["source"])
    return texts


def _run(args, cwd, **kwargs):
    return subprocess.run([sys.executable, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600, **kwargs)


def _solution_identifiers():
    """Names bound only inside solution regions of the reference modules."""
    inside, outside = set(), set()
    for name in SUBMISSION_FILES:
        text = (SOURCE_ROOT / name).read_text()
        lines = text.splitlines()
        for begin, end, _ in release._regions(lines, name):
            tree = ast.parse(textwrap.dedent("\n".join(lines[begin + 1:end])))
            inside |= {n.id for n in ast.walk(tree)
                       if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
            inside |= {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
        outside |= set(re.findall(r"[A-Za-z_]\w*", release.strip_solutions(text, name)))
    return {n for n in inside - outside if len(n) > 3}


# ---- building blocks ---------------------------------------------------------

def test_strip_solutions_replaces_regions():
    text = "def f(x):\n    \"\"\"Doc.\"\"\"\n    # BEGIN SOLUTION\n    return x\n    # END SOLUTION\n"
    out = release.strip_solutions(text)
    assert "return x" not in out and "raise NotImplementedError" in out
    ast.parse(out)
    with pytest.raises(ValueError, match="never closed"):
        release.strip_solutions("    # BEGIN SOLUTION\n    x = 1\n")


def test_release_notebook_stubs_answers_drops_reference_cells_and_clears_outputs():
    notebook = json.loads((FIXTURES / "notebook.ipynb").read_text())
    notebook["cells"].append({"cell_type": "markdown", "metadata": {"tags": ["reference-only"]},
                              "source": ["This copy is the reference."]})
    cells = release.strip_notebook(notebook)["cells"]
    assert len(cells) == len(notebook["cells"]) - 1
    assert "".join(cells[1]["source"]) == release.ANSWER_STUB
    assert "raise NotImplementedError" in "".join(cells[2]["source"])
    assert "return x * x" not in "".join(cells[3]["source"])
    assert all(c.get("outputs", []) == [] for c in cells)
    assert "".join(cells[0]["source"]).startswith("# Question")


def test_template_imports_are_the_reference_imports_beyond_the_course_skeleton():
    for name in SUBMISSION_FILES:
        course = imports("\n".join(COURSE_IMPORTS[name]))
        assert imports((SOURCE_ROOT / name).read_text()) - course == TEMPLATE_IMPORTS[name], name


# ---- what the kit says -------------------------------------------------------

def test_kit_names_no_missing_command_or_path(kit):
    problems = []
    # A path: a known top-level folder followed by more, or a file name with an extension.
    folders = ("data/", "scripts/", "utilities/", "tests/", "grader/", "bench/", "templates/")
    extensions = (".py", ".md", ".ipynb", ".csv", ".npz", ".txt", ".json", ".yml", ".gz", ".png",
                  ".zip", ".pdf")
    token = re.compile(r"(?<![\w/.-])([\w-][\w./-]*)")
    names_in_kit = {p.name for p in kit.rglob("*")}
    for where, text in kit_texts(kit).items():
        base = kit / Path(where).parent if not where.startswith("HW4.ipynb") else kit
        if re.search(r"`make |\bmake (notebook|test|smoke|bench|pdf|system-deps)\b", text):
            problems.append(f"{where}: names a make target (the kit has no Makefile)")
        for match in token.finditer(text):
            path = match.group(1).rstrip(".")
            if not (path.startswith(folders) or Path(path).suffix in extensions):
                continue
            if path.split("/")[0] in OUTPUTS or Path(path).name in OUTPUTS or path in OPTIONAL:
                continue
            if "/" not in path and (path in names_in_kit or not path.endswith(BARE_FILES)):
                continue  # a bare file name: the kit must have a file of that name
            if not ((kit / path).exists() or (base / path).exists()):
                problems.append(f"{where}: names {path}, which the kit does not have")
        for module in re.findall(r"python -m ([\w.]+)", text):
            if module in ("venv", "pip", "unittest"):
                continue
            if not any((kit / (module.replace(".", "/") + suffix)).exists()
                       for suffix in (".py", "/__main__.py")):
                problems.append(f"{where}: runs python -m {module}, which the kit does not have")
    assert not problems, "\n".join(sorted(set(problems)))


def test_kit_states_no_answer_to_3_1_or_3_2(kit):
    def says(text, phrase):
        if re.fullmatch(r"[\w ]+", phrase):  # words: match whole words only
            return re.search(rf"\b{phrase}\b", text, re.I) is not None
        return phrase.lower() in text.lower()

    q3_texts = {where: text for where, text in kit_texts(kit).items()
                if where.startswith(("HW4.ipynb", "svm.py", "utilities/localtests", "utilities/items"))
                or where.endswith(".md")}
    found = [f"{where}: {phrase!r}" for where, text in q3_texts.items()
             for phrase in ANSWER_PHRASES if says(text, phrase)]
    assert not found, "\n".join(found)
    assert not (kit / "utilities" / "separability.py").exists()
    assert not (kit / "scripts" / "make_artificial_data.py").exists()


def test_kit_has_no_solution_line(kit):
    solution = solution_lines()
    for path in kit.rglob("*.py"):
        assert not solution & {s.strip() for s in path.read_text().splitlines()}, path


def test_kit_has_no_name_defined_only_in_solution_regions(kit):
    names = _solution_identifiers()
    assert {"squared_norm", "phi_X", "dLoss_u3"} <= names  # the check sees real solution names
    notebook = json.loads((kit / "HW4.ipynb").read_text())
    code = {name: (kit / name).read_text() for name in SUBMISSION_FILES}
    code.update({f"HW4.ipynb cell {i}": "".join(c["source"])
                 for i, c in enumerate(notebook["cells"]) if c["cell_type"] == "code"})
    # Elsewhere (prose, the utilities), only names that no sentence or unrelated
    # code would use by chance: those with an underscore or a digit.
    prose = {where: text for where, text in kit_texts(kit).items() if where not in code}
    found = sorted({f"{where}: {name}" for texts, pick in ((code, names), (prose, {
        n for n in names if re.search(r"[_\d]", n)})) for where, text in texts.items()
        for name in pick if re.search(rf"\b{name}\b", text)})
    assert not found, "\n".join(found)


def test_kit_modules_have_no_unused_imports_or_private_names(kit):
    problems = []
    for path in sorted(kit.rglob("*.py")):
        tree = ast.parse(path.read_text())
        used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        used |= {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
        used |= {n.value.id for n in ast.walk(tree)
                 if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)}
        exported = set()
        for node in tree.body:
            if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "__all__"
                                                    for t in node.targets):
                exported |= {e.value for e in getattr(node.value, "elts", [])}
        defined = []
        for node in tree.body:
            if isinstance(node, (ast.Import, ast.ImportFrom)) and path.name != "__init__.py":
                defined += [(a.asname or a.name).split(".")[0] for a in node.names]
            elif isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name.startswith("_") \
                    and not node.name.startswith("__"):
                defined.append(node.name)
            elif isinstance(node, ast.Assign):
                defined += [t.id for t in node.targets if isinstance(t, ast.Name)
                            and t.id.startswith("_") and not t.id.startswith("__")]
        course = {s.split()[-1] for s in COURSE_IMPORTS.get(path.name, ())}  # kept as given
        for name in defined:
            if name not in used and name not in exported and name not in course:
                problems.append(f"{path.relative_to(kit)}: {name} is never used")
    # A constant of an exercise module that nothing in the kit reads belongs to the answer.
    everything = "\n".join(kit_texts(kit).values())
    for path in sorted(kit.glob("*.py")):
        for node in ast.parse(path.read_text()).body:
            for target in getattr(node, "targets", []):
                name = getattr(target, "id", "")
                if name.isupper() and len(re.findall(rf"\b{name}\b", everything)) < 2:
                    problems.append(f"{path.name}: the constant {name} is never used in the kit")
    assert not problems, "\n".join(problems)


def test_you_complete_lists_exactly_the_stubbed_functions(kit):
    readme = (kit / "README.md").read_text()
    listed = {f"{file}:{name}" for file, names in
              re.findall(r"^\| `([\w.]+\.py)` \| (.+) \|$", readme, re.M)
              for name in re.findall(r"`([\w.]+)`", names)}
    stubbed = set()
    for name in SUBMISSION_FILES:
        tree = ast.parse((kit / name).read_text())
        for cls in [tree, *[n for n in tree.body if isinstance(n, ast.ClassDef)]]:
            prefix = "" if cls is tree else f"{cls.name}."
            for fn in cls.body:
                if isinstance(fn, ast.FunctionDef) and release.STUB in ast.unparse(fn).replace("'", '"'):
                    stubbed.add(f"{name}:{prefix}{fn.name}")
    assert listed == stubbed
    assert "base_sequential_model.py:" not in " ".join(listed)


def test_every_graded_item_shows_both_point_values(kit):
    notebook = json.loads((kit / "HW4.ipynb").read_text())
    tasks = ["".join(c["source"]) for c in notebook["cells"]
             if "task" in c.get("metadata", {}).get("tags", [])]
    for item in ITEMS:
        line = points_line(item.number)
        assert "graduate " in line and "undergraduate " in line
        holders = [t for t in tasks if line in t and re.search(rf"\b{re.escape(item.number)}\b", t)]
        assert holders, f"no task cell shows {item.number}'s points: {line}"
        if item.grader:  # the line utilities/items.py states, as the notebook shows it
            line = f"**Grader:** {item.grader[0].upper()}{item.grader[1:]}."
            assert any(line in t for t in holders), f"{item.number}: no {line!r}"


def test_kit_opens_with_a_cover_page_not_the_reference(kit):
    notebook = json.loads((kit / "HW4.ipynb").read_text())
    cover = "".join(notebook["cells"][0]["source"])
    assert "executed solution" not in cover and "reference" not in cover.lower()
    for needed in ("Deliverables", "utilities.check", "export_pdf.py", "requirements.txt"):
        assert needed in cover, needed
    headings = [line for c in notebook["cells"] if c["cell_type"] == "markdown"
                for line in "".join(c["source"]).splitlines() if line.startswith("## ")]
    assert [h.split(":")[0] for h in headings if h.startswith("## Q")] == \
        ["## Q1", "## Q2", "## Q3", "## Q4"]
    assert not any(re.match(r"## 1\.\d", h) for h in headings), headings


# ---- what the kit runs -------------------------------------------------------

def test_bare_kit_imports_and_every_local_test_says_not_implemented(kit):
    script = (
        "import importlib, unittest, sys\n"
        f"mods = {[n[:-3] for n in SUBMISSION_FILES]}\n"
        "for m in mods: importlib.import_module(m)\n"
        "from utilities.localtests import TestNN, TestCNN, TestSVM, TestRNN, TestLSTM\n"
        "suite = unittest.TestSuite(unittest.defaultTestLoader.loadTestsFromTestCase(c)\n"
        "                           for c in (TestNN, TestCNN, TestSVM, TestRNN, TestLSTM))\n"
        "result = unittest.TextTestRunner(stream=open('/dev/null', 'w')).run(suite)\n"
        # Tests that take a trained object (notebook-driven checks) cannot run bare.
        "bad = [str(t) for t, tb in result.errors + result.failures\n"
        "       if 'NotImplementedError' not in tb and 'required positional' not in tb]\n"
        "print(result.testsRun, len(result.errors), bad)\n"
        "sys.exit(1 if bad or not result.testsRun or result.wasSuccessful() else 0)\n")
    done = _run(["-c", script], kit)
    assert done.returncode == 0, done.stdout + done.stderr


def test_self_check_in_the_bare_kit_lists_every_item_as_not_implemented(kit):
    done = _run(["-m", "utilities.check"], kit)
    assert done.returncode == 1, done.stdout + done.stderr
    for item in ITEMS:
        assert re.search(rf"^{re.escape(item.number)} ", done.stdout, re.M), item.number
    assert "21 not implemented" in done.stdout, done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_kit_readme_commands_run_in_a_finished_kit(kit, tmp_path):
    finished = tmp_path / "finished"
    shutil.copytree(kit, finished)
    for name in SUBMISSION_FILES:
        shutil.copy(SOURCE_ROOT / name, finished / name)
    readme = (kit / "README.md").read_text()
    commands = re.findall(r"^\.venv/bin/python (.+)$", readme, re.M)
    assert "-m utilities.check" in commands and "-m utilities.check --zip hw4_submission.zip" \
        in commands
    done = _run(["-m", "utilities.check", "--zip", "hw4_submission.zip"], finished)
    assert done.returncode == 0, done.stdout + done.stderr
    with zipfile.ZipFile(finished / "hw4_submission.zip") as archive:
        assert sorted(archive.namelist()) == sorted(SUBMISSION_FILES)
    again = _run(["-m", "utilities.check", "--zip", "hw4_submission.zip"], finished)
    assert again.returncode == 2 and "--force" in again.stdout  # never overwritten unasked
    done = _run(["-m", "unittest", "utilities.localtests.TestNN"], finished)
    assert done.returncode == 0 and "OK" in done.stderr, done.stderr
    for script in ("scripts/run_notebook.py", "scripts/export_pdf.py"):
        assert script in readme
        assert _run([script, "--help"], finished).returncode == 0, script


def test_a_broken_lstm_cannot_stop_the_q1_tests(kit, tmp_path):
    student = tmp_path / "student"
    shutil.copytree(kit, student)
    shutil.copy(SOURCE_ROOT / "NN.py", student / "NN.py")
    (student / "lstm.py").write_text((student / "lstm.py").read_text() + "\ndef broken(:\n")
    done = _run(["-c", "from utilities.localtests import TestNN\n"
                       "TestNN('test_softmax').test_softmax()"], student)
    assert done.returncode == 0 and "test_softmax passed!" in done.stdout, done.stderr
    done = _run(["-m", "utilities.check"], student)
    assert done.returncode == 1
    assert re.search(r"^1\.1\.2 .* pass", done.stdout, re.M), done.stdout
    assert re.search(r"^4\.1\.2 .* ERROR .*SyntaxError.*lstm\.py", done.stdout, re.M), done.stdout


def test_self_check_reports_an_added_import_and_a_tune_outside_the_limits(tmp_path):
    student = tmp_path / "student"
    student.mkdir()
    for name in SUBMISSION_FILES:
        shutil.copy(SOURCE_ROOT / name, student / name)
    shutil.copytree(SOURCE_ROOT / "utilities", student / "utilities",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(SOURCE_ROOT / "data", student / "data",
                    ignore=shutil.ignore_patterns("mri", "macbeth", "raw"))
    (student / "svm.py").write_text("import scipy\n" + (student / "svm.py").read_text())
    trainer = student / "cnn_trainer.py"
    trainer.write_text(trainer.read_text().replace("self.batch_size = 32", "self.batch_size = 8"))
    done = _run(["-m", "utilities.check"], student)
    assert done.returncode == 1
    assert "svm.py: adds an import the course template does not have: import scipy" in done.stdout
    assert re.search(r"^2\.1\.3 .* FAIL .*batch_size = 8; the course allows 32 to 512",
                     done.stdout, re.M), done.stdout
