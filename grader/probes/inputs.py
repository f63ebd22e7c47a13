"""Fixed inputs shared by the probes (child side) and the checks (parent side).

Every array comes from its own seeded generator, so both processes build the
same values without passing them around.
"""

import numpy as np

DROPOUT_PROB = 0.3
# The grader trains for fewer iterations than the notebook's 60,000 so that the
# four Q1 runs fit Gradescope's time budget; the expected trajectories come
# from the reference trained for the same count, and the course's CE bars are
# already met well before this point.
TRAIN_ITERATIONS = 10000
# The course's loops record the loss every 1000 iterations. The grader trains
# with local_test=True, which records every iteration, and keeps every 1000th
# for the trajectory (see checks_q1.summarise_run).
COURSE_RECORD_EVERY = 1000
# The course's layer widths [D, H1, H2, C]; the graded network is built with them.
NN_DIMENSIONS = (8, 15, 7, 3)
# Q1 runs as configured in the course notebook's cells (1.2.1, 1.3, 1.4, 1.5).
NN_RUNS = {
    "gd": dict(lr=0.01, use_dropout=False, use_adam=False, minibatch=False),
    "mbgd": dict(lr=0.01, use_dropout=True, use_adam=False, minibatch=True),
    "gd_adam": dict(lr=1e-4, use_dropout=True, use_adam=True, minibatch=False),
    "mbgd_adam": dict(lr=1e-4, use_dropout=True, use_adam=True, minibatch=True),
}


def rng(seed):
    """A fresh generator; one seed per input keeps inputs independent of call order."""
    return np.random.default_rng(seed)


def logits():
    """(6, 3) moderate logits and (2, 3) logits of magnitude 1e4."""
    big = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4 + 1.0, -1e4 + 2.0]])
    return rng(1).normal(scale=2.0, size=(6, 3)), big


def activations():
    """(5, 7) values spanning both signs, including exact zeros."""
    a = rng(2).normal(scale=3.0, size=(5, 7))
    a[0, :3] = 0.0
    return a


def dropout_input():
    """(200, 100) strictly positive values, so a dropped unit is exactly 0."""
    return rng(3).uniform(0.5, 2.0, size=(200, 100))


def cross_entropy_pair():
    """One-hot (8, 3) labels, their predicted probabilities, and a copy with zeros."""
    r = rng(4)
    y = np.eye(3)[r.integers(0, 3, size=8)]
    yh = r.dirichlet(np.ones(3), size=8)
    yh_zero = yh.copy()
    yh_zero[0] = [1.0, 0.0, 0.0] if y[0, 0] == 0 else [0.0, 1.0, 0.0]
    return y, yh, yh_zero


def batch(n=6, d=8, c=3):
    """A small (n, d) input batch with one-hot (n, c) labels."""
    r = rng(5)
    return r.normal(size=(n, d)), np.eye(c)[np.arange(n) % c]


def _parameter_shapes():
    """``{name: shape}`` of the course network's parameters, theta1 (8, 15) ... b3 (3,)."""
    d = NN_DIMENSIONS
    shapes = {}
    for layer in range(1, len(d)):
        shapes[f"theta{layer}"] = (d[layer - 1], d[layer])
        shapes[f"b{layer}"] = (d[layer],)
    return shapes


def network_parameters(seed=6):
    """Fixed parameter values for the course network (biases non-zero on purpose)."""
    r = rng(seed)
    return {k: r.normal(scale=0.5, size=shape) for k, shape in _parameter_shapes().items()}


def gradients(seed):
    """Fixed gradients keyed ``dLoss_theta1`` ... as ``compute_gradients`` returns them.

    Every value is at least 0.3 in magnitude. Adam's ε = 1e-8 then changes a
    step by under 1e-7 of itself, so writing sqrt(V̂ + ε), as the course does,
    or sqrt(V̂) + ε, as some course submissions do, gives the same parameters
    within the comparison's tolerance.
    """
    r = rng(seed)
    return {f"dLoss_{k}": r.choice([-1.0, 1.0], size=shape) * r.uniform(0.3, 1.0, size=shape)
            for k, shape in _parameter_shapes().items()}


class ForcedDropout:
    """Deterministic stand-in for ``NeuralNet._dropout``.

    Installed on the student's instance so that checks of forward,
    compute_gradients and the first training steps do not depend on how the
    student draws random numbers. Masks come from one seeded stream.
    """

    def __init__(self, seed=7):
        self._rng = rng(seed)

    def __call__(self, u, prob):
        mask = (self._rng.random(np.shape(u)) >= prob).astype(float)
        kept = np.multiply(u, mask)
        return kept / (1.0 - prob), mask
