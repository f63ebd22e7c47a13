"""Build the shipped brain-MRI arrays, data/mri/brain_mri_84.npz, from the raw Kaggle images.

Run from the repository root:

    .venv/bin/python scripts/build_mri_data.py --raw ../shared/data/mri/raw
    .venv/bin/python scripts/build_mri_data.py --crop head --out /tmp/brain_mri_84_head.npz

The preprocessing is ``utilities.mri_preprocessing.build_mri_npz``, the same
code that ``get_mri_dataset`` runs when the npz is missing. ``--crop course``
(the default, the shipped file) is the course's pipeline: grayscale, 60 pixels
cut off each side, bilateral filter, bilinear resize to 84x84 uint8.
``--crop head`` is the project's earlier crop to the head, for comparison.
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from utilities.mri_preprocessing import CLASSES, CROPS, build_mri_npz  # noqa: E402


def summarise(npz_path):
    """Print the shapes, per-class counts and duplicate count of a built npz."""
    with np.load(npz_path) as arrays:
        for split in ("train", "test"):
            x, y = arrays[f"x_{split}"], arrays[f"y_{split}"]
            counts = np.bincount(y, minlength=len(CLASSES)).tolist()
            print(f"x_{split} {x.shape} {x.dtype}, per class {counts}")
        print(f"crop: {arrays['crop']}; test_in_train: {len(arrays['test_in_train'])} test "
              "images also in Training")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw", default="../shared/data/mri/raw",
                        help="folder holding Training/ and Testing/ (Kaggle layout)")
    parser.add_argument("--out", default="data/mri/brain_mri_84.npz", help="npz to write")
    parser.add_argument("--crop", choices=CROPS, default="course",
                        help="course: the course's side crop and bilateral filter (default); "
                             "head: crop to the head, the earlier pipeline")
    parser.add_argument("--processes", type=int, default=None,
                        help="worker processes (default: up to 2)")
    args = parser.parse_args()
    start = time.perf_counter()
    build_mri_npz(args.raw, args.out, processes=args.processes, crop=args.crop)
    print(f"Wrote {args.out} in {time.perf_counter() - start:.1f} s")
    summarise(args.out)


if __name__ == "__main__":
    main()
