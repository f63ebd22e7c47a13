"""The convolutional network for the four-class brain-MRI problem (Q2).

Dimension letters used below:

    N : batch size        H, W : input height and width (84 for the MRI set)
    C : number of classes (4: glioma, meningioma, notumor, pituitary)
"""

from torch import nn

# BEGIN REFERENCE ONLY
N_CLASSES = 4
# Every convolution keeps H and W: a 3x3 kernel with one pixel of padding.
KERNEL_SIZE = 3
PADDING = 1
LEAKY_SLOPE = 0.01
DROPOUT = 0.2
# AdaptiveAvgPool2d maps any input size onto this grid, so FC1's input size
# (64 channels * 7 * 7 = 3136) does not depend on the image size.
POOLED_SIZE = (7, 7)
# END REFERENCE ONLY


class CNN(nn.Module):
    """Four 3x3 convolutions, two max-pools, an average pool and three linear layers.

    Layout (shapes for one 84x84 image)::

        (1, 84, 84) -conv-> (8, 84, 84) -conv-> (32, 84, 84) -maxpool-> (32, 42, 42)
        -conv-> (32, 42, 42) -conv-> (64, 42, 42) -maxpool-> (64, 21, 21)
        -avgpool-> (64, 7, 7) -flatten-> 3136 -> 256 -> 128 -> C

    Every convolution and hidden linear layer is followed by LeakyReLU(0.01);
    dropout (p=0.2) follows each max-pool and each hidden linear layer.
    """

    def __init__(self):
        super().__init__()
        # BEGIN SOLUTION
        def conv(in_channels, out_channels):
            return [
                nn.Conv2d(in_channels, out_channels, KERNEL_SIZE, padding=PADDING),
                nn.LeakyReLU(LEAKY_SLOPE, inplace=True),
            ]

        self.feature_extractor = nn.Sequential(
            *conv(1, 8), *conv(8, 32), nn.MaxPool2d(2), nn.Dropout(DROPOUT),
            *conv(32, 32), *conv(32, 64), nn.MaxPool2d(2), nn.Dropout(DROPOUT),
        )
        self.avg_pooling = nn.AdaptiveAvgPool2d(POOLED_SIZE)
        n_features = 64 * POOLED_SIZE[0] * POOLED_SIZE[1]
        self.classifier = nn.Sequential(
            nn.Flatten(),
            nn.Linear(n_features, 256), nn.LeakyReLU(LEAKY_SLOPE, inplace=True), nn.Dropout(DROPOUT),
            nn.Linear(256, 128), nn.LeakyReLU(LEAKY_SLOPE, inplace=True), nn.Dropout(DROPOUT),
            nn.Linear(128, N_CLASSES),
        )
        # END SOLUTION

    def forward(self, x):
        """Compute class scores.

        Parameters
        ----------
        x : torch.Tensor of shape (N, 1, H, W), float
            Grayscale images scaled to [0, 1].

        Returns
        -------
        logits : torch.Tensor of shape (N, C)
            Unnormalised scores; apply softmax for probabilities.
        """
        # BEGIN SOLUTION
        return self.classifier(self.avg_pooling(self.feature_extractor(x)))
        # END SOLUTION
