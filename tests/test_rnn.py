"""Tests for Q4: base_sequential_model.py, rnn.py, lstm.py and text_generator.py.

Models here are tiny (a few hundred characters, 32 units, fp32) so the file
runs in well under a minute; the full 10-epoch training lives in bench/rnn_bench.py.
"""

import inspect
import json
import os
from pathlib import Path

import matplotlib
import numpy as np
import pytest
import torch
from torch import nn

import base_sequential_model as bsm
from base_sequential_model import BaseSequentialModel
from lstm import LSTM, LSTMOutputAdapter
from rnn import RNN, RNNOutputAdapter
from text_generator import TextGenerator, apply_temperature
from utilities import runtime
from utilities.localtests import rnn as localtests
from utilities.utils import preprocess_text_data

matplotlib.use("Agg")

TINY_TEXT = ("to be, or not to be: that is the question. whether tis nobler in the mind "
             "to suffer the slings and arrows of outrageous fortune. ") * 3
TINY_T = 8
MODELS = {"RNN": (RNN, RNNOutputAdapter, nn.RNN), "LSTM": (LSTM, LSTMOutputAdapter, nn.LSTM)}
UNITS_KEY = {"RNN": "rnn_units", "LSTM": "lstm_units"}
VALIDATION = 0.1


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
    wrapper.hp.update({"embedding_dim": 8, UNITS_KEY[name]: units, "batch_size": 16,
                       "epochs": epochs, "learning_rate": 3e-3})
    wrapper.define_model()
    return wrapper


@pytest.fixture(scope="module", params=list(MODELS))
def trained(request, tiny, tmp_path_factory):
    """A model trained for a few hundred steps with a validation split, and its folder."""
    weights_dir = tmp_path_factory.mktemp(f"weights_{request.param}")
    wrapper = make_wrapper(request.param, tiny, weights_dir, epochs=12)
    wrapper.train(tiny["x"], tiny["y"], train_from_scratch=True, validation_fraction=VALIDATION,
                  verbose=False)
    return wrapper


# ---- the course's contract ---------------------------------------------------


def _parameters(func):
    """[(name, default or inspect.Parameter.empty)] of ``func``'s positional-or-keyword parameters."""
    return [(p.name, p.default) for p in inspect.signature(func).parameters.values()
            if p.kind is p.POSITIONAL_OR_KEYWORD]


def _keyword_only(func):
    return [p.name for p in inspect.signature(func).parameters.values() if p.kind is p.KEYWORD_ONLY]


EMPTY = inspect.Parameter.empty


@pytest.mark.parametrize("func, expected", [
    (BaseSequentialModel.__init__, [("self", EMPTY), ("vocab_size", EMPTY), ("max_input_len", EMPTY)]),
    (RNN.__init__, [("self", EMPTY), ("vocab_size", EMPTY), ("max_input_len", EMPTY)]),
    (LSTM.__init__, [("self", EMPTY), ("vocab_size", EMPTY), ("max_input_len", EMPTY)]),
    (BaseSequentialModel.train, [("self", EMPTY), ("x", EMPTY), ("y", EMPTY),
                                 ("train_from_scratch", False)]),
    (BaseSequentialModel.save_model_path, [("self", EMPTY)]),
    (BaseSequentialModel.save_losses_path, [("self", EMPTY)]),
    (BaseSequentialModel.plot_loss, [("self", EMPTY)]),
    (RNN.set_hyperparameters, [("self", EMPTY)]),
    (RNN.define_model, [("self", EMPTY)]),
    (LSTM.set_hyperparameters, [("self", EMPTY)]),
    (LSTM.define_model, [("self", EMPTY)]),
    (RNNOutputAdapter.forward, [("self", EMPTY), ("inputs", EMPTY)]),
    (LSTMOutputAdapter.forward, [("self", EMPTY), ("inputs", EMPTY)]),
    (TextGenerator.__init__, [("self", EMPTY), ("char_indices", EMPTY), ("indices_char", EMPTY),
                              ("max_input_len", EMPTY)]),
    (TextGenerator.sample, [("self", EMPTY), ("preds", EMPTY), ("temperature", 0.5)]),
    (TextGenerator.generate, [("self", EMPTY), ("model_wrapper", EMPTY), ("seed_text", EMPTY),
                              ("length", 150), ("temperature", 0.5)]),
], ids=lambda v: getattr(v, "__qualname__", ""))
def test_course_signatures(func, expected):
    # Exactly the course's positional parameters and defaults; our extras are
    # keyword-only and optional.
    assert _parameters(func) == expected
    assert all(p.default is not EMPTY for p in inspect.signature(func).parameters.values()
               if p.kind is p.KEYWORD_ONLY)


@pytest.mark.parametrize("name", list(MODELS))
def test_course_attributes_hyperparameters_and_paths(name):
    cls, adapter_cls, _ = MODELS[name]
    wrapper = cls(37, 30)  # exactly the course's call: no extras
    assert issubclass(cls, BaseSequentialModel) and issubclass(adapter_cls, nn.Module)
    assert (wrapper.vocab_size, wrapper.max_input_len) == (37, 30)
    assert wrapper.model is None and wrapper.model_name == name
    assert wrapper.loss_history == [] and wrapper.hyper_params == {}
    assert wrapper.save_model_path() == os.path.join("rnn_model_weights", f"{name}_weights.pth")
    assert wrapper.save_losses_path() == os.path.join("rnn_model_weights", f"{name}_losses.json")
    wrapper.set_hyperparameters()
    assert sorted(wrapper.hp) == sorted(["embedding_dim", UNITS_KEY[name], "learning_rate",
                                         "batch_size", "epochs"])
    assert wrapper.hyper_params is wrapper.hp
    wrapper.define_model()
    assert isinstance(wrapper.model, nn.Module)
    assert wrapper.device == runtime.select_device(None)


def test_extras_are_keyword_only():
    assert _keyword_only(BaseSequentialModel.__init__) == ["weights_dir", "seed", "device", "precision"]
    assert _keyword_only(BaseSequentialModel.train) == ["validation_fraction", "clip_norm", "verbose"]
    assert _keyword_only(TextGenerator.__init__) == ["seed"]
    assert _keyword_only(TextGenerator.generate) == ["verbose"]
    assert _keyword_only(BaseSequentialModel.plot_loss) == ["ax"]


# ---- architecture: local tests and the literals behind them ---------------


def numpy_recurrent_logits(kind, x):
    """Float64 NumPy forward pass of the toy model in utilities/localtests/rnn.py."""
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
    wrapper = cls(tiny["vocab_size"], TINY_T)
    wrapper.set_hyperparameters()
    wrapper.define_model()
    kinds = [type(m) for m in wrapper.model.children()]
    assert kinds == [nn.Embedding, layer_cls, adapter_cls, nn.Linear]
    assert wrapper.model[0].embedding_dim == wrapper.hp["embedding_dim"]
    assert wrapper.model[1].hidden_size == wrapper.hp[UNITS_KEY[name]]
    assert wrapper.model[3].out_features == tiny["vocab_size"]
    logits = wrapper.model(torch.as_tensor(tiny["x"][:5], dtype=torch.long))
    assert logits.shape == (5, tiny["vocab_size"])


# ---- training, checkpoints, prediction -------------------------------------


def test_training_reduces_loss(trained):
    history = trained.history
    assert len(history["train"]) == len(history["val"]) == trained.hp["epochs"]
    assert trained.loss_history is history["train"]
    # Chance level is log(V) ~ 3.2 nats; a few hundred steps on a repeated text get far below.
    assert history["train"][-1] < 0.5 * history["train"][0]
    assert min(history["val"]) < history["val"][0]


def test_course_defaults_train_on_every_window_and_keep_the_best_training_epoch(tiny, tmp_path):
    wrapper = make_wrapper("RNN", tiny, tmp_path, units=8, epochs=3)
    wrapper.train(tiny["x"], tiny["y"], verbose=False)
    assert wrapper.val_loss_history == [] and len(wrapper.loss_history) == 3
    # The model left in memory is the one saved to disk.
    saved = torch.load(wrapper.save_model_path(), weights_only=True)
    for key, value in wrapper.model.state_dict().items():
        torch.testing.assert_close(saved[key], value, rtol=0, atol=0)


def test_float_indices_from_preprocess_are_accepted(tiny, tmp_path):
    assert tiny["x"].dtype == np.float32 and tiny["y"].dtype == np.float32
    wrapper = make_wrapper("LSTM", tiny, tmp_path, units=8, epochs=1)
    as_float = wrapper.predict(tiny["x"][:4])
    as_int = wrapper.predict(tiny["x"][:4].astype(np.int64))
    np.testing.assert_allclose(as_float, as_int, rtol=0, atol=0)


def test_validation_split_leaves_no_overlap():
    n_windows, sequence_len = 1000, 30
    n_train, val_start = bsm.split_by_position(n_windows, sequence_len, VALIDATION)
    assert n_windows - val_start == 100
    # Window i spans characters i .. i+T (target included).
    last_train_char = (n_train - 1) + sequence_len
    assert last_train_char < val_start
    with pytest.raises(ValueError, match="no training windows"):
        bsm.split_by_position(20, 30, VALIDATION)


def test_checkpoint_round_trip(trained, tiny, capsys):
    assert os.path.exists(trained.save_model_path()) and os.path.exists(trained.save_losses_path())
    saved = json.loads(Path(trained.save_losses_path()).read_text())
    assert saved["train"] == pytest.approx(trained.loss_history, rel=1e-12)
    fresh = make_wrapper(trained.model_name, tiny, trained.weights_dir, epochs=12, seed=1)
    fresh.train(tiny["x"], tiny["y"])
    assert "Loaded" in capsys.readouterr().out
    for key, value in trained.model.state_dict().items():
        torch.testing.assert_close(fresh.model.state_dict()[key], value, rtol=0, atol=0)
    assert fresh.val_loss_history == pytest.approx(trained.val_loss_history, rel=1e-12)
    np.testing.assert_allclose(fresh.predict(tiny["x"][:4]), trained.predict(tiny["x"][:4]),
                               rtol=0, atol=0)


def test_loss_history_saved_as_a_plain_list_is_read(trained, tiny, tmp_path):
    wrapper = make_wrapper(trained.model_name, tiny, tmp_path, epochs=12)
    Path(wrapper.save_model_path()).write_bytes(Path(trained.save_model_path()).read_bytes())
    Path(wrapper.save_losses_path()).write_text(json.dumps([2.5, 2.0, 1.5]))
    wrapper.train(tiny["x"], tiny["y"], verbose=False)
    assert wrapper.loss_history == [2.5, 2.0, 1.5] and wrapper.val_loss_history == []


def test_kept_weights_are_the_best_validation_epoch(trained, tiny):
    _, val_start = bsm.split_by_position(len(tiny["x"]), TINY_T, VALIDATION)
    val_loss = trained.evaluate_loss(tiny["x"][val_start:], tiny["y"][val_start:])
    assert val_loss == pytest.approx(min(trained.val_loss_history), rel=1e-5)


def test_train_from_scratch_and_missing_history(tiny, tmp_path):
    first = make_wrapper("RNN", tiny, tmp_path, units=8, epochs=1, seed=0)
    first.train(tiny["x"], tiny["y"], verbose=False)
    other = make_wrapper("RNN", tiny, tmp_path, units=8, epochs=1, seed=5)
    other.train(tiny["x"], tiny["y"], train_from_scratch=True, verbose=False)
    assert other.loss_history != first.loss_history
    # Weights without their loss history are not trusted: training runs again.
    os.remove(other.save_losses_path())
    again = make_wrapper("RNN", tiny, tmp_path, units=8, epochs=2, seed=0)
    again.train(tiny["x"], tiny["y"], verbose=False)
    assert len(again.loss_history) == 2


def test_training_is_seeded_and_leaves_global_rng_alone(tiny, tmp_path):
    runs = [make_wrapper("LSTM", tiny, tmp_path / str(i), units=8, epochs=1) for i in range(2)]
    state = torch.random.get_rng_state()
    for run in runs:
        run.train(tiny["x"], tiny["y"], verbose=False)
    assert runs[0].loss_history == runs[1].loss_history
    assert torch.equal(torch.random.get_rng_state(), state)


def test_course_progress_lines(tiny, tmp_path, capsys):
    wrapper = make_wrapper("RNN", tiny, tmp_path, units=8, epochs=2)
    wrapper.train(tiny["x"], tiny["y"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Training RNN model from scratch..."
    assert lines[1].startswith("Epoch 1/2, Loss: ")
    assert f"Saved best model to {wrapper.save_model_path()}" in lines[2]
    assert lines[-1] == f"Saved RNN model loss history to {wrapper.save_losses_path()}"


def test_loading_prints_the_saved_runs_epoch_log(tiny, tmp_path, capsys):
    wrapper = make_wrapper("RNN", tiny, tmp_path, units=8, epochs=2)
    wrapper.train(tiny["x"], tiny["y"], validation_fraction=VALIDATION)
    logged = [line for line in capsys.readouterr().out.splitlines() if line.startswith("Epoch ")]
    make_wrapper("RNN", tiny, tmp_path, units=8, epochs=2).train(tiny["x"], tiny["y"])
    replayed = capsys.readouterr().out.splitlines()
    assert replayed[0].startswith(f"Loaded RNN weights from {wrapper.save_model_path()}")
    assert replayed[1:] == logged and len(logged) == 2
    assert "validation loss: " in logged[0]


def test_corrupt_and_mismatched_checkpoints(trained, tiny, tmp_path):
    wrapper = make_wrapper(trained.model_name, tiny, tmp_path)
    Path(wrapper.save_model_path()).write_bytes(b"not a checkpoint")
    Path(wrapper.save_losses_path()).write_text(Path(trained.save_losses_path()).read_text())
    with pytest.raises(ValueError, match="damaged.*train_from_scratch=True"):
        wrapper.train(tiny["x"], tiny["y"])
    Path(wrapper.save_model_path()).write_bytes(Path(trained.save_model_path()).read_bytes())
    wider = make_wrapper(trained.model_name, tiny, tmp_path, units=48)
    mismatch = r"do not fit the current.*is \(\d+,\) in the file, \(\d+,\) in the model"
    with pytest.raises(ValueError, match=mismatch):
        wider.train(tiny["x"], tiny["y"])


def test_interrupted_save_keeps_the_old_file(trained, tiny, tmp_path, monkeypatch):
    wrapper = make_wrapper(trained.model_name, tiny, tmp_path)
    wrapper.save_weights()
    before = Path(wrapper.save_model_path()).read_bytes()

    def crash(obj, handle):
        handle.write(b"half a file")
        raise KeyboardInterrupt

    monkeypatch.setattr(bsm.torch, "save", crash)
    with pytest.raises(KeyboardInterrupt):
        wrapper.save_weights()
    assert Path(wrapper.save_model_path()).read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [Path(wrapper.save_model_path()).name]


def test_predict_returns_probabilities(trained, tiny):
    probs = trained.predict(tiny["x"][:6])
    assert probs.shape == (6, tiny["vocab_size"])
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=0, atol=1e-5)


def test_plot_loss(trained):
    ax = trained.plot_loss()
    assert len(ax.lines) == 2 and ax.get_title() == f"{trained.model_name} loss"


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
    assert np.isfinite(wrapper.loss_history).all()


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
    with pytest.raises(ValueError, match="whole-number character indices"):
        wrapper.predict(tiny["x"][:2] + 0.5)
    with pytest.raises(ValueError, match=r"validation_fraction must lie in \[0, 1\)"):
        wrapper.train(tiny["x"], tiny["y"], validation_fraction=1.0)
    del wrapper.hp["epochs"]
    with pytest.raises(ValueError, match=r"self.hp lacks \['epochs'\]"):
        wrapper.train(tiny["x"], tiny["y"])
    with pytest.raises(ValueError, match="precision must be one of"):
        RNN(5, 4, precision="fp16")
    with pytest.raises(ValueError, match="vocab_size must be a positive integer"):
        RNN(0, 4)
    with pytest.raises(RuntimeError, match="no loss history"):
        wrapper.plot_loss()


# ---- text generation -------------------------------------------------------


def test_sample_draws_from_the_temperature_scaled_distribution():
    preds = np.array([0.5, 0.3, 0.15, 0.05, 0.0])
    generator = TextGenerator({c: i for i, c in enumerate("abcde")}, dict(enumerate("abcde")), 3,
                              seed=0)
    n = 20_000
    for temperature in (0.5, 1.0, 2.0):
        draws = np.array([generator.sample(preds, temperature) for _ in range(n)])
        # p_i^(1/T) normalised, written out here rather than taken from apply_temperature.
        expected = preds ** (1 / temperature) / np.sum(preds ** (1 / temperature))
        observed = np.bincount(draws, minlength=len(preds)) / n
        # Five standard errors of a frequency: a wrong temperature is off by > 0.05.
        np.testing.assert_allclose(observed, expected, rtol=0,
                                   atol=5 * np.sqrt(0.25 / n))
        assert observed[-1] == 0  # an impossible character is never drawn
    assert isinstance(generator.sample(preds), int)


def test_apply_temperature():
    probs = np.array([0.7, 0.2, 0.1, 0.0])
    np.testing.assert_allclose(apply_temperature(probs, 1.0), probs, rtol=1e-12, atol=1e-15)
    sharp = apply_temperature(probs, 0.5)
    np.testing.assert_allclose(sharp, probs ** 2 / np.sum(probs ** 2), rtol=1e-12, atol=1e-15)
    assert sharp[-1] == 0.0


@pytest.fixture(scope="module")
def generator(tiny):
    return TextGenerator(tiny["char_indices"], tiny["indices_char"], TINY_T)


def test_generation_is_seeded_and_in_vocabulary(trained, tiny, capsys):
    prompt = tiny["text"][:TINY_T]
    runs = [TextGenerator(tiny["char_indices"], tiny["indices_char"], TINY_T, seed=3)
            .generate(trained, prompt, length=40) for _ in range(2)]
    assert runs[0] == runs[1] and len(runs[0]) == 40
    assert set(runs[0]) <= set(tiny["vocab"])
    out = capsys.readouterr().out
    assert f"----- {trained.model_name} Model -----" in out and f"Prompt: {prompt}" in out
    assert f"Model: {runs[0]}" in out


def test_cold_generation_follows_the_most_likely_character(trained, tiny, generator):
    # At a tiny temperature the draw is the argmax; rebuild that greedy
    # continuation window by window with predict().
    prompt = tiny["text"][5:5 + TINY_T]
    window = [tiny["char_indices"][c] for c in prompt]
    greedy = []
    for _ in range(20):
        index = int(np.argmax(trained.predict(np.array([window]))[0]))
        greedy.append(tiny["indices_char"][index])
        window = window[1:] + [index]
    assert generator.generate(trained, prompt, length=20, temperature=1e-4, verbose=False) \
        == "".join(greedy)


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
