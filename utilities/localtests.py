"""Local tests for HW4, runnable from the notebook.

Each class is a ``unittest.TestCase``; call a single test the way the
notebook does, e.g. ``TestNN("test_softmax").test_softmax()``. A passing test
prints ``<name> passed!``. Every expected literal below states where it came
from; ``tests/`` recomputes each one from an independent reference.
"""

import unittest

import numpy as np


# ---- Q1: TestNN ----------------------------------------------------------


# ---- Q2: TestCNN ---------------------------------------------------------


# ---- Q3: TestSVM ---------------------------------------------------------

import svm  # noqa: E402  (kept inside the Q3 section of this shared file)

# Training points X (N=3, D=2) and query points Z (M=2) for both SVM tests.
# Every coordinate is a multiple of 1/4, so the polynomial kernel below is
# exact in float64.
SVM_X = np.array([[0.5, -1.0], [2.0, 0.25], [-1.5, 1.0]])
SVM_Z = np.array([[1.0, 1.0], [0.0, -0.5]])
SVM_GAMMA = 0.5


def svm_poly_phi(x):
    """Degree-2 feature map of the notebook's 3.3 example: (x0, x1, x0 x1, x0^2, x1^2)."""
    return np.array([x[0], x[1], x[0] * x[1], x[0] ** 2, x[1] ** 2])


# phi(a) . phi(b) summed by hand in exact fractions (41/16, 25/16, 9/16,
# 5201/256, 89/16, 185/16; cross kernel 1/4, 109/16, 5/4, 3/4, -7/64, -1/4).
SVM_POLY_K = np.array([
    [2.5625, 1.5625, 0.5625],
    [1.5625, 20.31640625, 5.5625],
    [0.5625, 5.5625, 11.5625],
])
SVM_POLY_K_ZX = np.array([
    [0.25, 6.8125, 1.25],
    [0.75, -0.109375, -0.25],
])
# sklearn.metrics.pairwise.rbf_kernel(SVM_X, gamma=0.5) and
# rbf_kernel(SVM_Z, SVM_X, gamma=0.5), printed to 17 significant digits;
# e.g. K[0, 1] = exp(-0.5 * (1.5^2 + 1.25^2)) = exp(-1.90625).
SVM_RBF_K = np.array([
    [1.0, 0.1486367305381225, 0.01831563888873418],
    [0.1486367305381225, 1.0, 0.00165120492500366],
    [0.01831563888873418, 0.00165120492500366, 1.0],
])
SVM_RBF_K_ZX = np.array([
    [0.11943296826671962, 0.45783336177161427, 0.04393693362340741],
    [0.7788007830714049, 0.1021564313333943, 0.10539922456186433],
])
# Room for a few ulps from exp and summation order; any wrong formula is far off.
SVM_RTOL = 1e-12


class TestSVM(unittest.TestCase):
    """Local tests for svm.kernel_construction and svm.rbf_kernel."""

    def test_kernel(self):
        K = svm.kernel_construction(SVM_X, svm_poly_phi)
        self.assertEqual(K.shape, (3, 3))
        np.testing.assert_allclose(K, SVM_POLY_K, rtol=SVM_RTOL, atol=0)
        K_zx = svm.kernel_construction(SVM_X, svm_poly_phi, Z=SVM_Z)
        self.assertEqual(K_zx.shape, (2, 3), "the cross kernel has shape (len(Z), len(X))")
        np.testing.assert_allclose(K_zx, SVM_POLY_K_ZX, rtol=SVM_RTOL, atol=0)
        print("test_kernel passed!")

    def test_rbf_kernel(self):
        K = svm.rbf_kernel(SVM_X, SVM_GAMMA)
        self.assertEqual(K.shape, (3, 3))
        np.testing.assert_allclose(K, SVM_RBF_K, rtol=SVM_RTOL, atol=0)
        K_zx = svm.rbf_kernel(SVM_X, SVM_GAMMA, Z=SVM_Z)
        self.assertEqual(K_zx.shape, (2, 3), "the cross kernel has shape (len(Z), len(X))")
        np.testing.assert_allclose(K_zx, SVM_RBF_K_ZX, rtol=SVM_RTOL, atol=0)
        print("test_rbf_kernel passed!")


# ---- Q4: TestRNN, TestLSTM -----------------------------------------------
