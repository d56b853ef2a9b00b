# The two commands: `make demo` and `make test`. Both set up .venv on first use.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
# Maya 2022's pair (Python 3.7 + PySide2 5.15) for the in-host code, when this machine has 3.7.
PY37 ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/3.7*/bin/python3.7) $(wildcard /usr/bin/python3.7) $(wildcard /usr/local/bin/python3.7))
# Blender 5.1+ (bpy 5.3) runs Python 3.13: the add-on's tests again there, when this
# machine has 3.13.
PY313 ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3.13) $(shell command -v python3.13 2>/dev/null))
VENV := .venv
VENV37 := .venv37
VENV313 := .venv313
# The official SDK (rayvision-api pins requests 2.23) in a venv of its own, to show the
# local farm answers it too (tests/localfarm/test_farm_official_sdk.py).
VENVSDK := .venv-sdk
BIN := $(VENV)/bin
# The official transmitter binaries (setup.py's "transfer" extra), without the SDK's pins:
# tests/workflow/test_transmitter_real.py runs the real Linux binary.
TRANSFER_BINARIES := rayvision_sync==3.1.8

.PHONY: all venv venv37 venv313 test test311 test37 test313 demo bench farm bundle clean \
	blender-extension

all: test

$(BIN)/.installed: setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[qt,test,blender]"
	$(BIN)/python -m pip install -q --no-deps $(TRANSFER_BINARIES)
	touch $@

venv: $(BIN)/.installed

$(VENV37)/bin/.installed: setup.py
	$(PY37) -m venv $(VENV37)
	$(VENV37)/bin/python -m pip install -q -e ".[qt,test]"
	$(VENV37)/bin/python -m pip install -q --no-deps $(TRANSFER_BINARIES)
	touch $@

venv37: $(VENV37)/bin/.installed

$(VENV313)/bin/.installed: setup.py
	$(PY313) -m venv $(VENV313)
	$(VENV313)/bin/python -m pip install -q --upgrade pip
	$(VENV313)/bin/python -m pip install -q -e ".[qt,test]" "bpy==5.3.*"
	touch $@

venv313: $(VENV313)/bin/.installed

test: test311 test37 test313

$(VENVSDK)/bin/.installed:
	$(PYTHON) -m venv $(VENVSDK)
	$(VENVSDK)/bin/python -m pip install -q rayvision-api
	touch $@

test311: venv $(VENVSDK)/bin/.installed
	RAYVISION_SDK_PYTHON=$(abspath $(VENVSDK)/bin/python) $(BIN)/python -m pytest -q tests

# The core, job, host-adapter and panel tests again on Python 3.7 with PySide2; the local
# farm they talk to runs on .venv's Python 3.11 (RAYVISION_FARM_PYTHON).
test37:
ifeq ($(PY37),)
	@echo "SKIPPED: no Python 3.7 on this machine; the in-host tests ran on $$($(BIN)/python -V) only"
else
	$(MAKE) venv37
	RAYVISION_FARM_PYTHON=$(abspath $(BIN)/python) $(VENV37)/bin/python -m pytest -q -m "not py311" tests/api tests/job tests/hosts tests/workflow tests/ui tests/test_files.py
endif

# The Blender add-on on the newest Blender (bpy 5.3, Python 3.13).
test313:
ifeq ($(PY313),)
	@echo "SKIPPED: no Python 3.13 on this machine; the Blender add-on ran on bpy $$($(BIN)/python -c 'import bpy; print(bpy.app.version_string)') only"
else
	$(MAKE) venv313
	$(VENV313)/bin/python -m pytest -q tests/blender tests/hosts/test_blender_scan.py tests/localfarm/test_farm_render_bpy.py
endif

# The Blender extension zips, one per platform, with their wheels (PySide6 included).
blender-extension: venv
	$(BIN)/python blender/build_extension.py --qt --output dist/blender

demo: venv
	$(BIN)/python -m rayvision_dcc.cli.demo

bench: venv
	$(BIN)/python benchmarks/run.py

farm: venv
	$(BIN)/rayvision-dcc farm serve

# One offline bundle per platform (dist/bundle/rayvision-dcc-<version>-<os>.zip): the
# installer, the host packages and wheels for every host Python, from the package index.
# PLATFORMS="--platform linux" for one.
bundle: venv
	$(BIN)/python installer/make_bundle.py --out dist/bundle $(PLATFORMS)

clean:
	rm -rf $(VENV) $(VENV37) $(VENV313) $(VENVSDK) build *.egg-info .pytest_cache
