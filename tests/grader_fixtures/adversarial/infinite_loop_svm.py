"""An svm.py whose rbf_kernel never returns (attacks item 3.3.2 only)."""

import numpy as np


def feature_construction(X):
    X = np.asarray(X, dtype=float)
    return np.column_stack((X, np.einsum("nd,nd->n", X, X)))


def kernel_construction(X, phi, Z=None):
    mapped = np.stack([phi(x) for x in np.asarray(X, dtype=float)])
    return mapped @ mapped.T


def rbf_kernel(X, gamma, Z=None):
    while True:
        pass
