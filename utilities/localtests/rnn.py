"""Local tests of the RNN and LSTM architectures (Q4)."""

import unittest

import numpy as np
import torch
from torch import nn

from lstm import LSTM, LSTMOutputAdapter
from rnn import RNN, RNNOutputAdapter
from utilities.localtests.compare import assert_close

# Toy problem for the Q4 architecture tests, built the way the course builds
# its models (RNN(vocab_size, max_input_len)): V characters, windows of T, and
# hp["embedding_dim"] / hp[units] overridden to E and H so the logits are fixed.
Q4_VOCAB, Q4_SEQ_LEN, Q4_EMBED, Q4_UNITS = 5, 4, 3, 4
Q4_TOY_X = np.array([[0, 1, 2, 3], [4, 3, 2, 1]])  # (N=2, T=4)
# Logits (N, V) for Q4_TOY_X with the weights of q4_toy_values(), computed by a
# float64 NumPy loop over time steps (the instructor's test suite recomputes them).
RNN_TOY_LOGITS = np.array([[-0.289288, 0.656867, -0.010530, 0.878175, -0.557860],
                           [-0.127024, 0.552146, 0.015026, 0.937061, -0.689030]])
LSTM_TOY_LOGITS = np.array([[0.149669, 0.112380, 0.527062, 0.458483, -0.342728],
                            [0.148168, 0.117635, 0.519137, 0.467441, -0.350869]])
# The literals carry 6 decimals and the network runs in float32.
Q4_ATOL = 2e-6
# Parameter roles, in the order their toy values are offset.
Q4_ROLES = ("embedding", "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
            "fc_weight", "fc_bias")


def q4_toy_values(role, shape):
    """Deterministic weights 0.5 * sin(0.9 k + r) for flat index k and role index r."""
    n = int(np.prod(shape))
    return 0.5 * np.sin(0.9 * np.arange(n) + Q4_ROLES.index(role)).reshape(shape)


def _q4_single(test, model, layer_type):
    layers = [m for m in model.modules() if isinstance(m, layer_type)]
    test.assertEqual(len(layers), 1, f"expected exactly one {layer_type.__name__} in the model")
    return layers[0]


def _q4_check_architecture(test, wrapper, recurrent_type, adapter_type, units_name, expected_logits):
    """Shared body of the RNN and LSTM architecture tests (``test`` is the TestCase)."""
    wrapper.set_hyperparameters()
    test.assertIsInstance(getattr(wrapper, "hp", None), dict,
                          "set_hyperparameters() must store a dict in self.hp")
    for key in ("embedding_dim", units_name, "learning_rate", "batch_size", "epochs"):
        test.assertIn(key, wrapper.hp, f"set_hyperparameters() must store self.hp[{key!r}]")
    wrapper.hp["embedding_dim"] = Q4_EMBED
    wrapper.hp[units_name] = Q4_UNITS
    wrapper.define_model()
    model = wrapper.model
    embedding = _q4_single(test, model, nn.Embedding)
    recurrent = _q4_single(test, model, recurrent_type)
    fc = _q4_single(test, model, nn.Linear)
    _q4_single(test, model, adapter_type)
    test.assertEqual((embedding.num_embeddings, embedding.embedding_dim), (Q4_VOCAB, Q4_EMBED),
                     "Embedding should map vocab_size characters to embedding_dim values")
    test.assertEqual((recurrent.input_size, recurrent.hidden_size), (Q4_EMBED, Q4_UNITS),
                     f"{recurrent_type.__name__} should map hp['embedding_dim'] inputs to hp['{units_name}'] units")
    test.assertTrue(recurrent.batch_first, "the recurrent layer needs batch_first=True: inputs are (N, T, E)")
    test.assertEqual((fc.in_features, fc.out_features), (Q4_UNITS, Q4_VOCAB),
                     f"Linear should map hp['{units_name}'] units to vocab_size logits")
    params = {"embedding": embedding.weight, "fc_weight": fc.weight, "fc_bias": fc.bias}
    params.update({role: getattr(recurrent, role) for role in Q4_ROLES[1:5]})
    with torch.no_grad():
        for role, param in params.items():
            param.copy_(torch.as_tensor(q4_toy_values(role, tuple(param.shape))))
        model.eval()
        device = next(model.parameters()).device
        logits = model(torch.as_tensor(Q4_TOY_X, device=device)).cpu().numpy()
    assert_close(logits, expected_logits, f"the logits of the {recurrent_type.__name__} model on the "
                 "toy windows (shape (N, vocab_size))", rtol=0, atol=Q4_ATOL,
                 hint="the output adapter passes on the last time step's hidden state")


class TestRNN(unittest.TestCase):
    def test_rnn_architecture(self):
        """Embedding -> RNN -> RNNOutputAdapter -> Linear, with sizes from the hyperparameters."""
        wrapper = RNN(Q4_VOCAB, Q4_SEQ_LEN)
        _q4_check_architecture(self, wrapper, nn.RNN, RNNOutputAdapter, "rnn_units", RNN_TOY_LOGITS)
        print("test_rnn_architecture passed!")


class TestLSTM(unittest.TestCase):
    def test_lstm_architecture(self):
        """Embedding -> LSTM -> LSTMOutputAdapter -> Linear, with sizes from the hyperparameters."""
        wrapper = LSTM(Q4_VOCAB, Q4_SEQ_LEN)
        _q4_check_architecture(self, wrapper, nn.LSTM, LSTMOutputAdapter, "lstm_units", LSTM_TOY_LOGITS)
        print("test_lstm_architecture passed!")
