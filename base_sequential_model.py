"""base_sequential_model: implementation lands with its issue."""
