"""NN: implementation lands with its issue."""
