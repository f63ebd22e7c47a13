"""Training wrapper shared by the character-level RNN and LSTM of Q4 (given code).

``BaseSequentialModel`` is a plain class, not an ``nn.Module``: it holds the
network in ``self.model`` and adds training, checkpointing, loss plots and
prediction around it. Subclasses (``rnn.RNN``, ``lstm.LSTM``) supply
``set_hyperparameters()``, which stores ``self.hp``, and ``define_model()``.

Dimension letters used in this module and its subclasses:
N sequences (a batch), T characters per input window (``max_input_len``),
E embedding size, H recurrent units, V vocabulary size.
"""

import json
import math
import os
import time

import numpy as np
import torch
from torch import nn

from utilities import runtime

# Recurrent gradients can explode over T steps; their global norm is capped at this.
CLIP_NORM = 1.0
# Windows per forward pass when only evaluating; memory, not accuracy, sets it.
EVAL_BATCH_SIZE = 2048
# The keys set_hyperparameters() must store in self.hp for train() to run.
TRAINING_KEYS = ("learning_rate", "batch_size", "epochs")


def split_by_position(n_windows, sequence_len, fraction):
    """Return ``(n_train, val_start)`` for a positional train/validation split.

    The last ``fraction`` of the windows is held out. Window i covers
    characters i .. i+T (its target included), so the last T training windows
    would share characters with the first validation window; they are dropped
    to keep the validation text unseen.
    """
    n_val = max(1, math.ceil(fraction * n_windows))
    val_start = n_windows - n_val
    n_train = val_start - sequence_len
    if n_train < 1:
        raise ValueError(
            f"{n_windows} windows of length {sequence_len} leave no training windows after "
            f"holding out {n_val} for validation and a gap of {sequence_len}; use a longer text "
            "or a smaller validation_fraction"
        )
    return n_train, val_start


def _describe_mismatch(state, model):
    """Name the first tensor whose shape differs between a saved state and ``model``."""
    if not isinstance(state, dict):
        return f"The file holds a {type(state).__name__}, not a state dict."
    expected = {k: tuple(v.shape) for k, v in model.state_dict().items()}
    saved = {k: tuple(getattr(v, "shape", ())) for k, v in state.items()}
    for key in sorted(expected.keys() | saved.keys()):
        if expected.get(key) != saved.get(key):
            return f"First difference: {key} is {saved.get(key)} in the file, {expected.get(key)} in the model."
    return ""


class BaseSequentialModel:
    """Train, checkpoint and query a next-character model.

    Parameters
    ----------
    vocab_size : int
        V, number of distinct characters.
    max_input_len : int
        T, characters in each input window.
    weights_dir : str, default="rnn_model_weights"
        Keyword only. Folder of ``{model_name}_weights.pth`` and
        ``{model_name}_losses.json``, relative to the working directory.
    seed : int, default=0
        Keyword only. Seeds the weight initialisation and the batch order of
        ``train`` without touching torch's global generator.
    device : str or torch.device, optional
        Keyword only. Defaults to CUDA when available, else the CPU.
    precision : {"auto", "fp32", "bf16"}, default="auto"
        Keyword only. Autocast precision, resolved by
        ``utilities.runtime.resolve_precision``: "auto" uses bf16 where the
        hardware computes it natively; "bf16" elsewhere raises ValueError.

    Attributes
    ----------
    model : nn.Module or None
        Built by ``define_model()``; maps (N, T) int64 windows to (N, V) logits.
    model_name : str
        The subclass name ("RNN", "LSTM"); names the checkpoint files.
    hp : dict
        Hyperparameters stored by ``set_hyperparameters()``.
    loss_history : list of float
        Mean training cross-entropy of each epoch of the last training run.
    val_loss_history : list of float
        Validation cross-entropy per epoch; empty without a validation split.
    epoch_seconds : list of float
        Wall time of each epoch.
    """

    def __init__(self, vocab_size, max_input_len, *, weights_dir="rnn_model_weights", seed=0,
                 device=None, precision="auto"):
        for name, value in (("vocab_size", vocab_size), ("max_input_len", max_input_len)):
            if not isinstance(value, (int, np.integer)) or value < 1:
                raise ValueError(f"{name} must be a positive integer, got {value!r}")
        self.vocab_size = int(vocab_size)
        self.max_input_len = int(max_input_len)
        self.model = None
        self.model_name = type(self).__name__
        self.hp = {}
        self.loss_history = []
        self.val_loss_history = []
        self.epoch_seconds = []
        self.weights_dir = str(weights_dir)
        self.seed = seed
        self.device = runtime.select_device(device)
        self.precision = runtime.resolve_precision(precision, self.device)

    @property
    def hyper_params(self):
        """The hyperparameter dict that ``set_hyperparameters()`` stored in ``self.hp``."""
        return self.hp

    @property
    def history(self):
        """``{"train": loss_history, "val": val_loss_history, "epoch_seconds": ...}``."""
        return {"train": self.loss_history, "val": self.val_loss_history,
                "epoch_seconds": self.epoch_seconds}

    def save_model_path(self):
        """Path of the best weights: ``rnn_model_weights/{model_name}_weights.pth``."""
        return os.path.join(self.weights_dir, f"{self.model_name}_weights.pth")

    def save_losses_path(self):
        """Path of the loss history: ``rnn_model_weights/{model_name}_losses.json``."""
        return os.path.join(self.weights_dir, f"{self.model_name}_losses.json")

    def set_hyperparameters(self):
        """Store embedding_dim, the unit count, learning_rate, batch_size and epochs in ``self.hp``."""
        raise NotImplementedError(f"{self.model_name} must implement set_hyperparameters()")

    def define_model(self):
        """Build ``self.model``: Embedding -> recurrent layer -> adapter -> Linear."""
        raise NotImplementedError(f"{self.model_name} must implement define_model()")

    def _require_model(self):
        if self.model is None:
            raise RuntimeError(
                f"{self.model_name} has no network yet; call set_hyperparameters() and "
                "define_model() first"
            )

    def _require_training_hyperparameters(self):
        missing = [key for key in TRAINING_KEYS if key not in self.hp]
        if missing:
            raise ValueError(f"self.hp lacks {missing}; set_hyperparameters() must store "
                             f"{list(TRAINING_KEYS)} (got keys {sorted(self.hp)})")

    def _autocast(self):
        return runtime.autocast(self.device, self.precision)

    def _as_indices(self, arr, name):
        """``arr`` as an int64 tensor, or ValueError unless it holds indices in [0, V).

        Float arrays are accepted when every value is a whole number, since
        ``preprocess_text_data`` stores the indices as float32.
        """
        if not (np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)) \
                or not np.all(np.isfinite(arr)) or not np.all(arr == np.round(arr)):
            raise ValueError(f"{name} must hold whole-number character indices, got dtype "
                             f"{arr.dtype}; pass the arrays from preprocess_text_data")
        if arr.size and (arr.min() < 0 or arr.max() >= self.vocab_size):
            raise ValueError(f"{name} indices must lie in [0, {self.vocab_size}), "
                             f"got [{arr.min():g}, {arr.max():g}]")
        return torch.as_tensor(arr.astype(np.int64))

    def _check_windows(self, x):
        """Validate windows ``x`` of shape (N, T) and return them as an int64 tensor."""
        x = np.asarray(x)
        if x.ndim != 2 or x.shape[1] != self.max_input_len:
            raise ValueError(f"x must have shape (N, {self.max_input_len}), got {x.shape}")
        return self._as_indices(x, "x")

    def _check_data(self, x, y):
        """Validate windows ``x`` (N, T) and targets ``y`` (N, 1) or (N,); return int64 tensors."""
        x, y = self._check_windows(x), np.asarray(y).reshape(-1)
        if len(y) != len(x):
            raise ValueError(f"x and y must hold the same number of windows, got {len(x)} and {len(y)}")
        return x, self._as_indices(y, "y")

    def train(self, x, y, train_from_scratch=False, *, validation_fraction=0.0,
              clip_norm=CLIP_NORM, verbose=True):
        """Fit the network, or load the saved one when both checkpoint files exist.

        RMSprop on the cross-entropy, over shuffled mini-batches, for
        ``hp["epochs"]`` epochs. The weights of the best epoch (lowest training
        loss, or lowest validation loss with a validation split) are saved to
        ``save_model_path()`` and left in ``self.model``; the loss history goes
        to ``save_losses_path()``.

        Parameters
        ----------
        x : ndarray of shape (N, T), whole numbers
            Input windows of character indices.
        y : ndarray of shape (N, 1) or (N,), whole numbers
            Index of the character that follows each window.
        train_from_scratch : bool, default=False
            Retrain even when saved weights and losses exist.
        validation_fraction : float in [0, 1), default=0.0
            Keyword only. Hold out this last fraction of the windows, by
            position, and keep the weights with the lowest validation loss.
        clip_norm : float or None, default=CLIP_NORM
            Keyword only. Cap on the global gradient norm; None disables it.
        verbose : bool, default=True
            Keyword only. Print per-epoch losses and checkpoint messages.

        Returns
        -------
        history : dict
            ``train`` and ``val`` mean cross-entropy per epoch, ``epoch_seconds``.
        """
        self._require_model()
        self._require_training_hyperparameters()
        if not 0 <= validation_fraction < 1:
            raise ValueError(f"validation_fraction must lie in [0, 1), got {validation_fraction}")
        x, y = self._check_data(x, y)
        if not train_from_scratch and os.path.exists(self.save_model_path()) \
                and os.path.exists(self.save_losses_path()):
            self.load()
            if verbose:
                print(f"Loaded {self.model_name} weights from {self.save_model_path()}; "
                      "the run that saved them logged:")
                for epoch in range(1, len(self.loss_history) + 1):
                    print(self._epoch_line(epoch))
            return self.history
        if verbose:
            print(f"Training {self.model_name} model from scratch...")
        # A partial run must not pair its weights with an older run's history.
        if os.path.exists(self.save_losses_path()):
            os.remove(self.save_losses_path())
        self._reset_parameters()
        if validation_fraction > 0:
            n_train, val_start = split_by_position(len(x), self.max_input_len, validation_fraction)
            val_data = (x[val_start:], y[val_start:])
        else:
            n_train, val_data = len(x), None
        self._fit((x[:n_train], y[:n_train]), val_data, clip_norm, verbose)
        self.save_losses()
        if verbose:
            print(f"Finished training. Best model weights saved to {self.save_model_path()}")
            print(f"Saved {self.model_name} model loss history to {self.save_losses_path()}")
        return self.history

    def _reset_parameters(self):
        """Re-initialise every layer from ``self.seed`` without touching the global RNG."""
        self.model.to("cpu")
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(self.seed)
            for module in self.model.modules():
                if hasattr(module, "reset_parameters"):
                    module.reset_parameters()
        self.model.to(self.device)

    def _fit(self, train_data, val_data, clip_norm, verbose):
        """Run the epochs; keep and save the weights of the best epoch."""
        x_train, y_train = (t.to(self.device) for t in train_data)
        optimizer = torch.optim.RMSprop(self.model.parameters(), lr=self.hp["learning_rate"])
        generator = torch.Generator().manual_seed(self.seed)
        self.loss_history, self.val_loss_history, self.epoch_seconds = [], [], []
        epochs = self.hp["epochs"]
        best_loss, best_state = math.inf, None
        for epoch in range(1, epochs + 1):
            start = time.perf_counter()
            train_loss = self._train_epoch(x_train, y_train, optimizer, generator, clip_norm)
            self.loss_history.append(train_loss)
            monitored = train_loss
            if val_data is not None:
                monitored = self.evaluate_loss(*val_data)
                self.val_loss_history.append(monitored)
            self.epoch_seconds.append(time.perf_counter() - start)
            if verbose:
                print(self._epoch_line(epoch, epochs))
            if monitored < best_loss:
                best_loss = monitored
                best_state = runtime.snapshot_state(self.model)
                self.save_weights()
                if verbose:
                    print(f"    Saved best model to {self.save_model_path()}")
        if best_state is None:
            raise RuntimeError(f"{self.model_name} training diverged (loss {monitored}); lower "
                               "hp['learning_rate'] in set_hyperparameters()")
        self.model.load_state_dict(best_state)

    def _epoch_line(self, epoch, epochs=None):
        """The log line of ``epoch`` (1-based) from the stored histories."""
        epochs = epochs or len(self.loss_history)
        line = f"Epoch {epoch}/{epochs}, Loss: {self.loss_history[epoch - 1]:.4f}"
        if self.val_loss_history:
            line += f", validation loss: {self.val_loss_history[epoch - 1]:.4f}"
        if self.epoch_seconds:
            line += f" ({self.epoch_seconds[epoch - 1]:.1f} s)"
        return line

    def _train_epoch(self, x, y, optimizer, generator, clip_norm):
        """One pass over shuffled mini-batches; returns the mean training loss."""
        self.model.train()
        batch_size = self.hp["batch_size"]
        order = torch.randperm(len(x), generator=generator).to(x.device)
        total = 0.0
        for start in range(0, len(x), batch_size):
            batch = order[start:start + batch_size]
            with self._autocast():
                logits = self.model(x[batch])  # (N, V)
            loss = nn.functional.cross_entropy(logits.float(), y[batch])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            if clip_norm is not None:
                nn.utils.clip_grad_norm_(self.model.parameters(), clip_norm)
            optimizer.step()
            total += loss.item() * len(batch)
        return total / len(x)

    def _logits(self, x):
        """Logits (N, V) in fp32 for int64 windows (N, T), in eval mode, in chunks."""
        self.model.eval()
        chunks = []
        with torch.no_grad(), self._autocast():
            for start in range(0, len(x), EVAL_BATCH_SIZE):
                chunks.append(self.model(x[start:start + EVAL_BATCH_SIZE].to(self.device)).float())
        return torch.cat(chunks)

    def evaluate_loss(self, x, y):
        """Mean cross-entropy of the current network on windows ``x`` with targets ``y``."""
        self._require_model()
        if not torch.is_tensor(x) or not torch.is_tensor(y):
            x, y = self._check_data(x, y)
        logits = self._logits(x)
        return nn.functional.cross_entropy(logits, y.to(logits.device)).item()

    def predict(self, x):
        """Next-character probabilities for each window.

        Parameters
        ----------
        x : ndarray of shape (N, T), whole numbers
            Windows of character indices.

        Returns
        -------
        probs : ndarray of shape (N, V), float32
            Each row sums to 1.
        """
        self._require_model()
        x = self._check_windows(x)
        return torch.softmax(self._logits(x), dim=1).cpu().numpy()

    def save_weights(self):
        """Atomically write the current weights to ``save_model_path()``."""
        runtime.atomic_write(self.save_model_path(), lambda f: torch.save(self.model.state_dict(), f))

    def save_losses(self):
        """Atomically write ``history`` to ``save_losses_path()`` as JSON."""
        payload = json.dumps(self.history, indent=2).encode("utf-8")
        runtime.atomic_write(self.save_losses_path(), lambda f: f.write(payload))

    def load(self):
        """Load weights and loss history saved by ``train``.

        The history file may also be a plain list of per-epoch training
        losses. Raises ``ValueError`` naming the file and the fix when a file is
        unreadable or the weights do not fit the network from ``define_model()``.
        """
        self._require_model()
        weights, losses = self.save_model_path(), self.save_losses_path()
        fix = "retrain with train_from_scratch=True or delete it"
        try:
            state = torch.load(weights, map_location=self.device, weights_only=True)
        # torch.load signals damage through many types (unpickling, zip, EOF, runtime).
        except Exception as error:
            raise ValueError(f"could not read {weights} ({type(error).__name__}); "
                             f"the file is damaged: {fix}") from error
        try:
            self.model.load_state_dict(state)
        except (RuntimeError, TypeError, AttributeError) as error:
            raise ValueError(
                f"the weights in {weights} do not fit the current {self.model_name} architecture "
                f"(check set_hyperparameters()); {fix}. {_describe_mismatch(state, self.model)}"
            ) from error
        try:
            with open(losses, encoding="utf-8") as f:
                saved = json.load(f)
            if isinstance(saved, list):
                saved = {"train": saved}
            self.loss_history = [float(v) for v in saved["train"]]
            self.val_loss_history = [float(v) for v in saved.get("val", [])]
            self.epoch_seconds = [float(v) for v in saved.get("epoch_seconds", [])]
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise ValueError(f"could not read the loss history in {losses}; {fix}") from error
        self.model.to(self.device)

    def plot_loss(self, *, ax=None):
        """Plot the training (and any validation) loss per epoch; returns the matplotlib Axes.

        ``ax`` (keyword only) draws into an existing Axes instead of a new figure.
        """
        if not self.loss_history:
            raise RuntimeError(f"{self.model_name} has no loss history; call train() first")
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(6, 4))
        epochs = np.arange(1, len(self.loss_history) + 1)
        ax.plot(epochs, self.loss_history, marker="o", label="training")
        if self.val_loss_history:
            ax.plot(epochs, self.val_loss_history, marker="s", label="validation (end of text)")
        ax.set_xlabel("epoch")
        ax.set_ylabel("cross-entropy (nats per character)")
        ax.set_title(f"{self.model_name} loss")
        ax.legend()
        return ax
