# trustlive — everything a newcomer needs: `make demo` starts it, `make test` tests it.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
HOST   ?= 127.0.0.1
PORT   ?= 8000
CHROMIUM ?= /usr/bin/chromium
PYTEST_ARGS ?=

.PHONY: install demo serve test test-browser check messages bench bench-postgres bench-sim bench-scores clean

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "trustlive needs Python 3.11 or newer")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)  ## start the demo marketplace on SQLite, with demo data
	$(BIN)/trustlive demo --host $(HOST) --port $(PORT)

serve: $(STAMP)
	$(BIN)/trustlive db upgrade && $(BIN)/trustlive serve --host $(HOST) --port $(PORT)

# Browser tests drive Debian's Chromium; without it `make test` runs the rest and says so loudly.
test: $(STAMP)  ## run the test suite (SQLite; TRUSTLIVE_TEST_DATABASE_URL for PostgreSQL)
	@if [ -x "$(CHROMIUM)" ]; then $(BIN)/pytest $(PYTEST_ARGS); else \
	  $(BIN)/pytest -m "not browser" $(PYTEST_ARGS); status=$$?; \
	  echo "NOTE: browser tests NOT run: $(CHROMIUM) is missing. Install it (apt-get install chromium) and run make test-browser."; \
	  exit $$status; fi

test-browser: $(STAMP)  ## the browser tests alone (needs /usr/bin/chromium; fails without it)
	$(BIN)/pytest -m browser $(PYTEST_ARGS)

check: $(STAMP)  ## lint, types, and the import contracts between contexts
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

# Texts for translators: extract every _(), N_() and t() into the template, merge into each
# catalogue (new texts come untranslated; the i18n test lists them). The app compiles the
# catalogues itself when it starts: nothing to compile by hand.
messages: $(STAMP)  ## extract page and problem texts, update src/trustlive/locale/*/messages.po
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k t -k TL.t --no-wrap --sort-by-file \
	  --project trustlive -o src/trustlive/locale/messages.pot .
	$(BIN)/pybabel update -i src/trustlive/locale/messages.pot -d src/trustlive/locale \
	  --no-wrap --no-fuzzy-matching

bench: $(STAMP)
	$(BIN)/python bench/order_placement.py --db sqlite

bench-postgres: $(STAMP)
	$(BIN)/python bench/order_placement.py --db postgres

bench-sim: $(STAMP)
	$(BIN)/python bench/simulate.py
bench-scores: $(STAMP)  ## full score recompute over 1,000,000 generated orders, and live latency
	$(BIN)/python bench/score_recompute.py --db sqlite

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache trustlive-demo.db*
