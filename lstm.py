"""lstm: implementation lands with its issue."""
