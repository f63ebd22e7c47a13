"""Helpers shared by the grader and release tests: reference copies and solution lines."""

import shutil
from pathlib import Path

from grader import release
from grader.paths import SOURCE_ROOT, SUBMISSION_FILES

FIXTURES = Path(__file__).parent / "grader_fixtures"


def solution_lines():
    """Non-trivial lines from solution regions that occur nowhere outside them."""
    lines, outside = set(), set()
    for name in SUBMISSION_FILES:
        text = (SOURCE_ROOT / name).read_text()
        inside = release.solution_lines(text, name)
        lines |= {s.strip() for s in inside}
        outside |= {s.strip() for s in release.strip_solutions(text, name).splitlines()}
    return {s for s in lines - outside if len(s) > 12 and not s.startswith("#")}


def copy_reference(dest):
    """Copy the eight reference modules into ``dest`` (made if needed); returns ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in SUBMISSION_FILES:
        shutil.copy(SOURCE_ROOT / name, dest / name)
    return dest
