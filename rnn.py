"""Q4.1.1: a character-level Elman RNN for next-character prediction.

Shapes (letters as in base_sequential_model): windows (N, T) ->
Embedding -> (N, T, E) -> nn.RNN -> (output (N, T, H), h_n (L, N, H)) ->
RNNOutputAdapter -> (N, H) -> Linear -> logits (N, V).
"""

from torch import nn

from base_sequential_model import BaseSequentialModel


class RNNOutputAdapter(nn.Module):
    """Pick the last layer's final hidden state out of ``nn.RNN``'s output tuple."""

    def forward(self, inputs):
        """Return the final hidden state of the top layer.

        Parameters
        ----------
        inputs : tuple (output, h_n)
            output : Tensor of shape (N, T, H), every time step of the top layer.
            h_n : Tensor of shape (L, N, H), the last time step of each of L layers.

        Returns
        -------
        Tensor of shape (N, H)
        """
        # BEGIN SOLUTION
        _, h_n = inputs
        return h_n[-1]
        # END SOLUTION


class RNN(BaseSequentialModel):
    """Embedding -> single-layer tanh RNN -> RNNOutputAdapter -> Linear(H, V)."""

    NAME = "RNN"

    def set_hyperparameters(self):
        """Set embedding_dim, rnn_units, batch_size, epochs, learning_rate and clip_norm."""
        # BEGIN SOLUTION
        self.embedding_dim = 32  # plenty for 34 characters, and cheap
        self.rnn_units = 256  # cost per step grows as H^2; 256 gets under 1.50 in 10 epochs
        self.batch_size = 128  # about 720 updates per epoch on Macbeth
        self.epochs = 10
        self.learning_rate = 2e-3  # RMSprop; twice the Keras default, safe with clipping
        self.clip_norm = 1.0  # tanh recurrences over 30 steps occasionally spike
        # END SOLUTION

    def define_model(self):
        """Build ``self.model`` from the hyperparameters set by ``set_hyperparameters()``."""
        # BEGIN SOLUTION
        self.model = nn.Sequential(
            nn.Embedding(self.vocab_size, self.embedding_dim),
            nn.RNN(self.embedding_dim, self.rnn_units, batch_first=True),
            RNNOutputAdapter(),
            nn.Linear(self.rnn_units, self.vocab_size),
        )
        # END SOLUTION
