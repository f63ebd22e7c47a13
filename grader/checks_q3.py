"""Parent-side checks for Q3 (``svm.py``); see checks_q1 for the part format."""

import numpy as np
from sklearn.svm import SVC

from .compare import as_array, close
from .paths import SOURCE_ROOT
from .probes.svm import ARTIFICIAL_DATA

# Read at import, before any student code runs.
ARTIFICIAL_LABELS = np.loadtxt(SOURCE_ROOT / ARTIFICIAL_DATA, delimiter=",", skiprows=1)[:, 2]


def features(ctx):
    mapped = as_array(ctx.job("svm_features")["mapped"])
    y = ARTIFICIAL_LABELS
    if mapped is None or mapped.ndim != 2 or mapped.shape[0] != y.size:
        got = None if mapped is None else mapped.shape
        return [(False, f"expected mapped features of shape ({y.size}, D'), got {got}")]
    if not np.all(np.isfinite(mapped)):
        return [(False, "mapped features contain NaN or infinite values")]
    accuracy = SVC(kernel="linear").fit(mapped, y).score(mapped, y)
    return [(accuracy == 1.0, f"linear SVC training accuracy {accuracy:.3f} (needs 1.000)")]


def kernel(ctx):
    value, expected = ctx.job("svm_kernel"), ctx.expected("svm_kernel")
    return [close(value["K"], expected["K"], "kernel matrix")]


def rbf(ctx):
    value, expected = ctx.job("svm_rbf"), ctx.expected("svm_rbf")
    return [close(value["K"], expected["K"], "RBF kernel matrices (gamma 0.5 and 2)")]
