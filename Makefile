# HW4: the two commands a newcomer needs are `make notebook` and `make test`.
# Both create (or refresh) the virtual environment in .venv first.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: test notebook smoke bench pdf system-deps clean-venv

# The stamp is older than requirements.txt whenever the pins change, which
# triggers a reinstall into the same venv.
$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

test: system-deps $(STAMP)
	$(BIN)/python -m pytest

notebook: $(STAMP)
	$(BIN)/python scripts/run_notebook.py HW4.ipynb

smoke: $(STAMP)
	HW4_SMOKE=1 $(BIN)/python scripts/run_notebook.py HW4.ipynb --no-save

# Speed and accuracy figures quoted in README.md (several minutes; run on an idle machine).
bench: $(STAMP)
	for part in nn svm cnn rnn; do $(BIN)/python -m bench.$${part}_bench || exit 1; done

# Debian packages for `make pdf` and its test: headless Chromium prints the
# notebook's HTML, libjs-mathjax typesets its equations offline, and
# poppler-utils checks the PDF.
SYSTEM_PACKAGES := chromium poppler-utils libjs-mathjax

# Installs only what is missing, and only as root with apt-get; elsewhere it
# says what is missing and carries on (the PDF test then skips, naming it).
system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "system-deps: installing$$missing"; \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      --no-install-recommends$$missing >/dev/null; } \
	  || echo "system-deps: apt-get failed for$$missing; the PDF test will skip"; \
	else \
	  echo "system-deps: not installed (needs root and apt-get):$$missing; the PDF export and its test will skip"; \
	fi

# The executed notebook as a US Letter PDF: `make pdf NOTEBOOK=other.ipynb`
# exports another one beside it.
NOTEBOOK ?= HW4.ipynb
pdf: system-deps $(STAMP)
	$(BIN)/python scripts/export_pdf.py $(NOTEBOOK) -o $(NOTEBOOK:.ipynb=.pdf)

clean-venv:
	rm -rf $(VENV)
