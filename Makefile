# The two commands of the README: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
QT69 := .venv-qt69
BIN := $(VENV)/bin
PIP_FLAGS := --quiet --disable-pip-version-check

.PHONY: run test lint unit ui-qt69 sysdeps venv bench clean

run: sysdeps venv
	@if [ -z "$$DISPLAY$$WAYLAND_DISPLAY" ] && command -v xvfb-run >/dev/null; then \
	  echo "No display: starting the demo under Xvfb (set DISPLAY to see the window)."; \
	  xvfb-run -a $(BIN)/python main.py --demo; \
	else $(BIN)/python main.py --demo; fi

test: sysdeps venv lint unit ui-qt69

sysdeps:
	@bash tools/sysdeps.sh

venv: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install $(PIP_FLAGS) --upgrade pip
	$(BIN)/pip install $(PIP_FLAGS) -e '.[dev,pdfcheck]'
	@touch $@

lint: venv
	$(BIN)/ruff check .
	$(BIN)/mypy

# Most of the non-window tests wait (platform servers, subprocesses, kills, fsync): four workers
# share the two cores well. A file stays on one worker (loadfile), so its module fixtures (a platform
# server, a demo folder) are made once.
# The window's tests run in their own process: after the several hundred other tests (servers,
# threads, subprocesses) PySide6 6.11 in the same process lost queued signals and crashed. They
# run one release at a time: the 6.11 and 6.9 runs side by side saved a minute and a half of
# nine, and under that load one crashed (a segfault in processEvents) and one timed out a dialog.
unit: venv
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest -q -n 4 --dist loadfile --durations=15 --ignore=tests/ui
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest -q tests/ui

# UOS 20 / Kylin V10 can run no PySide6 newer than 6.9 (glibc 2.28): the UI tests run there too.
ui-qt69: $(QT69)/.installed
	QT_QPA_PLATFORM=offscreen $(QT69)/bin/pytest -q tests/ui; rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "no UI tests collected"; rc=0; fi; exit $$rc
$(QT69)/.installed: pyproject.toml
	$(PYTHON) -m venv $(QT69)
	$(QT69)/bin/pip install $(PIP_FLAGS) --upgrade pip
	$(QT69)/bin/pip install $(PIP_FLAGS) -e '.[dev]' 'PySide6-Essentials==6.9.*'
	@$(QT69)/bin/python -c 'import PySide6; assert PySide6.__version__.startswith("6.9"), PySide6.__version__'
	@touch $@

bench: venv
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/case_list.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/responsiveness.py
	$(BIN)/python bench/sync.py
	$(BIN)/python bench/pipeline.py
	$(BIN)/python bench/amend.py
	$(BIN)/python bench/camera_preview.py
	$(BIN)/python bench/encryption.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/intake_keys.py
	$(BIN)/python bench/item_search.py

clean:
	rm -rf $(VENV) $(QT69) .pytest_cache .mypy_cache .ruff_cache
