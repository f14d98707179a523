//! Every export round-trips the seeds' facts exactly: load the two seed filings, export them
//! to CSV, Parquet (single file and Hive-partitioned), .xlsx, SQLite and the SEC FSDS layout,
//! read each back in Rust (csv crate, DuckDB's read_parquet, a zip+XML reader, rusqlite, a
//! tab-file reader that follows the SEC's layout) and compare with the warehouse: same count,
//! same decimal values, same dates. All paths have spaces and quotes in them.
//! No network and no installed client needed (tests/clients/ covers the real clients).

mod common;

use common::*;
use edgarfacts::export::{self, Format, Outcome, Request, ResultSet, Source};
use edgarfacts::store::{quote_literal, Warehouse};
use regex::Regex;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::str::FromStr;

fn seeds() -> Vec<PathBuf> {
    vec![root().join("fixtures/seeds/002_ca836c439cf71e0b.txt"), root().join("fixtures/seeds/003_9546893661c5e793.txt")]
}

/// A warehouse with the seeds and an output folder whose name needs quoting in SQL.
struct Setup {
    _dir: tempfile::TempDir,
    wh: Warehouse,
    out: PathBuf,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let wh = load(&seeds(), dir.path());
    let out = dir.path().join("ex port's \"odd\" dir");
    std::fs::create_dir_all(&out).unwrap();
    Setup { _dir: dir, wh, out }
}

fn run(wh: &Warehouse, format: Format, source: Source, to: &Path, partition_by: &[&str]) -> Outcome {
    let req = Request { format, source, to: to.to_path_buf(), partition_by: partition_by.iter().map(|s| s.to_string()).collect() };
    let o = export::run(wh.conn(), &req).unwrap_or_else(|e| panic!("export {format:?} to {}: {e:#}", to.display()));
    eprintln!("{:?}: {}", format, o.summary);
    for n in &o.notes {
        eprintln!("  note: {n}");
    }
    o
}

/// v_facts as the warehouse gives it, as text (exact decimals, ISO dates).
fn reference(wh: &Warehouse) -> ResultSet {
    let rs = export::query(wh.conn(), "SELECT * FROM v_facts ORDER BY filing_id, fact_id").unwrap();
    assert!(rs.rows.len() > 900, "the seeds give hundreds of facts, got {}", rs.rows.len());
    rs
}

fn col(rs: &ResultSet, name: &str) -> usize {
    rs.columns.iter().position(|c| c == name).unwrap_or_else(|| panic!("no column {name}"))
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s.trim()).unwrap_or_else(|e| panic!("{s:?}: {e}"))
}

fn count(wh: &Warehouse, sql: &str) -> i64 {
    wh.conn().query_row(sql, [], |r| r.get(0)).unwrap_or_else(|e| panic!("{sql}: {e}"))
}

// ---------------------------------------------------------------------------------------
// CSV

#[test]
fn csv_round_trips_every_fact_as_rfc4180() {
    let s = setup();
    let reference = reference(&s.wh);
    let path = s.out.join("facts \"all\" it's.csv");
    let o = run(&s.wh, Format::Csv, Source::Default, &path, &[]);
    assert_eq!(o.rows as usize, reference.rows.len());

    let bytes = std::fs::read(&path).unwrap();
    assert!(!bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "no BOM");
    let text = String::from_utf8(bytes).expect("UTF-8");
    assert!(text.ends_with("\r\n"), "CRLF line ends");
    let mut rdr = csv::Reader::from_path(&path).unwrap();
    let header: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, reference.columns);
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), reference.rows.len(), "same count");
    let (iv, is, ie) = (col(&reference, "value"), col(&reference, "period_start"), col(&reference, "period_end"));
    let plain = Regex::new(r"^-?\d+(\.\d+)?$").unwrap();
    let iso = Regex::new(r"^\d{4}-\d{2}-\d{2}$").unwrap();
    for (got, want) in rows.iter().zip(&reference.rows) {
        for (i, w) in want.iter().enumerate() {
            assert_eq!(&got[i], w.as_deref().unwrap_or(""), "column {}", reference.columns[i]);
        }
        assert!(plain.is_match(&got[iv]), "plain decimal: {}", &got[iv]);
        assert_eq!(dec(&got[iv]), dec(want[iv].as_deref().unwrap()));
        for d in [is, ie] {
            assert!(got[d].is_empty() || iso.is_match(&got[d]), "ISO date: {}", &got[d]);
        }
    }
}

#[test]
fn csv_quotes_what_needs_quoting() {
    let s = setup();
    let path = s.out.join("odd.csv");
    let sql = "SELECT 'a,b' AS comma, 'say \"hi\"' AS quote, 'two' || chr(10) || 'lines' AS newline, NULL AS nothing, \
               CAST(-1234567.5 AS DECIMAL(38,6)) AS amount, DATE '1999-01-31' AS day";
    run(&s.wh, Format::Csv, Source::Query(sql.into()), &path, &[]);
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        text,
        "comma,quote,newline,nothing,amount,day\r\n\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",,-1234567.5,1999-01-31\r\n"
    );
}

// ---------------------------------------------------------------------------------------
// Parquet

fn parquet_types(conn: &duckdb::Connection, from: &str) -> HashMap<String, String> {
    let rs = export::query(conn, &format!("DESCRIBE SELECT * FROM {from}")).unwrap();
    rs.rows.iter().map(|r| (r[0].clone().unwrap(), r[1].clone().unwrap())).collect()
}

#[test]
fn parquet_keeps_decimals_and_dates_exactly() {
    let s = setup();
    let reference = reference(&s.wh);
    let path = s.out.join("facts 'v1' \"x\".parquet");
    let o = run(&s.wh, Format::Parquet, Source::Default, &path, &[]);
    assert_eq!(o.rows as usize, reference.rows.len());

    // read back in a separate DuckDB, knowing nothing of the warehouse
    let conn = duckdb::Connection::open_in_memory().unwrap();
    let from = format!("read_parquet({})", quote_literal(path.to_str().unwrap()));
    let types = parquet_types(&conn, &from);
    assert_eq!(types["value"], "DECIMAL(38,6)", "DECIMAL, not DOUBLE");
    assert_eq!(types["scale"], "DECIMAL(38,6)");
    assert_eq!(types["period_end"], "DATE");
    assert_eq!(types["period_start"], "DATE");
    assert_eq!(types["line"], "INTEGER");
    let back = export::query(&conn, &format!("SELECT * FROM {from} ORDER BY filing_id, fact_id")).unwrap();
    assert_eq!(back.columns, reference.columns);
    assert_eq!(back.rows.len(), reference.rows.len(), "same count");
    assert_eq!(back.rows, reference.rows, "same values, dates and text");

    // and typed: nothing differs in either direction
    for sql in [
        format!("SELECT count(*) FROM (SELECT * FROM v_facts EXCEPT ALL SELECT * FROM {from})"),
        format!("SELECT count(*) FROM (SELECT * FROM {from} EXCEPT ALL SELECT * FROM v_facts)"),
    ] {
        assert_eq!(count(&s.wh, &sql), 0, "{sql}");
    }
}

#[test]
fn parquet_partitioned_by_entity_and_fiscal_year() {
    let s = setup();
    let reference = reference(&s.wh);
    let dir = s.out.join("hive 'parts'");
    let o = run(&s.wh, Format::Parquet, Source::Default, &dir, &["entity_id", "fiscal_year"]);
    assert_eq!(o.rows as usize, reference.rows.len());

    // Hive layout: entity_id=.../fiscal_year=.../*.parquet
    let mut files = Vec::new();
    let mut stack = vec![dir.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            if e.path().is_dir() {
                stack.push(e.path());
            } else {
                files.push(e.path());
            }
        }
    }
    assert!(!files.is_empty());
    for f in &files {
        let rel = f.strip_prefix(&dir).unwrap().to_string_lossy().to_string();
        assert!(Regex::new(r"^entity_id=[^/]+/fiscal_year=[^/]+/[^/]+\.parquet$").unwrap().is_match(&rel), "{rel}");
    }

    let conn = duckdb::Connection::open_in_memory().unwrap();
    let glob = format!("{}/**/*.parquet", dir.to_str().unwrap());
    let from = format!("read_parquet({}, hive_partitioning = true)", quote_literal(&glob));
    let types = parquet_types(&conn, &from);
    assert_eq!(types["value"], "DECIMAL(38,6)");
    assert_eq!(types["period_end"], "DATE");
    let cols = reference.columns.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", ");
    let back = export::query(&conn, &format!("SELECT {cols} FROM {from} ORDER BY filing_id, fact_id")).unwrap();
    assert_eq!(back.rows.len(), reference.rows.len(), "same count");
    assert_eq!(back.rows, reference.rows, "same values and dates, entity_id restored from the paths");
    // fiscal_year is the year of period_end (NULL partition for facts without one)
    let off = export::query(
        &conn,
        &format!("SELECT count(*) FROM {from} WHERE fiscal_year IS DISTINCT FROM year(period_end)"),
    )
    .unwrap();
    assert_eq!(off.rows[0][0].as_deref(), Some("0"));

    // a partitioned export never writes into a folder that has files
    let again = export::run(
        s.wh.conn(),
        &Request { format: Format::Parquet, source: Source::Default, to: dir.clone(), partition_by: vec!["entity_id".into()] },
    );
    let err = again.expect_err("non-empty folder");
    assert!(err.downcast_ref::<export::UsageError>().is_some(), "{err}");
    // and a partition column must exist
    let bad = export::run(
        s.wh.conn(),
        &Request {
            format: Format::Parquet,
            source: Source::View("filings".into()),
            to: s.out.join("nope"),
            partition_by: vec!["fiscal_year".into()],
        },
    );
    assert!(bad.expect_err("no such column").to_string().contains("fiscal_year"));
}

// ---------------------------------------------------------------------------------------
// .xlsx: read back with a small zip + XML reader

#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Num { v: String, fmt: String },
    Str(String),
    Bool(bool),
}

#[derive(Debug, Default)]
struct Sheet {
    cells: BTreeMap<(u32, u32), Cell>,
    /// Frozen rows and columns.
    split: (u32, u32),
}

impl Sheet {
    fn text(&self, r: u32, c: u32) -> String {
        match self.cells.get(&(r, c)) {
            Some(Cell::Str(s)) => s.clone(),
            Some(Cell::Num { v, .. }) => v.clone(),
            Some(Cell::Bool(b)) => b.to_string(),
            None => String::new(),
        }
    }
    fn max_row(&self) -> u32 {
        self.cells.keys().map(|k| k.0).max().unwrap_or(0)
    }
    fn max_col(&self, r: u32) -> u32 {
        self.cells.keys().filter(|k| k.0 == r).map(|k| k.1).max().unwrap_or(0)
    }
}

fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let re = Regex::new(r"&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);").unwrap();
    re.replace_all(s, |c: &regex::Captures| match &c[1] {
        "amp" => "&".to_string(),
        "lt" => "<".to_string(),
        "gt" => ">".to_string(),
        "quot" => "\"".to_string(),
        "apos" => "'".to_string(),
        n if n.starts_with("#x") => char::from_u32(u32::from_str_radix(&n[2..], 16).unwrap()).unwrap().to_string(),
        n => char::from_u32(n[1..].parse().unwrap()).unwrap().to_string(),
    })
    .to_string()
}

fn col_number(letters: &str) -> u32 {
    letters.bytes().fold(0, |n, b| n * 26 + (b - b'A' + 1) as u32) - 1
}

fn read_xlsx(path: &Path) -> BTreeMap<String, Sheet> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).expect("an .xlsx is a zip file");
    let mut part = |name: &str| -> String {
        let mut s = String::new();
        if let Ok(mut f) = zip.by_name(name) {
            f.read_to_string(&mut s).unwrap();
        }
        s
    };
    let workbook = part("xl/workbook.xml");
    let rels = part("xl/_rels/workbook.xml.rels");
    let shared = part("xl/sharedStrings.xml");
    let styles = part("xl/styles.xml");

    let t_text = Regex::new(r"(?s)<t(?: [^>]*)?>(.*?)</t>").unwrap();
    let strings: Vec<String> = Regex::new(r"(?s)<si>(.*?)</si>")
        .unwrap()
        .captures_iter(&shared)
        .map(|c| t_text.captures_iter(&c[1]).map(|t| unescape(&t[1])).collect::<String>())
        .collect();
    let num_fmts: HashMap<u32, String> = Regex::new(r#"<numFmt numFmtId="(\d+)" formatCode="([^"]*)""#)
        .unwrap()
        .captures_iter(&styles)
        .map(|c| (c[1].parse().unwrap(), unescape(&c[2])))
        .collect();
    let cell_xfs = Regex::new(r"(?s)<cellXfs[^>]*>(.*?)</cellXfs>").unwrap().captures(&styles).map(|c| c[1].to_string()).unwrap_or_default();
    let xf_fmt: Vec<String> = Regex::new(r#"<xf [^>]*?numFmtId="(\d+)""#)
        .unwrap()
        .captures_iter(&cell_xfs)
        .map(|c| num_fmts.get(&c[1].parse::<u32>().unwrap()).cloned().unwrap_or_else(|| format!("builtin:{}", &c[1])))
        .collect();
    let targets: HashMap<String, String> = Regex::new(r#"<Relationship Id="([^"]+)" Type="[^"]+" Target="([^"]+)""#)
        .unwrap()
        .captures_iter(&rels)
        .map(|c| (c[1].to_string(), c[2].to_string()))
        .collect();
    let cell_re = Regex::new(r#"(?s)<c r="([A-Z]+)(\d+)"([^>]*?)(?:/>|>(.*?)</c>)"#).unwrap();
    let v_re = Regex::new(r"(?s)<v>(.*?)</v>").unwrap();
    let t_re = Regex::new(r#"t="(\w+)""#).unwrap();
    let s_re = Regex::new(r#"s="(\d+)""#).unwrap();
    let mut out = BTreeMap::new();
    for c in Regex::new(r#"<sheet name="([^"]+)" sheetId="\d+" r:id="([^"]+)""#).unwrap().captures_iter(&workbook) {
        let name = unescape(&c[1]);
        let xml = part(&format!("xl/{}", targets[&c[2]].trim_start_matches("/xl/")));
        let mut sheet = Sheet::default();
        if let Some(p) = Regex::new(r"<pane ([^>]*)/>").unwrap().captures(&xml) {
            let attr = |a: &str| Regex::new(&format!(r#"{a}="(\d+)""#)).unwrap().captures(&p[1]).map(|x| x[1].parse().unwrap()).unwrap_or(0);
            sheet.split = (attr("ySplit"), attr("xSplit"));
        }
        for m in cell_re.captures_iter(&xml) {
            let (col, row) = (col_number(&m[1]), m[2].parse::<u32>().unwrap() - 1);
            let attrs = &m[3];
            let Some(v) = m.get(4).and_then(|b| v_re.captures(b.as_str())).map(|v| unescape(&v[1])) else { continue };
            let t = t_re.captures(attrs).map(|x| x[1].to_string());
            let style: usize = s_re.captures(attrs).map(|x| x[1].parse().unwrap()).unwrap_or(0);
            let cell = match t.as_deref() {
                Some("s") => Cell::Str(strings[v.parse::<usize>().unwrap()].clone()),
                Some("str") | Some("inlineStr") => Cell::Str(v),
                Some("b") => Cell::Bool(v == "1"),
                _ => Cell::Num { v, fmt: xf_fmt.get(style).cloned().unwrap_or_default() },
            };
            sheet.cells.insert((row, col), cell);
        }
        out.insert(name, sheet);
    }
    out
}

/// Excel's serial day number as an ISO date (days since 1899-12-30, for dates after 1900-02-28).
fn serial_date(v: &str) -> String {
    let days: i64 = v.parse::<f64>().unwrap() as i64;
    (chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap() + chrono::Duration::days(days)).to_string()
}

fn label_key(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

fn is_date_format(fmt: &str) -> bool {
    fmt.contains("yy") && fmt.contains("mm") && fmt.contains("dd")
}

#[test]
fn xlsx_has_statements_facts_and_checks_with_exact_numbers() {
    let s = setup();
    let reference = reference(&s.wh);
    let path = s.out.join("statements 'q' \"x\".xlsx");
    let o = run(&s.wh, Format::Xlsx, Source::Default, &path, &[]);
    assert_eq!(o.rows as usize, reference.rows.len());
    let book = read_xlsx(&path);
    let names: Vec<&String> = book.keys().collect();
    assert!(book.contains_key("facts") && book.contains_key("checks"), "{names:?}");

    // facts: the long table, cell for cell
    let facts = &book["facts"];
    assert_eq!(facts.split, (1, 0), "frozen header row");
    for (c, name) in reference.columns.iter().enumerate() {
        assert_eq!(facts.text(0, c as u32), *name);
    }
    assert_eq!(facts.max_row() as usize, reference.rows.len(), "same count");
    let iv = col(&reference, "value");
    let mut dates = 0;
    for (r, want) in reference.rows.iter().enumerate() {
        for (c, w) in want.iter().enumerate() {
            let got = facts.cells.get(&(r as u32 + 1, c as u32));
            match (w, got) {
                (None, None) => {}
                (Some(w), None) if w.is_empty() => {} // a spreadsheet has no empty text, only blank cells
                (Some(w), Some(Cell::Num { v, fmt })) if is_date_format(fmt) => {
                    assert_eq!(&serial_date(v), w, "date in {}", reference.columns[c]);
                    dates += 1;
                }
                (Some(w), Some(Cell::Num { v, fmt })) => {
                    assert_eq!(dec(v), dec(w), "number in {}", reference.columns[c]);
                    if c == iv {
                        assert!(fmt.contains("#,##0") && fmt.contains('('), "thousands and parentheses: {fmt}");
                    }
                }
                (Some(w), Some(Cell::Str(g))) => assert_eq!(g, w, "text in {}", reference.columns[c]),
                (w, g) => panic!("row {r} column {}: want {w:?}, got {g:?}", reference.columns[c]),
            }
        }
        assert!(matches!(facts.cells.get(&(r as u32 + 1, iv as u32)), Some(Cell::Num { .. })), "values are numbers");
    }
    assert!(dates > 900, "dates are dates: {dates}");

    // statements: every number on a sheet is a fact of that statement, and every fact of the
    // statements is on its sheet (or an older filing's value that a newer filing replaced)
    let stmt_of = |sheet: &str| match sheet {
        "Balance sheet" => "balance",
        "Income statement" => "income",
        "Comprehensive income" => "comprehensive",
        "Cash flows" => "cash_flow",
        "Equity" => "equity",
        other => panic!("unexpected sheet {other}"),
    };
    let st = export::query(
        s.wh.conn(),
        "SELECT statement, row_label, concept, period_type, period_start, period_end, dimension, value FROM v_facts \
         WHERE statement IN ('balance', 'income', 'comprehensive', 'cash_flow', 'equity')",
    )
    .unwrap();
    type Key = (String, String, String, Option<String>, String, Option<String>); // statement, label, concept, start, end, member
    let mut want: HashMap<Key, Vec<Decimal>> = HashMap::new();
    for r in &st.rows {
        let g = |i: usize| r[i].clone().unwrap_or_default();
        let start = if g(3) == "duration" { r[4].clone() } else { None };
        want.entry((g(0), label_key(&g(1)), g(2), start, g(5), r[6].clone())).or_default().push(dec(&g(7)));
    }
    let date_re = Regex::new(r"\d{4}-\d{2}-\d{2}").unwrap();
    let period = |text: &str| -> (Option<String>, String) {
        let d: Vec<String> = date_re.find_iter(text).map(|m| m.as_str().to_string()).collect();
        match d.len() {
            1 => (None, d[0].clone()),
            2 => (Some(d[0].clone()), d[1].clone()),
            _ => panic!("period header {text:?}"),
        }
    };
    let mut shown: HashMap<Key, Decimal> = HashMap::new();
    let mut sheets = 0;
    for (name, sheet) in book.iter().filter(|(n, _)| *n != "facts" && *n != "checks") {
        sheets += 1;
        let statement = stmt_of(name).to_string();
        let (header_rows, first_value) = sheet.split;
        assert!(header_rows >= 2 && first_value >= 1, "{name}: frozen header and labels");
        let by_member = sheet.text(1, 1) == "Period";
        let last = sheet.max_col(1);
        let unit_col = (first_value..=last).find(|&c| sheet.text(1, c) == "Unit").expect("Unit column");
        let concept_col = unit_col + 1;
        let mut numbers = 0;
        for r in header_rows..=sheet.max_row() {
            // rows of several filings merge on concept and label, ignoring case and spacing
            let label = label_key(&sheet.text(r, 0));
            let concept = sheet.text(r, concept_col);
            for c in first_value..unit_col {
                let Some(Cell::Num { v, fmt }) = sheet.cells.get(&(r, c)) else { continue };
                assert!(fmt.contains("#,##0") && fmt.contains('('), "{name}: number format {fmt}");
                let ((start, end), member) = if by_member {
                    let m = sheet.text(1, c);
                    (period(&sheet.text(r, 1)), (m != "Amount").then_some(m))
                } else {
                    let m = if header_rows == 3 { sheet.text(2, c) } else { String::new() };
                    (period(&sheet.text(1, c)), (!m.is_empty()).then_some(m))
                };
                let key = (statement.clone(), label.clone(), concept.clone(), start, end, member);
                let value = dec(v);
                let facts = want.get(&key).unwrap_or_else(|| panic!("{name}: no fact for {key:?}"));
                assert!(facts.contains(&value), "{name}: {key:?} shows {value}, facts {facts:?}");
                shown.insert(key, value);
                numbers += 1;
            }
        }
        assert!(numbers > 20, "{name}: {numbers} numbers");
    }
    assert!(sheets >= 4, "balance, income, cash flows, equity: {names:?}");
    let mut superseded = 0;
    for (key, values) in &want {
        let got = shown.get(key).unwrap_or_else(|| panic!("fact {key:?} is on no sheet"));
        superseded += values.iter().filter(|v| *v != got).count();
    }
    eprintln!("statement facts: {}, distinct cells: {}, replaced by a newer filing: {superseded}", st.rows.len(), shown.len());

    // checks: v_checks when the warehouse has it, else a note that says why not
    let checks = &book["checks"];
    if export::relation_exists(s.wh.conn(), "v_checks") {
        let n = count(&s.wh, "SELECT count(*) FROM v_checks") as u32;
        assert_eq!(checks.max_row(), n, "one row per check");
    } else {
        assert!(checks.text(0, 0).contains("v_checks"), "{:?}", checks.text(0, 0));
    }
}

// ---------------------------------------------------------------------------------------
// SQLite

fn sqlite_text(v: rusqlite::types::Value) -> Option<String> {
    use rusqlite::types::Value as V;
    match v {
        V::Null => None,
        V::Integer(i) => Some(i.to_string()),
        V::Real(f) => Some(f.to_string()),
        V::Text(s) => Some(s),
        V::Blob(b) => Some(format!("<{} bytes>", b.len())),
    }
}

fn sqlite_rows(db: &rusqlite::Connection, sql: &str) -> (Vec<String>, Vec<Vec<Option<String>>>) {
    let mut st = db.prepare(sql).unwrap();
    let cols: Vec<String> = st.column_names().iter().map(|s| s.to_string()).collect();
    let n = cols.len();
    let rows = st
        .query_map([], |r| (0..n).map(|i| r.get::<_, rusqlite::types::Value>(i).map(sqlite_text)).collect::<Result<Vec<_>, _>>())
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    (cols, rows)
}

#[test]
fn sqlite_holds_the_warehouse_with_exact_values() {
    let s = setup();
    let reference = reference(&s.wh);
    let path = s.out.join("ware 'house' \"x\".sqlite");
    run(&s.wh, Format::Sqlite, Source::Default, &path, &[]);
    let db = rusqlite::Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();

    // every table, with every row
    let tables = export::query(s.wh.conn(), "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' AND NOT temporary").unwrap();
    assert!(tables.rows.len() >= 10);
    for t in &tables.rows {
        let t = t[0].clone().unwrap();
        let n_duck = count(&s.wh, &format!("SELECT count(*) FROM \"{t}\""));
        let n_lite: i64 = db.query_row(&format!("SELECT count(*) FROM \"{t}\""), [], |r| r.get(0)).unwrap();
        assert_eq!(n_lite, n_duck, "rows of {t}");
    }

    // facts: exact decimal text, the scaled integer copy, ISO dates
    let (_, lite) = sqlite_rows(&db, "SELECT filing_id, fact_id, value, value_e6, period_start, period_end, typeof(value) FROM facts ORDER BY filing_id, fact_id");
    let duck = export::query(
        s.wh.conn(),
        "SELECT filing_id, fact_id, value, CAST(value * 1000000 AS HUGEINT), period_start, period_end FROM facts ORDER BY filing_id, fact_id",
    )
    .unwrap();
    assert_eq!(lite.len(), duck.rows.len(), "same count");
    for (l, d) in lite.iter().zip(&duck.rows) {
        assert_eq!(l[..6], d[..6], "filing, fact, value, value_e6, dates");
        assert_eq!(l[6].as_deref(), Some("text"), "decimals are stored as text, not REAL");
        assert_eq!(dec(l[2].as_deref().unwrap()) * Decimal::from(1_000_000), dec(l[3].as_deref().unwrap()));
    }

    // the facts view runs in SQLite and gives the warehouse's rows
    let kind: String = db.query_row("SELECT type FROM sqlite_master WHERE name = 'v_facts'", [], |r| r.get(0)).unwrap();
    assert_eq!(kind, "view");
    let (cols, rows) = sqlite_rows(&db, "SELECT * FROM v_facts ORDER BY filing_id, fact_id");
    assert_eq!(cols, reference.columns);
    assert_eq!(rows.len(), reference.rows.len(), "same count");
    assert_eq!(rows, reference.rows, "same values, dates, text");
    // numbers compare as numbers; the scaled copy sums exactly
    let eps: i64 = db.query_row("SELECT count(*) FROM v_facts WHERE value = 0.39", [], |r| r.get(0)).unwrap();
    assert_eq!(eps as usize, reference.rows.iter().filter(|r| r[col(&reference, "value")].as_deref() == Some("0.39")).count());
    let sum_lite: i64 = db.query_row("SELECT sum(value_e6) FROM facts", [], |r| r.get(0)).unwrap();
    let sum_duck = export::query(s.wh.conn(), "SELECT CAST(sum(value) * 1000000 AS HUGEINT) FROM facts").unwrap();
    assert_eq!(sum_lite.to_string(), sum_duck.rows[0][0].clone().unwrap());
    let info: String = db.query_row("SELECT value FROM _edgarfacts_export WHERE key = 'decimals'", [], |r| r.get(0)).unwrap();
    assert!(info.contains("TEXT"));
    // each view of the warehouse is a view (giving DuckDB's rows) or, where SQLite cannot run
    // its SQL, a table of its rows
    let views = export::query(s.wh.conn(), "SELECT view_name FROM duckdb_views() WHERE NOT internal AND schema_name = 'main'").unwrap();
    let mut as_views = 0;
    for v in &views.rows {
        let v = v[0].clone().unwrap();
        let kind: String = db.query_row("SELECT type FROM sqlite_master WHERE name = ?", [&v], |r| r.get(0)).unwrap_or_else(|_| panic!("{v} missing"));
        if kind == "view" {
            let n_duck = count(&s.wh, &format!("SELECT count(*) FROM \"{v}\""));
            let n_lite: i64 = db.query_row(&format!("SELECT count(*) FROM \"{v}\""), [], |r| r.get(0)).unwrap();
            assert_eq!(n_lite, n_duck, "rows of view {v}");
            as_views += 1;
        } else {
            let listed: String = db.query_row("SELECT value FROM _edgarfacts_export WHERE key = 'views_as_tables'", [], |r| r.get(0)).unwrap();
            assert!(listed.contains(&v), "{v} is listed as a table of its rows: {listed}");
        }
    }
    assert!(as_views >= 1);
}

#[test]
fn sqlite_of_a_query_is_one_table() {
    let s = setup();
    let path = s.out.join("balance.db");
    let sql = "SELECT filing_id, fact_id, row_label, period_end, value FROM v_facts WHERE statement = 'balance' ORDER BY filing_id, fact_id";
    let o = run(&s.wh, Format::Sqlite, Source::Query(sql.into()), &path, &[]);
    let want = export::query(s.wh.conn(), sql).unwrap();
    assert_eq!(o.rows as usize, want.rows.len());
    let db = rusqlite::Connection::open(&path).unwrap();
    let (cols, rows) = sqlite_rows(&db, "SELECT filing_id, fact_id, row_label, period_end, value FROM query_result ORDER BY filing_id, fact_id");
    assert_eq!(cols, want.columns);
    assert_eq!(rows, want.rows);
}

// ---------------------------------------------------------------------------------------
// SEC Financial Statement Data Sets layout, read the way the SEC documents it

/// The SEC's column names, in order (FSDS documentation, tables SUB, NUM, TAG, PRE).
const SUB: &[&str] = &[
    "adsh", "cik", "name", "sic", "countryba", "stprba", "cityba", "zipba", "bas1", "bas2", "baph", "countryma", "stprma", "cityma",
    "zipma", "mas1", "mas2", "countryinc", "stprinc", "ein", "former", "changed", "afs", "wksi", "fye", "form", "period", "fy",
    "fp", "filed", "accepted", "prevrpt", "detail", "instance", "nciks", "aciks",
];
const NUM: &[&str] = &["adsh", "tag", "version", "ddate", "qtrs", "uom", "segments", "coreg", "value", "footnote"];
const TAG: &[&str] = &["tag", "version", "custom", "abstract", "datatype", "iord", "crdr", "tlabel", "doc"];
const PRE: &[&str] = &["adsh", "report", "line", "stmt", "inpth", "rfile", "tag", "version", "plabel", "negating"];

/// A tab-separated data set file: header row, then rows as name -> value.
fn read_tsv(path: &Path, columns: &[&str]) -> Vec<HashMap<String, String>> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut lines = text.split('\n');
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    assert_eq!(header, columns, "{}: the SEC's columns", path.display());
    lines
        .filter(|l| !l.is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f.len(), header.len(), "{}: {l}", path.display());
            header.iter().zip(f).map(|(h, v)| (h.to_string(), v.to_string())).collect()
        })
        .collect()
}

fn month_end(d: chrono::NaiveDate) -> bool {
    d.succ_opt().unwrap().month0() != d.month0()
}

use chrono::Datelike;

#[test]
fn fsds_folder_round_trips_every_fact() {
    let s = setup();
    let reference = reference(&s.wh);
    let dir = s.out.join("fsds 'q' \"x\"");
    let o = run(&s.wh, Format::Fsds, Source::Default, &dir, &[]);
    assert_eq!(o.rows as usize, reference.rows.len());
    let sub = read_tsv(&dir.join("sub.txt"), SUB);
    let num = read_tsv(&dir.join("num.txt"), NUM);
    let tag = read_tsv(&dir.join("tag.txt"), TAG);
    let pre = read_tsv(&dir.join("pre.txt"), PRE);

    // sub: one submission per filing
    let filings = export::query(s.wh.conn(), "SELECT filing_id, form_type, period_of_report, source_file FROM filings ORDER BY filing_id").unwrap();
    assert_eq!(sub.len(), filings.rows.len());
    let mut period_of: HashMap<String, String> = HashMap::new();
    for (s_row, f) in sub.iter().zip(&filings.rows) {
        assert_eq!(Some(&s_row["adsh"]), f[0].as_ref());
        assert_eq!(Some(&s_row["form"]), f[1].as_ref());
        assert_eq!(Some(&s_row["instance"]), f[3].as_ref());
        let por = chrono::NaiveDate::parse_from_str(f[2].as_deref().unwrap(), "%Y-%m-%d").unwrap();
        assert!(month_end(por), "the seeds report at month ends");
        assert_eq!(s_row["period"], por.format("%Y%m%d").to_string());
        assert_eq!(s_row["fy"], por.year().to_string());
        assert_eq!(s_row["fp"], if s_row["form"].starts_with("10-K") { "FY" } else { "Q3" });
        period_of.insert(s_row["adsh"].clone(), s_row["period"].clone());
    }

    // tag: unique (tag, version); custom tags are versioned by their adsh
    let mut tags: HashMap<(String, String), &HashMap<String, String>> = HashMap::new();
    for t in &tag {
        assert!(tags.insert((t["tag"].clone(), t["version"].clone()), t).is_none(), "duplicate tag {t:?}");
        assert_eq!(t["custom"] == "1", t["version"] != "us-gaap/2009", "{t:?}");
        assert!(matches!(t["iord"].as_str(), "I" | "D"));
    }

    // num: one row per key, every tag known
    type NumKey = (String, String, String, String, String, String, String, String);
    let mut nums: HashMap<NumKey, (String, bool)> = HashMap::new();
    for n in &num {
        let k = (
            n["adsh"].clone(),
            n["tag"].clone(),
            n["version"].clone(),
            n["ddate"].clone(),
            n["qtrs"].clone(),
            n["uom"].clone(),
            n["segments"].clone(),
            n["coreg"].clone(),
        );
        assert!(tags.contains_key(&(k.1.clone(), k.2.clone())), "num tag not in tag.txt: {k:?}");
        assert!(nums.insert(k.clone(), (n["value"].clone(), false)).is_none(), "duplicate num key {k:?}");
    }

    // pre: lines per report in order
    let mut reports: BTreeMap<(String, i64), Vec<(i64, &HashMap<String, String>)>> = BTreeMap::new();
    for p in &pre {
        assert!(tags.contains_key(&(p["tag"].clone(), p["version"].clone())), "pre tag not in tag.txt: {p:?}");
        reports.entry((p["adsh"].clone(), p["report"].parse().unwrap())).or_default().push((p["line"].parse().unwrap(), p));
    }
    for lines in reports.values_mut() {
        lines.sort_by_key(|l| l.0);
        let numbers: Vec<i64> = lines.iter().map(|l| l.0).collect();
        assert_eq!(numbers, (1..=lines.len() as i64).collect::<Vec<_>>(), "lines count from 1");
    }

    // every fact: its printed row is a pre line of its table, and its value is in num
    let c = |n: &str| col(&reference, n);
    let (i_f, i_t, i_r, i_s, i_l, i_c) = (c("filing_id"), c("table_id"), c("row_index"), c("statement"), c("row_label"), c("concept"));
    let (i_pt, i_ps, i_pe, i_v, i_u, i_d) = (c("period_type"), c("period_start"), c("period_end"), c("value"), c("unit"), c("dimension"));
    let mut rows_of: BTreeMap<(String, i64), Vec<i64>> = BTreeMap::new();
    for r in &reference.rows {
        let v = rows_of.entry((r[i_f].clone().unwrap(), r[i_t].as_deref().unwrap().parse().unwrap())).or_default();
        let ri: i64 = r[i_r].as_deref().unwrap().parse().unwrap();
        if !v.contains(&ri) {
            v.push(ri);
        }
    }
    for v in rows_of.values_mut() {
        v.sort();
    }
    assert_eq!(rows_of.len(), reports.len(), "one report per table");
    let stmt = |s: &str| match s {
        "balance" => "BS",
        "income" => "IS",
        "cash_flow" => "CF",
        "equity" => "EQ",
        "comprehensive" => "CI",
        _ => "UN",
    };
    let mut matched = 0;
    let mut disambiguated = 0;
    for r in &reference.rows {
        let g = |i: usize| r[i].clone().unwrap_or_default();
        let adsh = g(i_f);
        let table: i64 = g(i_t).parse().unwrap();
        let row: i64 = g(i_r).parse().unwrap();
        let lines = &reports[&(adsh.clone(), table)];
        let rows = &rows_of[&(adsh.clone(), table)];
        assert_eq!(lines.len(), rows.len(), "one pre line per printed row of {adsh} table {table}");
        let p = lines[rows.iter().position(|x| *x == row).unwrap()].1;
        assert_eq!(p["stmt"], stmt(&g(i_s)));
        if !g(i_l).trim().is_empty() {
            assert_eq!(p["plabel"], g(i_l), "plabel is the printed label");
        }
        // the tag: the concept's own, or a filing-specific one derived from it
        let concept = g(i_c);
        let local = concept.split_once(':').map(|x| x.1).unwrap_or(&concept).to_string();
        if concept.starts_with("us-gaap:") && p["version"] == "us-gaap/2009" {
            assert_eq!(p["tag"], local);
        } else {
            assert_eq!(p["version"], adsh, "custom tags are versioned by the adsh");
            assert!(p["tag"].starts_with(&local), "{} from {concept}", p["tag"]);
            if p["tag"] != local {
                disambiguated += 1;
            }
        }
        // ddate/qtrs: the seeds' periods end at month ends, so the dates come back exactly
        let (ddate, qtrs) = match g(i_pt).as_str() {
            "none" => (period_of[&adsh].clone(), "0".to_string()),
            kind => {
                let end = chrono::NaiveDate::parse_from_str(&g(i_pe), "%Y-%m-%d").unwrap();
                assert!(month_end(end));
                let ddate = end.format("%Y%m%d").to_string();
                if kind == "instant" {
                    (ddate, "0".to_string())
                } else {
                    // qtrs quarters back from ddate is the day before the period's start
                    let start = chrono::NaiveDate::parse_from_str(&g(i_ps), "%Y-%m-%d").unwrap();
                    let back = start.pred_opt().unwrap();
                    assert!(month_end(back));
                    let months = (end.year() - back.year()) * 12 + end.month() as i32 - back.month() as i32;
                    assert_eq!(months % 3, 0, "quarter-aligned seed periods");
                    (ddate, (months / 3).to_string())
                }
            }
        };
        let (uom, scale100) = match g(i_u).as_str() {
            "USD" => ("USD".to_string(), false),
            "USD/share" => ("USD/shares".to_string(), false),
            "shares" => ("shares".to_string(), false),
            "percent" => ("pure".to_string(), true),
            "count" => ("pure".to_string(), false),
            "years" => ("Y".to_string(), false),
            other => (other.to_string(), false),
        };
        let key = (adsh.clone(), p["tag"].clone(), p["version"].clone(), ddate, qtrs, uom, g(i_d), String::new());
        let (value, used) = nums.get_mut(&key).unwrap_or_else(|| panic!("no num row for {key:?} ({concept})"));
        let mut v = dec(value);
        if scale100 {
            v *= Decimal::from(100);
        }
        assert_eq!(v, dec(&g(i_v)), "value of {key:?}");
        *used = true;
        matched += 1;
    }
    assert_eq!(matched, reference.rows.len(), "every fact is in num.txt");
    let unused: Vec<_> = nums.iter().filter(|(_, (_, used))| !used).map(|(k, _)| k).collect();
    assert!(unused.is_empty(), "num rows that are no fact: {unused:?}");
    eprintln!("fsds: {} facts -> {} num rows, {} pre lines, {} tags; {disambiguated} facts under a filing-specific tag", matched, num.len(), pre.len(), tag.len());
}

// ---------------------------------------------------------------------------------------
// views and queries, the command line

#[test]
fn views_and_queries_export_in_every_format() {
    let s = setup();
    let n_filings = count(&s.wh, "SELECT count(*) FROM filings") as u64;
    let o = run(&s.wh, Format::Csv, Source::View("filings".into()), &s.out.join("filings.csv"), &[]);
    assert_eq!(o.rows, n_filings);
    let o = run(&s.wh, Format::Parquet, Source::View("filings".into()), &s.out.join("filings.parquet"), &[]);
    assert_eq!(o.rows, n_filings);
    let q = "SELECT * FROM v_facts WHERE statement = 'balance'";
    let n_balance = count(&s.wh, "SELECT count(*) FROM v_facts WHERE statement = 'balance'") as u64;
    let o = run(&s.wh, Format::Xlsx, Source::Query(q.into()), &s.out.join("balance.xlsx"), &[]);
    assert_eq!(o.rows, n_balance);
    let book = read_xlsx(&s.out.join("balance.xlsx"));
    assert!(book.contains_key("Balance sheet") && !book.contains_key("Income statement"), "{:?}", book.keys().collect::<Vec<_>>());
    let o = run(&s.wh, Format::Fsds, Source::Query(q.into()), &s.out.join("fsds balance"), &[]);
    assert_eq!(o.rows, n_balance);
    let pre = read_tsv(&s.out.join("fsds balance").join("pre.txt"), PRE);
    assert!(pre.iter().all(|p| p["stmt"] == "BS"));
    // a missing view is a usage error
    let err = export::run(
        s.wh.conn(),
        &Request { format: Format::Csv, source: Source::View("no such view".into()), to: s.out.join("x.csv"), partition_by: vec![] },
    )
    .expect_err("missing view");
    assert!(err.downcast_ref::<export::UsageError>().is_some());
    assert!(!s.out.join("x.csv").exists());
}

fn bin() -> std::process::Command {
    std::process::Command::new(env!("CARGO_BIN_EXE_edgarfacts"))
}

#[test]
fn cli_export_info_and_help() {
    let s = setup();
    let db = s.wh.path.clone();
    let n_facts = count(&s.wh, "SELECT count(*) FROM facts");
    let n_tables = count(&s.wh, "SELECT count(*) FROM source_tables");
    drop(s.wh);

    for (to, extra) in [("cli out.xlsx", vec![]), ("cli 'fsds'/", vec![]), ("cli parts", vec!["--partition-by", "entity_id,fiscal_year"])] {
        let out = bin().arg("export").arg("--to").arg(s.out.join(to)).args(&extra).arg("--db").arg(&db).output().unwrap();
        assert!(out.status.success(), "{to}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stderr).contains("wrote"));
    }
    assert!(s.out.join("cli 'fsds'").join("num.txt").exists());
    let bad = bin().args(["export", "--to"]).arg(s.out.join("facts.unknown")).arg("--db").arg(&db).output().unwrap();
    assert_eq!(bad.status.code(), Some(2), "a format it cannot tell is a usage error");
    let bad = bin().args(["export", "--format", "csv", "--partition-by", "entity_id", "--to"]).arg(s.out.join("p.csv")).arg("--db").arg(&db).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));

    let info = bin().args(["info", "--format", "json", "--db"]).arg(&db).output().unwrap();
    assert!(info.status.success(), "{}", String::from_utf8_lossy(&info.stderr));
    let v: serde_json::Value = serde_json::from_slice(&info.stdout).unwrap();
    assert_eq!(v["totals"]["facts"], n_facts);
    assert_eq!(v["totals"]["tables"], n_tables);
    assert_eq!(v["totals"]["filings"], 2);
    let forms: HashSet<String> = v["by_form"].as_array().unwrap().iter().map(|f| f["form_type"].as_str().unwrap().to_string()).collect();
    assert_eq!(forms, HashSet::from(["10-K".to_string(), "10-Q".to_string()]));
    let facts_by_entity: i64 = v["by_entity"].as_array().unwrap().iter().map(|e| e["facts"].as_i64().unwrap()).sum();
    let facts_by_year: i64 = v["by_year"].as_array().unwrap().iter().map(|e| e["facts"].as_i64().unwrap()).sum();
    assert_eq!(facts_by_entity, facts_by_year);
    let table = bin().args(["info", "--db"]).arg(&db).output().unwrap();
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(text.contains("By entity") && text.contains("By form") && text.contains("American Locker"), "{text}");
    let csv = bin().args(["info", "--by", "year", "--format", "csv", "--db"]).arg(&db).output().unwrap();
    assert!(String::from_utf8_lossy(&csv.stdout).starts_with("year,filings,"));
    assert_eq!(bin().args(["info", "--format", "csv", "--db"]).arg(&db).output().unwrap().status.code(), Some(2));

    for cmd in ["export", "info", "query", "load", "tables", "concepts", "check"] {
        let help = bin().args([cmd, "--help"]).output().unwrap();
        let text = String::from_utf8_lossy(&help.stdout);
        assert!(text.contains("Examples:"), "{cmd} --help has examples");
    }
    let help = String::from_utf8_lossy(&bin().args(["export", "--help"]).output().unwrap().stdout).to_string();
    for f in [".csv", ".parquet", "--partition-by", ".xlsx", ".sqlite", "fsds"] {
        assert!(help.contains(f), "export --help mentions {f}");
    }
}
