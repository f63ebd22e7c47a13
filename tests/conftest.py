"""Fixtures shared across test modules."""

import pytest
import torch

from grader import expected as expected_values
from grader.probes import cnn as cnn_probes


@pytest.fixture(scope="session")
def reference_tune():
    """(trainer, best validation accuracy) after one full ``tune()`` of the reference CNN.

    One run serves both tests/test_cnn.py and the grader's reference grading in
    tests/test_grader.py: a full ``tune()`` costs 2-9 minutes on a 2-core CPU.
    It runs the grader's own probe code, so the grader sees exactly what its
    sandboxed job would have computed for the reference.
    """
    # The probe seeds torch itself, as in a grading job; this process's generator is kept.
    with torch.random.fork_rng():
        return cnn_probes.tuned_trainer()


@pytest.fixture(scope="session")
def expected_file(tmp_path_factory):
    """grader/expected.json, or fresh values in a temporary file when it is stale."""
    if not expected_values.is_stale():
        return expected_values.EXPECTED_FILE
    path = tmp_path_factory.mktemp("expected") / "expected.json"
    expected_values.build(path)
    return path
