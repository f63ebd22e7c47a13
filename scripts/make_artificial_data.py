"""Generate the Q3.2 data: ``data/artificial_data.csv`` and a fresh sample to check a map on.

Class +1 fills a disc of radius 1 around the centre (0.5, -0.25); class -1
fills a ring of radii 1.6 to 2.4 around the same centre, with an empty band
between them. No straight line separates the classes. Because the centre is
off the origin, the squared distance from the origin does not separate them
either (the classes overlap in it); the squared distance from the centre,
or any map that lets a linear model express it, does. This generator ships
only with the instructor's repository: the kit gets the CSV files. Run from
the repository root:

    python -m scripts.make_artificial_data                  # 300 points, seed 0
    python -m scripts.make_artificial_data --n-samples 1000 --seed 123 --out data/artificial_data_fresh.csv
"""

import argparse
from dataclasses import dataclass
from pathlib import Path

import numpy as np

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DEFAULT_OUT = DATA_DIR / "artificial_data.csv"
# The notebook checks that a map separates a sample it was not fitted on.
FRESH_OUT, FRESH_N_SAMPLES, FRESH_SEED = DATA_DIR / "artificial_data_fresh.csv", 1000, 123
# Four decimals keep the file small; rounding moves a point by at most 7e-5,
# far less than the empty band, so the shipped rows keep the guarantee.
DECIMALS = 4


@dataclass(frozen=True)
class Rings:
    """Geometry of the two classes (radii in the units of the features)."""

    centre: tuple = (0.5, -0.25)  # off the origin so that ||x||^2 alone is not enough
    inner_radius: float = 1.0  # class +1: distance from the centre in [0, inner_radius]
    outer_min: float = 1.6  # class -1: distance in [outer_min, outer_max]
    outer_max: float = 2.4


def _sample_annulus(rng, n, r_min, r_max):
    """Draw ``n`` points uniformly over the area of an annulus; return (n, 2)."""
    # Uniform area means r^2 is uniform, hence the square root.
    radius = np.sqrt(rng.uniform(r_min**2, r_max**2, size=n))
    angle = rng.uniform(0.0, 2.0 * np.pi, size=n)
    return np.column_stack((radius * np.cos(angle), radius * np.sin(angle)))


def sample_artificial_data(n_samples=300, seed=0, rings=Rings()):
    """Draw a shuffled sample of the two classes, half of each (+1 takes the odd one).

    Parameters
    ----------
    n_samples : int
        Number of points N, at least 2.
    seed : int
        Seed for ``np.random.default_rng``; equal seeds give equal samples.
    rings : Rings
        Geometry of the classes.

    Returns
    -------
    X : ndarray of shape (N, 2)
        Points ``(x_1, x_2)``.
    y : ndarray of shape (N,)
        Labels in {-1, 1}, int64.
    """
    if int(n_samples) != n_samples or n_samples < 2:
        raise ValueError(f"n_samples must be an integer >= 2, got {n_samples!r}")
    rng = np.random.default_rng(seed)
    n_pos = (n_samples + 1) // 2
    X = np.concatenate((
        _sample_annulus(rng, n_pos, 0.0, rings.inner_radius),
        _sample_annulus(rng, n_samples - n_pos, rings.outer_min, rings.outer_max),
    )) + np.asarray(rings.centre)
    y = np.concatenate((np.ones(n_pos), -np.ones(n_samples - n_pos))).astype(np.int64)
    order = rng.permutation(n_samples)
    return X[order], y[order]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-samples", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    X, y = sample_artificial_data(args.n_samples, args.seed)
    rows = np.column_stack((np.round(X, DECIMALS), y))
    number = f"%.{DECIMALS}f"
    np.savetxt(args.out, rows, delimiter=",", header="x_1,x_2,y", comments="",
               fmt=[number, number, "%d"])
    print(f"wrote {len(y)} rows to {args.out}")


if __name__ == "__main__":
    main()
