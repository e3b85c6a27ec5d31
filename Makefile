# make run  - set everything up and generate every example campaign into output/
# make test - set everything up and run ruff, mypy and the test suite
# make bench - measure speed and memory (benchmarks/)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
READY := $(VENV)/.ready

.PHONY: run test lint bench clean system

$(READY): pyproject.toml scripts/system-packages.sh
	bash scripts/system-packages.sh
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(READY)

run: $(READY)
	$(BIN)/advocacy generate campaigns/*.yaml

lint: $(READY)
	$(BIN)/ruff check .
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

# Speed and memory, side by side with the simple path and a docxtpl + LibreOffice mail
# merge (about half an hour on 2 cores); then planning 100,000 constituents.
bench: $(READY)
	$(BIN)/python benchmarks/generate_speed.py
	$(BIN)/python benchmarks/plan_constituents.py

clean:
	rm -rf $(VENV) output
