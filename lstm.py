"""Q4.1.2: a character-level LSTM for next-character prediction.

Shapes (letters as in base_sequential_model): windows (N, T) ->
Embedding -> (N, T, E) -> nn.LSTM -> (output (N, T, H), (h_n, c_n) each (L, N, H)) ->
LSTMOutputAdapter -> (N, H) -> Linear -> logits (N, V).
"""

from torch import nn

from base_sequential_model import BaseSequentialModel


class LSTMOutputAdapter(nn.Module):
    """Pick the last layer's final hidden state out of ``nn.LSTM``'s output tuple."""

    def forward(self, inputs):
        """Return the final hidden state (not the cell state) of the top layer.

        Parameters
        ----------
        inputs : tuple (output, (h_n, c_n))
            output : Tensor of shape (N, T, H), every time step of the top layer.
            h_n, c_n : Tensors of shape (L, N, H), hidden and cell state of each layer.

        Returns
        -------
        Tensor of shape (N, H)
        """
        # BEGIN SOLUTION
        _, (h_n, _) = inputs
        return h_n[-1]
        # END SOLUTION


class LSTM(BaseSequentialModel):
    """Embedding -> single-layer LSTM -> LSTMOutputAdapter -> Linear(H, V)."""

    def set_hyperparameters(self):
        """Store embedding_dim, lstm_units, learning_rate, batch_size and epochs in ``self.hp``."""
        # BEGIN SOLUTION
        self.hp = {
            "embedding_dim": 32,  # plenty for 37 characters, and cheap
            "lstm_units": 128,  # four gates make a unit cost about four RNN units
            "learning_rate": 4e-3,  # RMSprop; stable with gradient clipping
            "batch_size": 128,
            "epochs": 7,  # the validation loss levels off by then
        }
        # END SOLUTION

    def define_model(self):
        """Build ``self.model`` from the hyperparameters in ``self.hp``."""
        # BEGIN SOLUTION
        self.model = nn.Sequential(
            nn.Embedding(self.vocab_size, self.hp["embedding_dim"]),
            nn.LSTM(self.hp["embedding_dim"], self.hp["lstm_units"], batch_first=True),
            LSTMOutputAdapter(),
            nn.Linear(self.hp["lstm_units"], self.vocab_size),
        )
        # END SOLUTION
