"""The local tests, one module per question, importable as the course imports them.

``from utilities.localtests import TestNN`` imports NN.py and nothing else:
each class is loaded from its question's module on first use, so a
half-written lstm.py cannot stop the Q1 tests.

    TestNN          Q1   utilities/localtests/nn.py
    TestCNN         Q2   utilities/localtests/cnn.py
    TestSVM         Q3   utilities/localtests/svm.py
    TestRNN, TestLSTM    Q4   utilities/localtests/rnn.py
"""

import importlib

MODULE_OF = {"TestNN": "nn", "TestCNN": "cnn", "TestSVM": "svm", "TestRNN": "rnn", "TestLSTM": "rnn"}
__all__ = list(MODULE_OF)


def __getattr__(name):
    if name not in MODULE_OF:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}; "
                             f"the test classes are {', '.join(MODULE_OF)}")
    return getattr(importlib.import_module(f"{__name__}.{MODULE_OF[name]}"), name)
