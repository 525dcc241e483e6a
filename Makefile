# The two commands of the README are `make run` and `make test`; the rest serve them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml 2>/dev/null | cksum | cut -d' ' -f1)

.PHONY: run test lint format bench lock install migrate seed compose-check clean

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

install: $(STAMP) ## virtual environment from the lock file

run: install ## migrate, seed demo data and start every service behind one URL (Ctrl-C stops)
	$(BIN)/python deploy/local/run.py

migrate: install ## bring every service's database to its newest migration
	$(BIN)/python deploy/local/run.py --migrate-only

test: install lint ## the whole test suite (set TEST_DATABASE_URL for PostgreSQL)
	$(BIN)/pytest --cov --cov-report=term

lint: install ## formatting, lint rules and the import-linter boundaries
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install ## benchmarks, each printed as a ratio to a ceiling measured in the same run
	$(BIN)/python -m bench

compose-check: install ## validate docker-compose.yml, the Dockerfile, nginx and k8s manifests
	$(BIN)/pytest tests/deploy

lock: ## re-resolve requirements.lock from pyproject.toml
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o requirements.lock

clean:
	rm -rf var .pytest_cache .ruff_cache
