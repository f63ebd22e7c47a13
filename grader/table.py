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
from .probes import PROBES
from .probes.inputs import NN_RUNS

VARIANTS = ("graduate", "undergraduate", "undergraduate-bonus", "bonus")
TOTALS = {"graduate": 126, "undergraduate": 85, "undergraduate-bonus": 6.0, "bonus": 5.0}


@dataclass(frozen=True)
class Item:
    """One graded sub-item.

    ``points`` is its weight in the graduate table (or its bonus percent for
    Q4); ``grad_only_percent`` marks a graduate-only item and gives its
    undergraduate-bonus weight. ``check(ctx)`` returns one ``(passed,
    message)`` per part, and ``parts`` gives those parts' shares of
    ``points`` in the graduate table (from utilities/items.py). ``probes``
    are the probes the check may run; ``files``, the submission files they
    call: if none of them differ from another submission, neither can the
    item's score.
    """

    number: str
    name: str
    points: float
    check: Callable
    probes: tuple
    parts: tuple
    grad_only_percent: float = None
    bonus: bool = False
    visibility: str = "visible"

    @property
    def files(self):
        return tuple(dict.fromkeys(f for name in self.probes for f in PROBES[name].files))


def _item(number, check, probes):
    """The Item ``number``; name, points and their split into parts from utilities/items.py."""
    course = BY_NUMBER[number]
    parts = course.parts or (course.points,)
    if sum(parts) != course.points:
        raise ValueError(f"item {number}: its parts {parts} add up to {sum(parts)}, expected "
                         f"its {course.points} points (utilities/items.py)")
    return Item(number, course.name, course.points, check, tuple(probes), parts,
                grad_only_percent=course.undergraduate_bonus, bonus=course.bonus)


def _nn_run(number, check, run):
    return _item(number, check, (f"nn_first_{run}", f"nn_train_{run}"))


ITEMS = (
    _item("1.1.2", q1.softmax, ["nn_softmax"]),
    _item("1.1.3", q1.softsign, ["nn_softsign"]),
    _item("1.1.4", q1.dropout, ["nn_dropout"]),
    _item("1.1.5", q1.cross_entropy, ["nn_cross_entropy"]),
    _item("1.1.6", q1.forward, ["nn_forward"]),
    _item("1.1.7", q1.gradients, ["nn_gradients"]),
    _item("1.1.8", q1.update_sgd, ["nn_update_sgd"]),
    _item("1.1.9", q1.update_adam, ["nn_update_adam"]),
    _item("1.1.10", q1.backward, ["nn_backward"]),
    _nn_run("1.1.11", q1.loop_item("gd"), "gd"),
    _nn_run("1.1.12", q1.loop_item("mbgd"), "mbgd"),
    _nn_run("1.1.13", q1.loop_item("gd_adam"), "gd_adam"),
    _nn_run("1.1.14", q1.loop_item("mbgd_adam"), "mbgd_adam"),
    _item("1.2.1", q1.training_item("gd"), ["nn_train_gd"]),
    _item("1.3", q1.training_item("mbgd"), ["nn_train_mbgd"]),
    _item("1.4", q1.training_item("gd_adam"), ["nn_train_gd_adam"]),
    _item("1.5", q1.training_item("mbgd_adam"), ["nn_train_mbgd_adam"]),
    _item("2.1.1", q2.transforms, ["cnn_transforms"]),
    _item("2.1.2", q2.model, ["cnn_model"]),
    _item("2.1.3", q2.training, ["cnn_run_epoch", "cnn_train"]),
    _item("2.1.4", q2.curves, ["cnn_train"]),
    _item("2.1.5", q2.confusion, ["cnn_train"]),
    _item("3.2", q3.features, ["svm_features"]),
    _item("3.3.1", q3.kernel, ["svm_kernel"]),
    _item("3.3.2", q3.rbf, ["svm_rbf"]),
    _item("4.1.1", q4.rnn, ["rnn_model"]),
    _item("4.1.2", q4.lstm, ["lstm_model"]),
)

# The items whose probes train a network on the course's data (minutes each).
NN_TRAINING = tuple(i.number for i in ITEMS if {f"nn_train_{r}" for r in NN_RUNS} & set(i.probes))
CNN_TRAINING = tuple(i.number for i in ITEMS if "cnn_train" in i.probes)


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
