"""requirements.txt and environment.yml must pin the same packages at the same versions."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Conda and PyPI spell a few packages differently; compare under the PyPI name.
CONDA_TO_PYPI = {"pytorch": "torch"}
NOT_PACKAGES = {"python", "pip"}


def parse_requirements(text):
    """Return {name: version} from ``name==version`` lines, ignoring comments."""
    pins = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([^\s;]+)", line)
        if match is None:
            raise ValueError(f"requirements.txt line is not an exact pin (name==version): {line!r}")
        pins[match[1].lower()] = match[2]
    return pins


def parse_environment(text):
    """Return {name: version} from the conda and pip dependency lists of environment.yml."""
    pins = {}
    for line in text.splitlines():
        match = re.fullmatch(r"\s*-\s*([A-Za-z0-9_.\-]+)\s*(==|=)\s*([^\s#]+)\s*(#.*)?", line)
        if match is None:
            continue
        name = match[1].lower()
        pins[CONDA_TO_PYPI.get(name, name)] = match[3]
    return {name: version for name, version in pins.items() if name not in NOT_PACKAGES}


def pin_mismatches(requirements, environment):
    """List human-readable differences between two {name: version} maps."""
    problems = []
    for name in sorted(set(requirements) | set(environment)):
        req, env = requirements.get(name), environment.get(name)
        if req != env:
            problems.append(f"{name}: requirements.txt has {req}, environment.yml has {env}")
    return problems


def test_requirements_and_environment_agree():
    requirements = parse_requirements((ROOT / "requirements.txt").read_text())
    environment = parse_environment((ROOT / "environment.yml").read_text())
    assert "torch" in requirements and "torchvision" in requirements
    assert pin_mismatches(requirements, environment) == []


@pytest.mark.parametrize(
    "environment, expected",
    [
        ("  - numpy=2.0.0\n", ["numpy: requirements.txt has 2.4.6, environment.yml has 2.0.0"]),
        ("", ["numpy: requirements.txt has 2.4.6, environment.yml has None"]),
        ("  - numpy=2.4.6\n  - scipy=1.0\n", ["scipy: requirements.txt has None, environment.yml has 1.0"]),
    ],
)
def test_mismatches_are_reported(environment, expected):
    assert pin_mismatches({"numpy": "2.4.6"}, parse_environment(environment)) == expected


def test_loose_requirement_is_rejected():
    with pytest.raises(ValueError, match="not an exact pin"):
        parse_requirements("numpy>=2\n")
