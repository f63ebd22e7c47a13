"""Local tests for HW4, runnable from the notebook.

Each class is a ``unittest.TestCase``; call a single test the way the
notebook does, e.g. ``TestNN("test_softmax").test_softmax()``. A passing test
prints ``<name> passed!``. Every expected literal below states where it came
from; ``tests/`` recomputes each one from an independent reference.
"""

import unittest

import numpy as np


# ---- Q1: TestNN ----------------------------------------------------------


# ---- Q2: TestCNN ---------------------------------------------------------


# ---- Q3: TestSVM ---------------------------------------------------------


# ---- Q4: TestRNN, TestLSTM -----------------------------------------------
