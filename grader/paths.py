"""Where the grader finds things, in the repository and inside autograder.zip."""

from pathlib import Path

from utilities import submission

GRADER_DIR = Path(__file__).resolve().parent
SOURCE_ROOT = GRADER_DIR.parent
EXPECTED_FILE = GRADER_DIR / "expected.json"
# autograder.zip ships the student templates (release stubs) here; in the
# repository they are made from the reference modules on the fly.
TEMPLATES_DIR = SOURCE_ROOT / "templates"
PROBES_DIR = GRADER_DIR / "probes"

# Modules the graded code may import besides the submission files.
SUPPORT_FILES = ("text_generator.py",)
SUPPORT_DIRS = ("utilities",)
# The files students upload, as the grader and the self-check both list them.
SUBMISSION_FILES = submission.SUBMISSION_FILES
