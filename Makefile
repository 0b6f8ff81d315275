# cxanalysis: `make help` lists the targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CONFIG ?= data/sample/client.yml

.DEFAULT_GOAL := help
.PHONY: help book test validate sample clean

help: ## List the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

book: $(STAMP) ## Create the environment and build the book (CONFIG=..., default the sample client)
	$(BIN)/cxanalysis build $(CONFIG)

test: $(STAMP) ## Create the environment and run every test
	$(BIN)/python -m pytest

validate: $(STAMP) ## Check a client's config and data without building (CONFIG=...)
	$(BIN)/cxanalysis validate $(CONFIG)

sample: $(STAMP) ## Regenerate the sample client's data files
	$(BIN)/cxanalysis sample

clean: ## Remove build output (keeps the environment)
	rm -rf _build
