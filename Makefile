# dealflow: `make run` serves the app with demo data on SQLite; `make test` runs the suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test install assets bench clean

$(BIN)/dealflow: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/dealflow assets

assets:
	@if [ -f web/package.json ]; then cd web && npm ci --no-audit --no-fund && npm run --silent build; fi
	@if ls web/translations/*/LC_MESSAGES/*.po >/dev/null 2>&1; then $(BIN)/pybabel -q compile -d web/translations; fi

run: install
	$(BIN)/dealflow init
	$(BIN)/dealflow demo
	$(BIN)/dealflow serve --host $(HOST) --port $(PORT)

test: install
	$(BIN)/pytest -q

bench: install
	$(BIN)/python bench/engine.py

clean:
	rm -rf $(VENV) web/node_modules web/static/vendor .pytest_cache
