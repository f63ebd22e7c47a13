"""Training wrapper shared by the character-level RNN and LSTM of Q4.

``BaseSequentialModel`` is a plain class, not an ``nn.Module``: it holds the
network in ``self.model`` and adds training, checkpointing, loss plots and
prediction around it. Subclasses (``rnn.RNN``, ``lstm.LSTM``) supply
``set_hyperparameters()`` and ``define_model()``.

Dimension letters used in this module and its subclasses:
N sequences (a batch), T characters per input window (``sequence_len``),
E embedding size, H recurrent units, V vocabulary size.
"""

import json
import math
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

from utilities import runtime

# The last 10% of windows (by position in the text) are held out for validation.
VALIDATION_FRACTION = 0.1
# Windows per forward pass when only evaluating; memory, not accuracy, sets it.
EVAL_BATCH_SIZE = 2048


def split_by_position(n_windows, sequence_len, fraction=VALIDATION_FRACTION):
    """Return ``(n_train, val_start)`` for a positional train/validation split.

    Window i covers characters i .. i+T (its target included), so the last
    T training windows would share characters with the first validation
    window; they are dropped to keep the validation text unseen.
    """
    n_val = max(1, math.ceil(fraction * n_windows))
    val_start = n_windows - n_val
    n_train = val_start - sequence_len
    if n_train < 1:
        raise ValueError(
            f"{n_windows} windows of length {sequence_len} leave no training windows after "
            f"holding out {n_val} for validation and a gap of {sequence_len}; use a longer text"
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
    sequence_len : int
        T, characters in each input window.
    weights_dir : str or Path, default="rnn_model_weights"
        Folder for ``<NAME>_weights.pth`` and ``<NAME>_losses.json``,
        relative to the working directory.
    seed : int, default=0
        Seeds the weight initialisation and the batch order of ``train``.
    device : str or torch.device, optional
        Defaults to CUDA when available, else the CPU.
    precision : {"auto", "fp32", "bf16"}, default="auto"
        Autocast precision, resolved by ``utilities.runtime.resolve_precision``:
        "auto" uses bf16 where the hardware computes it natively; "bf16"
        elsewhere raises ValueError.
    """

    NAME = "SequentialModel"

    def __init__(self, vocab_size, sequence_len, weights_dir="rnn_model_weights", seed=0,
                 device=None, precision="auto"):
        for name, value in (("vocab_size", vocab_size), ("sequence_len", sequence_len)):
            if not isinstance(value, (int, np.integer)) or value < 1:
                raise ValueError(f"{name} must be a positive integer, got {value!r}")
        self.vocab_size = int(vocab_size)
        self.sequence_len = int(sequence_len)
        self.weights_dir = Path(weights_dir)
        self.seed = seed
        self.device = runtime.select_device(device)
        self.precision = runtime.resolve_precision(precision, self.device)
        self.model = None
        self.history = {"train": [], "val": [], "epoch_seconds": []}

    @property
    def weights_path(self):
        """Path of the best weights, ``<weights_dir>/<NAME>_weights.pth``."""
        return self.weights_dir / f"{self.NAME}_weights.pth"

    @property
    def losses_path(self):
        """Path of the loss history, ``<weights_dir>/<NAME>_losses.json``."""
        return self.weights_dir / f"{self.NAME}_losses.json"

    def set_hyperparameters(self):
        """Set embedding_dim, the unit count, batch_size, epochs, learning_rate, clip_norm."""
        raise NotImplementedError(f"{type(self).__name__} must implement set_hyperparameters()")

    def define_model(self):
        """Build ``self.model``: Embedding -> recurrent layer -> adapter -> Linear."""
        raise NotImplementedError(f"{type(self).__name__} must implement define_model()")

    def _require_model(self):
        if self.model is None:
            raise RuntimeError(
                f"{self.NAME} has no network yet; call set_hyperparameters() and define_model() first"
            )

    def _autocast(self):
        return runtime.autocast(self.device, self.precision)

    def _check_data(self, x, y):
        """Validate and convert ``x`` (N, T) and ``y`` (N, 1) or (N,) to int64 tensors."""
        x, y = np.asarray(x), np.asarray(y).reshape(-1)
        if x.ndim != 2 or x.shape[1] != self.sequence_len:
            raise ValueError(f"x must have shape (N, {self.sequence_len}), got {x.shape}")
        if len(y) != len(x):
            raise ValueError(f"x and y must hold the same number of windows, got {len(x)} and {len(y)}")
        for name, arr in (("x", x), ("y", y)):
            if not np.issubdtype(arr.dtype, np.integer):
                raise ValueError(f"{name} must hold integer character indices, got dtype {arr.dtype}")
            if arr.size and (arr.min() < 0 or arr.max() >= self.vocab_size):
                raise ValueError(
                    f"{name} indices must lie in [0, {self.vocab_size}), "
                    f"got [{arr.min()}, {arr.max()}]"
                )
        return torch.as_tensor(x, dtype=torch.long), torch.as_tensor(y, dtype=torch.long)

    def train(self, x, y, train_from_scratch=False, verbose=True):
        """Fit the network, or load the saved one when both checkpoint files exist.

        The last ``VALIDATION_FRACTION`` of the windows, by position, is held
        out; the weights with the lowest validation loss are kept, saved and
        left in ``self.model``.

        Parameters
        ----------
        x : ndarray of shape (N, T), int
            Input windows of character indices.
        y : ndarray of shape (N, 1) or (N,), int
            Index of the character that follows each window.
        train_from_scratch : bool, default=False
            Retrain even when saved weights and losses exist.
        verbose : bool, default=True
            Print the per-epoch losses and checkpoint messages.

        Returns
        -------
        history : dict
            ``train`` and ``val`` mean cross-entropy per epoch, ``epoch_seconds``.
        """
        self._require_model()
        x, y = self._check_data(x, y)
        if not train_from_scratch and self.weights_path.exists() and self.losses_path.exists():
            self.load()
            if verbose:
                print(f"Loaded {self.NAME} weights from {self.weights_path} "
                      f"({len(self.history['train'])} epochs of loss history)")
            return self.history
        if verbose:
            print(f"Training {self.NAME} model from scratch...")
        # A partial run must not pair its weights with an older run's history.
        self.losses_path.unlink(missing_ok=True)
        self._reset_parameters()
        n_train, val_start = split_by_position(len(x), self.sequence_len)
        self._fit((x[:n_train], y[:n_train]), (x[val_start:], y[val_start:]), verbose)
        self.save_losses()
        if verbose:
            print(f"Finished training. Best weights: {self.weights_path}; "
                  f"loss history: {self.losses_path}")
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

    def _fit(self, train_data, val_data, verbose):
        """Run the epochs; keep and save the weights with the lowest validation loss."""
        x_train, y_train = (t.to(self.device) for t in train_data)
        x_val, y_val = (t.to(self.device) for t in val_data)
        optimizer = torch.optim.RMSprop(self.model.parameters(), lr=self.learning_rate)
        generator = torch.Generator().manual_seed(self.seed)
        self.history = {"train": [], "val": [], "epoch_seconds": []}
        best_val, best_state = math.inf, None
        for epoch in range(1, self.epochs + 1):
            start = time.perf_counter()
            train_loss = self._train_epoch(x_train, y_train, optimizer, generator)
            val_loss = self.evaluate_loss(x_val, y_val)
            self.history["train"].append(train_loss)
            self.history["val"].append(val_loss)
            self.history["epoch_seconds"].append(time.perf_counter() - start)
            if verbose:
                print(f"Epoch {epoch}/{self.epochs}, train loss: {train_loss:.4f}, "
                      f"validation loss: {val_loss:.4f}")
            if val_loss < best_val:
                best_val = val_loss
                best_state = runtime.snapshot_state(self.model)
                self.save_weights()
                if verbose:
                    print(f"    Saved best model to {self.weights_path}")
        if best_state is None:
            raise RuntimeError(f"{self.NAME} training diverged (validation loss {val_loss}); "
                               "lower learning_rate or clip_norm in set_hyperparameters()")
        self.model.load_state_dict(best_state)

    def _train_epoch(self, x, y, optimizer, generator):
        """One pass over shuffled mini-batches; returns the mean training loss."""
        self.model.train()
        order = torch.randperm(len(x), generator=generator).to(x.device)
        total = 0.0
        for start in range(0, len(x), self.batch_size):
            batch = order[start:start + self.batch_size]
            with self._autocast():
                logits = self.model(x[batch])  # (N, V)
            loss = nn.functional.cross_entropy(logits.float(), y[batch])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            # Recurrent gradients can explode over T steps; cap their norm.
            nn.utils.clip_grad_norm_(self.model.parameters(), self.clip_norm)
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
        x : ndarray of shape (N, T), int
            Windows of character indices.

        Returns
        -------
        probs : ndarray of shape (N, V), float32
            Each row sums to 1.
        """
        self._require_model()
        x, _ = self._check_data(x, np.zeros(len(np.asarray(x)), dtype=np.int64))
        return torch.softmax(self._logits(x), dim=1).cpu().numpy()

    def save_weights(self):
        """Atomically write the current weights to ``weights_path``."""
        runtime.atomic_write(self.weights_path, lambda f: torch.save(self.model.state_dict(), f))

    def save_losses(self):
        """Atomically write ``history`` to ``losses_path`` as JSON."""
        payload = json.dumps(self.history, indent=2).encode("utf-8")
        runtime.atomic_write(self.losses_path, lambda f: f.write(payload))

    def load(self):
        """Load weights and loss history saved by ``train``.

        Raises ``ValueError`` naming the file and the fix when a file is
        unreadable or the weights do not fit the network from ``define_model()``.
        """
        self._require_model()
        fix = "retrain with train_from_scratch=True or delete it"
        try:
            state = torch.load(self.weights_path, map_location=self.device, weights_only=True)
        # torch.load signals damage through many types (unpickling, zip, EOF, runtime).
        except Exception as error:
            raise ValueError(f"could not read {self.weights_path} ({type(error).__name__}); "
                             f"the file is damaged: {fix}") from error
        try:
            self.model.load_state_dict(state)
        except (RuntimeError, TypeError, AttributeError) as error:
            raise ValueError(
                f"the weights in {self.weights_path} do not fit the current {self.NAME} architecture "
                f"(check set_hyperparameters()); {fix}. {_describe_mismatch(state, self.model)}"
            ) from error
        try:
            history = json.loads(self.losses_path.read_text(encoding="utf-8"))
            self.history = {key: [float(v) for v in history[key]] for key in ("train", "val")}
            self.history["epoch_seconds"] = [float(v) for v in history.get("epoch_seconds", [])]
        except (ValueError, KeyError, TypeError) as error:
            raise ValueError(f"could not read the loss history in {self.losses_path}; {fix}") from error
        self.model.to(self.device)

    def plot_loss(self, ax=None):
        """Plot training and validation loss per epoch; returns the matplotlib Axes."""
        if not self.history["train"]:
            raise RuntimeError(f"{self.NAME} has no loss history; call train() first")
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(6, 4))
        epochs = np.arange(1, len(self.history["train"]) + 1)
        ax.plot(epochs, self.history["train"], marker="o", label="training")
        ax.plot(epochs, self.history["val"], marker="s", label="validation (last 10% of text)")
        ax.set_xlabel("epoch")
        ax.set_ylabel("cross-entropy (nats per character)")
        ax.set_title(f"{self.NAME} loss")
        ax.legend()
        return ax
