"""Local tests of NN.py (Q1), the ones the notebook calls, e.g. ``TestNN("test_softmax").test_softmax()``.

Every expected literal states where it came from; the instructor's test suite
recomputes each one from an independent reference.
"""

import unittest

import numpy as np

from NN import NeuralNet
from utilities.localtests.compare import assert_close, assert_same_keys
from utilities.utils import get_housing_dataset

# A toy network set through init_parameters(param=...): D=2 features, hidden
# sizes (3, 2), C=3 classes, N=6 rows. the instructor's test suite recomputes every
# expected literal of this section from these inputs with independent code
# (scipy, torch float64 autograd, np.random.choice, and an Adam written
# separately from its formula); literals are rounded to 1e-10.
NN_X = np.array([[0.5, -1.2], [1.5, 0.3], [-0.7, 0.8], [0.0, -0.4], [2.0, 1.1], [-1.1, -0.6]])
NN_Y = np.eye(3)[[0, 2, 1, 0, 2, 1]]
NN_PARAMETERS = {
    "theta1": np.array([[0.4, -0.6, 0.9], [-0.3, 0.8, 0.2]]),
    "b1": np.array([0.1, -0.2, 0.05]),
    "theta2": np.array([[0.7, -0.5], [-0.4, 0.6], [0.3, 0.9]]),
    "b2": np.array([-0.1, 0.2]),
    "theta3": np.array([[1.2, -0.7, 0.3], [-0.8, 0.5, 1.1]]),
    "b3": np.array([0.05, -0.1, 0.0]),
}
NN_DROPOUT_PROB = 0.3  # the constructor's default
NN_CACHE_KEYS = ("X", "u1", "o1", "mask", "u2", "o2", "u3", "o3")
NN_U = np.array([[1.0, -2.0, 0.5], [1000.0, 1001.0, 999.0], [-3.0, 0.0, 3.0]])
NN_YH = np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6], [0.25, 0.5, 0.25], [0.9, 0.05, 0.05]])
NN_Y_LOSS = np.eye(3)[[0, 2, 1, 1]]
NN_DROPOUT_U = np.linspace(-1.5, 1.4, 30).reshape(6, 5)

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
# After np.random.seed(0): np.random.choice([0, 1], size=NN_DROPOUT_U.shape,
# p=[0.3, 0.7]), and NN_DROPOUT_U * that mask / 0.7
NN_DROPOUT_MASK = np.array([[1, 1, 1, 1, 1], [1, 1, 1, 1, 1], [1, 1, 1, 1, 0],
                            [0, 0, 1, 1, 1], [1, 1, 1, 1, 0], [1, 0, 1, 1, 1]])
NN_DROPOUT_OUT = np.array([
    [-2.1428571429, -2.0, -1.8571428571, -1.7142857143, -1.5714285714],
    [-1.4285714286, -1.2857142857, -1.1428571429, -1.0, -0.8571428571],
    [-0.7142857143, -0.5714285714, -0.4285714286, -0.2857142857, 0.0],
    [0.0, 0.0, 0.2857142857, 0.4285714286, 0.5714285714],
    [0.7142857143, 0.8571428571, 1.0, 1.1428571429, 0.0],
    [1.4285714286, 0.0, 1.7142857143, 1.8571428571, 2.0]])
# The same draw for the toy's first hidden layer (N, H1) = (6, 3)
NN_MASK = np.array([[1, 1, 1], [1, 1, 1], [1, 1, 1], [1, 1, 1], [1, 1, 0], [0, 0, 1]])
# torch float64: softmax of the toy network's logits, without / with NN_MASK
NN_O3 = np.array([[0.5191950509, 0.200342059, 0.28046289],
                  [0.3805797747, 0.2234447667, 0.3959754586],
                  [0.1777430437, 0.4334805991, 0.3887763572],
                  [0.4412723008, 0.2558649332, 0.3028627659],
                  [0.3431125363, 0.2315923562, 0.4252951075],
                  [0.3349549363, 0.3751636015, 0.2898814621]])
NN_O3_DROPOUT = np.array([[0.5921206199, 0.166403116, 0.2414762641],
                          [0.4026539163, 0.2007662512, 0.3965798325],
                          [0.1555359484, 0.4560849411, 0.3883791104],
                          [0.5060124615, 0.2242328219, 0.2697547166],
                          [0.5635921972, 0.19021188, 0.2461959227],
                          [0.3914069629, 0.3543822405, 0.2542107966]])
# torch float64 autograd of the mean cross-entropy, without / with NN_MASK
NN_GRADIENTS = {
    "dLoss_theta1": np.array([[-0.0289033877, 0.004935128, -0.013249898],
                              [0.0720562484, -0.0334449852, -0.0894120519]]),
    "dLoss_b1": np.array([-0.008086102, -0.0296866562, 0.109043869]),
    "dLoss_theta2": np.array([[-0.057149473, 0.0067908142],
                              [0.0759706369, -0.0343897261],
                              [-0.0566446715, -0.0650485097]]),
    "dLoss_b2": np.array([0.0050860743, 0.0329298388]),
    "dLoss_theta3": np.array([[-0.0226819529, 0.1034057062, -0.0807237532],
                              [0.0502829101, 0.0026493193, -0.0529322294]]),
    "dLoss_b3": np.array([0.0328096071, -0.0466852807, 0.0138756736]),
}
NN_GRADIENTS_DROPOUT = {
    "dLoss_theta1": np.array([[0.0983890803, -0.1174763414, -0.0130537041],
                              [0.1350337407, -0.0956581514, -0.0808391261]]),
    "dLoss_b1": np.array([-0.0292632454, -0.014127398, 0.1101487665]),
    "dLoss_theta2": np.array([[-0.0326529071, -0.0465722341],
                              [0.0654016012, 0.0170227555],
                              [-0.0840270864, -0.0398056752]]),
    "dLoss_b2": np.array([0.0645345846, -0.0727431225]),
    "dLoss_theta3": np.array([[-0.0136808334, 0.1102940693, -0.0966132359],
                              [0.0117361449, -0.0083159278, -0.0034202171]]),
    "dLoss_b3": np.array([0.1018870177, -0.0679864582, -0.0339005595]),
}
# NN_PARAMETERS - 0.01 * NN_GRADIENTS (the default learning rate): one plain
# step, which both test_update_weights and test_backward expect
NN_SGD_STEP = {
    "theta1": np.array([[0.4002890339, -0.6000493513, 0.900132499],
                        [-0.3007205625, 0.8003344499, 0.2008941205]]),
    "b1": np.array([0.100080861, -0.1997031334, 0.0489095613]),
    "theta2": np.array([[0.7005714947, -0.5000679081],
                        [-0.4007597064, 0.6003438973],
                        [0.3005664467, 0.9006504851]]),
    "b2": np.array([-0.1000508607, 0.1996707016]),
    "theta3": np.array([[1.2002268195, -0.7010340571, 0.3008072375],
                        [-0.8005028291, 0.4999735068, 1.1005293223]]),
    "b3": np.array([0.0496719039, -0.0995331472, -0.0001387567]),
}
# Adam from its formula at lr 0.01: step 1 with NN_GRADIENTS, step 2 with
# NN_GRADIENTS_DROPOUT
NN_ADAM_TWO_STEPS = {
    "theta1": np.array([[0.4047477204, -0.6028442357, 0.9199952598],
                        [-0.3197191455, 0.8192352071, 0.2199611144]]),
    "b1": np.array([0.1189557839, -0.1807513714, 0.0299975076]),
    "theta2": np.array([[0.7195101631, -0.5036016985],
                        [-0.4199332839, 0.6127020244],
                        [0.319915374, 0.9196001106]]),
    "b2": np.array([-0.1179426264, 0.1940175609]),
    "theta3": np.array([[1.2195814442, -0.720011595, 0.3200066099],
                        [-0.8182171601, 0.4950639794, 1.1171666438]]),
    "b3": np.array([0.0308636222, -0.0800729958, -0.0056495713]),
}
# Losses of iterations 0-2 on get_housing_dataset()'s training rows, from a
# torch float64 loop starting from the course's initialisation (np.random.seed(0),
# randn / sqrt(n_in)), lr 0.01, mini-batches of 64 rows in order; the
# mini-batch run with dropout draws its masks with np.random.choice after
# that initialisation. The original notebook printed 1.086384, 1.086313 and
# 1.086242 for the same gradient-descent run.
NN_GD_LOSSES = [1.0863842581, 1.0863129759, 1.0862418661]
NN_MBGD_LOSSES = [1.0918587513, 1.0874725076, 1.0887094619]
NN_GD_ADAM_LOSSES = [1.0863842581, 1.0774581246, 1.0685466273]
NN_MBGD_ADAM_LOSSES = [1.0798366303, 1.0973153192, 1.0781438719]
NN_BATCH_SIZE = 64
NN_N_BATCHES = 3

# The literals carry 10 decimals; everything else is float64 round-off.
NN_TOL = dict(rtol=1e-7, atol=1e-9)
# The course writes Adam's ε inside the square root, sqrt(V̂ + ε); writing
# sqrt(V̂) + ε instead, as the original completed notebook did (its losses
# 1.077445 and 1.068520 against 1.0774581 and 1.0685466 here), moves these
# parameters by at most 6.5e-6 and these losses by at most 3e-5. Both pass,
# as they did in the course; a wrong Adam step moves them by 1e-3 or more.
NN_ADAM_TOL = dict(rtol=0, atol=5e-5)


def nn_course_net(**kwargs):
    """The course's test network: y is read only for its shape."""
    options = dict(use_dropout=False, use_adam=False)
    options.update(kwargs)
    return NeuralNet(y=np.random.randn(1, 30), **options)


def nn_parameters(prefix=""):
    """A fresh copy of NN_PARAMETERS, keys optionally prefixed (e.g. "dLoss_")."""
    return {prefix + k: v.copy() for k, v in NN_PARAMETERS.items()}


class TestNN(unittest.TestCase):
    """Local tests of NN.py, mirroring the course's: toy fixtures and the housing data."""

    def __init__(self, methodName="runTest"):
        super().__init__(methodName)
        # The notebook calls a test method directly, e.g.
        # TestNN("test_softmax").test_softmax(), which skips unittest's setUp.
        self.setUp()

    def setUp(self):
        self.nn = nn_course_net()

    def _assert_dict_close(self, actual, expected, what, tol=NN_TOL):
        assert_same_keys(actual, expected, what)
        for k in expected:
            assert_close(actual[k], expected[k], f"{what}[{k!r}]", **tol)

    def _passed(self):
        print(f"{self._testMethodName} passed!")

    def test_softmax(self):
        assert_close(self.nn.softmax(NN_U), NN_SOFTMAX, "NeuralNet.softmax(NN_U)", **NN_TOL,
                     hint="row 1 holds logits near 1000: subtract each row's maximum first")
        self._passed()

    def test_softsign(self):
        assert_close(self.nn.softsign(NN_U), NN_SOFTSIGN, "NeuralNet.softsign(NN_U)", **NN_TOL)
        self._passed()

    def test_d_softsign(self):
        assert_close(self.nn.derivative_softsign(NN_U), NN_D_SOFTSIGN,
                     "NeuralNet.derivative_softsign(NN_U)", **NN_TOL)
        self._passed()

    def test_dropout(self):
        np.random.seed(0)
        out, mask = self.nn._dropout(NN_DROPOUT_U, NN_DROPOUT_PROB)
        assert_close(mask, NN_DROPOUT_MASK, "the mask of NeuralNet._dropout(u, 0.3) after "
                     "np.random.seed(0)", rtol=0, atol=0,
                     hint="draw it with np.random.choice([0, 1], size=u.shape, p=[prob, 1 - prob])")
        assert_close(out, NN_DROPOUT_OUT, "the output of NeuralNet._dropout(u, 0.3)", **NN_TOL,
                     hint="scale the kept units by 1 / (1 - prob)")
        out, _ = self.nn._dropout(NN_DROPOUT_U, 0.0)
        assert_close(out, NN_DROPOUT_U, "NeuralNet._dropout(u, 0.0)", rtol=0, atol=0)
        self._passed()

    def test_loss(self):
        assert_close(self.nn.cross_entropy_loss(NN_Y_LOSS, NN_YH), NN_LOSS,
                     "NeuralNet.cross_entropy_loss(y, y_hat)", rtol=0, atol=1e-9,
                     hint="average over the N rows")
        self._passed()

    def test_forward_without_dropout(self):
        self.nn.init_parameters(param=nn_parameters())
        assert_close(self.nn.forward(NN_X, use_dropout=False), NN_O3,
                     "NeuralNet.forward(x, use_dropout=False)", **NN_TOL)
        assert_same_keys(self.nn.cache, dict.fromkeys(NN_CACHE_KEYS), "NeuralNet.cache")
        self._passed()

    def test_forward_with_dropout(self):
        self.nn.init_parameters(param=nn_parameters())
        np.random.seed(0)
        assert_close(self.nn.forward(NN_X, use_dropout=True), NN_O3_DROPOUT,
                     "NeuralNet.forward(x, use_dropout=True) after np.random.seed(0)", **NN_TOL,
                     hint="apply _dropout to o1 only, with self.dropout_prob")
        assert_close(self.nn.cache["mask"], NN_MASK, "NeuralNet.cache['mask']", rtol=0, atol=0)
        self._passed()

    def test_compute_gradients_without_dropout(self):
        self.nn.init_parameters(param=nn_parameters())
        yh = self.nn.forward(NN_X, use_dropout=False)
        self._assert_dict_close(self.nn.compute_gradients(NN_Y, yh), NN_GRADIENTS,
                                "NeuralNet.compute_gradients(y, yh)")
        self._passed()

    def test_compute_gradients_with_dropout(self):
        nn = nn_course_net(use_dropout=True)
        nn.init_parameters(param=nn_parameters())
        np.random.seed(0)
        yh = nn.forward(NN_X, use_dropout=True)
        self._assert_dict_close(nn.compute_gradients(NN_Y, yh), NN_GRADIENTS_DROPOUT,
                                "NeuralNet.compute_gradients(y, yh) with dropout")
        self._passed()

    def test_update_weights(self):
        self.nn.init_parameters(param=nn_parameters())
        self.nn.update_weights(NN_GRADIENTS)
        self._assert_dict_close(self.nn.parameters, NN_SGD_STEP,
                                "NeuralNet.parameters after update_weights")
        self._passed()

    def test_update_weights_with_adam(self):
        nn = nn_course_net(use_adam=True)
        nn.init_parameters(param=nn_parameters())
        # The course's fixtures key gradients both ways; update_weights takes either.
        nn.update_weights({k.removeprefix("dLoss_"): g for k, g in NN_GRADIENTS.items()})
        nn.update_weights(NN_GRADIENTS_DROPOUT)
        self._assert_dict_close(nn.parameters, NN_ADAM_TWO_STEPS,
                                "NeuralNet.parameters after two Adam updates", NN_ADAM_TOL)
        self._passed()

    def test_backward(self):
        self.nn.init_parameters(param=nn_parameters())
        yh = self.nn.forward(NN_X, use_dropout=False)
        self.nn.backward(NN_Y, yh)
        self._assert_dict_close(self.nn.parameters, NN_SGD_STEP,
                                "NeuralNet.parameters after backward")
        self._passed()

    def _check_training(self, method, expected_losses, tol=NN_TOL, **options):
        x_train, y_train, _, _ = get_housing_dataset()
        nn = NeuralNet(y_train, lr=0.01, **options)
        getattr(nn, method)(x_train, y_train, iter=NN_N_BATCHES, local_test=True)
        assert_close(nn.loss, expected_losses, f"NeuralNet.loss after {method}(..., iter=3, "
                     "local_test=True)", **tol)
        if method == "minibatch_gradient_descent":
            batches = [y_train[i * NN_BATCH_SIZE:(i + 1) * NN_BATCH_SIZE] for i in range(NN_N_BATCHES)]
            assert_close(nn.batch_y, batches, "NeuralNet.batch_y", rtol=0, atol=0,
                         hint="batch i holds rows i*batch_size to (i+1)*batch_size, in order")

    def test_gradient_descent(self):
        self._check_training("gradient_descent", NN_GD_LOSSES, use_dropout=False, use_adam=False)
        self._passed()

    def test_minibatch_gradient_descent(self):
        self._check_training("minibatch_gradient_descent", NN_MBGD_LOSSES, use_dropout=True,
                             use_adam=False, batch_size=NN_BATCH_SIZE)
        self._passed()

    def test_gradient_descent_with_adam(self):
        self._check_training("gradient_descent", NN_GD_ADAM_LOSSES, NN_ADAM_TOL,
                             use_dropout=False, use_adam=True)
        self._passed()

    def test_minibatch_gradient_descent_with_adam(self):
        self._check_training("minibatch_gradient_descent", NN_MBGD_ADAM_LOSSES, NN_ADAM_TOL,
                             use_dropout=False, use_adam=True, batch_size=NN_BATCH_SIZE)
        self._passed()
