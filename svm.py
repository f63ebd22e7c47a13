"""Q3: feature maps and kernel matrices for support vector machines (numpy).

The kernels here plug straight into ``sklearn.svm.SVC(kernel="precomputed")``:
fit on ``K(X_train)`` and predict on the cross kernel ``K(X_train, Z=X_test)``.
Dimension letters used below:

    N : number of training points     M : number of query points
    D : number of input features      D' : number of mapped features
"""

import numpy as np

# Up to this many features the squared distances are summed one feature at a
# time from exact differences; above it the Gram-matrix expansion is faster.
_DIRECT_MAX_FEATURES = 5
# Rows per block when filling the RBF kernel: 64 x N float64 values are 1 MiB
# at N = 2,000, so a block stays in a typical L2 cache across its passes.
_BLOCK_ROWS = 64


def _as_points(X, name, n_features=None):
    """Return ``X`` as a finite float64 array of shape (N, D), or raise ValueError."""
    try:
        X = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError) as e:
        raise ValueError(f"{name} must be numeric, got {type(X).__name__}") from e
    if X.ndim != 2:
        raise ValueError(
            f"{name} must be 2-D of shape (n_samples, n_features), got shape {X.shape}; "
            "reshape a single point with x.reshape(1, -1)"
        )
    if X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(f"{name} needs at least one row and one column, got shape {X.shape}")
    if n_features is not None and X.shape[1] != n_features:
        raise ValueError(
            f"{name} must have {n_features} features like X, got {X.shape[1]}"
        )
    if not np.all(np.isfinite(X)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return X


def _map_rows(X, phi, name, n_mapped=None):
    """Apply ``phi`` to each row of ``X`` and return the stacked (N, D') result.

    Assumes ``X`` is already checked. ``n_mapped`` fixes D' when the rows must
    match an earlier mapping (the training points); otherwise the first
    output sets it.
    """
    if not callable(phi):
        raise ValueError(f"phi must be callable, got {type(phi).__name__}")
    mapped = [np.asarray(phi(x), dtype=np.float64) for x in X]
    if n_mapped is None:
        n_mapped = mapped[0].size
    for i, z in enumerate(mapped):
        if z.ndim != 1 or z.size != n_mapped or z.size == 0:
            raise ValueError(
                "phi must return a non-empty 1-D vector of the same length for "
                f"every point: expected shape ({n_mapped},), got {z.shape} for {name}[{i}]"
            )
        if not np.all(np.isfinite(z)):
            raise ValueError(f"phi returned NaN or infinite values for {name}[{i}]")
    return np.stack(mapped)


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
    # BEGIN SOLUTION
    # Lift onto a paraboloid: every circle ||x - c||^2 = r^2 expands to
    # ||x||^2 - 2 c.x + (||c||^2 - r^2) = 0, which is linear in (x, ||x||^2),
    # so classes split by any circle are split by a hyperplane here.
    X = _as_points(X, "X")
    squared_norm = np.einsum("nd,nd->n", X, X)  # (N,)
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
    # BEGIN SOLUTION
    # Each point is mapped once; the train kernel fills the upper triangle and
    # mirrors it, which makes it exactly symmetric.
    X = _as_points(X, "X")
    phi_X = _map_rows(X, phi, "X")  # (N, D')
    n = X.shape[0]
    if Z is not None:
        Z = _as_points(Z, "Z", n_features=X.shape[1])
        phi_Z = _map_rows(Z, phi, "Z", n_mapped=phi_X.shape[1])  # (M, D')
        K = np.empty((Z.shape[0], n))
        for i in range(Z.shape[0]):
            for j in range(n):
                K[i, j] = np.dot(phi_Z[i], phi_X[j])
        return K
    K = np.empty((n, n))
    for i in range(n):
        for j in range(i, n):
            K[i, j] = K[j, i] = np.dot(phi_X[i], phi_X[j])
    return K
    # END SOLUTION


def _check_gamma(gamma):
    """Return ``gamma`` as a float, or raise ValueError unless it is finite and > 0."""
    if np.ndim(gamma) != 0 or isinstance(gamma, (bool, np.bool_, str)):
        raise ValueError(f"gamma must be a positive real number, got {gamma!r}")
    try:
        gamma = float(gamma)
    except (TypeError, ValueError) as e:
        raise ValueError(f"gamma must be a positive real number, got {gamma!r}") from e
    if not np.isfinite(gamma) or gamma <= 0:
        raise ValueError(f"gamma must be finite and > 0, got {gamma}")
    return gamma


def _squared_distances_direct(A, B, out):
    """Write ``||a_i - b_j||^2`` into ``out`` of shape (len(A), len(B)).

    Assumes inputs are already checked. Differences are taken before squaring,
    so there is no cancellation: results are >= 0 and exactly 0 for equal rows.
    """
    diff = np.empty_like(out)
    np.subtract(A[:, 0, None], B[None, :, 0], out=out)
    np.square(out, out=out)
    for d in range(1, A.shape[1]):
        np.subtract(A[:, d, None], B[None, :, d], out=diff)
        np.square(diff, out=diff)
        out += diff


def _gram_to_squared_distances(out, A_sq, B_sq):
    """Turn ``out = A B^T`` into ``||a||^2 + ||b||^2 - 2 a . b``, clipped at 0.

    Assumes inputs are already checked and centred (see ``rbf_kernel``);
    ``A_sq`` and ``B_sq`` are the squared row norms of ``A`` and ``B``.
    """
    out *= -2.0
    out += A_sq[:, None]
    out += B_sq[None, :]
    # Rounding in the expansion can leave tiny negatives where a_i ~ b_j.
    np.maximum(out, 0.0, out=out)


def rbf_kernel(X, gamma, Z=None):
    """Radial basis function kernel ``K[i, j] = exp(-gamma ||x_i - x_j||^2)``.

    Vectorised, with no negative squared distances from rounding; the train
    kernel's diagonal is exactly 1.

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
        Entries in [0, 1].
    """
    # BEGIN SOLUTION
    # Filled in row blocks that fit in cache. With few features the squared
    # distances come from exact differences; with many, from the Gram
    # expansion of points centred on the mean of X (a shift leaves distances
    # unchanged and shrinks the norms whose cancellation costs precision).
    X = _as_points(X, "X")
    gamma = _check_gamma(gamma)
    symmetric = Z is None
    Z = X if symmetric else _as_points(Z, "Z", n_features=X.shape[1])
    direct = X.shape[1] <= _DIRECT_MAX_FEATURES
    K = np.empty((Z.shape[0], X.shape[0]))
    if not direct:
        mean = X.mean(axis=0)
        X = X - mean
        Z = X if symmetric else Z - mean
        X_sq, Z_sq = np.einsum("nd,nd->n", X, X), np.einsum("md,md->m", Z, Z)
        # One large product: BLAS runs it far faster than one call per block.
        np.matmul(Z, X.T, out=K)
    for start in range(0, Z.shape[0], _BLOCK_ROWS):
        rows = slice(start, start + _BLOCK_ROWS)
        block = K[rows]  # (block rows, N) view into K
        if direct:
            _squared_distances_direct(Z[rows], X, block)
        else:
            _gram_to_squared_distances(block, Z_sq[rows], X_sq)
        block *= -gamma
        np.exp(block, out=block)
    if symmetric:
        np.fill_diagonal(K, 1.0)
    return K
    # END SOLUTION
