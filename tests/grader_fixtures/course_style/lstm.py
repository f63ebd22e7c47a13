"""A course student's lstm.py: written against the course skeleton, not our reference.

tests/test_grader.py grades this folder and expects full marks.
"""

import torch
import torch.nn as nn

from base_sequential_model import BaseSequentialModel


class LSTMOutputAdapter(nn.Module):
    def forward(self, x):
        # nn.LSTM returns (outputs, (h_n, c_n)); the next layer needs the last h_n.
        outputs, (h_n, c_n) = x
        return h_n[-1]


class LSTM(BaseSequentialModel):
    def __init__(self, vocab_size, max_input_len):
        super().__init__(vocab_size, max_input_len)

    def set_hyperparameters(self):
        self.hp = {
            "embedding_dim": 64,
            "lstm_units": 128,
            "learning_rate": 0.003,
            "batch_size": 256,
            "epochs": 10,
        }

    def define_model(self):
        self.model = nn.Sequential(
            nn.Embedding(self.vocab_size, self.hp["embedding_dim"]),
            nn.LSTM(self.hp["embedding_dim"], self.hp["lstm_units"], batch_first=True),
            LSTMOutputAdapter(),
            nn.Linear(self.hp["lstm_units"], self.vocab_size),
        )
