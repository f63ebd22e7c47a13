"""Figures the notebook prints above its written answers, so every cited number is in an output."""

import numpy as np
from sklearn.metrics import recall_score


def curve_summary(losses):
    """Describe a recorded loss curve by the figures its discussion needs.

    Parameters
    ----------
    losses : sequence of float, shape (K,)
        Recorded losses in order (for Q1, one every 1,000 iterations from 0).

    Returns
    -------
    dict
        ``first``, ``second`` and ``final`` loss; ``rises``, how many records
        are higher than the one before; ``largest rise`` (0.0 without rises).
    """
    losses = np.asarray(losses, dtype=float).ravel()
    if len(losses) < 2:
        raise ValueError(f"losses must hold at least 2 records, got {len(losses)}")
    steps = np.diff(losses)  # (K - 1,)
    return {
        "first": float(losses[0]),
        "second": float(losses[1]),
        "final": float(losses[-1]),
        "rises": int(np.sum(steps > 0)),
        "largest rise": float(max(steps.max(), 0.0)),
    }


def network_summary(nn, x_test, y_test, class_names):
    """The figures the Q1 summary table holds for one trained ``NeuralNet``.

    Parameters
    ----------
    nn : NN.NeuralNet, trained; its ``loss`` list holds the recorded losses
    x_test : ndarray of shape (N, D)
    y_test : ndarray of shape (N, C), one-hot
    class_names : sequence of str, shape (C,)

    Returns
    -------
    dict
        ``final training loss``, ``test CE`` (the network's own
        ``cross_entropy_loss`` without dropout) and ``recall <class>`` for
        every class (the diagonal of the row-normalised confusion matrix).
    """
    truth = np.argmax(y_test, axis=1)  # (N,)
    recall = recall_score(truth, nn.predict(x_test), labels=range(len(class_names)), average=None)
    test_ce = nn.cross_entropy_loss(y_test, nn.forward(x_test, use_dropout=False))
    return {"final training loss": float(nn.loss[-1]), "test CE": float(test_ce),
            **{f"recall {name}": float(r) for name, r in zip(class_names, recall)}}


def sequence_summary(wrapper, history):
    """The figures the RNN/LSTM comparison relies on, for one trained sequential model.

    Parameters
    ----------
    wrapper : base_sequential_model.BaseSequentialModel, with its ``model`` built
    history : dict with lists ``train``, ``val`` and ``epoch_seconds``, one entry per epoch

    Returns
    -------
    dict
        ``parameters``, ``epochs``, ``seconds per epoch`` (mean), ``train
        minutes``, ``final train loss``, ``final val loss``, ``best val loss``,
        ``best epoch`` (counted from 1) and ``train loss at best epoch``.
    """
    best = int(np.argmin(history["val"]))
    return {
        "parameters": sum(p.numel() for p in wrapper.model.parameters()),
        "epochs": len(history["train"]),
        "seconds per epoch": float(np.mean(history["epoch_seconds"])),
        "train minutes": sum(history["epoch_seconds"]) / 60,
        "final train loss": history["train"][-1],
        "final val loss": history["val"][-1],
        "best val loss": history["val"][best],
        "best epoch": best + 1,
        "train loss at best epoch": history["train"][best],
    }
