"""rnn: implementation lands with its issue."""
