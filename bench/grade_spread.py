"""Do the Q1 training verdicts depend on the BLAS kernel or thread count that computes them?

Run from the repository root::

    .venv/bin/python -m bench.grade_spread                       # every NN fixture
    .venv/bin/python -m bench.grade_spread --submissions reference gradients_not_averaged

For the reference NN.py and each NN.py mutant in tests/grader_fixtures, runs
the grader's Q1 training probes (four 10,000-iteration runs and their first
three steps) in a child process per setting: OpenBLAS's own kernel choice for
this CPU, the AVX2 (``Haswell``) and AVX (``Sandybridge``) kernels that AVX2-only
CPUs and older laptops use, and one thread instead of one per core. It prints
each part's verdict per setting and lists every part whose verdict differs
(none should). About 30 s per submission and setting on a 2-core CPU.
"""

import argparse
import contextlib
import io
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.machine import describe

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = {
    "own kernel": {},
    "Haswell": {"OPENBLAS_CORETYPE": "Haswell"},
    "Sandybridge": {"OPENBLAS_CORETYPE": "Sandybridge"},
    "1 thread": {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"},
}


def nn_source(name):
    """The text of NN.py for ``reference`` or for the mutant called ``name``."""
    from tests.grader_fixtures.mutants import MUTANTS, apply

    text = (ROOT / "NN.py").read_text()
    if name == "reference":
        return text
    return apply(next(m for m in MUTANTS if m.name == name), text)


def verdicts(name):
    """{item: [verdict of each part]} for the Q1 training items of submission ``name``."""
    from grader import expected as expected_values
    from grader import table
    from grader.probes import inputs
    from grader.probes import nn as probes

    jobs = {}
    with tempfile.TemporaryDirectory(prefix="grade-spread-") as folder, \
            contextlib.redirect_stdout(io.StringIO()):
        (Path(folder) / "NN.py").write_text(nn_source(name))
        sys.path.insert(0, folder)
        for run in inputs.NN_RUNS:
            for job in (f"nn_train_{run}", f"nn_first_{run}"):
                jobs[job] = probes.PROBES[job].run()
    expected = expected_values.load()

    class Context:
        def job(self, job):
            return jobs[job]

        def expected(self, job):
            return expected["jobs"][job]

        def summary(self, job):
            return probes.PROBES[job].summary(jobs[job])

    return {n: [bool(ok) for ok, _ in table.item(n).check(Context())] for n in table.NN_TRAINING}


def run_child(name, env):
    done = subprocess.run([sys.executable, "-m", "bench.grade_spread", "--child", name],
                          cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True,
                          check=True)
    return json.loads(done.stdout.splitlines()[-1])


def main():
    from tests.grader_fixtures.mutants import MUTANTS

    names = ["reference"] + [m.name for m in MUTANTS if m.file == "NN.py"]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", nargs="+", choices=names, default=names)
    parser.add_argument("--child", choices=names, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(verdicts(args.child)))
        return
    print(describe())
    differing = []
    for name in args.submissions:
        results = {label: run_child(name, env) for label, env in SETTINGS.items()}
        first = next(iter(results.values()))
        for item in first:
            row = {label: results[label][item] for label in results}
            same = all(v == first[item] for v in row.values())
            print(f"{name:34s} {item:7s} " + "  ".join(
                f"{label}: {''.join('P' if ok else '-' for ok in v)}" for label, v in row.items())
                + ("" if same else "   <- differs"))
            if not same:
                differing.append(f"{name} {item}")
    print(f"parts whose verdict depends on the setting: {differing or 'none'}")


if __name__ == "__main__":
    main()
