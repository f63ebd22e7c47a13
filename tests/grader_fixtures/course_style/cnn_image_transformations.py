import torch
from torch.utils.data import Dataset
from torchvision.transforms import v2


def create_training_transformations():
    """
    Preprocess and augment the training images.

    Return:
        train_transforms: a v2.Compose that turns an image into a float tensor
        in [0, 1] and applies a random horizontal flip and, half of the time,
        a random rotation.
    """
    train_transforms = v2.Compose(
        [
            v2.ToImage(),
            v2.ToDtype(torch.float32, scale=True),
            v2.RandomHorizontalFlip(p=0.5),
            v2.RandomApply([v2.RandomRotation(degrees=15)], p=0.5),
        ]
    )
    return train_transforms


def create_testing_transformations():
    """
    Preprocess the testing images (no augmentation).

    Return:
        test_transforms: a v2.Compose that turns an image into a float tensor in [0, 1].
    """
    test_transforms = v2.Compose(
        [
            v2.ToImage(),
            v2.ToDtype(torch.float32, scale=True),
        ]
    )
    return test_transforms


class TransformedDataset(Dataset):
    def __init__(self, images, labels, transform=None):
        self.images = images
        self.labels = labels
        self.transform = transform
        self.data = torch.tensor(images, dtype=torch.float32).unsqueeze(1) / 255.0
        self.targets = torch.tensor(labels, dtype=torch.long)

    def __len__(self):
        return len(self.targets)

    def __getitem__(self, idx):
        if self.transform is None:
            return self.data[idx], self.targets[idx]
        image = self.transform(self.images[idx])
        return image, self.targets[idx]
