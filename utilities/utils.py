"""Data loaders for HW4: California Housing (Q1), brain MRI (Q2) and Macbeth (Q4).

Everything is read from the repository's own ``data/`` folder, so the notebook
and the tests work offline. Dimension letters used below:

    N : number of samples        D : number of features
    C : number of classes        S : number of text sequences
"""

import re
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MinMaxScaler

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

HOUSING_FILE = DATA_DIR / "california_housing" / "cal_housing.csv.gz"
HOUSING_FEATURES = (
    "MedInc", "HouseAge", "AveRooms", "AveBedrms",
    "Population", "AveOccup", "Latitude", "Longitude",
)
HOUSING_CLASSES = ("low", "med", "high")
# The course's subset: 500 rows, 375 to train and 125 to test.
HOUSING_SUBSET = 500

MRI_FILE = DATA_DIR / "mri" / "brain_mri_84.npz"
MRI_RAW_DIR = DATA_DIR / "mri" / "raw"
MRI_CLASSES = ("glioma", "meningioma", "notumor", "pituitary")

MACBETH_FILE = DATA_DIR / "macbeth" / "1533-0.txt"
MACBETH_URL = "https://www.gutenberg.org/files/1533/1533-0.txt"
GUTENBERG_START = re.compile(r"\*\*\* ?START OF (THE|THIS) PROJECT GUTENBERG EBOOK[^*]*\*\*\*")
GUTENBERG_END = re.compile(r"\*\*\* ?END OF (THE|THIS) PROJECT GUTENBERG EBOOK[^*]*\*\*\*")
# The footer line "This file should be named 1533-0.txt"; the course's corpus
# ends right after its book number (see macbeth_part).
GUTENBERG_FILE_NAME = re.compile(r"should be named (\d+)-0\.txt")
MACBETH_PARTS = ("course", "play")
# The course's cleaning rules, applied in this order by clean_text. Curly
# quotes and dashes are outside the kept set, so "tartar’s" becomes "tartars".
TEXT_DROP = re.compile(r"[^a-z0-9 .,!?'\";:\-\n]")
DOUBLED_PUNCTUATION = re.compile(r"([.,!?])\1+")
SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([.,!?;:])")
# Dropping a dash can glue two sentences ("captivity.—hail" -> "captivity.hail").
GLUED_AFTER_PUNCTUATION = re.compile(r"([.,!?;:])(?=[a-z0-9])")


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


def get_housing_dataset(n_samples=HOUSING_SUBSET):
    """Load California Housing as the course's 3-class (low/med/high value) problem.

    The course pipeline, on the shipped copy of scikit-learn's data:

    1. keep the rows ``np.random.RandomState(seed=3).permutation(20640)[:n_samples]``;
    2. sort them by house value (NumPy's default sort, as the course does; it
       decides the order of tied values) and label the first ``n // 3`` rows
       0, the next ``n // 3`` rows 1 and the rest 2;
    3. split with ``train_test_split(x, y, random_state=1)`` (a quarter for testing);
    4. scale x to [0, 1] with a ``MinMaxScaler`` fitted on the training rows only.

    Parameters
    ----------
    n_samples : int or None, default=HOUSING_SUBSET
        Rows to use (train + test), the course's 500 by default. ``None`` uses
        all 20,640 rows, through the same steps.

    Returns
    -------
    x_train : ndarray of shape (N_train, 8), float64
    y_train : ndarray of shape (N_train, 3), one-hot float64
    x_test : ndarray of shape (N_test, 8), float64
    y_test : ndarray of shape (N_test, 3), one-hot float64
    """
    features, value = _housing_table()
    n_total = len(value)
    if n_samples is None:
        n_samples = n_total
    if not 12 <= n_samples <= n_total:
        raise ValueError(
            f"n_samples must be between 12 and {n_total} (or None for all rows), got {n_samples}"
        )
    rows = np.random.RandomState(seed=3).permutation(n_total)[:n_samples]
    order = np.argsort(value[rows])
    x = features[rows][order]
    third = n_samples // 3
    labels = np.repeat([0, 1, 2], [third, third, n_samples - 2 * third])
    y = np.eye(len(HOUSING_CLASSES))[labels]
    x_train, x_test, y_train, y_test = train_test_split(x, y, random_state=1)
    scaler = MinMaxScaler().fit(x_train)
    return scaler.transform(x_train), y_train, scaler.transform(x_test), y_test


def _select_classes(x, y, class_ids):
    """Keep the rows whose label is in ``class_ids``, relabelled 0..k-1 in that order."""
    keep = np.isin(y, class_ids)
    remap = np.full(len(MRI_CLASSES), -1, dtype=np.int64)
    remap[list(class_ids)] = np.arange(len(class_ids))
    return x[keep], remap[y[keep]]


def get_mri_dataset(classes=MRI_CLASSES, npz_path=MRI_FILE, raw_dir=MRI_RAW_DIR, crop="course"):
    """Load the 84x84 grayscale brain-MRI arrays.

    Reads the preprocessed ``npz_path``. When it is missing but ``raw_dir``
    holds the Kaggle layout (``Training/<class>/*.jpg``,
    ``Testing/<class>/*.jpg``), the images are preprocessed with the pipeline
    ``crop`` names (by default the course's: grayscale, 60 pixels cut off each
    side, bilateral filter, bilinear resize to 84x84) and cached at ``npz_path`` first, with a
    progress bar (see ``utilities.mri_preprocessing``: a corrupt image stops
    the build with an error naming it; a folder without ``Testing/`` gives
    empty test arrays).

    Parameters
    ----------
    classes : sequence of str, default=MRI_CLASSES
        Class names to return; labels 0..k-1 follow this order.
    npz_path : path-like, default=data/mri/brain_mri_84.npz
    raw_dir : path-like, default=data/mri/raw
    crop : {"course", "head"}, default="course"
        The preprocessing the arrays must come from; ``"head"`` is the earlier
        crop to the head. An existing ``npz_path`` built the other way raises
        ValueError (the instructor's build script makes one with ``--crop``).

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
        build_mri_npz(raw_dir, npz_path, crop=crop)
    else:
        raise _missing_file_error(
            npz_path,
            "It ships with the repository (restore it with `git checkout -- data/`), or put the "
            f"Kaggle 'Brain Tumor MRI Dataset' folders Training/ and Testing/ under {raw_dir} "
            "and it will be rebuilt.",
        )
    with np.load(npz_path) as arrays:
        # Files built before the course's pipeline was added hold head crops.
        built_with = str(arrays["crop"]) if "crop" in arrays.files else "head"
        if built_with != crop:
            raise ValueError(
                f"{npz_path} holds crop={built_with!r} images, but crop={crop!r} was asked for; "
                f"pass another npz_path, or build one with "
                f"the instructor's build script (build_mri_data, --crop {crop})"
            )
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


def split_mri_validation(x_train, y_train, x_test, fraction=0.1, seed=0):
    """Hold out a stratified validation set from the training images, free of leaks.

    Model selection (the best epoch) needs images that are neither trained on
    nor part of the test set. Some scans occur more than once, so an image
    goes to validation only if no identical copy exists elsewhere in the
    training set or in the test set: choosing on the validation set then
    never peeks at an image that is trained on or tested.

    Parameters
    ----------
    x_train : ndarray of shape (N, H, W)
    y_train : ndarray of shape (N,), int
    x_test : ndarray of shape (M, H, W)
        Only used to find the training images that also occur in the test set.
    fraction : float, default=0.1
        Share of each class to hold out (rounded to whole images).
    seed : int, default=0
        Seeds the draw (a local generator; numpy's global state is untouched).

    Returns
    -------
    x_fit : ndarray of shape (N - V, H, W);  y_fit : ndarray of shape (N - V,)
    x_val : ndarray of shape (V, H, W);  y_val : ndarray of shape (V,)
    """
    if not 0 < fraction < 1:
        raise ValueError(f"fraction must be between 0 and 1 (exclusive), got {fraction!r}; "
                         "use e.g. 0.1")
    if len(x_train) != len(y_train):
        raise ValueError(f"x_train and y_train must have the same length, got {len(x_train)} "
                         f"and {len(y_train)}")
    # Only images that occur once in the training set and never in the test set
    # may be held out, so no copy of a validation image is trained on or tested.
    keys = [image.tobytes() for image in x_train]
    copies = Counter(keys)
    in_test = {image.tobytes() for image in x_test}
    eligible = np.array([copies[key] == 1 and key not in in_test for key in keys])
    rng = np.random.default_rng(seed)
    val = np.zeros(len(y_train), dtype=bool)
    for label in np.unique(y_train):
        candidates = np.flatnonzero((y_train == label) & eligible)
        wanted = round(fraction * np.sum(y_train == label))
        val[rng.choice(candidates, size=min(wanted, len(candidates)), replace=False)] = True
    return x_train[~val], y_train[~val], x_train[val], y_train[val]


def load_macbeth_text(path=MACBETH_FILE, part="course"):
    """Return part of the Project Gutenberg #1533 text of Macbeth.

    The file ships in ``data/macbeth``. Only when it is missing is it
    downloaded (and saved there) with ``requests``, the way the course reads it.

    Parameters
    ----------
    path : path-like, default=data/macbeth/1533-0.txt
    part : {"course", "play"}, default="course"
        Which stretch of the file to return; see ``macbeth_part``.

    Returns
    -------
    str
    """
    if part not in MACBETH_PARTS:
        raise ValueError(f"part must be one of {MACBETH_PARTS}, got {part!r}")
    path = Path(path)
    if path.exists():
        return macbeth_part(path.read_text(encoding="utf-8-sig"), part, path)
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
    return macbeth_part(response.text, part, path)


def macbeth_part(raw, part="course", source="the text"):
    """Cut the course's corpus, or the play alone, out of the whole Gutenberg file.

    Both parts start right after the ``*** START OF ... ***`` marker.

    - ``"course"`` ends at the book number of the footer line "This file
      should be named 1533-0.txt", so it keeps the END marker's words and
      "1533". Cleaned, it reproduces the course notebook's corpus exactly:
      102,176 characters, 37 symbols (its digits 1, 3 and 5 come from that
      number) and x of shape (102146, 30).
    - ``"play"`` ends before the ``*** END OF ... ***`` marker: the play
      with no Gutenberg words, 102,102 characters and 34 symbols once cleaned.

    Raises ``ValueError`` naming ``source`` when a needed marker is missing.
    """
    start, end = GUTENBERG_START.search(raw), GUTENBERG_END.search(raw)
    if start is None or end is None or end.start() < start.end():
        raise ValueError(f"{source} has no Project Gutenberg START/END markers; pass the whole "
                         "Gutenberg file, or clean a plain text with preprocess_text_data directly")
    if part == "play":
        return raw[start.end():end.start()]
    file_name = GUTENBERG_FILE_NAME.search(raw, end.end())
    if file_name is None:
        raise ValueError(f"{source} has no footer line 'This file should be named ...-0.txt', "
                         "so the course's corpus cannot be cut from it; use part='play'")
    return raw[start.end():file_name.end(1)]


def clean_text(text):
    """Apply the course's cleaning rules, in order.

    1. lower-case; 2. collapse every whitespace run (newlines included) to one
    space; 3. drop every character outside ``a-z 0-9 . , ! ? ' " ; : -``;
    4. collapse repeats of ``. , ! ?`` ("!!" -> "!"); 5. remove spaces before
    ``. , ! ? ; :`` and put one after them when a letter or digit follows;
    6. collapse the spaces step 3 left doubled and strip both ends.
    """
    text = re.sub(r"\s+", " ", text.lower())
    text = TEXT_DROP.sub("", text)
    text = DOUBLED_PUNCTUATION.sub(r"\1", text)
    text = SPACE_BEFORE_PUNCTUATION.sub(r"\1", text)
    text = GLUED_AFTER_PUNCTUATION.sub(r"\1 ", text)
    return re.sub(r" +", " ", text).strip()


def preprocess_text_data(text, sequence_len=30, step=1):
    """Turn a text into (window, next character) pairs for character-level models.

    With ``sequence_len=4`` the text "macbeth" gives the windows "macb",
    "acbe", "cbet" and the targets "e", "t", "h".

    Parameters
    ----------
    text : str
        The text to learn, cleaned here by ``clean_text``.
    sequence_len : int, default=30
        Characters in each input window.
    step : int, default=1
        Offset between the starts of consecutive windows.

    Returns
    -------
    dict with keys
        x : ndarray of shape (S, sequence_len), float32, character indices
        y : ndarray of shape (S, 1), float32, index of the next character
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
    codes = np.array([char_indices[c] for c in cleaned], dtype=np.float32)
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
