"""Time svm.rbf_kernel against sklearn.metrics.pairwise.rbf_kernel in one run.

Prints the median time of each over interleaved repeats, their ratio (ours
over scikit-learn's) and the largest relative
difference between the two kernels. Run from the repository root:

    python -m bench.svm_bench [--n 2000] [--features 2 64] [--repeats 11]
"""

import argparse
import time

import numpy as np
from sklearn.metrics.pairwise import rbf_kernel as sklearn_rbf_kernel

from bench.machine import describe
from bench.results import record
import svm


def median_seconds(fns, repeats):
    """Median wall time of each function, calling them in turn ``repeats`` times.

    Interleaving spreads any slowdown from other processes over all functions
    alike; one untimed warm-up call each comes first.
    """
    for fn in fns:
        fn()
    times = np.empty((repeats, len(fns)))
    for r in range(repeats):
        for k, fn in enumerate(fns):
            start = time.perf_counter()
            fn()
            times[r, k] = time.perf_counter() - start
    return np.median(times, axis=0)


def compare(n, d, repeats, seed):
    """Benchmark both kernels on ``n`` standard-normal points in ``d`` dimensions.

    Returns (our median seconds, scikit-learn's, largest relative difference).
    """
    X = np.random.default_rng(seed).normal(size=(n, d))
    gamma = 1.0 / d  # scikit-learn's default, so kernel values are spread over (0, 1]
    ours, theirs = median_seconds(
        [lambda: svm.rbf_kernel(X, gamma), lambda: sklearn_rbf_kernel(X, gamma=gamma)], repeats
    )
    K, R = svm.rbf_kernel(X, gamma), sklearn_rbf_kernel(X, gamma=gamma)
    max_rel = float(np.max(np.abs(K - R) / R))
    return ours, theirs, max_rel


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="number of points N")
    parser.add_argument("--features", type=int, nargs="+", default=[2, 64],
                        help="feature counts D")
    parser.add_argument("--repeats", type=int, default=11)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(describe())
    print(f"rbf_kernel on {args.n} x {args.n} points, median of {args.repeats} runs")
    figures = {}
    for d in args.features:
        ours, theirs, max_rel = compare(args.n, d, args.repeats, args.seed)
        print(f"D={d:<4} svm {1e3 * ours:8.1f} ms   sklearn {1e3 * theirs:8.1f} ms   "
              f"ratio {ours / theirs:5.2f}   max rel diff {max_rel:.1e}")
        figures[f"rbf_kernel {args.n} x {args.n}, D={d}: ms (svm, sklearn)"] = \
            [round(1e3 * float(ours), 1), round(1e3 * float(theirs), 1)]
    record("svm_bench", figures)


if __name__ == "__main__":
    main()
