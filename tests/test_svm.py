"""Tests for svm.py, the Q3 local tests and the ring data behind Q3.2."""

from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog
from scipy.spatial.distance import cdist
from sklearn.metrics.pairwise import rbf_kernel as sklearn_rbf_kernel
from sklearn.svm import SVC

import svm
from scripts.make_artificial_data import (DECIMALS, DEFAULT_OUT, FRESH_N_SAMPLES, FRESH_OUT,
                                          FRESH_SEED, sample_artificial_data)
from utilities.localtests import svm as localtests

RTOL = 1e-12  # float64 kernels agree with their references to a few ulps


def poly_phi(x):
    """The notebook's degree-2 map, written independently of the local tests."""
    return np.array([x[0], x[1], x[0] * x[1], x[0] ** 2, x[1] ** 2])


def strictly_separable(F, y):
    """Solve the hard-margin feasibility LP: is there (w, b) with y_i (w . F_i + b) >= 1?"""
    A = np.column_stack((F, np.ones(len(F))))  # (N, D' + 1)
    result = linprog(np.zeros(A.shape[1]), A_ub=-y[:, None] * A, b_ub=-np.ones(len(F)),
                     bounds=(None, None), method="highs")
    assert result.status in (0, 2), result.message  # 0 feasible, 2 infeasible
    return result.status == 0


def load_rings():
    df = pd.read_csv(DEFAULT_OUT)
    return df[["x_1", "x_2"]].to_numpy(), df["y"].to_numpy()


# ---- local tests and their literals -----------------------------------------

@pytest.mark.parametrize("name", ["test_kernel", "test_rbf_kernel"])
def test_local_tests_pass(name, capsys):
    # Called the way the notebook calls it; imported via the module so that
    # pytest does not also collect TestSVM as a test class of this file.
    getattr(localtests.TestSVM(name), name)()
    assert capsys.readouterr().out.strip() == f"{name} passed!"


def test_poly_literals_match_exact_fractions():
    def exact(A, B):
        return np.array([[float(sum(Fraction(p) * Fraction(q)
                                    for p, q in zip(poly_phi(a), poly_phi(b))))
                          for b in B] for a in A])

    X = localtests.SVM_X
    np.testing.assert_array_equal(localtests.SVM_POLY_K, exact(X, X))


def test_rbf_literals_match_references():
    X, gamma = localtests.SVM_X, localtests.SVM_GAMMA
    np.testing.assert_allclose(localtests.SVM_RBF_K, sklearn_rbf_kernel(X, gamma=gamma),
                               rtol=RTOL, atol=0)
    np.testing.assert_allclose(localtests.SVM_RBF_K, np.exp(-gamma * cdist(X, X, "sqeuclidean")),
                               rtol=RTOL, atol=0)


# ---- rbf_kernel ----------------------------------------------------------------

def rbf_cases():
    """(X, Z, gamma) triples in 2, 3 and 12 dimensions."""
    rng = np.random.default_rng(0)
    cases = {}
    for d in (2, 3, 12):
        X = rng.normal(size=(70, d))
        cases[f"normal-d{d}"] = (X, rng.normal(size=(30, d)), 1.0 / d)
        dup = np.concatenate((X[:20], X[:20], X[5:10]))  # exact duplicate rows
        cases[f"duplicates-d{d}"] = (dup, X[:7], 0.7)
        big = rng.uniform(-1e4, 1e4, size=(60, d))
        cases[f"large-d{d}"] = (big, rng.uniform(-1e4, 1e4, size=(25, d)), 1.0 / (d * 1e8))
    return cases


RBF_CASES = rbf_cases()


@pytest.mark.parametrize("case", sorted(RBF_CASES))
def test_rbf_matches_sklearn(case):
    X, Z, gamma = RBF_CASES[case]
    np.testing.assert_allclose(svm.rbf_kernel(X, gamma), sklearn_rbf_kernel(X, gamma=gamma),
                               rtol=RTOL, atol=0)
    np.testing.assert_allclose(svm.rbf_kernel(X, gamma, Z=Z),
                               sklearn_rbf_kernel(Z, X, gamma=gamma), rtol=RTOL, atol=0)


@pytest.mark.parametrize("d", [2, 12])
def test_rbf_has_no_cancellation_far_from_origin(d):
    # Points 1e4 away from the origin but 1e-2 apart: the plain expansion
    # ||x||^2 + ||z||^2 - 2 x.z loses 4 to 5 digits here (sklearn's does).
    rng = np.random.default_rng(1)
    X = 1e4 + 1e-2 * rng.normal(size=(40, d))
    gamma = 1e3
    expected = np.exp(-gamma * cdist(X, X, "sqeuclidean"))
    np.testing.assert_allclose(svm.rbf_kernel(X, gamma), expected, rtol=RTOL, atol=0)


@pytest.mark.parametrize("case", sorted(RBF_CASES))
def test_rbf_properties(case):
    X, _, gamma = RBF_CASES[case]
    K = svm.rbf_kernel(X, gamma)
    np.testing.assert_array_equal(np.diag(K), 1.0)
    assert np.all((K >= 0) & (K <= 1))
    np.testing.assert_allclose(K, K.T, rtol=0, atol=1e-15)
    assert np.linalg.eigvalsh(K).min() >= -1e-9 * np.trace(K)


def test_rbf_duplicates_are_exactly_one():
    X = np.repeat(np.random.default_rng(2).normal(size=(5, 2)), 3, axis=0)
    K = svm.rbf_kernel(X, 2.0)
    same = np.equal.outer(np.arange(15) // 3, np.arange(15) // 3)
    np.testing.assert_array_equal(K[same], 1.0)


def test_rbf_cross_kernel_with_more_queries_than_points():
    rng = np.random.default_rng(3)
    X, Z = rng.normal(size=(150, 2)), rng.normal(size=(131, 2))
    np.testing.assert_allclose(svm.rbf_kernel(X, 0.3, Z=Z), sklearn_rbf_kernel(Z, X, gamma=0.3),
                               rtol=RTOL, atol=0)


# ---- kernel_construction ---------------------------------------------------------

def test_kernel_construction_equals_explicit_gram():
    rng = np.random.default_rng(4)
    X, Z = rng.normal(size=(25, 2)), rng.normal(size=(9, 2))
    phi_X = np.stack([poly_phi(x) for x in X])  # (N, 5)
    phi_Z = np.stack([poly_phi(z) for z in Z])  # (M, 5)
    K = svm.kernel_construction(X, poly_phi)
    np.testing.assert_allclose(K, phi_X @ phi_X.T, rtol=RTOL, atol=1e-14)
    np.testing.assert_array_equal(K, K.T)
    assert np.linalg.eigvalsh(K).min() >= -1e-9 * np.trace(K)
    np.testing.assert_allclose(svm.kernel_construction(X, poly_phi, Z=Z), phi_Z @ phi_X.T,
                               rtol=RTOL, atol=1e-14)


def test_kernel_construction_accepts_lists():
    K = svm.kernel_construction([[1.0, 2.0], [3.0, 4.0]], lambda x: x)
    np.testing.assert_array_equal(K, [[5.0, 11.0], [11.0, 25.0]])


# ---- precomputed kernels inside SVC ----------------------------------------------

def split_rings():
    X, y = load_rings()
    return X[:200], y[:200], X[200:], y[200:]


def test_precomputed_rbf_predicts_like_sklearn_svc():
    X_train, y_train, X_test, _ = split_rings()
    gamma = 0.8
    reference = SVC(kernel="rbf", gamma=gamma).fit(X_train, y_train)
    model = SVC(kernel="precomputed").fit(svm.rbf_kernel(X_train, gamma), y_train)
    K_test = svm.rbf_kernel(X_train, gamma, Z=X_test)  # (M, N)
    np.testing.assert_array_equal(model.predict(K_test), reference.predict(X_test))
    np.testing.assert_allclose(model.decision_function(K_test),
                               reference.decision_function(X_test), rtol=1e-6, atol=1e-9)


def test_precomputed_linear_kernel_predicts_like_linear_svc():
    X_train, y_train, X_test, _ = split_rings()
    reference = SVC(kernel="linear").fit(X_train, y_train)
    model = SVC(kernel="precomputed").fit(svm.kernel_construction(X_train, lambda x: x), y_train)
    K_test = svm.kernel_construction(X_train, lambda x: x, Z=X_test)
    np.testing.assert_array_equal(model.predict(K_test), reference.predict(X_test))


# ---- feature_construction and the ring data ----------------------------------------

def test_feature_construction_makes_rings_linearly_separable():
    X, y = load_rings()
    assert not strictly_separable(X, y), "the raw data should need a feature map"
    F = svm.feature_construction(X)
    assert F.shape[0] == len(X) and F.ndim == 2
    assert strictly_separable(F, y)
    assert SVC(kernel="linear").fit(F, y).score(F, y) == 1.0


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_feature_map_generalises_to_fresh_samples(seed):
    X, y = load_rings()
    model = SVC(kernel="linear").fit(svm.feature_construction(X), y)
    X_new, y_new = sample_artificial_data(300, seed=seed)
    F_new = svm.feature_construction(X_new)
    assert strictly_separable(F_new, y_new)
    assert model.score(F_new, y_new) == 1.0


@pytest.mark.parametrize("path, n_samples, seed", [(DEFAULT_OUT, 300, 0),
                                                   (FRESH_OUT, FRESH_N_SAMPLES, FRESH_SEED)])
def test_shipped_csv_is_what_the_script_writes(path, n_samples, seed):
    df = pd.read_csv(path)
    assert list(df.columns) == ["x_1", "x_2", "y"]
    assert len(df) == n_samples
    X, y = sample_artificial_data(n_samples, seed=seed)
    np.testing.assert_allclose(df[["x_1", "x_2"]].to_numpy(), np.round(X, DECIMALS),
                               rtol=0, atol=1e-12)
    np.testing.assert_array_equal(df["y"].to_numpy(), y)
    assert abs(int(np.sum(y))) <= 1  # balanced classes


def test_generator_is_seeded():
    a, b, c = (sample_artificial_data(50, seed=s) for s in (7, 7, 8))
    np.testing.assert_array_equal(a[0], b[0])
    assert not np.array_equal(a[0], c[0])


# ---- bad inputs ---------------------------------------------------------------------

X_OK = np.ones((3, 2))
BAD_CALLS = {
    "rbf 1-D X": (lambda: svm.rbf_kernel(np.ones(3), 1.0), "2-D"),
    "rbf 3-D X": (lambda: svm.rbf_kernel(np.ones((2, 2, 2)), 1.0), "2-D"),
    "rbf empty X": (lambda: svm.rbf_kernel(np.ones((0, 2)), 1.0), "at least one row"),
    "rbf NaN X": (lambda: svm.rbf_kernel([[0.0, np.nan]], 1.0), "NaN or infinite"),
    "rbf inf Z": (lambda: svm.rbf_kernel(X_OK, 1.0, Z=[[np.inf, 0.0]]), "NaN or infinite"),
    "rbf text X": (lambda: svm.rbf_kernel([["a", "b"]], 1.0), "numeric"),
    "rbf Z width": (lambda: svm.rbf_kernel(X_OK, 1.0, Z=np.ones((2, 3))), "2 features"),
    "rbf gamma 0": (lambda: svm.rbf_kernel(X_OK, 0.0), "> 0"),
    "rbf gamma < 0": (lambda: svm.rbf_kernel(X_OK, -1.0), "> 0"),
    "rbf gamma nan": (lambda: svm.rbf_kernel(X_OK, np.nan), "> 0"),
    "rbf gamma array": (lambda: svm.rbf_kernel(X_OK, np.array([1.0])), "positive real"),
    "rbf gamma text": (lambda: svm.rbf_kernel(X_OK, "1"), "positive real"),
    "rbf gamma bool": (lambda: svm.rbf_kernel(X_OK, True), "positive real"),
    "kernel 1-D X": (lambda: svm.kernel_construction(np.ones(3), poly_phi), "2-D"),
    "kernel Z width": (lambda: svm.kernel_construction(X_OK, poly_phi, Z=np.ones((1, 3))),
                       "2 features"),
    "kernel phi not callable": (lambda: svm.kernel_construction(X_OK, 3), "callable"),
    "features 1-D X": (lambda: svm.feature_construction(np.ones(4)), "2-D"),
    "features NaN X": (lambda: svm.feature_construction([[np.nan, 1.0]]), "NaN or infinite"),
}


@pytest.mark.parametrize("case", sorted(BAD_CALLS))
def test_bad_inputs_raise_value_error(case):
    call, match = BAD_CALLS[case]
    with pytest.raises(ValueError, match=match):
        call()
