"""Local tests of cnn.py and of a trained cnn_trainer.Trainer (Q2)."""

import unittest

import numpy as np
import torch
from sklearn.metrics import confusion_matrix

from cnn import CNN
from cnn_trainer import Trainer
from cnn_image_transformations import (TransformedDataset, create_testing_transformations,
                                       create_training_transformations)

# Images are 1x84x84 and there are 4 classes (glioma, meningioma, notumor,
# pituitary), the shapes get_mri_dataset returns.
CNN_INPUT_SHAPE = (1, 84, 84)
CNN_N_CLASSES = 4
# The course requires at least this many convolutional and linear layers.
CNN_MIN_CONV_LAYERS = 2
CNN_MIN_LINEAR_LAYERS = 2
# The course bar: every class is recognised more often than not.
CNN_MIN_CONFUSION_DIAGONAL = 0.5
# The course's limits for tune(): batch 32-512, at most 10 epochs, lr 0.001-0.01.
TUNE_LIMITS = {"batch_size": (32, 512), "num_epochs": (1, 10), "init_lr": (0.001, 0.01)}
# A uint8 test image with distinct halves, so a flip is visible.
CNN_IMAGE = np.tile(np.concatenate((np.zeros(42), np.full(42, 255))).astype(np.uint8), (84, 1))


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

    def test_transformations(self):
        expected = torch.from_numpy(CNN_IMAGE / 255).float()[None]  # (1, 84, 84)
        image = create_testing_transformations()(CNN_IMAGE)
        self.assertIsInstance(image, torch.Tensor, "the testing transform must return a tensor")
        self.assertEqual((tuple(image.shape), image.dtype), ((1, 84, 84), torch.float32),
                         "the testing transform must return a float32 tensor of shape (1, H, W)")
        self.assertTrue(torch.allclose(image, expected),
                        "the testing transform must only scale the pixels to [0, 1]")
        draws = [create_training_transformations()(CNN_IMAGE) for _ in range(20)]
        self.assertTrue(all(tuple(d.shape) == (1, 84, 84) and 0 <= d.min() and d.max() <= 1
                            for d in draws),
                        "the training transform must return (1, H, W) images in [0, 1]")
        self.assertTrue(any(not torch.allclose(d, expected) for d in draws),
                        "20 draws of the training transform all returned the image unchanged")
        dataset = TransformedDataset(np.stack([CNN_IMAGE] * 2), np.array([0, 3]),
                                     create_testing_transformations())
        image, label = dataset[1]
        self.assertEqual((len(dataset), tuple(image.shape), int(label)), (2, (1, 84, 84), 3))
        self._passed()

    def test_tune_limits(self):
        """tune() sets hyperparameters within the course's limits (train() is not run)."""
        images = np.zeros((2, 84, 84), dtype=np.uint8)
        dataset = TransformedDataset(images, np.array([0, 1]), create_testing_transformations())
        trainer = Trainer(CNN(), dataset, dataset)
        trainer.train = lambda *args, **kwargs: None
        trainer.tune()
        for name, (low, high) in TUNE_LIMITS.items():
            value = getattr(trainer, name)
            self.assertTrue(low <= value <= high,
                            f"tune() sets {name} = {value!r}; the course allows {low} to {high}")
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
