"""Tests of the data loaders (utilities/utils.py) and the MRI preprocessing.

Every file these tests write goes under pytest's ``tmp_path``.
"""

import hashlib
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import requests
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MinMaxScaler, OneHotEncoder

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


def course_housing_pipeline(n_samples):
    """The course's housing pipeline, rebuilt here with pandas and scikit-learn.

    scikit-learn's fetch_california_housing builds its eight features from the
    StatLib columns like this (rooms, bedrooms and occupancy per household,
    value in $100,000s); the steps after it are the course's.
    """
    raw = pd.read_csv(utils.HOUSING_FILE)
    households = raw["households"]
    features = pd.DataFrame({
        "MedInc": raw["median_income"], "HouseAge": raw["housing_median_age"],
        "AveRooms": raw["total_rooms"] / households, "AveBedrms": raw["total_bedrooms"] / households,
        "Population": raw["population"], "AveOccup": raw["population"] / households,
        "Latitude": raw["latitude"], "Longitude": raw["longitude"],
    }).to_numpy()
    target = raw["median_house_value"].to_numpy() / 100000.0
    keep = np.random.RandomState(seed=3).permutation(len(target))[:n_samples]
    x, target = features[keep], target[keep]
    by_value = np.argsort(target)
    x = x[by_value]
    labels = np.zeros(len(x), dtype=int)
    labels[len(x) // 3:] = 1
    labels[2 * (len(x) // 3):] = 2
    y = OneHotEncoder(sparse_output=False).fit_transform(labels[:, None])
    x_train, x_test, y_train, y_test = train_test_split(x, y, random_state=1)
    scaler = MinMaxScaler().fit(x_train)
    return scaler.transform(x_train), y_train, scaler.transform(x_test), y_test


@pytest.mark.parametrize("n_samples", [utils.HOUSING_SUBSET, 1000])
def test_housing_is_the_course_pipeline(n_samples):
    ours = utils.get_housing_dataset(n_samples=n_samples)
    for a, b, name in zip(ours, course_housing_pipeline(n_samples),
                          ("x_train", "y_train", "x_test", "y_test")):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12, err_msg=name)


def test_housing_default_is_the_courses_500_rows():
    x_train, y_train, x_test, y_test = utils.get_housing_dataset()
    assert x_train.shape == (375, 8) and x_test.shape == (125, 8)
    for x, y in ((x_train, y_train), (x_test, y_test)):
        assert x.dtype == np.float64 and y.dtype == np.float64 and y.shape == (len(x), 3)
        np.testing.assert_array_equal(y.sum(axis=1), 1.0)
        assert set(np.unique(y)) == {0.0, 1.0}
    # 166 + 166 + 168 rows by house value, shared out by the split.
    np.testing.assert_array_equal(y_train.sum(axis=0) + y_test.sum(axis=0), [166, 166, 168])


def test_housing_all_rows_on_request():
    x_train, y_train, x_test, y_test = utils.get_housing_dataset(n_samples=None)
    assert len(x_train) + len(x_test) == HOUSING_ROWS
    np.testing.assert_array_equal(y_train.sum(axis=0) + y_test.sum(axis=0), [6880, 6880, 6880])


def test_housing_scaled_with_the_training_rows_only():
    x_train, _, x_test, _ = utils.get_housing_dataset()
    np.testing.assert_array_equal(x_train.min(axis=0), 0.0)
    np.testing.assert_allclose(x_train.max(axis=0), 1.0, rtol=1e-15)
    # Scaled by the training range, some test values fall outside [0, 1].
    assert x_test.min() < 0 or x_test.max() > 1


def test_housing_leaves_the_global_rng_alone():
    np.random.seed(11)
    before = np.random.random()
    np.random.seed(11)
    utils.get_housing_dataset()
    assert np.random.random() == before


@pytest.mark.parametrize("n_samples", [0, 11, HOUSING_ROWS + 1])
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


def _row_set(images):
    return {image.tobytes() for image in images}


def test_validation_split_is_disjoint_from_the_test_set_and_the_training_part(shipped_mri):
    x_train, y_train = shipped_mri["x_train"], shipped_mri["y_train"]
    x_fit, y_fit, x_val, y_val = utils.split_mri_validation(
        x_train, y_train, shipped_mri["x_test"], fraction=0.1, seed=0)
    # Every training image lands on exactly one side.
    assert len(y_fit) + len(y_val) == len(y_train)
    assert sorted(_row_set(x_fit) | _row_set(x_val)) == sorted(_row_set(x_train))
    # No validation image has a byte-identical copy in the test set or in the training part,
    # which also rules out the test images that duplicate training files (test_in_train).
    assert not _row_set(x_val) & _row_set(shipped_mri["x_test"])
    assert not _row_set(x_val) & _row_set(x_fit)
    assert len(_row_set(x_val)) == len(x_val)
    # Stratified: each class keeps its share of the training set, to one image.
    expected = np.round(0.1 * np.bincount(y_train))
    np.testing.assert_allclose(np.bincount(y_val), expected, atol=1)


def test_validation_split_is_seeded_and_leaves_the_global_rng_alone(shipped_mri):
    args = shipped_mri["x_train"], shipped_mri["y_train"], shipped_mri["x_test"]
    np.random.seed(123)
    before = np.random.get_state()[1].copy()
    first = utils.split_mri_validation(*args, seed=1)
    np.testing.assert_array_equal(np.random.get_state()[1], before)
    np.testing.assert_array_equal(first[2], utils.split_mri_validation(*args, seed=1)[2])
    assert not np.array_equal(first[2], utils.split_mri_validation(*args, seed=2)[2])


@pytest.mark.parametrize("fraction", [0, 1, -0.1, 1.5])
def test_validation_split_rejects_a_bad_fraction(fraction):
    images = np.zeros((4, 2, 2), dtype=np.uint8)
    with pytest.raises(ValueError, match=f"fraction must be between 0 and 1.*{fraction}"):
        utils.split_mri_validation(images, np.zeros(4, dtype=np.int64), images, fraction=fraction)


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


def direct_bilateral(gray, radius, sigma_color, sigma_space):
    """OpenCV's bilateral filter written pixel by pixel, as its documentation states it."""
    height, width = gray.shape

    def reflect_101(i, n):  # OpenCV's BORDER_REFLECT_101: ... 2 1 | 0 1 2 ... n-1 | n-2 ...
        return -i if i < 0 else 2 * (n - 1) - i if i >= n else i

    out = np.empty_like(gray)
    for y in range(height):
        for x in range(width):
            centre = float(gray[y, x])
            numerator = denominator = 0.0
            for dy in range(-radius, radius + 1):
                for dx in range(-radius, radius + 1):
                    if np.hypot(dy, dx) > radius:  # OpenCV's circular window
                        continue
                    value = float(gray[reflect_101(y + dy, height), reflect_101(x + dx, width)])
                    weight = (np.exp(-(dy * dy + dx * dx) / (2 * sigma_space**2))
                              * np.exp(-(value - centre) ** 2 / (2 * sigma_color**2)))
                    numerator += weight * value
                    denominator += weight
            out[y, x] = round(numerator / denominator)  # Python rounds ties to even, like cvRound
    return out


@pytest.mark.parametrize("diameter, sigma_color, sigma_space",
                         [(2, 50, 50), (5, 20, 3), (3, 200, 1)])
def test_bilateral_filter_matches_the_direct_definition(diameter, sigma_color, sigma_space):
    gray = np.random.default_rng(diameter).integers(0, 256, (9, 11), dtype=np.uint8)
    gray[:, :4] = 40  # a flat region beside an edge
    out = mri_preprocessing.bilateral_filter(gray, diameter, sigma_color, sigma_space)
    expected = direct_bilateral(gray, max(diameter // 2, 1), sigma_color, sigma_space)
    assert out.dtype == np.uint8
    np.testing.assert_array_equal(out, expected)


def test_bilateral_filter_keeps_flat_images_and_strong_edges():
    flat = np.full((6, 7), 93, dtype=np.uint8)
    np.testing.assert_array_equal(mri_preprocessing.bilateral_filter(flat), flat)
    # A 200-level step is ~4 sigma_color: the far side gets a weight of e^-8.
    edge = np.zeros((6, 8), dtype=np.uint8)
    edge[:, 4:] = 200
    np.testing.assert_array_equal(mri_preprocessing.bilateral_filter(edge), edge)


@pytest.mark.parametrize("shape", [(512, 392), (37, 150), (84, 84), (20, 30)])
def test_resize_matches_torch_bilinear_without_antialiasing(shape):
    torch = pytest.importorskip("torch")
    gray = np.random.default_rng(shape[0]).integers(0, 256, shape, dtype=np.uint8)
    out = mri_preprocessing.resize_bilinear(gray, 84)
    # torch's align_corners=False mapping is OpenCV's INTER_LINEAR mapping
    # (pixel centres to pixel centres, edge pixels repeated).
    reference = torch.nn.functional.interpolate(
        torch.from_numpy(gray).double()[None, None], size=(84, 84), mode="bilinear",
        align_corners=False, antialias=False)[0, 0].numpy()
    assert out.shape == (84, 84) and out.dtype == np.uint8
    # Each output is the interpolated value rounded: within half a grey level
    # (plus float64 noise, which decides ties differently in the two orders of summation).
    np.testing.assert_array_less(np.abs(out - reference), 0.5 + 1e-9)


def test_course_pipeline_crops_sixty_pixels_from_each_side():
    gray = np.zeros((100, 300), dtype=np.uint8)
    gray[:, :60] = gray[:, -60:] = 255  # only the cut-off margins are bright
    assert mri_preprocessing.course_preprocess(gray).max() == 0
    gray[:, 60] = 255  # the first kept column
    assert mri_preprocessing.course_preprocess(gray)[:, 0].min() > 0
    with pytest.raises(ValueError, match=r"wider than 121 pixels.*crop='head'"):
        mri_preprocessing.course_preprocess(np.zeros((200, 121), dtype=np.uint8))


def test_sample_image_follows_the_course_steps():
    torch = pytest.importorskip("torch")
    from PIL import Image

    path = SAMPLE_DIR / "Training" / "notumor" / "Tr-no_0010.jpg"  # 225x225 RGB JPEG
    with Image.open(path) as image:
        gray = mri_preprocessing.read_grayscale(image)
    with Image.open(path) as image:
        pixels = mri_preprocessing.preprocess_image(image)
        # The stored luma and luma recomputed from decoded RGB agree to JPEG rounding.
        recomputed = np.asarray(image.convert("L"), dtype=np.int16)
    assert gray.shape == (225, 225) and np.abs(gray - recomputed).max() <= 2
    side = mri_preprocessing.COURSE_SIDE_CROP
    filtered = direct_bilateral(gray[:, side:-side], radius=1, sigma_color=50, sigma_space=50)
    expected = torch.nn.functional.interpolate(
        torch.from_numpy(filtered).double()[None, None], size=(84, 84), mode="bilinear",
        align_corners=False, antialias=False)[0, 0].numpy()
    np.testing.assert_array_less(np.abs(pixels - expected), 0.5 + 1e-9)


@pytest.mark.filterwarnings("ignore:No Testing/ folder")
def test_head_crop_option_is_recorded_and_differs(tmp_path):
    course = mri_preprocessing.build_mri_npz(SAMPLE_DIR, tmp_path / "course.npz", processes=1)
    head = mri_preprocessing.build_mri_npz(SAMPLE_DIR, tmp_path / "head.npz", processes=1,
                                           crop="head")
    with np.load(course) as a, np.load(head) as b:
        assert str(a["crop"]) == "course" and str(b["crop"]) == "head"
        assert not np.array_equal(a["x_train"], b["x_train"])
    with pytest.raises(ValueError, match=r"crop must be one of \('course', 'head'\)"):
        mri_preprocessing.build_mri_npz(SAMPLE_DIR, tmp_path / "x.npz", crop="centre")


def test_shipped_mri_is_the_course_pipeline(shipped_mri):
    assert str(shipped_mri["crop"]) == "course"


@pytest.mark.filterwarnings("ignore:No Testing/ folder")
def test_loader_builds_and_checks_the_requested_crop(tmp_path):
    npz_path = tmp_path / "head.npz"
    x_head = utils.get_mri_dataset(npz_path=npz_path, raw_dir=SAMPLE_DIR, crop="head")[0]
    x_course = utils.get_mri_dataset(npz_path=tmp_path / "course.npz", raw_dir=SAMPLE_DIR)[0]
    assert x_head.shape == x_course.shape == (8, 84, 84)
    with pytest.raises(ValueError, match=r"holds crop='head' images, but crop='course'.*--crop"):
        utils.get_mri_dataset(npz_path=npz_path, raw_dir=SAMPLE_DIR)


# ---------------------------------------------------------------- text

# The course notebook's printed vocabulary map (Q4 "Data Preparation").
COURSE_VOCAB = " !,-.135:;?abcdefghijklmnopqrstuvwxyz"


def test_text_windows_on_a_hand_checkable_string():
    data = utils.preprocess_text_data("ab Ca'b", sequence_len=3)
    # Cleaned "ab ca'b": vocab [" ", "'", "a", "b", "c"] -> codes 2 3 0 4 2 1 3.
    assert data["text"] == "ab ca'b"
    assert data["vocab"] == [" ", "'", "a", "b", "c"] and data["vocab_size"] == 5
    assert data["x"].tolist() == [[2, 3, 0], [3, 0, 4], [0, 4, 2], [4, 2, 1]]
    assert data["y"].tolist() == [[4], [2], [1], [3]]
    assert data["x"].dtype == np.float32 and data["y"].dtype == np.float32
    assert data["indices_char"] == {0: " ", 1: "'", 2: "a", 3: "b", 4: "c"}
    assert data["char_indices"] == {" ": 0, "'": 1, "a": 2, "b": 3, "c": 4}
    assert data["sequence_len"] == 3


@pytest.mark.parametrize("raw, cleaned", [
    ("Fair  is\r\n\tFOUL", "fair is foul"),  # lower case, whitespace runs collapse
    ("line one\nline two", "line one line two"),  # newlines are whitespace too
    ("Tartar\u2019s [lips] & #1533_", "tartars lips 1533"),  # outside the kept set: dropped
    ("\"Yes;\" 'no': x-ray", "\"yes;\" 'no': x-ray"),  # quotes, ; : - are kept
    ("What?? No!!! Well.. so,,", "what? no! well. so,"),  # doubled . , ! ? collapse
    ("hail , brave friend ! go", "hail, brave friend! go"),  # no space before punctuation
    ("captivity.\u2014Hail,friend;so:be", "captivity. hail, friend; so: be"),  # one space after
    ("  a \u2014 b  ", "a b"),  # a dropped dash leaves no double space; ends stripped
])
def test_clean_text_rules(raw, cleaned):
    assert utils.clean_text(raw) == cleaned


def test_text_step():
    data = utils.preprocess_text_data("Fair  is\n\nFOUL.", sequence_len=4, step=3)
    assert data["text"] == "fair is foul."
    decoded = ["".join(data["indices_char"][int(i)] for i in row) for row in data["x"]]
    assert decoded == ["fair", "r is", "s fo"]
    assert [data["indices_char"][int(i)] for i in data["y"][:, 0]] == [" ", " ", "u"]


def test_macbeth_course_part_reproduces_the_course_corpus():
    data = utils.preprocess_text_data(utils.load_macbeth_text())
    # The course notebook printed 102176 characters, this vocabulary and (102146, 30).
    assert len(data["text"]) == 102_176
    assert "".join(data["vocab"]) == COURSE_VOCAB
    assert data["char_indices"] == {c: i for i, c in enumerate(COURSE_VOCAB)}
    assert data["x"].shape == (102_146, 30) and data["y"].shape == (102_146, 1)
    codes = np.array([COURSE_VOCAB.index(c) for c in data["text"]])
    windows = np.lib.stride_tricks.sliding_window_view(codes, 31)  # (S, 31): window + target
    np.testing.assert_array_equal(data["x"], windows[:, :30])
    np.testing.assert_array_equal(data["y"][:, 0], windows[:, 30])
    # Its opening and the prompt of the course's generation example.
    assert data["text"].startswith("cover macbeth by william shakespeare contents act i scene i.")
    assert "and tartars lips, finger of bi" in data["text"]


def test_macbeth_play_part_is_the_course_corpus_without_the_footer_words():
    course = utils.clean_text(utils.load_macbeth_text())
    play = utils.clean_text(utils.load_macbeth_text(part="play"))
    assert len(play) == 102_102 and "".join(sorted(set(play))) == COURSE_VOCAB.replace("135", "")
    assert course == play + " end of the project gutenberg ebook macbeth this file should be named 1533"


def test_only_the_footer_file_name_can_supply_the_course_digits():
    # The course's vocabulary has the digits 1, 3, 5 and no other; the play has none.
    # Walking outwards from the play, the first digits met are "8" before it
    # ("UTF-8" in the header) and "1533" then "0" after it ("1533-0.txt"). So a
    # stretch of the file holding the whole play has exactly {1, 3, 5} only if it
    # starts after "UTF-8" and ends between "1533" and "-0": the course part.
    raw = utils.MACBETH_FILE.read_text(encoding="utf-8-sig")
    start, end = utils.GUTENBERG_START.search(raw), utils.GUTENBERG_END.search(raw)
    assert not any(c.isdigit() for c in raw[start.end():end.start()])
    before = [c for c in reversed(raw[:start.start()]) if c.isdigit()]
    after = [c for c in raw[end.end():] if c.isdigit()]
    assert before[0] == "8"
    assert after[:5] == ["1", "5", "3", "3", "0"]
    assert utils.load_macbeth_text().endswith("should be named 1533")


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


def test_macbeth_part_errors(tmp_path):
    with pytest.raises(ValueError, match=r"part must be one of \('course', 'play'\)"):
        utils.load_macbeth_text(part="all")
    plain = tmp_path / "plain.txt"
    plain.write_text("When shall we three meet again?")
    with pytest.raises(ValueError, match="no Project Gutenberg START/END markers"):
        utils.load_macbeth_text(plain)
    no_footer = tmp_path / "no_footer.txt"
    no_footer.write_text("*** START OF THE PROJECT GUTENBERG EBOOK X ***\nplay\n"
                         "*** END OF THE PROJECT GUTENBERG EBOOK X ***\n")
    with pytest.raises(ValueError, match="use part='play'"):
        utils.load_macbeth_text(no_footer)
    assert utils.load_macbeth_text(no_footer, part="play") == "\nplay\n"


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


# ---------------------------------------------------------------- notebook figures


def test_curve_summary_on_a_hand_checkable_curve():
    from utilities.reporting import curve_summary

    summary = curve_summary([1.0, 0.5, 0.6, 0.4, 0.45, 0.3])
    assert summary == pytest.approx({"first": 1.0, "second": 0.5, "final": 0.3, "rises": 2,
                                     "largest rise": 0.1})
    assert curve_summary([3.0, 2.0, 1.0])["largest rise"] == 0.0
    with pytest.raises(ValueError, match="at least 2 records, got 1"):
        curve_summary([1.0])


def test_network_summary_matches_sklearn_and_torch():
    import torch
    from sklearn.metrics import confusion_matrix

    from NN import NeuralNet
    from utilities.reporting import network_summary

    x_train, y_train, x_test, y_test = utils.get_housing_dataset()
    nn = NeuralNet(y_train, use_dropout=False, use_adam=False)
    nn.loss = [1.2, 0.9]
    summary = network_summary(nn, x_test, y_test, utils.HOUSING_CLASSES)
    truth, predicted = np.argmax(y_test, axis=1), nn.predict(x_test)
    recall = np.diag(confusion_matrix(truth, predicted, labels=[0, 1, 2], normalize="true"))
    probabilities = torch.from_numpy(nn.forward(x_test, use_dropout=False))
    ce = torch.nn.functional.nll_loss(torch.log(probabilities), torch.from_numpy(truth)).item()
    assert summary["final training loss"] == 0.9
    assert summary["test CE"] == pytest.approx(ce, rel=1e-12)
    assert [summary[f"recall {c}"] for c in utils.HOUSING_CLASSES] == pytest.approx(recall)


def test_sequence_summary_on_a_hand_checkable_history():
    import torch

    from utilities.reporting import sequence_summary

    class Wrapper:
        model = torch.nn.Linear(3, 2)  # 3 * 2 weights + 2 biases

    history = {"train": [2.0, 1.5, 1.2], "val": [2.1, 1.7, 1.8], "epoch_seconds": [10, 20, 30]}
    assert sequence_summary(Wrapper(), history) == pytest.approx({
        "parameters": 8, "epochs": 3, "seconds per epoch": 20.0, "train minutes": 1.0,
        "final train loss": 1.2, "final val loss": 1.8, "best val loss": 1.7, "best epoch": 2,
        "train loss at best epoch": 1.5})
