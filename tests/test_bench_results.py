"""bench/results.py keeps the latest figures per bench script and machine line; nn_bench's
--against; the precisions the benches time."""

import json

import pytest
import torch

from bench import machine, nn_bench, results
from utilities import runtime
from utilities.utils import get_housing_dataset


def test_record_keeps_one_entry_per_script_and_machine(tmp_path, monkeypatch):
    path = tmp_path / "results.json"
    monkeypatch.setattr(results, "describe", lambda: "CPU A, native bf16 yes")
    results.record("svm_bench", {"ms": [1.0, 2.0]}, path)
    monkeypatch.setattr(results, "describe", lambda: "CPU A, native bf16 no")
    results.record("svm_bench", {"ms": [3.0, 4.0]}, path)
    results.record("svm_bench", {"ms": [5.0, 6.0]}, path)  # replaces that machine's entry
    stored = json.loads(path.read_text())["svm_bench"]
    assert {m: e["figures"] for m, e in stored.items()} == {
        "CPU A, native bf16 yes": {"ms": [1.0, 2.0]}, "CPU A, native bf16 no": {"ms": [5.0, 6.0]}}
    assert all(e["date"].endswith("+00:00") for e in stored.values())


def test_nn_bench_runs_the_network_of_a_git_revision(tmp_path):
    network = nn_bench.network_at("HEAD")
    assert network.__module__ == "NN_at_revision"
    x, y, _, _ = get_housing_dataset()
    medians = nn_bench.median_times({"now": nn_bench.NeuralNet, "HEAD": network}, x, y, 20, 1)
    assert set(medians) == {"now", "HEAD"} and all(m.shape == (2,) for m in medians.values())
    with pytest.raises(ValueError, match="git revision that has NN.py, got 'no-such-rev'"):
        nn_bench.network_at("no-such-rev")


def test_benches_time_the_default_precision_then_fp32(monkeypatch):
    cpu = torch.device("cpu")
    monkeypatch.setattr(runtime, "cpu_has_native_bf16", lambda: True)
    assert machine.timed_precisions(cpu) == ["bf16", "fp32"]
    assert "native bf16 yes (auto precision: bf16)" in machine.describe()
    monkeypatch.setattr(runtime, "cpu_has_native_bf16", lambda: False)
    assert machine.timed_precisions(cpu) == ["fp32"]
    assert "native bf16 no (auto precision: fp32)" in machine.describe()
