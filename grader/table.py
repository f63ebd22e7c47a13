"""The points table: one graded test per programming sub-item of the course.

Names and weights come from utilities/items.py, the one copy of the course
notebook's "Deliverables and Points Distribution". Its
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

from utilities.items import BY_NUMBER

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


def _item(number, files, check, trains=None):
    """The Item ``number``, with its name and weights from utilities/items.py."""
    course = BY_NUMBER[number]
    return Item(number, course.name, course.points, files, check,
                grad_only_percent=course.undergraduate_bonus, bonus=course.bonus, trains=trains)


ITEMS = (
    _item("1.1.2", NN, q1.softmax),
    _item("1.1.3", NN, q1.softsign),
    _item("1.1.4", NN, q1.dropout),
    _item("1.1.5", NN, q1.cross_entropy),
    _item("1.1.6", NN, q1.forward),
    _item("1.1.7", NN, q1.gradients),
    _item("1.1.8", NN, q1.update_sgd),
    _item("1.1.9", NN, q1.update_adam),
    _item("1.1.10", NN, q1.backward),
    _item("1.1.11", NN, q1.loop_item("gd"), trains="nn"),
    _item("1.1.12", NN, q1.loop_item("mbgd"), trains="nn"),
    _item("1.1.13", NN, q1.loop_item("gd_adam"), trains="nn"),
    _item("1.1.14", NN, q1.loop_item("mbgd_adam"), trains="nn"),
    _item("1.2.1", NN, q1.training_item("gd", (3, 2, 2.5)), trains="nn"),
    _item("1.3", NN, q1.training_item("mbgd", (2.5, 2.5, 2.5)), trains="nn"),
    _item("1.4", NN, q1.training_item("gd_adam", (2.5, 2.5, 2.5)), trains="nn"),
    _item("1.5", NN, q1.training_item("mbgd_adam", (2.5, 2.5, 2.5)), trains="nn"),
    _item("2.1.1", ("cnn_image_transformations.py",), q2.transforms),
    _item("2.1.2", ("cnn.py",), q2.model),
    _item("2.1.3", CNN_ALL, q2.training, trains="cnn"),
    _item("2.1.4", CNN_ALL, q2.curves, trains="cnn"),
    _item("2.1.5", CNN_ALL, q2.confusion, trains="cnn"),
    _item("3.2", ("svm.py",), q3.features),
    _item("3.3.1", ("svm.py",), q3.kernel),
    _item("3.3.2", ("svm.py",), q3.rbf),
    _item("4.1.1", ("rnn.py", "base_sequential_model.py"), q4.rnn),
    _item("4.1.2", ("lstm.py", "base_sequential_model.py"), q4.lstm),
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
