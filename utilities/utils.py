"""Data loaders for HW4: California Housing (Q1), brain MRI (Q2) and Macbeth (Q4).

Everything is read from the repository's own ``data/`` folder, so the notebook
and the tests work offline. Dimension letters used below:

    N : number of samples        D : number of features
    C : number of classes        S : number of text sequences
"""

import re
from pathlib import Path

import numpy as np
from sklearn.model_selection import train_test_split

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

HOUSING_FILE = DATA_DIR / "california_housing" / "cal_housing.csv.gz"
HOUSING_FEATURES = (
    "MedInc", "HouseAge", "AveRooms", "AveBedrms",
    "Population", "AveOccup", "Latitude", "Longitude",
)
HOUSING_CLASSES = ("low", "med", "high")
# 2,000 rows keep one 60,000-iteration full-batch run of the Q1 network to a
# few seconds while leaving 400 test rows, enough for a stable test CE.
HOUSING_SUBSET = 2000

MRI_FILE = DATA_DIR / "mri" / "brain_mri_84.npz"
MRI_RAW_DIR = DATA_DIR / "mri" / "raw"
MRI_CLASSES = ("glioma", "meningioma", "notumor", "pituitary")

MACBETH_FILE = DATA_DIR / "macbeth" / "1533-0.txt"
MACBETH_URL = "https://www.gutenberg.org/files/1533/1533-0.txt"
GUTENBERG_START = re.compile(r"\*\*\* ?START OF (THE|THIS) PROJECT GUTENBERG EBOOK[^*]*\*\*\*")
GUTENBERG_END = re.compile(r"\*\*\* ?END OF (THE|THIS) PROJECT GUTENBERG EBOOK[^*]*\*\*\*")
# Characters outside this set (apostrophes, quotes, dashes, brackets) are
# dropped, so "tartar's" becomes "tartars" and the vocabulary stays small.
TEXT_KEEP = re.compile(r"[^a-z0-9 .,;:!?\-]")


def _missing_file_error(path, fix):
    return FileNotFoundError(f"Data file not found: {path}. {fix}")


def _housing_table():
    """Return the sklearn-style housing features and house values.

    Returns
    -------
    features : ndarray of shape (20640, 8), columns in HOUSING_FEATURES order
    value : ndarray of shape (20640,), median house value in $100,000s
    """
    if not HOUSING_FILE.exists():
        raise _missing_file_error(
            HOUSING_FILE, "It ships with the repository: restore it with `git checkout -- data/`."
        )
    raw = np.loadtxt(HOUSING_FILE, delimiter=",", skiprows=1)
    (longitude, latitude, age, rooms, bedrooms,
     population, households, income, value) = raw.T
    features = np.column_stack([
        income, age, rooms / households, bedrooms / households,
        population, population / households, latitude, longitude,
    ])
    return features, value / 100_000


def get_housing_dataset(n_samples=HOUSING_SUBSET, test_size=0.2, seed=0):
    """Load California Housing as a 3-class (low/med/high value) problem.

    The classes are the terciles of the median house value over all 20,640
    block groups. A stratified subset of ``n_samples`` rows is split, again
    stratified, into train and test; x is standardised with the training
    mean and standard deviation only, so no test statistics leak into training.

    Parameters
    ----------
    n_samples : int or None, default=HOUSING_SUBSET
        Rows to use (train + test). ``None`` uses all 20,640 rows.
    test_size : float, default=0.2
        Fraction of the rows held out for testing.
    seed : int, default=0
        Seed of the subset draw and of the split.

    Returns
    -------
    x_train : ndarray of shape (N_train, 8), float64
    y_train : ndarray of shape (N_train, 3), one-hot float64
    x_test : ndarray of shape (N_test, 8), float64
    y_test : ndarray of shape (N_test, 3), one-hot float64
    """
    features, value = _housing_table()
    n_total = len(value)
    if n_samples is not None and not 10 <= n_samples <= n_total:
        raise ValueError(
            f"n_samples must be between 10 and {n_total} (or None for all rows), got {n_samples}"
        )
    edges = np.quantile(value, [1 / 3, 2 / 3])
    labels = np.digitize(value, edges)
    if n_samples is not None and n_samples < n_total:
        features, _, labels, _ = train_test_split(
            features, labels, train_size=n_samples, stratify=labels, random_state=seed
        )
    x_train, x_test, c_train, c_test = train_test_split(
        features, labels, test_size=test_size, stratify=labels, random_state=seed
    )
    mean, std = x_train.mean(axis=0), x_train.std(axis=0)
    one_hot = np.eye(len(HOUSING_CLASSES))
    return (x_train - mean) / std, one_hot[c_train], (x_test - mean) / std, one_hot[c_test]


def _select_classes(x, y, class_ids):
    """Keep the rows whose label is in ``class_ids``, relabelled 0..k-1 in that order."""
    keep = np.isin(y, class_ids)
    remap = np.full(len(MRI_CLASSES), -1, dtype=np.int64)
    remap[list(class_ids)] = np.arange(len(class_ids))
    return x[keep], remap[y[keep]]


def get_mri_dataset(classes=MRI_CLASSES, npz_path=MRI_FILE, raw_dir=MRI_RAW_DIR):
    """Load the 84x84 grayscale brain-MRI arrays.

    Reads the preprocessed ``npz_path``. When it is missing but ``raw_dir``
    holds the Kaggle layout (``Training/<class>/*.jpg``,
    ``Testing/<class>/*.jpg``), the images are preprocessed and cached at
    ``npz_path`` first (see ``utilities.mri_preprocessing``: a corrupt image
    stops the build with an error naming it; a folder without ``Testing/``
    gives empty test arrays).

    Parameters
    ----------
    classes : sequence of str, default=MRI_CLASSES
        Class names to return; labels 0..k-1 follow this order.
    npz_path : path-like, default=data/mri/brain_mri_84.npz
    raw_dir : path-like, default=data/mri/raw

    Returns
    -------
    x_train : ndarray of shape (N_train, 84, 84), uint8
    y_train : ndarray of shape (N_train,), int64
    x_test : ndarray of shape (N_test, 84, 84), uint8
    y_test : ndarray of shape (N_test,), int64
    """
    if isinstance(classes, str):
        raise ValueError(f"classes must be a list of class names, got the string {classes!r}; "
                         f"pass e.g. [{classes!r}]")
    unknown = [c for c in classes if c not in MRI_CLASSES]
    if unknown or len(classes) == 0:
        raise ValueError(
            f"Unknown MRI class name(s) {unknown or list(classes)}; choose from {list(MRI_CLASSES)}"
        )
    if len(set(classes)) != len(classes):
        raise ValueError(f"classes must not repeat a name, got {list(classes)}")
    npz_path, raw_dir = Path(npz_path), Path(raw_dir)
    if npz_path.exists():
        print("Loading preprocessed data from disk...")
    elif (raw_dir / "Training").is_dir():
        from utilities.mri_preprocessing import build_mri_npz

        print(f"Preprocessing raw images from {raw_dir} (cached to {npz_path})...")
        build_mri_npz(raw_dir, npz_path)
    else:
        raise _missing_file_error(
            npz_path,
            "It ships with the repository (restore it with `git checkout -- data/`), or put the "
            f"Kaggle 'Brain Tumor MRI Dataset' folders Training/ and Testing/ under {raw_dir} "
            "and it will be rebuilt.",
        )
    with np.load(npz_path) as arrays:
        stored = [str(c) for c in arrays["classes"]]
        ids = [stored.index(c) for c in classes]
        x_train, y_train = _select_classes(arrays["x_train"], arrays["y_train"], ids)
        x_test, y_test = _select_classes(arrays["x_test"], arrays["y_test"], ids)
    return x_train, y_train, x_test, y_test


def get_mri_leak_free_mask(npz_path=MRI_FILE):
    """Mark the test images that do not also occur (byte for byte) in the training set.

    Returns
    -------
    mask : ndarray of shape (1311,), bool
        True where the test image is leak-free, in the order of ``x_test``
        for all four classes.
    """
    npz_path = Path(npz_path)
    if not npz_path.exists():
        raise _missing_file_error(npz_path, "Call get_mri_dataset() first to build it.")
    with np.load(npz_path) as arrays:
        mask = np.ones(len(arrays["y_test"]), dtype=bool)
        mask[arrays["test_in_train"]] = False
    return mask


def load_macbeth_text(path=MACBETH_FILE):
    """Return the raw Project Gutenberg #1533 text of Macbeth.

    The file ships in ``data/macbeth``. Only when it is missing is it
    downloaded (and saved there) with ``requests``.
    """
    path = Path(path)
    if path.exists():
        return path.read_text(encoding="utf-8-sig")
    import requests

    try:
        response = requests.get(MACBETH_URL, timeout=30)
        response.raise_for_status()
    except requests.RequestException as error:
        raise _missing_file_error(
            path,
            f"Downloading it from {MACBETH_URL} failed ({error}). Offline, restore the shipped "
            "copy with `git checkout -- data/macbeth/1533-0.txt`.",
        ) from error
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(response.text, encoding="utf-8")
    return response.text


def clean_text(text):
    """Strip the Gutenberg header/footer, lower-case, drop rare symbols, collapse whitespace."""
    start, end = GUTENBERG_START.search(text), GUTENBERG_END.search(text)
    if start and end and start.end() < end.start():
        text = text[start.end():end.start()]
    text = TEXT_KEEP.sub("", re.sub(r"\s+", " ", text.lower()))
    return re.sub(r" +", " ", text).strip()


def preprocess_text_data(text, sequence_len=30, step=1):
    """Turn a text into (window, next character) pairs for character-level models.

    With ``sequence_len=4`` the text "macbeth" gives the windows "macb",
    "acbe", "cbet" and the targets "e", "t", "h".

    Parameters
    ----------
    text : str
        Raw text (a Gutenberg header and footer are removed if present).
    sequence_len : int, default=30
        Characters in each input window.
    step : int, default=1
        Offset between the starts of consecutive windows.

    Returns
    -------
    dict with keys
        x : ndarray of shape (S, sequence_len), int64, character indices
        y : ndarray of shape (S, 1), int64, index of the next character
        text : str, the cleaned text
        char_indices : dict str -> int;  indices_char : dict int -> str
        vocab : list of str, sorted;  vocab_size : int;  sequence_len : int
    """
    if not isinstance(text, str) or not text.strip():
        raise ValueError("text is empty; pass the book's contents, e.g. load_macbeth_text()")
    if sequence_len < 1 or step < 1:
        raise ValueError(f"sequence_len and step must be >= 1, got {sequence_len} and {step}")
    cleaned = clean_text(text)
    if sequence_len >= len(cleaned):
        raise ValueError(
            f"sequence_len ({sequence_len}) must be smaller than the cleaned text length "
            f"({len(cleaned)}); use a shorter window or a longer text"
        )
    vocab = sorted(set(cleaned))
    char_indices = {c: i for i, c in enumerate(vocab)}
    codes = np.array([char_indices[c] for c in cleaned], dtype=np.int64)
    starts = np.arange(0, len(codes) - sequence_len, step)
    x = codes[starts[:, None] + np.arange(sequence_len)]  # (S, sequence_len)
    y = codes[starts + sequence_len][:, None]  # (S, 1)
    return {
        "x": x,
        "y": y,
        "text": cleaned,
        "char_indices": char_indices,
        "indices_char": dict(enumerate(vocab)),
        "vocab": vocab,
        "vocab_size": len(vocab),
        "sequence_len": sequence_len,
    }
