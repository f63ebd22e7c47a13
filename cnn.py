"""cnn: implementation lands with its issue."""
