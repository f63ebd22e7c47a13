"""Tests of the data loaders (utilities/utils.py) and the MRI preprocessing.

Every file these tests write goes under pytest's ``tmp_path``.
"""

import hashlib
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
import requests

from utilities import mri_preprocessing, utils

SAMPLE_DIR = Path(__file__).resolve().parent / "fixtures" / "mri_sample"
DATA_README = utils.DATA_DIR / "README.md"
# Per-class counts of the Kaggle "Brain Tumor MRI Dataset" (glioma, meningioma,
# notumor, pituitary), as listed in ../shared/data/SOURCES.md section 3.
MRI_TRAIN_COUNTS = [1321, 1339, 1595, 1457]
MRI_TEST_COUNTS = [300, 306, 405, 300]
# SOURCES.md: 79 distinct images occur in both splits, as 103 test files.
MRI_TEST_IN_TRAIN = 103
HOUSING_ROWS = 20640


def snapshot(folder):
    """Map every file under ``folder`` to its size and mtime, to detect writes."""
    return {p: (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()}


# ---------------------------------------------------------------- housing


@pytest.mark.parametrize("n_samples", [utils.HOUSING_SUBSET, 500, None])
def test_housing_shapes_dtypes_and_one_hot(n_samples):
    x_train, y_train, x_test, y_test = utils.get_housing_dataset(n_samples=n_samples)
    n_total = HOUSING_ROWS if n_samples is None else n_samples
    assert len(x_train) + len(x_test) == n_total
    assert len(x_test) == pytest.approx(0.2 * n_total, abs=1)
    for x, y in ((x_train, y_train), (x_test, y_test)):
        assert x.dtype == np.float64 and x.shape == (len(y), len(utils.HOUSING_FEATURES))
        assert y.dtype == np.float64 and y.shape == (len(x), 3)
        assert set(np.unique(y)) == {0.0, 1.0}
        np.testing.assert_array_equal(y.sum(axis=1), 1.0)
        assert np.isfinite(x).all()


@pytest.mark.parametrize("n_samples", [utils.HOUSING_SUBSET, None])
def test_housing_three_balanced_classes(n_samples):
    _, y_train, _, y_test = utils.get_housing_dataset(n_samples=n_samples)
    for y in (y_train, y_test):
        counts = y.sum(axis=0)
        # Terciles plus a stratified split give a third per class, up to the few
        # rows whose house value ties with a tercile edge.
        np.testing.assert_allclose(counts / len(y), 1 / 3, atol=0.002)


def test_housing_standardised_with_train_statistics():
    x_train, _, x_test, _ = utils.get_housing_dataset(n_samples=None)
    np.testing.assert_allclose(x_train.mean(axis=0), 0.0, atol=1e-10)
    np.testing.assert_allclose(x_train.std(axis=0), 1.0, rtol=1e-10)
    # Test statistics only come out near 0/1; exactly 0/1 would mean they were used.
    assert np.abs(x_test.mean(axis=0)).max() > 1e-3


def test_housing_test_rows_do_not_influence_standardisation(monkeypatch):
    """Shift every raw test row by 1e6: the train arrays must not change at all."""
    reference = utils.get_housing_dataset(n_samples=None)
    real_split = utils.train_test_split

    def split_with_shifted_test_rows(*arrays, **kwargs):
        x_train, x_test, *rest = real_split(*arrays, **kwargs)
        return [x_train, x_test + 1e6, *rest]

    monkeypatch.setattr(utils, "train_test_split", split_with_shifted_test_rows)
    shifted = utils.get_housing_dataset(n_samples=None)
    np.testing.assert_array_equal(shifted[0], reference[0])
    np.testing.assert_array_equal(shifted[1], reference[1])
    assert np.all(shifted[2] > reference[2])


def test_housing_seed_controls_the_split():
    first = utils.get_housing_dataset(seed=3)
    again = utils.get_housing_dataset(seed=3)
    other = utils.get_housing_dataset(seed=4)
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first[0], other[0])


@pytest.mark.parametrize("n_samples", [0, 9, HOUSING_ROWS + 1])
def test_housing_rejects_bad_subset_size(n_samples):
    with pytest.raises(ValueError, match=f"got {n_samples}"):
        utils.get_housing_dataset(n_samples=n_samples)


def test_housing_missing_file_names_it_and_the_fix(monkeypatch, tmp_path):
    missing = tmp_path / "cal_housing.csv.gz"
    monkeypatch.setattr(utils, "HOUSING_FILE", missing)
    with pytest.raises(FileNotFoundError, match="git checkout") as error:
        utils.get_housing_dataset()
    assert str(missing) in str(error.value)


# ---------------------------------------------------------------- MRI, shipped npz


@pytest.fixture(scope="module")
def shipped_mri():
    with np.load(utils.MRI_FILE) as arrays:
        return {key: arrays[key] for key in arrays.files}


def test_shipped_mri_counts_shapes_and_dtypes(shipped_mri, capsys):
    x_train, y_train, x_test, y_test = utils.get_mri_dataset(list(utils.MRI_CLASSES))
    assert "Loading preprocessed data from disk" in capsys.readouterr().out
    assert x_train.shape == (sum(MRI_TRAIN_COUNTS), 84, 84) and x_train.dtype == np.uint8
    assert x_test.shape == (sum(MRI_TEST_COUNTS), 84, 84) and x_test.dtype == np.uint8
    assert y_train.dtype == np.int64 and y_test.dtype == np.int64
    assert np.bincount(y_train).tolist() == MRI_TRAIN_COUNTS
    assert np.bincount(y_test).tolist() == MRI_TEST_COUNTS
    assert shipped_mri["classes"].tolist() == list(utils.MRI_CLASSES)
    assert len(shipped_mri["train_files"]) == len(y_train)
    assert shipped_mri["test_files"][0].startswith("Testing/glioma/")


def test_shipped_mri_files_follow_class_then_name_order(shipped_mri):
    for split in ("train", "test"):
        files, labels = shipped_mri[f"{split}_files"], shipped_mri[f"y_{split}"]
        class_of_file = [utils.MRI_CLASSES.index(f.split("/")[1]) for f in files]
        np.testing.assert_array_equal(class_of_file, labels)
        keys = list(zip(class_of_file, files))
        assert keys == sorted(keys)


def test_shipped_mri_test_in_train_and_leak_free_mask(shipped_mri):
    test_in_train = shipped_mri["test_in_train"]
    assert test_in_train.dtype == np.int64 and len(test_in_train) == MRI_TEST_IN_TRAIN
    assert len(np.unique(test_in_train)) == len(test_in_train)
    # A byte-identical file gives identical pixels, so each listed test image
    # must have an exact twin among the training images.
    train_rows = {row.tobytes() for row in shipped_mri["x_train"]}
    assert all(shipped_mri["x_test"][i].tobytes() in train_rows for i in test_in_train)
    mask = utils.get_mri_leak_free_mask()
    assert mask.shape == (sum(MRI_TEST_COUNTS),) and mask.sum() == len(mask) - MRI_TEST_IN_TRAIN
    assert not mask[test_in_train].any()


def test_mri_class_subset_is_relabelled_in_the_given_order(shipped_mri):
    x_train, y_train, x_test, y_test = utils.get_mri_dataset(["pituitary", "glioma"])
    assert np.bincount(y_train).tolist() == [MRI_TRAIN_COUNTS[3], MRI_TRAIN_COUNTS[0]]
    assert np.bincount(y_test).tolist() == [MRI_TEST_COUNTS[3], MRI_TEST_COUNTS[0]]
    np.testing.assert_array_equal(x_train[y_train == 0], shipped_mri["x_train"][shipped_mri["y_train"] == 3])
    np.testing.assert_array_equal(x_test[y_test == 1], shipped_mri["x_test"][shipped_mri["y_test"] == 0])


@pytest.mark.parametrize("classes, message", [
    (["glioma", "astrocytoma"], r"Unknown MRI class name\(s\) \['astrocytoma'\]; choose from"),
    ([], "Unknown MRI class"),
    ("glioma", "must be a list"),
    (["glioma", "glioma"], "must not repeat"),
])
def test_mri_bad_class_names(classes, message):
    with pytest.raises(ValueError, match=message):
        utils.get_mri_dataset(classes)


def test_mri_missing_npz_and_raw_folder_names_file_and_fix(tmp_path):
    missing = tmp_path / "brain_mri_84.npz"
    with pytest.raises(FileNotFoundError, match="git checkout") as error:
        utils.get_mri_dataset(npz_path=missing, raw_dir=tmp_path / "raw")
    assert str(missing) in str(error.value) and "Training/" in str(error.value)
    with pytest.raises(FileNotFoundError, match="get_mri_dataset"):
        utils.get_mri_leak_free_mask(npz_path=missing)


# ---------------------------------------------------------------- MRI, raw folder


def copy_sample(destination):
    """Copy the 8-image Kaggle-layout sample to ``destination`` and return it."""
    shutil.copytree(SAMPLE_DIR, destination)
    return destination


def test_raw_sample_is_preprocessed_and_cached(tmp_path, monkeypatch, shipped_mri):
    before = snapshot(SAMPLE_DIR)
    npz_path = tmp_path / "cache" / "sample.npz"
    with pytest.warns(UserWarning, match="No Testing/ folder"):
        x_train, y_train, x_test, y_test = utils.get_mri_dataset(npz_path=npz_path, raw_dir=SAMPLE_DIR)
    assert x_train.shape == (8, 84, 84) and x_train.dtype == np.uint8
    assert y_train.tolist() == [0, 0, 1, 1, 2, 2, 3, 3]
    assert x_test.shape == (0, 84, 84) and y_test.shape == (0,)
    # The shipped npz was built by the same code from the full raw set, which
    # holds these 8 files: the pixels must agree exactly.
    with np.load(npz_path) as cached:
        rows = [list(shipped_mri["train_files"]).index(f) for f in cached["train_files"]]
        assert len(cached["test_in_train"]) == 0
    np.testing.assert_array_equal(x_train, shipped_mri["x_train"][rows])
    assert snapshot(SAMPLE_DIR) == before
    assert sorted(p.name for p in npz_path.parent.iterdir()) == ["sample.npz"]

    def fail(*args, **kwargs):
        raise AssertionError("the cached npz should have been loaded, not rebuilt")

    monkeypatch.setattr(mri_preprocessing, "build_mri_npz", fail)
    again = utils.get_mri_dataset(["notumor"], npz_path=npz_path, raw_dir=SAMPLE_DIR)
    np.testing.assert_array_equal(again[0], x_train[4:6])


def test_raw_folder_with_testing_lists_test_images_found_in_training(tmp_path):
    raw_dir = copy_sample(tmp_path / "raw")
    for name in mri_preprocessing.CLASSES:
        (raw_dir / "Testing" / name).mkdir(parents=True)
    shutil.copy(raw_dir / "Training/meningioma/Tr-me_0010.jpg", raw_dir / "Testing/glioma/Te-gl_0001.jpg")
    shutil.copy(raw_dir / "Training/pituitary/Tr-pi_0760.jpg", raw_dir / "Testing/pituitary/Te-pi_0001.jpg")
    (raw_dir / "Testing/notumor/.hidden.jpg").write_bytes(b"not an image, and ignored")
    mri_preprocessing.build_mri_npz(raw_dir, tmp_path / "out.npz")
    with np.load(tmp_path / "out.npz") as arrays:
        assert arrays["y_test"].tolist() == [0, 3]
        assert arrays["test_files"].tolist() == [
            "Testing/glioma/Te-gl_0001.jpg", "Testing/pituitary/Te-pi_0001.jpg",
        ]
        assert arrays["test_in_train"].tolist() == [0, 1]
        np.testing.assert_array_equal(arrays["x_test"][1], arrays["x_train"][7])


@pytest.mark.filterwarnings("ignore:No Testing/ folder")
def test_builds_are_byte_identical_with_or_without_a_pool(tmp_path, monkeypatch):
    monkeypatch.setattr(mri_preprocessing, "MIN_IMAGES_FOR_POOL", 1)
    mri_preprocessing.build_mri_npz(SAMPLE_DIR, tmp_path / "pool.npz", processes=2)
    mri_preprocessing.build_mri_npz(SAMPLE_DIR, tmp_path / "serial.npz", processes=1)
    # Same bytes, so a rebuilt shipped npz can be checked against its sha256.
    assert (tmp_path / "pool.npz").read_bytes() == (tmp_path / "serial.npz").read_bytes()


def test_corrupt_raw_image_is_named_in_the_error(tmp_path):
    raw_dir = copy_sample(tmp_path / "raw")
    corrupt = raw_dir / "Training" / "glioma" / "Tr-gl_9999.jpg"
    corrupt.write_bytes((raw_dir / "Training/glioma/Tr-gl_0121.jpg").read_bytes()[:200])
    with pytest.raises(ValueError, match="Tr-gl_9999.jpg") as error:
        utils.get_mri_dataset(npz_path=tmp_path / "out.npz", raw_dir=raw_dir)
    assert "delete or replace" in str(error.value)
    assert not (tmp_path / "out.npz").exists()


def test_raw_folder_missing_a_class_folder(tmp_path):
    raw_dir = copy_sample(tmp_path / "raw")
    shutil.rmtree(raw_dir / "Training" / "notumor")
    with pytest.raises(FileNotFoundError, match=r"lacks the class folder\(s\) \['notumor'\]"):
        mri_preprocessing.build_mri_npz(raw_dir, tmp_path / "out.npz")


def test_build_without_training_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match="No Training/ folder"):
        mri_preprocessing.build_mri_npz(tmp_path, tmp_path / "out.npz")


def test_head_crop_ignores_thin_marks():
    gray = np.zeros((200, 200), dtype=np.uint8)
    gray[60:150, 50:170] = 120  # the head
    gray[5:7, 10:190] = 255  # a 2-pixel frame line
    gray[180:184, 20:24] = 255  # a small burnt-in letter
    rows, cols = mri_preprocessing.head_crop_box(gray)
    assert (rows.start, rows.stop, cols.start, cols.stop) == (60, 150, 50, 170)
    blank = np.zeros((30, 40), dtype=np.uint8)
    assert mri_preprocessing.head_crop_box(blank) == (slice(0, 30), slice(0, 40))


# ---------------------------------------------------------------- text


def test_text_windows_on_a_hand_checkable_string():
    data = utils.preprocess_text_data("ab Ca'b", sequence_len=3)
    # Cleaned "ab cab": vocab [" ", "a", "b", "c"] -> codes 1 2 0 3 1 2.
    assert data["text"] == "ab cab"
    assert data["vocab"] == [" ", "a", "b", "c"] and data["vocab_size"] == 4
    assert data["x"].tolist() == [[1, 2, 0], [2, 0, 3], [0, 3, 1]]
    assert data["y"].tolist() == [[3], [1], [2]]
    assert data["x"].dtype == np.int64 and data["y"].dtype == np.int64
    assert data["indices_char"] == {0: " ", 1: "a", 2: "b", 3: "c"}
    assert data["char_indices"] == {" ": 0, "a": 1, "b": 2, "c": 3}
    assert data["sequence_len"] == 3


def test_text_step_and_gutenberg_markers():
    text = (
        "Licence 1533\n*** START OF THE PROJECT GUTENBERG EBOOK MACBETH ***\n"
        "Fair  is\n\nFOUL.\n*** END OF THE PROJECT GUTENBERG EBOOK MACBETH ***\nfooter"
    )
    data = utils.preprocess_text_data(text, sequence_len=4, step=3)
    assert data["text"] == "fair is foul."
    decoded = ["".join(data["indices_char"][i] for i in row) for row in data["x"]]
    assert decoded == ["fair", "r is", "s fo"]
    assert [data["indices_char"][i] for i in data["y"][:, 0]] == [" ", " ", "u"]


def test_macbeth_figures():
    data = utils.preprocess_text_data(utils.load_macbeth_text())
    # Text between the Gutenberg START/END markers only; see data/README.md for
    # why these differ from the seed's 102,176 / 37 / (102146, 30).
    assert len(data["text"]) == 102_011 and data["vocab_size"] == 34
    assert data["x"].shape == (101_981, 30) and data["y"].shape == (101_981, 1)


@pytest.mark.parametrize("text", ["", "   \n\t", None])
def test_text_empty_is_rejected(text):
    with pytest.raises(ValueError, match="text is empty"):
        utils.preprocess_text_data(text)


@pytest.mark.parametrize("sequence_len", [5, 6, 30])
def test_text_window_not_shorter_than_text_is_rejected(sequence_len):
    with pytest.raises(ValueError, match=rf"sequence_len \({sequence_len}\) must be smaller than .*\(5\)"):
        utils.preprocess_text_data("macb!", sequence_len=sequence_len)


@pytest.mark.parametrize("sequence_len, step", [(0, 1), (3, 0)])
def test_text_bad_window_or_step(sequence_len, step):
    with pytest.raises(ValueError, match="must be >= 1"):
        utils.preprocess_text_data("macbeth", sequence_len=sequence_len, step=step)


def test_macbeth_missing_offline_names_file_and_fix(tmp_path, monkeypatch):
    def offline(*args, **kwargs):
        raise requests.ConnectionError("no network")

    monkeypatch.setattr(requests, "get", offline)
    missing = tmp_path / "1533-0.txt"
    with pytest.raises(FileNotFoundError, match="git checkout") as error:
        utils.load_macbeth_text(missing)
    assert str(missing) in str(error.value)
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- data/README.md


def test_data_readme_lists_every_shipped_file_with_its_size_and_sha256():
    rows = re.findall(r"^\| `([^`]+)` \| ([\d,]+) \| `([0-9a-f]{64})` \|$",
                      DATA_README.read_text(), flags=re.MULTILINE)
    listed = {name: (int(size.replace(",", "")), digest) for name, size, digest in rows}
    shipped = {
        str(p.relative_to(utils.DATA_DIR)): (p.stat().st_size, hashlib.sha256(p.read_bytes()).hexdigest())
        for p in utils.DATA_DIR.rglob("*") if p.is_file() and p != DATA_README
    }
    assert listed == shipped, "update the table in data/README.md after changing a data file"
