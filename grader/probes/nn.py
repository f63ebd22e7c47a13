"""Probes for Q1 (``NN.py``): one per graded function, plus the training runs.

They call the student's network only the way the course's skeleton defines
it: the constructor's own arguments, ``init_parameters(param=...)``, and
the methods' course signatures (``compute_gradients(y, yh)``,
``update_weights(dLoss)`` with ``dLoss_*`` keys, ``gradient_descent(x, y,
iter=..., local_test=...)``).
"""

import numpy as np

from . import inputs


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


PROBES = {
    "nn_softmax": softmax, "nn_softsign": softsign, "nn_dropout": dropout,
    "nn_cross_entropy": cross_entropy, "nn_forward": forward,
    "nn_gradients": gradients, "nn_update_sgd": update_sgd,
    "nn_update_adam": update_adam, "nn_backward": backward,
    **{f"nn_first_{run}": _first_steps(run) for run in inputs.NN_RUNS},
    **{f"nn_train_{run}": _full_run(run) for run in inputs.NN_RUNS},
}
