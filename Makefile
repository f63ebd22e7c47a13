# HW4: the two commands a newcomer needs are `make notebook` and `make test`.
# Both create (or refresh) the virtual environment in .venv first.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: test notebook smoke bench pdf clean-venv

# The stamp is older than requirements.txt whenever the pins change, which
# triggers a reinstall into the same venv.
$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

test: $(STAMP)
	$(BIN)/python -m pytest

notebook: $(STAMP)
	$(BIN)/python scripts/run_notebook.py HW4.ipynb

smoke: $(STAMP)
	HW4_SMOKE=1 $(BIN)/python scripts/run_notebook.py HW4.ipynb --no-save

clean-venv:
	rm -rf $(VENV)
