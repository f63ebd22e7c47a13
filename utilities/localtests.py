"""Local tests for HW4, runnable from the notebook.

Each class is a ``unittest.TestCase``; call a single test the way the
notebook does, e.g. ``TestNN("test_softmax").test_softmax()``. A passing test
prints ``<name> passed!``. Every expected literal below states where it came
from; ``tests/`` recomputes each one from an independent reference.
"""

import unittest

import numpy as np


# ---- Q1: TestNN ----------------------------------------------------------

from NN import NeuralNet  # noqa: E402  (kept inside the Q1 section of this shared file)

# A toy network: D=2 features, hidden sizes (3, 2), C=3 classes, N=5 rows.
# tests/test_nn.py recomputes every expected literal of this section from
# these inputs with independent code (scipy, torch float64 autograd, and an
# Adam written separately from its formula); literals are rounded to 1e-10.
NN_X = np.array([[0.5, -1.2], [1.5, 0.3], [-0.7, 0.8], [0.0, -0.4], [2.0, 1.1]])
NN_Y = np.eye(3)[[0, 2, 1, 0, 2]]
NN_PARAMETERS = {
    "theta1": np.array([[0.4, -0.6, 0.9], [-0.3, 0.8, 0.2]]),
    "b1": np.array([0.1, -0.2, 0.05]),
    "theta2": np.array([[0.7, -0.5], [-0.4, 0.6], [0.3, 0.9]]),
    "b2": np.array([-0.1, 0.2]),
    "theta3": np.array([[1.2, -0.7, 0.3], [-0.8, 0.5, 1.1]]),
    "b3": np.array([0.05, -0.1, 0.0]),
}
# A fixed dropout mask for the first hidden layer (N, H1), used with p = 0.3.
NN_MASK = np.array([[1, 0, 1], [1, 1, 0], [0, 1, 1], [1, 1, 1], [1, 0, 0]], dtype=float)
NN_DROPOUT_PROB = 0.3
NN_U = np.array([[1.0, -2.0, 0.5], [1000.0, 1001.0, 999.0], [-3.0, 0.0, 3.0]])
NN_YH = np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6], [0.25, 0.5, 0.25], [0.9, 0.05, 0.05]])
NN_Y_LOSS = np.eye(3)[[0, 2, 1, 1]]
NN_LR = 0.1
NN_ADAM_LR = 0.01
NN_BATCH_SIZE = 2

# scipy.special.softmax(NN_U, axis=1)
NN_SOFTMAX = np.array([[0.6037488961, 0.0300588876, 0.3661922163],
                       [0.2447284711, 0.6652409558, 0.0900305732],
                       [0.0023556331, 0.0473141552, 0.9503302117]])
# torch.nn.functional.softsign(NN_U)
NN_SOFTSIGN = np.array([[0.5, -0.6666666667, 0.3333333333],
                        [0.999000999, 0.999001996, 0.999],
                        [-0.75, 0.0, 0.75]])
# torch autograd: gradient of softsign(NN_U).sum() with respect to NN_U
NN_D_SOFTSIGN = np.array([[2.5e-01, 1.111111111e-01, 4.444444444e-01],
                          [9.98e-07, 9.96e-07, 1.0e-06],
                          [6.25e-02, 1.0, 6.25e-02]])
# torch.nn.functional.nll_loss(torch.log(NN_YH), labels of NN_Y_LOSS)
NN_LOSS = 1.1390950054546647
# torch float64: softmax of the toy network's logits, without / with NN_MASK
NN_O3 = np.array([[0.5191950509, 0.200342059, 0.28046289],
                  [0.3805797747, 0.2234447667, 0.3959754586],
                  [0.1777430437, 0.4334805991, 0.3887763572],
                  [0.4412723008, 0.2558649332, 0.3028627659],
                  [0.3431125363, 0.2315923562, 0.4252951075]])
NN_O3_DROPOUT = np.array([[0.3831413308, 0.2371657932, 0.379692876],
                          [0.5987815567, 0.1745808987, 0.2266375446],
                          [0.207462954, 0.4205498637, 0.3719871823],
                          [0.5060124615, 0.2242328219, 0.2697547166],
                          [0.4448841366, 0.2396776645, 0.3154381989]])
# torch float64 autograd of the mean cross-entropy, without / with NN_MASK
NN_GRADIENTS = {
    "theta1": np.array([[0.0387863214, -0.0603278362, -0.0163040321],
                        [0.1265422545, -0.0762703403, -0.1075149102]]),
    "b1": np.array([-0.076494583, 0.0246032759, 0.131220056]),
    "theta2": np.array([[-0.0544136186, 0.0031881097],
                        [0.0931785227, -0.0419728926],
                        [-0.0151271099, -0.0965651363]]),
    "b2": np.array([-0.0965983914, 0.0754820943]),
    "theta3": np.array([[-0.0101060761, 0.0921650382, -0.0820589621],
                        [0.0717780664, -0.0181587247, -0.0536193418]]),
    "b3": np.array([-0.0276194587, 0.0689449429, -0.0413254841]),
}
NN_GRADIENTS_DROPOUT = {
    "theta1": np.array([[0.149857718, -0.0414343964, 0.0411763358],
                        [0.2020814109, -0.0437892048, -0.1437848791]]),
    "b1": np.array([-0.0702654662, 0.0117299354, 0.196884826]),
    "theta2": np.array([[-0.0414304311, -0.0439914613],
                        [0.0662786131, 0.0225740201],
                        [-0.0499551599, 0.0419439385]]),
    "b2": np.array([-0.0466202022, -0.0490919273]),
    "theta3": np.array([[-0.0079381574, 0.082993075, -0.0750549176],
                        [-0.0343122619, -0.0363462839, 0.0706585458]]),
    "b3": np.array([0.0280564879, 0.0592414084, -0.0872978963]),
}
# NN_PARAMETERS - NN_LR * (torch autograd gradients): one SGD step, which is
# what both test_update_weights and test_backward expect
NN_SGD_STEP = {
    "theta1": np.array([[0.3961213679, -0.5939672164, 0.9016304032],
                        [-0.3126542254, 0.807627034, 0.210751491]]),
    "b1": np.array([0.1076494583, -0.2024603276, 0.0368779944]),
    "theta2": np.array([[0.7054413619, -0.500318811],
                        [-0.4093178523, 0.6041972893],
                        [0.301512711, 0.9096565136]]),
    "b2": np.array([-0.0903401609, 0.1924517906]),
    "theta3": np.array([[1.2010106076, -0.7092165038, 0.3082058962],
                        [-0.8071778066, 0.5018158725, 1.1053619342]]),
    "b3": np.array([0.0527619459, -0.1068944943, 0.0041325484]),
}
# Adam written from its formula, lr NN_LR: step 1 with NN_GRADIENTS, step 2
# with NN_GRADIENTS_DROPOUT
NN_ADAM_TWO_STEPS = {
    "theta1": np.array([[0.2111768147, -0.4026325439, 0.9554635868],
                        [-0.4986266351, 0.9951670342, 0.3997191566]]),
    "b1": np.array([0.2996887912, -0.3925131335, -0.1490788187]),
    "theta2": np.array([[0.8983946101, -0.5305728442],
                        [-0.5977391181, 0.7237445964],
                        [0.4906310314, 1.0317947473]]),
    "b2": np.array([0.0926964743, 0.0844230188]),
    "theta3": np.array([[1.3986531341, -0.899590438, 0.4996684494],
                        [-0.9283410532, 0.6965076342, 1.1812032479]]),
    "b3": np.array([0.1439514842, -0.2993209482, 0.1959217605]),
}
# Losses of iterations 0..2, from a torch autograd training loop with the same
# steps: GD and mini-batch (batch 2) at NN_LR with SGD, at NN_ADAM_LR with Adam
NN_GD_LOSSES = [0.8181704078, 0.8053215367, 0.7934217446]
NN_MBGD_LOSSES = [0.7909393443, 0.8228748389, 0.7285102429]
NN_GD_ADAM_LOSSES = [0.8181704078, 0.8026295753, 0.7879904008]
NN_MBGD_ADAM_LOSSES = [0.7909393443, 0.8135570893, 0.7209743042]
# Rows of the three mini-batches: [(i*B) mod N, +B) with wrap-around, N=5, B=2
NN_BATCH_ROWS = [[0, 1], [2, 3], [4, 0]]

# The literals carry 10 decimals; everything else is float64 round-off.
NN_TOL = dict(rtol=1e-7, atol=1e-9)


def nn_toy_net(**kwargs):
    """The toy NeuralNet with NN_PARAMETERS (a copy), SGD, no dropout, lr NN_LR."""
    options = dict(use_dropout=False, use_adam=False, lr=NN_LR,
                   dropout_prob=NN_DROPOUT_PROB, hidden_sizes=(3, 2), n_features=2)
    options.update(kwargs)
    nn = NeuralNet(NN_Y, **options)
    nn.parameters = {k: v.copy() for k, v in NN_PARAMETERS.items()}
    return nn


def nn_fixed_mask(u, prob):
    """Stand-in for NeuralNet._dropout that always applies NN_MASK."""
    return u * NN_MASK / (1 - prob), NN_MASK


class TestNN(unittest.TestCase):
    """Local tests of NN.py on the toy network above."""

    def _assert_dict_close(self, actual, expected):
        self.assertEqual(sorted(actual), sorted(expected))
        for k in expected:
            np.testing.assert_allclose(actual[k], expected[k], err_msg=k, **NN_TOL)

    def _passed(self):
        print(f"{self._testMethodName} passed!")

    def test_softmax(self):
        np.testing.assert_allclose(nn_toy_net().softmax(NN_U), NN_SOFTMAX, **NN_TOL)
        self._passed()

    def test_softsign(self):
        np.testing.assert_allclose(nn_toy_net().softsign(NN_U), NN_SOFTSIGN, **NN_TOL)
        self._passed()

    def test_d_softsign(self):
        np.testing.assert_allclose(nn_toy_net().derivative_softsign(NN_U), NN_D_SOFTSIGN, **NN_TOL)
        self._passed()

    def test_dropout(self):
        nn = nn_toy_net()
        u = np.random.default_rng(0).standard_normal((400, 250))
        out, mask = nn._dropout(u, NN_DROPOUT_PROB)
        self.assertEqual(mask.shape, u.shape)
        self.assertTrue(np.all((mask == 0) | (mask == 1)), "the mask must hold only 0 and 1")
        np.testing.assert_allclose(out, u * mask / (1 - NN_DROPOUT_PROB), **NN_TOL)
        # 100,000 Bernoulli(0.7) draws: the kept fraction has standard
        # deviation 0.0014, so 0.01 is a 7-sigma margin.
        self.assertAlmostEqual(mask.mean(), 1 - NN_DROPOUT_PROB, delta=0.01)
        self.assertFalse(np.array_equal(mask, nn._dropout(u, NN_DROPOUT_PROB)[1]),
                         "each call must draw a fresh mask")
        out, mask = nn._dropout(u, 0.0)
        np.testing.assert_array_equal(out, u)
        self._passed()

    def test_loss(self):
        self.assertAlmostEqual(nn_toy_net().cross_entropy_loss(NN_Y_LOSS, NN_YH), NN_LOSS, places=9)
        self._passed()

    def test_forward_without_dropout(self):
        nn = nn_toy_net()
        np.testing.assert_allclose(nn.forward(NN_X, use_dropout=False), NN_O3, **NN_TOL)
        self.assertEqual(set(nn.cache), {"X", "u1", "o1", "mask", "u2", "o2", "u3", "o3"})
        self._passed()

    def test_forward_with_dropout(self):
        nn = nn_toy_net()
        nn._dropout = nn_fixed_mask
        np.testing.assert_allclose(nn.forward(NN_X, use_dropout=True), NN_O3_DROPOUT, **NN_TOL)
        np.testing.assert_array_equal(nn.cache["mask"], NN_MASK)
        self._passed()

    def test_compute_gradients_without_dropout(self):
        nn = nn_toy_net()
        yh = nn.forward(NN_X, use_dropout=False)
        self._assert_dict_close(nn.compute_gradients(NN_Y, yh, use_dropout=False), NN_GRADIENTS)
        self._passed()

    def test_compute_gradients_with_dropout(self):
        nn = nn_toy_net()
        nn._dropout = nn_fixed_mask
        yh = nn.forward(NN_X, use_dropout=True)
        self._assert_dict_close(nn.compute_gradients(NN_Y, yh, use_dropout=True),
                                NN_GRADIENTS_DROPOUT)
        self._passed()

    def test_update_weights(self):
        nn = nn_toy_net()
        nn.update_weights(NN_GRADIENTS, use_adam=False)
        self._assert_dict_close(nn.parameters, NN_SGD_STEP)
        self._passed()

    def test_update_weights_with_adam(self):
        nn = nn_toy_net()
        nn.update_weights(NN_GRADIENTS, use_adam=True)
        nn.update_weights(NN_GRADIENTS_DROPOUT, use_adam=True)
        self._assert_dict_close(nn.parameters, NN_ADAM_TWO_STEPS)
        self._passed()

    def test_backward(self):
        nn = nn_toy_net()
        yh = nn.forward(NN_X, use_dropout=False)
        nn.backward(NN_Y, yh, use_dropout=False)
        self._assert_dict_close(nn.parameters, NN_SGD_STEP)
        self._passed()

    def _check_training(self, nn, method, expected_losses):
        getattr(nn, method)(NN_X, NN_Y, iter=3, record_every=1)
        np.testing.assert_allclose(nn.loss, expected_losses, **NN_TOL)

    def test_gradient_descent(self):
        self._check_training(nn_toy_net(), "gradient_descent", NN_GD_LOSSES)
        self._passed()

    def test_minibatch_gradient_descent(self):
        nn = nn_toy_net(batch_size=NN_BATCH_SIZE)
        self._check_training(nn, "minibatch_gradient_descent", NN_MBGD_LOSSES)
        np.testing.assert_array_equal(nn.batch_y, [NN_Y[rows] for rows in NN_BATCH_ROWS])
        self._passed()

    def test_gradient_descent_with_adam(self):
        nn = nn_toy_net(use_adam=True, lr=NN_ADAM_LR)
        self._check_training(nn, "gradient_descent", NN_GD_ADAM_LOSSES)
        self._passed()

    def test_minibatch_gradient_descent_with_adam(self):
        nn = nn_toy_net(use_adam=True, lr=NN_ADAM_LR, batch_size=NN_BATCH_SIZE)
        self._check_training(nn, "minibatch_gradient_descent", NN_MBGD_ADAM_LOSSES)
        np.testing.assert_array_equal(nn.batch_y, [NN_Y[rows] for rows in NN_BATCH_ROWS])
        self._passed()


# ---- Q2: TestCNN ---------------------------------------------------------

import torch  # noqa: E402  (kept inside the Q2 section of this shared file)
from sklearn.metrics import confusion_matrix  # noqa: E402

from cnn import CNN  # noqa: E402

# Images are 1x84x84 and there are 4 classes (glioma, meningioma, notumor,
# pituitary), the shapes get_mri_dataset returns.
CNN_INPUT_SHAPE = (1, 84, 84)
CNN_N_CLASSES = 4
# The course requires at least this many convolutional and linear layers.
CNN_MIN_CONV_LAYERS = 2
CNN_MIN_LINEAR_LAYERS = 2
# The course bar: every class is recognised more often than not.
CNN_MIN_CONFUSION_DIAGONAL = 0.5


class TestCNN(unittest.TestCase):
    """Local tests of cnn.py and of a trained cnn_trainer.Trainer."""

    def _passed(self):
        print(f"{self._testMethodName} passed!")

    def test_model_architecture(self):
        net = CNN()
        layers = list(net.modules())
        n_conv = sum(isinstance(m, torch.nn.Conv2d) for m in layers)
        n_linear = sum(isinstance(m, torch.nn.Linear) for m in layers)
        self.assertGreaterEqual(n_conv, CNN_MIN_CONV_LAYERS, "too few Conv2d layers")
        self.assertGreaterEqual(n_linear, CNN_MIN_LINEAR_LAYERS, "too few Linear layers")
        net.eval()
        with torch.no_grad():
            logits = net(torch.rand(3, *CNN_INPUT_SHAPE, generator=torch.Generator().manual_seed(0)))
        self.assertEqual(tuple(logits.shape), (3, CNN_N_CLASSES))
        self._passed()

    def _check_trend(self, loss, accuracy, name):
        """Loss ends below where it started and accuracy ends above it."""
        self.assertGreaterEqual(len(loss), 2, f"train for at least 2 epochs to see a {name} trend")
        self.assertLess(loss[-1], loss[0], f"{name} loss did not decrease: {loss}")
        self.assertGreater(accuracy[-1], accuracy[0], f"{name} accuracy did not increase: {accuracy}")

    def test_cnn_train_loss_plot(self, trainer):
        train_loss, train_accuracy, _, _ = trainer.get_training_history()
        self._check_trend(train_loss, train_accuracy, "training")
        self._passed()

    def test_cnn_test_loss_plot(self, trainer):
        _, _, val_loss, val_accuracy = trainer.get_training_history()
        self._check_trend(val_loss, val_accuracy, "validation")
        self._passed()

    def test_cnn_confusion_matrix(self, trainer, testloader):
        _, predicted, true = trainer.predict(testloader)
        matrix = confusion_matrix(true, predicted, labels=range(CNN_N_CLASSES), normalize="true")
        diagonal = np.diag(matrix)
        self.assertTrue(
            np.all(diagonal > CNN_MIN_CONFUSION_DIAGONAL),
            f"every diagonal entry must exceed {CNN_MIN_CONFUSION_DIAGONAL}, got {np.round(diagonal, 3)}",
        )
        self._passed()


# ---- Q3: TestSVM ---------------------------------------------------------

import svm  # noqa: E402  (kept inside the Q3 section of this shared file)

# Training points X (N=3, D=2) and query points Z (M=2) for both SVM tests.
# Every coordinate is a multiple of 1/4, so the polynomial kernel below is
# exact in float64.
SVM_X = np.array([[0.5, -1.0], [2.0, 0.25], [-1.5, 1.0]])
SVM_Z = np.array([[1.0, 1.0], [0.0, -0.5]])
SVM_GAMMA = 0.5


def svm_poly_phi(x):
    """Degree-2 feature map of the notebook's 3.3 example: (x0, x1, x0 x1, x0^2, x1^2)."""
    return np.array([x[0], x[1], x[0] * x[1], x[0] ** 2, x[1] ** 2])


# phi(a) . phi(b) summed by hand in exact fractions (41/16, 25/16, 9/16,
# 5201/256, 89/16, 185/16; cross kernel 1/4, 109/16, 5/4, 3/4, -7/64, -1/4).
SVM_POLY_K = np.array([
    [2.5625, 1.5625, 0.5625],
    [1.5625, 20.31640625, 5.5625],
    [0.5625, 5.5625, 11.5625],
])
SVM_POLY_K_ZX = np.array([
    [0.25, 6.8125, 1.25],
    [0.75, -0.109375, -0.25],
])
# sklearn.metrics.pairwise.rbf_kernel(SVM_X, gamma=0.5) and
# rbf_kernel(SVM_Z, SVM_X, gamma=0.5), printed to 17 significant digits;
# e.g. K[0, 1] = exp(-0.5 * (1.5^2 + 1.25^2)) = exp(-1.90625).
SVM_RBF_K = np.array([
    [1.0, 0.1486367305381225, 0.01831563888873418],
    [0.1486367305381225, 1.0, 0.00165120492500366],
    [0.01831563888873418, 0.00165120492500366, 1.0],
])
SVM_RBF_K_ZX = np.array([
    [0.11943296826671962, 0.45783336177161427, 0.04393693362340741],
    [0.7788007830714049, 0.1021564313333943, 0.10539922456186433],
])
# Room for a few ulps from exp and summation order; any wrong formula is far off.
SVM_RTOL = 1e-12


class TestSVM(unittest.TestCase):
    """Local tests for svm.kernel_construction and svm.rbf_kernel."""

    def test_kernel(self):
        K = svm.kernel_construction(SVM_X, svm_poly_phi)
        self.assertEqual(K.shape, (3, 3))
        np.testing.assert_allclose(K, SVM_POLY_K, rtol=SVM_RTOL, atol=0)
        K_zx = svm.kernel_construction(SVM_X, svm_poly_phi, Z=SVM_Z)
        self.assertEqual(K_zx.shape, (2, 3), "the cross kernel has shape (len(Z), len(X))")
        np.testing.assert_allclose(K_zx, SVM_POLY_K_ZX, rtol=SVM_RTOL, atol=0)
        print("test_kernel passed!")

    def test_rbf_kernel(self):
        K = svm.rbf_kernel(SVM_X, SVM_GAMMA)
        self.assertEqual(K.shape, (3, 3))
        np.testing.assert_allclose(K, SVM_RBF_K, rtol=SVM_RTOL, atol=0)
        K_zx = svm.rbf_kernel(SVM_X, SVM_GAMMA, Z=SVM_Z)
        self.assertEqual(K_zx.shape, (2, 3), "the cross kernel has shape (len(Z), len(X))")
        np.testing.assert_allclose(K_zx, SVM_RBF_K_ZX, rtol=SVM_RTOL, atol=0)
        print("test_rbf_kernel passed!")


# ---- Q4: TestRNN, TestLSTM -----------------------------------------------

from torch import nn  # noqa: E402  (kept inside the Q4 section of this shared file)

from lstm import LSTM, LSTMOutputAdapter  # noqa: E402
from rnn import RNN, RNNOutputAdapter  # noqa: E402

# Toy problem for the Q4 architecture tests: V characters, windows of T,
# hyperparameters overridden to E and H so that the expected logits are fixed.
Q4_VOCAB, Q4_SEQ_LEN, Q4_EMBED, Q4_UNITS = 5, 4, 3, 4
Q4_TOY_X = np.array([[0, 1, 2, 3], [4, 3, 2, 1]])  # (N=2, T=4)
# Logits (N, V) for Q4_TOY_X with the weights of q4_toy_values(), computed by a
# float64 NumPy loop over time steps (tests/test_rnn.py: numpy_recurrent_logits).
RNN_TOY_LOGITS = np.array([[-0.289288, 0.656867, -0.010530, 0.878175, -0.557860],
                           [-0.127024, 0.552146, 0.015026, 0.937061, -0.689030]])
LSTM_TOY_LOGITS = np.array([[0.149669, 0.112380, 0.527062, 0.458483, -0.342728],
                            [0.148168, 0.117635, 0.519137, 0.467441, -0.350869]])
# The literals carry 6 decimals and the network runs in float32.
Q4_ATOL = 2e-6
# Parameter roles, in the order their toy values are offset.
Q4_ROLES = ("embedding", "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
            "fc_weight", "fc_bias")


def q4_toy_values(role, shape):
    """Deterministic weights 0.5 * sin(0.9 k + r) for flat index k and role index r."""
    n = int(np.prod(shape))
    return 0.5 * np.sin(0.9 * np.arange(n) + Q4_ROLES.index(role)).reshape(shape)


def _q4_single(test, model, layer_type):
    layers = [m for m in model.modules() if isinstance(m, layer_type)]
    test.assertEqual(len(layers), 1, f"expected exactly one {layer_type.__name__} in the model")
    return layers[0]


def _q4_check_architecture(test, wrapper, recurrent_type, adapter_type, units_name, expected_logits):
    """Shared body of the RNN and LSTM architecture tests (``test`` is the TestCase)."""
    wrapper.set_hyperparameters()
    for name in ("embedding_dim", units_name, "batch_size", "epochs", "learning_rate", "clip_norm"):
        test.assertTrue(hasattr(wrapper, name), f"set_hyperparameters() must set self.{name}")
    wrapper.embedding_dim = Q4_EMBED
    setattr(wrapper, units_name, Q4_UNITS)
    wrapper.define_model()
    model = wrapper.model
    embedding = _q4_single(test, model, nn.Embedding)
    recurrent = _q4_single(test, model, recurrent_type)
    fc = _q4_single(test, model, nn.Linear)
    _q4_single(test, model, adapter_type)
    test.assertEqual((embedding.num_embeddings, embedding.embedding_dim), (Q4_VOCAB, Q4_EMBED),
                     "Embedding should map vocab_size characters to embedding_dim values")
    test.assertEqual((recurrent.input_size, recurrent.hidden_size), (Q4_EMBED, Q4_UNITS),
                     f"{recurrent_type.__name__} should map embedding_dim inputs to {units_name}")
    test.assertTrue(recurrent.batch_first, "the recurrent layer needs batch_first=True: inputs are (N, T, E)")
    test.assertEqual((fc.in_features, fc.out_features), (Q4_UNITS, Q4_VOCAB),
                     f"Linear should map {units_name} to vocab_size logits")
    params = {"embedding": embedding.weight, "fc_weight": fc.weight, "fc_bias": fc.bias}
    params.update({role: getattr(recurrent, role) for role in Q4_ROLES[1:5]})
    with torch.no_grad():
        for role, param in params.items():
            param.copy_(torch.as_tensor(q4_toy_values(role, tuple(param.shape))))
        model.eval()
        logits = model(torch.as_tensor(Q4_TOY_X)).numpy()
    test.assertEqual(logits.shape, (len(Q4_TOY_X), Q4_VOCAB), "logits should have shape (N, vocab_size)")
    np.testing.assert_allclose(logits, expected_logits, rtol=0, atol=Q4_ATOL)


class TestRNN(unittest.TestCase):
    def test_rnn_architecture(self):
        """Embedding -> RNN -> RNNOutputAdapter -> Linear, with sizes from the hyperparameters."""
        wrapper = RNN(Q4_VOCAB, Q4_SEQ_LEN)
        _q4_check_architecture(self, wrapper, nn.RNN, RNNOutputAdapter, "rnn_units", RNN_TOY_LOGITS)
        print("test_rnn_architecture passed!")


class TestLSTM(unittest.TestCase):
    def test_lstm_architecture(self):
        """Embedding -> LSTM -> LSTMOutputAdapter -> Linear, with sizes from the hyperparameters."""
        wrapper = LSTM(Q4_VOCAB, Q4_SEQ_LEN)
        _q4_check_architecture(self, wrapper, nn.LSTM, LSTMOutputAdapter, "lstm_units", LSTM_TOY_LOGITS)
        print("test_lstm_architecture passed!")
