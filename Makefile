# edgarfacts: build, run on the bundled fixtures, test, benchmark.
# The release build of DuckDB is slow (~30 min on 2 cores): keep the target directory
# outside the work tree so every clone on this machine reuses it.
CARGO_TARGET_DIR ?= $(HOME)/.cache/edgarfacts-target
export CARGO_TARGET_DIR
BIN := $(CARGO_TARGET_DIR)/release/edgarfacts
DB  ?= warehouse.duckdb

.PHONY: build run test bench accuracy clean-db

build:
	cargo build --release

# Load the bundled fixtures into $(DB) and print what was loaded and one statement.
run: build
	$(BIN) load fixtures/seeds fixtures/synthetic --db $(DB)
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

bench:
	@echo "benchmarks: see issue 'Performance and scale' (not yet implemented)"

clean-db:
	rm -f $(DB) $(DB).wal
