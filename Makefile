# Two commands do all the set-up on a fresh clone (Python 3.11+ and pip only):
#   make serve   build and serve the demo shared memory on http://127.0.0.1:8000/
#   make test    run the whole test suite
# (make test-pure-yaml runs the parsing tests again with PyYAML's pure-Python loader; CI runs both)
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: serve test test-pure-yaml public bench check clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

serve: $(STAMP)
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

# One worker per CPU (pytest-xdist); each test file stays on one worker, so its module fixtures
# (a built site) are built once. `$(BIN)/python -m pytest` runs the same tests in one process.
PARALLEL = -n auto --dist loadfile

test: $(STAMP)
	$(BIN)/python -m pytest $(PARALLEL)

# The tests that parse front matter, again with the pure-Python YAML loader (COPMEM_PURE_YAML=1):
# libyaml and the pure loader differ in their limits and wording. tests/test_frontmatter.py is not
# here: it runs every test with both loaders already.
PARSING_TESTS = tests/test_loader.py tests/test_fields.py tests/test_review.py tests/test_properties.py tests/test_several_problems.py
test-pure-yaml: $(STAMP)
	COPMEM_PURE_YAML=1 $(BIN)/python -m pytest $(PARSING_TESTS)

public: $(STAMP)
	$(BIN)/copmem build --public -d site-public

check: $(STAMP)
	$(BIN)/copmem check content

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf site site-public .pytest_cache

# --- Second host: ProperDocs without MkDocs (see the README's "Hosts") ---------------------------
# The suite again in its own venv, with ProperDocs serving the plugin. Material requires
# mkdocs, so mkdocs is uninstalled after the install: `pip check` reports that by design.
# The browser tests are left to `make test`: ProperDocs writes the same HTML as MkDocs (only
# the generator meta tag differs), while the host's command, strict mode, the golden builds and
# the prepared tree all run here; `make test-properdocs BROWSER=1` runs them too (~90 s).
# Test files that never load a host (parsing, drawing, checks across files, the pre-commit hook's
# `copmem check`): they ran in `make test` and would run the same code again here. A new test
# file runs on both hosts unless it is listed.
HOST_FREE_TESTS = tests/test_charts.py tests/test_describe.py tests/test_fields.py tests/test_links.py \
  tests/test_loader.py tests/test_matrix_markup.py tests/test_measures.py tests/test_memo.py \
  tests/test_periods.py tests/test_properties.py tests/test_render.py tests/test_reports.py \
  tests/test_sanitize.py tests/test_several_problems.py tests/test_targets.py tests/test_unsafe_html.py \
  tests/test_value_case.py tests/test_value_review.py tests/test_views.py tests/test_frontmatter.py \
  tests/test_precommit_hook.py
PD_VENV  ?= .venv-properdocs
PD_STAMP  = $(PD_VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: test-properdocs

$(PD_STAMP): pyproject.toml
	$(PYTHON) -m venv $(PD_VENV)
	$(PD_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(PD_VENV)/bin/python -m pip install --quiet -e ".[test,properdocs]"
	$(PD_VENV)/bin/python -m pip uninstall --quiet --yes mkdocs
	# Zensical builds the prepared tree in tests/test_prepare.py (pinned: newer releases do not install here).
	$(PD_VENV)/bin/python -m pip install --quiet "zensical==0.0.73" || echo "Zensical did not install: its test is skipped"
	rm -f $(PD_VENV)/.installed-*
	touch $(PD_STAMP)

test-properdocs: $(PD_STAMP)
	@if $(PD_VENV)/bin/python -c "import mkdocs" 2>/dev/null; then \
	  echo "MkDocs is importable in $(PD_VENV): this leg must run on ProperDocs alone"; exit 1; fi
	$(PD_VENV)/bin/python -m pytest $(PARALLEL) $(if $(BROWSER),,-m "not browser") $(addprefix --ignore=,$(HOST_FREE_TESTS))
# --- end of the second host ------------------------------------------------------------------------
