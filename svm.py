"""Q3: feature maps and kernel matrices for support vector machines (numpy).

The kernels here plug straight into ``sklearn.svm.SVC(kernel="precomputed")``:
fit on ``K(X_train)`` and predict on the cross kernel ``K(X_train, Z=X_test)``.
Dimension letters used below:

    N : number of training points     M : number of query points
    D : number of input features      D' : number of mapped features
"""

import numpy as np

from utilities.validation import as_points, callable_map, positive_number


def feature_construction(X):
    """Map points to new features in which ``data/artificial_data.csv`` is linearly separable.

    ``SVC(kernel="linear")`` fitted on the mapped points must reach 100%
    training accuracy, and the map should also separate new points drawn
    from the same two classes (a rule, not a memorised lookup).

    Parameters
    ----------
    X : array-like of shape (N, D)
        Input points (D = 2 for the artificial data).

    Returns
    -------
    X_mapped : ndarray of shape (N, D')
        The mapped points.
    """
    X = as_points(X, "X")
    # BEGIN SOLUTION
    # Lift onto a paraboloid: every circle ||x - c||^2 = r^2 expands to
    # ||x||^2 - 2 c.x + (||c||^2 - r^2) = 0, which is linear in (x, ||x||^2),
    # so classes split by any circle are split by a hyperplane here.
    squared_norm = np.sum(X ** 2, axis=1)  # (N,)
    return np.column_stack((X, squared_norm))
    # END SOLUTION


def kernel_construction(X, phi, Z=None):
    """Build the kernel ``K[i, j] = phi(x_i) . phi(x_j)`` one entry at a time.

    The explicit double loop is the point of the exercise: it is the cost
    that the kernel trick avoids.

    Parameters
    ----------
    X : array-like of shape (N, D)
        Training points.
    phi : callable
        Maps one point of shape (D,) to a 1-D vector of shape (D',); D' must be
        the same for every point.
    Z : array-like of shape (M, D), optional
        Query points. When given, returns the cross kernel
        ``K[i, j] = phi(z_i) . phi(x_j)`` that ``SVC.predict`` expects.

    Returns
    -------
    K : ndarray of shape (N, N), or (M, N) when ``Z`` is given
    """
    X = as_points(X, "X")
    Z = X if Z is None else as_points(Z, "Z", n_features=X.shape[1])
    phi = callable_map(phi, "phi")
    # BEGIN SOLUTION
    # Map every point once, then take one dot product per entry.
    phi_X = np.array([phi(x) for x in X])  # (N, D')
    phi_Z = np.array([phi(z) for z in Z])  # (M, D')
    K = np.empty((len(Z), len(X)))
    for i in range(len(Z)):
        for j in range(len(X)):
            K[i, j] = np.dot(phi_Z[i], phi_X[j])
    return K
    # END SOLUTION


def rbf_kernel(X, gamma, Z=None):
    """Radial basis function kernel ``K[i, j] = exp(-gamma ||x_i - x_j||^2)``.

    Parameters
    ----------
    X : array-like of shape (N, D)
        Training points.
    gamma : float
        Kernel width parameter, > 0.
    Z : array-like of shape (M, D), optional
        Query points. When given, returns the cross kernel
        ``K[i, j] = exp(-gamma ||z_i - x_j||^2)`` that ``SVC.predict`` expects.

    Returns
    -------
    K : ndarray of shape (N, N), or (M, N) when ``Z`` is given
        Entries in [0, 1]; exactly 1 where two points are equal.
    """
    X = as_points(X, "X")
    Z = X if Z is None else as_points(Z, "Z", n_features=X.shape[1])
    gamma = positive_number(gamma, "gamma")
    # BEGIN SOLUTION
    # One row of K per query point. Subtracting before squaring keeps the
    # distances exact (no cancellation far from the origin), so equal points
    # get exactly 1.
    K = np.empty((len(Z), len(X)))
    for i, z in enumerate(Z):
        K[i] = np.exp(-gamma * np.sum((X - z) ** 2, axis=1))
    return K
    # END SOLUTION
