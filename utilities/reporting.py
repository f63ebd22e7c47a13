"""Figures the notebook prints above its written answers, so every cited number is in an output."""

import numpy as np


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
