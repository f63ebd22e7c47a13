"""Image transforms and the dataset wrapper for the brain-MRI CNN (Q2).

Images are grayscale and square. Dimension letters used below:

    N : number of images        H, W : image height and width (84 for the MRI set)

The transforms run per image inside ``TransformedDataset.__getitem__``, so every
image in a batch draws its own flip and rotation. Augmentation works on the
uint8 image and converts to float last, which keeps the per-image cost low.
"""

import numpy as np
import torch
from torch.utils.data import Dataset
from torchvision.transforms import v2

# BEGIN REFERENCE ONLY
# A head can tilt a little in the scanner; a few degrees of rotation mimic that
# without turning corners of the skull out of the frame.
ROTATION_DEGREES = 10
# Half the images keep their original orientation so the network still sees
# the unrotated distribution that the test set comes from.
ROTATION_PROBABILITY = 0.5
# Brains are roughly left-right symmetric and tumours occur on either side.
FLIP_PROBABILITY = 0.5
# END REFERENCE ONLY


def create_training_transformations():
    """Build the training pipeline: conversion to a float image plus augmentation.

    Returns
    -------
    transform : torchvision.transforms.v2.Compose
        Maps one grayscale image (an ndarray of shape (H, W) or a tensor of
        shape (1, H, W), uint8) to a float32 tensor of shape (1, H, W) in
        [0, 1], randomly flipped left-right and, some of the time, rotated
        by a small random angle.
    """
    # BEGIN SOLUTION
    return v2.Compose([
        v2.ToImage(),
        v2.RandomHorizontalFlip(p=FLIP_PROBABILITY),
        v2.RandomApply([v2.RandomRotation(ROTATION_DEGREES)], p=ROTATION_PROBABILITY),
        v2.ToDtype(torch.float32, scale=True),
    ])
    # END SOLUTION


def create_testing_transformations():
    """Build the evaluation pipeline: conversion to a float image only.

    Returns
    -------
    transform : torchvision.transforms.v2.Compose
        Maps one grayscale image (an ndarray of shape (H, W) or a tensor of
        shape (1, H, W), uint8) to a float32 tensor of shape (1, H, W) in [0, 1].
    """
    # BEGIN SOLUTION
    return v2.Compose([
        v2.ToImage(),
        v2.ToDtype(torch.float32, scale=True),
    ])
    # END SOLUTION


class TransformedDataset(Dataset):
    """Grayscale images and labels, with ``transform`` applied per image on access.

    Parameters
    ----------
    images : ndarray of shape (N, H, W) or (N, 1, H, W), uint8
        Pixel values are scaled to [0, 1] by the transforms.
    labels : ndarray of shape (N,), int
        Class labels.
    transform : callable, default=None
        Applied to each image of shape (1, H, W) (a uint8 tensor) in
        ``__getitem__``. ``None`` returns the row of ``data`` unchanged.

    Attributes
    ----------
    data : torch.Tensor of shape (N, 1, H, W), float32
        All images scaled to [0, 1], without augmentation.
    targets : torch.Tensor of shape (N,), int64
    transform : callable or None
    """

    def __init__(self, images, labels, transform=None):
        x, y = np.asarray(images), np.asarray(labels)
        if x.ndim == 4 and x.shape[1] == 1:
            x = x[:, 0]
        if x.ndim != 3:
            raise ValueError(
                f"Expected images of shape (N, H, W) or (N, 1, H, W), got shape {x.shape}"
            )
        if x.dtype != np.uint8:
            raise ValueError(
                f"Expected uint8 images (as get_mri_dataset returns), got dtype {x.dtype}"
            )
        if y.shape != (len(x),):
            raise ValueError(f"Expected labels of shape ({len(x)},), got shape {y.shape}")
        self._images = torch.from_numpy(np.ascontiguousarray(x)).unsqueeze(1)  # (N, 1, H, W)
        self.data = v2.functional.to_dtype(self._images, torch.float32, scale=True)
        self.targets = torch.as_tensor(y, dtype=torch.int64)
        self.transform = transform

    def __len__(self):
        return len(self.targets)

    def __getitem__(self, index):
        """Return ``(image, label)``: a float tensor of shape (1, H, W) and an int64 scalar."""
        if self.transform is None:
            return self.data[index], self.targets[index]
        return self.transform(self._images[index]), self.targets[index]
