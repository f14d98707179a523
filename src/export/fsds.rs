//! The SEC's Financial Statement Data Sets layout (`--format fsds`): a folder with `sub.txt`,
//! `num.txt`, `tag.txt` and `pre.txt`, tab-separated UTF-8 with a header row of the SEC's
//! column names, no quoting (tabs and line breaks inside text become spaces), so readers
//! written for the SEC's XBRL-era data sets can read pre-XBRL filings.
//!
//! How edgarfacts fills the SEC's fields:
//! - `adsh`: the filing id, i.e. the accession number (0000950123-03-001234), or the synthetic
//!   `sha256:...` id of a filing without one.
//! - sub: `cik`, `name`, `sic`, `ein` (IRS number, digits), `fye` (mmdd), `form`, `period`
//!   (period of report rounded to the nearest month end, yyyymmdd), `fy`/`fp` (fiscal year and
//!   period focus from the period and the fiscal year end: FY for 10-K forms, Q1-Q4 for 10-Q
//!   forms), `filed` (yyyymmdd), `prevrpt` (1 when a later amendment of the same report is in
//!   the warehouse), `detail` (1 when the filing has facts from notes), `instance` (the source
//!   file), `nciks` 1; the address fields, `former`, `changed`, `afs`, `accepted` and `aciks`
//!   are not in a text filing and stay empty, `wksi` is 0.
//! - num: `tag` (the concept's local name), `version` (`us-gaap/2009` for us-gaap concepts,
//!   the adsh for filing-specific `ext:` concepts), `ddate` (period end rounded to the nearest
//!   month end) and `qtrs` (0 for instants, else the duration in quarters, rounded, at least
//!   1), `uom` (USD, USD/shares, shares, pure, ...; a percent is stored as XBRL does, as a pure
//!   ratio: 6.5 % -> 0.065), `segments` (edgarfacts' column member, e.g. an equity component,
//!   empty for the undimensioned facts that the classic data sets hold), `coreg` (empty),
//!   `value` (the exact decimal), `footnote`. A fact without a period (period_type none) is
//!   dated at the filing's period, qtrs 0.
//! - One num row per distinct (adsh, tag, version, ddate, qtrs, uom, segments, coreg), as in
//!   XBRL: a value printed twice (a statement total repeated in a note) is one num row with two
//!   pre lines. When two printed rows would give one key two different values, the row from
//!   the primary statement keeps the concept's tag and the other row gets a filing-specific tag
//!   `<Name>Table<t>Row<r>` (custom, version = adsh, its tag.txt `doc` names the concept), so
//!   every fact is in num.txt exactly once.
//! - pre: one line per printed row: `report` = the table number (see `tables`), `line` counts
//!   the rows of that table from 1, `stmt` BS / IS / CF / EQ / CI, UN for notes, `plabel` the
//!   printed label (the tag's label for an unlabeled total), `rfile` H, `inpth` and `negating` 0.
//! - tag: one line per (tag, version): `custom`, `abstract` 0, `datatype` (monetary, perShare,
//!   shares, percent, ...), `iord` (I instant / D duration), `crdr` empty (no taxonomy), `tlabel`
//!   (the words of a standard name; the printed label for a custom tag), `doc`.

use super::{decimal_text, trim_sql, Event, Outcome};
use chrono::{Datelike, NaiveDate};
use duckdb::types::Value;
use duckdb::Connection;
use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};

pub const SUB_COLUMNS: [&str; 36] = [
    "adsh", "cik", "name", "sic", "countryba", "stprba", "cityba", "zipba", "bas1", "bas2", "baph", "countryma", "stprma", "cityma",
    "zipma", "mas1", "mas2", "countryinc", "stprinc", "ein", "former", "changed", "afs", "wksi", "fye", "form", "period", "fy",
    "fp", "filed", "accepted", "prevrpt", "detail", "instance", "nciks", "aciks",
];
pub const NUM_COLUMNS: [&str; 10] = ["adsh", "tag", "version", "ddate", "qtrs", "uom", "segments", "coreg", "value", "footnote"];
pub const TAG_COLUMNS: [&str; 9] = ["tag", "version", "custom", "abstract", "datatype", "iord", "crdr", "tlabel", "doc"];
pub const PRE_COLUMNS: [&str; 10] = ["adsh", "report", "line", "stmt", "inpth", "rfile", "tag", "version", "plabel", "negating"];

pub const STANDARD_VERSION: &str = "us-gaap/2009";

/// Text for a tab-separated field: no tabs or line breaks, at most `max` characters.
pub fn clean(s: &str, max: usize) -> String {
    s.chars().map(|c| if matches!(c, '\t' | '\r' | '\n') { ' ' } else { c }).take(max).collect()
}

fn last_day_of_month(y: i32, m: u32) -> NaiveDate {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    NaiveDate::from_ymd_opt(ny, nm, 1).expect("valid month").pred_opt().expect("valid date")
}

/// The nearest month end: day 1-15 goes back to the previous month's end (1998-01-03 ->
/// 1997-12-31), day 16 on to its own month's end (2003-06-28 -> 2003-06-30).
pub fn round_to_month_end(d: NaiveDate) -> NaiveDate {
    if d.day() <= 15 {
        NaiveDate::from_ymd_opt(d.year(), d.month(), 1).expect("valid").pred_opt().expect("valid")
    } else {
        last_day_of_month(d.year(), d.month())
    }
}

/// Quarters in a duration (both ends inclusive), rounded, at least 1.
pub fn quarters(start: NaiveDate, end: NaiveDate) -> i64 {
    let days = (end - start).num_days() + 1;
    ((days as f64 / 91.3125).round() as i64).max(1)
}

pub fn yyyymmdd(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

/// Fiscal year and fiscal period focus of a report: `period` is the (rounded) report date,
/// `fye` the fiscal year end as mmdd.
pub fn fiscal_focus(form: &str, period: NaiveDate, fye: Option<&str>) -> (i32, String) {
    let fye_month = fye
        .filter(|s| s.len() == 4 && s.chars().all(|c| c.is_ascii_digit()))
        .and_then(|s| {
            let (m, d) = (s[..2].parse::<u32>().ok()?, s[2..].parse::<u32>().ok()?);
            let probe = NaiveDate::from_ymd_opt(2001, m, d.min(28).max(1))?;
            // a 52-53 week year ending early in a month belongs to the month before
            Some(if d <= 15 { probe.with_day(1)?.pred_opt()?.month() } else { probe.month() })
        });
    let form_u = form.trim().to_ascii_uppercase();
    let annual = form_u.starts_with("10-K") || form_u.starts_with("20-F") || form_u.starts_with("40-F");
    let m = fye_month.unwrap_or(if annual { period.month() } else { 12 });
    let fy = if period.month() <= m { period.year() } else { period.year() + 1 };
    let fp = if annual {
        "FY".to_string()
    } else if form_u.starts_with("10-Q") {
        match (period.month() + 12 - m) % 12 {
            1..=4 => "Q1",
            5..=7 => "Q2",
            8..=10 => "Q3",
            _ => "Q4",
        }
        .to_string()
    } else {
        String::new()
    };
    (fy, fp)
}

/// FSDS unit of measure and the value in it.
pub fn uom_and_value(unit: &str, mantissa: i128, scale: u8) -> (String, String) {
    match unit {
        "percent" => ("pure".into(), decimal_text(mantissa, scale + 2)),
        _ => {
            let uom = match unit {
                "USD/share" => "USD/shares",
                "count" => "pure",
                "years" => "Y",
                other => other,
            };
            (uom.to_string(), decimal_text(mantissa, scale))
        }
    }
}

fn datatype(unit: &str) -> &'static str {
    match unit {
        "USD" => "monetary",
        "USD/share" => "perShare",
        "shares" => "shares",
        "percent" => "percent",
        "count" => "integer",
        "sqft" => "area",
        "years" => "duration",
        _ => "decimal",
    }
}

pub fn stmt_code(statement: &str) -> &'static str {
    match statement {
        "balance" => "BS",
        "income" => "IS",
        "cash_flow" => "CF",
        "equity" => "EQ",
        "comprehensive" => "CI",
        _ => "UN",
    }
}

/// "PropertyPlantAndEquipmentGross" -> "Property Plant And Equipment Gross".
fn words(name: &str) -> String {
    let mut out = String::new();
    let cs: Vec<char> = name.chars().collect();
    for (i, &c) in cs.iter().enumerate() {
        let boundary = i > 0
            && ((c.is_uppercase()
                && (cs[i - 1].is_lowercase() || (cs[i - 1].is_uppercase() && cs.get(i + 1).is_some_and(|n| n.is_lowercase()))))
                || (c.is_ascii_digit() && !cs[i - 1].is_ascii_digit()));
        if boundary {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// A name made of a label's words: "Long-term debt, net" -> "LongTermDebtNet".
fn camel(label: &str) -> String {
    let s: String = label
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut cs = w.chars();
            cs.next().map(|f| f.to_uppercase().chain(cs).collect::<String>()).unwrap_or_default()
        })
        .collect();
    if s.is_empty() {
        "Item".to_string()
    } else if s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("N{s}")
    } else {
        s
    }
}

/// (tag, version, custom) of a concept in a filing.
fn standard_tag(concept: &str, label: &str, adsh: &str) -> (String, String, bool) {
    match concept.split_once(':') {
        Some(("us-gaap", local)) if !local.is_empty() => (local.to_string(), STANDARD_VERSION.to_string(), false),
        Some(("dei", local)) if !local.is_empty() => (local.to_string(), "dei/2009".to_string(), false),
        Some((_, local)) if !local.is_empty() => (local.to_string(), adsh.to_string(), true),
        _ if !concept.is_empty() => (concept.to_string(), adsh.to_string(), true),
        _ => (camel(label), adsh.to_string(), true),
    }
}

#[derive(Debug, Clone)]
struct Fact {
    filing_id: String,
    table_id: Option<i64>,
    row_index: Option<i64>,
    column_index: Option<i64>,
    fact_id: i64,
    statement: String,
    table_title: String,
    row_label: String,
    concept: String,
    period_type: String,
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
    mantissa: i128,
    scale: u8,
    unit: String,
    dimension: Option<String>,
    footnote: Option<String>,
    period_of_report: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct NumKey {
    tag: String,
    version: String,
    ddate: String,
    qtrs: i64,
    uom: String,
    segments: String,
}

struct TagInfo {
    custom: bool,
    datatype: &'static str,
    iord: &'static str,
    tlabel: String,
    doc: String,
}

fn text(v: &Value) -> String {
    super::format_value(v).unwrap_or_default()
}
fn opt_text(v: &Value) -> Option<String> {
    super::format_value(v)
}
fn int(v: &Value) -> Option<i64> {
    super::format_value(v).and_then(|s| s.parse().ok())
}
fn date(v: &Value) -> Option<NaiveDate> {
    match v {
        Value::Date32(d) => super::date_from_days(*d),
        _ => None,
    }
}

/// The four files being written: temporary names until everything succeeded.
struct Out {
    files: Vec<(PathBuf, PathBuf, std::io::BufWriter<std::fs::File>)>,
}

impl Out {
    fn create(dir: &Path, names: &[(&str, &[&str])]) -> anyhow::Result<Out> {
        std::fs::create_dir_all(dir).map_err(|e| anyhow::anyhow!("{}: {e}", dir.display()))?;
        let mut files = Vec::new();
        for (name, cols) in names {
            let fin = dir.join(name);
            let tmp = dir.join(format!(".{name}.partial-{}", std::process::id()));
            let mut w = std::io::BufWriter::new(std::fs::File::create(&tmp).map_err(|e| anyhow::anyhow!("{}: {e}", tmp.display()))?);
            writeln!(w, "{}", cols.join("\t"))?;
            files.push((tmp, fin, w));
        }
        Ok(Out { files })
    }
    fn line(&mut self, i: usize, fields: &[&str]) -> std::io::Result<()> {
        writeln!(self.files[i].2, "{}", fields.join("\t"))
    }
    fn commit(mut self) -> anyhow::Result<()> {
        for (tmp, fin, w) in self.files.drain(..) {
            let f = w.into_inner().map_err(|e| anyhow::anyhow!("{}: {e}", tmp.display()))?;
            f.sync_all().ok();
            std::fs::rename(&tmp, &fin).map_err(|e| anyhow::anyhow!("{}: {e}", fin.display()))?;
        }
        Ok(())
    }
}

impl Drop for Out {
    fn drop(&mut self) {
        for (tmp, _, _) in &self.files {
            let _ = std::fs::remove_file(tmp);
        }
    }
}

const SUB: usize = 0;
const NUM: usize = 1;
const TAG: usize = 2;
const PRE: usize = 3;

/// Write the folder. `restrict`: only the facts (filing_id, fact_id) of this query.
pub fn write(conn: &Connection, restrict: Option<&str>, dir: &Path) -> anyhow::Result<Outcome> {
    let sel_cte = match restrict {
        Some(q) => {
            let cols = super::column_names(conn, q)?;
            if !(cols.iter().any(|c| c == "filing_id") && cols.iter().any(|c| c == "fact_id")) {
                return Err(super::usage("--format fsds exports facts: the view or query must return filing_id and fact_id (e.g. SELECT * FROM v_facts WHERE ...)"));
            }
            format!("WITH sel AS (SELECT DISTINCT filing_id, fact_id FROM ({}) AS q) ", trim_sql(q))
        }
        None => String::new(),
    };
    let sel_join = if restrict.is_some() { "JOIN sel ON sel.filing_id = f.filing_id AND sel.fact_id = f.fact_id " } else { "" };

    let mut out = Out::create(
        dir,
        &[("sub.txt", &SUB_COLUMNS), ("num.txt", &NUM_COLUMNS), ("tag.txt", &TAG_COLUMNS), ("pre.txt", &PRE_COLUMNS)],
    )?;

    // sub.txt
    let subs_sql = format!(
        "{sel_cte}, ids AS (SELECT DISTINCT f.filing_id FROM facts f {sel_join}WHERE f.value IS NOT NULL) \
         SELECT fl.filing_id, fl.cik, coalesce(fl.company_name, e.entity_name, ''), fl.sic, fl.irs_number, fl.fiscal_year_end, \
                coalesce(fl.form_type, ''), fl.period_of_report, fl.filed_date, fl.source_file, \
                EXISTS (SELECT 1 FROM filings a WHERE a.entity_id = fl.entity_id AND a.filing_id <> fl.filing_id \
                        AND a.period_of_report = fl.period_of_report \
                        AND a.form_type = regexp_replace(fl.form_type, '/A$', '') || '/A' \
                        AND (a.filed_date IS NULL OR fl.filed_date IS NULL OR a.filed_date > fl.filed_date)) AS prevrpt, \
                EXISTS (SELECT 1 FROM facts x WHERE x.filing_id = fl.filing_id AND x.statement = 'other') AS detail \
         FROM filings fl JOIN ids ON ids.filing_id = fl.filing_id LEFT JOIN entities e ON e.entity_id = fl.entity_id \
         ORDER BY fl.filing_id",
        sel_cte = if sel_cte.is_empty() { "WITH sel AS (SELECT 1)".to_string() } else { sel_cte.trim_end().to_string() },
    );
    let digits = |s: &str| s.chars().filter(|c| c.is_ascii_digit()).collect::<String>();
    let mut n_subs = 0u64;
    super::for_each_row(conn, &subs_sql, |e| {
        if let Event::Row(v) = e {
            let adsh = text(&v[0]);
            let cik = digits(&text(&v[1])).trim_start_matches('0').to_string();
            let name = clean(&text(&v[2]), 150);
            let sic = digits(&text(&v[3]));
            let ein = digits(&text(&v[4]));
            let fye = opt_text(&v[5]).map(|s| digits(&s)).filter(|s| s.len() == 4);
            let form = clean(&text(&v[6]), 20);
            let period = date(&v[7]).map(round_to_month_end);
            let filed = date(&v[8]).map(yyyymmdd).unwrap_or_default();
            let instance = clean(&text(&v[9]), 256);
            let prevrpt = if matches!(v[10], Value::Boolean(true)) { "1" } else { "0" };
            let detail = if matches!(v[11], Value::Boolean(true)) { "1" } else { "0" };
            let (fy, fp) = match period {
                Some(p) => {
                    let (y, fp) = fiscal_focus(&form, p, fye.as_deref());
                    (y.to_string(), fp)
                }
                None => (String::new(), String::new()),
            };
            let period_s = period.map(yyyymmdd).unwrap_or_default();
            let fye_s = fye.unwrap_or_default();
            let fields: [&str; 36] = [
                &adsh, &cik, &name, &sic, "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", &ein, "", "", "", "0", &fye_s, &form,
                &period_s, &fy, &fp, &filed, "", prevrpt, detail, &instance, "1", "",
            ];
            out.line(SUB, &fields)?;
            n_subs += 1;
        }
        Ok(())
    })?;

    // facts, one filing at a time
    let facts_sql = format!(
        "{sel_cte}SELECT f.filing_id, f.table_id, f.row_index, f.column_index, f.fact_id, coalesce(f.statement, 'other'), \
                coalesce(f.table_title, ''), coalesce(f.row_label, ''), coalesce(f.concept, ''), coalesce(f.period_type, 'none'), \
                f.period_start, f.period_end, f.value, coalesce(f.unit, ''), f.dimension, f.footnote, fl.period_of_report \
         FROM facts f JOIN filings fl ON fl.filing_id = f.filing_id {sel_join}\
         WHERE f.value IS NOT NULL \
         ORDER BY f.filing_id, CASE f.statement WHEN 'balance' THEN 0 WHEN 'income' THEN 1 WHEN 'comprehensive' THEN 2 \
                  WHEN 'cash_flow' THEN 3 WHEN 'equity' THEN 4 ELSE 5 END, f.table_id NULLS LAST, f.row_index, f.column_index, f.fact_id"
    );
    let mut tags: BTreeMap<(String, String), TagInfo> = BTreeMap::new();
    let mut stats = Stats::default();
    let mut batch: Vec<Fact> = Vec::new();
    let n_facts = super::for_each_row(conn, &facts_sql, |e| {
        if let Event::Row(v) = e {
            let Value::Decimal(d) = &v[12] else {
                return Ok(());
            };
            let f = Fact {
                filing_id: text(&v[0]),
                table_id: int(&v[1]),
                row_index: int(&v[2]),
                column_index: int(&v[3]),
                fact_id: int(&v[4]).unwrap_or(0),
                statement: text(&v[5]),
                table_title: text(&v[6]),
                row_label: text(&v[7]),
                concept: text(&v[8]),
                period_type: text(&v[9]),
                start: date(&v[10]),
                end: date(&v[11]),
                mantissa: d.value(),
                scale: d.scale(),
                unit: text(&v[13]),
                dimension: opt_text(&v[14]).filter(|s| !s.is_empty()),
                footnote: opt_text(&v[15]),
                period_of_report: date(&v[16]),
            };
            if batch.first().is_some_and(|b| b.filing_id != f.filing_id) {
                let done = std::mem::take(&mut batch);
                write_filing(&done, &mut out, &mut tags, &mut stats)?;
            }
            batch.push(f);
        }
        Ok(())
    })?;
    if !batch.is_empty() {
        write_filing(&batch, &mut out, &mut tags, &mut stats)?;
    }

    for ((tag, version), t) in &tags {
        let fields = [
            tag.as_str(),
            version.as_str(),
            if t.custom { "1" } else { "0" },
            "0",
            t.datatype,
            t.iord,
            "",
            &clean(&t.tlabel, 512),
            &clean(&t.doc, 2048),
        ];
        out.line(TAG, &fields)?;
    }
    out.commit()?;
    let mut notes = Vec::new();
    if stats.disambiguated_rows > 0 {
        notes.push(format!(
            "{} printed rows got a filing-specific tag: their concept already had another value for the same period in that filing",
            stats.disambiguated_rows
        ));
    }
    if stats.shared > 0 {
        notes.push(format!("{} facts repeat a value printed elsewhere in the filing (one num row, several pre lines)", stats.shared));
    }
    Ok(Outcome {
        rows: n_facts,
        summary: format!(
            "wrote {n_facts} facts of {n_subs} filings to {}: sub.txt {n_subs}, num.txt {}, tag.txt {}, pre.txt {} lines",
            dir.display(),
            stats.num,
            tags.len(),
            stats.pre
        ),
        notes,
    })
}

#[derive(Default)]
struct Stats {
    num: u64,
    pre: u64,
    shared: u64,
    disambiguated_rows: u64,
}

/// ddate, qtrs of a fact.
fn fact_date(f: &Fact) -> (String, i64) {
    match (f.period_type.as_str(), f.start, f.end) {
        ("duration", Some(s), Some(e)) => (yyyymmdd(round_to_month_end(e)), quarters(s, e)),
        (_, _, Some(e)) => (yyyymmdd(round_to_month_end(e)), 0),
        _ => (f.period_of_report.map(|d| yyyymmdd(round_to_month_end(d))).unwrap_or_default(), 0),
    }
}

fn write_filing(facts: &[Fact], out: &mut Out, tags: &mut BTreeMap<(String, String), TagInfo>, stats: &mut Stats) -> anyhow::Result<()> {
    let adsh = clean(&facts[0].filing_id, 64);
    let mut num: HashMap<NumKey, (String, Option<String>)> = HashMap::new();
    let mut num_order: Vec<NumKey> = Vec::new();
    let mut pre_lines: HashMap<i64, i64> = HashMap::new();

    // printed rows in order: (table, row) groups; facts without a table are a group each
    let mut i = 0;
    while i < facts.len() {
        let mut j = i + 1;
        if facts[i].table_id.is_some() && facts[i].row_index.is_some() {
            while j < facts.len() && facts[j].table_id == facts[i].table_id && facts[j].row_index == facts[i].row_index {
                j += 1;
            }
        }
        let row = &facts[i..j];
        let first = &row[0];
        let (std_tag, std_version, std_custom) = standard_tag(&first.concept, &first.row_label, &adsh);
        let entries: Vec<(NumKey, String, &Fact)> = row
            .iter()
            .map(|f| {
                let (ddate, qtrs) = fact_date(f);
                let (uom, value) = uom_and_value(&f.unit, f.mantissa, f.scale);
                let segments = f.dimension.as_deref().map(|d| clean(d, 1024)).unwrap_or_default();
                (NumKey { tag: String::new(), version: String::new(), ddate, qtrs, uom, segments }, value, f)
            })
            .collect();
        let fits = |tag: &str, version: &str, num: &HashMap<NumKey, (String, Option<String>)>| -> bool {
            let mut mine: HashMap<NumKey, &str> = HashMap::new();
            for (k, v, _) in &entries {
                let k = NumKey { tag: tag.to_string(), version: version.to_string(), ..k.clone() };
                if num.get(&k).is_some_and(|(x, _)| x != v) {
                    return false;
                }
                if mine.insert(k, v).is_some_and(|x| x != v) {
                    return false;
                }
            }
            true
        };
        let table = first.table_id.unwrap_or(0);
        let row_no = first.row_index.unwrap_or(first.fact_id);
        // per fact: (tag, version, custom); normally one tag for the whole row
        let mut assigned: Vec<(String, String, bool)> = Vec::new();
        if fits(&std_tag, &std_version, &num) {
            assigned.resize(row.len(), (std_tag.clone(), std_version.clone(), std_custom));
        } else {
            stats.disambiguated_rows += 1;
            let base: String = std_tag.chars().take(200).collect();
            let row_tag = format!("{base}Table{table}Row{row_no}");
            if fits(&row_tag, &adsh, &num) {
                assigned.resize(row.len(), (row_tag, adsh.clone(), true));
            } else {
                for f in row {
                    let c = f.column_index.unwrap_or(f.fact_id);
                    assigned.push((format!("{row_tag}Col{c}"), adsh.clone(), true));
                }
            }
        }
        // num rows and tags
        for ((k, value, f), (tag, version, custom)) in entries.iter().zip(&assigned) {
            let key = NumKey { tag: tag.clone(), version: version.clone(), ..k.clone() };
            match num.get(&key) {
                Some(_) => stats.shared += 1,
                None => {
                    num.insert(key.clone(), (value.clone(), f.footnote.clone()));
                    num_order.push(key);
                }
            }
            tags.entry((tag.clone(), version.clone())).or_insert_with(|| {
                let disambiguated = tag != &std_tag;
                TagInfo {
                    custom: *custom,
                    datatype: datatype(&f.unit),
                    iord: if f.period_type == "duration" { "D" } else { "I" },
                    tlabel: if *custom && !f.row_label.trim().is_empty() { f.row_label.clone() } else { words(&std_tag) },
                    doc: if disambiguated {
                        format!(
                            "edgarfacts: {} as printed in \"{}\" (table {}); a filing-specific tag because another row gives {} another value for the same period",
                            f.concept, f.table_title, table, f.concept
                        )
                    } else if *custom {
                        format!("edgarfacts: {} from the printed label in \"{}\"", f.concept, f.table_title)
                    } else {
                        String::new()
                    },
                }
            });
        }
        // pre lines: one per (row, tag)
        let mut seen: Vec<&(String, String, bool)> = Vec::new();
        for a in &assigned {
            if seen.contains(&a) {
                continue;
            }
            seen.push(a);
            let line = pre_lines.entry(table).or_insert(0);
            *line += 1;
            let plabel = if first.row_label.trim().is_empty() { words(&std_tag) } else { first.row_label.clone() };
            let report = table.to_string();
            let line_s = line.to_string();
            out.line(
                PRE,
                &[&adsh, &report, &line_s, stmt_code(&first.statement), "0", "H", &a.0, &a.1, &clean(&plabel, 512), "0"],
            )?;
            stats.pre += 1;
        }
        i = j;
    }
    for k in &num_order {
        let (value, footnote) = &num[k];
        let qtrs = k.qtrs.to_string();
        let foot = footnote.as_deref().map(|f| clean(f, 512)).unwrap_or_default();
        out.line(NUM, &[&adsh, &k.tag, &k.version, &k.ddate, &qtrs, &k.uom, &k.segments, "", value, &foot])?;
        stats.num += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn month_end_rounding_and_quarters() {
        assert_eq!(round_to_month_end(d("2003-12-31")), d("2003-12-31"));
        assert_eq!(round_to_month_end(d("1998-01-03")), d("1997-12-31"));
        assert_eq!(round_to_month_end(d("2003-06-28")), d("2003-06-30"));
        assert_eq!(round_to_month_end(d("2004-02-20")), d("2004-02-29"));
        assert_eq!(quarters(d("2002-07-01"), d("2002-09-30")), 1);
        assert_eq!(quarters(d("2002-01-01"), d("2002-09-30")), 3);
        assert_eq!(quarters(d("1997-01-05"), d("1998-01-03")), 4);
        assert_eq!(quarters(d("2002-01-01"), d("2002-12-31")), 4);
    }

    #[test]
    fn fiscal_focus_of_reports() {
        assert_eq!(fiscal_focus("10-K", d("2003-12-31"), Some("1231")), (2003, "FY".into()));
        assert_eq!(fiscal_focus("10-Q", d("2002-09-30"), None), (2002, "Q3".into()));
        assert_eq!(fiscal_focus("10-Q", d("1998-12-31"), Some("0630")), (1999, "Q2".into()));
        assert_eq!(fiscal_focus("10-K405", d("1997-12-31"), Some("0103")), (1997, "FY".into()));
    }

    #[test]
    fn units_and_names() {
        assert_eq!(uom_and_value("percent", 6_500_000, 6), ("pure".into(), "0.065".into()));
        assert_eq!(uom_and_value("USD/share", 390_000, 6), ("USD/shares".into(), "0.39".into()));
        assert_eq!(words("PropertyPlantAndEquipmentGross"), "Property Plant And Equipment Gross");
        assert_eq!(words("EBITDAMargin"), "EBITDA Margin");
        assert_eq!(camel("Long-term debt, net"), "LongTermDebtNet");
        assert_eq!(standard_tag("us-gaap:Assets", "", "x"), ("Assets".into(), STANDARD_VERSION.into(), false));
        assert_eq!(standard_tag("ext:Federal", "", "0001-02-03"), ("Federal".into(), "0001-02-03".into(), true));
    }
}
