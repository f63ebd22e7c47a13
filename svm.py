"""svm: implementation lands with its issue."""
