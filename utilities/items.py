"""The graded items of HW4: points, where the work goes, and how each is checked.

The points are the course's ("Deliverables and Points Distribution"): 135
base points for graduates (126 programming, 9 written) and 94 for
undergraduates (85 + 9), a 6% programming bonus that undergraduates earn on
the graduate-only items, and bonuses for everyone on 2.2 and Q4. The
autograder's points table takes every programming item's weight from
here, the notebook shows each item's line from ``points_line``, and
``python -m utilities.check`` runs the ``local`` tests per item.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class GradedItem:
    """One sub-item of the course's points table.

    ``points`` is the graduate weight, or the percent of a bonus-for-all item
    (``bonus``). ``undergraduate_bonus`` marks a graduate-only item and gives
    the bonus percent undergraduates can earn with it. ``written`` items are
    graded by hand from the PDF; the others by the autograder. ``local``
    names the local tests (``Class.method``) that exercise the item, and
    ``grader`` says in one line what the autograder checks beyond them.
    ``parts`` splits ``points`` over the autograder's parts of the item, in
    the order its check reports them (empty: one part).
    """

    number: str
    name: str
    points: float
    work: str
    local: tuple = ()
    grader: str = ""
    undergraduate_bonus: float = None
    bonus: bool = False
    written: bool = False
    parts: tuple = ()


_FIXED = "exact values on fixed inputs that the local tests do not use"
_RUN = ("the recorded losses of a 10,000-iteration run on the course data (the notebook's "
        "runs have 60,000): the trajectory, its final test cross-entropy and the "
        "confusion-matrix diagonal, within margins")
_LOOP = "the first three recorded losses on the course data and a final test cross-entropy <= 1"
_HAND = "graded by hand from your PDF"
# The course's three criteria of a training run: trajectory, test CE, confusion
# diagonal. 1.2.1 lists 2.5 + 2 + 2.5 of its 7.5 points; its trajectory gets the rest.
_RUN_PARTS = (2.5, 2.5, 2.5)

ITEMS = (
    GradedItem("1.1.1", "Weight initialisation", 2, "written answer", grader=_HAND, written=True),
    GradedItem("1.1.2", "Softmax", 2.5, "NN.py: NeuralNet.softmax", ("TestNN.test_softmax",),
               _FIXED + ", including rows of large logits"),
    GradedItem("1.1.3", "Softsign", 2.5, "NN.py: NeuralNet.softsign, NeuralNet.derivative_softsign",
               ("TestNN.test_softsign", "TestNN.test_d_softsign"), _FIXED),
    GradedItem("1.1.4", "Dropout", 5, "NN.py: NeuralNet._dropout", ("TestNN.test_dropout",),
               "the mask is 0/1, drops about prob of 20,000 units, and out = u * mask / (1 - prob); "
               "any valid random draw passes"),
    GradedItem("1.1.5", "Cross-entropy loss", 2.5, "NN.py: NeuralNet.cross_entropy_loss",
               ("TestNN.test_loss",), _FIXED + ", including a probability of exactly 0"),
    GradedItem("1.1.6", "Forward propagation with and without dropout", 10,
               "NN.py: NeuralNet.forward",
               ("TestNN.test_forward_without_dropout", "TestNN.test_forward_with_dropout"),
               _FIXED + ", with and without dropout after np.random.seed", parts=(5, 5)),
    GradedItem("1.1.7", "Compute gradients", 7.5, "NN.py: NeuralNet.compute_gradients",
               ("TestNN.test_compute_gradients_without_dropout",
                "TestNN.test_compute_gradients_with_dropout"), _FIXED),
    GradedItem("1.1.8", "Update weights without Adam", 5, "NN.py: NeuralNet.update_weights",
               ("TestNN.test_update_weights",), _FIXED),
    GradedItem("1.1.9", "Update weights with Adam", 5, "NN.py: NeuralNet.update_weights",
               ("TestNN.test_update_weights_with_adam",), _FIXED + ", over three steps",
               undergraduate_bonus=0.8),
    GradedItem("1.1.10", "Backward", 5, "NN.py: NeuralNet.backward", ("TestNN.test_backward",),
               _FIXED),
    GradedItem("1.1.11", "Gradient descent", 2.5, "NN.py: NeuralNet.gradient_descent",
               ("TestNN.test_gradient_descent",), _LOOP),
    GradedItem("1.1.12", "Mini-batch gradient descent", 2.5,
               "NN.py: NeuralNet.minibatch_gradient_descent",
               ("TestNN.test_minibatch_gradient_descent",), _LOOP),
    GradedItem("1.1.13", "Gradient descent with Adam", 2.5, "NN.py: NeuralNet.gradient_descent",
               ("TestNN.test_gradient_descent_with_adam",), _LOOP, undergraduate_bonus=0.4),
    GradedItem("1.1.14", "Mini-batch gradient descent with Adam", 2.5,
               "NN.py: NeuralNet.minibatch_gradient_descent",
               ("TestNN.test_minibatch_gradient_descent_with_adam",), _LOOP,
               undergraduate_bonus=0.4),
    GradedItem("1.2.1", "Loss plot and CE value with gradient descent", 7.5,
               "NN.py (the full run in the notebook)", grader=_RUN, parts=(3, 2, 2.5)),
    GradedItem("1.2.2", "Learning rates", 2, "written answer", grader=_HAND, written=True),
    GradedItem("1.3", "Loss plot and CE value for mini-batch GD", 7.5,
               "NN.py (the full run in the notebook)", grader=_RUN, parts=_RUN_PARTS),
    GradedItem("1.4", "Loss plot and CE value for GD with Adam", 7.5,
               "NN.py (the full run in the notebook)", grader=_RUN, undergraduate_bonus=1.0,
               parts=_RUN_PARTS),
    GradedItem("1.5", "Loss plot and CE value for mini-batch GD with Adam", 7.5,
               "NN.py (the full run in the notebook)", grader=_RUN, undergraduate_bonus=1.0,
               parts=_RUN_PARTS),
    GradedItem("2.1.1", "Data augmentation", 5,
               "cnn_image_transformations.py: create_training_transformations, "
               "create_testing_transformations, TransformedDataset",
               ("TestCNN.test_transformations",),
               "the testing transform returns the image as float32 in [0, 1], the training one "
               "flips and rotates, and the dataset's shapes and dtypes"),
    GradedItem("2.1.2", "Building the model", 5, "cnn.py: CNN.__init__, CNN.forward",
               ("TestCNN.test_model_architecture",),
               "at least two Conv2d and two Linear layers and logits of shape (N, 4)"),
    GradedItem("2.1.3", "Training and tuning the model", 12,
               "cnn_trainer.py: Trainer.run_epoch, Trainer.tune", ("TestCNN.test_tune_limits",),
               "the totals that run_epoch returns on a fixed batch (4 points), then your tune() "
               "trained on the course data: 2 points for any result, 2 more at 70%, 75% and 80% "
               "best validation accuracy", undergraduate_bonus=1.8, parts=(4, 2, 2, 2, 2)),
    GradedItem("2.1.4", "Examining loss plots", 2, "cnn_trainer.py (your tune() run)",
               grader="training loss and accuracy improve from the first epoch to the last, "
                      "validation ones at their best", undergraduate_bonus=0.3, parts=(1, 1)),
    GradedItem("2.1.5", "Evaluating the confusion matrix", 2, "cnn_trainer.py (your tune() run)",
               grader="every class's test recall (confusion-matrix diagonal) above 0.5",
               undergraduate_bonus=0.3),
    GradedItem("2.2.1", "Abating vanishing gradients", 1.5, "written answer", grader=_HAND,
               bonus=True, written=True),
    GradedItem("2.2.2", "Abating internal covariate shift", 1.0, "written answer", grader=_HAND,
               bonus=True, written=True),
    GradedItem("3.1", "Picking performant constructions", 5, "written answer", grader=_HAND,
               written=True),
    GradedItem("3.2", "Custom feature engineering", 5, "svm.py: feature_construction",
               ("TestSVM.test_feature_construction",),
               "a linear SVC fits the mapped data/artificial_data.csv with training accuracy 1.000"),
    GradedItem("3.3.1", "Build a kernel", 5, "svm.py: kernel_construction",
               ("TestSVM.test_kernel",), _FIXED + ", train and cross kernels"),
    GradedItem("3.3.2", "Build a known kernel (RBF)", 5, "svm.py: rbf_kernel",
               ("TestSVM.test_rbf_kernel",), _FIXED + ", two values of gamma"),
    GradedItem("4.1.1", "Defining the simple RNN model", 2.5,
               "rnn.py: RNN.set_hyperparameters, RNN.define_model, RNNOutputAdapter.forward",
               ("TestRNN.test_rnn_architecture",),
               "the layers (one Embedding, one batch_first RNN, one Linear) and the adapter's "
               "output on fixed inputs", bonus=True),
    GradedItem("4.1.2", "Defining the LSTM model", 2.5,
               "lstm.py: LSTM.set_hyperparameters, LSTM.define_model, LSTMOutputAdapter.forward",
               ("TestLSTM.test_lstm_architecture",),
               "the layers (one Embedding, one batch_first LSTM, one Linear) and the adapter's "
               "output on fixed inputs", bonus=True),
    GradedItem("4.2", "RNN vs LSTM training comparison", 2.5, "written answer", grader=_HAND,
               bonus=True, written=True),
)
BY_NUMBER = {item.number: item for item in ITEMS}


def _amount(value, bonus):
    return f"{value:g}% bonus" if bonus else f"{value:g} pts"


def graduate_points(item):
    """E.g. ``"5 pts"`` or ``"2.5% bonus"``."""
    return _amount(item.points, item.bonus)


def undergraduate_points(item):
    """E.g. ``"5 pts"``, ``"0.8% bonus"`` (graduate-only item) or ``"2.5% bonus"``."""
    if item.undergraduate_bonus is not None:
        return _amount(item.undergraduate_bonus, True)
    return _amount(item.points, item.bonus)


def points_line(number):
    """The line the notebook shows under each item, e.g.
    ``**Points:** graduate 5 pts · undergraduate 0.8% bonus · programming``."""
    item = BY_NUMBER[number]
    kind = "written" if item.written else "programming"
    return (f"**Points:** graduate {graduate_points(item)} · undergraduate "
            f"{undergraduate_points(item)} · {kind}")
