"""Self-check before submitting: every local test, per graded item, and the grader's rules.

Run from the folder that holds HW4.ipynb::

    python -m utilities.check                 # the table; exit status 1 if anything fails
    python -m utilities.check --zip hw4_submission.zip   # also write the upload

The table lists each item with its points (graduate / undergraduate), and
whether its local tests pass, fail or are not implemented yet. Items that
need a full training run (1.2.1, 1.3-1.5, 2.1.4, 2.1.5) and the written
answers are listed too, with what to do for them. The rules the grader
enforces are checked as well: all eight files present, no import that the
course template does not have, and tune() within the course's limits. A
failure is never hidden: the zip is written when asked even if something
fails (a partial submission still earns partial credit), and the exit
status says whether everything passed.
"""

import argparse
import contextlib
import importlib
import io
import sys
import zipfile
from pathlib import Path

from utilities.items import ITEMS, graduate_points, undergraduate_points
from utilities.submission import SUBMISSION_FILES, import_notes

PASS, FAIL, TODO, ERROR = "pass", "FAIL", "not implemented", "ERROR"
MODULE_OF = {"TestNN": "nn", "TestCNN": "cnn", "TestSVM": "svm", "TestRNN": "rnn",
             "TestLSTM": "rnn"}


def run_local_test(name):
    """Run one local test ``Class.method``; return (status, one-line reason)."""
    class_name, method = name.split(".")
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            module = importlib.import_module(f"utilities.localtests.{MODULE_OF[class_name]}")
            getattr(getattr(module, class_name)(method), method)()
    except NotImplementedError:
        return TODO, ""
    except AssertionError as e:
        return FAIL, str(e).strip().splitlines()[0] if str(e).strip() else "assertion failed"
    except Exception as e:  # a student's bug is a row of the table, not a crash
        where = ""
        if isinstance(e, SyntaxError):
            where = f" ({Path(e.filename or '').name}, line {e.lineno})"
        return ERROR, f"{type(e).__name__}: {e}{where}".splitlines()[0]
    return PASS, ""


def item_rows():
    """(item, points, status, note) for every graded item, in the course's order."""
    rows = []
    for item in ITEMS:
        points = f"{graduate_points(item)} / {undergraduate_points(item)}"
        if item.written:
            rows.append((item.number, item.name, points, "written", "answer it in HW4.ipynb"))
            continue
        if not item.local:
            rows.append((item.number, item.name, points, "notebook",
                         "no local test: run its notebook cell; the grader trains it"))
            continue
        results = [(test, *run_local_test(test)) for test in item.local]
        bad = [(test, status, why) for test, status, why in results if status != PASS]
        if not bad:
            rows.append((item.number, item.name, points, PASS, ""))
        else:
            test, status, why = bad[0]
            rows.append((item.number, item.name, points, status, f"{test}: {why}".rstrip(": ")))
    return rows


def rule_problems(folder):
    """What in ``folder`` breaks a rule the grader enforces (files present, no new imports)."""
    problems = []
    for name in SUBMISSION_FILES:
        path = Path(folder) / name
        if not path.is_file():
            problems.append(f"{name} is missing")
            continue
        problems += import_notes(name, path.read_text())
    return problems


def write_zip(path, folder, force=False):
    """Write the eight submission files of ``folder`` into the zip ``path``."""
    path = Path(path)
    if path.exists() and not force:
        raise FileExistsError(f"{path} exists; pass --force to replace it or choose another name")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in SUBMISSION_FILES:
            if (Path(folder) / name).is_file():
                archive.write(Path(folder) / name, name)
    return path


def print_table(rows):
    widths = [max(len(str(row[k])) for row in rows) for k in range(4)]
    header = ("item", "name", "points (grad / undergrad)", "status")
    widths = [max(w, len(h)) for w, h in zip(widths, header)]
    line = "  ".join(h.ljust(w) for h, w in zip(header, widths))
    print(line)
    print("-" * len(line))
    for row in rows:
        print("  ".join(str(v).ljust(w) for v, w in zip(row[:4], widths)), row[4])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zip", type=Path, help="also write the Gradescope upload here")
    parser.add_argument("--force", action="store_true", help="replace an existing --zip file")
    args = parser.parse_args(argv)
    folder = Path.cwd()
    sys.path.insert(0, str(folder))
    rows = item_rows()
    print_table(rows)
    problems = rule_problems(folder)
    print()
    if problems:
        print("Rules the autograder enforces, broken here:")
        for problem in problems:
            print(f"  - {problem}")
    else:
        print("Rules: all eight files present, no new imports; tune()'s limits are item 2.1.3's "
              "local test.")
    counts = {s: sum(row[3] == s for row in rows) for s in (PASS, FAIL, ERROR, TODO)}
    print(f"\nLocal tests: {counts[PASS]} items pass, {counts[FAIL]} fail, {counts[ERROR]} raise "
          f"an error, {counts[TODO]} not implemented. The autograder checks more than these "
          "(see the 'Grader:' line of each item in HW4.ipynb).")
    if args.zip:
        try:
            path = write_zip(args.zip, folder, args.force)
        except FileExistsError as e:
            print(f"\n{e}")
            return 2
        with zipfile.ZipFile(path) as archive:
            print(f"\nWrote {path} with {len(archive.namelist())} files; upload it to Gradescope.")
    return 0 if counts[PASS] == sum(counts.values()) and not problems else 1


if __name__ == "__main__":
    sys.exit(main())
