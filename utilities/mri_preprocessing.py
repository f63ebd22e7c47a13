"""Preprocess the raw Kaggle "Brain Tumor MRI Dataset" into 84x84 grayscale arrays.

The raw folder has the Kaggle layout ``Training/<class>/*.jpg`` and
``Testing/<class>/*.jpg``. Every image is converted to grayscale, cropped to
the head (the largest bright region, after thin burnt-in text and marks are
removed) and resized to 84x84 uint8. ``utilities.utils.get_mri_dataset`` calls
:func:`build_mri_npz` when the shipped npz is missing; ``scripts/build_mri_data.py``
builds the shipped file with it.

Choices for imperfect input:

* A file that PIL cannot decode stops the build with a ``ValueError`` naming
  it (silently skipping it would shift every index after it, including
  ``test_in_train``).
* A raw folder without ``Testing/`` (such as the 8-image sample in
  ``tests/fixtures/mri_sample``) is built with empty test arrays and a warning.
"""

import hashlib
import io
import multiprocessing
import os
import warnings
import zipfile
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError
from scipy import ndimage

CLASSES = ("glioma", "meningioma", "notumor", "pituitary")
SPLITS = ("Training", "Testing")
IMAGE_SIZE = 84
# Background pixels of these scans sit below ~10 (JPEG noise); tissue is far brighter.
BRIGHT_THRESHOLD = 20
# Burnt-in letters, rulers and frame lines are a few pixels thick at 512x512;
# an opening of ~1% of the image side erases them but keeps the head.
MARK_FRACTION = 0.01
# Dark bone and CSF can split the scalp from the brain; growing the mask by
# ~3% of the side joins them so the crop keeps the whole head.
JOIN_FRACTION = 0.03
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png")
# Below this many images a worker pool costs more to start than it saves.
MIN_IMAGES_FOR_POOL = 64
# np.savez_compressed stamps each member with the current time; a fixed stamp
# makes two builds of the same arrays identical byte for byte (same sha256).
ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)


def head_crop_box(gray):
    """Find the bounding box of the head in a grayscale scan.

    Parameters
    ----------
    gray : ndarray of shape (H, W), uint8

    Returns
    -------
    rows : slice
        Row range of the box.
    cols : slice
        Column range of the box. The whole image when nothing is bright.
    """
    side = min(gray.shape)
    bright = gray > BRIGHT_THRESHOLD
    mark = max(3, round(MARK_FRACTION * side))
    body = ndimage.binary_opening(bright, structure=np.ones((mark, mark), dtype=bool))
    if not body.any():
        return slice(0, gray.shape[0]), slice(0, gray.shape[1])
    join = max(3, round(JOIN_FRACTION * side))
    groups, n_groups = ndimage.label(ndimage.binary_dilation(body, iterations=join))
    sizes = ndimage.sum_labels(body, groups, index=np.arange(1, n_groups + 1))
    head = body & (groups == 1 + int(np.argmax(sizes)))
    return ndimage.find_objects(head.astype(np.int8))[0]


def preprocess_image(image, size=IMAGE_SIZE):
    """Turn one PIL image into a square grayscale array cropped to the head.

    Parameters
    ----------
    image : PIL.Image.Image
        Any mode (RGB, L, RGBA, P).
    size : int, default=IMAGE_SIZE

    Returns
    -------
    ndarray of shape (size, size), uint8
    """
    gray = np.asarray(image.convert("L"))
    rows, cols = head_crop_box(gray)
    crop = Image.fromarray(gray[rows, cols])
    # Stretching to a square (no padding) matches the seed's 84x84 inputs.
    return np.asarray(crop.resize((size, size), Image.BILINEAR), dtype=np.uint8)


def load_image(path):
    """Read, hash and preprocess one raw file.

    Parameters
    ----------
    path : path-like

    Returns
    -------
    pixels : ndarray of shape (84, 84), uint8
    digest : str
        sha256 of the raw file bytes, used to find images shared by both splits.
    """
    data = Path(path).read_bytes()
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            pixels = preprocess_image(image)
    except (UnidentifiedImageError, OSError, SyntaxError) as error:
        raise ValueError(
            f"Cannot read image {path} ({error}); delete or replace the file and rebuild"
        ) from error
    return pixels, hashlib.sha256(data).hexdigest()


def list_split(raw_dir, split):
    """List a split's image files, class by class, sorted by name within a class.

    Parameters
    ----------
    raw_dir : Path
        Folder holding ``Training/`` and ``Testing/``.
    split : {"Training", "Testing"}

    Returns
    -------
    files : list of str
        Paths relative to ``raw_dir``, e.g. ``Training/glioma/Tr-gl_0010.jpg``.
    labels : ndarray of shape (N,), int64
        Index into CLASSES.
    """
    missing = [c for c in CLASSES if not (raw_dir / split / c).is_dir()]
    if missing:
        raise FileNotFoundError(
            f"{raw_dir / split} lacks the class folder(s) {missing}; expected one folder per "
            f"class {list(CLASSES)} (the Kaggle layout)"
        )
    files, labels = [], []
    for label, name in enumerate(CLASSES):
        found = sorted(
            p.name for p in (raw_dir / split / name).iterdir()
            if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES and not p.name.startswith(".")
        )
        files += [f"{split}/{name}/{f}" for f in found]
        labels += [label] * len(found)
    return files, np.array(labels, dtype=np.int64)


def _load_all(raw_dir, files, processes):
    """Preprocess ``files`` (relative to ``raw_dir``), in order, on ``processes`` workers."""
    paths = [raw_dir / f for f in files]
    if processes <= 1 or len(paths) < MIN_IMAGES_FOR_POOL:
        results = [load_image(p) for p in paths]
    else:
        with multiprocessing.get_context("spawn").Pool(processes) as pool:
            results = pool.map(load_image, paths, chunksize=32)
    pixels = np.empty((len(paths), IMAGE_SIZE, IMAGE_SIZE), dtype=np.uint8)
    for i, (image, _) in enumerate(results):
        pixels[i] = image
    return pixels, [digest for _, digest in results]


def save_npz(path, arrays):
    """Write ``arrays`` as a compressed npz (what np.savez_compressed writes) with fixed timestamps.

    Parameters
    ----------
    path : Path
        Output file; written atomically (a temporary file is renamed into place).
    arrays : dict of str -> ndarray
        Non-object arrays, saved as ``<key>.npy`` members.
    """
    partial = path.with_name(path.name + ".partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for key, value in arrays.items():
            member = zipfile.ZipInfo(f"{key}.npy", date_time=ZIP_TIMESTAMP)
            member.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(member, "w", force_zip64=True) as handle:
                np.lib.format.write_array(handle, np.asarray(value), allow_pickle=False)
    os.replace(partial, path)


def build_mri_npz(raw_dir, npz_path, processes=None):
    """Preprocess a raw Kaggle-layout folder and save the arrays as a compressed npz.

    Parameters
    ----------
    raw_dir : path-like
        Folder with ``Training/<class>/`` and, optionally, ``Testing/<class>/``.
    npz_path : path-like
        Output file, see :func:`save_npz`.
    processes : int or None, default=None
        Worker processes; ``None`` uses up to 2 (one per core on a laptop).

    Returns
    -------
    Path
        ``npz_path``. Its keys: ``x_train`` uint8 (N_train, 84, 84), ``y_train``
        int64 (N_train,), ``x_test``, ``y_test``, ``classes``, ``train_files``,
        ``test_files`` (relative paths in array order) and ``test_in_train``
        int64 indices into ``x_test`` of files whose bytes also occur in Training.
    """
    raw_dir, npz_path = Path(raw_dir), Path(npz_path)
    if not (raw_dir / "Training").is_dir():
        raise FileNotFoundError(
            f"No Training/ folder in {raw_dir}; point raw_dir at the Kaggle "
            "'Brain Tumor MRI Dataset' folder that holds Training/ and Testing/"
        )
    if processes is None:
        processes = min(2, os.cpu_count() or 1)
    arrays = {"classes": np.array(CLASSES)}
    digests = {}
    for split, key in zip(SPLITS, ("train", "test")):
        if split == "Testing" and not (raw_dir / split).is_dir():
            warnings.warn(f"No Testing/ folder in {raw_dir}; the test arrays will be empty")
            files, labels = [], np.zeros(0, dtype=np.int64)
        else:
            files, labels = list_split(raw_dir, split)
        arrays[f"x_{key}"], digests[key] = _load_all(raw_dir, files, processes)
        arrays[f"y_{key}"] = labels
        arrays[f"{key}_files"] = np.array(files, dtype=str)
    train_digests = set(digests["train"])
    arrays["test_in_train"] = np.array(
        [i for i, d in enumerate(digests["test"]) if d in train_digests], dtype=np.int64
    )
    npz_path.parent.mkdir(parents=True, exist_ok=True)
    save_npz(npz_path, arrays)
    return npz_path
