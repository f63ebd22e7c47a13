"""bench/results.py keeps the latest figures per bench script and machine line."""

import json

from bench import results


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
