"""An svm.py that copies the answers: it reads the grader's expected.json
(EXPECTED_PATH is filled in by the test, next to Gradescope's path) and returns
the stored kernel matrices, printing what it could and could not read."""

import json

import numpy as np


def _stolen_jobs():
    for path in ("EXPECTED_PATH", "/autograder/source/grader/expected.json"):
        try:
            with open(path) as f:
                jobs = json.load(f)["jobs"]
        except OSError as e:
            print(f"could not read {path}: {e.strerror}")
            continue
        print(f"read {path}")
        return jobs
    return None


STOLEN = _stolen_jobs()


def feature_construction(X):
    return np.asarray(X, dtype=float)


def kernel_construction(X, phi, Z=None):
    if STOLEN:
        return np.array(STOLEN["svm_kernel"]["K"])
    return np.zeros((len(X), len(X)))


def rbf_kernel(X, gamma, Z=None):
    if STOLEN:
        return np.array(STOLEN["svm_rbf"]["K"][0 if gamma == 0.5 else 1])
    return np.ones((len(X), len(X)))
