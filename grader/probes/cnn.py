"""Probes for Q2 (``cnn_image_transformations.py``, ``cnn.py``, ``cnn_trainer.py``).

They call the submission only through the course's skeleton: ``Trainer(model,
trainset, testset, device=...)``, ``tune()``, ``run_epoch(total, correct,
running_loss, data_iterator, train)``, ``get_training_history()``,
``predict(testloader)`` and the ``criterion`` / ``optimizer`` attributes that
the course's ``train()`` sets. No keyword or attribute of this project's
reference is needed.
"""

import functools

import numpy as np

from . import inputs
from .base import Probe

AUGMENT_DRAWS = 40
IMAGE_SIZE = 84
# Three equal batches, so a running loss summed per batch (the course's
# convention) and one summed per image differ by a known factor.
RUN_EPOCH_IMAGES, RUN_EPOCH_BATCH = 48, 16
# The notebook's test loader.
TEST_BATCH = 32
# torch's seed before the submitted CNN() is built: the same files then start from the
# same weights on every grading, so regrading cannot change a grade by chance.
INIT_SEED = 0


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
    """Call the submitted ``run_epoch`` once in evaluation and once in training.

    Only the course's API is used: the constructor's positional arguments
    and ``device``, and the ``criterion`` and ``optimizer`` attributes that the
    course's ``train()`` sets before it calls ``run_epoch``. The mode switches
    that ``train()`` makes around each call are made here too.
    """
    import torch
    from cnn import CNN
    from cnn_image_transformations import TransformedDataset, create_testing_transformations
    from cnn_trainer import Trainer

    torch.manual_seed(0)
    x = inputs.rng(31).integers(0, 256, size=(RUN_EPOCH_IMAGES, IMAGE_SIZE, IMAGE_SIZE),
                                dtype=np.uint8)
    y = np.arange(RUN_EPOCH_IMAGES) % 4
    data = TransformedDataset(x, y, transform=create_testing_transformations())
    net = CNN()
    trainer = Trainer(net, data, data, device="cpu")
    trainer.criterion = torch.nn.CrossEntropyLoss()
    trainer.optimizer = torch.optim.Adamax(net.parameters(), lr=0.01)
    loader = torch.utils.data.DataLoader(data, batch_size=RUN_EPOCH_BATCH)
    before = [p.detach().clone() for p in net.parameters()]
    net.eval()
    with torch.no_grad():
        logits = net(torch.stack([data[i][0] for i in range(len(data))]))
        evaluated = trainer.run_epoch(0, 0, 0.0, loader, train=False)
    changed_eval = any(not torch.equal(a, b) for a, b in zip(before, net.parameters()))
    net.train()
    trained = trainer.run_epoch(0, 0, 0.0, loader, train=True)
    changed_train = any(not torch.equal(a, b) for a, b in zip(before, net.parameters()))
    labels = torch.as_tensor(y)
    return {"eval": [float(v) for v in evaluated], "train": [float(v) for v in trained],
            "probe_loss": torch.nn.functional.cross_entropy(logits, labels).item(),
            "probe_correct": int((logits.argmax(1) == labels).sum()),
            "changed_eval": changed_eval, "changed_train": changed_train}


def _device():
    """The notebook's choice: CUDA when present, else the CPU (as a string, like the course)."""
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def test_loader():
    """The notebook's test loader over the submitted testing pipeline, in file order."""
    import torch
    from cnn_image_transformations import TransformedDataset, create_testing_transformations
    from utilities.utils import get_mri_dataset

    _, _, x_test, y_test = get_mri_dataset()
    testset = TransformedDataset(x_test, y_test, transform=create_testing_transformations())
    return torch.utils.data.DataLoader(testset, batch_size=TEST_BATCH, shuffle=False)


def tuned_trainer():
    """Train the submitted CNN with its own ``tune()`` on the full MRI data, from seeded weights.

    Returns
    -------
    trainer : cnn_trainer.Trainer
        After ``tune()``.
    best : float
        The best validation accuracy in its training history.
    """
    from cnn import CNN
    from cnn_image_transformations import (TransformedDataset, create_testing_transformations,
                                           create_training_transformations)
    from cnn_trainer import Trainer
    from utilities.utils import get_mri_dataset

    import torch

    x_train, y_train, x_test, y_test = get_mri_dataset()
    trainset = TransformedDataset(x_train, y_train, transform=create_training_transformations())
    testset = TransformedDataset(x_test, y_test, transform=create_testing_transformations())
    torch.manual_seed(INIT_SEED)
    trainer = Trainer(CNN(), trainset, testset, device=_device())
    trainer.tune()
    return trainer, max(map(float, trainer.get_training_history()[3]), default=0.0)


@functools.lru_cache(maxsize=1)
def test_labels():
    """MRI test labels, read by the parent from the repository's data."""
    from utilities.utils import get_mri_dataset

    return get_mri_dataset()[3]


def training_summary(trainer):
    """What the 2.1.3-2.1.5 checks read: the four history curves and the test predictions."""
    history = trainer.get_training_history()
    _, predicted, _ = trainer.predict(test_loader())
    return {"history": [list(map(float, h)) for h in history], "predicted": predicted}


def train():
    return training_summary(tuned_trainer()[0])


CNN_ALL = ("cnn.py", "cnn_trainer.py", "cnn_image_transformations.py")
# The course allows 5-10 minutes on a CPU for tune(); a slow laptop-class
# grading machine gets three times that.
TRAINING_TIMEOUT_S = 1800

# None is stored: transforms and models are checked by their properties, and
# the trained network by the course's accuracy bars, not against the reference.
PROBES = {
    "cnn_transforms": Probe(transforms, ("cnn_image_transformations.py",), stored=False),
    "cnn_model": Probe(model, ("cnn.py",), stored=False),
    "cnn_run_epoch": Probe(run_epoch, CNN_ALL, stored=False),
    "cnn_train": Probe(train, CNN_ALL, timeout_s=TRAINING_TIMEOUT_S, stored=False,
                       labels=test_labels),
}
