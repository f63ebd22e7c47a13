"""The points table: one graded test per programming sub-item of the course.

Taken from the course notebook's "Deliverables and Points Distribution". Its
totals are 135 base points (126 programming + 9 written) for graduates and
94 (85 + 9) for undergraduates. The written 9 are 3.1 (5), 1.1.1 (2: the
notebook marks weight initialisation [W]) and 1.2.2 (2: learning rates, [W]);
every other listed sub-item is graded here, which gives exactly 126 and 85.
Two judgement calls, documented in grader/README.md: 1.2.1's three criteria
add up to 7 of its 7.5 points, so the extra half point goes to its
trajectory (3 + 2 + 2.5); 2.1.3's accuracy tiers give 8 of its 12 points, so
the other 4 grade ``run_epoch``, which the course asks to implement there.

Variants (one Gradescope assignment each):

- ``graduate``: every non-bonus item at its points (126).
- ``undergraduate``: without the graduate-only items (85).
- ``undergraduate-bonus``: the graduate-only items, weighted by the
  undergraduate bonus percentages (6.0).
- ``bonus``: the bonus-for-all Q4 items 4.1.1 and 4.1.2, in percent (5.0).
"""

from dataclasses import dataclass
from typing import Callable

from . import checks_q1 as q1
from . import checks_q2 as q2
from . import checks_q3 as q3
from . import checks_q4 as q4

VARIANTS = ("graduate", "undergraduate", "undergraduate-bonus", "bonus")
TOTALS = {"graduate": 126, "undergraduate": 85, "undergraduate-bonus": 6.0, "bonus": 5.0}

NN = ("NN.py",)
CNN_ALL = ("cnn.py", "cnn_trainer.py", "cnn_image_transformations.py")


@dataclass(frozen=True)
class Item:
    """One graded sub-item.

    ``points`` is its weight in the graduate table (or its bonus percent for
    Q4); ``grad_only_percent`` marks a graduate-only item and gives its
    undergraduate-bonus weight. ``files`` are the submission files it depends
    on: if none of them differ from another submission, neither can its score.
    """

    number: str
    name: str
    points: float
    files: tuple
    check: Callable
    grad_only_percent: float = None
    bonus: bool = False
    visibility: str = "visible"
    trains: str = None


ITEMS = (
    Item("1.1.2", "Softmax", 2.5, NN, q1.softmax),
    Item("1.1.3", "Softsign", 2.5, NN, q1.softsign),
    Item("1.1.4", "Dropout", 5, NN, q1.dropout),
    Item("1.1.5", "Cross-entropy loss", 2.5, NN, q1.cross_entropy),
    Item("1.1.6", "Forward propagation with and without dropout", 10, NN, q1.forward),
    Item("1.1.7", "Compute gradients", 7.5, NN, q1.gradients),
    Item("1.1.8", "Update weights without Adam", 5, NN, q1.update_sgd),
    Item("1.1.9", "Update weights with Adam", 5, NN, q1.update_adam, grad_only_percent=0.8),
    Item("1.1.10", "Backward", 5, NN, q1.backward),
    Item("1.1.11", "Gradient descent", 2.5, NN, q1.loop_item("gd"), trains="nn"),
    Item("1.1.12", "Mini-batch gradient descent", 2.5, NN, q1.loop_item("mbgd"), trains="nn"),
    Item("1.1.13", "Gradient descent with Adam", 2.5, NN, q1.loop_item("gd_adam"),
         grad_only_percent=0.4, trains="nn"),
    Item("1.1.14", "Mini-batch gradient descent with Adam", 2.5, NN,
         q1.loop_item("mbgd_adam"), grad_only_percent=0.4, trains="nn"),
    Item("1.2.1", "Loss plot and CE value with gradient descent", 7.5, NN,
         q1.training_item("gd", (3, 2, 2.5)), trains="nn"),
    Item("1.3", "Loss plot and CE value for mini-batch GD", 7.5, NN,
         q1.training_item("mbgd", (2.5, 2.5, 2.5)), trains="nn"),
    Item("1.4", "Loss plot and CE value for GD with Adam", 7.5, NN,
         q1.training_item("gd_adam", (2.5, 2.5, 2.5)), grad_only_percent=1.0, trains="nn"),
    Item("1.5", "Loss plot and CE value for mini-batch GD with Adam", 7.5, NN,
         q1.training_item("mbgd_adam", (2.5, 2.5, 2.5)), grad_only_percent=1.0, trains="nn"),
    Item("2.1.1", "Data augmentation", 5, ("cnn_image_transformations.py",), q2.transforms),
    Item("2.1.2", "Building the model", 5, ("cnn.py",), q2.model),
    Item("2.1.3", "Training and tuning the model", 12, CNN_ALL, q2.training,
         grad_only_percent=1.8, trains="cnn"),
    Item("2.1.4", "Examining loss plots", 2, CNN_ALL, q2.curves, grad_only_percent=0.3,
         trains="cnn"),
    Item("2.1.5", "Evaluating the confusion matrix", 2, CNN_ALL, q2.confusion,
         grad_only_percent=0.3, trains="cnn"),
    Item("3.2", "Custom feature engineering", 5, ("svm.py",), q3.features),
    Item("3.3.1", "Build a kernel", 5, ("svm.py",), q3.kernel),
    Item("3.3.2", "Build a known kernel (RBF)", 5, ("svm.py",), q3.rbf),
    Item("4.1.1", "Defining the simple RNN model", 2.5,
         ("rnn.py", "base_sequential_model.py"), q4.rnn, bonus=True),
    Item("4.1.2", "Defining the LSTM model", 2.5,
         ("lstm.py", "base_sequential_model.py"), q4.lstm, bonus=True),
)


def weights(variant):
    """``{item number: weight}`` of the items graded in ``variant``."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}; choose from {', '.join(VARIANTS)}")
    if variant == "bonus":
        return {i.number: i.points for i in ITEMS if i.bonus}
    if variant == "undergraduate-bonus":
        return {i.number: i.grad_only_percent for i in ITEMS if i.grad_only_percent}
    graded = [i for i in ITEMS if not i.bonus]
    if variant == "undergraduate":
        graded = [i for i in graded if not i.grad_only_percent]
    return {i.number: i.points for i in graded}


def item(number):
    """The Item with this number."""
    return next(i for i in ITEMS if i.number == number)
