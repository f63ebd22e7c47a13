"""cnn_image_transformations: implementation lands with its issue."""
