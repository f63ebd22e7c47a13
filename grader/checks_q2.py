"""Parent-side checks for Q2 (CNN); see checks_q1 for the part format.

2.1.3 has five parts: ``run_epoch`` (the function the course asks for
there), then the course's accuracy tiers on the best validation accuracy of
``tune()``: any result, 70 %, 75 %, 80 % (their points: utilities/items.py).

The probes use the course's API only (see ``probes/cnn.py``), so a
submission written against the course's skeleton is graded as it stands.
"""

import numpy as np

from .compare import as_array, close
from .probes import cnn

ACCURACY_TIERS = (0.70, 0.75, 0.80)
DIAGONAL_BAR = 0.5
# run_epoch's eval running loss vs the probe's own cross-entropy on the same weights.
LOSS_RTOL = 1e-4


def transforms(ctx):
    v = ctx.job("cnn_transforms")
    img = cnn.image().astype(np.float64) / 255
    problems = []
    ok, msg = close(v["test"], img[None], "testing transform of an image")
    problems += [] if ok else [msg]
    if v["test_dtype"] != "torch.float32":
        problems.append(f"testing transform gives {v['test_dtype']}, expected torch.float32")
    draws = [as_array(d) for d in v["train_draws"]]
    if any(d is None or d.shape != img[None].shape or d.min() < 0 or d.max() > 1 for d in draws):
        problems.append("training transform must give float images of shape (1, 84, 84) in [0, 1]")
    else:
        flips = sum(np.allclose(d[0], img[:, ::-1], atol=1e-6) for d in draws)
        others = sum(not np.allclose(d[0], img, atol=1e-6) for d in draws) - flips
        for name, seen in (("RandomHorizontalFlip", flips), ("RandomRotation", others)):
            if name not in v["train_names"] or seen == 0:
                problems.append(f"training transform needs {name} (seen applied {seen} of "
                                f"{len(draws)} draws)")
    if v["data_shape"] != [4, 1, 84, 84] or v["data_dtype"] != "torch.float32" \
            or v["targets_dtype"] != "torch.int64" or v["sample_shape"] != [1, 84, 84] \
            or v["label"] != 1:
        problems.append("TransformedDataset: expected .data float32 (N, 1, 84, 84), .targets "
                        "int64, items (image (1, 84, 84), label)")
    return [(not problems, "; ".join(problems) or "transforms and dataset behave as required")]


def model(ctx):
    v = ctx.job("cnn_model")
    ok = v["conv"] >= 2 and v["linear"] >= 2 and v["out_shape"] == [2, 4]
    return [(ok, f"{v['conv']} convolutional and {v['linear']} dense layers (need >= 2 each), "
                    f"output shape {v['out_shape']} for 2 images (need [2, 4])")]


def _run_epoch_part(ctx):
    v = ctx.job("cnn_run_epoch")
    n_images, n_batches = cnn.RUN_EPOCH_IMAGES, cnn.RUN_EPOCH_IMAGES // cnn.RUN_EPOCH_BATCH
    total, correct, running_loss = v["eval"]
    # The course sums the batch means; a sum over images is accepted too, since
    # train() of the same submission divides by the matching count.
    loss_ok = any(close(running_loss, count * v["probe_loss"], "eval loss", rtol=LOSS_RTOL)[0]
                  for count in (n_batches, n_images))
    ok = (loss_ok and total == n_images and correct == v["probe_correct"]
          and not v["changed_eval"])
    train_total, train_correct, train_loss = v["train"]
    ok = ok and v["changed_train"] and train_total == n_images and 0 <= train_correct <= n_images
    ok = ok and bool(np.isfinite(train_loss))
    return (bool(ok), f"run_epoch: eval (total, correct, running_loss) "
                         f"{np.round(v['eval'], 4).tolist()} vs {n_images} images, "
                         f"{v['probe_correct']} correct, mean loss {v['probe_loss']:.4f} over "
                         f"{n_batches} batches; weights changed in eval {v['changed_eval']}, "
                         f"in training {v['changed_train']}")


def training(ctx):
    parts = [_run_epoch_part(ctx)]
    val_accuracy = as_array(ctx.job("cnn_train")["history"][3])
    best = float(val_accuracy.max()) if val_accuracy is not None and val_accuracy.size else 0.0
    parts.append((True, f"best validation accuracy {best:.3f}"))
    parts += [(best >= tier, f"reaches {tier:.0%}") for tier in ACCURACY_TIERS]
    return parts


def curves(ctx):
    history = [as_array(h) for h in ctx.job("cnn_train")["history"]]
    if any(h is None or h.ndim != 1 or h.size < 2 for h in history):
        return [(False, "training history needs at least two epochs of each curve")]
    train_loss, train_acc, val_loss, val_acc = history
    train_ok = train_loss[-1] < train_loss[0] and train_acc[-1] > train_acc[0]
    val_ok = val_loss.min() < val_loss[0] and val_acc.max() > val_acc[0]
    return [(bool(train_ok), f"training loss {train_loss[0]:.3f} -> {train_loss[-1]:.3f}, "
                                f"accuracy {train_acc[0]:.3f} -> {train_acc[-1]:.3f}"),
            (bool(val_ok), f"validation loss best {val_loss.min():.3f} vs first "
                              f"{val_loss[0]:.3f}, accuracy best {val_acc.max():.3f} vs first "
                              f"{val_acc[0]:.3f}")]


def confusion(ctx):
    predicted, truth = as_array(ctx.job("cnn_train")["predicted"]), cnn.test_labels()
    if predicted is None or predicted.shape != truth.shape:
        return [(False, f"expected {truth.size} test predictions")]
    diag = [float(np.mean(predicted[truth == c] == c)) for c in range(4)]
    return [(min(diag) > DIAGONAL_BAR, f"confusion diagonal {np.round(diag, 3).tolist()} "
                                          f"(each must exceed {DIAGONAL_BAR})")]
