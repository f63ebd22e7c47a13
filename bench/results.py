"""bench/results.json: the latest figures of every bench script, per machine and path.

Each script ends with ``record(name, figures)``. The file keeps one entry per
script and machine line (CPU model, torch kernel level, native bf16, ...), so
a run on the fp32 path does not overwrite the bf16 figures of the same CPU.
README quotes its tables from this file; comments in the code quote none.
"""

import json
from datetime import datetime, timezone
from pathlib import Path

from bench.machine import describe
from utilities.runtime import atomic_write

RESULTS_FILE = Path(__file__).resolve().with_name("results.json")


def record(name, figures, path=RESULTS_FILE):
    """Store ``figures`` (a JSON-able dict) as script ``name``'s latest result on this machine."""
    path = Path(path)
    results = json.loads(path.read_text()) if path.is_file() else {}
    machine = describe()
    results.setdefault(name, {})[machine] = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "figures": figures,
    }
    text = json.dumps(results, indent=1, sort_keys=True) + "\n"
    atomic_write(path, lambda f: f.write(text), mode="w")
    print(f"figures recorded in {path} under {name!r}")
    return results[name][machine]
