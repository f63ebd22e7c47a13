"""Speed and accuracy of the Q2 CNN trainer on the full brain-MRI data.

Run from the repository root::

    .venv/bin/python -m bench.cnn_bench                    # full measurement
    .venv/bin/python -m bench.cnn_bench --repeats 1        # quicker look
    .venv/bin/python -m bench.cnn_bench --seeds 0 1 2 3    # tune() spread over seeds
    .venv/bin/python -m bench.cnn_bench --crop head --npz /tmp/head.npz --repeats 0
                                     # tune() on the head-cropped scans (built first with
                                     # scripts/build_mri_data.py --crop head --out /tmp/head.npz)

Prints, in this order:

1. ``Trainer.tune()`` once per ``--seeds`` value (the seed of the initial
   weights and of the trainer): its per-epoch log, wall time, best validation
   accuracy, and the accuracy of the kept weights on the full test set and on
   the leak-free test subset (test images that do not also occur in train).
   As in the notebook, tune() trains on 90% of the training images and picks
   its best epoch on the other 10% (``split_mri_validation``);
   then the median and the lowest of those figures over the seeds.
2. Seconds per training epoch over those 90% of the training images (median of
   ``--repeats``, interleaved) at ``tune()``'s batch size for every path this
   machine can run: bf16 (only where the CPU computes it natively) and fp32,
   each in channels_last and contiguous layout. To measure the fp32 path of an
   AVX2-only CPU on a newer one, start the command with
   ``ATEN_CPU_CAPABILITY=avx2 ONEDNN_MAX_CPU_ISA=AVX2``.

Timings are wall-clock; on a shared machine, quote them with the load average
(printed too).
"""

import argparse
import os
import statistics
import time

import numpy as np
import torch
from torch.utils.data import DataLoader

from cnn import CNN
from cnn_image_transformations import (
    TransformedDataset, create_testing_transformations, create_training_transformations,
)
from cnn_trainer import Trainer
from bench.machine import describe, timed_precisions
from bench.results import record
from utilities.runtime import autocast, default_loader_workers, select_device
from utilities.utils import (
    MRI_CLASSES, MRI_FILE, get_mri_dataset, get_mri_leak_free_mask, split_mri_validation,
)


# The notebook's share of the training scans held out for choosing the best epoch.
VALIDATION_FRACTION = 0.1
# Prediction stores no activations, so larger batches amortise per-batch overhead.
EVAL_BATCH_SIZE = 256


def load_average():
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def run_tune(trainset, testset, seed):
    """Run ``tune()`` once; return the trainer and its wall time in seconds."""
    start = time.perf_counter()
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        net = CNN()
    trainer = Trainer(net, trainset, testset, device=select_device().type, seed=seed)
    trainer.tune()
    return trainer, time.perf_counter() - start


def accuracy_on_test_set(trainer, testset, npz_path):
    """Accuracy of ``trainer``'s weights on the full test set and on its leak-free subset."""
    _, predicted, true = trainer.predict(DataLoader(testset, batch_size=EVAL_BATCH_SIZE))
    correct = (predicted == true).numpy()
    leak_free = get_mri_leak_free_mask(npz_path)
    return correct.mean(), correct[leak_free].mean(), int(leak_free.sum())


def seconds_per_epoch(trainset, testset, precision, layout, batch_size, seed):
    """Wall time of one training epoch (loader, forward, backward, Adamax step) as train() runs it."""
    device = select_device()
    trainer = Trainer(CNN(), trainset, testset, device=device.type, precision=precision, seed=seed)
    trainer.model.to(memory_format=layout)
    trainer.criterion = torch.nn.CrossEntropyLoss()
    trainer.optimizer = torch.optim.Adamax(trainer.model.parameters())
    generator = torch.Generator().manual_seed(seed)
    workers = default_loader_workers(device)
    loader = DataLoader(trainset, batch_size=batch_size, shuffle=True, generator=generator,
                        num_workers=workers, persistent_workers=workers > 0)
    # Start the persistent worker before the clock: train() pays that once, not per epoch.
    iter(loader)
    trainer.model.train()
    start = time.perf_counter()
    with autocast(device, trainer.precision, cache_enabled=False):
        trainer.run_epoch(0, 0, 0.0, loader, train=True)
    return time.perf_counter() - start


def epoch_configurations():
    """(label, precision, layout) to time: train()'s default precision first, then fp32."""
    layouts = [("channels_last", torch.channels_last), ("contiguous", torch.contiguous_format)]
    precisions = timed_precisions(select_device())
    return [(f"{p} {name}", p, layout) for p in precisions for name, layout in layouts]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=3, help="timed epochs per configuration")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--crop", choices=("course", "head"), default="course",
                        help="which preprocessing of the scans to train on")
    parser.add_argument("--npz", default=MRI_FILE,
                        help="arrays built with that crop (scripts/build_mri_data.py --crop)")
    args = parser.parse_args()

    x_train, y_train, x_test, y_test = get_mri_dataset(MRI_CLASSES, npz_path=args.npz,
                                                       crop=args.crop)
    # As in the notebook: the best epoch is chosen on scans held out from training.
    x_fit, y_fit, x_val, y_val = split_mri_validation(x_train, y_train, x_test,
                                                      fraction=VALIDATION_FRACTION)
    trainset = TransformedDataset(x_fit, y_fit, create_training_transformations())
    valset = TransformedDataset(x_val, y_val, create_testing_transformations())
    testset = TransformedDataset(x_test, y_test, create_testing_transformations())
    print(describe())
    print(f"load average {load_average()}")

    runs = []
    # The epoch timings below use the batch size and precision that tune() chose.
    batch_size = precision_used = None
    for seed in args.seeds:
        trainer, wall = run_tune(trainset, valset, seed)
        full, leak_free, n_leak_free = accuracy_on_test_set(trainer, testset, args.npz)
        runs.append((wall, max(trainer.test_accuracy_per_epoch), full, leak_free))
        batch_size, precision_used = trainer.batch_size, trainer.precision
        print(f"tune() seed {seed}: num_epochs {trainer.num_epochs}, batch_size "
              f"{trainer.batch_size}, init_lr {trainer.init_lr}, device {trainer.device}, "
              f"precision {trainer.precision}")
        print(f"tune() wall time: {wall:.1f} s, best validation accuracy: {runs[-1][1]:.3f} "
              f"({len(valset)} held-out training images)")
        print(f"test accuracy: full {full:.3f} ({len(testset)} images), "
              f"leak-free {leak_free:.3f} ({n_leak_free} images)")
        print(f"load average after tune(): {load_average()}")
    for column, label in enumerate(["wall time (s)", "best validation accuracy",
                                    "full test accuracy", "leak-free test accuracy"]):
        values = [run[column] for run in runs]
        print(f"over seeds {args.seeds}: {label} median {statistics.median(values):.3f}, "
              f"min {min(values):.3f}, max {max(values):.3f}")
    figures = {f"tune() seed {seed} ({precision_used}): wall s, best validation, test, leak-free test":
               [round(run[0], 1), *(round(v, 3) for v in run[1:])]
               for seed, run in zip(args.seeds, runs)}

    if args.repeats < 1:
        record("cnn_bench", figures)
        return
    configurations = epoch_configurations()
    timings = {label: [] for label, _, _ in configurations}
    for _ in range(args.repeats):
        for label, precision, layout in configurations:
            timings[label].append(
                seconds_per_epoch(trainset, testset, precision, layout, batch_size, args.seeds[0]))
    used = f"{precision_used} channels_last"
    for label, times in timings.items():
        note = " <- what tune() ran" if label == used else ""
        print(f"seconds per epoch, {label} (batch {batch_size}): {statistics.median(times):.1f} "
              f"(runs: {np.round(times, 1).tolist()}){note}")
        figures[f"training epoch s, {label}, batch {batch_size}"] = round(statistics.median(times), 1)
    print(f"load average {load_average()}")
    record("cnn_bench", figures)


if __name__ == "__main__":
    main()
