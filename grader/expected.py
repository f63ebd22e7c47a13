"""Expected values: the reference solution's probe outputs, precomputed.

``python -m grader expected`` (and ``build``, when they are stale) runs every
deterministic probe on the reference modules in the repository and stores
the outputs in ``grader/expected.json``, with a hash of the reference modules
and probes they came from. autograder.zip ships this file instead of the
reference code. Which probes are stored, and how a value is summarised
first (the Q1 training runs: loss trajectory, test CE, confusion diagonal),
is declared with each probe (``probes/base.py``).
"""

import ast
import hashlib
import inspect
import json
import os
import tempfile
from pathlib import Path

from .paths import EXPECTED_FILE, PROBES_DIR, SOURCE_ROOT
from .probes import PROBES
from .workspace import Context, prepare_workspace


def stored_jobs():
    """Names of the probes whose reference output is stored (declared ``stored``)."""
    return sorted(name for name, probe in PROBES.items() if probe.stored)


def hashed_files(root=SOURCE_ROOT):
    """The files that the stored values depend on.

    The submission files that stored probes call, and every probe module
    except those that declare only unstored probes (a change to the CNN's
    probes or to cnn_trainer.py cannot change a stored value).
    """
    stored = [PROBES[name] for name in stored_jobs()]
    submission = sorted({f for probe in stored for f in probe.files})
    unstored_only = ({Path(inspect.getsourcefile(p.run)).name for p in PROBES.values()}
                     - {Path(inspect.getsourcefile(p.run)).name for p in stored})
    probes = [p for p in sorted(PROBES_DIR.glob("*.py")) if p.name not in unstored_only]
    return [Path(root) / name for name in submission] + probes


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
    """SHA-256 over the code (not the comments) of ``hashed_files``."""
    digest = hashlib.sha256()
    for path in hashed_files(root):
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
        jobs = {name: ctx.summary(name) for name in stored_jobs()}
    values = {"source_hash": source_hash(root), "jobs": jobs}
    tmp = Path(f"{path}.tmp")
    with open(tmp, "w") as f:
        json.dump(values, f, separators=(",", ":"))
    os.replace(tmp, path)
    return values
