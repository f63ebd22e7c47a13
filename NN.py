"""Q1: a NumPy neural network with two Softsign hidden layers and a softmax output.

The network, written row-major (one sample per row)::

    u1 = x θ1 + b1      o1 = dropout(softsign(u1), p)
    u2 = o1 θ2 + b2     o2 = softsign(u2)
    u3 = o2 θ3 + b3     o3 = softmax(u3)
    loss = cross_entropy(y, o3)

Dimension letters used in the docstrings:

    N : samples (rows)          D : input features (8)
    H1, H2 : hidden units (15, 7)
    C : classes (3)

The constructor, ``init_parameters`` and ``predict`` are given by the course;
the other methods are the exercise. Train with full-batch
``gradient_descent`` or ``minibatch_gradient_descent``, with plain gradient
steps or Adam, e.g.::

    nn = NeuralNet(y_train, lr=0.01, use_dropout=False, use_adam=False)
    nn.gradient_descent(x_train, y_train, iter=60000)
    nn.predict(x_test)
"""

import numpy as np


class NeuralNet:
    """Two-hidden-layer classifier trained by (mini-batch) gradient descent.

    Parameters
    ----------
    y : ndarray of shape (N, C)
        Training labels; only ``y.shape`` is read here.
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

    Attributes
    ----------
    dimensions : list of int
        Layer widths [D, H1, H2, C] = [8, 15, 7, 3].
    parameters : dict of ndarray
        ``theta1`` (D, H1), ``b1`` (H1,), ``theta2`` (H1, H2), ``b2`` (H2,),
        ``theta3`` (H2, C), ``b3`` (C,).
    cache : dict
        Filled by ``forward``: ``X`` (N, D), ``u1``, ``o1``, ``mask`` (N, H1;
        None without dropout), ``u2``, ``o2`` (N, H2), ``u3``, ``o3`` (N, C).
    loss : list of float
        Training losses recorded by the training loops.
    batch_y : list of ndarray
        Label batches of the recorded mini-batch iterations.
    first_moment, second_moment : dict of ndarray
        Adam's moment estimates, keyed like ``parameters``.
    t : int
        Adam's step counter, used in the bias correction of the next update.
    """

    def __init__(self, y, use_dropout, use_adam, lr=0.01, batch_size=64, dropout_prob=0.3):
        self.y = y
        self.y_hat = np.zeros((self.y.shape[0], 3))
        self.dimensions = [8, 15, 7, 3]
        self.eps = 1e-8

        self.use_dropout = use_dropout
        self.dropout_prob = dropout_prob

        self.parameters = {}
        self.cache = {}
        self.loss = []
        self.batch_y = []
        self.batch_size = batch_size
        self.learning_rate = lr
        self.sample_count = self.y.shape[0]

        self.use_adam = use_adam
        self.t = 1
        self.beta1 = 0.9
        self.beta2 = 0.999
        self.first_moment = {}
        self.second_moment = {}

        self.init_parameters()

    def init_parameters(self, param=None):
        """Set the weights and reset Adam's moments to zero.

        Without ``param``, seeds NumPy's global generator with 0 and draws
        θ ~ randn(n_in, n_out) / sqrt(n_in) layer by layer, with zero biases.

        Parameters
        ----------
        param : dict of ndarray, optional
            Parameters to use instead, keyed and shaped like ``self.parameters``.
        """
        if param is None:
            np.random.seed(0)
            d = self.dimensions
            for layer in range(1, len(d)):
                n_in, n_out = d[layer - 1], d[layer]
                self.parameters[f"theta{layer}"] = np.random.randn(n_in, n_out) / np.sqrt(n_in)
                self.parameters[f"b{layer}"] = np.zeros(n_out)
        else:
            self.parameters = dict(param)
        for name, value in self.parameters.items():
            self.first_moment[name] = np.zeros_like(value)
            self.second_moment[name] = np.zeros_like(value)

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
        e = np.exp(u - u.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)
        # END SOLUTION

    def softsign(self, u):
        """Softsign activation u / (1 + |u|), elementwise; any shape."""
        # BEGIN SOLUTION
        return u / (1 + np.abs(u))
        # END SOLUTION

    def derivative_softsign(self, x):
        """Derivative of softsign, 1 / (1 + |x|)^2, elementwise; any shape."""
        # BEGIN SOLUTION
        return 1 / (1 + np.abs(x)) ** 2
        # END SOLUTION

    @staticmethod
    def _dropout(u, prob):
        """Zero each unit with probability ``prob`` and rescale the survivors.

        The mask is drawn from NumPy's global generator as
        ``np.random.choice([0, 1], size=u.shape, p=[prob, 1 - prob])``.
        Dividing by (1 - prob) keeps the expected value of every unit equal
        to its value without dropout, so nothing changes at test time.

        Parameters
        ----------
        u : ndarray of shape (N, H)
        prob : float in [0, 1)

        Returns
        -------
        u_after_dropout : ndarray of shape (N, H), u * mask / (1 - prob)
        mask : ndarray of shape (N, H), 1 where the unit is kept, else 0
        """
        # BEGIN SOLUTION
        mask = np.random.choice([0, 1], size=u.shape, p=[prob, 1 - prob])
        return u * mask / (1 - prob), mask
        # END SOLUTION

    def cross_entropy_loss(self, y, y_hat):
        """Mean cross-entropy -(1/N) Σ y · log(y_hat).

        Parameters
        ----------
        y : ndarray of shape (N, C), one-hot labels
        y_hat : ndarray of shape (N, C), predicted probabilities

        Returns
        -------
        float
        """
        _check_same_shape(y, y_hat)
        # BEGIN SOLUTION
        # A probability of exactly 0 would give log(0) = -inf and 0 * -inf =
        # nan; flooring at the smallest positive float keeps the loss finite
        # and leaves every other term unchanged.
        log_y_hat = np.log(np.maximum(y_hat, np.finfo(float).tiny))
        return float(-np.sum(y * log_y_hat) / y.shape[0])
        # END SOLUTION

    def forward(self, x, use_dropout):
        """Run the network on ``x`` and fill ``self.cache``.

        Parameters
        ----------
        x : ndarray of shape (N, D)
        use_dropout : bool
            Apply dropout (probability ``self.dropout_prob``) to ``o1``.

        Returns
        -------
        o3 : ndarray of shape (N, C), class probabilities
        """
        _check_features(x, self.parameters["theta1"].shape[0])
        if use_dropout and not 0 <= self.dropout_prob < 1:
            raise ValueError(f"dropout_prob must be in [0, 1), got {self.dropout_prob}")
        # BEGIN SOLUTION
        u1 = x @ self.parameters["theta1"] + self.parameters["b1"]
        o1 = self.softsign(u1)
        mask = None
        if use_dropout:
            o1, mask = self._dropout(o1, self.dropout_prob)
        u2 = o1 @ self.parameters["theta2"] + self.parameters["b2"]
        o2 = self.softsign(u2)
        u3 = o2 @ self.parameters["theta3"] + self.parameters["b3"]
        o3 = self.softmax(u3)
        self.cache = {"X": x, "u1": u1, "o1": o1, "mask": mask,
                      "u2": u2, "o2": o2, "u3": u3, "o3": o3}
        return o3
        # END SOLUTION

    def compute_gradients(self, y, yh):
        """Backpropagate the mean cross-entropy through the cached forward pass.

        Dropout is accounted for when ``self.use_dropout`` is set; the forward
        pass must then have used it too.

        Parameters
        ----------
        y : ndarray of shape (N, C), one-hot labels
        yh : ndarray of shape (N, C), the ``forward`` output for the same rows

        Returns
        -------
        dLoss : dict of ndarray
            ``dLoss_theta1`` (D, H1), ``dLoss_b1`` (H1,), ... ``dLoss_b3`` (C,).
        """
        _check_same_shape(y, yh)
        _check_cache(self.cache, yh, self.use_dropout)
        # BEGIN SOLUTION
        p, c = self.parameters, self.cache
        # Softmax followed by cross-entropy has the gradient o3 - y; dividing
        # here, once, makes every gradient below an average over the N rows.
        dLoss_u3 = (yh - y) / y.shape[0]  # (N, C)
        dLoss_o2 = dLoss_u3 @ p["theta3"].T  # (N, H2)
        dLoss_u2 = dLoss_o2 * self.derivative_softsign(c["u2"])
        dLoss_o1 = dLoss_u2 @ p["theta2"].T  # (N, H1)
        dLoss_u1 = dLoss_o1 * self.derivative_softsign(c["u1"])
        if self.use_dropout:
            # A dropped unit passed nothing forward, so it gets no gradient;
            # a kept one was scaled by 1 / (1 - p) on the way forward.
            dLoss_u1 = dLoss_u1 * c["mask"] / (1 - self.dropout_prob)
        return {
            "dLoss_theta1": c["X"].T @ dLoss_u1, "dLoss_b1": dLoss_u1.sum(axis=0),
            "dLoss_theta2": c["o1"].T @ dLoss_u2, "dLoss_b2": dLoss_u2.sum(axis=0),
            "dLoss_theta3": c["o2"].T @ dLoss_u3, "dLoss_b3": dLoss_u3.sum(axis=0),
        }
        # END SOLUTION

    def update_weights(self, dLoss):
        """Take one step against the gradients, in place.

        Plain steps: θ -= lr · g. Adam (``self.use_adam``), for each parameter,
        with t counting update calls from 1::

            M = β1 M + (1 - β1) g        M̂ = M / (1 - β1^t)
            V = β2 V + (1 - β2) g²       V̂ = V / (1 - β2^t)
            θ -= lr · M̂ / sqrt(V̂ + ε)

        Parameters
        ----------
        dLoss : dict of ndarray
            Gradients keyed ``dLoss_theta1`` ... (as ``compute_gradients``
            returns them) or ``theta1`` ... (as ``self.parameters``).
        """
        gradients = _gradients_by_parameter(dLoss, self.parameters)
        # BEGIN SOLUTION
        for name, g in gradients.items():
            if self.use_adam:
                self.first_moment[name] = (self.beta1 * self.first_moment[name]
                                           + (1 - self.beta1) * g)
                self.second_moment[name] = (self.beta2 * self.second_moment[name]
                                            + (1 - self.beta2) * g ** 2)
                m_hat = self.first_moment[name] / (1 - self.beta1 ** self.t)
                v_hat = self.second_moment[name] / (1 - self.beta2 ** self.t)
                step = m_hat / np.sqrt(v_hat + self.eps)
            else:
                step = g
            self.parameters[name] = self.parameters[name] - self.learning_rate * step
        if self.use_adam:
            self.t += 1
        # END SOLUTION

    def backward(self, y, yh):
        """Compute the gradients and update the weights; returns the gradients.

        Parameters
        ----------
        y : ndarray of shape (N, C), one-hot labels
        yh : ndarray of shape (N, C), the ``forward`` output for the same rows

        Returns
        -------
        dLoss : dict of ndarray, as ``compute_gradients`` returns it
        """
        # BEGIN SOLUTION
        dLoss = self.compute_gradients(y, yh)
        self.update_weights(dLoss)
        return dLoss
        # END SOLUTION

    def gradient_descent(self, x, y, iter=60000, local_test=False):
        """Train on all rows at every step.

        At iterations 0, 1000, 2000, ... (every iteration when ``local_test``)
        the loss of that iteration's forward pass is appended to ``self.loss``
        and printed as ``Loss after iteration i: <loss>``.

        Parameters
        ----------
        x : ndarray of shape (N, D)
        y : ndarray of shape (N, C), one-hot
        iter : int, default=60000
            Number of steps.
        local_test : bool, default=False
            Record every iteration, for the short local tests.
        """
        _check_training_data(x, y, self.parameters)
        # BEGIN SOLUTION
        record_every = 1 if local_test else 1000
        for i in range(iter):
            yh = self.forward(x, self.use_dropout)
            if i % record_every == 0:
                loss = self.cross_entropy_loss(y, yh)
                self.loss.append(loss)
                print("Loss after iteration %i: %f" % (i, loss))
            self.backward(y, yh)
        # END SOLUTION

    def minibatch_gradient_descent(self, x, y, iter=60000, local_test=False):
        """Train on ``batch_size`` consecutive rows per step.

        Step i uses rows [(i·B) mod N, (i·B) mod N + B), wrapping past the last
        row to the first, so the data is swept in order. Losses are recorded
        and printed as in ``gradient_descent``, using the batch loss; the
        labels of each recorded batch are appended to ``self.batch_y``.

        Parameters
        ----------
        x : ndarray of shape (N, D)
        y : ndarray of shape (N, C), one-hot
        iter : int, default=60000
        local_test : bool, default=False
        """
        _check_training_data(x, y, self.parameters)
        # BEGIN SOLUTION
        record_every = 1 if local_test else 1000
        n = x.shape[0]
        for i in range(iter):
            start = (i * self.batch_size) % n
            rows = np.arange(start, start + self.batch_size) % n
            x_batch, y_batch = x[rows], y[rows]
            yh = self.forward(x_batch, self.use_dropout)
            if i % record_every == 0:
                loss = self.cross_entropy_loss(y_batch, yh)
                self.loss.append(loss)
                self.batch_y.append(y_batch)
                print("Loss after iteration %i: %f" % (i, loss))
            self.backward(y_batch, yh)
        # END SOLUTION

    def predict(self, x):
        """Most probable class of each row, without dropout.

        Parameters
        ----------
        x : ndarray of shape (N, D)

        Returns
        -------
        ndarray of shape (N,), int class indices
        """
        yh = self.forward(x, False)
        return np.argmax(yh, axis=1)


def _check_same_shape(y, yh):
    if np.shape(y) != np.shape(yh):
        raise ValueError(f"y and yh must have the same shape (N, C), got {np.shape(y)} and "
                         f"{np.shape(yh)}; pass the labels of the rows you ran forward on.")


def _check_features(x, n_features):
    if np.ndim(x) != 2 or np.shape(x)[1] != n_features:
        raise ValueError(
            f"x must have shape (N, {n_features}) to match theta1, got {np.shape(x)}; "
            "pass a 2-D array with one sample per row (x.reshape(1, -1) for one sample)."
        )


def _check_cache(cache, yh, use_dropout):
    if "u1" not in cache or cache["u1"].shape[0] != np.shape(yh)[0]:
        raise ValueError("compute_gradients needs the cache of a forward pass on the same "
                         f"{np.shape(yh)[0]} rows; call forward(x, use_dropout) first.")
    if use_dropout and cache.get("mask") is None:
        raise ValueError("self.use_dropout is True but the last forward pass ran without "
                         "dropout; call forward(x, use_dropout=True) first.")


def _check_training_data(x, y, parameters):
    _check_features(x, parameters["theta1"].shape[0])
    n_classes = parameters["theta3"].shape[1]
    if np.ndim(y) != 2 or np.shape(y) != (np.shape(x)[0], n_classes):
        raise ValueError(f"y must have shape (N, {n_classes}) with the N rows of x; got x "
                         f"{np.shape(x)} and y {np.shape(y)}")
    if not np.all((y == 0) | (y == 1)) or not np.all(y.sum(axis=1) == 1):
        raise ValueError("y must be one-hot, one 1 per row; encode integer labels with "
                         f"np.eye({n_classes})[labels].")


def _gradients_by_parameter(dLoss, parameters):
    """``{parameter name: gradient}`` from gradients keyed either way."""
    gradients = {}
    for name in parameters:
        for key in (f"dLoss_{name}", name):
            if key in dLoss:
                gradients[name] = dLoss[key]
                break
        else:
            raise ValueError(f"dLoss has no gradient for {name!r}: expected a key "
                             f"'dLoss_{name}' or '{name}', got {sorted(dLoss)}")
    return gradients
