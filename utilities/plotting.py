"""Small matplotlib helpers the notebook uses for its repeated figures."""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.metrics import ConfusionMatrixDisplay


def plot_curves(curves, title, xlabel, ylabel="Loss", first_x=0):
    """Plot one or more named curves on shared axes.

    Parameters
    ----------
    curves : dict of str -> sequence of float
        Legend label -> values; a single unnamed curve may use the key "".
    title, xlabel, ylabel : str
    first_x : int, default=0
        The x value of each curve's first point (1 for epochs counted from 1).
    """
    fig, ax = plt.subplots(figsize=(6, 3.5))
    for label, values in curves.items():
        values = np.asarray(values).squeeze()
        ax.plot(np.arange(first_x, first_x + len(values)), values, marker=".",
                label=label or None)
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    if any(curves):
        ax.legend()
    fig.tight_layout()
    plt.show()


def plot_confusion(y_true, y_pred, labels, title):
    """Show the row-normalised confusion matrix and return its diagonal.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (N,), int class indices
    labels : sequence of str, one per class
    title : str

    Returns
    -------
    diagonal : ndarray of shape (C,), per-class recall
    """
    display = ConfusionMatrixDisplay.from_predictions(
        y_true, y_pred, normalize="true", display_labels=labels, values_format=".2f"
    )
    display.ax_.set_title(title)
    # Long class names would run into each other on a horizontal axis.
    display.ax_.tick_params(axis="x", labelrotation=45)
    display.figure_.set_size_inches(4.5, 4.5)
    display.figure_.tight_layout()
    plt.show()
    return np.diag(display.confusion_matrix)


def plot_points(X, y, title):
    """Scatter 2-D points coloured by their label (red +1, blue -1).

    Parameters
    ----------
    X : ndarray of shape (N, 2)
    y : ndarray of shape (N,), labels in {-1, 1}
    title : str
    """
    fig, ax = plt.subplots(figsize=(4.5, 3.5))
    ax.scatter(X[:, 0], X[:, 1], c=y, cmap="coolwarm", edgecolors="k")
    ax.set(title=title, xlabel="$x_1$", ylabel="$x_2$")
    fig.tight_layout()
    plt.show()


def show_images(images, titles=None, columns=5):
    """Show grayscale images in a grid.

    Parameters
    ----------
    images : sequence of ndarray of shape (H, W)
    titles : sequence of str, optional
    columns : int, default=5
    """
    rows = int(np.ceil(len(images) / columns))
    fig, axes = plt.subplots(rows, columns, figsize=(2 * columns, 2.1 * rows))
    for i, ax in enumerate(np.atleast_1d(axes).ravel()):
        ax.axis("off")
        if i < len(images):
            ax.imshow(images[i], cmap="gray")
            if titles is not None:
                ax.set_title(titles[i], fontsize=9)
    fig.tight_layout()
    plt.show()
