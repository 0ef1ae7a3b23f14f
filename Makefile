# geo-storymap: the few commands a developer or CI needs (GNU make).
#   make run     serve the Streamlit page on http://$(ADDRESS):$(PORT)
#   make test    run the test suite (browser tests need `make chromium`)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT    ?= 8501
ADDRESS ?= 127.0.0.1
PYTEST_ARGS ?=

.PHONY: venv run test bench chromium clean distclean

# The stamp is newer than pyproject.toml once the venv holds what it declares.
venv: $(VENV)/.stamp

$(VENV)/.stamp: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $@

run: venv
	$(BIN)/streamlit run app.py --server.headless true --server.address $(ADDRESS) \
		--server.port $(PORT) --browser.gatherUsageStats false --server.enableStaticServing true

# pytest exits 5 when it collects no tests; make treats that as the failure it is.
test: venv
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: venv
	$(BIN)/python bench/run.py
	$(BIN)/python bench/scaling.py

# Debian's Chromium: Playwright's own browser download does not work offline.
chromium:
	@if [ -x /usr/bin/chromium ]; then echo "chromium: /usr/bin/chromium is installed"; else \
		sudo=$$([ "$$(id -u)" -eq 0 ] || echo sudo); \
		$$sudo apt-get update && \
		$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; fi

clean:
	rm -rf .pytest_cache .hypothesis build *.egg-info artifacts
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
