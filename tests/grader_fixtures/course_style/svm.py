"""A course student's svm.py: written against the course skeleton, not our reference.

tests/test_grader.py grades this folder and expects full marks.
"""

import numpy as np
from sklearn.svm import SVC


def feature_construction(X):
    """Add features so that the two classes become linearly separable.

    X: (N, 2) array of points. Returns an (N, 5) array.
    """
    x1 = X[:, 0]
    x2 = X[:, 1]
    # A quadratic boundary in (x1, x2) is a linear one in these five columns.
    return np.stack([x1, x2, x1 * x1, x2 * x2, x1 * x2], axis=1)


def kernel_construction(X, phi):
    """Kernel matrix K[i, j] = phi(X[i]) . phi(X[j]).

    X: (N, D) array, phi: function of one point. Returns an (N, N) array.
    """
    N = X.shape[0]
    K = np.zeros((N, N))
    for i in range(N):
        for j in range(N):
            K[i, j] = np.dot(phi(X[i]), phi(X[j]))
    return K


def rbf_kernel(X, gamma):
    """RBF kernel matrix K[i, j] = exp(-gamma * ||X[i] - X[j]||^2).

    X: (N, D) array, gamma: float. Returns an (N, N) array.
    """
    diff = X[:, np.newaxis, :] - X[np.newaxis, :, :]
    squared_distances = np.sum(diff ** 2, axis=2)
    return np.exp(-gamma * squared_distances)
