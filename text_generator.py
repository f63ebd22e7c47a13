"""Sample text one character at a time from a trained Q4 model (given code).

The model sees a sliding window of the last T characters (T = max_input_len),
predicts a distribution over the V characters of the vocabulary, and one
character is drawn from it after temperature scaling; the window then slides
by one. Used by the notebook as
``TextGenerator(CHAR_INDICES, INDICES_CHAR, SEQUENCE_LEN).generate(rnn_model, seed_text)``.
"""

import numpy as np
import torch


def apply_temperature(preds, temperature):
    """Rescale a distribution as softmax(log(p) / temperature).

    Temperatures below 1 sharpen it (lower entropy); above 1 flatten it.

    Parameters
    ----------
    preds : array-like of shape (V,)
        A probability distribution.
    temperature : float
        Positive scaling temperature.

    Returns
    -------
    ndarray of shape (V,), float64, summing to 1.
    """
    # log(0) = -inf keeps an impossible character impossible: exp(-inf) = 0.
    with np.errstate(divide="ignore"):
        logits = np.log(np.asarray(preds, dtype=np.float64)) / temperature
    # Subtracting the maximum keeps exp() from overflowing at small temperatures.
    weights = np.exp(logits - logits.max())
    return weights / weights.sum()


def _check_temperature(temperature):
    if not isinstance(temperature, (int, float, np.number)) or not np.isfinite(temperature) \
            or temperature <= 0:
        raise ValueError(f"temperature must be a positive number, got {temperature}")


class TextGenerator:
    """Generate text with a trained ``BaseSequentialModel`` subclass.

    Parameters
    ----------
    char_indices : dict of str to int
        Character -> index, as built by ``preprocess_text_data``.
    indices_char : dict of int to str
        Index -> character.
    max_input_len : int
        T, the window length the model was trained on.
    seed : int or None, default=None
        Keyword only. Seeds the generator's own sampler, so that a run of
        ``generate`` calls can be repeated; None draws fresh entropy.
    """

    def __init__(self, char_indices, indices_char, max_input_len, *, seed=None):
        if len(char_indices) != len(indices_char):
            raise ValueError(
                f"char_indices and indices_char must describe the same vocabulary, "
                f"got {len(char_indices)} and {len(indices_char)} entries"
            )
        if not isinstance(max_input_len, (int, np.integer)) or max_input_len < 1:
            raise ValueError(f"max_input_len must be a positive integer, got {max_input_len!r}")
        self.char_indices = dict(char_indices)
        self.indices_char = dict(indices_char)
        self.max_input_len = int(max_input_len)
        self.rng = np.random.default_rng(seed)

    def sample(self, preds, temperature=0.5):
        """Draw one character index from ``preds`` rescaled by ``temperature``.

        Parameters
        ----------
        preds : array-like of shape (V,)
            Next-character probabilities.
        temperature : float, default=0.5
            > 0; lower is more conservative.

        Returns
        -------
        int
        """
        _check_temperature(temperature)
        scaled = apply_temperature(preds, temperature)
        return int(self.rng.choice(len(scaled), p=scaled))

    def _check_request(self, model_wrapper, seed_text, length, temperature):
        """Validate the arguments of ``generate``; raises ``ValueError``."""
        _check_temperature(temperature)
        if not isinstance(length, (int, np.integer)) or length < 0:
            raise ValueError(f"length must be a non-negative integer, got {length!r}")
        if not isinstance(seed_text, str) or len(seed_text) < self.max_input_len:
            got = len(seed_text) if isinstance(seed_text, str) else type(seed_text).__name__
            raise ValueError(
                f"seed_text must be a string of at least {self.max_input_len} characters "
                f"(the model's window), got {got}"
            )
        unknown = sorted(set(seed_text) - set(self.char_indices))
        if unknown:
            raise ValueError(
                f"seed_text contains characters outside the vocabulary: {unknown}; "
                "clean it the way preprocess_text_data does (lower case, kept punctuation only)"
            )
        if getattr(model_wrapper, "vocab_size", len(self.char_indices)) != len(self.char_indices):
            raise ValueError(
                f"the model predicts {model_wrapper.vocab_size} characters but the vocabulary "
                f"has {len(self.char_indices)}"
            )
        if getattr(model_wrapper, "model", None) is None:
            raise ValueError("model_wrapper has no network; call define_model() and train() first")

    def generate(self, model_wrapper, seed_text, length=150, temperature=0.5, *, verbose=True):
        """Continue ``seed_text`` by ``length`` sampled characters and print the result.

        Parameters
        ----------
        model_wrapper : BaseSequentialModel
            A trained model; its ``model`` maps (1, T) int64 windows to (1, V) logits.
        seed_text : str
            The prompt; at least T characters from the vocabulary. Only its
            last T characters form the first window.
        length : int, default=150
            Characters to generate.
        temperature : float, default=0.5
            Sampling temperature, > 0; lower is more conservative.
        verbose : bool, default=True
            Keyword only. Print a header naming the model, the prompt and the continuation.

        Returns
        -------
        str
            The generated continuation (the prompt excluded).
        """
        self._check_request(model_wrapper, seed_text, length, temperature)
        model = model_wrapper.model
        device = next(model.parameters()).device
        model.eval()
        window = [self.char_indices[c] for c in seed_text[-self.max_input_len:]]
        generated = []
        with torch.no_grad():
            for _ in range(length):
                logits = model(torch.tensor([window], dtype=torch.long, device=device))  # (1, V)
                preds = torch.softmax(logits.float(), dim=-1)[0].cpu().numpy()
                index = self.sample(preds, temperature)
                generated.append(self.indices_char[index])
                window = window[1:] + [index]
        text = "".join(generated)
        if verbose:
            name = getattr(model_wrapper, "model_name", type(model_wrapper).__name__)
            print(f"----- {name} Model -----")
            print(f"Prompt: {seed_text}")
            print(f"Model: {text}\n")
        return text
