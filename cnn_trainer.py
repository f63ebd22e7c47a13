"""Training, validation and prediction for the brain-MRI CNN (Q2).

``Trainer(model, trainset, testset, device=...)`` has the course's shape:
``tune()`` sets ``num_epochs``, ``batch_size`` and ``init_lr`` and calls
``train()``, which trains with cross-entropy, Adamax and an exponentially
decaying learning rate and validates on ``testset`` after every epoch through
``run_epoch`` (the exercise). The history lists hold one entry per epoch.

The trailing keywords are this project's additions; the course's calls work
unchanged. ``train()`` uses them around ``run_epoch``, which stays plain
PyTorch: bf16 autocast where the hardware computes bf16 natively and the
channels_last layout (both from ``utilities.runtime``), a seeded loader
shuffle and dropout, and the weights of the best validation epoch.

Dimension letters: N images, C classes.
"""

import time

import torch
import torch.nn as nn
import torch.optim as optim
from tqdm import tqdm

from utilities import runtime

# The course's learning-rate decay per epoch.
LR_DECAY = 0.9


class Trainer:
    """Train ``model`` on ``trainset`` and validate it on ``testset``.

    Parameters
    ----------
    model : torch.nn.Module
        Maps images of shape (N, 1, H, W) to logits of shape (N, C).
    trainset, testset : torch.utils.data.Dataset
        Yield ``(image, label)`` pairs; ``testset`` serves as the validation set.
    num_epochs : int, default=5
    batch_size : int, default=16
        For both the training and the validation loader.
    init_lr : float, default=1e-3
        Adamax's learning rate in the first epoch; it is multiplied by
        ``LR_DECAY`` after every epoch.
    device : str or torch.device, default="cpu"
    precision : {"auto", "fp32", "bf16"}, default="auto"
        ``"bf16"`` trains under bf16 autocast, ``"fp32"`` in plain float32;
        ``"auto"`` picks bf16 where the hardware runs it natively. ``"bf16"``
        on hardware without native bf16 raises ValueError (see
        ``utilities.runtime.resolve_precision``).
    seed : int or None, default=0
        Seeds the loader shuffle, the augmentation and the dropout draws of
        ``train`` (the caller's generator state is restored afterwards);
        ``None`` draws from torch's global generator as it stands.
    keep_best : bool, default=True
        After ``train``, load the weights of the epoch with the best
        validation accuracy instead of keeping the last epoch's.
    num_workers : int or None, default=None
        Worker processes that load and augment training batches; ``None``
        picks ``utilities.runtime.default_loader_workers``.

    Attributes
    ----------
    train_loss_per_epoch, train_accuracy_per_epoch : list of float
    test_loss_per_epoch, test_accuracy_per_epoch : list of float
        One entry per epoch: the mean batch loss and the fraction of images
        classified correctly.
    criterion, optimizer, scheduler, trainloader, testloader
        Set by ``train``.
    """

    def __init__(self, model, trainset, testset, num_epochs=5, batch_size=16, init_lr=1e-3,
                 device="cpu", precision="auto", seed=0, keep_best=True, num_workers=None):
        self.model = model.to(device)
        self.trainset = trainset
        self.testset = testset
        self.num_epochs = num_epochs
        self.batch_size = batch_size
        self.init_lr = init_lr
        self.device = device
        self.train_loss_per_epoch = []
        self.train_accuracy_per_epoch = []
        self.test_loss_per_epoch = []
        self.test_accuracy_per_epoch = []
        self.precision = runtime.resolve_precision(precision, runtime.select_device(device))
        self.seed = seed
        self.keep_best = keep_best
        self.num_workers = num_workers

    def tune(self):
        """Set the hyperparameters for the full training run, then train."""
        # BEGIN SOLUTION
        # Batches of 32 give the most optimiser steps per epoch at no extra cost
        # per image. The epoch count is set by the time a plain laptop CPU may
        # spend; validation accuracy was still rising at the last epoch, so more
        # epochs buy accuracy at a linear cost (bench/cnn_bench.py measures
        # both). The rate starts at three times Adamax's default and decays.
        self.num_epochs = 6
        self.batch_size = 32
        self.init_lr = 0.003
        # END SOLUTION
        self.train()

    def _check_hyperparameters(self):
        """Raise ValueError naming the first hyperparameter that cannot be trained with."""
        rules = (("num_epochs", "an integer >= 1", lambda v: isinstance(v, int) and v >= 1),
                 ("batch_size", "an integer >= 1", lambda v: isinstance(v, int) and v >= 1),
                 ("init_lr", "a number > 0", lambda v: isinstance(v, (int, float)) and v > 0))
        for name, expected, valid in rules:
            value = getattr(self, name)
            if not valid(value):
                raise ValueError(f"Expected {name} to be {expected}, got {value!r}; "
                                 "set it in tune() or the constructor")

    def train(self):
        """Train for ``num_epochs`` epochs, validating and logging after each one."""
        self._check_hyperparameters()
        device = runtime.select_device(self.device)
        workers = (runtime.default_loader_workers(device) if self.num_workers is None
                   else self.num_workers)
        generator = None if self.seed is None else torch.Generator().manual_seed(self.seed)
        self.trainloader = torch.utils.data.DataLoader(
            self.trainset, batch_size=self.batch_size, shuffle=True, generator=generator,
            num_workers=workers, persistent_workers=workers > 0)
        self.testloader = torch.utils.data.DataLoader(
            self.testset, batch_size=self.batch_size, shuffle=False)
        self.criterion = nn.CrossEntropyLoss()
        self.optimizer = optim.Adamax(self.model.parameters(), lr=self.init_lr)
        self.scheduler = optim.lr_scheduler.ExponentialLR(self.optimizer, gamma=LR_DECAY)
        self.model.to(memory_format=runtime.memory_format(device, self.precision))
        # The context spans the optimiser steps, so autocast must not cache weights.
        autocast = runtime.autocast(device, self.precision, cache_enabled=False)
        with runtime.seeded(self.seed, device), autocast:
            best_state = self._run_epochs()
        if self.keep_best:
            self.model.load_state_dict(best_state)

    def _run_epochs(self):
        """Train and validate ``num_epochs`` times; return the best epoch's weights."""
        best_accuracy, best_state = -1.0, None
        for epoch in tqdm(range(self.num_epochs), desc="Training", unit="epoch"):
            start = time.perf_counter()
            train_loss, train_accuracy = self._one_pass(self.trainloader, train=True)
            test_loss, test_accuracy = self._one_pass(self.testloader, train=False)
            self.scheduler.step()
            self.train_loss_per_epoch.append(train_loss)
            self.train_accuracy_per_epoch.append(train_accuracy)
            self.test_loss_per_epoch.append(test_loss)
            self.test_accuracy_per_epoch.append(test_accuracy)
            tqdm.write(f"Epoch {epoch + 1}: Validation Loss: {test_loss:.2f}, "
                       f"Validation Accuracy: {test_accuracy:.3f} | Train Loss: {train_loss:.2f}, "
                       f"Train Accuracy: {train_accuracy:.3f} | {time.perf_counter() - start:.1f}s")
            if self.keep_best and test_accuracy > best_accuracy:
                best_accuracy, best_state = test_accuracy, runtime.snapshot_state(self.model)
        return best_state

    def _one_pass(self, loader, train):
        """One ``run_epoch`` over ``loader``; returns (mean batch loss, accuracy)."""
        self.model.train(train)
        with torch.set_grad_enabled(train):
            total, correct, running_loss = self.run_epoch(0, 0, 0.0, loader, train=train)
        return float(running_loss) / len(loader), float(correct) / total

    def run_epoch(self, total, correct, running_loss, data_iterator, train=True):
        """Pass once over ``data_iterator``, updating the weights only when ``train``.

        ``train()`` has already put the model in training or evaluation mode
        (and disabled gradients for evaluation) and created ``self.criterion``
        and ``self.optimizer``.

        Parameters
        ----------
        total : int
            Images counted so far.
        correct : int
            Images classified correctly so far.
        running_loss : float
            Sum of the batch losses so far (each the batch's mean cross-entropy).
        data_iterator : iterable of (images, labels)
            Images of shape (N, 1, H, W), labels of shape (N,).
        train : bool, default=True
            Whether to take an optimiser step after every batch.

        Returns
        -------
        total, correct, running_loss
            The three counters with this pass's batches added.
        """
        # BEGIN SOLUTION
        for images, labels in data_iterator:
            images, labels = images.to(self.device), labels.to(self.device)
            outputs = self.model(images)  # (N, C) logits
            loss = self.criterion(outputs, labels)
            if train:
                self.optimizer.zero_grad()
                loss.backward()
                self.optimizer.step()
            running_loss += loss.item()
            total += labels.size(0)
            correct += (outputs.argmax(dim=1) == labels).sum().item()
        return total, correct, running_loss
        # END SOLUTION

    def get_training_history(self):
        """Return (train loss, train accuracy, test loss, test accuracy), one entry per epoch."""
        return (self.train_loss_per_epoch, self.train_accuracy_per_epoch,
                self.test_loss_per_epoch, self.test_accuracy_per_epoch)

    def predict(self, testloader):
        """Classify every image in ``testloader`` with the current weights.

        Returns
        -------
        probabilities : torch.Tensor of shape (N, C), float32
            Softmax of the logits; each row sums to 1.
        predicted : torch.Tensor of shape (N,), int64
        true : torch.Tensor of shape (N,), int64
        """
        device = runtime.select_device(self.device)
        self.model.eval()
        probabilities, true = [], []
        with torch.no_grad(), runtime.autocast(device, self.precision):
            for images, labels in testloader:
                logits = self.model(images.to(self.device))
                probabilities.append(torch.softmax(logits.float(), dim=1).cpu())
                true.append(labels)
        probabilities = torch.cat(probabilities)
        return probabilities, probabilities.argmax(dim=1), torch.cat(true)
