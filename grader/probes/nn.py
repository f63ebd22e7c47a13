"""Probes for Q1 (``NN.py``): one per graded function, plus the training runs.

They call the student's network only the way the course's skeleton defines
it: the constructor's own arguments, ``init_parameters(param=...)``, and
the methods' course signatures (``compute_gradients(y, yh)``,
``update_weights(dLoss)`` with ``dLoss_*`` keys, ``gradient_descent(x, y,
iter=..., local_test=...)``).
"""

import functools

import numpy as np

from . import inputs
from .base import Probe, as_array


def _net(use_dropout=False, use_adam=False, lr=0.01, **kw):
    from NN import NeuralNet

    y = np.eye(3)[np.arange(12) % 3]
    return NeuralNet(y, use_dropout=use_dropout, use_adam=use_adam, lr=lr, **kw)


def _fixed_net(**kw):
    net = _net(**kw)
    net.init_parameters(param=inputs.network_parameters())
    return net


def softmax():
    u, big = inputs.logits()
    net = _net()
    return {"u": net.softmax(u), "big": net.softmax(big)}


def softsign():
    a = inputs.activations()
    net = _net()
    return {"s": net.softsign(a.copy()), "d": net.derivative_softsign(a.copy())}


def dropout():
    u = inputs.dropout_input()
    net = _net(use_dropout=True)
    out, mask = net._dropout(u.copy(), inputs.DROPOUT_PROB)
    out0, mask0 = net._dropout(u.copy(), 0.0)
    return {"out": out, "mask": mask, "out0": out0}


def cross_entropy():
    y, yh, yh_zero = inputs.cross_entropy_pair()
    net = _net()
    return {"ce": net.cross_entropy_loss(y, yh), "ce_zero": net.cross_entropy_loss(y, yh_zero)}


def forward():
    x, _ = inputs.batch()
    net = _fixed_net(use_dropout=True, dropout_prob=inputs.DROPOUT_PROB)
    plain = net.forward(x, use_dropout=False)
    net._dropout = inputs.ForcedDropout()
    dropped = net.forward(x, use_dropout=True)
    return {"o3": plain, "o3_dropout": dropped}


def gradients():
    x, y = inputs.batch()
    net = _fixed_net(use_dropout=False)
    plain = net.compute_gradients(y, net.forward(x, use_dropout=False))
    net = _fixed_net(use_dropout=True, dropout_prob=inputs.DROPOUT_PROB)
    net._dropout = inputs.ForcedDropout()
    dropped = net.compute_gradients(y, net.forward(x, use_dropout=True))
    return {"plain": plain, "dropout": dropped}


def update_sgd():
    net = _fixed_net(lr=0.05)
    net.update_weights(inputs.gradients(8))
    return net.parameters


def update_adam():
    net = _fixed_net(use_adam=True, lr=0.05)
    steps = []
    for seed in (8, 9, 10):
        net.update_weights(inputs.gradients(seed))
        steps.append({k: np.copy(v) for k, v in net.parameters.items()})
    return steps


def backward():
    x, y = inputs.batch()
    net = _fixed_net(lr=0.05)
    net.backward(y, net.forward(x, use_dropout=False))
    return {"parameters": net.parameters}


def _train(run, iterations, local_test, forced_dropout):
    from utilities.utils import get_housing_dataset

    cfg = dict(inputs.NN_RUNS[run])
    minibatch = cfg.pop("minibatch")
    x_train, y_train, x_test, _ = get_housing_dataset()
    net = _net(**cfg)
    if forced_dropout:
        net._dropout = inputs.ForcedDropout()
    loop = net.minibatch_gradient_descent if minibatch else net.gradient_descent
    loop(x_train, y_train, iter=iterations, local_test=local_test)
    return net, x_test


def _first_steps(run):
    def probe():
        net, _ = _train(run, 3, local_test=True, forced_dropout=True)
        return {"loss": net.loss}
    return probe


def _full_run(run):
    # local_test=True records every iteration's loss, so the checks can see a
    # full-batch run oscillate between the course's records every 1000.
    def probe():
        net, x_test = _train(run, inputs.TRAIN_ITERATIONS, local_test=True, forced_dropout=False)
        return {"loss": net.loss, "yh_test": net.forward(x_test, use_dropout=False)}
    return probe


@functools.lru_cache(maxsize=1)
def test_labels():
    """One-hot housing test labels, read by the parent from the repository's data."""
    from utilities.utils import get_housing_dataset

    return get_housing_dataset()[3]


def summarise_run(value):
    """Loss trajectory, largest rise, test CE and confusion diagonal of a full run's output.

    Runs in the parent, on the raw output of a ``_full_run`` probe. The probe
    trains with ``local_test=True``, so the loss of every iteration is
    recorded; the trajectory keeps every 1000th, the course's record, and
    ``rise`` is the largest increase between two consecutive iterations.
    Anything invalid is summarised as None, which the checks report.
    """
    loss, yh, y_test = as_array(value["loss"]), as_array(value["yh_test"]), test_labels()
    summary = {"loss": None, "rise": None, "ce": None, "diag": None}
    if loss is not None and loss.size >= 2 and np.all(np.isfinite(loss)):
        loss = loss.ravel()
        every = inputs.COURSE_RECORD_EVERY if loss.size == inputs.TRAIN_ITERATIONS else 1
        summary["loss"] = loss[::every].tolist()
        summary["rise"] = float(np.max(np.diff(loss), initial=0.0))
    if yh is None or yh.shape != y_test.shape or not np.all(np.isfinite(yh)):
        return summary
    if np.any(yh < 0) or not np.allclose(yh.sum(axis=1), 1, rtol=0, atol=1e-6):
        return summary
    summary["ce"] = float(-np.mean(np.sum(y_test * np.log(np.maximum(yh, 1e-300)), axis=1)))
    truth, pred = y_test.argmax(axis=1), yh.argmax(axis=1)
    summary["diag"] = [float(np.mean(pred[truth == c] == c)) for c in range(y_test.shape[1])]
    return summary


NN = ("NN.py",)
# A 10,000-iteration run on the course data.
TRAINING_TIMEOUT_S = 600

PROBES = {
    "nn_softmax": Probe(softmax, NN),
    "nn_softsign": Probe(softsign, NN),
    # Any valid random mask passes: checked by its properties, nothing stored.
    "nn_dropout": Probe(dropout, NN, stored=False),
    "nn_cross_entropy": Probe(cross_entropy, NN),
    "nn_forward": Probe(forward, NN),
    "nn_gradients": Probe(gradients, NN),
    "nn_update_sgd": Probe(update_sgd, NN),
    "nn_update_adam": Probe(update_adam, NN),
    "nn_backward": Probe(backward, NN),
    **{f"nn_first_{run}": Probe(_first_steps(run), NN) for run in inputs.NN_RUNS},
    **{f"nn_train_{run}": Probe(_full_run(run), NN, timeout_s=TRAINING_TIMEOUT_S,
                                summary=summarise_run, labels=test_labels)
       for run in inputs.NN_RUNS},
}
