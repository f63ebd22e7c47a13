"""text_generator: implementation lands with its issue."""
