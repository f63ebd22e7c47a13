"""Tests for Q4: base_sequential_model.py, rnn.py, lstm.py and text_generator.py.

Models here are tiny (a few hundred characters, 32 units, fp32) so the file
runs in well under a minute; the full 10-epoch training lives in bench/rnn_bench.py.
"""

import json

import matplotlib
import numpy as np
import pytest
import torch
from torch import nn

import base_sequential_model as bsm
from lstm import LSTM, LSTMOutputAdapter
from rnn import RNN, RNNOutputAdapter
from text_generator import TextGenerator, apply_temperature
from utilities import localtests, runtime
from utilities.utils import preprocess_text_data

matplotlib.use("Agg")

TINY_TEXT = ("to be, or not to be: that is the question. whether tis nobler in the mind "
             "to suffer the slings and arrows of outrageous fortune. ") * 3
TINY_T = 8
MODELS = {"RNN": (RNN, RNNOutputAdapter, nn.RNN), "LSTM": (LSTM, LSTMOutputAdapter, nn.LSTM)}


@pytest.fixture(scope="module", autouse=True)
def one_thread():
    """Tiny models gain nothing from threads, and a busy 2-core runner loses a lot to them."""
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(previous)


@pytest.fixture(scope="module")
def tiny():
    return preprocess_text_data(TINY_TEXT, sequence_len=TINY_T)


def make_wrapper(name, data, weights_dir, units=32, epochs=6, seed=0, precision="fp32"):
    """A small model on the tiny text; ``units`` overrides the chosen hyperparameters."""
    cls = MODELS[name][0]
    wrapper = cls(data["vocab_size"], TINY_T, weights_dir=weights_dir, seed=seed, device="cpu",
                  precision=precision)
    wrapper.set_hyperparameters()
    wrapper.embedding_dim = 8
    setattr(wrapper, f"{name.lower()}_units", units)
    wrapper.batch_size, wrapper.epochs, wrapper.learning_rate = 16, epochs, 3e-3
    wrapper.define_model()
    return wrapper


@pytest.fixture(scope="module", params=list(MODELS))
def trained(request, tiny, tmp_path_factory):
    """A model trained for a few hundred steps, with its checkpoint folder."""
    weights_dir = tmp_path_factory.mktemp(f"weights_{request.param}")
    wrapper = make_wrapper(request.param, tiny, weights_dir, epochs=12)
    wrapper.train(tiny["x"], tiny["y"], train_from_scratch=True, verbose=False)
    return wrapper


# ---- architecture: local tests and the literals behind them ---------------


def numpy_recurrent_logits(kind, x):
    """Float64 NumPy forward pass of the toy model in utilities/localtests.py."""
    vocab, units = localtests.Q4_VOCAB, localtests.Q4_UNITS
    gates = 4 * units if kind == "LSTM" else units
    w = {role: localtests.q4_toy_values(role, shape) for role, shape in (
        ("embedding", (vocab, localtests.Q4_EMBED)), ("weight_ih_l0", (gates, localtests.Q4_EMBED)),
        ("weight_hh_l0", (gates, units)), ("bias_ih_l0", (gates,)), ("bias_hh_l0", (gates,)),
        ("fc_weight", (vocab, units)), ("fc_bias", (vocab,)))}
    e = w["embedding"][x]  # (N, T, E)
    h = c = np.zeros((len(x), units))
    for t in range(x.shape[1]):
        z = e[:, t] @ w["weight_ih_l0"].T + w["bias_ih_l0"] + h @ w["weight_hh_l0"].T + w["bias_hh_l0"]
        if kind == "RNN":
            h = np.tanh(z)
        else:
            i, f, g, o = (1 / (1 + np.exp(-z[:, k * units:(k + 1) * units])) for k in range(4))
            g = np.tanh(z[:, 2 * units:3 * units])  # torch's gate order is i, f, g, o
            c = f * c + i * g
            h = o * np.tanh(c)
    return h @ w["fc_weight"].T + w["fc_bias"]


@pytest.mark.parametrize("kind, literal", [("RNN", localtests.RNN_TOY_LOGITS),
                                           ("LSTM", localtests.LSTM_TOY_LOGITS)])
def test_localtest_literals_match_numpy(kind, literal):
    # The literals are rounded to 6 decimals.
    np.testing.assert_allclose(literal, numpy_recurrent_logits(kind, localtests.Q4_TOY_X),
                               rtol=0, atol=5e-7)


def test_local_tests_pass(capsys):
    localtests.TestRNN("test_rnn_architecture").test_rnn_architecture()
    localtests.TestLSTM("test_lstm_architecture").test_lstm_architecture()
    out = capsys.readouterr().out
    assert "test_rnn_architecture passed!" in out and "test_lstm_architecture passed!" in out


@pytest.mark.parametrize("name", list(MODELS))
@pytest.mark.parametrize("num_layers", [1, 2])
def test_adapter_returns_top_layer_final_state(name, num_layers):
    _, adapter_cls, layer_cls = MODELS[name]
    layer = layer_cls(5, 6, num_layers=num_layers, batch_first=True)
    x = torch.randn(3, 7, 5, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        output, state = layer(x)
        adapted = adapter_cls()((output, state))
    assert adapted.shape == (3, 6)
    # The top layer's output at the last step is its final hidden state.
    torch.testing.assert_close(adapted, output[:, -1], rtol=0, atol=0)
    h_n = state[0] if name == "LSTM" else state
    torch.testing.assert_close(adapted, h_n[-1], rtol=0, atol=0)


@pytest.mark.parametrize("name", list(MODELS))
def test_default_architecture_and_forward_shape(name, tiny):
    cls, adapter_cls, layer_cls = MODELS[name]
    wrapper = cls(tiny["vocab_size"], TINY_T, device="cpu")
    wrapper.set_hyperparameters()
    wrapper.define_model()
    kinds = [type(m) for m in wrapper.model.children()]
    assert kinds == [nn.Embedding, layer_cls, adapter_cls, nn.Linear]
    units = getattr(wrapper, f"{name.lower()}_units")
    assert wrapper.model[1].hidden_size == units and wrapper.model[3].out_features == tiny["vocab_size"]
    logits = wrapper.model(torch.as_tensor(tiny["x"][:5]))
    assert logits.shape == (5, tiny["vocab_size"])


# ---- training, checkpoints, prediction -------------------------------------


def test_training_reduces_loss(trained):
    history = trained.history
    assert len(history["train"]) == len(history["val"]) == trained.epochs
    # Chance level is log(V) ~ 3.2 nats; a few hundred steps on a repeated text get far below.
    assert history["train"][-1] < 0.5 * history["train"][0]
    assert min(history["val"]) < history["val"][0]


def test_validation_split_leaves_no_overlap():
    n_windows, sequence_len = 1000, 30
    n_train, val_start = bsm.split_by_position(n_windows, sequence_len)
    assert n_windows - val_start == 100
    # Window i spans characters i .. i+T (target included).
    last_train_char = (n_train - 1) + sequence_len
    assert last_train_char < val_start
    with pytest.raises(ValueError, match="no training windows"):
        bsm.split_by_position(20, 30)


def test_checkpoint_round_trip(trained, tiny, capsys):
    assert trained.weights_path.exists() and trained.losses_path.exists()
    saved = json.loads(trained.losses_path.read_text())
    assert saved["train"] == pytest.approx(trained.history["train"], rel=1e-12)
    name = trained.NAME
    fresh = make_wrapper(name, tiny, trained.weights_dir, epochs=12, seed=1)
    fresh.train(tiny["x"], tiny["y"])
    assert "Loaded" in capsys.readouterr().out
    for key, value in trained.model.state_dict().items():
        torch.testing.assert_close(fresh.model.state_dict()[key], value, rtol=0, atol=0)
    assert fresh.history["val"] == pytest.approx(trained.history["val"], rel=1e-12)
    np.testing.assert_allclose(fresh.predict(tiny["x"][:4]), trained.predict(tiny["x"][:4]),
                               rtol=0, atol=0)


def test_kept_weights_are_the_best_validation_epoch(trained, tiny):
    _, val_start = bsm.split_by_position(len(tiny["x"]), TINY_T)
    val_loss = trained.evaluate_loss(tiny["x"][val_start:], tiny["y"][val_start:])
    assert val_loss == pytest.approx(min(trained.history["val"]), rel=1e-5)


def test_train_from_scratch_and_missing_history(tiny, tmp_path):
    first = make_wrapper("RNN", tiny, tmp_path, units=8, epochs=1, seed=0)
    first.train(tiny["x"], tiny["y"], verbose=False)
    other = make_wrapper("RNN", tiny, tmp_path, units=8, epochs=1, seed=5)
    other.train(tiny["x"], tiny["y"], train_from_scratch=True, verbose=False)
    assert other.history["train"] != first.history["train"]
    # Weights without their loss history are not trusted: training runs again.
    other.losses_path.unlink()
    again = make_wrapper("RNN", tiny, tmp_path, units=8, epochs=2, seed=0)
    again.train(tiny["x"], tiny["y"], verbose=False)
    assert len(again.history["train"]) == 2


def test_training_is_seeded_and_leaves_global_rng_alone(tiny, tmp_path):
    runs = [make_wrapper("LSTM", tiny, tmp_path / str(i), units=8, epochs=1) for i in range(2)]
    state = torch.random.get_rng_state()
    for run in runs:
        run.train(tiny["x"], tiny["y"], verbose=False)
    assert runs[0].history["train"] == runs[1].history["train"]
    assert torch.equal(torch.random.get_rng_state(), state)


def test_corrupt_and_mismatched_checkpoints(trained, tiny, tmp_path):
    wrapper = make_wrapper(trained.NAME, tiny, tmp_path)
    wrapper.weights_path.parent.mkdir(parents=True, exist_ok=True)
    wrapper.weights_path.write_bytes(b"not a checkpoint")
    wrapper.losses_path.write_text(trained.losses_path.read_text())
    with pytest.raises(ValueError, match="damaged.*train_from_scratch=True"):
        wrapper.train(tiny["x"], tiny["y"])
    wrapper.weights_path.write_bytes(trained.weights_path.read_bytes())
    wider = make_wrapper(trained.NAME, tiny, tmp_path, units=48)
    mismatch = r"do not fit the current.*is \(\d+,\) in the file, \(\d+,\) in the model"
    with pytest.raises(ValueError, match=mismatch):
        wider.train(tiny["x"], tiny["y"])


def test_interrupted_save_keeps_the_old_file(trained, tiny, tmp_path, monkeypatch):
    wrapper = make_wrapper(trained.NAME, tiny, tmp_path)
    wrapper.save_weights()
    before = wrapper.weights_path.read_bytes()

    def crash(obj, handle):
        handle.write(b"half a file")
        raise KeyboardInterrupt

    monkeypatch.setattr(bsm.torch, "save", crash)
    with pytest.raises(KeyboardInterrupt):
        wrapper.save_weights()
    assert wrapper.weights_path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [wrapper.weights_path.name]


def test_predict_returns_probabilities(trained, tiny):
    probs = trained.predict(tiny["x"][:6])
    assert probs.shape == (6, tiny["vocab_size"])
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=0, atol=1e-5)


def test_plot_loss(trained):
    ax = trained.plot_loss()
    assert len(ax.lines) == 2 and ax.get_title() == f"{trained.NAME} loss"


@pytest.mark.parametrize("precision", [
    "auto",
    pytest.param("bf16", marks=pytest.mark.skipif(
        not runtime.cpu_has_native_bf16(),
        reason="bf16 training needs a CPU with AVX512-BF16 or AMX (this one has neither; "
               "test_bf16_is_refused_without_native_support covers such CPUs)")),
])
def test_mixed_precision_trains(tiny, tmp_path, precision):
    wrapper = make_wrapper("LSTM", tiny, tmp_path, units=8, epochs=2, precision=precision)
    wrapper.train(tiny["x"], tiny["y"], verbose=False)
    assert np.isfinite(wrapper.history["train"]).all()


@pytest.mark.parametrize("cls", [RNN, LSTM])
def test_bf16_is_refused_without_native_support(monkeypatch, tmp_path, cls):
    # Emulated bf16 is slower than fp32, and oneDNN has no bf16 LSTM kernel there.
    monkeypatch.setattr(runtime, "cpu_has_native_bf16", lambda: False)
    assert cls(5, 4, weights_dir=tmp_path, device="cpu").precision == "fp32"
    with pytest.raises(ValueError, match=r"neither AVX512-BF16 nor AMX; use precision='fp32'"):
        cls(5, 4, weights_dir=tmp_path, device="cpu", precision="bf16")


def test_bad_inputs(tiny, tmp_path):
    wrapper = RNN(tiny["vocab_size"], TINY_T, weights_dir=tmp_path, device="cpu")
    with pytest.raises(RuntimeError, match="define_model"):
        wrapper.predict(tiny["x"][:2])
    wrapper.set_hyperparameters()
    wrapper.define_model()
    with pytest.raises(ValueError, match=rf"shape \(N, {TINY_T}\)"):
        wrapper.train(tiny["x"][:, :5], tiny["y"])
    with pytest.raises(ValueError, match="same number of windows"):
        wrapper.train(tiny["x"], tiny["y"][:-1])
    with pytest.raises(ValueError, match=r"indices must lie in \[0, "):
        wrapper.train(tiny["x"], tiny["y"] + tiny["vocab_size"])
    with pytest.raises(ValueError, match="integer character indices"):
        wrapper.predict(tiny["x"][:2].astype(float))
    with pytest.raises(ValueError, match="precision must be one of"):
        RNN(5, 4, precision="fp16")
    with pytest.raises(ValueError, match="vocab_size must be a positive integer"):
        RNN(0, 4)
    with pytest.raises(RuntimeError, match="no loss history"):
        wrapper.plot_loss()


# ---- text generation -------------------------------------------------------


@pytest.fixture(scope="module")
def generator(tiny):
    return TextGenerator(tiny["char_indices"], tiny["indices_char"], TINY_T)


def test_generation_is_seeded_and_in_vocabulary(trained, tiny, generator, capsys):
    prompt = tiny["text"][:TINY_T]
    first = generator.generate(trained, prompt, length=40, seed=3)
    second = generator.generate(trained, prompt, length=40, seed=3)
    assert first == second and len(first) == 40
    assert set(first) <= set(tiny["vocab"])
    out = capsys.readouterr().out
    assert f"----- {trained.NAME} Model -----" in out and f"Prompt: {prompt}" in out
    seeded = TextGenerator(tiny["char_indices"], tiny["indices_char"], TINY_T, seed=3)
    assert seeded.generate(trained, prompt, length=40, verbose=False) == first


def test_lower_temperature_lowers_entropy(trained, tiny, generator):
    prompt = tiny["text"][:TINY_T]

    def mean_entropy(temperature):
        _, dists = generator.sample(trained, prompt, 30, temperature, np.random.default_rng(0))
        return float(np.mean(-np.sum(dists * np.log(np.maximum(dists, 1e-300)), axis=1)))

    assert mean_entropy(0.3) < mean_entropy(1.0) < mean_entropy(2.0)


def test_apply_temperature():
    probs = np.array([0.7, 0.2, 0.1, 0.0])
    np.testing.assert_allclose(apply_temperature(probs, 1.0), probs, rtol=1e-12, atol=1e-15)
    sharp = apply_temperature(probs, 0.5)
    np.testing.assert_allclose(sharp, probs ** 2 / np.sum(probs ** 2), rtol=1e-12, atol=1e-15)
    assert sharp[-1] == 0.0


@pytest.mark.parametrize("kwargs, match", [
    ({"temperature": 0}, "temperature must be a positive number"),
    ({"temperature": -1.0}, "temperature must be a positive number"),
    ({"temperature": float("nan")}, "temperature must be a positive number"),
    ({"seed_text": ""}, f"at least {TINY_T} characters"),
    ({"seed_text": "to be"}, f"at least {TINY_T} characters.*got 5"),
    ({"seed_text": "TO BE OR NOT"}, r"outside the vocabulary: \['B', 'E', 'N', 'O', 'R', 'T'\]"),
    ({"length": -1}, "length must be a non-negative integer"),
])
def test_generate_rejects_bad_input(trained, tiny, generator, kwargs, match):
    args = {"seed_text": tiny["text"][:TINY_T], "length": 5, "temperature": 0.75, **kwargs}
    with pytest.raises(ValueError, match=match):
        generator.generate(trained, **args)


def test_generator_rejects_other_vocabulary(trained, tiny):
    small = TextGenerator({"a": 0, "b": 1}, {0: "a", 1: "b"}, TINY_T)
    with pytest.raises(ValueError, match="predicts"):
        small.generate(trained, "ab" * TINY_T)
