import torch
import torch.nn as nn


class CNN(nn.Module):
    def __init__(self):
        """
        Define the layers of the network: three 3x3 convolutions, each
        followed by ReLU and 2x2 max pooling, then two fully connected layers.
        Pooling after every convolution keeps the training time low.
        """
        super(CNN, self).__init__()
        self.feature_extractor = nn.Sequential(
            nn.Conv2d(1, 16, kernel_size=3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),  # 84 -> 42
            nn.Conv2d(16, 32, kernel_size=3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),  # 42 -> 21
            nn.Conv2d(32, 64, kernel_size=3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),  # 21 -> 10
        )
        self.classifier = nn.Sequential(
            nn.Flatten(),
            nn.Dropout(p=0.3),
            nn.Linear(64 * 10 * 10, 128),
            nn.ReLU(),
            nn.Dropout(p=0.3),
            nn.Linear(128, 4),
        )

    def forward(self, x):
        """
        Args:
            x: batch of images, shape (N, 1, 84, 84)
        Return:
            outs: class scores, shape (N, 4)
        """
        x = self.feature_extractor(x)
        outs = self.classifier(x)
        return outs
