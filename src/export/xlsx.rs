//! Excel workbook (`.xlsx`, with `rust_xlsxwriter`), for Excel, LibreOffice and Google Sheets:
//!
//! - one sheet per statement (balance sheet, income, comprehensive income, cash flows, equity)
//!   per entity: line items as rows in the filing's order (table_id, row_index), periods as
//!   columns (oldest to newest; a second header row names the column member where there is
//!   one). Several filings of an entity are merged: a line item (same concept and label) is one
//!   row, new items are slotted in after the item they follow, and where two filings give a
//!   value for the same item and period the newest filing's is shown (all values stay in the
//!   `facts` sheet). An equity statement whose rows each carry one period (events x components)
//!   keeps that layout: one row per printed row with its period, components as columns;
//! - a `facts` sheet with the exported result itself (default `v_facts`), one fact per row;
//! - a `checks` sheet with `v_checks` (the accounting checks) when the warehouse has that view.
//!
//! Numbers are numbers (not text) with number formats (thousands separators, negatives in
//! parentheses, the decimals the value has); dates are dates (`yyyy-mm-dd`); headers are
//! frozen. Excel holds numbers as doubles: values of up to 15 significant digits (every
//! value in a filing) come back exactly.

use super::{column_names, decimal_text, format_value, relation_exists, trim_sql, usage, write_atomically, Event, Outcome};
use chrono::{Datelike, NaiveDate};
use duckdb::types::Value;
use duckdb::Connection;
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

/// Excel's last row is 1,048,576 (one is the header).
const MAX_ROWS: u64 = 1_048_575;
const MAX_TEXT: usize = 32_767;

pub const STATEMENTS: [(&str, &str, &str); 5] = [
    ("balance", "Balance sheet", "BS"),
    ("income", "Income statement", "IS"),
    ("comprehensive", "Comprehensive income", "CI"),
    ("cash_flow", "Cash flows", "CF"),
    ("equity", "Equity", "EQ"),
];

/// Cell formats, shared by every sheet.
struct Formats {
    title: Format,
    header: Format,
    header_num: Format,
    note: Format,
    date: Format,
    number: Vec<Format>,
    label: Vec<Format>,
}

impl Formats {
    fn new() -> Formats {
        let number = (0..=6)
            .map(|d: usize| {
                let frac = if d == 0 { String::new() } else { format!(".{}", "0".repeat(d)) };
                Format::new().set_num_format(format!("#,##0{frac};(#,##0{frac})"))
            })
            .collect();
        Formats {
            title: Format::new().set_bold().set_font_size(12),
            header: Format::new().set_bold().set_text_wrap().set_border_bottom(FormatBorder::Thin),
            header_num: Format::new().set_bold().set_text_wrap().set_align(FormatAlign::Right).set_border_bottom(FormatBorder::Thin),
            note: Format::new().set_italic(),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            number,
            label: (0..=6).map(|i| Format::new().set_indent(i)).collect(),
        }
    }
    fn number(&self, decimals: usize) -> &Format {
        &self.number[decimals.min(6)]
    }
}

/// Number of digits after the decimal point of an exact decimal text.
fn decimals_of(text: &str) -> usize {
    text.split_once('.').map(|(_, f)| f.len()).unwrap_or(0)
}

pub fn write(conn: &Connection, sql: &str, to: &Path) -> anyhow::Result<Outcome> {
    let cols = column_names(conn, sql)?;
    let fm = Formats::new();
    let mut wb = Workbook::new();
    let mut notes = Vec::new();
    let has = |n: &str| cols.iter().any(|c| c == n);

    // statements, built from the warehouse rows of the exported facts
    let mut n_statement_sheets = 0;
    if has("filing_id") && has("fact_id") {
        let facts = statement_facts(conn, sql)?;
        let sheets = build_sheets(&facts);
        let mut names = SheetNames::default();
        let multi = facts.iter().map(|f| f.entity_id.as_str()).collect::<HashSet<_>>().len() > 1;
        for s in &sheets {
            let name = names.statement(s, multi);
            let mut ws = Worksheet::new();
            ws.set_name(&name)?;
            s.write(&mut ws, &fm)?;
            wb.push_worksheet(ws);
            n_statement_sheets += 1;
        }
        let superseded: usize = sheets.iter().map(|s| s.superseded).sum();
        if superseded > 0 {
            notes.push(format!(
                "{superseded} statement values were also reported, differently, by an older filing: the sheets show the newest, the facts sheet has both"
            ));
        }
    } else {
        notes.push("no statement sheets: the exported result has no filing_id and fact_id columns".to_string());
    }

    // the long table
    let mut ws = Worksheet::new();
    ws.set_name("facts")?;
    let rows = write_table(&mut ws, conn, sql, &fm)?;
    wb.push_worksheet(ws);

    // accounting checks
    let mut ws = Worksheet::new();
    ws.set_name("checks")?;
    match write_checks(&mut ws, conn, sql, &cols, &fm) {
        Ok(Some(n)) => notes.push(format!("checks sheet: {n} rows of v_checks")),
        Ok(None) => notes.push("checks sheet: this warehouse has no view v_checks yet (a note says so)".to_string()),
        Err(e) => {
            ws = Worksheet::new();
            ws.set_name("checks")?;
            ws.write_string_with_format(0, 0, format!("The checks could not be read: v_checks failed: {e:#}"), &fm.note)?;
            notes.push(format!("checks sheet: v_checks failed: {e:#}"));
        }
    }
    wb.push_worksheet(ws);

    write_atomically(to, |tmp| {
        wb.save(tmp)?;
        Ok(())
    })?;
    Ok(Outcome {
        rows,
        summary: format!("wrote {rows} rows (facts sheet), {n_statement_sheets} statement sheets and a checks sheet to {}", to.display()),
        notes,
    })
}

/// A result as a sheet: header row, typed cells, frozen header, autofilter, column widths.
fn write_table(ws: &mut Worksheet, conn: &Connection, sql: &str, fm: &Formats) -> anyhow::Result<u64> {
    let mut widths: Vec<usize> = Vec::new();
    let mut n_columns = 0usize;
    let mut r: u32 = 0;
    let n = super::for_each_row(conn, sql, |e| {
        match e {
            Event::Columns(cols) => {
                n_columns = cols.len();
                for (c, col) in cols.iter().enumerate() {
                    ws.write_string_with_format(0, c as u16, &col.name, &fm.header)?;
                    widths.push(col.name.chars().count() + 2);
                }
            }
            Event::Row(vals) => {
                r += 1;
                if r as u64 > MAX_ROWS {
                    return Err(usage(format!(
                        "more than {MAX_ROWS} rows: too many for a spreadsheet; export to .parquet, .csv or .sqlite, or narrow it with --query"
                    )));
                }
                for (c, v) in vals.iter().enumerate() {
                    let w = write_value(ws, r, c as u16, v, fm)?;
                    if let Some(x) = widths.get_mut(c) {
                        *x = (*x).max(w.min(60));
                    }
                }
            }
        }
        Ok(())
    })?;
    let last_col = n_columns.saturating_sub(1) as u16;
    ws.set_freeze_panes(1, 0)?;
    if n_columns > 0 {
        ws.autofilter(0, 0, r.max(1), last_col)?;
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, (*w as f64).clamp(6.0, 60.0))?;
    }
    Ok(n)
}

/// One typed cell; returns the width its text needs.
fn write_value(ws: &mut Worksheet, r: u32, c: u16, v: &Value, fm: &Formats) -> anyhow::Result<usize> {
    Ok(match v {
        Value::Null => 0,
        Value::Decimal(d) => {
            let text = decimal_text(d.value(), d.scale());
            let x: f64 = text.parse()?;
            ws.write_number_with_format(r, c, x, fm.number(decimals_of(&text)))?;
            text.len() + text.len() / 3 + 2
        }
        // the other numbers (decimals were matched above)
        v if super::is_numeric(v) => {
            let text = format_value(v).unwrap_or_default();
            match text.parse::<f64>() {
                Ok(x) if x.is_finite() => ws.write_number(r, c, x)?,
                _ => ws.write_string(r, c, &text)?,
            };
            text.len()
        }
        Value::Boolean(b) => {
            ws.write_boolean(r, c, *b)?;
            5
        }
        Value::Date32(days) => match super::date_from_days(*days) {
            Some(d) if (1900..=9999).contains(&d.year()) => {
                let x = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
                ws.write_datetime_with_format(r, c, &x, &fm.date)?;
                10
            }
            _ => {
                let t = format_value(v).unwrap_or_default();
                ws.write_string(r, c, &t)?;
                t.len()
            }
        },
        other => {
            let t = format_value(other).unwrap_or_default();
            let t: String = if t.chars().count() > MAX_TEXT { t.chars().take(MAX_TEXT).collect() } else { t };
            ws.write_string(r, c, &t)?;
            t.chars().count()
        }
    })
}

/// The checks sheet: `v_checks` (for the exported filings when both have filing_id), or a
/// note while the warehouse has no such view. Some(rows) when the view was written.
fn write_checks(ws: &mut Worksheet, conn: &Connection, sql: &str, cols: &[String], fm: &Formats) -> anyhow::Result<Option<u64>> {
    if !relation_exists(conn, "v_checks") {
        ws.write_string_with_format(
            0,
            0,
            "No accounting checks: this warehouse has no view v_checks. It comes with `edgarfacts check`; \
             export again with an edgarfacts that has it and this sheet lists the checks.",
            &fm.note,
        )?;
        return Ok(None);
    }
    let check_cols = column_names(conn, "SELECT * FROM v_checks")?;
    let by_filing = check_cols.iter().any(|c| c == "filing_id") && cols.iter().any(|c| c == "filing_id");
    let q = if by_filing {
        format!(
            "SELECT * FROM v_checks WHERE filing_id IS NULL OR filing_id IN (SELECT filing_id FROM ({}) AS q)",
            trim_sql(sql)
        )
    } else {
        "SELECT * FROM v_checks".to_string()
    };
    Ok(Some(write_table(ws, conn, &q, fm)?))
}

// ---------------------------------------------------------------------------------------
// Statements

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Period {
    end: Option<NaiveDate>,
    start: Option<NaiveDate>,
    kind: String,
}

impl Period {
    /// "2003-12-31" for an instant, "2003-01-01 to 2003-12-31\n(12 months)" for a duration.
    fn header(&self) -> String {
        match (self.kind.as_str(), self.start, self.end) {
            ("duration", Some(s), Some(e)) => {
                let months = (((e - s).num_days() + 1) as f64 / 30.4375).round() as i64;
                format!("{s} to {e}\n({months} month{})", if months == 1 { "" } else { "s" })
            }
            (_, _, Some(e)) => e.to_string(),
            _ => "no period".to_string(),
        }
    }
    /// Columns left to right: by end date, longer periods first, undated last.
    fn sort_key(&self) -> (bool, Option<NaiveDate>, Option<NaiveDate>) {
        (self.end.is_none(), self.end, self.start)
    }
}

#[derive(Debug, Clone)]
struct StmtFact {
    entity_id: String,
    entity_name: String,
    statement: String,
    filing_id: String,
    filing_label: String,
    table_id: i64,
    table_title: String,
    row_index: i64,
    row_label: String,
    concept: String,
    dimension: Option<String>,
    period: Period,
    value: String,
    unit: String,
    indent: i64,
}

fn statement_facts(conn: &Connection, sql: &str) -> anyhow::Result<Vec<StmtFact>> {
    let q = format!(
        "WITH sel AS (SELECT DISTINCT filing_id, fact_id FROM ({}) AS q) \
         SELECT f.entity_id, coalesce(e.entity_name, fl.company_name, f.entity_id) AS entity_name, f.statement, f.filing_id, \
                concat_ws(' ', fl.form_type, CAST(fl.period_of_report AS VARCHAR)) AS filing_label, \
                f.table_id, f.table_title, f.row_index, coalesce(f.row_label, '') AS row_label, coalesce(f.concept, '') AS concept, \
                f.dimension, f.period_type, f.period_start, f.period_end, f.value, coalesce(f.unit, '') AS unit, coalesce(r.indent, 0) AS indent \
         FROM facts f \
         JOIN sel ON sel.filing_id = f.filing_id AND sel.fact_id = f.fact_id \
         JOIN filings fl ON fl.filing_id = f.filing_id \
         LEFT JOIN entities e ON e.entity_id = f.entity_id \
         LEFT JOIN table_rows r ON r.filing_id = f.filing_id AND r.table_id = f.table_id AND r.row_index = f.row_index \
         WHERE f.statement IN ('balance', 'income', 'comprehensive', 'cash_flow', 'equity') \
           AND coalesce(f.source, 'table') = 'table' AND f.value IS NOT NULL \
         ORDER BY f.entity_id, fl.period_of_report DESC NULLS LAST, fl.filed_date DESC NULLS LAST, f.filing_id, \
                  f.table_id, f.row_index, f.column_index",
        trim_sql(sql)
    );
    let rs = super::query(conn, &q)?;
    let date = |s: &Option<String>| s.as_deref().and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    Ok(rs
        .rows
        .iter()
        .map(|r| {
            let s = |i: usize| r[i].clone().unwrap_or_default();
            StmtFact {
                entity_id: s(0),
                entity_name: s(1),
                statement: s(2),
                filing_id: s(3),
                filing_label: s(4),
                table_id: s(5).parse().unwrap_or(0),
                table_title: s(6),
                row_index: s(7).parse().unwrap_or(0),
                row_label: s(8),
                concept: s(9),
                dimension: r[10].clone(),
                period: Period { kind: s(11), start: date(&r[12]), end: date(&r[13]) },
                value: s(14),
                unit: s(15),
                indent: s(16).parse().unwrap_or(0),
            }
        })
        .collect())
}

/// A statement sheet before it is written.
struct Sheet {
    entity_id: String,
    entity_name: String,
    statement: String,
    title: String,
    /// Member layout (equity): one period per row, members as columns.
    by_member: bool,
    rows: Vec<SheetRow>,
    cols: Vec<(Option<Period>, Option<String>)>,
    cells: HashMap<(usize, usize), String>,
    superseded: usize,
}

struct SheetRow {
    label: String,
    level: u8,
    concept: String,
    unit: String,
    period: Option<Period>,
    filing: String,
}

/// The Unit column lists every unit of a row's values ("shares, USD" for an equity row whose
/// first column counts shares).
fn add_unit(units: &mut String, unit: &str) {
    if !unit.is_empty() && !units.split(", ").any(|u| u == unit) {
        if !units.is_empty() {
            units.push_str(", ");
        }
        units.push_str(unit);
    }
}

fn label_key(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

fn build_sheets(facts: &[StmtFact]) -> Vec<Sheet> {
    // group by entity then statement, keeping the query's order within a group
    let mut groups: BTreeMap<(String, usize), Vec<&StmtFact>> = BTreeMap::new();
    for f in facts {
        let Some(si) = STATEMENTS.iter().position(|s| s.0 == f.statement) else { continue };
        groups.entry((f.entity_id.clone(), si)).or_default().push(f);
    }
    let mut sheets: Vec<Sheet> = groups.into_values().map(|g| build_sheet(&g)).collect();
    sheets.sort_by(|a, b| {
        let si = |s: &Sheet| STATEMENTS.iter().position(|x| x.0 == s.statement).unwrap_or(9);
        (a.entity_name.to_lowercase(), &a.entity_id, si(a)).cmp(&(b.entity_name.to_lowercase(), &b.entity_id, si(b)))
    });
    sheets
}

/// Indent levels of a table's rows: steps of two characters over its least indented row.
fn levels(facts: &[&StmtFact]) -> HashMap<(String, i64), i64> {
    let mut min: HashMap<(String, i64), i64> = HashMap::new();
    for f in facts {
        let m = min.entry((f.filing_id.clone(), f.table_id)).or_insert(i64::MAX);
        *m = (*m).min(f.indent);
    }
    min
}

fn build_sheet(facts: &[&StmtFact]) -> Sheet {
    let first = facts[0];
    let stmt = STATEMENTS.iter().find(|s| s.0 == first.statement).map(|s| s.1).unwrap_or("Statement");
    let min_indent = levels(facts);
    let level = |f: &StmtFact| -> u8 {
        let m = min_indent.get(&(f.filing_id.clone(), f.table_id)).copied().unwrap_or(0);
        (((f.indent - m).max(0) + 1) / 2).min(6) as u8
    };
    // one period per printed row (and member)? then the member layout fits
    let mut periods_per_row: HashMap<(&str, i64, i64), HashSet<&Period>> = HashMap::new();
    for f in facts {
        periods_per_row.entry((&f.filing_id, f.table_id, f.row_index)).or_default().insert(&f.period);
    }
    let by_member = first.statement == "equity"
        && facts.iter().any(|f| f.dimension.is_some())
        && periods_per_row.values().all(|p| p.len() == 1);

    let mut sheet = Sheet {
        entity_id: first.entity_id.clone(),
        entity_name: first.entity_name.clone(),
        statement: first.statement.clone(),
        title: format!("{} ({}): {} ({})", first.entity_name, first.entity_id, stmt, first.table_title),
        by_member,
        rows: Vec::new(),
        cols: Vec::new(),
        cells: HashMap::new(),
        superseded: 0,
    };

    let mut col_index: HashMap<(Option<Period>, Option<String>), usize> = HashMap::new();
    let mut col_of = |sheet: &mut Sheet, key: (Option<Period>, Option<String>)| -> usize {
        *col_index.entry(key.clone()).or_insert_with(|| {
            sheet.cols.push(key);
            sheet.cols.len() - 1
        })
    };

    if by_member {
        // one sheet row per printed row, newest filing first; members in printed order
        let mut row_of: HashMap<(&str, i64, i64), usize> = HashMap::new();
        for f in facts {
            let r = *row_of.entry((&f.filing_id, f.table_id, f.row_index)).or_insert_with(|| {
                sheet.rows.push(SheetRow {
                    label: f.row_label.clone(),
                    level: level(f),
                    concept: f.concept.clone(),
                    unit: f.unit.clone(),
                    period: Some(f.period.clone()),
                    filing: f.filing_label.clone(),
                });
                sheet.rows.len() - 1
            });
            add_unit(&mut sheet.rows[r].unit, &f.unit);
            let c = col_of(&mut sheet, (None, f.dimension.clone()));
            sheet.cells.entry((r, c)).or_insert_with(|| f.value.clone());
        }
        return sheet;
    }

    // merged line items: key = (concept, label, k-th occurrence of both within the filing)
    type Key = (String, String, usize);
    let mut order: Vec<Key> = Vec::new();
    let mut row_meta: HashMap<Key, SheetRow> = HashMap::new();
    let mut cells: HashMap<(Key, usize), String> = HashMap::new();
    let mut i = 0;
    while i < facts.len() {
        // one filing at a time (facts come grouped by filing, newest first)
        let filing = &facts[i].filing_id;
        let mut j = i;
        while j < facts.len() && &facts[j].filing_id == filing {
            j += 1;
        }
        let mut seen: HashMap<(String, String), usize> = HashMap::new();
        let mut row_key: HashMap<(i64, i64), Key> = HashMap::new();
        let mut insert_at = 0usize;
        for f in &facts[i..j] {
            let key = match row_key.get(&(f.table_id, f.row_index)) {
                Some(k) => k.clone(),
                None => {
                    let base = (f.concept.clone(), label_key(&f.row_label));
                    let k = seen.entry(base.clone()).or_insert(0);
                    let key = (base.0, base.1, *k);
                    *k += 1;
                    row_key.insert((f.table_id, f.row_index), key.clone());
                    match order.iter().position(|x| x == &key) {
                        Some(p) => insert_at = p + 1,
                        None => {
                            order.insert(insert_at.min(order.len()), key.clone());
                            insert_at = insert_at.min(order.len() - 1) + 1;
                            row_meta.insert(
                                key.clone(),
                                SheetRow {
                                    label: f.row_label.clone(),
                                    level: level(f),
                                    concept: f.concept.clone(),
                                    unit: f.unit.clone(),
                                    period: None,
                                    filing: String::new(),
                                },
                            );
                        }
                    }
                    key
                }
            };
            if let Some(m) = row_meta.get_mut(&key) {
                add_unit(&mut m.unit, &f.unit);
            }
            let c = col_of(&mut sheet, (Some(f.period.clone()), f.dimension.clone()));
            match cells.get(&(key.clone(), c)) {
                Some(v) if v != &f.value => sheet.superseded += 1,
                Some(_) => {}
                None => {
                    cells.insert((key, c), f.value.clone());
                }
            }
        }
        i = j;
    }
    // columns: by period, then members in order of appearance
    let mut perm: Vec<usize> = (0..sheet.cols.len()).collect();
    perm.sort_by(|&a, &b| {
        let ka = sheet.cols[a].0.as_ref().map(|p| p.sort_key());
        let kb = sheet.cols[b].0.as_ref().map(|p| p.sort_key());
        ka.cmp(&kb).then(a.cmp(&b))
    });
    let new_pos: HashMap<usize, usize> = perm.iter().enumerate().map(|(new, &old)| (old, new)).collect();
    sheet.cols = perm.iter().map(|&o| sheet.cols[o].clone()).collect();
    let pos: HashMap<&Key, usize> = order.iter().enumerate().map(|(i, k)| (k, i)).collect();
    for ((k, c), v) in cells {
        sheet.cells.insert((pos[&k], new_pos[&c]), v);
    }
    sheet.rows = order.iter().map(|k| row_meta.remove(k).expect("row meta")).collect();
    sheet
}

impl Sheet {
    fn write(&self, ws: &mut Worksheet, fm: &Formats) -> anyhow::Result<()> {
        ws.write_string_with_format(0, 0, &self.title, &fm.title)?;
        let members = self.cols.iter().any(|c| c.1.is_some());
        let header_rows: u32 = if self.by_member || !members { 2 } else { 3 };
        // fixed columns: label (and period for the member layout), then values, then unit, concept (, filing)
        let first_value: u16 = if self.by_member { 2 } else { 1 };
        ws.write_string_with_format(1, 0, "Line item", &fm.header)?;
        ws.set_column_width(0, 48)?;
        if self.by_member {
            ws.write_string_with_format(1, 1, "Period", &fm.header)?;
            ws.set_column_width(1, 24)?;
        }
        for (i, (p, m)) in self.cols.iter().enumerate() {
            let c = first_value + i as u16;
            let top = if self.by_member {
                m.clone().unwrap_or_else(|| "Amount".to_string())
            } else {
                p.as_ref().map(|p| p.header()).unwrap_or_default()
            };
            ws.write_string_with_format(1, c, &top, &fm.header_num)?;
            if header_rows == 3 {
                ws.write_string_with_format(2, c, m.as_deref().unwrap_or(""), &fm.header_num)?;
            }
            ws.set_column_width(c, 16)?;
        }
        let tail = first_value + self.cols.len() as u16;
        ws.write_string_with_format(1, tail, "Unit", &fm.header)?;
        ws.write_string_with_format(1, tail + 1, "Concept", &fm.header)?;
        ws.set_column_width(tail, 10)?;
        ws.set_column_width(tail + 1, 44)?;
        if self.by_member {
            ws.write_string_with_format(1, tail + 2, "Filing", &fm.header)?;
            ws.set_column_width(tail + 2, 18)?;
        }
        for (i, row) in self.rows.iter().enumerate() {
            let r = header_rows + i as u32;
            ws.write_string_with_format(r, 0, &row.label, &fm.label[row.level as usize])?;
            if self.by_member {
                ws.write_string(r, 1, row.period.as_ref().map(|p| p.header().replace('\n', " ")).unwrap_or_default())?;
            }
            ws.write_string(r, tail, &row.unit)?;
            ws.write_string(r, tail + 1, &row.concept)?;
            if self.by_member {
                ws.write_string(r, tail + 2, &row.filing)?;
            }
        }
        for ((r, c), v) in &self.cells {
            let x: f64 = v.parse()?;
            ws.write_number_with_format(header_rows + *r as u32, first_value + *c as u16, x, fm.number(decimals_of(v)))?;
        }
        ws.set_freeze_panes(header_rows, first_value)?;
        Ok(())
    }
}

/// Unique, valid sheet names (31 characters, none of []:*?/\).
#[derive(Default)]
struct SheetNames {
    used: HashSet<String>,
}

impl SheetNames {
    fn statement(&mut self, s: &Sheet, multi_entity: bool) -> String {
        let (_, long, short) = STATEMENTS.iter().find(|x| x.0 == s.statement).copied().unwrap_or(("", "Statement", "ST"));
        let base = if multi_entity {
            let entity: String = s.entity_name.chars().filter(|c| !"[]:*?/\\".contains(*c)).collect();
            format!("{short} {}", entity.trim().trim_matches('\''))
        } else {
            long.to_string()
        };
        self.unique(&base)
    }

    fn unique(&mut self, base: &str) -> String {
        let clip = |s: &str, n: usize| -> String { s.chars().take(n).collect::<String>().trim_end().to_string() };
        let mut name = clip(base, 31);
        let mut k = 2;
        while self.used.contains(&name.to_lowercase()) || ["facts", "checks", "history"].contains(&name.to_lowercase().as_str()) {
            let suffix = format!(" {k}");
            name = format!("{}{suffix}", clip(base, 31 - suffix.len()));
            k += 1;
        }
        self.used.insert(name.to_lowercase());
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let mut n = SheetNames::default();
        let a = n.unique("BS American Locker Group Incorporated [x]");
        let b = n.unique("BS American Locker Group Incorporated [x]");
        assert!(a.chars().count() <= 31 && b.chars().count() <= 31);
        assert_ne!(a, b);
        assert_ne!(n.unique("facts"), "facts");
    }

    #[test]
    fn period_headers() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        let p = Period { kind: "duration".into(), start: d("2002-07-01"), end: d("2002-09-30") };
        assert_eq!(p.header(), "2002-07-01 to 2002-09-30\n(3 months)");
        let i = Period { kind: "instant".into(), start: None, end: d("2003-12-31") };
        assert_eq!(i.header(), "2003-12-31");
        assert!(i.sort_key() > p.sort_key());
    }
}
