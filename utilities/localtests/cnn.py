"""Local tests of cnn.py and of a trained cnn_trainer.Trainer (Q2)."""

import unittest

import numpy as np
import torch
from sklearn.metrics import confusion_matrix

from cnn import CNN

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
