"""Build the Gradescope autograder zip: ``python -m grader build [--variant V]``.

Layout: ``setup.sh`` and ``run_autograder`` at the root, and everything the
grader needs under ``source/`` is unpacked by Gradescope to
``/autograder/source``: the grader package with its expected values,
``templates/`` (the release stubs, used for files a student did not upload),
``utilities/``, ``data/`` and ``requirements.txt``. No reference solution code:
the templates are stubbed and the expected values are data.
"""

import os
import zipfile
from pathlib import Path

from . import expected
from .paths import EXPECTED_FILE, GRADER_DIR, SOURCE_ROOT, SUBMISSION_FILES
from .release import IGNORED, strip_solutions

SETUP_SH = """#!/usr/bin/env bash
# Gradescope runs this once while building the image.
set -euo pipefail
apt-get update -qq && apt-get install -y -qq python3 python3-pip python3-venv >/dev/null
python3 -m venv /autograder/venv
# The CPU wheels of torch: Gradescope has no GPU, and they are a fraction of the size.
/autograder/venv/bin/pip install --quiet --extra-index-url https://download.pytorch.org/whl/cpu \\
    -r /autograder/source/requirements.txt
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this for every submission.
set -uo pipefail
cd /autograder/source
/autograder/venv/bin/python -m grader run --submission /autograder/submission \\
    --results /autograder/results/results.json --variant {variant}
"""
# Data the graded probes never read (Q4 only builds models).
SKIPPED_DATA = ("macbeth", "images")


def _add_tree(archive, src, arcname, strip=False, skip=()):
    """Add the files under ``src``, skipping caches and raw data; optionally stubbed."""
    for path in sorted(Path(src).rglob("*")):
        rel = path.relative_to(src)
        if not path.is_file() or any(IGNORED(str(src), rel.parts)) or path.suffix == ".tmp" \
                or path.name in skip:
            continue
        if strip and path.suffix == ".py":
            _add_text(archive, f"{arcname}/{rel.as_posix()}",
                      strip_solutions(path.read_text(), str(path)))
        else:
            archive.write(path, f"{arcname}/{rel.as_posix()}")


def _add_text(archive, name, text, executable=False):
    info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
    info.external_attr = (0o755 if executable else 0o644) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, text)


def build_zip(variant="graduate", out=None, root=SOURCE_ROOT, expected_file=EXPECTED_FILE):
    """Write the autograder zip for ``variant`` and return its path.

    ``expected_file`` is refreshed first when it is stale.
    """
    if expected.is_stale(expected_file, root):
        expected.build(expected_file, root)
    out = Path(out or root / "dist" / (
        "autograder.zip" if variant == "graduate" else f"autograder-{variant}.zip"))
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        _add_text(archive, "setup.sh", SETUP_SH, executable=True)
        _add_text(archive, "run_autograder", RUN_AUTOGRADER.format(variant=variant), True)
        _add_tree(archive, GRADER_DIR, "source/grader", skip=(EXPECTED_FILE.name,))
        archive.write(expected_file, "source/grader/expected.json")
        _add_tree(archive, root / "utilities", "source/utilities", strip=True)
        for entry in sorted((root / "data").iterdir()):
            if entry.name not in SKIPPED_DATA:
                (_add_tree(archive, entry, f"source/data/{entry.name}") if entry.is_dir()
                 else archive.write(entry, f"source/data/{entry.name}"))
        archive.write(root / "requirements.txt", "source/requirements.txt")
        for name in SUBMISSION_FILES:
            text = strip_solutions((root / name).read_text(), name)
            _add_text(archive, f"source/templates/{name}", text)
    os.chmod(out, 0o644)
    return out
