"""Mutated submissions for tests/test_grader.py.

Each mutant is the reference with one bug put in by text replacement, so it
follows the reference as it evolves; a replacement whose text is no longer
there fails the test with a clear message instead of silently testing nothing.
``lost`` lists the points each broken sub-item must lose in ``variant``;
every other item of the variant must keep full marks. Where a bug also shows
in a training item, the loss there was checked by running it (noted below).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Mutant:
    name: str
    file: str
    replacements: tuple  # (old, new) pairs, each old text must occur exactly once
    variant: str
    lost: dict


MUTANTS = (
    Mutant("softmax_without_max_subtraction", "NN.py",
           (("np.exp(u - u.max(axis=1, keepdims=True))", "np.exp(u)"),),
           "undergraduate", {"1.1.2": 2.5}),
    Mutant("adam_without_bias_correction", "NN.py",
           (("m_hat = self.first_moment[name] / (1 - self.beta1 ** self.t)",
             "m_hat = self.first_moment[name]"),
            ("v_hat = self.second_moment[name] / (1 - self.beta2 ** self.t)",
             "v_hat = self.second_moment[name]")),
           "graduate", {"1.1.9": 5, "1.1.13": 2.5, "1.1.14": 2.5}),
    Mutant("dropout_without_rescaling", "NN.py",
           (("return u * mask / (1 - prob), mask", "return u * mask, mask"),),
           # Training with unscaled dropout also shifts 1.3's mid-class recall
           # to 0.333 against 0.5 (gap 0.167 > 0.15), the same with SkylakeX,
           # Haswell, Sandybridge and one thread: its masks come from the
           # seeded global generator, so the run is the same on every machine.
           "undergraduate", {"1.1.4": 5, "1.3": 2.5}),
    Mutant("gradients_not_averaged", "NN.py",
           (("dLoss_u3 = (yh - y) / y.shape[0]", "dLoss_u3 = yh - y"),),
           # N-times larger steps: full-batch GD oscillates (its loss rises by
           # 3.6-5.1 between two iterations), so 1.2.1 loses its trajectory
           # and, as an unstable run, its CE and confusion parts (whose values
           # depend on the BLAS kernel). Mini-batch GD at 64x the step still
           # trains, but its trajectory is 0.22 from the expected one (bar
           # 0.15) on every kernel tried, so 1.3 loses that part only.
           "undergraduate", {"1.1.7": 7.5, "1.1.10": 5, "1.1.11": 2.5, "1.1.12": 2.5,
                             "1.2.1": 7.5, "1.3": 2.5}),
    Mutant("cnn_with_one_convolution", "cnn.py",
           (("*conv(1, 8), *conv(8, 32), nn.MaxPool2d(2), nn.Dropout(DROPOUT),\n"
             "            *conv(32, 32), *conv(32, 64), nn.MaxPool2d(2), nn.Dropout(DROPOUT),",
             "*conv(1, 64), nn.MaxPool2d(4), nn.Dropout(DROPOUT),"),),
           "undergraduate", {"2.1.2": 5}),
    Mutant("augmentation_without_flip", "cnn_image_transformations.py",
           (("v2.RandomHorizontalFlip(p=FLIP_PROBABILITY),", ""),),
           "undergraduate", {"2.1.1": 5}),
    Mutant("rbf_with_wrong_sign", "svm.py",
           (("np.exp(-gamma *", "np.exp(gamma *"),), "undergraduate", {"3.3.2": 5}),
    Mutant("kernel_ignoring_phi", "svm.py",
           (("np.dot(phi_Z[i], phi_X[j])", "np.dot(Z[i], X[j])"),),
           "undergraduate", {"3.3.1": 5}),
    Mutant("features_not_lifted", "svm.py",
           (("return np.column_stack((X, squared_norm))", "return X"),),
           "undergraduate", {"3.2": 5}),
    Mutant("rnn_adapter_returns_first_step", "rnn.py",
           (("_, h_n = inputs\n        return h_n[-1]", "output, _ = inputs\n        return output[:, 0]"),),
           "bonus", {"4.1.1": 2.5}),
    Mutant("lstm_adapter_returns_cell_state", "lstm.py",
           (("_, (h_n, _) = inputs\n        return h_n[-1]", "_, (_, c_n) = inputs\n        return c_n[-1]"),),
           "bonus", {"4.1.2": 2.5}),
)


def apply(mutant, text):
    """Return ``text`` with the mutant's replacements made."""
    for old, new in mutant.replacements:
        count = text.count(old)
        if count != 1:
            raise ValueError(f"mutant {mutant.name}: expected {old!r} once in {mutant.file}, "
                             f"found it {count} times; update tests/grader_fixtures/mutants.py")
        text = text.replace(old, new)
    return text
