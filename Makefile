# Two entry points for a fresh machine (Python >= 3.11 and make):
#   make reproduce   install, fetch the raw files, build every table, execute the notebooks
#   make test        install, fetch the raw files, run the tests, doctests and notebooks (nbval)
#   make figures     draw every chart into figures/ (SVG and PNG) from the library, without notebooks
#   make site        render the static HTML site into build/site (notebooks with their stored outputs)
# Set CEASEFIRE_STATS_MIRROR=DIR to import the raw files from a local folder instead of
# downloading them (CI points it at ../shared/data).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install fetch build figures findings notebooks test reproduce lint bench clean site lab

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

fetch: install
	$(BIN)/ceasefire-stats fetch

build: fetch
	$(BIN)/ceasefire-stats build

figures: build
	$(BIN)/ceasefire-stats figures

notebooks: build
	$(BIN)/ceasefire-stats notebooks

# fetch -> build -> figures -> notebooks -> site, then a one-screen summary
# the README's findings section, computed from the tables (a test fails when it is out of date)
findings: build
	$(BIN)/python -m ceasefire_stats.reports.findings README.md

reproduce: figures notebooks findings
	$(BIN)/ceasefire-stats render
	$(BIN)/ceasefire-stats summary

site: install
	$(BIN)/ceasefire-stats render

# JupyterLab in the project's environment, opened on the notebooks: the project's kernel
# (ceasefire-stats, the one every notebook declares) registered in .venv first; as root (a
# container), Jupyter refuses to start without --allow-root
KERNEL := ceasefire-stats
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)
lab: build
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name $(KERNEL) > /dev/null
	$(BIN)/jupyter lab --notebook-dir=notebooks $(ALLOW_ROOT)

# the tables are built first, so the notebooks (which load them) run on current tables exactly
# as when their outputs were recorded; two pytest workers (pytest-xdist), each test file (each
# notebook's cells, in order, in one kernel) on one worker
test: build
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n 2 --dist loadfile --nbval --nbval-current-env \
		--nbval-sanitize-with notebooks/nbval_sanitize.cfg

lint: install
	$(BIN)/ruff check .

bench: build
	for b in benchmarks/bench_*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) data/processed/*.parquet data/processed/*.json data/processed/current data/processed/previous \
		data/processed/generations
