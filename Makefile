# callq: `make run` serves the whole service, `make test` runs the whole suite.
PYTHON ?= python3
VENV   ?= .venv
PORT   ?= 5000
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Message catalogs: .po files are committed, their .mo files are built here (and ignored by git).
CATALOGS := $(wildcard translations/*/LC_MESSAGES/messages.po)
EXTRACT  := -F babel.cfg -k _say -k say:2 -k N_plural:1,2 -c "Translators:" --sort-by-file \
	--project=callq --copyright-holder="callq contributors" --msgid-bugs-address=support@callq.invalid

.PHONY: run test lint bench eval install clean browser catalogs messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $(STAMP)

install: $(STAMP) catalogs

# Each catalog compiled when its .po changed; a message missing a translation or with other
# placeholders fails the tests (tests/unit/test_catalogs.py), not this step.
catalogs: $(CATALOGS:.po=.mo)

translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po | $(STAMP)
	$(BIN)/pybabel compile --statistics -D messages -l $* -i $< -o $@

# After changing user-facing text: extract every message, merge the catalogs, then translate
# what is new or changed (an untranslated or fuzzy entry makes `make test` fail).
messages: $(STAMP)
	$(BIN)/pybabel extract $(EXTRACT) -o translations/messages.pot .
	$(BIN)/pybabel update -D messages -i translations/messages.pot -d translations \
	  --ignore-obsolete --width=100

run: $(STAMP) catalogs
	$(BIN)/callq db upgrade
	@test -f instance/.demo-loaded || ($(BIN)/callq demo && touch instance/.demo-loaded)
	$(BIN)/callq serve --host 127.0.0.1 --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check callq webhooks scheduling tests bench wsgi.py
	$(BIN)/mypy
	$(BIN)/lint-imports

# The browser tests drive Debian's Chromium (Playwright cannot download browsers here).
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
	  && (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
	  >/dev/null 2>&1; } || echo "chromium not installed: the browser tests will say so"

test: $(STAMP) catalogs lint browser
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Need classification on the labelled corpus (tests/data), development and held-out parts.
eval: $(STAMP)
	$(BIN)/callq eval-needs $(EVAL_ARGS)

bench: $(STAMP)
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
