"""Probes for Q3 (``svm.py``)."""

import numpy as np

from . import inputs
from .base import Probe

ARTIFICIAL_DATA = "data/artificial_data.csv"
RBF_GAMMAS = (0.5, 2.0)


def kernel_points():
    """(9, 2) points for the kernel probes."""
    return inputs.rng(20).normal(size=(9, 2))


def load_artificial():
    """The (N, 2) points and (N,) labels of ``data/artificial_data.csv``."""
    table = np.loadtxt(ARTIFICIAL_DATA, delimiter=",", skiprows=1)
    return table[:, :2], table[:, 2]


def features():
    from svm import feature_construction

    x, _ = load_artificial()
    return {"mapped": feature_construction(x)}


def kernel():
    from svm import kernel_construction
    # The notebook's degree-2 map, as the local tests define it (imported here,
    # in the job, because that module imports the submitted svm.py).
    from utilities.localtests.svm import svm_poly_phi

    return {"K": kernel_construction(kernel_points(), svm_poly_phi)}


def rbf():
    from svm import rbf_kernel

    x = kernel_points()
    return {"K": [rbf_kernel(x, gamma) for gamma in RBF_GAMMAS]}


SVM = ("svm.py",)

PROBES = {
    # Graded by a linear SVC on the mapped data, not against the reference's map.
    "svm_features": Probe(features, SVM, stored=False),
    "svm_kernel": Probe(kernel, SVM),
    "svm_rbf": Probe(rbf, SVM),
}
