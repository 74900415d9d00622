# Every target creates what it needs: `make demo` and `make test` work on a fresh Debian machine.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: setup system helm-cli demo test lint bench clean

# the demo needs only Pilothouse and its Wasm runtime; the tests add their oracles and toolchains
$(BIN)/pilot: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[wasm]'
	touch $(BIN)/pilot

$(VENV)/.test-extras: $(BIN)/pilot pyproject.toml
	$(BIN)/pip install -q -e '.[wasm,test]'
	touch $(VENV)/.test-extras

setup: $(VENV)/.test-extras

demo: $(BIN)/pilot system
	./scripts/demo.sh

system:
	./scripts/setup-system.sh

helm-cli: setup
	./scripts/setup-helm-cli.sh

test: setup system helm-cli
	./scripts/test.sh

lint: setup
	$(BIN)/ruff check src tests benchmarks

bench: setup
	$(BIN)/python benchmarks/render_vs_helm.py

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
