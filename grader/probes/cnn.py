"""Probes for Q2 (``cnn_image_transformations.py``, ``cnn.py``, ``cnn_trainer.py``)."""

import numpy as np

from . import inputs

AUGMENT_DRAWS = 40
IMAGE_SIZE = 84


def image():
    """A fixed (84, 84) uint8 image with no left-right symmetry."""
    img = inputs.rng(30).integers(0, 256, size=(IMAGE_SIZE, IMAGE_SIZE), dtype=np.uint8)
    img[:, :10] = 255
    return img


def _names(transform):
    """Class names of ``transform`` and every transform nested in it."""
    names = [type(transform).__name__]
    for child in getattr(transform, "transforms", []) or []:
        names += _names(child)
    return names


def transforms():
    import torch
    from cnn_image_transformations import (TransformedDataset, create_testing_transformations,
                                           create_training_transformations)

    img = image()
    test_t, train_t = create_testing_transformations(), create_training_transformations()
    torch.manual_seed(0)
    draws = [train_t(img.copy()) for _ in range(AUGMENT_DRAWS)]
    x = np.stack([image()] * 4)
    dataset = TransformedDataset(x, np.arange(4), transform=test_t)
    sample, label = dataset[1]
    return {
        "test": test_t(img.copy()).float(), "test_dtype": str(test_t(img.copy()).dtype),
        "train_names": _names(train_t), "train_draws": [d.float() for d in draws],
        "train_dtypes": sorted({str(d.dtype) for d in draws}),
        "data_shape": list(dataset.data.shape), "data_dtype": str(dataset.data.dtype),
        "targets_dtype": str(dataset.targets.dtype), "sample_shape": list(sample.shape),
        "label": int(label),
    }


def model():
    import torch
    from cnn import CNN

    torch.manual_seed(0)
    net = CNN()
    kinds = [type(m).__name__ for m in net.modules()]
    net.eval()
    with torch.no_grad():
        out = net(torch.rand(2, 1, IMAGE_SIZE, IMAGE_SIZE))
    return {"conv": kinds.count("Conv2d"), "linear": kinds.count("Linear"),
            "out_shape": list(out.shape)}


def run_epoch():
    import torch
    from cnn import CNN
    from cnn_image_transformations import TransformedDataset, create_testing_transformations
    from cnn_trainer import Trainer

    torch.manual_seed(0)
    x = inputs.rng(31).integers(0, 256, size=(48, IMAGE_SIZE, IMAGE_SIZE), dtype=np.uint8)
    y = np.arange(48) % 4
    data = TransformedDataset(x, y, transform=create_testing_transformations())
    trainer = Trainer(CNN(), data, data, device="cpu", precision="fp32")
    trainer.optimizer = torch.optim.Adamax(trainer.net.parameters(), lr=0.01)
    trainer.scheduler = torch.optim.lr_scheduler.ExponentialLR(trainer.optimizer, gamma=0.9)
    loader = torch.utils.data.DataLoader(data, batch_size=16)
    before = [p.detach().clone() for p in trainer.net.parameters()]
    eval_loss, eval_acc = trainer.run_epoch(loader, train=False)
    changed_eval = any(not torch.equal(a, b) for a, b in zip(before, trainer.net.parameters()))
    trainer.net.eval()
    with torch.no_grad():
        logits = trainer.net(data.data)
    train_loss, train_acc = trainer.run_epoch(loader, train=True)
    changed_train = any(not torch.equal(a, b) for a, b in zip(before, trainer.net.parameters()))
    return {"eval": [float(eval_loss), float(eval_acc)],
            "probe": [torch.nn.functional.cross_entropy(logits, data.targets).item(),
                      (logits.argmax(1) == data.targets).float().mean().item()],
            "train": [float(train_loss), float(train_acc)],
            "changed_eval": changed_eval, "changed_train": changed_train}


def tuned_trainer():
    """Train the submitted CNN with its own ``tune()`` on the full MRI data.

    Returns
    -------
    trainer : cnn_trainer.Trainer
        After ``tune()``, holding the weights it kept.
    best : float
        What ``tune()`` returned.
    """
    from cnn import CNN
    from cnn_image_transformations import (TransformedDataset, create_testing_transformations,
                                           create_training_transformations)
    from cnn_trainer import Trainer
    from utilities.runtime import select_device
    from utilities.utils import get_mri_dataset

    x_train, y_train, x_test, y_test = get_mri_dataset()
    trainset = TransformedDataset(x_train, y_train, transform=create_training_transformations())
    testset = TransformedDataset(x_test, y_test, transform=create_testing_transformations())
    trainer = Trainer(CNN(), trainset, testset, device=select_device())
    return trainer, trainer.tune()


def training_summary(trainer):
    """What the 2.1.3-2.1.5 checks read: the four history curves and the test predictions."""
    import torch

    history = trainer.get_training_history()
    loader = torch.utils.data.DataLoader(trainer.testset, batch_size=256)
    _, predicted, _ = trainer.predict(loader)
    return {"history": [list(map(float, h)) for h in history], "predicted": predicted}


def train():
    return training_summary(tuned_trainer()[0])


PROBES = {"cnn_transforms": transforms, "cnn_model": model, "cnn_run_epoch": run_epoch,
          "cnn_train": train}
