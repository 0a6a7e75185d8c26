# docflow — one entry point for people. Every target installs what it needs first.
SHELL := /bin/bash
.DEFAULT_GOAL := help

UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
RUN := $(UV) run --frozen

.PHONY: help install system-packages run broker demo eval train test test-unit lint format bench chaos schemas images clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

# postgresql: server binaries for the throwaway cluster the PostgreSQL store's tests start.
# prometheus: promtool and the server the monitoring tests start on a loopback port (in a
# container, policy-rc.d keeps the package's own service from starting at install).
# chromium: the browser the review page's tests drive through Playwright.
DEBIAN_PACKAGES := tesseract-ocr-eng postgresql prometheus chromium

install: system-packages ## install uv (if missing) and every workspace package into .venv
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 \
		|| python3 -m pip install --quiet --disable-pip-version-check uv
	@$(UV) sync --frozen --all-packages --quiet

system-packages: ## Debian packages the services and tests need (OCR language data, PostgreSQL, Prometheus)
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages: $$missing"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

run: install ## start the local broker and every service on the embedded defaults (Ctrl-C stops)
	$(RUN) python -m docflow_tools.run

broker: install ## only the local broker, with every topic
	$(RUN) python -m docflow_tools.broker

test: install ## all tests; integration tests start their own broker
	$(RUN) pytest

test-unit: install ## the tests that need no broker
	$(RUN) pytest -m "not connected"

lint: install ## ruff and strict mypy
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) mypy

format: install ## apply ruff's fixes and formatting
	$(RUN) ruff check --fix .
	$(RUN) ruff format .

# Evaluations and benchmarks read CORPUS if given, else ../shared/corpus, else samples/.
CORPUS_ARG = $(if $(CORPUS),--corpus $(CORPUS))

bench: install ## benchmarks on a real broker: runtime, results store, extract, whole pipeline
	$(RUN) python -m docflow_tools.bench.runtime
	$(RUN) python -m docflow_tools.bench.results
	$(RUN) python -m docflow_tools.bench.extract $(CORPUS_ARG)
	$(RUN) python -m docflow_tools.bench.pipeline $(CORPUS_ARG)

demo: install ## post sample documents to a running `make run` and print their records
	$(RUN) python -m docflow_tools.demo

# EVAL_ARGS passes options on, e.g. EVAL_ARGS="--part all --json eval.json" (--help lists all).
eval: install ## the pipeline's decisions on the development documents, per field; CORPUS=dir to choose
	$(RUN) python -m docflow_tools.eval $(CORPUS_ARG) $(EVAL_ARGS)

# TRAIN_ARGS passes options on, e.g. TRAIN_ARGS="--folds 10 --workers 1" (--help lists all).
train: install ## fit the field scorer (invoices, receipts, agreements' dates and parties) on development documents; writes the model and its report
	$(RUN) python -m docflow_tools.train $(CORPUS_ARG) $(TRAIN_ARGS)

# CHAOS_ARGS sizes the chaos run, e.g. CHAOS_ARGS="--documents 50 --rate 2 --seed 7" (--help lists all).
chaos: install ## make run under faults while documents flow: nothing lost, nothing stuck (a few minutes)
	$(RUN) python -m docflow_tools.chaos $(CHAOS_ARGS)

schemas: install ## export the event JSON Schemas (refuses backward-incompatible changes)
	$(RUN) docflow-events-schemas export

# Images: one per service from Dockerfile (extract's target adds Tesseract's data).
IMAGE_SERVICES := ingest extract validate enrich store tracker notify reconciler
IMAGE_REGISTRY ?= ghcr.io/docflow
IMAGE_TAG ?= 0.1.0
DOCKER ?= docker

images: ## build every service's container image (needs a running Docker engine)
	@command -v $(DOCKER) >/dev/null 2>&1 && timeout 5 $(DOCKER) info >/dev/null 2>&1 || { \
		echo "make images: no Docker engine answers here ('$(DOCKER) info' failed within 5 s); no image was built" >&2; \
		exit 1; }
	@set -e; for service in $(IMAGE_SERVICES); do \
		target=service; [ "$$service" = extract ] && target=extract; \
		echo "building $(IMAGE_REGISTRY)/docflow-$$service:$(IMAGE_TAG) (target $$target)"; \
		$(DOCKER) build -f Dockerfile --target $$target --build-arg SERVICE=$$service \
			--build-arg VERSION=$(IMAGE_TAG) --build-arg REVISION=$$(git rev-parse --short HEAD 2>/dev/null || echo unknown) \
			-t $(IMAGE_REGISTRY)/docflow-$$service:$(IMAGE_TAG) .; \
	done

clean: ## remove local state (.docflow/) and caches
	rm -rf .docflow .pytest_cache .mypy_cache .ruff_cache
