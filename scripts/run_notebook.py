"""Execute a notebook top to bottom in a fresh kernel and save its outputs in place.

Usage: python scripts/run_notebook.py HW4.ipynb [--no-save]

This is what `make notebook` runs. The kernel starts in the notebook's folder
with this interpreter, so the modules and data/ resolve as they do in Jupyter.
Set HW4_SMOKE=1 for the shortened run the tests use.
"""

import argparse
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def execute(path, save=True):
    """Run every cell of the notebook at ``path``; return the executed notebook."""
    path = Path(path).resolve()
    if not path.exists():
        raise FileNotFoundError(f"Notebook not found: {path}")
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=None,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    if save:
        # Write to a sibling file first so an interrupted save never truncates the notebook.
        partial = path.with_suffix(".ipynb.partial")
        nbformat.write(notebook, partial)
        partial.replace(path)
    return notebook


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook", type=Path)
    parser.add_argument("--no-save", action="store_true", help="execute without writing outputs back")
    args = parser.parse_args()
    start = time.perf_counter()
    execute(args.notebook, save=not args.no_save)
    print(f"Executed {args.notebook} in {time.perf_counter() - start:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
