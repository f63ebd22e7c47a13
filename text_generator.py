"""Sample text one character at a time from a trained Q4 model.

The model sees a sliding window of the last T characters (T = sequence_len),
predicts a distribution over the V characters of the vocabulary, and one
character is drawn from it after temperature scaling; the window then slides
by one. Used by the notebook as
``TextGenerator(CHAR_INDICES, INDICES_CHAR, SEQUENCE_LEN).generate(rnn_model, seed_text)``.
"""

import numpy as np

def apply_temperature(probs, temperature):
    """Rescale a distribution as softmax(log(p) / temperature).

    Temperatures below 1 sharpen it (lower entropy); above 1 flatten it.

    Parameters
    ----------
    probs : ndarray of shape (V,)
        A probability distribution.
    temperature : float
        Positive scaling temperature.

    Returns
    -------
    ndarray of shape (V,), float64, summing to 1.
    """
    # log(0) = -inf keeps an impossible character impossible: exp(-inf) = 0.
    with np.errstate(divide="ignore"):
        logits = np.log(np.asarray(probs, dtype=np.float64)) / temperature
    # Subtracting the maximum keeps exp() from overflowing at small temperatures.
    weights = np.exp(logits - logits.max())
    return weights / weights.sum()


class TextGenerator:
    """Generate text with a trained ``BaseSequentialModel`` subclass.

    Parameters
    ----------
    char_indices : dict of str to int
        Character -> index, as built by ``preprocess_text_data``.
    indices_char : dict of int to str
        Index -> character.
    sequence_len : int
        T, the window length the model was trained on.
    seed : int or None, default=None
        Seeds the sampler shared by every ``generate`` call without its own seed.
    """

    def __init__(self, char_indices, indices_char, sequence_len, seed=None):
        if len(char_indices) != len(indices_char):
            raise ValueError(
                f"char_indices and indices_char must describe the same vocabulary, "
                f"got {len(char_indices)} and {len(indices_char)} entries"
            )
        if not isinstance(sequence_len, (int, np.integer)) or sequence_len < 1:
            raise ValueError(f"sequence_len must be a positive integer, got {sequence_len!r}")
        self.char_indices = dict(char_indices)
        self.indices_char = dict(indices_char)
        self.sequence_len = int(sequence_len)
        self.rng = np.random.default_rng(seed)

    def _check_request(self, model_wrapper, seed_text, length, temperature):
        """Validate the arguments of ``generate``; raises ``ValueError``."""
        if not isinstance(temperature, (int, float, np.number)) or not np.isfinite(temperature) \
                or temperature <= 0:
            raise ValueError(f"temperature must be a positive number, got {temperature}")
        if not isinstance(length, (int, np.integer)) or length < 0:
            raise ValueError(f"length must be a non-negative integer, got {length!r}")
        if not isinstance(seed_text, str) or len(seed_text) < self.sequence_len:
            got = len(seed_text) if isinstance(seed_text, str) else type(seed_text).__name__
            raise ValueError(
                f"seed_text must be a string of at least {self.sequence_len} characters "
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

    def sample(self, model_wrapper, seed_text, length, temperature, rng):
        """Draw ``length`` characters after ``seed_text``; inputs are assumed checked.

        Returns
        -------
        text : str
            The ``length`` generated characters (the prompt excluded).
        distributions : ndarray of shape (length, V)
            The temperature-scaled distribution each character was drawn from.
        """
        window = [self.char_indices[c] for c in seed_text[-self.sequence_len:]]
        chars, distributions = [], []
        for _ in range(length):
            probs = model_wrapper.predict(np.array([window], dtype=np.int64))[0]
            scaled = apply_temperature(probs, temperature)
            index = int(rng.choice(len(scaled), p=scaled))
            chars.append(self.indices_char[index])
            distributions.append(scaled)
            window = window[1:] + [index]
        return "".join(chars), np.array(distributions).reshape(length, len(self.char_indices))

    def generate(self, model_wrapper, seed_text, length=150, temperature=0.75, seed=None,
                 verbose=True):
        """Continue ``seed_text`` by ``length`` sampled characters and print the result.

        Parameters
        ----------
        model_wrapper : BaseSequentialModel
            A trained model (``predict`` maps (1, T) windows to (1, V) probabilities).
        seed_text : str
            The prompt; at least T characters from the vocabulary. Only its
            last T characters form the first window.
        length : int, default=150
            Characters to generate.
        temperature : float, default=0.75
            Sampling temperature, > 0; lower is more conservative.
        seed : int or None, default=None
            Seeds this call only; None uses the generator's own sampler.
        verbose : bool, default=True
            Print a header naming the model, the prompt and the continuation.

        Returns
        -------
        str
            The generated continuation.
        """
        self._check_request(model_wrapper, seed_text, length, temperature)
        rng = self.rng if seed is None else np.random.default_rng(seed)
        text, _ = self.sample(model_wrapper, seed_text, length, temperature, rng)
        if verbose:
            name = getattr(model_wrapper, "NAME", type(model_wrapper).__name__)
            print(f"----- {name} Model -----")
            print(f"Prompt: {seed_text}")
            print(f"Model: {text}\n")
        return text
