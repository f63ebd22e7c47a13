"""The imports of the course's skeleton files, which a submission may keep.

The course tells students not to add or remove imports, and the grader notes
any import that neither the course's skeleton of that file nor our release
template has. A course student keeps the course skeleton's imports even
where our reference does not need them (``from sklearn.svm import SVC`` in
svm.py, say), so those are listed here per submitted file.
"""

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
