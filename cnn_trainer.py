"""cnn_trainer: implementation lands with its issue."""
