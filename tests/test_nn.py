"""Tests of NN.py (Q1): local tests, their literals re-derived, gradient checks, real-data training.

The references here are independent of NN.py: scipy's softmax, torch float64
autograd for the forward pass and gradients, and an Adam written out from its
formula. Run with ``.venv/bin/python -m pytest tests/test_nn.py``.
"""

import numpy as np
import pytest
import scipy.special
import torch
import torch.nn.functional as F
from sklearn.metrics import confusion_matrix

from NN import ADAM_BETA1, ADAM_BETA2, ADAM_EPS, NeuralNet
from utilities import localtests as lt
from utilities.utils import get_housing_dataset

# The literals in localtests are rounded to 1e-10.
LITERAL_TOL = dict(rtol=1e-8, atol=1e-10)
# Centred differences with this step have truncation and round-off errors near
# 1e-10 in float64, far below the 1e-7 relative error the check demands.
FD_STEP = 1e-5
FD_REL_ERROR = 1e-7

# Reached through the module so that pytest does not collect TestNN a second time.
LOCAL_TESTS = sorted(name for name in dir(lt.TestNN) if name.startswith("test_"))


# ---- independent references -------------------------------------------------

def torch_loss_and_grads(parameters, x, y, mask=None, prob=lt.NN_DROPOUT_PROB):
    """Mean cross-entropy, softmax output and gradients by torch autograd (float64)."""
    t = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in parameters.items()}
    o1 = F.softsign(torch.tensor(x) @ t["theta1"] + t["b1"])
    if mask is not None:
        o1 = o1 * torch.tensor(mask) / (1 - prob)
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


def reference_train(parameters, x, y, iters, lr, use_adam, batch_size=None):
    """Train with torch gradients; returns (losses, rows of each step)."""
    adam = FormulaAdam(parameters, lr)
    p = adam.p
    n, losses, batches = x.shape[0], [], []
    for i in range(iters):
        rows = np.arange(n) if batch_size is None else (i * batch_size + np.arange(batch_size)) % n
        loss, _, grads = torch_loss_and_grads(p, x[rows], y[rows])
        losses.append(loss)
        batches.append(rows.tolist())
        p = adam.step(grads) if use_adam else {k: p[k] - lr * grads[k] for k in p}
    return losses, batches


def norm_rel_error(a, b):
    return np.linalg.norm(a - b) / max(1e-8, np.linalg.norm(a) + np.linalg.norm(b))


# ---- the local tests, and where their literals come from ---------------------

@pytest.mark.parametrize("name", LOCAL_TESTS)
def test_local_test_passes(name, capsys):
    getattr(lt.TestNN(name), name)()
    assert f"{name} passed!" in capsys.readouterr().out


def test_local_test_names_match_the_notebook():
    assert len(LOCAL_TESTS) == 16


def test_adam_constants_match_the_homework():
    assert (ADAM_BETA1, ADAM_BETA2, ADAM_EPS) == (0.9, 0.999, 1e-8)


def test_literal_softmax_softsign_and_loss():
    np.testing.assert_allclose(lt.NN_SOFTMAX, scipy.special.softmax(lt.NN_U, axis=1), **LITERAL_TOL)
    u = torch.tensor(lt.NN_U, requires_grad=True)
    F.softsign(u).sum().backward()
    np.testing.assert_allclose(lt.NN_SOFTSIGN, F.softsign(u).detach().numpy(), **LITERAL_TOL)
    np.testing.assert_allclose(lt.NN_D_SOFTSIGN, u.grad.numpy(), **LITERAL_TOL)
    labels = torch.tensor(np.argmax(lt.NN_Y_LOSS, axis=1))
    assert lt.NN_LOSS == pytest.approx(F.nll_loss(torch.log(torch.tensor(lt.NN_YH)), labels).item(),
                                       rel=1e-12)


@pytest.mark.parametrize("mask, o3, grads", [
    (None, "NN_O3", "NN_GRADIENTS"),
    (lt.NN_MASK, "NN_O3_DROPOUT", "NN_GRADIENTS_DROPOUT"),
])
def test_literal_forward_and_gradients(mask, o3, grads):
    _, probs, reference = torch_loss_and_grads(lt.NN_PARAMETERS, lt.NN_X, lt.NN_Y, mask)
    np.testing.assert_allclose(getattr(lt, o3), probs, **LITERAL_TOL)
    for k, g in reference.items():
        np.testing.assert_allclose(getattr(lt, grads)[k], g, err_msg=k, **LITERAL_TOL)


def test_literal_update_steps():
    _, _, grads = torch_loss_and_grads(lt.NN_PARAMETERS, lt.NN_X, lt.NN_Y)
    for k, p in lt.NN_PARAMETERS.items():
        np.testing.assert_allclose(lt.NN_SGD_STEP[k], p - lt.NN_LR * grads[k], **LITERAL_TOL)
    adam = FormulaAdam(lt.NN_PARAMETERS, lt.NN_LR)
    adam.step(lt.NN_GRADIENTS)
    for k, p in adam.step(lt.NN_GRADIENTS_DROPOUT).items():
        np.testing.assert_allclose(lt.NN_ADAM_TWO_STEPS[k], p, err_msg=k, **LITERAL_TOL)


@pytest.mark.parametrize("expected, lr, use_adam, batch_size", [
    ("NN_GD_LOSSES", lt.NN_LR, False, None),
    ("NN_MBGD_LOSSES", lt.NN_LR, False, lt.NN_BATCH_SIZE),
    ("NN_GD_ADAM_LOSSES", lt.NN_ADAM_LR, True, None),
    ("NN_MBGD_ADAM_LOSSES", lt.NN_ADAM_LR, True, lt.NN_BATCH_SIZE),
])
def test_literal_training_losses(expected, lr, use_adam, batch_size):
    losses, batches = reference_train(lt.NN_PARAMETERS, lt.NN_X, lt.NN_Y, 3, lr, use_adam, batch_size)
    np.testing.assert_allclose(getattr(lt, expected), losses, **LITERAL_TOL)
    if batch_size is not None:
        assert batches == lt.NN_BATCH_ROWS


# ---- gradients against centred finite differences ----------------------------

@pytest.mark.parametrize("shape", [(7, 3, 5, 4, 3), (12, 8, 16, 8, 3), (4, 2, 3, 6, 5)])
@pytest.mark.parametrize("use_dropout", [False, True])
def test_gradients_match_finite_differences(shape, use_dropout):
    n, d, h1, h2, c = shape
    rng = np.random.default_rng(sum(shape))
    x = rng.standard_normal((n, d))
    y = np.eye(c)[rng.integers(0, c, n)]
    nn = NeuralNet(y, use_dropout=use_dropout, use_adam=False, hidden_sizes=(h1, h2),
                   n_features=d, seed=1)
    for p in nn.parameters.values():
        p += rng.standard_normal(p.shape) * 0.5  # non-zero biases, less symmetric weights
    mask = (rng.random((n, h1)) >= nn.dropout_prob).astype(float)
    nn._dropout = lambda u, prob: (u * mask / (1 - prob), mask)

    def loss():
        return nn.cross_entropy_loss(y, nn.forward(x, use_dropout))

    grads = nn.compute_gradients(y, nn.forward(x, use_dropout), use_dropout)
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
        assert norm_rel_error(grads[k], numeric) < FD_REL_ERROR, k


# ---- properties ---------------------------------------------------------------

@pytest.fixture
def toy_net():
    return lt.nn_toy_net()


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
def test_dropout_keeps_one_minus_p_and_rescales(toy_net, prob):
    u = np.full((500, 200), 2.0)
    out, mask = toy_net._dropout(u, prob)
    # 100,000 Bernoulli draws: the standard deviation of the kept fraction is
    # at most 0.0016, so 0.01 is a margin of six standard deviations.
    assert mask.mean() == pytest.approx(1 - prob, abs=0.01)
    np.testing.assert_array_equal(out[mask == 1], 2.0 / (1 - prob))
    np.testing.assert_array_equal(out[mask == 0], 0.0)
    assert out.mean() == pytest.approx(2.0, rel=0.02)


def test_dropout_with_zero_probability_is_the_identity(toy_net):
    u = np.random.default_rng(1).standard_normal((30, 4))
    out, mask = toy_net._dropout(u, 0.0)
    np.testing.assert_array_equal(out, u)
    np.testing.assert_array_equal(mask, 1.0)


def test_predict_is_the_argmax_without_dropout(toy_net):
    toy_net.use_dropout = True
    np.testing.assert_array_equal(toy_net.predict(lt.NN_X), np.argmax(lt.NN_O3, axis=1))


def _short_history(seed, method):
    x, y = lt.NN_X, lt.NN_Y
    nn = NeuralNet(y, use_dropout=True, use_adam=True, hidden_sizes=(3, 2), n_features=2,
                   batch_size=2, seed=seed)
    getattr(nn, method)(x, y, iter=6, record_every=1)
    return nn.loss, nn.parameters


@pytest.mark.parametrize("method", ["gradient_descent", "minibatch_gradient_descent"])
def test_same_seed_gives_identical_histories(method, capsys):
    loss_a, params_a = _short_history(5, method)
    loss_b, params_b = _short_history(5, method)
    assert loss_a == loss_b
    for k in params_a:
        np.testing.assert_array_equal(params_a[k], params_b[k])
    assert _short_history(6, method)[0] != loss_a


def test_init_parameters_follows_the_scaled_normal_rule():
    nn = NeuralNet(np.eye(3)[[0, 1, 2] * 4], use_dropout=False, use_adam=False,
                   hidden_sizes=(400, 300), n_features=500)
    assert set(nn.parameters) == {"theta1", "b1", "theta2", "b2", "theta3", "b3"}
    for layer, (n_in, n_out) in enumerate([(500, 400), (400, 300), (300, 3)], 1):
        theta = nn.parameters[f"theta{layer}"]
        assert theta.shape == (n_in, n_out)
        assert theta.std() * np.sqrt(n_in) == pytest.approx(1.0, abs=0.05 if n_out > 3 else 0.1)
        np.testing.assert_array_equal(nn.parameters[f"b{layer}"], np.zeros(n_out))


# ---- bad input ------------------------------------------------------------------

def test_mismatched_rows_name_both_shapes(toy_net):
    with pytest.raises(ValueError, match=r"\(5, 2\).*\(4, 3\)"):
        toy_net.gradient_descent(lt.NN_X, lt.NN_Y[:4], iter=1)


def test_wrong_feature_count_names_both_shapes(toy_net):
    with pytest.raises(ValueError, match=r"\(N, 2\).*\(5, 3\)"):
        toy_net.forward(np.ones((5, 3)), use_dropout=False)
    with pytest.raises(ValueError, match=r"\(N, 2\).*\(5,\)"):
        toy_net.predict(np.ones(5))


def test_label_and_prediction_shapes_must_agree(toy_net):
    yh = toy_net.forward(lt.NN_X, use_dropout=False)
    with pytest.raises(ValueError, match=r"\(5, 3\).*\(5, 1\)"):
        toy_net.cross_entropy_loss(lt.NN_Y, yh[:, :1])
    with pytest.raises(ValueError, match=r"\(4, 3\).*\(5, 3\)"):
        toy_net.compute_gradients(lt.NN_Y[:4], yh, use_dropout=False)


@pytest.mark.parametrize("y", [np.array([0, 1, 2]), np.array([[0.5, 0.5, 0.0]]),
                               np.array([[1.0, 1.0, 0.0]])])
def test_labels_must_be_one_hot(y):
    with pytest.raises(ValueError, match="one-hot"):
        NeuralNet(y, use_dropout=False, use_adam=False)


def test_bad_hyperparameters_are_rejected():
    with pytest.raises(ValueError, match="dropout_prob"):
        NeuralNet(lt.NN_Y, use_dropout=True, use_adam=False, dropout_prob=1.0)
    with pytest.raises(ValueError, match="batch_size"):
        NeuralNet(lt.NN_Y, use_dropout=False, use_adam=False, batch_size=0)


# ---- the notebook's training runs on the real housing data ----------------------

CONFIGS = {
    "GD": (dict(lr=0.01, use_dropout=False, use_adam=False), "gradient_descent"),
    "MBGD": (dict(lr=0.01, use_dropout=True, batch_size=64, use_adam=False),
             "minibatch_gradient_descent"),
    "GD+Adam": (dict(lr=1e-4, use_dropout=True, use_adam=True), "gradient_descent"),
    "MBGD+Adam": (dict(lr=1e-4, use_dropout=True, batch_size=64, use_adam=True),
                  "minibatch_gradient_descent"),
}


@pytest.fixture(scope="module")
def housing():
    return get_housing_dataset()


@pytest.fixture(scope="module")
def trained(housing):
    """Each notebook configuration trained once (60,000 iterations) per session."""
    x_train, y_train, _, _ = housing
    nets = {}
    for name, (options, method) in CONFIGS.items():
        nets[name] = NeuralNet(y_train, **options)
        getattr(nets[name], method)(x_train, y_train, iter=60000)
    return nets


@pytest.mark.parametrize("name", CONFIGS)
def test_training_meets_the_course_bars(trained, housing, name):
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


def test_learning_rate_point_one_trains_lowest(housing):
    x_train, y_train, _, _ = housing
    final = {}
    for lr in (0.1, 0.03, 0.0002):
        nn = NeuralNet(y_train, lr=lr, use_dropout=False, use_adam=False)
        nn.gradient_descent(x_train, y_train, iter=60000)
        final[lr] = nn.loss[-1]
    assert min(final, key=final.get) == 0.1, final
