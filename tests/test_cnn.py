"""Tests of the Q2 modules: cnn_image_transformations.py, cnn.py and cnn_trainer.py.

The full ``Trainer.tune()`` run happens once per session (``reference_tune`` in
conftest.py, shared with the grader's tests) and serves the history,
confusion-matrix and accuracy checks.
"""

import inspect

import numpy as np
import pytest
import torch
from torch.utils.data import DataLoader
from torchvision.transforms import v2

from cnn import CNN
from cnn_image_transformations import (
    TransformedDataset, create_testing_transformations, create_training_transformations,
)
from cnn_trainer import Trainer
from utilities import localtests, runtime
from utilities.utils import MRI_CLASSES, get_mri_dataset

IMAGE_SIZE = 84
# Spec section 5, layer by layer: (in, out) channels of the four 3x3
# convolutions and (in, out) features of the three linear layers.
CONV_CHANNELS = [(1, 8), (8, 32), (32, 32), (32, 64)]
POOLED_CHANNELS, POOLED_SIDE = 64, 7
LINEAR_FEATURES = [(POOLED_CHANNELS * POOLED_SIDE**2, 256), (256, 128), (128, len(MRI_CLASSES))]
# Course bar for the best validation accuracy of tune() (the target,
# 0.90, is measured by bench/cnn_bench.py).
COURSE_BAR = 0.80
HISTORY = ("train_loss_per_epoch", "train_accuracy_per_epoch",
           "test_loss_per_epoch", "test_accuracy_per_epoch")


def seeded_cnn(seed=0):
    """A CNN whose initial weights depend only on ``seed``."""
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        return CNN()


@pytest.fixture(scope="module")
def mri():
    return get_mri_dataset(MRI_CLASSES)


@pytest.fixture(scope="module")
def datasets(mri):
    x_train, y_train, x_test, y_test = mri
    return (TransformedDataset(x_train, y_train, create_training_transformations()),
            TransformedDataset(x_test, y_test, create_testing_transformations()))


@pytest.fixture(scope="module")
def testloader(datasets):
    return DataLoader(datasets[1], batch_size=256)


@pytest.fixture(scope="module")
def tuned(reference_tune):
    """(trainer, best validation accuracy) after one full ``tune()`` (see conftest.py)."""
    return reference_tune


def small_trainer(mri, n_train, n_test, seed=0, **extras):
    """A Trainer on ``n_train`` / ``n_test`` random rows of each split."""
    x_train, y_train, x_test, y_test = mri
    rng = np.random.default_rng(seed)
    train_rows = rng.choice(len(y_train), n_train, replace=False)
    test_rows = rng.choice(len(y_test), n_test, replace=False)
    trainset = TransformedDataset(x_train[train_rows], y_train[train_rows],
                                  create_training_transformations())
    testset = TransformedDataset(x_test[test_rows], y_test[test_rows],
                                 create_testing_transformations())
    return Trainer(seeded_cnn(seed), trainset, testset, seed=seed, **extras)


def parameters(net):
    return [p.detach().clone() for p in net.parameters()]


# ---------------------------------------------------------------- model


def test_local_architecture_test_passes(capsys):
    localtests.TestCNN("test_model_architecture").test_model_architecture()
    assert "test_model_architecture passed!" in capsys.readouterr().out


def test_layers_follow_the_spec():
    net = CNN()
    assert [name for name, _ in net.named_children()] == ["feature_extractor", "avg_pooling", "classifier"]
    convs = [m for m in net.feature_extractor if isinstance(m, torch.nn.Conv2d)]
    linears = [m for m in net.classifier if isinstance(m, torch.nn.Linear)]
    assert [(c.in_channels, c.out_channels) for c in convs] == CONV_CHANNELS
    assert all(c.kernel_size == (3, 3) and c.padding == (1, 1) for c in convs)
    assert [(m.in_features, m.out_features) for m in linears] == LINEAR_FEATURES
    assert sum(isinstance(m, torch.nn.MaxPool2d) for m in net.feature_extractor) == 2
    dropouts = [m for m in net.modules() if isinstance(m, torch.nn.Dropout)]
    assert len(dropouts) == 4 and all(m.p == pytest.approx(0.2) for m in dropouts)
    assert all(m.negative_slope == pytest.approx(0.01)
               for m in net.modules() if isinstance(m, torch.nn.LeakyReLU))
    assert net.avg_pooling.output_size == (POOLED_SIDE, POOLED_SIDE)


def test_fc1_input_size_matches_the_pooled_features():
    net = CNN().eval()
    x = torch.rand(2, 1, IMAGE_SIZE, IMAGE_SIZE, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        pooled = net.avg_pooling(net.feature_extractor(x))
    assert pooled.shape == (2, POOLED_CHANNELS, POOLED_SIDE, POOLED_SIDE)
    assert pooled[0].numel() == 3136 == net.classifier[1].in_features


@pytest.mark.parametrize("n", [1, 5])
def test_forward_returns_logits(n):
    net = CNN().eval()
    x = torch.rand(n, 1, IMAGE_SIZE, IMAGE_SIZE, generator=torch.Generator().manual_seed(n))
    with torch.no_grad():
        logits = net(x)
    assert logits.shape == (n, len(MRI_CLASSES)) and logits.dtype == torch.float32
    # Logits, not probabilities: softmax output would sum to 1 per row.
    assert not torch.allclose(logits.sum(dim=1), torch.ones(n), atol=1e-3)


# ---------------------------------------------------------------- transforms


def transform_types(compose):
    return [type(t) for t in compose.transforms]


def test_training_transforms_hold_the_expected_v2_types():
    transform = create_training_transformations()
    assert isinstance(transform, v2.Compose)
    assert transform_types(transform) == [v2.ToImage, v2.RandomHorizontalFlip, v2.RandomApply, v2.ToDtype]
    random_apply = transform.transforms[2]
    assert [type(t) for t in random_apply.transforms] == [v2.RandomRotation]
    assert transform.transforms[3].scale is True


def test_testing_transforms_only_convert():
    transform = create_testing_transformations()
    assert transform_types(transform) == [v2.ToImage, v2.ToDtype]


def test_testing_transform_scales_to_unit_interval():
    image = np.random.default_rng(0).integers(0, 256, (IMAGE_SIZE, IMAGE_SIZE), dtype=np.uint8)
    out = create_testing_transformations()(image)
    assert out.shape == (1, IMAGE_SIZE, IMAGE_SIZE) and out.dtype == torch.float32
    np.testing.assert_allclose(out[0].numpy(), image / 255.0, rtol=1e-6)


def test_two_training_draws_differ_and_testing_draws_agree(mri):
    image = mri[0][0]
    train_transform, test_transform = create_training_transformations(), create_testing_transformations()
    with torch.random.fork_rng():
        torch.manual_seed(0)
        train_draws = [train_transform(image) for _ in range(2)]
        test_draws = [test_transform(image) for _ in range(2)]
    assert not torch.equal(*train_draws)
    assert torch.equal(*test_draws)
    assert all(0 <= d.min() and d.max() <= 1 for d in train_draws)


def test_augmentation_is_drawn_per_image_within_a_batch(mri):
    copies = np.repeat(mri[0][:1], 16, axis=0)  # (16, H, W), one image 16 times
    dataset = TransformedDataset(copies, np.zeros(16, dtype=np.int64), create_training_transformations())
    with torch.random.fork_rng():
        torch.manual_seed(0)
        batch, _ = next(iter(DataLoader(dataset, batch_size=16)))
    distinct = {tuple(row.flatten().tolist()) for row in batch}
    assert len(distinct) > 2


def test_dataset_exposes_data_and_targets(datasets, mri):
    trainset, testset = datasets
    assert trainset.data.shape == (len(mri[1]), 1, IMAGE_SIZE, IMAGE_SIZE)
    assert testset.data.shape == (len(mri[3]), 1, IMAGE_SIZE, IMAGE_SIZE)
    assert trainset.data.dtype == torch.float32 and trainset.targets.dtype == torch.int64
    assert len(testset) == len(mri[3])
    image, label = testset[3]
    torch.testing.assert_close(image, testset.data[3])
    assert label.item() == mri[3][3]


@pytest.mark.parametrize("x, y, match", [
    (np.zeros((4, 84), np.uint8), np.zeros(4), "shape"),
    (np.zeros((4, 84, 84), np.float32), np.zeros(4), "uint8"),
    (np.zeros((4, 84, 84), np.uint8), np.zeros(3), r"labels of shape \(4,\)"),
])
def test_dataset_rejects_bad_input(x, y, match):
    with pytest.raises(ValueError, match=match):
        TransformedDataset(x, y)


# ---------------------------------------------------------------- the course's contract


def parameter_list(function):
    """(name, default) of each parameter after ``self``; ``empty`` for no default."""
    return [(p.name, p.default) for p in inspect.signature(function).parameters.values()
            if p.name != "self"]


def test_the_course_signatures():
    empty = inspect.Parameter.empty
    assert parameter_list(Trainer.__init__)[:7] == [
        ("model", empty), ("trainset", empty), ("testset", empty), ("num_epochs", 5),
        ("batch_size", 16), ("init_lr", 1e-3), ("device", "cpu")]
    # Our additions come after the course's parameters and all have defaults.
    assert all(default is not empty for _, default in parameter_list(Trainer.__init__)[7:])
    assert parameter_list(Trainer.run_epoch) == [
        ("total", empty), ("correct", empty), ("running_loss", empty),
        ("data_iterator", empty), ("train", True)]
    assert parameter_list(Trainer.tune) == parameter_list(Trainer.train) == []
    assert parameter_list(Trainer.get_training_history) == []
    assert parameter_list(Trainer.predict) == [("testloader", empty)]
    assert parameter_list(TransformedDataset.__init__) == [
        ("images", empty), ("labels", empty), ("transform", None)]
    assert parameter_list(create_training_transformations) == []
    assert parameter_list(create_testing_transformations) == []


def test_the_course_attributes_after_construction(datasets):
    net = CNN()
    trainer = Trainer(net, *datasets)
    assert trainer.model is net and trainer.device == "cpu"
    assert trainer.trainset is datasets[0] and trainer.testset is datasets[1]
    assert (trainer.num_epochs, trainer.batch_size, trainer.init_lr) == (5, 16, 1e-3)
    for name in HISTORY:
        assert getattr(trainer, name) == []
    assert trainer.get_training_history() == ([], [], [], [])


def test_tune_sets_the_three_hyperparameters_then_trains(datasets, monkeypatch):
    seen = []
    monkeypatch.setattr(Trainer, "train", lambda self: seen.append(
        (self.num_epochs, self.batch_size, self.init_lr)))
    trainer = Trainer(CNN(), *datasets)
    trainer.tune()
    assert seen == [(trainer.num_epochs, trainer.batch_size, trainer.init_lr)]
    # The course's recommended ranges (section 2.1.3 of the notebook).
    epochs, batch_size, lr = seen[0]
    assert 5 <= epochs <= 10 and batch_size in (32, 64, 128, 256, 512) and 0.001 <= lr <= 0.01


# ---------------------------------------------------------------- trainer


def test_trainer_takes_its_precision_from_the_runtime_policy(mri, monkeypatch):
    monkeypatch.setattr(runtime, "cpu_has_native_bf16", lambda: False)
    assert small_trainer(mri, 8, 8, precision="auto").precision == "fp32"
    with pytest.raises(ValueError, match="AVX512-BF16 nor AMX"):
        small_trainer(mri, 8, 8, precision="bf16")


@pytest.mark.parametrize("bad, shown", [
    (dict(init_lr=-0.1), "init_lr to be a number > 0, got -0.1"),
    (dict(num_epochs=0), "num_epochs to be an integer >= 1, got 0"),
    (dict(batch_size=2.5), "batch_size to be an integer >= 1, got 2.5")])
def test_train_rejects_bad_hyperparameters(mri, bad, shown):
    trainer = small_trainer(mri, 8, 8, **bad)
    with pytest.raises(ValueError, match=shown):
        trainer.train()


def reference_pass(net, loader):
    """(images, correct, sum of batch-mean losses) of ``net`` in eval mode, computed directly."""
    net.eval()
    total = correct = 0
    running_loss = 0.0
    with torch.no_grad():
        for images, labels in loader:
            logits = net(images)
            running_loss += torch.nn.functional.cross_entropy(logits, labels).item()
            correct += int((logits.argmax(1) == labels).sum())
            total += len(labels)
    return total, correct, running_loss


def test_run_epoch_evaluates_without_updating(mri):
    trainer = small_trainer(mri, 8, 40)
    trainer.criterion = torch.nn.CrossEntropyLoss()
    trainer.optimizer = torch.optim.Adamax(trainer.model.parameters(), lr=1e-3)
    loader = DataLoader(trainer.testset, batch_size=16)
    before = parameters(trainer.model)
    expected = reference_pass(trainer.model, loader)
    with torch.no_grad():
        total, correct, running_loss = trainer.run_epoch(3, 1, 0.5, loader, train=False)
    assert (total, correct) == (3 + expected[0], 1 + expected[1])
    assert running_loss == pytest.approx(0.5 + expected[2], rel=1e-5)
    assert all(torch.equal(a, b) for a, b in zip(before, parameters(trainer.model)))


def test_run_epoch_takes_one_adamax_step_per_batch(mri):
    trainer = small_trainer(mri, 48, 8)
    trainer.criterion = torch.nn.CrossEntropyLoss()
    trainer.optimizer = torch.optim.Adamax(trainer.model.parameters(), lr=1e-3)
    loader = DataLoader(TransformedDataset(mri[0][:48], mri[1][:48]), batch_size=16)
    trainer.model.train()
    total, _, _ = trainer.run_epoch(0, 0, 0.0, loader, train=True)
    assert total == 48
    steps = {int(state["step"]) for state in trainer.optimizer.state.values()}
    assert steps == {3}


def test_train_builds_the_course_optimiser_and_schedule(mri, capsys):
    trainer = small_trainer(mri, 64, 32, num_epochs=2, batch_size=32, init_lr=0.002)
    trainer.train()
    assert isinstance(trainer.criterion, torch.nn.CrossEntropyLoss)
    assert isinstance(trainer.optimizer, torch.optim.Adamax)
    assert isinstance(trainer.scheduler, torch.optim.lr_scheduler.ExponentialLR)
    assert trainer.scheduler.gamma == pytest.approx(0.9)
    assert trainer.optimizer.param_groups[0]["lr"] == pytest.approx(0.002 * 0.9**2)
    assert trainer.trainloader.batch_size == trainer.testloader.batch_size == 32
    assert all(len(getattr(trainer, name)) == 2 for name in HISTORY)
    captured = capsys.readouterr()
    assert "Epoch 2: Validation Loss: " in captured.out
    assert "Training: 100%" in captured.err  # the per-epoch progress bar


def test_history_holds_mean_batch_loss_and_accuracy(mri):
    # fp32 and the last epoch's weights, so the test figures can be recomputed.
    trainer = small_trainer(mri, 32, 40, num_epochs=1, batch_size=16, precision="fp32",
                            keep_best=False)
    trainer.train()
    total, correct, running_loss = reference_pass(trainer.model, trainer.testloader)
    assert trainer.test_loss_per_epoch[0] == pytest.approx(running_loss / 3, rel=1e-5)
    assert trainer.test_accuracy_per_epoch[0] == pytest.approx(correct / total)


def test_train_keeps_the_best_validation_weights(mri, monkeypatch):
    trainer = small_trainer(mri, 32, 40, num_epochs=3, batch_size=16, precision="fp32")
    snapshots, snapshot_state = [], runtime.snapshot_state
    monkeypatch.setattr(runtime, "snapshot_state",
                        lambda module: snapshots.append(snapshot_state(module)) or snapshots[-1])
    trainer.train()
    accuracies = trainer.test_accuracy_per_epoch
    improvements = [a for i, a in enumerate(accuracies) if a > max(accuracies[:i], default=-1)]
    assert len(snapshots) == len(improvements)
    for name, value in trainer.model.state_dict().items():
        torch.testing.assert_close(value, snapshots[-1][name], rtol=0, atol=0)


@pytest.mark.parametrize("precision", ["auto", "fp32"])
def test_every_step_reaches_the_weights_the_forward_pass_uses(mri, precision):
    # train() keeps one autocast context over the whole epoch; with autocast's
    # weight cache on, every forward pass would reuse the bf16 weights of the
    # first batch, and the validation loss would repeat exactly.
    trainer = small_trainer(mri, 64, 32, num_epochs=2, batch_size=16, precision=precision)
    trainer.train()
    assert trainer.test_loss_per_epoch[0] != trainer.test_loss_per_epoch[1]
    assert trainer.train_loss_per_epoch[1] < trainer.train_loss_per_epoch[0]


@pytest.mark.parametrize("num_workers", [0, 1])
def test_training_is_seeded(mri, num_workers):
    histories = []
    for _ in range(2):
        trainer = small_trainer(mri, 128, 64, num_epochs=1, batch_size=32, num_workers=num_workers)
        trainer.train()
        histories.append(trainer.get_training_history())
    assert histories[0] == histories[1]


def test_predict_returns_probabilities(mri):
    trainer = small_trainer(mri, 8, 40)
    loader = DataLoader(trainer.testset, batch_size=16)
    probabilities, predicted, true = trainer.predict(loader)
    assert probabilities.shape == (40, len(MRI_CLASSES)) and predicted.shape == true.shape == (40,)
    torch.testing.assert_close(probabilities.sum(dim=1), torch.ones(40))
    torch.testing.assert_close(predicted, probabilities.argmax(dim=1))
    torch.testing.assert_close(true, trainer.testset.targets)


# ---------------------------------------------------------------- full tune()


def test_tune_reaches_the_course_bar(tuned):
    trainer, best = tuned
    history = trainer.get_training_history()
    assert best == max(history[3]) >= COURSE_BAR
    assert [len(h) for h in history] == [trainer.num_epochs] * 4


def test_tune_keeps_the_best_weights(tuned, testloader):
    trainer, best = tuned
    _, predicted, true = trainer.predict(testloader)
    # bf16 autocast can flip a near-tied prediction between runs of different
    # batch sizes, so allow a handful of images out of 1,311.
    assert (predicted == true).float().mean().item() == pytest.approx(best, abs=0.005)


def test_local_training_tests_pass(tuned, testloader, capsys):
    trainer, _ = tuned
    localtests.TestCNN("test_cnn_train_loss_plot").test_cnn_train_loss_plot(trainer)
    localtests.TestCNN("test_cnn_test_loss_plot").test_cnn_test_loss_plot(trainer)
    localtests.TestCNN("test_cnn_confusion_matrix").test_cnn_confusion_matrix(trainer, testloader)
    out = capsys.readouterr().out
    for name in ("test_cnn_train_loss_plot", "test_cnn_test_loss_plot", "test_cnn_confusion_matrix"):
        assert f"{name} passed!" in out
