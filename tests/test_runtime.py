"""Tests of utilities/runtime.py: device, precision policy, layout, workers, atomic writes.

The precision tests run on every CPU. Where they need an answer from the
hardware detector they set it explicitly, so a CPU with native bf16 is
checked for the refusal too; only the test that actually trains in bf16
needs the hardware, and it says so when it skips.
"""

import os
import re
from pathlib import Path

import pytest
import torch

from utilities import runtime

CPU = torch.device("cpu")
NEEDS_BF16 = pytest.mark.skipif(
    not runtime.cpu_has_native_bf16(),
    reason="trains under bf16 autocast, which needs a CPU with AVX512-BF16 or AMX "
           "(this one has neither; the refusal on such CPUs is tested separately)",
)


@pytest.fixture
def cpu_without_bf16(monkeypatch):
    monkeypatch.setattr(runtime, "cpu_has_native_bf16", lambda: False)


def test_select_device():
    assert runtime.select_device("cpu") == CPU
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert runtime.select_device().type == expected


def test_unknown_precision_is_refused():
    with pytest.raises(ValueError, match=r"precision must be one of .* got 'fp16'"):
        runtime.resolve_precision("fp16", CPU)


@pytest.mark.parametrize("native, requested, resolved", [
    (False, "auto", "fp32"), (False, "fp32", "fp32"),
    (True, "auto", "bf16"), (True, "fp32", "fp32"), (True, "bf16", "bf16"),
])
def test_precision_follows_the_hardware(monkeypatch, native, requested, resolved):
    monkeypatch.setattr(runtime, "cpu_has_native_bf16", lambda: native)
    assert runtime.resolve_precision(requested, CPU) == resolved


def test_bf16_without_native_bf16_names_the_missing_feature_and_the_fix(cpu_without_bf16):
    with pytest.raises(ValueError, match=r"AVX512-BF16 nor AMX.*use precision='fp32'"):
        runtime.resolve_precision("bf16", CPU)


def test_detector_honours_forced_avx2_kernels(monkeypatch):
    runtime.cpu_has_native_bf16.cache_clear()
    monkeypatch.setattr(torch.backends.cpu, "get_cpu_capability", lambda: "AVX2")
    try:
        assert runtime.cpu_has_native_bf16() is False
    finally:
        runtime.cpu_has_native_bf16.cache_clear()


def test_autocast_and_layout_follow_the_precision():
    layer = torch.nn.Linear(4, 3)
    with runtime.autocast(CPU, "fp32"):
        assert layer(torch.ones(2, 4)).dtype == torch.float32
    for precision in ("fp32", "bf16"):
        assert runtime.memory_format(CPU, precision) == torch.channels_last
    cuda = torch.device("cuda")
    assert runtime.memory_format(cuda, "fp32") == torch.contiguous_format
    assert runtime.memory_format(cuda, "bf16") == torch.channels_last


@NEEDS_BF16
def test_bf16_autocast_computes_in_bf16():
    layer = torch.nn.Linear(4, 3)
    with runtime.autocast(CPU, "bf16"):
        assert layer(torch.ones(2, 4)).dtype == torch.bfloat16


@pytest.mark.parametrize("device, cores, threads, workers", [
    ("cpu", 2, 2, 0), ("cpu", 8, 4, 1), ("cuda", 2, 2, 1),
])
def test_default_loader_workers(monkeypatch, device, cores, threads, workers):
    monkeypatch.setattr(os, "cpu_count", lambda: cores)
    monkeypatch.setattr(torch, "get_num_threads", lambda: threads)
    assert runtime.default_loader_workers(torch.device(device)) == workers


def test_snapshot_state_is_independent_of_later_training():
    layer = torch.nn.Linear(2, 2)
    state = runtime.snapshot_state(layer)
    with torch.no_grad():
        layer.weight.add_(1.0)
    assert not torch.equal(state["weight"], layer.weight)


def test_atomic_write_replaces_whole_file(tmp_path):
    path = tmp_path / "sub" / "file.txt"
    runtime.atomic_write(path, lambda f: f.write("first"), mode="w")
    runtime.atomic_write(path, lambda f: f.write(b"second"))
    assert path.read_text() == "second"
    assert sorted(p.name for p in path.parent.iterdir()) == ["file.txt"]


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path):
    path = tmp_path / "file.txt"
    path.write_text("old")

    def fail(handle):
        handle.write("half")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        runtime.atomic_write(path, fail, mode="w")
    assert path.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt"]


# Names of the hardware, precision and loader machinery that lives in utilities/runtime.py.
RUNTIME_NAMES = ("runtime", "autocast", "cuda", "bf16", "bfloat16", "float16", "channels_last",
                 "memory_format", "num_workers", "set_num_threads", "get_cpu_capability",
                 "mkldnn", "onednn", "torch.amp", "GradScaler")
EXERCISE_FILES = ("NN.py", "svm.py", "cnn.py", "cnn_image_transformations.py", "rnn.py", "lstm.py")


def test_exercises_hold_no_hardware_or_precision_logic():
    from grader.release import solution_lines

    root = Path(__file__).resolve().parent.parent
    texts = {name: (root / name).read_text() for name in EXERCISE_FILES}
    for name in ("cnn_trainer.py", "base_sequential_model.py"):
        texts[f"{name} (solution regions)"] = "\n".join(solution_lines((root / name).read_text()))
    found = [f"{where}: {word}" for where, text in texts.items() for word in RUNTIME_NAMES
             if re.search(rf"\b{re.escape(word)}\b", text, re.I)]
    assert not found, found
    # The check can fail: the given train() of the same trainer does use the runtime layer.
    assert "runtime" in (root / "cnn_trainer.py").read_text()
