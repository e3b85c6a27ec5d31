# make run         - set everything up and generate every example campaign into output/
# make test        - set everything up and run ruff, mypy and the test suite
# make lock        - refresh uv.lock to the newest releases pyproject.toml allows (on purpose only)
# make test-latest - the whole suite on the newest allowed releases, in .venv-latest/
# make bench       - measure speed and memory (benchmarks/)
#
# Every environment is installed from uv.lock (exact versions, with hashes), so every
# machine tests the same program. uv itself is pinned and kept in .uv/.
PYTHON ?= python3
UV_VERSION := 0.13.9
UV := .uv/bin/uv
VENV := .venv
BIN := $(VENV)/bin
READY := $(VENV)/.ready
LATEST := .venv-latest
# Never download a Python: use the machine's own.
export UV_PYTHON_DOWNLOADS := never
# Compile every module once (pip does by default; uv only when asked): where
# PYTHONDONTWRITEBYTECODE is set, each process would otherwise compile all it imports
# again, a second or more per process on this machine.
export UV_COMPILE_BYTECODE := 1
COMPILE = $(1)/bin/python -m compileall -q advocacy > /dev/null

.PHONY: run test lint bench clean lock test-latest

$(UV):
	$(PYTHON) -m venv .uv
	.uv/bin/python -m pip install -q --disable-pip-version-check uv==$(UV_VERSION)

$(READY): uv.lock pyproject.toml scripts/system-packages.sh | $(UV)
	bash scripts/system-packages.sh
	UV_PROJECT_ENVIRONMENT=$(VENV) $(UV) sync --locked --extra dev --python $(PYTHON)
	touch $(READY)

run: $(READY)
	$(call COMPILE,$(VENV))
	$(BIN)/advocacy generate campaigns/*.yaml

lint: $(READY)
	$(BIN)/ruff check .
	$(BIN)/mypy

test: lint
	$(call COMPILE,$(VENV))
	$(BIN)/pytest -n auto --dist loadfile

lock: $(UV)
	$(UV) lock --upgrade --python $(PYTHON)

test-latest: $(UV)
	bash scripts/system-packages.sh
	rm -rf $(LATEST)
	$(UV) venv -q $(LATEST) --python $(PYTHON)
	$(UV) pip install -q --python $(LATEST)/bin/python --upgrade -e '.[dev]'
	$(UV) pip list --python $(LATEST)/bin/python
	$(LATEST)/bin/ruff check .
	$(LATEST)/bin/mypy
	$(call COMPILE,$(LATEST))
	$(LATEST)/bin/pytest -n auto --dist loadfile

# Speed and memory, side by side with the simple path and a docxtpl + LibreOffice mail
# merge (about half an hour on 2 cores); then planning 100,000 constituents.
bench: $(READY)
	$(call COMPILE,$(VENV))
	$(BIN)/python benchmarks/generate_speed.py
	$(BIN)/python benchmarks/plan_constituents.py

clean:
	rm -rf $(VENV) $(LATEST) .uv output
