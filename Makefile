# cxanalysis: `make help` lists the targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CONFIG ?= data/sample/client.yml

.DEFAULT_GOAL := help
.PHONY: help book pdf teaching test test-fast lint format browser validate sample messages clean

help: ## List the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

book: $(STAMP) ## Create the environment and build the book (CONFIG=..., default the sample client)
	$(BIN)/cxanalysis build $(CONFIG)

pdf: $(STAMP) browser ## Build the book and its PDF (<slug>-report.pdf beside html/)
	$(BIN)/cxanalysis build --pdf $(CONFIG)

teaching: $(STAMP) ## Build the teaching edition: code behind toggles, method notes open, exercises
	$(BIN)/cxanalysis build --teaching $(CONFIG)

# Tests run on two cores (pytest-xdist), each module's on one worker; the few that assert wall-clock
# time run alone afterwards.
PARALLEL := -n 2 --dist loadfile

test: $(STAMP) browser ## Create the environment, install the browser if missing, and run every test
	$(BIN)/python -m pytest $(PARALLEL) -m "not timing" --durations=40
	$(BIN)/python -m pytest -m timing

test-fast: $(STAMP) ## Run every test but the slow ones (notebooks, book builds, install): about four minutes
	$(BIN)/python -m pytest $(PARALLEL) -m "not slow and not timing" -q
	$(BIN)/python -m pytest -m "timing and not slow" -q

lint: $(STAMP) ## Check style (ruff) and types (mypy)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

format: $(STAMP) ## Format the code and apply ruff's safe fixes
	$(BIN)/ruff check --fix src tests benchmarks
	$(BIN)/ruff format src tests benchmarks

browser: ## Install headless Chromium (Debian's chromium package) if missing: the PDF and browser tests use it
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  echo "Installing Debian's chromium package (for the PDF and the browser tests) ..."; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

validate: $(STAMP) ## Check a client's config and data without building (CONFIG=...)
	$(BIN)/cxanalysis validate $(CONFIG)

sample: $(STAMP) ## Regenerate the sample client's data files
	$(BIN)/cxanalysis sample

# The report's messages: extracted from the package and the chapters' code cells (babel.cfg) into the template,
# then added, untranslated, to each language's catalogue. The template has no header and is sorted, so running
# this again without a new message changes nothing. The keywords match translation.EXTRACT_KEYWORDS.
LOCALE := src/cxanalysis/locale
MESSAGE_LANGUAGES := nb da sv
KEYWORDS := --no-default-keywords -k _ -k gettext -k ngettext:1,2 -k plural:2,3 -k N_

messages: $(STAMP) ## Extract the report's messages and add new ones, untranslated, to the nb, da and sv catalogues
	$(BIN)/pybabel --quiet extract -F babel.cfg $(KEYWORDS) --add-comments=Translators: --omit-header --sort-output \
	  -o $(LOCALE)/cxanalysis.pot .
	@for lang in $(MESSAGE_LANGUAGES); do \
	  if [ -f $(LOCALE)/$$lang/LC_MESSAGES/cxanalysis.po ]; then \
	    $(BIN)/pybabel --quiet update --ignore-pot-creation-date -i $(LOCALE)/cxanalysis.pot -d $(LOCALE) -D cxanalysis -l $$lang; \
	  else \
	    $(BIN)/pybabel --quiet init -i $(LOCALE)/cxanalysis.pot -d $(LOCALE) -D cxanalysis -l $$lang; \
	  fi; \
	done
	$(BIN)/python -c "from cxanalysis.translation import update_page_catalogues; update_page_catalogues()"

clean: ## Remove build output (keeps the environment)
	rm -rf _build
