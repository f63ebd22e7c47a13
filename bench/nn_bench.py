"""Speed of the Q1 NumPy network against a plain textbook version of the same maths.

Run from the repository root::

    .venv/bin/python -m bench.nn_bench            # full measurement
    .venv/bin/python -m bench.nn_bench --repeats 1 --gd-iters 3000   # quick look

Prints two medians, each beside the textbook figure and their ratio:
seconds for one full-batch gradient-descent run (lr 0.01, no dropout, SGD) on
the course's 375 training rows, and milliseconds per iteration on all
15,480 training rows of the same pipeline (``get_housing_dataset(n_samples=None)``).
Wall-clock time is what a student waits; CPU time of this process is printed
beside it because it is less sensitive to other work on a shared machine. Quote both with the load average (printed too).
On a machine shared with other jobs, OpenBLAS's default of one thread per
core can stall on these small products while its second thread waits for a
core; ``OPENBLAS_NUM_THREADS=1`` before the command shows the single-thread
cost of the same code.
"""

import argparse
import contextlib
import io
import os
import time

import numpy as np

from NN import NeuralNet
from bench.machine import describe
from bench.results import record
from utilities.utils import get_housing_dataset


def textbook_train(parameters, x, y, iters, lr, record_every=1000):
    """Full-batch SGD written the plain way: fresh arrays and numpy reductions.

    Parameters
    ----------
    parameters : dict of ndarray, NeuralNet.parameters layout (updated in place)
    x : ndarray of shape (N, D)
    y : ndarray of shape (N, C), one-hot
    iters, record_every : int
    lr : float

    Returns
    -------
    list of float, the loss at every ``record_every``-th iteration
    """
    p, n, losses = parameters, x.shape[0], []
    for i in range(iters):
        u1 = x @ p["theta1"] + p["b1"]
        o1 = u1 / (1 + np.abs(u1))
        u2 = o1 @ p["theta2"] + p["b2"]
        o2 = u2 / (1 + np.abs(u2))
        u3 = o2 @ p["theta3"] + p["b3"]
        e = np.exp(u3 - np.max(u3, axis=1, keepdims=True))
        o3 = e / np.sum(e, axis=1, keepdims=True)
        if i % record_every == 0:
            losses.append(-np.sum(y * np.log(o3)) / n)
        du3 = (o3 - y) / n
        du2 = (du3 @ p["theta3"].T) * (1 / (1 + np.abs(u2)) ** 2)
        du1 = (du2 @ p["theta2"].T) * (1 / (1 + np.abs(u1)) ** 2)
        grads = {
            "theta3": o2.T @ du3, "b3": np.sum(du3, axis=0),
            "theta2": o1.T @ du2, "b2": np.sum(du2, axis=0),
            "theta1": x.T @ du1, "b1": np.sum(du1, axis=0),
        }
        for k in p:
            p[k] = p[k] - lr * grads[k]
    return losses


def _timed(fn):
    """Run fn(); return (wall seconds, CPU seconds of this process)."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def time_both(x, y, iters, repeats):
    """Median (wall, CPU) seconds of ``iters`` GD iterations for NeuralNet and the textbook.

    The two alternate within each repeat and start from the same initial
    weights, so the figures compare the same computation under the same
    machine load. Also returns the largest relative difference between their
    recorded losses: round-off only, as both compute the same maths.
    """
    ours, plain, drift = [], [], 0.0
    for _ in range(repeats):
        nn = NeuralNet(y, use_dropout=False, use_adam=False, lr=0.01)
        start = {k: v.copy() for k, v in nn.parameters.items()}
        with contextlib.redirect_stdout(io.StringIO()):
            ours.append(_timed(lambda: nn.gradient_descent(x, y, iter=iters)))
        plain_loss = []
        plain.append(_timed(lambda: plain_loss.extend(textbook_train(start, x, y, iters, lr=0.01))))
        drift = max(drift, float(np.max(np.abs(np.subtract(nn.loss, plain_loss)) / plain_loss)))
    return np.median(ours, axis=0), np.median(plain, axis=0), drift


def report(label, unit, scale, ours, plain, drift):
    """Print wall-clock medians with their ratio, CPU-time medians, and the loss drift."""
    for kind, i in (("wall", 0), ("cpu", 1)):
        print(f"{label} [{kind}]: NeuralNet {ours[i] * scale:.2f} {unit}, "
              f"textbook {plain[i] * scale:.2f} {unit}, textbook/NeuralNet = {plain[i] / ours[i]:.2f}x")
    print(f"{label}: largest relative difference of the recorded losses {drift:.1e}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="runs per figure; medians are printed")
    parser.add_argument("--gd-iters", type=int, default=60000,
                        help="iterations of the course-data run (the notebook uses 60,000)")
    parser.add_argument("--full-iters", type=int, default=300,
                        help="iterations timed on the full training set")
    args = parser.parse_args()
    print(describe())
    print(f"load average before: {os.getloadavg()}")

    figures = {}
    x, y, _, _ = get_housing_dataset()
    ours, plain, drift = time_both(x, y, args.gd_iters, args.repeats)
    report(f"{args.gd_iters} GD iterations on {x.shape[0]} rows", "s", 1, ours, plain, drift)
    figures[f"{args.gd_iters} GD iterations, course data: wall s (NeuralNet, textbook)"] = \
        [round(float(ours[0]), 2), round(float(plain[0]), 2)]

    x, y, _, _ = get_housing_dataset(n_samples=None)
    ours, plain, drift = time_both(x, y, args.full_iters, args.repeats)
    report(f"per GD iteration on {x.shape[0]} rows", "ms", 1e3 / args.full_iters, ours, plain, drift)
    figures[f"GD iteration on {x.shape[0]} rows: wall ms (NeuralNet, textbook)"] = \
        [round(float(ours[0]) * 1e3 / args.full_iters, 2),
         round(float(plain[0]) * 1e3 / args.full_iters, 2)]
    print(f"load average after: {os.getloadavg()}")
    record("nn_bench", figures)


if __name__ == "__main__":
    main()
