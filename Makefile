# The two commands a newcomer needs: `make run` and `make test`; `make lab` for the trainer's own notebooks.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8866
LAB_PORT ?= 8888
PIP_INSTALL := $(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock

.PHONY: run test test-lowest check mutate lab bench lint install install-test chromium axe namespaces lock clean i18n

# What a trainer's `motives` does: the demo session in an empty store, the server open to the room (the
# team pages on this laptop's network; RUN_ARGS=--local keeps it on the laptop), the browser at the home.
run: $(VENV)/.installed-run
	$(BIN)/motives start --port $(PORT) $(RUN_ARGS)

# JupyterLab on notebooks/ with the store `make run` uses (MOTIVES_DB, else the default file), on this
# laptop only and with a token (it prints the URL that carries it): `motives lab`, on the checkout's own
# notebooks instead of the trainer's copies. It asks nothing of the internet (tests/ui/test_lab.py checks).
lab: $(VENV)/.installed-run
	$(BIN)/motives lab --folder notebooks --port $(LAB_PORT) --no-browser

# The whole suite, as CI runs it. Tests that need no browser and no load of their own run two at a
# time (pytest-xdist); the browser tests, the load tests (marked slow) and the notebooks run one
# after another, because each of them measures or waits on the machine's two cores.
test: $(VENV)/.installed-test chromium axe namespaces lint
	$(BIN)/python -m pytest -n 2 -m "not slow" --ignore=tests/ui tests
	$(BIN)/python -m pytest -m slow --durations=5 --ignore=tests/ui tests
	$(BIN)/python -m pytest --nbval-lax --durations=15 tests/ui notebooks
	$(MAKE) test-lowest

# The fast tests once more, on the oldest release of each dependency that pyproject.toml accepts
# (scripts/lowest-constraints), in a virtual environment of their own on the oldest Python it accepts.
LOWEST := .venv-lowest
LOWEST_PYTHON ?= python3.11
test-lowest: $(LOWEST)/.installed
	$(LOWEST)/bin/python -m pytest -n 2 -m "not slow" -p no:cacheprovider --ignore=tests/ui tests

$(LOWEST)/.installed: $(VENV)/.installed-test pyproject.toml setup.py requirements.lock scripts/lowest-constraints
	@command -v $(LOWEST_PYTHON) >/dev/null || { echo "make test-lowest needs $(LOWEST_PYTHON), the oldest Python the app accepts (pyenv install 3.11)" >&2; exit 1; }
	rm -rf $(LOWEST)
	$(LOWEST_PYTHON) -m venv $(LOWEST)
	$(BIN)/python scripts/lowest-constraints > $(LOWEST)/constraints.txt
	$(LOWEST)/bin/python -m pip install --quiet --disable-pip-version-check -c $(LOWEST)/constraints.txt -e '.[test]'
	@touch $@

# The inner loop while changing code (about 35 s on two cores): lint, the type checker, then the tests that are
# not slow (no browser, load, database server, subprocess or whole-app pass of each odd input). make test runs all.
check: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/python -m pytest -n 2 -q -m "not slow" -k "not postgresql" --ignore=tests/ui --ignore=tests/test_cli.py tests

# Mutation testing of the guards (docs/testing.md): slow (about 75 minutes on two cores), not part of
# make test. MUTANTS names what to mutate: the value checks, the matching, the tally, the grouping, the
# store's write paths and the team page's lock and reveal guards. MUTANTS="motives.text*" for one module.
STORE_WRITES := _bump _update_session _restore_team add_compared_session add_own_motive create_session delete_session join \
	link_own_motives record_failed_join remove_own_motive remove_team set_answer set_conclusion set_locked \
	set_revealed start_timer stop_timer update_own_motive restore_session
TEAM_GUARDS := _follow look show_looked show_locked end show_comparison controls
MUTANTS ?= "motives.validate*" "motives.text*" "motives.models*" "motives.tally*" "motives.grouping*" \
	$(foreach f,$(STORE_WRITES),"motives.store.xǁStoreǁ$(f)__mutmut_*") \
	$(foreach f,$(TEAM_GUARDS),"motives.widgets.team.xǁWorksheetǁ$(f)__mutmut_*")
mutate: $(VENV)/.installed-test
	rm -rf mutants
	$(BIN)/mutmut run $(MUTANTS)
	$(BIN)/mutmut export-cicd-stats
	@cat mutants/mutmut-cicd-stats.json

# Not part of make test: timings belong in a benchmark, not in a test.
bench: $(VENV)/.installed-test chromium
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)
	$(BIN)/python benchmarks/bytes.py
	$(BIN)/python benchmarks/many_sessions.py
	$(BIN)/python benchmarks/own_motives.py
	$(BIN)/python benchmarks/grouping.py
	$(BIN)/python benchmarks/server_share.py
	$(BIN)/python benchmarks/revealed.py
	$(BIN)/python benchmarks/reflect_notebook.py
	$(BIN)/python benchmarks/home.py
	$(BIN)/python benchmarks/first_minute.py
	$(BIN)/python benchmarks/connections.py
	$(BIN)/python benchmarks/connections.py --pgbouncer
	$(BIN)/python benchmarks/connections.py --service 4
	$(BIN)/python benchmarks/organisation.py

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

# After adding or removing a message: extract the keys the code uses with pybabel and update every
# catalogue in motives/locale (scripts/i18n-update says how); then fill in the new entries' msgstr.
# tests/test_i18n.py runs the same extraction (scripts/i18n-update --check).
i18n: $(VENV)/.installed-test
	$(BIN)/python scripts/i18n-update

chromium:
	@scripts/ensure-chromium

axe:
	@scripts/ensure-axe

# The room test (tests/ui/test_room.py) plays a phone on a network of its own: network namespaces, iproute2's `ip`.
namespaces:
	@scripts/ensure-iproute2

install: $(VENV)/.installed-run
install-test: $(VENV)/.installed-test

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-run: $(VENV)/bin/python pyproject.toml setup.py requirements.lock
	$(PIP_INSTALL) -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/bin/python pyproject.toml setup.py requirements.lock
	$(PIP_INSTALL) -e '.[test]'
	@touch $@ $(VENV)/.installed-run

# After changing pyproject.toml: reinstall from scratch and record every version.
lock:
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	{ sed -n '1,3p' requirements.lock; $(BIN)/python -m pip freeze --exclude-editable; } > requirements.lock.new
	mv requirements.lock.new requirements.lock

clean:
	rm -rf $(VENV) $(LOWEST) screenshots .pytest_cache .ruff_cache .mypy_cache *.egg-info tests/ui/node_modules
