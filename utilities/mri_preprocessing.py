"""Preprocess the raw Kaggle "Brain Tumor MRI Dataset" into 84x84 grayscale arrays.

The raw folder has the Kaggle layout ``Training/<class>/*.jpg`` and
``Testing/<class>/*.jpg``. Two pipelines turn one scan into an 84x84 uint8
image (``crop=`` below):

``"course"`` (the default, the course's own pipeline)
    read the file as grayscale, cut a fixed ``COURSE_SIDE_CROP`` pixels off
    the left and right edges, smooth with a bilateral filter (OpenCV's
    ``bilateralFilter(img, 2, 50, 50)``) and resize to 84x84 with OpenCV's
    default bilinear interpolation. OpenCV is not a dependency: both steps are
    written here in NumPy with OpenCV's semantics (see :func:`bilateral_filter`
    and :func:`resize_bilinear`).
``"head"``
    read as grayscale, crop to the head (the largest bright region, after
    thin burnt-in text and marks are removed) and resize with PIL's bilinear
    filter. This is the project's earlier pipeline, kept to compare with.

``utilities.utils.get_mri_dataset`` calls :func:`build_mri_npz` when the
shipped npz is missing; the instructor's build script makes the shipped file
with it.

Choices for imperfect input:

* A file that PIL cannot decode stops the build with a ``ValueError`` naming
  it (silently skipping it would shift every index after it, including
  ``test_in_train``).
* A raw folder without ``Testing/`` (such as an 8-image sample) is built with empty test arrays and a warning.
"""

import functools
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
from tqdm import tqdm

CLASSES = ("glioma", "meningioma", "notumor", "pituitary")
SPLITS = ("Training", "Testing")
IMAGE_SIZE = 84
CROPS = ("course", "head")
# The course's pipeline: a fixed side crop, then cv2.bilateralFilter(img, 2, 50, 50).
COURSE_SIDE_CROP = 60
BILATERAL_DIAMETER = 2
BILATERAL_SIGMA_COLOR = 50.0
BILATERAL_SIGMA_SPACE = 50.0
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


def read_grayscale(image):
    """Decode a PIL image to grayscale the way ``cv2.imread(path, 0)`` does.

    For a colour JPEG both libjpeg front ends (OpenCV's and PIL's draft mode)
    return the stored luma channel directly instead of converting decoded RGB.
    Other files (PNG, palette, RGBA) go through PIL's ITU-R 601 conversion,
    the formula OpenCV applies too.

    Parameters
    ----------
    image : PIL.Image.Image
        Freshly opened (not yet loaded), any mode.

    Returns
    -------
    ndarray of shape (H, W), uint8
    """
    if image.format == "JPEG":
        image.draft("L", image.size)
    return np.asarray(image.convert("L"))


def bilateral_filter(gray, diameter=BILATERAL_DIAMETER, sigma_color=BILATERAL_SIGMA_COLOR,
                     sigma_space=BILATERAL_SIGMA_SPACE):
    """Edge-preserving smoothing with the semantics of OpenCV's ``cv2.bilateralFilter``.

    Each output pixel is the weighted mean of the input pixels q within
    ``radius = max(diameter // 2, 1)`` of p (a circular window: |q - p| <= radius),

        out(p) = sum_q w(p, q) I(q) / sum_q w(p, q),
        w(p, q) = exp(-|q - p|^2 / (2 sigma_space^2)) * exp(-(I(q) - I(p))^2 / (2 sigma_color^2)),

    rounded to the nearest integer (ties to even). The border is mirrored
    without repeating the edge pixel (OpenCV's BORDER_REFLECT_101). With
    ``diameter=2`` the window is the pixel and its four direct neighbours.
    OpenCV sums in float32, so a value within float32 rounding of a .5 tie
    can round the other way there.

    Parameters
    ----------
    gray : ndarray of shape (H, W), uint8
        H, W >= 2 (the mirrored border needs a neighbour).
    diameter : int, default=2
    sigma_color, sigma_space : float, default=50.0

    Returns
    -------
    ndarray of shape (H, W), uint8
    """
    radius = max(diameter // 2, 1)
    image = gray.astype(np.float64)
    padded = np.pad(image, radius, mode="reflect")
    height, width = gray.shape
    weighted_sum = np.zeros_like(image)
    weight_sum = np.zeros_like(image)
    for di in range(-radius, radius + 1):
        for dj in range(-radius, radius + 1):
            squared_distance = di * di + dj * dj
            if squared_distance > radius * radius:
                continue
            neighbour = padded[radius + di:radius + di + height, radius + dj:radius + dj + width]
            weight = (np.exp(-squared_distance / (2 * sigma_space**2))
                      * np.exp(-(neighbour - image) ** 2 / (2 * sigma_color**2)))
            weighted_sum += weight * neighbour
            weight_sum += weight
    return np.rint(weighted_sum / weight_sum).astype(np.uint8)


def _linear_taps(in_size, out_size):
    """Source indices (i0, i1) and weights (a0, a1) of ``cv2.INTER_LINEAR`` along one axis."""
    scale = in_size / out_size
    # Pixel centres map to pixel centres (the half-pixel offset); outside the
    # first and last centre the edge pixel is repeated.
    source = (np.arange(out_size) + 0.5) * scale - 0.5
    source = np.clip(source, 0, in_size - 1)
    i0 = np.floor(source).astype(np.int64)
    i1 = np.minimum(i0 + 1, in_size - 1)
    a1 = source - i0
    return i0, i1, 1 - a1, a1


def resize_bilinear(gray, size=IMAGE_SIZE):
    """Resize to ``size`` x ``size`` like ``cv2.resize(img, (size, size))`` (INTER_LINEAR).

    Two-tap linear interpolation between the nearest source pixel centres,
    without the low-pass filtering that PIL applies when shrinking. OpenCV
    works in fixed point (11-bit weights); this float version can differ by
    one grey level on some pixels.

    Parameters
    ----------
    gray : ndarray of shape (H, W), uint8
    size : int, default=IMAGE_SIZE

    Returns
    -------
    ndarray of shape (size, size), uint8
    """
    r0, r1, ra0, ra1 = _linear_taps(gray.shape[0], size)
    c0, c1, ca0, ca1 = _linear_taps(gray.shape[1], size)
    image = gray.astype(np.float64)
    rows = image[r0] * ra0[:, None] + image[r1] * ra1[:, None]  # (size, W)
    out = rows[:, c0] * ca0 + rows[:, c1] * ca1  # (size, size)
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)


def course_preprocess(gray, size=IMAGE_SIZE):
    """The course's pipeline: side crop, bilateral filter, bilinear resize.

    Parameters
    ----------
    gray : ndarray of shape (H, W), uint8
        W > 2 * COURSE_SIDE_CROP + 1.
    size : int, default=IMAGE_SIZE

    Returns
    -------
    ndarray of shape (size, size), uint8
    """
    if gray.shape[1] <= 2 * COURSE_SIDE_CROP + 1:
        raise ValueError(
            f"Expected an image wider than {2 * COURSE_SIDE_CROP + 1} pixels to crop "
            f"{COURSE_SIDE_CROP} from each side, got shape {gray.shape}; use crop='head'"
        )
    side_cropped = gray[:, COURSE_SIDE_CROP:-COURSE_SIDE_CROP]
    return resize_bilinear(bilateral_filter(side_cropped), size)


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


def head_preprocess(gray, size=IMAGE_SIZE):
    """The earlier pipeline: crop to the head, then PIL bilinear resize.

    Parameters
    ----------
    gray : ndarray of shape (H, W), uint8
    size : int, default=IMAGE_SIZE

    Returns
    -------
    ndarray of shape (size, size), uint8
    """
    rows, cols = head_crop_box(gray)
    crop = Image.fromarray(gray[rows, cols])
    # Stretching to a square (no padding) matches the course's 84x84 inputs.
    return np.asarray(crop.resize((size, size), Image.BILINEAR), dtype=np.uint8)


def _check_crop(crop):
    if crop not in CROPS:
        raise ValueError(f"crop must be one of {CROPS}, got {crop!r}")


def preprocess_image(image, size=IMAGE_SIZE, crop="course"):
    """Turn one freshly opened PIL image into a square grayscale array.

    Parameters
    ----------
    image : PIL.Image.Image
        Any mode (RGB, L, RGBA, P), not yet loaded.
    size : int, default=IMAGE_SIZE
    crop : {"course", "head"}, default="course"
        The pipeline, see the module docstring.

    Returns
    -------
    ndarray of shape (size, size), uint8
    """
    _check_crop(crop)
    if crop == "course":
        return course_preprocess(read_grayscale(image), size)
    return head_preprocess(np.asarray(image.convert("L")), size)


def load_image(path, crop="course"):
    """Read, hash and preprocess one raw file.

    Parameters
    ----------
    path : path-like
    crop : {"course", "head"}, default="course"

    Returns
    -------
    pixels : ndarray of shape (84, 84), uint8
    digest : str
        sha256 of the raw file bytes, used to find images shared by both splits.
    """
    data = Path(path).read_bytes()
    try:
        with Image.open(io.BytesIO(data)) as image:
            pixels = preprocess_image(image, crop=crop)
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


def _load_all(raw_dir, files, processes, crop, split):
    """Preprocess ``files`` (relative to ``raw_dir``), in order, on ``processes`` workers."""
    paths = [raw_dir / f for f in files]
    load = functools.partial(load_image, crop=crop)
    progress = dict(total=len(paths), desc=f"Preprocessing {split}", unit="image")
    if processes <= 1 or len(paths) < MIN_IMAGES_FOR_POOL:
        results = [load(p) for p in tqdm(paths, **progress)]
    else:
        with multiprocessing.get_context("spawn").Pool(processes) as pool:
            results = list(tqdm(pool.imap(load, paths, chunksize=32), **progress))
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


def build_mri_npz(raw_dir, npz_path, processes=None, crop="course"):
    """Preprocess a raw Kaggle-layout folder and save the arrays as a compressed npz.

    Parameters
    ----------
    raw_dir : path-like
        Folder with ``Training/<class>/`` and, optionally, ``Testing/<class>/``.
    npz_path : path-like
        Output file, see :func:`save_npz`.
    processes : int or None, default=None
        Worker processes; ``None`` uses up to 2 (one per core on a laptop).
    crop : {"course", "head"}, default="course"
        The pipeline, see the module docstring.

    Returns
    -------
    Path
        ``npz_path``. Its keys: ``x_train`` uint8 (N_train, 84, 84), ``y_train``
        int64 (N_train,), ``x_test``, ``y_test``, ``classes``, ``train_files``,
        ``test_files`` (relative paths in array order), ``crop`` (the pipeline's
        name) and ``test_in_train`` int64 indices into ``x_test`` of files whose
        bytes also occur in Training.
    """
    _check_crop(crop)
    raw_dir, npz_path = Path(raw_dir), Path(npz_path)
    if not (raw_dir / "Training").is_dir():
        raise FileNotFoundError(
            f"No Training/ folder in {raw_dir}; point raw_dir at the Kaggle "
            "'Brain Tumor MRI Dataset' folder that holds Training/ and Testing/"
        )
    if processes is None:
        processes = min(2, os.cpu_count() or 1)
    arrays = {"classes": np.array(CLASSES), "crop": np.array(crop)}
    digests = {}
    for split, key in zip(SPLITS, ("train", "test")):
        if split == "Testing" and not (raw_dir / split).is_dir():
            warnings.warn(f"No Testing/ folder in {raw_dir}; the test arrays will be empty")
            files, labels = [], np.zeros(0, dtype=np.int64)
        else:
            files, labels = list_split(raw_dir, split)
        arrays[f"x_{key}"], digests[key] = _load_all(raw_dir, files, processes, crop, split)
        arrays[f"y_{key}"] = labels
        arrays[f"{key}_files"] = np.array(files, dtype=str)
    train_digests = set(digests["train"])
    arrays["test_in_train"] = np.array(
        [i for i, d in enumerate(digests["test"]) if d in train_digests], dtype=np.int64
    )
    npz_path.parent.mkdir(parents=True, exist_ok=True)
    save_npz(npz_path, arrays)
    return npz_path
