"""Benchmark the Q4 character models on the full Macbeth windows.

For each model: the median wall time of one training epoch (training pass
plus the validation pass) with the precision ``train`` uses by default
(bf16 autocast where the hardware supports it) and, when that is not fp32,
with plain fp32 too, in the same process; then a full training run with
the hyperparameters of ``set_hyperparameters()``, holding out the last 10%
of the windows, and its final training and validation loss.
Checkpoints go to a temporary folder, never to rnn_model_weights/.

Run from the repository root::

    .venv/bin/python -m bench.rnn_bench                 # epoch timings + full runs
    .venv/bin/python -m bench.rnn_bench --skip-full --repeats 1   # quick look
"""

import argparse
import os
import statistics
import tempfile

from lstm import LSTM
from rnn import RNN
from bench.machine import describe, timed_precisions
from bench.results import record
from utilities.runtime import select_device
from utilities.utils import load_macbeth_text, preprocess_text_data

MODELS = {"RNN": RNN, "LSTM": LSTM}
# The last 10% of the windows, by position, measure the loss on unseen text.
VALIDATION_FRACTION = 0.1


def median_epoch_seconds(cls, data, precision, repeats, weights_dir):
    """Median seconds per epoch over ``repeats`` epochs at ``precision`` ("fp32" or "bf16")."""
    wrapper = cls(data["vocab_size"], data["sequence_len"], weights_dir=weights_dir,
                  precision=precision)
    wrapper.set_hyperparameters()
    wrapper.hp["epochs"] = repeats
    wrapper.define_model()
    history = wrapper.train(data["x"], data["y"], train_from_scratch=True,
                            validation_fraction=VALIDATION_FRACTION, verbose=False)
    return statistics.median(history["epoch_seconds"])


def full_run(cls, data, weights_dir):
    """Train with the chosen hyperparameters; returns the wrapper."""
    wrapper = cls(data["vocab_size"], data["sequence_len"], weights_dir=weights_dir)
    wrapper.set_hyperparameters()
    wrapper.define_model()
    wrapper.train(data["x"], data["y"], train_from_scratch=True,
                  validation_fraction=VALIDATION_FRACTION, verbose=True)
    return wrapper


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", choices=list(MODELS), default=list(MODELS))
    parser.add_argument("--repeats", type=int, default=3,
                        help="epochs timed per precision; the median is reported")
    parser.add_argument("--skip-full", action="store_true", help="skip the full training runs")
    args = parser.parse_args()

    print(describe())
    data = preprocess_text_data(load_macbeth_text())
    print(f"windows {data['x'].shape}, vocab {data['vocab_size']}, "
          f"load average {os.getloadavg()[0]:.2f}")
    precisions = timed_precisions(select_device())
    figures = {}
    with tempfile.TemporaryDirectory() as weights_dir:
        for name in args.models:
            cls = MODELS[name]
            seconds = [median_epoch_seconds(cls, data, p, args.repeats, weights_dir)
                       for p in precisions]
            timings = ", ".join(f"{s:.1f} s ({p})" for p, s in zip(precisions, seconds))
            if len(seconds) > 1:
                timings += f", ratio fp32/{precisions[0]} {seconds[1] / seconds[0]:.2f}"
            print(f"{name}: epoch {timings} (median of {args.repeats}; "
                  f"train() uses {precisions[0]} here)")
            figures[f"{name} epoch s ({', '.join(precisions)})"] = [round(s, 1) for s in seconds]
            if args.skip_full:
                continue
            wrapper = full_run(cls, data, weights_dir)
            history = wrapper.history
            print(f"{name}: {len(history['train'])} epochs in {sum(history['epoch_seconds']):.0f} s, "
                  f"final training loss {history['train'][-1]:.4f}, final validation loss "
                  f"{history['val'][-1]:.4f}, best validation loss {min(history['val']):.4f}; "
                  f"load average {os.getloadavg()[0]:.2f}")
            figures[f"{name} full run ({wrapper.precision}): s, final training loss, "
                    "best validation loss"] = [round(sum(history["epoch_seconds"])),
                                               round(history["train"][-1], 4),
                                               round(min(history["val"]), 4)]
    record("rnn_bench", figures)


if __name__ == "__main__":
    main()
