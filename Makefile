# edgarfacts: build, run on the bundled fixtures, test, benchmark.
# The release build of DuckDB is slow (~30 min on 2 cores): keep the target directory
# outside the work tree so every clone on this machine reuses it.
CARGO_TARGET_DIR ?= $(HOME)/.cache/edgarfacts-target
export CARGO_TARGET_DIR
BIN := $(CARGO_TARGET_DIR)/release/edgarfacts
DB  ?= warehouse.duckdb

.PHONY: build run test bench fuzz accuracy clean-db

build:
	cargo build --release

# Load the bundled fixtures into $(DB) and print what was loaded and one statement.
# (fixtures/synthetic/bad holds deliberately broken files: the load reports them and exits 1,
# "some inputs failed", which is expected here; any other failure stops the target)
run: build
	$(BIN) load fixtures/seeds fixtures/synthetic --db $(DB) || [ $$? -eq 1 ]
	@echo
	$(BIN) query --db $(DB) "SELECT form_type, company_name, period_of_report, n_tables, n_facts, source_file FROM filings ORDER BY source_file"
	@echo
	@echo "Balance sheet of American Locker Group, December 31, 2003 (from the 10-K):"
	$(BIN) query --db $(DB) "SELECT row_label, value, unit, concept, line FROM v_facts WHERE source_file = '002_ca836c439cf71e0b.txt' AND statement = 'balance' AND period_end = DATE '2003-12-31' ORDER BY fact_id"

# Every test, in the release profile (one DuckDB build serves build, run and test).
test:
	cargo test --release

# Scores of the seeds and the dev set with ../shared/eval/score.py
accuracy: build
	rm -f /tmp/edgarfacts-acc.duckdb /tmp/edgarfacts-dev.duckdb
	$(BIN) load -q fixtures/seeds --db /tmp/edgarfacts-acc.duckdb
	$(BIN) export --db /tmp/edgarfacts-acc.duckdb --to /tmp/edgarfacts-acc.csv
	python3 ../shared/eval/score.py fixtures/gold /tmp/edgarfacts-acc.csv
	-$(BIN) load -q ../shared/devset/filings --db /tmp/edgarfacts-dev.duckdb
	$(BIN) export --db /tmp/edgarfacts-dev.duckdb --to /tmp/edgarfacts-dev.csv
	python3 ../shared/eval/score.py ../shared/devset/gold /tmp/edgarfacts-dev.csv --partial

# Throughput on a generated corpus of 1,000 filings (~160 MB): see bench/run.py
bench: build
	BIN=$(BIN) python3 bench/run.py

# Longer fuzz pass over mutated and generated filings (CI runs a short one in make test)
fuzz:
	PROPTEST_CASES=$${PROPTEST_CASES:-2000} cargo test --release --test reliability never_panic

clean-db:
	rm -f $(DB) $(DB).wal

# Real clients against every export (tests/clients/): the Python duckdb package of the crate's
# DuckDB version and pyarrow (in a venv), the sqlite3 shell and LibreOffice headless (Debian
# packages, as root). A client that cannot be installed makes its tests skip, saying why.
CLIENTS_VENV ?= $(HOME)/.cache/edgarfacts-clients-venv
# libduckdb-sys 1.XYYZZ.n bundles DuckDB X.YY.ZZ (1.20000.1 -> 2.0.0)
DUCKDB_VERSION ?= $(or $(shell awk -F'"' '/^name = "libduckdb-sys"/{getline; split($$2,v,"."); m=v[2]; \
	printf "%d.%d.%d", int(m/10000), int(m/100)%100, m%100}' Cargo.lock 2>/dev/null),2.0.0)
.PHONY: test-clients
test-clients: build
	test -x $(CLIENTS_VENV)/bin/python || python3 -m venv $(CLIENTS_VENV)
	$(CLIENTS_VENV)/bin/pip install --quiet --disable-pip-version-check duckdb==$(DUCKDB_VERSION) pyarrow \
		|| echo "pip install failed: the DuckDB and pyarrow client tests will skip"
	command -v sqlite3 >/dev/null || { apt-get update -qq && apt-get install -y -qq sqlite3; } \
		|| echo "sqlite3 not installed: its client test will skip"
	command -v soffice >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui; } \
		|| echo "LibreOffice not installed: its client test will skip"
	$(CLIENTS_VENV)/bin/python tests/clients/run.py --bin $(BIN)
