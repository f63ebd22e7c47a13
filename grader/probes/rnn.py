"""Probes for Q4 (``rnn.py``, ``lstm.py``, ``base_sequential_model.py``)."""

from .base import Probe

VOCAB_SIZE = 37
MAX_INPUT_LEN = 30


def _adapter_input(kind):
    """(output, state) of a seeded two-layer torch recurrent layer, as the adapters get them."""
    import torch

    torch.manual_seed(40)
    layer = (torch.nn.RNN if kind == "rnn" else torch.nn.LSTM)(5, 6, num_layers=2,
                                                              batch_first=True)
    with torch.no_grad():
        return layer(torch.randn(3, 7, 5))


def _probe(kind):
    def probe():
        import torch
        from torch import nn

        module = __import__(kind)
        wrapper_cls = getattr(module, kind.upper())
        adapter_cls = getattr(module, f"{kind.upper()}OutputAdapter")
        torch.manual_seed(41)
        # Only the course's API: the constructor's two arguments, the two
        # methods and the ``model`` attribute.
        wrapper = wrapper_cls(VOCAB_SIZE, MAX_INPUT_LEN)
        wrapper.set_hyperparameters()
        wrapper.define_model()
        model = wrapper.model.cpu()
        recurrent_type = nn.RNN if kind == "rnn" else nn.LSTM
        layers = {t.__name__: [m for m in model.modules() if type(m) is t]
                  for t in (nn.Embedding, recurrent_type, nn.Linear)}
        x = torch.randint(0, VOCAB_SIZE, (4, MAX_INPUT_LEN), generator=torch.Generator().manual_seed(42))
        model.eval()
        with torch.no_grad():
            logits = model(x)
            manual = None
            if all(len(v) == 1 for v in layers.values()):
                (emb,), (rec,), (lin,) = layers.values()
                _, state = rec(emb(x))
                h_n = state if kind == "rnn" else state[0]
                manual = lin(h_n[-1])
            adapted = adapter_cls()(_adapter_input(kind))
        return {"counts": {k: len(v) for k, v in layers.items()},
                "batch_first": [bool(m.batch_first) for m in layers[recurrent_type.__name__]],
                "out_features": [m.out_features for m in layers["Linear"]],
                "logits": logits, "manual": manual, "adapter": adapted}
    return probe


PROBES = {
    "rnn_model": Probe(_probe("rnn"), ("rnn.py", "base_sequential_model.py")),
    "lstm_model": Probe(_probe("lstm"), ("lstm.py", "base_sequential_model.py")),
}
