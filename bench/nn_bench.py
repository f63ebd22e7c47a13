"""Speed of the Q1 NumPy network, alone or against the NN.py of another git revision.

Run from the repository root::

    .venv/bin/python -m bench.nn_bench                        # this NN.py
    .venv/bin/python -m bench.nn_bench --against 923bcf1^     # before/after
    .venv/bin/python -m bench.nn_bench --repeats 1 --iters 3000   # quick look

Prints medians of wall-clock seconds for one 60,000-iteration run of each
of the notebook's two loops (full-batch gradient descent, lr 0.01; mini-batch
with dropout) on the course's 375 training rows, and milliseconds per
full-batch iteration on all 15,480 training rows of the same pipeline
(``get_housing_dataset(n_samples=None)``). With ``--against REV`` the NN.py
of revision REV (923bcf1^ is the last one before the plain rewrite) runs
the same calls in the same process, alternating with this one, so the same
machine load falls on both, and the ratio now / REV is printed. Only the
course's calls are used (``NeuralNet(y, use_dropout, use_adam, lr=...)``
and the two loops), which every revision has. CPU time of this process is printed beside the wall
time because it is less sensitive to other work on a shared machine; quote
both with the load average (printed too).
"""

import argparse
import contextlib
import importlib.util
import io
import os
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np

from NN import NeuralNet
from bench.machine import describe
from bench.results import record
from utilities.utils import get_housing_dataset

ROOT = Path(__file__).resolve().parent.parent


def network_at(revision):
    """The ``NeuralNet`` class of NN.py as committed at ``revision``."""
    shown = subprocess.run(["git", "show", f"{revision}:NN.py"], cwd=ROOT,
                           capture_output=True, text=True)
    if shown.returncode != 0:
        raise ValueError(f"--against expects a git revision that has NN.py, got {revision!r}: "
                         f"{shown.stderr.strip()}")
    with tempfile.TemporaryDirectory(prefix="nn-bench-") as folder:
        path = Path(folder) / "NN_at_revision.py"
        path.write_text(shown.stdout)
        spec = importlib.util.spec_from_file_location("NN_at_revision", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    return module.NeuralNet


def _timed(fn):
    """Run fn(); return (wall seconds, CPU seconds of this process)."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def _run(network, x, y, iters, minibatch):
    """(wall, CPU) seconds of one training run of a fresh ``network(y, ...)``."""
    net = network(y, use_dropout=minibatch, use_adam=False, lr=0.01)
    loop = net.minibatch_gradient_descent if minibatch else net.gradient_descent
    with contextlib.redirect_stdout(io.StringIO()):
        return _timed(lambda: loop(x, y, iter=iters))


def median_times(networks, x, y, iters, repeats, minibatch=False):
    """{label: median (wall, CPU) seconds}, running the networks in turn each repeat."""
    times = {label: [] for label in networks}
    for _ in range(repeats):
        for label, network in networks.items():
            times[label].append(_run(network, x, y, iters, minibatch))
    return {label: np.median(t, axis=0) for label, t in times.items()}


def report(label, unit, scale, medians):
    """Print each network's wall and CPU medians, and now / other for a second network."""
    now = medians["now"]
    for name, (wall, cpu) in medians.items():
        ratio = "" if name == "now" else f"  (now / {name}: wall {now[0] / wall:.2f}x)"
        print(f"{label}: {name} wall {wall * scale:.2f} {unit}, cpu {cpu * scale:.2f} {unit}{ratio}")
    return {name: round(float(wall * scale), 2) for name, (wall, _) in medians.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", metavar="REV", help="git revision whose NN.py to compare with")
    parser.add_argument("--repeats", type=int, default=3, help="runs per figure; medians are printed")
    parser.add_argument("--iters", type=int, default=60000,
                        help="iterations of the course-data runs (the notebook uses 60,000)")
    parser.add_argument("--full-iters", type=int, default=300,
                        help="iterations timed on the full training set")
    args = parser.parse_args()
    networks = {"now": NeuralNet}
    if args.against:
        networks[args.against] = network_at(args.against)
    print(describe())
    print(f"load average before: {os.getloadavg()}")

    figures = {}
    x, y, _, _ = get_housing_dataset()
    for minibatch, loop in ((False, "GD"), (True, "mini-batch GD with dropout")):
        label = f"{args.iters} {loop} iterations on {x.shape[0]} rows"
        medians = median_times(networks, x, y, args.iters, args.repeats, minibatch)
        figures[f"{label}: wall s"] = report(label, "s", 1, medians)

    x, y, _, _ = get_housing_dataset(n_samples=None)
    label = f"per GD iteration on {x.shape[0]} rows"
    medians = median_times(networks, x, y, args.full_iters, args.repeats)
    figures[f"{label}: wall ms"] = report(label, "ms", 1e3 / args.full_iters, medians)
    print(f"load average after: {os.getloadavg()}")
    record("nn_bench", figures)


if __name__ == "__main__":
    main()
