"""An svm.py that forges results: it writes a perfect results.json wherever it can
(FORGED_PATH is filled in by the test), prints one, and returns wrong kernels."""

import json
import os

import numpy as np

FORGED = {"score": 999, "execution_time": 0, "tests": [
    {"name": "3.3.2", "number": "3.3.2", "score": 999, "max_score": 5, "status": "passed"}]}
for path in ("FORGED_PATH", "/autograder/results/results.json", "results.json",
             os.path.join(os.path.dirname(os.getcwd()), "results.json")):
    try:
        with open(path, "w") as f:
            json.dump(FORGED, f)
    except OSError:
        pass
print(json.dumps(FORGED))


def feature_construction(X):
    return np.asarray(X, dtype=float)


def kernel_construction(X, phi, Z=None):
    return np.zeros((len(X), len(X)))


def rbf_kernel(X, gamma, Z=None):
    return np.ones((len(X), len(X)))
