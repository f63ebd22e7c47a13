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

    def set_hyperparameters(self):
        """Store embedding_dim, rnn_units, learning_rate, batch_size and epochs in ``self.hp``."""
        # BEGIN SOLUTION
        self.hp = {
            "embedding_dim": 32,  # plenty for 37 characters, and cheap
            "rnn_units": 192,  # capacity for spelling; the cost per step grows as H^2
            "learning_rate": 2e-3,  # RMSprop; higher rates made the tanh RNN learn slower
            "batch_size": 128,  # about 700 updates per epoch on Macbeth
            "epochs": 8,
        }
        # END SOLUTION

    def define_model(self):
        """Build ``self.model`` from the hyperparameters in ``self.hp``."""
        # BEGIN SOLUTION
        self.model = nn.Sequential(
            nn.Embedding(self.vocab_size, self.hp["embedding_dim"]),
            nn.RNN(self.hp["embedding_dim"], self.hp["rnn_units"], batch_first=True),
            RNNOutputAdapter(),
            nn.Linear(self.hp["rnn_units"], self.vocab_size),
        )
        # END SOLUTION
