"""Local tests of svm.kernel_construction and svm.rbf_kernel (Q3)."""

import unittest

import numpy as np

import pandas as pd
from sklearn.svm import SVC

import svm
from utilities.localtests.compare import assert_close

# Points X (N=3, D=2) for both SVM tests, called as the course calls them.
# Every coordinate is a multiple of 1/4, so the polynomial kernel below is
# exact in float64.
SVM_X = np.array([[0.5, -1.0], [2.0, 0.25], [-1.5, 1.0]])
SVM_GAMMA = 0.5


def svm_poly_phi(x):
    """Degree-2 feature map of the notebook's 3.3 example: (x0, x1, x0 x1, x0^2, x1^2)."""
    return np.array([x[0], x[1], x[0] * x[1], x[0] ** 2, x[1] ** 2])


# phi(a) . phi(b) summed by hand in exact fractions (41/16, 25/16, 9/16,
# 5201/256, 89/16, 185/16).
SVM_POLY_K = np.array([
    [2.5625, 1.5625, 0.5625],
    [1.5625, 20.31640625, 5.5625],
    [0.5625, 5.5625, 11.5625],
])
# sklearn.metrics.pairwise.rbf_kernel(SVM_X, gamma=0.5), printed to 17 significant digits;
# e.g. K[0, 1] = exp(-0.5 * (1.5^2 + 1.25^2)) = exp(-1.90625).
SVM_RBF_K = np.array([
    [1.0, 0.1486367305381225, 0.01831563888873418],
    [0.1486367305381225, 1.0, 0.00165120492500366],
    [0.01831563888873418, 0.00165120492500366, 1.0],
])
# Room for a few ulps from exp and summation order; any wrong formula is far off.
SVM_RTOL = 1e-12


# The Q3.2 data, read from the folder the notebook runs in.
SVM_ARTIFICIAL_DATA = "data/artificial_data.csv"


class TestSVM(unittest.TestCase):
    """Local tests for svm.feature_construction, svm.kernel_construction and svm.rbf_kernel."""

    def test_feature_construction(self):
        df = pd.read_csv(SVM_ARTIFICIAL_DATA)
        X, y = df[["x_1", "x_2"]].to_numpy(), df["y"].to_numpy()
        mapped = svm.feature_construction(X)
        self.assertEqual(np.ndim(mapped), 2, "feature_construction must return (N, D') features")
        self.assertEqual(len(mapped), len(X), "feature_construction must return one row per point")
        accuracy = SVC(kernel="linear").fit(mapped, y).score(mapped, y)
        self.assertEqual(accuracy, 1.0, f"a linear SVC on feature_construction(X) reaches training "
                         f"accuracy {accuracy:.3f}; the map must make the classes linearly separable")
        print("test_feature_construction passed!")

    def test_kernel(self):
        K = svm.kernel_construction(SVM_X, svm_poly_phi)
        assert_close(K, SVM_POLY_K, "svm.kernel_construction(X, phi)", rtol=SVM_RTOL, atol=0,
                     hint="K[i, j] is the dot product of phi(x_i) and phi(x_j)")
        print("test_kernel passed!")

    def test_rbf_kernel(self):
        K = svm.rbf_kernel(SVM_X, SVM_GAMMA)
        assert_close(K, SVM_RBF_K, "svm.rbf_kernel(X, gamma=0.5)", rtol=SVM_RTOL, atol=0,
                     hint="K[i, j] = exp(-gamma * ||x_i - x_j||^2)")
        print("test_rbf_kernel passed!")
