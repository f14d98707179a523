//! The binary as a user runs it: load, query, export (the facts contract), tables,
//! exit codes and error messages.

mod common;

use common::root;
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_edgarfacts"))
}

fn seeds() -> Vec<String> {
    ["002_ca836c439cf71e0b.txt", "003_9546893661c5e793.txt"].iter().map(|f| root().join("fixtures/seeds").join(f).display().to_string()).collect()
}

#[test]
fn load_query_export_contract() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.duckdb");
    let out = bin().arg("load").args(seeds()).arg("--db").arg(&db).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("loaded 2 filing(s)"), "{err}");

    let q = bin().args(["query", "SELECT count(*) AS n FROM filings", "--format", "csv", "--db"]).arg(&db).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&q.stdout).trim(), "n\r\n2".trim());

    let csv_path = dir.path().join("facts out.csv");
    let e = bin().args(["export", "--to"]).arg(&csv_path).arg("--db").arg(&db).output().unwrap();
    assert!(e.status.success(), "{}", String::from_utf8_lossy(&e.stderr));
    let mut rdr = csv::Reader::from_path(&csv_path).unwrap();
    let header: Vec<String> = rdr.headers().unwrap().iter().map(|s| s.to_string()).collect();
    let contract = [
        "filing_id", "source_file", "line", "table_id", "table_title", "statement", "row_label", "column_label", "concept", "period_type",
        "period_start", "period_end", "value", "unit", "entity_id", "entity_name", "cik", "form_type",
    ];
    assert_eq!(&header[..contract.len()], &contract, "facts export contract, in order");
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 970);
    for r in &rows {
        let v = &r[12];
        assert!(!v.contains(',') && !v.contains('e') && !v.contains('E'), "plain decimal: {v}");
        assert!(r[10].is_empty() || r[10].len() == 10, "ISO date");
    }
    // the scorer runs on it
    let py = Command::new("python3").arg(root().join("../shared/eval/score.py")).arg(root().join("fixtures/gold")).arg(&csv_path).output();
    if let Ok(py) = py {
        if py.status.success() {
            let text = String::from_utf8_lossy(&py.stdout);
            eprintln!("{text}");
            assert!(text.contains("recall_financial   100.0"), "{text}");
        }
    }
}

#[test]
fn reload_replaces_and_json_query() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.duckdb");
    for _ in 0..2 {
        let out = bin().arg("load").args(seeds()).arg("--db").arg(&db).output().unwrap();
        assert!(out.status.success());
    }
    let q = bin().args(["query", "SELECT count(*) AS facts FROM facts", "--format", "json", "--db"]).arg(&db).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&q.stdout).unwrap();
    assert_eq!(v[0]["facts"], 970, "loading twice leaves the same facts");
    let skip = bin().arg("load").args(seeds()).arg("--skip-existing").arg("--db").arg(&db).output().unwrap();
    assert!(String::from_utf8_lossy(&skip.stderr).contains("2 already loaded"));
}

#[test]
fn env_var_names_the_warehouse() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("env.duckdb");
    let out = bin().arg("load").arg(&seeds()[1]).env("EDGARFACTS_DB", &db).output().unwrap();
    assert!(out.status.success());
    assert!(db.exists());
    let q = bin().args(["query", "SELECT form_type FROM filings", "--format", "markdown"]).env("EDGARFACTS_DB", &db).output().unwrap();
    let text = String::from_utf8_lossy(&q.stdout);
    assert!(text.contains("| form_type |") && text.contains("| 10-Q |"), "{text}");
}

#[test]
fn tables_explains_every_table() {
    let out = bin().arg("tables").arg(&seeds()[1]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("\"Consolidated Balance Sheets\" [balance]"), "{text}");
    assert!(text.contains("\"Consolidated Statements of Cash Flows\" [cash_flow]"));
    assert!(text.contains("NINE MONTHS ENDED SEPTEMBER 30, 2002"));
    let json = bin().arg("tables").arg(&seeds()[1]).args(["--table", "1", "--format", "json"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v[0]["table"]["title"], "Consolidated Balance Sheets");
    assert!(v[0]["facts"].as_array().unwrap().len() > 20);
}

#[test]
fn bad_inputs_give_exit_1_and_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.duckdb");
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, b"").unwrap();
    let out = bin().arg("load").arg(&empty).arg(&seeds()[1]).arg(dir.path().join("missing.txt")).arg("--db").arg(&db).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("empty.txt: empty file"), "{err}");
    assert!(err.contains("missing.txt: no such file"), "{err}");
    assert!(err.contains("loaded 1 filing(s)"), "the good file still loads: {err}");
    let q = bin().args(["query", "SELECT count(*) AS n FROM load_errors", "--format", "csv", "--db"]).arg(&db).output().unwrap();
    assert!(String::from_utf8_lossy(&q.stdout).contains("\n2"));
}

#[test]
fn usage_errors_exit_2() {
    let out = bin().arg("load").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = bin().arg("frobnicate").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let help = bin().args(["load", "--help"]).output().unwrap();
    assert!(String::from_utf8_lossy(&help.stdout).contains("Examples:"));
}

#[test]
fn out_parquet_writes_the_facts_of_a_shard_without_a_warehouse() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("shard one");
    let r = bin().arg("load").args(seeds()).arg("--out-parquet").arg(&out).output().unwrap();
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    assert!(!dir.path().join("edgarfacts.duckdb").exists());
    // read the shard back next to a warehouse of the same files: same facts, same values
    let db = dir.path().join("w.duckdb");
    bin().arg("load").args(seeds()).arg("--db").arg(&db).output().unwrap();
    let glob = format!("{}/**/*.parquet", out.display()).replace('\'', "''");
    let q = format!(
        "SELECT (SELECT count(*) FROM read_parquet('{glob}', hive_partitioning = true)), \
                (SELECT count(*) FROM (SELECT filing_id, fact_id, value, period_end FROM read_parquet('{glob}', hive_partitioning = true) \
                                       EXCEPT SELECT filing_id, fact_id, value, period_end FROM v_facts))"
    );
    let res = bin().args(["query", &q, "--format", "csv", "--db"]).arg(&db).output().unwrap();
    let text = String::from_utf8_lossy(&res.stdout).to_string();
    let last = text.lines().last().unwrap_or("").to_string();
    assert_eq!(last, "970,0", "{text}{}", String::from_utf8_lossy(&res.stderr));
}

#[test]
fn out_parquet_partitions_by_year_by_default_and_checks_the_columns() {
    let dir = tempfile::tempdir().unwrap();
    let by_year = dir.path().join("by_year");
    assert!(bin().arg("load").arg("-q").args(seeds()).arg("--out-parquet").arg(&by_year).status().unwrap().success());
    let years: Vec<String> = std::fs::read_dir(&by_year).unwrap().flatten().map(|e| e.file_name().to_string_lossy().to_string()).collect();
    assert!(!years.is_empty() && years.iter().all(|y| y.starts_with("fiscal_year=")), "{years:?}");
    let flat = dir.path().join("flat");
    assert!(bin().arg("load").arg("-q").args(seeds()).arg("--out-parquet").arg(&flat).args(["--partition-by", "none"]).status().unwrap().success());
    let files: Vec<String> = std::fs::read_dir(&flat).unwrap().flatten().map(|e| e.file_name().to_string_lossy().to_string()).collect();
    assert!(!files.is_empty() && files.iter().all(|f| f.ends_with(".parquet")), "{files:?}");
    let bad = bin().arg("load").args(seeds()).arg("--out-parquet").arg(dir.path().join("bad")).args(["--partition-by", "ticker"]).output().unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--partition-by ticker: no such column"));
}
