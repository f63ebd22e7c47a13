"""A course student's NN.py: written against the course skeleton, not our reference.

Like the original completed notebook, it puts Adam's epsilon outside the
square root. tests/test_grader.py grades this folder and expects full marks,
and utilities.localtests.TestNN passes with it in place of NN.py.
"""

import numpy as np


class NeuralNet:
    def __init__(self, y, use_dropout, use_adam, lr=0.01, batch_size=64, dropout_prob=0.3):
        """
        This method initializes the class, it is implemented for you.
        Args:
            y (np.ndarray): labels, (N, 3)
            use_dropout (bool): whether to use dropout in training
            use_adam (bool): whether to use Adam in updates
            lr (float): learning rate
            batch_size (int): number of samples per mini-batch
            dropout_prob (float): probability of dropping a unit
        """
        self.y = y
        self.y_hat = np.zeros((self.y.shape[0], 3))
        self.dimensions = [8, 15, 7, 3]
        self.eps = 1e-8

        self.use_dropout = use_dropout
        self.dropout_prob = dropout_prob

        self.parameters = {}
        self.cache = {}
        self.loss = []
        self.batch_y = []
        self.batch_size = batch_size
        self.learning_rate = lr
        self.sample_count = self.y.shape[0]

        self.use_adam = use_adam
        self.t = 1
        self.beta1 = 0.9
        self.beta2 = 0.999
        self.first_moment = {}
        self.second_moment = {}

        self.init_parameters()

    def init_parameters(self, param=None):
        """
        This method initializes the neural network variables, it is already implemented for you.
        Args:
            param (dict): optional dictionary of parameters to use instead of random ones
        """
        if param is None:
            np.random.seed(0)
            self.parameters["theta1"] = np.random.randn(self.dimensions[0], self.dimensions[1]) / np.sqrt(self.dimensions[0])
            self.parameters["b1"] = np.zeros((self.dimensions[1]))
            self.parameters["theta2"] = np.random.randn(self.dimensions[1], self.dimensions[2]) / np.sqrt(self.dimensions[1])
            self.parameters["b2"] = np.zeros((self.dimensions[2]))
            self.parameters["theta3"] = np.random.randn(self.dimensions[2], self.dimensions[3]) / np.sqrt(self.dimensions[2])
            self.parameters["b3"] = np.zeros((self.dimensions[3]))
        else:
            self.parameters = param
        for layer in self.parameters:
            self.first_moment[layer] = np.zeros_like(self.parameters[layer])
            self.second_moment[layer] = np.zeros_like(self.parameters[layer])

    def softmax(self, u):
        """
        Args:
            u (np.ndarray): logits, (N, 3)
        Return:
            o (np.ndarray): probabilities, (N, 3)
        """
        shifted = u - np.max(u, axis=1, keepdims=True)
        exps = np.exp(shifted)
        o = exps / np.sum(exps, axis=1, keepdims=True)
        return o

    def softsign(self, u):
        """
        Args:
            u (np.ndarray): input of any shape
        Return:
            o (np.ndarray): softsign(u), same shape
        """
        o = u / (1 + np.abs(u))
        return o

    def derivative_softsign(self, x):
        """
        Args:
            x (np.ndarray): input of any shape
        Return:
            (np.ndarray): derivative of softsign at x, same shape
        """
        return 1 / np.square(1 + np.abs(x))

    @staticmethod
    def _dropout(u, prob):
        """
        Args:
            u (np.ndarray): input, (N, D)
            prob (float): probability of dropping a unit
        Return:
            u_after_dropout (np.ndarray): (N, D)
            dropout_mask (np.ndarray): (N, D)
        """
        dropout_mask = np.random.choice([0, 1], size=u.shape, p=[prob, 1 - prob])
        u_after_dropout = u * dropout_mask
        u_after_dropout = u_after_dropout / (1 - prob)
        return u_after_dropout, dropout_mask

    def cross_entropy_loss(self, y, y_hat):
        """
        Args:
            y (np.ndarray): one-hot labels, (N, 3)
            y_hat (np.ndarray): predictions, (N, 3)
        Return:
            loss (float): average cross-entropy
        """
        N = y.shape[0]
        clipped = np.clip(y_hat, 1e-300, 1.0)
        loss = -np.sum(y * np.log(clipped)) / N
        return loss

    def forward(self, x, use_dropout):
        """
        Args:
            x (np.ndarray): input, (N, 8)
            use_dropout (bool): whether to apply dropout after the first layer
        Return:
            o3 (np.ndarray): output probabilities, (N, 3)
        """
        self.cache["X"] = x
        u1 = np.dot(x, self.parameters["theta1"]) + self.parameters["b1"]
        o1 = self.softsign(u1)
        if use_dropout:
            o1, mask = self._dropout(o1, self.dropout_prob)
        else:
            mask = None
        self.cache["u1"] = u1
        self.cache["o1"] = o1
        self.cache["mask"] = mask

        u2 = np.dot(o1, self.parameters["theta2"]) + self.parameters["b2"]
        o2 = self.softsign(u2)
        self.cache["u2"] = u2
        self.cache["o2"] = o2

        u3 = np.dot(o2, self.parameters["theta3"]) + self.parameters["b3"]
        o3 = self.softmax(u3)
        self.cache["u3"] = u3
        self.cache["o3"] = o3
        return o3

    def compute_gradients(self, y, yh):
        """
        Args:
            y (np.ndarray): labels, (N, 3)
            yh (np.ndarray): predictions, (N, 3)
        Return:
            dLoss (dict): gradients with keys dLoss_theta1 ... dLoss_b3
        """
        N = y.shape[0]
        dLoss_u3 = (yh - y) / N
        dLoss_theta3 = np.dot(self.cache["o2"].T, dLoss_u3)
        dLoss_b3 = np.sum(dLoss_u3, axis=0)

        dLoss_o2 = np.dot(dLoss_u3, self.parameters["theta3"].T)
        dLoss_u2 = dLoss_o2 * self.derivative_softsign(self.cache["u2"])
        dLoss_theta2 = np.dot(self.cache["o1"].T, dLoss_u2)
        dLoss_b2 = np.sum(dLoss_u2, axis=0)

        dLoss_o1 = np.dot(dLoss_u2, self.parameters["theta2"].T)
        dLoss_u1 = dLoss_o1 * self.derivative_softsign(self.cache["u1"])
        if self.use_dropout:
            dLoss_u1 = dLoss_u1 * self.cache["mask"] * (1 / (1 - self.dropout_prob))
        dLoss_theta1 = np.dot(self.cache["X"].T, dLoss_u1)
        dLoss_b1 = np.sum(dLoss_u1, axis=0)

        dLoss = {
            "dLoss_theta1": dLoss_theta1,
            "dLoss_b1": dLoss_b1,
            "dLoss_theta2": dLoss_theta2,
            "dLoss_b2": dLoss_b2,
            "dLoss_theta3": dLoss_theta3,
            "dLoss_b3": dLoss_b3,
        }
        return dLoss

    def update_weights(self, dLoss):
        """
        Args:
            dLoss (dict): gradients, keyed "dLoss_theta1" or "theta1" and so on
        Return:
            None
        """
        for name in ["theta1", "b1", "theta2", "b2", "theta3", "b3"]:
            if "dLoss_" + name in dLoss:
                grad = dLoss["dLoss_" + name]
            else:
                grad = dLoss[name]
            if self.use_adam:
                self.first_moment[name] = self.beta1 * self.first_moment[name] + (1 - self.beta1) * grad
                self.second_moment[name] = self.beta2 * self.second_moment[name] + (1 - self.beta2) * (grad ** 2)
                m_hat = self.first_moment[name] / (1 - self.beta1 ** self.t)
                v_hat = self.second_moment[name] / (1 - self.beta2 ** self.t)
                self.parameters[name] = self.parameters[name] - self.learning_rate * m_hat / (np.sqrt(v_hat) + self.eps)
            else:
                self.parameters[name] = self.parameters[name] - self.learning_rate * grad
        if self.use_adam:
            self.t = self.t + 1

    def backward(self, y, yh):
        """
        Args:
            y (np.ndarray): labels, (N, 3)
            yh (np.ndarray): predictions, (N, 3)
        Return:
            dLoss (dict): the gradients used in the update
        """
        dLoss = self.compute_gradients(y, yh)
        self.update_weights(dLoss)
        return dLoss

    def gradient_descent(self, x, y, iter=60000, local_test=False):
        """
        Full-batch gradient descent. Appends and prints the loss every 1000
        iterations (every iteration for the local test).
        Args:
            x (np.ndarray): input, (N, 8)
            y (np.ndarray): labels, (N, 3)
            iter (int): number of iterations
            local_test (bool): record every iteration
        """
        for i in range(iter):
            yh = self.forward(x, self.use_dropout)
            loss = self.cross_entropy_loss(y, yh)
            self.backward(y, yh)
            if i % 1000 == 0 or local_test:
                self.loss.append(loss)
                print("Loss after iteration %i: %f" % (i, loss))

    def minibatch_gradient_descent(self, x, y, iter=60000, local_test=False):
        """
        Mini-batch gradient descent over batches taken in order, wrapping
        around to the start of the data. Appends the loss and the batch labels
        every 1000 iterations (every iteration for the local test).
        Args:
            x (np.ndarray): input, (N, 8)
            y (np.ndarray): labels, (N, 3)
            iter (int): number of iterations
            local_test (bool): record every iteration
        """
        N = x.shape[0]
        start = 0
        for i in range(iter):
            idx = [(start + k) % N for k in range(self.batch_size)]
            batch_x = x[idx]
            batch_y = y[idx]
            start = (start + self.batch_size) % N

            yh = self.forward(batch_x, self.use_dropout)
            loss = self.cross_entropy_loss(batch_y, yh)
            self.backward(batch_y, yh)
            if i % 1000 == 0 or local_test:
                self.loss.append(loss)
                self.batch_y.append(batch_y)
                print("Loss after iteration %i: %f" % (i, loss))

    def predict(self, x):
        """
        This method predicts the class of each row, it is implemented for you.
        Args:
            x (np.ndarray): input, (N, 8)
        Return:
            (np.ndarray): predicted class indices, (N,)
        """
        yh = self.forward(x, False)
        pred = np.argmax(yh, axis=1)
        return pred
