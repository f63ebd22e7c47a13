"""What a submission is: its eight files and the imports each may have.

The course tells students not to add or remove imports. The grader and the
self-check (``python -m utilities.check``) note any import that neither the
course's skeleton of that file nor the starter template has. A course
student keeps the course skeleton's imports even where our reference does
not need them (``from sklearn.svm import SVC`` in svm.py, say), so both
lists are kept here per file; the instructor's test suite checks that
TEMPLATE_IMPORTS are exactly the reference modules' imports.
"""

import ast

# The files students upload (course notebook, "Submission Instructions").
SUBMISSION_FILES = (
    "NN.py", "cnn.py", "cnn_trainer.py", "cnn_image_transformations.py",
    "svm.py", "rnn.py", "lstm.py", "base_sequential_model.py",
)

COURSE_IMPORTS = {
    "NN.py": {"import numpy as np"},
    "svm.py": {"import numpy as np", "from sklearn.svm import SVC"},
    "cnn.py": {"import torch", "import torch.nn as nn", "from torch import nn",
               "import torch.nn.functional as F"},
    "cnn_image_transformations.py": {
        "import torch", "from torch.utils.data import Dataset",
        "from torchvision.transforms import v2", "import torchvision.transforms.v2 as transforms",
    },
    "cnn_trainer.py": {
        "import numpy as np", "import torch", "import torch.nn as nn", "from torch import nn",
        "import torch.optim as optim", "from torch.utils.data import DataLoader",
        "from tqdm import tqdm",
    },
    "base_sequential_model.py": {
        "import json", "import os", "import numpy as np", "import torch",
        "import torch.nn as nn", "from torch import nn", "import torch.optim as optim",
        "from torch.utils.data import DataLoader", "from torch.utils.data import TensorDataset",
        "import matplotlib.pyplot as plt", "from tqdm import tqdm",
    },
    "rnn.py": {"import torch", "import torch.nn as nn", "from torch import nn",
               "from base_sequential_model import BaseSequentialModel"},
    "lstm.py": {"import torch", "import torch.nn as nn", "from torch import nn",
                "from base_sequential_model import BaseSequentialModel"},
}

# The starter template's own imports beyond the course skeleton's, as imports() writes them.
TEMPLATE_IMPORTS = {
    "NN.py": set(),
    "cnn.py": set(),
    "cnn_trainer.py": {"from utilities import runtime", "import time"},
    "cnn_image_transformations.py": {"import numpy"},
    "svm.py": {"from utilities.validation import as_points",
               "from utilities.validation import callable_map",
               "from utilities.validation import positive_number"},
    "rnn.py": set(),
    "lstm.py": set(),
    "base_sequential_model.py": {"from utilities import runtime", "import math", "import time"},
}


def imports(text):
    """The names ``text`` imports, one "import x" / "from m import x" string each (aliases dropped)."""
    names = set()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            names |= {f"import {a.name}" for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            names |= {f"from {'.' * node.level}{node.module or ''} import {a.name}"
                      for a in node.names}
    return names


def allowed_imports(name, template=""):
    """The imports file ``name`` may have: the course skeleton's, the template's and ``template``'s."""
    course = imports("\n".join(COURSE_IMPORTS.get(name, ())))
    return course | TEMPLATE_IMPORTS.get(name, set()) | imports(template)


def import_notes(name, submitted, template=""):
    """Messages about imports in ``submitted`` that file ``name`` may not have."""
    try:
        extra = imports(submitted) - allowed_imports(name, template)
    except SyntaxError as e:
        return [f"{name}: could not be parsed ({e.msg}, line {e.lineno})"]
    return [f"{name}: adds an import the course template does not have: {s} (adding imports "
            "is not allowed)" for s in sorted(extra)]
