"""Tests of NN.py (Q1): the course's contract, local-test literals, gradient checks, training.

The references here are independent of NN.py: scipy's softmax, torch float64
autograd for the forward pass and gradients, NumPy's own random draws for the
course's seeded initialisation and dropout masks, and an Adam written out from
its formula. Run with ``.venv/bin/python -m pytest tests/test_nn.py``.
"""

import contextlib
import inspect
import io

import numpy as np
import pytest
import scipy.special
import torch
import torch.nn.functional as F
from sklearn.metrics import confusion_matrix

from NN import NeuralNet
from utilities.localtests import nn as lt
from utilities.utils import get_housing_dataset

# The literals in localtests are rounded to 1e-10.
LITERAL_TOL = dict(rtol=1e-8, atol=1e-10)
# Centred differences with this step have truncation and round-off errors near
# 1e-10 in float64, far below the 1e-7 relative error the check demands.
FD_STEP = 1e-5
FD_REL_ERROR = 1e-7
# The course's layer widths and Adam constants.
DIMENSIONS = [8, 15, 7, 3]
PARAMETER_NAMES = ["theta1", "b1", "theta2", "b2", "theta3", "b3"]

# Reached through the module so that pytest does not collect TestNN a second time.
LOCAL_TESTS = sorted(name for name in dir(lt.TestNN) if name.startswith("test_"))


# ---- independent references -------------------------------------------------

def torch_loss_and_grads(parameters, x, y, mask=None, prob=lt.NN_DROPOUT_PROB):
    """Mean cross-entropy, softmax output and gradients by torch autograd (float64)."""
    t = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in parameters.items()}
    o1 = F.softsign(torch.tensor(x) @ t["theta1"] + t["b1"])
    if mask is not None:
        o1 = o1 * torch.tensor(mask, dtype=torch.float64) / (1 - prob)
    o2 = F.softsign(o1 @ t["theta2"] + t["b2"])
    logits = o2 @ t["theta3"] + t["b3"]
    loss = F.cross_entropy(logits, torch.tensor(np.argmax(y, axis=1)))
    loss.backward()
    probs = torch.softmax(logits, dim=1).detach().numpy()
    return loss.item(), probs, {k: v.grad.numpy() for k, v in t.items()}


class FormulaAdam:
    """Adam exactly as the homework writes it, with ε inside the square root."""

    def __init__(self, parameters, lr):
        self.p = {k: np.array(v, dtype=float) for k, v in parameters.items()}
        self.m = {k: np.zeros_like(v) for k, v in self.p.items()}
        self.v = {k: np.zeros_like(v) for k, v in self.p.items()}
        self.lr, self.t = lr, 0

    def step(self, grads):
        self.t += 1
        for k, g in grads.items():
            self.m[k] = 0.9 * self.m[k] + 0.1 * g
            self.v[k] = 0.999 * self.v[k] + 0.001 * g ** 2
            m_hat = self.m[k] / (1 - 0.9 ** self.t)
            v_hat = self.v[k] / (1 - 0.999 ** self.t)
            self.p[k] = self.p[k] - self.lr * m_hat / np.sqrt(v_hat + 1e-8)
        return self.p


def course_initial_parameters():
    """The course's initialisation rule, drawn here: seed 0, randn / sqrt(n_in), zero biases."""
    np.random.seed(0)
    parameters = {}
    for layer, (n_in, n_out) in enumerate(zip(DIMENSIONS, DIMENSIONS[1:]), 1):
        parameters[f"theta{layer}"] = np.random.randn(n_in, n_out) / np.sqrt(n_in)
        parameters[f"b{layer}"] = np.zeros(n_out)
    return parameters


def reference_first_losses(x, y, lr, use_adam, use_dropout, batch_size=None, iters=3):
    """Losses of the first ``iters`` course-style training steps, by torch autograd."""
    adam = FormulaAdam(course_initial_parameters(), lr)
    p, n, losses = adam.p, x.shape[0], []
    for i in range(iters):
        rows = np.arange(n) if batch_size is None else (i * batch_size + np.arange(batch_size)) % n
        mask = None
        if use_dropout:
            mask = np.random.choice([0, 1], size=(len(rows), DIMENSIONS[1]),
                                    p=[lt.NN_DROPOUT_PROB, 1 - lt.NN_DROPOUT_PROB])
        loss, _, grads = torch_loss_and_grads(p, x[rows], y[rows], mask)
        losses.append(loss)
        p = adam.step(grads) if use_adam else {k: p[k] - lr * grads[k] for k in p}
    return losses


def norm_rel_error(a, b):
    return np.linalg.norm(a - b) / max(1e-8, np.linalg.norm(a) + np.linalg.norm(b))


def plain_keys(gradients):
    return {k.removeprefix("dLoss_"): g for k, g in gradients.items()}


def quiet(fn, *args, **kwargs):
    """Call ``fn`` without its per-iteration printing."""
    with contextlib.redirect_stdout(io.StringIO()):
        return fn(*args, **kwargs)


# ---- the course's contract ----------------------------------------------------

SIGNATURES = {
    "__init__": "(self, y, use_dropout, use_adam, lr=0.01, batch_size=64, dropout_prob=0.3)",
    "init_parameters": "(self, param=None)",
    "softmax": "(self, u)",
    "softsign": "(self, u)",
    "derivative_softsign": "(self, x)",
    "_dropout": "(u, prob)",
    "cross_entropy_loss": "(self, y, y_hat)",
    "forward": "(self, x, use_dropout)",
    "compute_gradients": "(self, y, yh)",
    "update_weights": "(self, dLoss)",
    "backward": "(self, y, yh)",
    "gradient_descent": "(self, x, y, iter=60000, local_test=False)",
    "minibatch_gradient_descent": "(self, x, y, iter=60000, local_test=False)",
    "predict": "(self, x)",
}


@pytest.mark.parametrize("name", SIGNATURES)
def test_method_signatures_are_the_courses(name):
    assert str(inspect.signature(getattr(NeuralNet, name))) == SIGNATURES[name]


def test_dropout_is_a_staticmethod():
    assert isinstance(inspect.getattr_static(NeuralNet, "_dropout"), staticmethod)


def test_constructor_reads_only_the_shape_of_y():
    y = np.random.default_rng(0).standard_normal((1, 30))  # not one-hot, as in the course's setUp
    nn = NeuralNet(y=y, use_dropout=False, use_adam=False)
    assert nn.y is y
    np.testing.assert_array_equal(nn.y_hat, np.zeros((1, 3)))
    assert nn.sample_count == 1


def test_attributes_after_construction():
    y = np.eye(3)[[0, 1, 2, 1]]
    nn = NeuralNet(y, use_dropout=True, use_adam=True, lr=0.5, batch_size=7, dropout_prob=0.2)
    assert nn.dimensions == DIMENSIONS
    assert nn.eps == 1e-8
    assert (nn.use_dropout, nn.dropout_prob, nn.use_adam) == (True, 0.2, True)
    assert (nn.learning_rate, nn.batch_size, nn.sample_count) == (0.5, 7, 4)
    assert (nn.t, nn.beta1, nn.beta2) == (1, 0.9, 0.999)
    assert nn.cache == {} and nn.loss == [] and nn.batch_y == []
    np.testing.assert_array_equal(nn.y_hat, np.zeros((4, 3)))
    assert list(nn.parameters) == PARAMETER_NAMES
    for moments in (nn.first_moment, nn.second_moment):
        assert sorted(moments) == sorted(PARAMETER_NAMES)
        for k, m in moments.items():
            np.testing.assert_array_equal(m, np.zeros_like(nn.parameters[k]))


def test_defaults_are_the_courses():
    nn = NeuralNet(np.eye(3), use_dropout=False, use_adam=False)
    assert (nn.learning_rate, nn.batch_size, nn.dropout_prob) == (0.01, 64, 0.3)


def test_cache_and_gradient_keys(capsys):
    nn = NeuralNet(np.eye(3), use_dropout=True, use_adam=False)
    x = np.random.default_rng(1).random((5, 8))
    y = np.eye(3)[[0, 1, 2, 0, 1]]
    yh = nn.forward(x, use_dropout=True)
    assert set(nn.cache) == {"X", "u1", "o1", "mask", "u2", "o2", "u3", "o3"}
    assert set(nn.compute_gradients(y, yh)) == {f"dLoss_{k}" for k in PARAMETER_NAMES}


def test_init_parameters_draws_the_courses_seeded_weights():
    nn = NeuralNet(np.eye(3), use_dropout=False, use_adam=False)
    np.random.seed(123)  # init_parameters reseeds, so an earlier state must not matter
    nn.init_parameters()
    expected = course_initial_parameters()
    assert list(nn.parameters) == PARAMETER_NAMES
    for k in PARAMETER_NAMES:
        np.testing.assert_array_equal(nn.parameters[k], expected[k], err_msg=k)


def test_init_parameters_with_param_uses_it_and_resets_the_moments():
    nn = NeuralNet(np.eye(3), use_dropout=False, use_adam=True)
    nn.update_weights({k: np.ones_like(v) for k, v in nn.parameters.items()})  # moments now non-zero
    nn.init_parameters(param=lt.nn_parameters())
    for k in PARAMETER_NAMES:
        np.testing.assert_array_equal(nn.parameters[k], lt.NN_PARAMETERS[k])
        np.testing.assert_array_equal(nn.first_moment[k], 0.0)
        np.testing.assert_array_equal(nn.second_moment[k], 0.0)


def test_seeded_dropout_mask_is_numpys_choice_draw():
    u = np.random.default_rng(2).standard_normal((40, 15))
    np.random.seed(0)
    expected = np.random.choice([0, 1], size=u.shape, p=[0.3, 0.7])
    np.random.seed(0)
    out, mask = NeuralNet._dropout(u, 0.3)
    np.testing.assert_array_equal(mask, expected)
    np.testing.assert_allclose(out, u * expected / 0.7, rtol=1e-15, atol=0)


# ---- the local tests, and where their literals come from ---------------------

@pytest.mark.parametrize("name", LOCAL_TESTS)
def test_local_test_passes(name, capsys):
    getattr(lt.TestNN(name), name)()
    assert f"{name} passed!" in capsys.readouterr().out


def test_local_test_names_match_the_notebook():
    assert len(LOCAL_TESTS) == 16


def test_literal_softmax_softsign_and_loss():
    np.testing.assert_allclose(lt.NN_SOFTMAX, scipy.special.softmax(lt.NN_U, axis=1), **LITERAL_TOL)
    u = torch.tensor(lt.NN_U, requires_grad=True)
    F.softsign(u).sum().backward()
    np.testing.assert_allclose(lt.NN_SOFTSIGN, F.softsign(u).detach().numpy(), **LITERAL_TOL)
    np.testing.assert_allclose(lt.NN_D_SOFTSIGN, u.grad.numpy(), **LITERAL_TOL)
    labels = torch.tensor(np.argmax(lt.NN_Y_LOSS, axis=1))
    assert lt.NN_LOSS == pytest.approx(F.nll_loss(torch.log(torch.tensor(lt.NN_YH)), labels).item(),
                                       rel=1e-12)


def test_literal_dropout_masks_are_numpys_seeded_draws():
    p = [lt.NN_DROPOUT_PROB, 1 - lt.NN_DROPOUT_PROB]
    np.random.seed(0)
    mask = np.random.choice([0, 1], size=lt.NN_DROPOUT_U.shape, p=p)
    np.testing.assert_array_equal(lt.NN_DROPOUT_MASK, mask)
    np.testing.assert_allclose(lt.NN_DROPOUT_OUT, lt.NN_DROPOUT_U * mask / (1 - p[0]), **LITERAL_TOL)
    np.random.seed(0)
    np.testing.assert_array_equal(lt.NN_MASK, np.random.choice([0, 1], size=(6, 3), p=p))


@pytest.mark.parametrize("mask, o3, grads", [
    (None, "NN_O3", "NN_GRADIENTS"),
    (lt.NN_MASK, "NN_O3_DROPOUT", "NN_GRADIENTS_DROPOUT"),
])
def test_literal_forward_and_gradients(mask, o3, grads):
    _, probs, reference = torch_loss_and_grads(lt.NN_PARAMETERS, lt.NN_X, lt.NN_Y, mask)
    np.testing.assert_allclose(getattr(lt, o3), probs, **LITERAL_TOL)
    for k, g in reference.items():
        np.testing.assert_allclose(getattr(lt, grads)[f"dLoss_{k}"], g, err_msg=k, **LITERAL_TOL)


def test_literal_update_steps():
    _, _, grads = torch_loss_and_grads(lt.NN_PARAMETERS, lt.NN_X, lt.NN_Y)
    for k, p in lt.NN_PARAMETERS.items():
        np.testing.assert_allclose(lt.NN_SGD_STEP[k], p - 0.01 * grads[k], **LITERAL_TOL)
    adam = FormulaAdam(lt.NN_PARAMETERS, 0.01)
    adam.step(plain_keys(lt.NN_GRADIENTS))
    for k, p in adam.step(plain_keys(lt.NN_GRADIENTS_DROPOUT)).items():
        np.testing.assert_allclose(lt.NN_ADAM_TWO_STEPS[k], p, err_msg=k, **LITERAL_TOL)


@pytest.fixture(scope="module")
def housing():
    return get_housing_dataset()


@pytest.mark.parametrize("expected, use_adam, use_dropout, batch_size", [
    ("NN_GD_LOSSES", False, False, None),
    ("NN_MBGD_LOSSES", False, True, lt.NN_BATCH_SIZE),
    ("NN_GD_ADAM_LOSSES", True, False, None),
    ("NN_MBGD_ADAM_LOSSES", True, False, lt.NN_BATCH_SIZE),
])
def test_literal_training_losses(housing, expected, use_adam, use_dropout, batch_size):
    x, y, _, _ = housing
    losses = reference_first_losses(x, y, 0.01, use_adam, use_dropout, batch_size)
    np.testing.assert_allclose(getattr(lt, expected), losses, **LITERAL_TOL)


def test_adam_tolerance_covers_only_the_epsilon_placement():
    """NN_ADAM_TOL admits sqrt(V̂) + ε but not Adam without bias correction."""
    def two_steps(denominator):
        p = lt.nn_parameters()
        m = {k: 0.0 for k in p}
        v = {k: 0.0 for k in p}
        for t, grads in enumerate([lt.NN_GRADIENTS, lt.NN_GRADIENTS_DROPOUT], 1):
            for k, g in plain_keys(grads).items():
                m[k] = 0.9 * m[k] + 0.1 * g
                v[k] = 0.999 * v[k] + 0.001 * g ** 2
                p[k] = p[k] - 0.01 * denominator(m[k], v[k], t)
        return p

    outside = two_steps(lambda m, v, t: (m / (1 - 0.9 ** t)) / (np.sqrt(v / (1 - 0.999 ** t)) + 1e-8))
    uncorrected = two_steps(lambda m, v, t: m / np.sqrt(v + 1e-8))
    gap = lambda p: max(np.max(np.abs(p[k] - lt.NN_ADAM_TWO_STEPS[k])) for k in p)  # noqa: E731
    assert gap(outside) < lt.NN_ADAM_TOL["atol"] < gap(uncorrected)


# ---- gradients against centred finite differences ----------------------------

@pytest.mark.parametrize("shape", [(7, 3, 5, 4, 3), (12, 8, 15, 7, 3), (4, 2, 3, 6, 5)])
@pytest.mark.parametrize("use_dropout", [False, True])
def test_gradients_match_finite_differences(shape, use_dropout):
    n, d, h1, h2, c = shape
    rng = np.random.default_rng(sum(shape))
    x = rng.standard_normal((n, d))
    y = np.eye(c)[rng.integers(0, c, n)]
    nn = NeuralNet(y, use_dropout=use_dropout, use_adam=False)
    widths = [d, h1, h2, c]
    nn.init_parameters(param={
        **{f"theta{i}": rng.standard_normal((widths[i - 1], widths[i])) for i in (1, 2, 3)},
        **{f"b{i}": rng.standard_normal(widths[i]) * 0.5 for i in (1, 2, 3)},
    })

    def forward():
        np.random.seed(4)  # the same dropout mask at every evaluation
        return nn.forward(x, use_dropout)

    def loss():
        return nn.cross_entropy_loss(y, forward())

    grads = nn.compute_gradients(y, forward())
    for k, p in nn.parameters.items():
        numeric = np.zeros_like(p)
        for i in np.ndindex(p.shape):
            saved = p[i]
            p[i] = saved + FD_STEP
            up = loss()
            p[i] = saved - FD_STEP
            down = loss()
            p[i] = saved
            numeric[i] = (up - down) / (2 * FD_STEP)
        assert norm_rel_error(grads[f"dLoss_{k}"], numeric) < FD_REL_ERROR, k


# ---- properties ---------------------------------------------------------------

@pytest.fixture
def toy_net():
    nn = lt.nn_course_net()
    nn.init_parameters(param=lt.nn_parameters())
    return nn


def test_softmax_is_stable_for_huge_logits(toy_net):
    u = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4], [1e4, 1e4 - 1.0, -1e4]])
    s = toy_net.softmax(u)
    assert np.all(np.isfinite(s))
    np.testing.assert_allclose(s.sum(axis=1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(s, scipy.special.softmax(u, axis=1), rtol=1e-12, atol=1e-300)


def test_softmax_rows_sum_to_one(toy_net):
    u = np.random.default_rng(0).standard_normal((50, 7)) * 30
    s = toy_net.softmax(u)
    assert np.all(s >= 0)
    np.testing.assert_allclose(s.sum(axis=1), 1.0, rtol=1e-12)


def test_cross_entropy_is_finite_with_zero_probabilities(toy_net):
    y = np.eye(3)[[0, 1]]
    assert toy_net.cross_entropy_loss(y, np.array([[0.5, 0.5, 0.0], [0.0, 1.0, 0.0]])) == \
        pytest.approx(np.log(2) / 2, rel=1e-12)
    assert np.isfinite(toy_net.cross_entropy_loss(y, np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])))


@pytest.mark.parametrize("prob", [0.1, 0.3, 0.8])
def test_dropout_keeps_one_minus_p_and_rescales(prob):
    u = np.full((500, 200), 2.0)
    np.random.seed(5)
    out, mask = NeuralNet._dropout(u, prob)
    # 100,000 Bernoulli draws: the standard deviation of the kept fraction is
    # at most 0.0016, so 0.01 is a margin of six standard deviations.
    assert mask.mean() == pytest.approx(1 - prob, abs=0.01)
    np.testing.assert_array_equal(out[mask == 1], 2.0 / (1 - prob))
    np.testing.assert_array_equal(out[mask == 0], 0.0)
    assert out.mean() == pytest.approx(2.0, rel=0.02)


def test_dropout_with_zero_probability_is_the_identity():
    u = np.random.default_rng(1).standard_normal((30, 4))
    out, mask = NeuralNet._dropout(u, 0.0)
    np.testing.assert_array_equal(out, u)
    np.testing.assert_array_equal(mask, 1)


def test_predict_is_the_argmax_without_dropout(toy_net):
    toy_net.use_dropout = True
    np.testing.assert_array_equal(toy_net.predict(lt.NN_X), np.argmax(lt.NN_O3, axis=1))


def test_update_weights_accepts_both_key_conventions(toy_net):
    other = lt.nn_course_net()
    other.init_parameters(param=lt.nn_parameters())
    toy_net.update_weights(lt.NN_GRADIENTS)
    other.update_weights(plain_keys(lt.NN_GRADIENTS))
    for k in PARAMETER_NAMES:
        np.testing.assert_array_equal(toy_net.parameters[k], other.parameters[k])


def test_adam_counts_one_step_per_update_call(toy_net):
    toy_net.use_adam = True
    for expected_t in (2, 3):
        toy_net.update_weights(lt.NN_GRADIENTS)
        assert toy_net.t == expected_t


def test_init_parameters_leaves_the_callers_dict_alone(toy_net):
    param = lt.nn_parameters()
    toy_net.init_parameters(param=param)
    toy_net.update_weights(lt.NN_GRADIENTS)
    for k in PARAMETER_NAMES:
        np.testing.assert_array_equal(param[k], lt.NN_PARAMETERS[k])


@pytest.mark.parametrize("local_test, recorded", [(False, [0, 1000]), (True, list(range(5)))])
def test_recording_interval(housing, capsys, local_test, recorded):
    x, y, _, _ = housing
    iters = 1001 if not local_test else 5
    nn = NeuralNet(y, use_dropout=False, use_adam=False)
    nn.gradient_descent(x, y, iter=iters, local_test=local_test)
    printed = [line for line in capsys.readouterr().out.splitlines() if line.startswith("Loss")]
    assert [int(line.split()[3].rstrip(":")) for line in printed] == recorded
    assert printed[0] == "Loss after iteration 0: %f" % nn.loss[0]
    assert len(nn.loss) == len(recorded)


def test_minibatches_wrap_around_in_order(capsys):
    x = np.random.default_rng(3).random((5, 8))
    y = np.eye(3)[[0, 1, 2, 0, 1]]
    nn = NeuralNet(y, use_dropout=False, use_adam=False, batch_size=2)
    nn.minibatch_gradient_descent(x, y, iter=3, local_test=True)
    np.testing.assert_array_equal(nn.batch_y, [y[[0, 1]], y[[2, 3]], y[[4, 0]]])


def test_same_calls_give_identical_histories(housing):
    x, y, _, _ = housing

    def history():
        nn = NeuralNet(y, use_dropout=True, use_adam=True, lr=1e-3)
        quiet(nn.minibatch_gradient_descent, x, y, iter=6, local_test=True)
        return nn.loss, nn.parameters

    loss_a, params_a = history()
    loss_b, params_b = history()
    assert loss_a == loss_b
    for k in params_a:
        np.testing.assert_array_equal(params_a[k], params_b[k])


# ---- bad input ------------------------------------------------------------------

def test_mismatched_rows_name_both_shapes(toy_net):
    with pytest.raises(ValueError, match=r"\(6, 2\).*\(4, 3\)"):
        toy_net.gradient_descent(lt.NN_X, lt.NN_Y[:4], iter=1)


def test_wrong_feature_count_names_both_shapes(toy_net):
    with pytest.raises(ValueError, match=r"\(N, 2\).*\(6, 3\)"):
        toy_net.forward(np.ones((6, 3)), use_dropout=False)
    with pytest.raises(ValueError, match=r"\(N, 2\).*\(5,\)"):
        toy_net.predict(np.ones(5))


def test_label_and_prediction_shapes_must_agree(toy_net):
    yh = toy_net.forward(lt.NN_X, use_dropout=False)
    with pytest.raises(ValueError, match=r"\(6, 3\).*\(6, 1\)"):
        toy_net.cross_entropy_loss(lt.NN_Y, yh[:, :1])
    with pytest.raises(ValueError, match=r"\(4, 3\).*\(6, 3\)"):
        toy_net.compute_gradients(lt.NN_Y[:4], yh)


def test_gradients_with_dropout_need_a_dropout_forward_pass(toy_net):
    toy_net.use_dropout = True
    yh = toy_net.forward(lt.NN_X, use_dropout=False)
    with pytest.raises(ValueError, match="use_dropout=True"):
        toy_net.compute_gradients(lt.NN_Y, yh)


@pytest.mark.parametrize("y", [np.array([[0.5, 0.5, 0.0]] * 6), np.array([[1.0, 1.0, 0.0]] * 6)])
def test_training_labels_must_be_one_hot(toy_net, y):
    with pytest.raises(ValueError, match="one-hot"):
        toy_net.gradient_descent(lt.NN_X, y, iter=1)


def test_missing_gradient_names_the_keys(toy_net):
    with pytest.raises(ValueError, match="dLoss_b3"):
        toy_net.update_weights({k: g for k, g in lt.NN_GRADIENTS.items() if k != "dLoss_b3"})


def test_dropout_probability_of_one_is_rejected(toy_net):
    toy_net.dropout_prob = 1.0
    with pytest.raises(ValueError, match="dropout_prob"):
        toy_net.forward(lt.NN_X, use_dropout=True)


# ---- the notebook's training runs on the course's housing data ------------------

# (constructor keywords, training method, the original notebook's test CE)
CONFIGS = {
    "GD": (dict(lr=0.01, use_dropout=False, use_adam=False), "gradient_descent", 0.681),
    "MBGD": (dict(lr=0.01, use_dropout=True, batch_size=64, use_adam=False),
             "minibatch_gradient_descent", 0.712),
    "GD+Adam": (dict(lr=1e-4, use_dropout=True, use_adam=True), "gradient_descent", 0.741),
    "MBGD+Adam": (dict(lr=1e-4, use_dropout=True, batch_size=64, use_adam=True),
                  "minibatch_gradient_descent", 0.695),
}
# The acceptance margin around the original's test cross-entropies.
ORIGINAL_CE_MARGIN = 0.05


@pytest.fixture(scope="module")
def trained(housing):
    """Each notebook configuration trained once (60,000 iterations) per session."""
    x_train, y_train, _, _ = housing
    nets = {}
    for name, (options, method, _) in CONFIGS.items():
        nets[name] = NeuralNet(y_train, **options)
        quiet(getattr(nets[name], method), x_train, y_train, iter=60000)
    return nets


@pytest.mark.parametrize("name", CONFIGS)
def test_training_meets_the_course_bars_and_the_originals_figures(trained, housing, name):
    _, _, x_test, y_test = housing
    nn = trained[name]
    assert len(nn.loss) == 60
    assert nn.loss[-1] <= 1.0
    assert nn.loss[-1] < nn.loss[0]
    recall = np.diag(confusion_matrix(np.argmax(y_test, axis=1), nn.predict(x_test),
                                      normalize="true"))
    assert np.all(recall >= 0.5), recall
    test_ce = nn.cross_entropy_loss(y_test, nn.forward(x_test, use_dropout=False))
    assert test_ce <= (0.8 if name == "GD" else 1.0)
    assert abs(test_ce - CONFIGS[name][2]) <= ORIGINAL_CE_MARGIN


@pytest.mark.parametrize("name", ["MBGD", "MBGD+Adam"])
def test_recorded_minibatch_curve_shows_progress_beyond_its_noise(trained, name):
    # Each record is the loss of the one batch trained at that step. With 1,600
    # rows and batch 64 every record fell on rows 0-63 and the curve went flat;
    # the course's 375 rows put the records on three different batches.
    third = len(trained[name].loss) // 3
    first, last = np.array(trained[name].loss[:third]), np.array(trained[name].loss[-third:])
    assert first.mean() - last.mean() > last.std(), (first.mean(), last.mean(), last.std())
    assert len({labels.tobytes() for labels in trained[name].batch_y}) == 3


def test_learning_rate_point_one_trains_lowest(housing):
    x_train, y_train, _, _ = housing
    final = {}
    for lr in (0.1, 0.03, 0.0002):
        nn = NeuralNet(y_train, lr=lr, use_dropout=False, use_adam=False)
        quiet(nn.gradient_descent, x_train, y_train, iter=60000)
        final[lr] = nn.loss[-1]
    assert min(final, key=final.get) == 0.1, final
