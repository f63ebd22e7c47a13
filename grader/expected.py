"""Expected values: the reference solution's probe outputs, precomputed.

``python -m grader expected`` (and ``build``, when they are stale) runs every
deterministic probe on the reference modules in the repository and stores
the outputs in ``grader/expected.json``, with a hash of the reference modules
and probes they came from. autograder.zip ships this file instead of the
reference code. Training runs are stored as summaries (loss trajectory, test
CE, confusion diagonal).
"""

import ast
import hashlib
import json
import os
import tempfile
from pathlib import Path

from .checks_q1 import summarise_run
from .paths import EXPECTED_FILE, PROBES_DIR, SOURCE_ROOT, SUBMISSION_FILES
from .probes import PROBES
from .workspace import Context, prepare_workspace

# Probes whose result is checked by properties or absolute bars, not compared
# with the reference: nothing to store.
NOT_STORED = ("nn_dropout", "svm_features", "cnn_transforms", "cnn_model", "cnn_run_epoch",
              "cnn_train")


def stored_jobs():
    """Names of the probes whose reference output is stored."""
    return sorted(name for name in PROBES if name not in NOT_STORED)


def _code_only(source):
    """The syntax tree of ``source`` without comments and docstrings, as text.

    Hashing this instead of the bytes means that rewording a comment or a
    docstring in a reference module does not make expected.json stale; any
    change to what the code does still does.
    """
    tree = ast.parse(source)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                and body and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str)):
            node.body = body[1:] or [ast.Pass()]
    return ast.dump(tree)


def source_hash(root=SOURCE_ROOT):
    """SHA-256 over the code (not the comments) of the reference modules and the probes."""
    digest = hashlib.sha256()
    files = [Path(root) / n for n in SUBMISSION_FILES] + sorted(PROBES_DIR.glob("*.py"))
    for path in files:
        digest.update(path.name.encode())
        digest.update(_code_only(path.read_text()).encode() if path.is_file() else b"<missing>")
    return digest.hexdigest()


def load(path=EXPECTED_FILE):
    """The expected values; raises FileNotFoundError with the fix when missing."""
    if not Path(path).is_file():
        raise FileNotFoundError(f"{path} is missing: run `python -m grader expected` first")
    with open(path) as f:
        return json.load(f)


def is_stale(path=EXPECTED_FILE, root=SOURCE_ROOT):
    """True if ``path`` is missing or was made from other reference modules."""
    if not Path(path).is_file():
        return True
    return load(path).get("source_hash") != source_hash(root)


def build(path=EXPECTED_FILE, root=SOURCE_ROOT):
    """Run the stored probes on the reference at ``root`` and write ``path``."""
    with tempfile.TemporaryDirectory(prefix="grader-expected-") as scratch:
        workspace, _ = prepare_workspace(root, Path(scratch))
        ctx = Context(workspace, {"jobs": {}}, timeout_scale=1.0)
        jobs = {}
        for name in stored_jobs():
            value = ctx.job(name)
            jobs[name] = summarise_run(value, ctx.y_test()) if name.startswith("nn_train_") \
                else value
    values = {"source_hash": source_hash(root), "jobs": jobs}
    tmp = Path(f"{path}.tmp")
    with open(tmp, "w") as f:
        json.dump(values, f, separators=(",", ":"))
    os.replace(tmp, path)
    return values
