"""Export an executed notebook to a US Letter PDF without touching the network.

The route: nbconvert's lab HTML template, with Debian's MathJax 2 (package
libjs-mathjax) in place of the CDN copy and every image inlined as a data URI,
printed by headless Chromium. Print CSS fixes the page to Letter portrait and
wraps long code and output lines instead of clipping them. After printing, the
PDF is checked with poppler-utils (page size, leftover TeX, image count).

Run:  python scripts/export_pdf.py HW4.ipynb -o HW4.pdf
"""
import argparse
import os
import re
import signal
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import jinja2
import nbformat
from nbconvert import HTMLExporter

INSTALL_HINT = (
    "install with: apt-get install --no-install-recommends "
    "chromium poppler-utils libjs-mathjax (Debian packages; install them as root)"
)
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
MATHJAX_CANDIDATES = (
    Path("/usr/share/javascript/mathjax/MathJax.js"),
    Path("/usr/share/nodejs/mathjax/MathJax.js"),
)
# CHTML output keeps equations as (selectable) text; "Safe" stops notebook TeX
# from injecting links or styles (nbconvert's CDN default loads it too).
MATHJAX_CONFIG = "TeX-AMS_CHTML-full,Safe"
LETTER_PT = (612.0, 792.0)  # 8.5 x 11 in at 72 pt per inch
# MathJax typesets after the load event; Chromium prints once this much virtual
# time has passed. Virtual time skips idle waits, so a generous budget is cheap.
VIRTUAL_TIME_BUDGET_MS = 30000

PRINT_CSS = """
@page { size: Letter portrait; margin: 0.5in; }
/* Paper cannot scroll sideways: wrap long lines rather than clip them. */
.jp-InputArea, .jp-InputArea-editor, .jp-OutputArea-output, .jp-RenderedHTMLCommon {
  overflow: visible !important;
}
pre, .highlight pre, .jp-RenderedText pre {
  white-space: pre-wrap !important;
  overflow-wrap: anywhere;
  overflow: visible !important;
}
/* 9.5 in is the page height less its margins, so no figure is cut at a page break. */
img, svg { max-width: 100%; max-height: 9.5in; height: auto; }
.jp-OutputArea-output img, .jp-RenderedImage { break-inside: avoid; }
.jp-RenderedHTMLCommon table { font-size: 0.85em; }
"""

# The lab template also pulls require.js and mermaid from a CDN; a printed
# notebook needs neither, so those blocks are emptied.
TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block html_head_css -%}
<style type="text/css">""" + PRINT_CSS + """</style>
{%- endblock html_head_css -%}
"""

REMOTE_RESOURCE = re.compile(r"""<(?:script|link|img)\b[^>]*\b(?:src|href)=["']https?://""", re.I)


class MissingToolError(RuntimeError):
    """A system tool the export needs is not installed."""


def find_chromium():
    """Return the path of a Chromium-family browser, or None."""
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


def find_mathjax():
    """Return the local MathJax 2 entry script, or None."""
    for path in MATHJAX_CANDIDATES:
        if path.is_file():
            return path
    return None


def require_tool(name, path):
    """Return `path`, or raise MissingToolError naming `name` and the install command."""
    if path is None:
        raise MissingToolError(f"{name} not found; {INSTALL_HINT}")
    return path


def notebook_to_html(notebook_path, mathjax_js):
    """Render a notebook as self-contained print HTML.

    Parameters
    ----------
    notebook_path : Path
        The .ipynb file; relative image links in markdown resolve against its folder.
    mathjax_js : Path
        Local MathJax 2 `MathJax.js`.

    Returns
    -------
    str
        HTML whose only external references are file:// URLs to MathJax.
    """
    notebook_path = Path(notebook_path).resolve()
    exporter = HTMLExporter(
        extra_loaders=[jinja2.DictLoader({"print_letter.html.j2": TEMPLATE})],
        template_file="print_letter.html.j2",
        embed_images=True,
        mathjax_url=f"{Path(mathjax_js).resolve().as_uri()}?config={MATHJAX_CONFIG}",
    )
    resources = {"metadata": {"path": str(notebook_path.parent), "name": notebook_path.stem}}
    html, _ = exporter.from_notebook_node(nbformat.read(notebook_path, as_version=4), resources)
    remote = REMOTE_RESOURCE.search(html)
    if remote:
        raise ValueError(
            f"the notebook loads a remote resource ({remote.group(0)}...); "
            "offline export needs every image and script to be local"
        )
    return html


def html_to_pdf(html_path, pdf_path, chromium, timeout=180):
    """Print an HTML file to PDF with headless Chromium, with networking disabled.

    Raises RuntimeError (with Chromium's stderr) when no PDF is produced in
    `timeout` seconds.
    """
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        command = [
            chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", f"--user-data-dir={profile}",
            # Any host lookup fails, so a stray remote URL cannot be fetched.
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--no-pdf-header-footer", "--run-all-compositor-stages-before-draw",
            f"--virtual-time-budget={VIRTUAL_TIME_BUDGET_MS}",
            f"--print-to-pdf={Path(pdf_path).resolve()}",
            Path(html_path).resolve().as_uri(),
        ]
        Path(pdf_path).unlink(missing_ok=True)
        # A session of its own lets a timeout kill the renderer and helper
        # processes too, not only the browser process.
        with subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              text=True, start_new_session=True) as browser:
            try:
                _, stderr = browser.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(browser.pid, signal.SIGKILL)
                browser.communicate()
                raise RuntimeError(f"chromium did not print within {timeout} s") from None
    if not Path(pdf_path).is_file() or Path(pdf_path).stat().st_size == 0:
        raise RuntimeError(f"chromium wrote no PDF (exit {browser.returncode}):\n{stderr[-2000:]}")


def count_notebook_images(notebook_path):
    """Count the raster images a reader sees: image outputs and markdown images.

    SVG outputs are left out: Chromium draws them as vector paths, not images.
    """
    nb = nbformat.read(notebook_path, as_version=4)
    count = 0
    for cell in nb.cells:
        if cell.cell_type == "code":
            count += sum(
                1 for out in cell.get("outputs", [])
                if {"image/png", "image/jpeg"} & set(out.get("data", {}))
            )
        elif cell.cell_type == "markdown":
            count += len(re.findall(r"!\[[^\]]*\]\([^)]+\)|<img\b", cell.source))
    return count


def _run_poppler(tool, *args):
    """Run a poppler-utils command and return its stdout."""
    path = require_tool(tool, shutil.which(tool))
    return subprocess.run([path, *args], capture_output=True, text=True, check=True).stdout


def page_sizes(pdf_path):
    """Return [(width_pt, height_pt), ...], one pair per page, read by pdfinfo."""
    pages = int(re.search(r"^Pages:\s+(\d+)", _run_poppler("pdfinfo", str(pdf_path)), re.M)[1])
    info = _run_poppler("pdfinfo", "-f", "1", "-l", str(pages), str(pdf_path))
    sizes = re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info, re.M)
    return [(float(w), float(h)) for w, h in sizes]


def count_pdf_images(pdf_path):
    """Count drawn images in a PDF (pdfimages -list rows of type `image`; masks excluded)."""
    rows = _run_poppler("pdfimages", "-list", str(pdf_path)).splitlines()[2:]
    return sum(1 for row in rows if row.split()[2] == "image")


def check_pdf(pdf_path, expected_images):
    """Return a list of problems with an exported PDF (empty when it meets the bar).

    The bar: every page is Letter portrait (612 x 792 pt), no TeX source is left
    in the text (MathJax ran), and at least `expected_images` images are drawn.
    """
    problems = []
    sizes = page_sizes(pdf_path)
    wrong = [(i + 1, size) for i, size in enumerate(sizes) if size != LETTER_PT]
    if not sizes or wrong:
        problems.append(f"pages not {LETTER_PT[0]:g} x {LETTER_PT[1]:g} pt: {wrong or 'no pages'}")
    text = _run_poppler("pdftotext", str(pdf_path), "-")
    for tex in ("$$", "\\frac"):
        if tex in text:
            problems.append(f"unrendered TeX {tex!r} in the PDF text: MathJax did not finish")
    images = count_pdf_images(pdf_path)
    if images < expected_images:
        problems.append(f"expected {expected_images} images from the notebook, PDF has {images}")
    return problems


def export_pdf(notebook_path, pdf_path, keep_html=False):
    """Export `notebook_path` to `pdf_path`; return the path of the PDF.

    Raises MissingToolError when Chromium or MathJax is not installed.
    """
    chromium = require_tool("chromium", find_chromium())
    mathjax = require_tool("MathJax 2 (libjs-mathjax)", find_mathjax())
    pdf_path = Path(pdf_path)
    html = notebook_to_html(notebook_path, mathjax)
    with tempfile.TemporaryDirectory(prefix="nb-print-") as workdir:
        html_path = Path(workdir) / f"{Path(notebook_path).stem}.html"
        html_path.write_text(html, encoding="utf-8")
        html_to_pdf(html_path, pdf_path, chromium)
        if keep_html:
            shutil.copy(html_path, pdf_path.with_suffix(".html"))
    return pdf_path


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook", type=Path, help="executed .ipynb to export")
    parser.add_argument("-o", "--output", type=Path, help="PDF path (default: beside the notebook)")
    parser.add_argument("--keep-html", action="store_true", help="also keep the HTML that was printed")
    parser.add_argument("--no-check", action="store_true", help="skip the poppler-utils checks")
    args = parser.parse_args(argv)
    if not args.notebook.is_file():
        parser.error(f"notebook {args.notebook} not found; execute it first (python scripts/run_notebook.py HW4.ipynb)")
    output = args.output or args.notebook.with_suffix(".pdf")
    try:
        export_pdf(args.notebook, output, keep_html=args.keep_html)
        problems = [] if args.no_check else check_pdf(output, count_notebook_images(args.notebook))
    except (RuntimeError, ValueError) as error:  # MissingToolError included
        print(f"export_pdf: {error}", file=sys.stderr)
        return 1
    for problem in problems:
        print(f"export_pdf: {problem}", file=sys.stderr)
    pages = len(page_sizes(output)) if shutil.which("pdfinfo") else "?"
    print(f"wrote {output} ({pages} pages)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
