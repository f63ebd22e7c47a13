"""Tests for scripts/export_pdf.py: the executed notebook becomes a Letter PDF offline.

The export runs once per module on tests/fixtures/pdf_sample.ipynb (TeX in
markdown, a long code line and output line, two figures, a printed table and a
markdown attachment) plus one markdown cell linking an image file by relative
path. The checks read the PDF with poppler-utils directly rather than through
the script's own checker. Without Chromium, MathJax or poppler-utils the
export tests skip and name the install command.
"""
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import numpy as np
import pytest
from matplotlib import pyplot as plt

from scripts import export_pdf

FIXTURE = Path(__file__).parent / "fixtures" / "pdf_sample.ipynb"
LETTER_PT = (612.0, 792.0)  # 8.5 x 11 in; written out here, not taken from the script
POPPLER = ("pdfinfo", "pdftotext", "pdfimages")
EXTRA_EQUATIONS = 150
INSTALL = "apt-get install --no-install-recommends chromium poppler-utils libjs-mathjax"


def _skip_without_tools():
    """Skip, naming what is missing and how to install it, unless every tool is present."""
    missing = [tool for tool in POPPLER if shutil.which(tool) is None]
    if export_pdf.find_chromium() is None:
        missing.append("chromium")
    if export_pdf.find_mathjax() is None:
        missing.append("MathJax 2 (libjs-mathjax)")
    if missing:
        pytest.skip(f"PDF export needs {', '.join(missing)}; install with: {INSTALL} "
                    "(or `make system-deps` as root)")


def _run(*command):
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def _raster_outputs(nb):
    """Image outputs of code cells plus markdown image links, counted from the notebook JSON."""
    outputs = sum(1 for cell in nb.cells if cell.cell_type == "code"
                  for out in cell.outputs if "image/png" in out.get("data", {}))
    links = sum(cell.source.count("![") + cell.source.count("<img ")
                for cell in nb.cells if cell.cell_type == "markdown")
    return outputs + links


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """Export the fixture plus an image linked by relative path (markdown and
    HTML) and many equations.

    Returns (notebook, pdf path, exit code of the script's main).
    """
    _skip_without_tools()
    workdir = tmp_path_factory.mktemp("pdf")
    rng = np.random.default_rng(0)
    plt.imsave(workdir / "diagram.png", rng.random((40, 60)), cmap="gray")
    nb = nbformat.read(FIXTURE, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("A linked file: ![diagram](diagram.png)"))
    nb.cells.append(nbformat.v4.new_markdown_cell('Sized by HTML: <img src="diagram.png" width="200">'))
    # Enough equations that MathJax typesets in several timed chunks: printing
    # at the load event (no virtual-time wait) often leaves TeX source in these.
    nb.cells.extend(
        nbformat.v4.new_markdown_cell(
            f"Step {i}: $\\frac{{a_{{{i}}}}}{{b}}$ and "
            f"$$\\sum_{{k=1}}^{{{i}}} \\frac{{x_k^2}}{{\\sqrt{{k + {i}}}}} = \\int_0^1 f_{{{i}}}(t)\\,dt$$"
        )
        for i in range(1, EXTRA_EQUATIONS + 1)
    )
    notebook = workdir / "sample.ipynb"
    nbformat.write(nb, notebook)
    pdf = workdir / "sample.pdf"
    code = export_pdf.main([str(notebook), "-o", str(pdf)])
    return nb, pdf, code


def test_export_succeeds_and_self_check_passes(exported):
    _, pdf, code = exported
    assert code == 0
    assert pdf.read_bytes().startswith(b"%PDF")


def test_every_page_is_letter_portrait(exported):
    _, pdf, _ = exported
    pages = int(re.search(r"^Pages:\s+(\d+)", _run("pdfinfo", str(pdf)), re.M)[1])
    info = _run("pdfinfo", "-f", "1", "-l", str(pages), str(pdf))
    sizes = [(float(w), float(h))
             for w, h in re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info, re.M)]
    assert len(sizes) == pages >= 1
    assert all(size == LETTER_PT for size in sizes), sizes


def test_equations_are_typeset(exported):
    _, pdf, _ = exported
    text = _run("pdftotext", str(pdf), "-")
    for tex in ("$$", "\\frac", "\\sum", "\\mathcal", "$\\sigma"):
        assert tex not in text, f"TeX source {tex!r} left in the PDF text"
    # MathJax's fonts turn the TeX into real symbols.
    assert "∑" in text and "σ" in text


def test_all_figures_present(exported):
    nb, pdf, _ = exported
    rows = _run("pdfimages", "-list", str(pdf)).splitlines()[2:]
    images = [row for row in rows if row.split()[2] == "image"]
    # 2 plots + 1 attachment in the fixture, + 2 relative links added above.
    assert _raster_outputs(nb) == 5
    assert len(images) == _raster_outputs(nb)


def _longest_line(text):
    return max(text.splitlines(), key=len)


def _squeeze(text):
    """Drop all whitespace, since wrapping moves text onto new lines."""
    return re.sub(r"\s+", "", text)


def test_long_lines_wrap_instead_of_clipping(exported):
    nb, pdf, _ = exported
    cell = next(c for c in nb.cells if "END-OF-LONG-CODE-LINE" in c.source)
    code_line, output_line = _longest_line(cell.source), _longest_line(cell.outputs[0].text)
    assert len(code_line) > 150 and len(output_line) > 150  # wider than a Letter page
    text = _squeeze(_run("pdftotext", str(pdf), "-"))
    assert _squeeze(code_line) in text
    assert _squeeze(output_line) in text
    # A clipped line would also leave words past the right edge of the page.
    bbox = _run("pdftotext", "-bbox", str(pdf), "-")
    right_edges = [float(x) for x in re.findall(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)"', bbox)]
    assert right_edges and max(right_edges) <= LETTER_PT[0]


def test_html_is_offline(tmp_path):
    fake_mathjax = tmp_path / "MathJax.js"
    fake_mathjax.write_text("")
    html = export_pdf.notebook_to_html(FIXTURE, fake_mathjax)
    assert fake_mathjax.as_uri() in html
    sources = re.findall(r"""<(?:script|link|img)\b[^>]*\b(?:src|href)=["']([^"']+)""", html)
    assert sources and all(s.startswith(("file://", "data:")) for s in sources), sources


def test_remote_image_is_refused(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_markdown_cell("![remote](https://example.org/figure.png)"))
    notebook = tmp_path / "remote.ipynb"
    nbformat.write(nb, notebook)
    with pytest.raises(ValueError, match="remote resource"):
        export_pdf.notebook_to_html(notebook, tmp_path / "MathJax.js")


def test_missing_chromium_names_the_install_command(monkeypatch, tmp_path):
    monkeypatch.setattr(export_pdf, "find_chromium", lambda: None)
    with pytest.raises(export_pdf.MissingToolError, match="apt-get install .*chromium"):
        export_pdf.export_pdf(FIXTURE, tmp_path / "out.pdf")
