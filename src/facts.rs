//! Assemble facts: every value cell of every table, with its period, unit, concept,
//! scale applied, and the provenance (file, line, table, raw text, row label).

use crate::cells::CellKind;
use crate::concepts::{map_table, ConceptMap, Mapped};
use crate::filing::Filing;
use crate::layout::{StatementKind, Table};
use crate::periods::{resolve_table, FilingPeriods, Period};
use crate::units::{unit_of, TableUnits};
use chrono::Datelike;
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};
use std::sync::Arc;

fn ser_arc<S: Serializer>(v: &Arc<str>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(v)
}

fn ser_opt_arc<S: Serializer>(v: &Option<Arc<str>>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => s.serialize_some(&**v),
        None => s.serialize_none(),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Fact {
    pub table_id: usize,
    pub row: usize,
    pub col: usize,
    pub line: usize,
    pub raw: String,
    /// Shared by every fact of the row (or column): one allocation per row, not per cell.
    #[serde(serialize_with = "ser_arc")]
    pub row_label: Arc<str>,
    #[serde(serialize_with = "ser_arc")]
    pub column_label: Arc<str>,
    #[serde(serialize_with = "ser_arc")]
    pub concept: Arc<str>,
    pub concept_source: &'static str,
    pub section: &'static str,
    pub value: Decimal,
    pub unit: &'static str,
    pub period: Period,
    #[serde(serialize_with = "ser_opt_arc")]
    pub dimension: Option<Arc<str>>,
    pub statement: StatementKind,
    pub footnote: Option<String>,
}

/// Everything extracted from one filing, ready for the store.
#[derive(Debug, Default)]
pub struct Extracted {
    pub tables: Vec<Table>,
    pub concepts: Vec<Vec<Mapped>>,
    pub facts: Vec<Fact>,
    /// EX-27 financial data schedules and their facts.
    pub schedules: Vec<crate::ex27::Schedule>,
    pub ex27: Vec<crate::ex27::Ex27Fact>,
    /// Things a user should know about the file: (line, message).
    pub warnings: Vec<(Option<usize>, String)>,
}

use crate::layout::lines::MAX_TABLE_LINE as LONG_LINE;

fn filing_warnings(f: &Filing, tables: &[Table]) -> Vec<(Option<usize>, String)> {
    let mut w = Vec::new();
    for d in &f.documents {
        if d.truncated {
            w.push((Some(d.end), format!("document {} (sequence {}) is not closed: truncated submission", d.doc_type, d.sequence)));
        }
    }
    if let (Some(h), Some(c)) = (&f.meta.form_type, &f.cover_form_type) {
        let base = |s: &str| s.trim_end_matches("/A").trim_end_matches("405").replace("SB", "").to_string();
        if f.meta_source == "header" && base(h) != base(c) {
            w.push((f.cover_form_line, format!("the header says form {h} but the cover page says {c}; kept {h}")));
        }
    }
    for (i, l) in f.lines.iter().enumerate() {
        if l.len() > LONG_LINE {
            w.push((Some(i + 1), format!("line of {} characters: read as text, no table cells taken from it", l.len())));
        }
    }
    for t in tables {
        for msg in &t.warnings {
            // table warnings start with "line N: "
            let line = msg.strip_prefix("line ").and_then(|r| r.split(':').next()).and_then(|n| n.parse().ok());
            let text = msg.split_once(": ").filter(|_| line.is_some()).map(|(_, m)| m).unwrap_or(msg);
            w.push((line, format!("table {} ({}): {}", t.id, t.title, text)));
        }
    }
    w
}

pub fn filing_periods(f: &Filing) -> FilingPeriods {
    let form = f.meta.form_type.clone().unwrap_or_default().to_ascii_uppercase();
    let quarterly = form.starts_with("10-Q");
    let m = crate::periods::mentions(&f.lines);
    let week_rule = crate::periods::week_rule_at(&f.lines, &m.week_rule).or_else(|| inferred_week_rule(f, &m.weeks));
    let inception = crate::periods::inception_at(&f.lines, &m.inception);
    let years_named_by_start = says_years_named_by_start(&f.lines, &m.fiscal);
    FilingPeriods { period_of_report: f.meta.period_of_report, fiscal_year_end: f.meta.fiscal_year_end, quarterly, week_rule, years_named_by_start, inception }
}

/// A 52/53-week year the filing shows but does not state: its period of report ends within
/// three days of the fiscal year end (July 3, 1999 for a June 30 year) and it prints 52 or 53
/// weeks (a 53-week year where the report ends on the date itself): the years end on that
/// weekday nearest that date.
fn inferred_week_rule(f: &Filing, weeks_at: &[usize]) -> Option<crate::periods::WeekRule> {
    let por = f.meta.period_of_report?;
    let (m, d) = match f.meta.fiscal_year_end {
        Some(fye) => fye,
        None => {
            let month_end = |y: i32, m: u32| crate::dates::last_day_of_month(y, m).map(|x| x.day()).unwrap_or(31);
            if por.day() <= 3 {
                let prev = por - chrono::Duration::days(por.day() as i64);
                (prev.month(), month_end(prev.year(), prev.month()))
            } else {
                (por.month(), month_end(por.year(), por.month()))
            }
        }
    };
    let anchor = (-1..=1).filter_map(|dy| chrono::NaiveDate::from_ymd_opt(por.year() + dy, m, d)).min_by_key(|a| (*a - por).num_days().abs())?;
    if (anchor - por).num_days().abs() > 3 {
        return None;
    }
    // a year that ends on its nominal date this time needs a 53-week year printed to tell
    let counts: Vec<&str> = weeks_at.iter().flat_map(|&i| WEEKS_COUNT.find_iter(&f.lines[i]).map(|m| m.as_str())).collect();
    let speaks = if anchor == por { counts.iter().any(|c| c.starts_with("53")) } else { !counts.is_empty() };
    speaks.then_some(crate::periods::WeekRule::Nearest { weekday: por.weekday(), month: m, day: d })
}

static WEEKS_COUNT: std::sync::LazyLock<regex::Regex> =
    std::sync::LazyLock::new(|| regex::Regex::new(r"(?i-u)\b5[23][\s-]+weeks?\b").expect("static regex"));

/// Does an annual report name its fiscal years by the year they begin? Only where years end in
/// January or early February and the newest bare year over any table's columns is the year
/// before the period of report (fiscal 1998 ended January 30, 1999).
fn years_named_by_start(fp: &FilingPeriods, tables: &[Table]) -> bool {
    let Some(por) = fp.period_of_report else { return false };
    let (m, d) = fp.fiscal_year_end.unwrap_or((por.month(), por.day()));
    if fp.quarterly || !(m == 1 || m == 2 && d <= 7) || !(por.month() == 1 || por.month() == 2 && por.day() <= 7) {
        return false;
    }
    let newest = tables
        .iter()
        .flat_map(|t| t.columns.iter().filter(|c| !c.text))
        .map(|c| crate::periods::clues(&c.label()))
        .filter(|c| c.month_day.is_none())
        .filter_map(|c| c.year)
        .filter(|y| *y <= por.year())
        .max();
    newest == Some(por.year() - 1)
}

/// "Fiscal 1998 will end on January 30, 1999", "fiscal 1997 ended February 1, 1998": the filing
/// says in words that a fiscal year is named by the year it begins in.
fn says_years_named_by_start(lines: &[String], fiscal_at: &[usize]) -> bool {
    fiscal_at.iter().map(|&i| &lines[i]).filter(|l| l.len() < 400).any(|l| {
        FISCAL_NAMED.captures_iter(l).any(|c| matches!((c[1].parse::<i32>(), c[2].parse::<i32>()), (Ok(a), Ok(b)) if b == a + 1))
    })
}

static FISCAL_NAMED: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?i-u)\bfiscal\s+((?:19|20)\d\d)\s*,?\s+(?:which\s+)?(?:will\s+end|ended|ends|ending)\s+(?:on\s+)?(?:jan|feb)[a-z]*\.?\s+\d{1,2}\s*,\s*((?:19|20)\d\d)").expect("static regex")
});

/// The scale a heading states for share counts apart from dollars ("shares in thousands").
fn shares_factor(scale_text: &str) -> Option<Decimal> {
    let l = scale_text.to_ascii_lowercase();
    let at = l.find("shares in ").or_else(|| l.find("shares are in "))?;
    let rest = &l[at..];
    if rest.contains("thousands") {
        Some(Decimal::from(1000))
    } else if rest.contains("millions") {
        Some(Decimal::from(1_000_000))
    } else {
        None
    }
}

/// "(In thousands, except share and per share data)": share counts are printed in full.
fn excepts_shares(scale_text: &str) -> bool {
    let l = scale_text.to_ascii_lowercase();
    // "(Dollars in thousands ...)" scales dollars only
    // a scale inherited from the statements says nothing of the note's share counts
    l.starts_with("as the financial statements") || l.contains("except share") || l.contains("except shares") || l.contains("except number of shares") || l.contains("except for share")
        || l.contains("except units") || l.contains("except unit data") || l.contains("except number of units")
        || l.contains("dollars in thousands") || l.contains("dollars in millions") || l.contains("dollar amounts in")
}

/// What a scale phrase exempts besides per-share amounts and share counts ("(Dollars in
/// thousands, except average sales per store and per square foot)" -> "average sales per store",
/// "per square foot"), as lower-case phrases to find in row labels.
fn scale_exceptions(scale_text: &str) -> Vec<String> {
    let l = scale_text.to_ascii_lowercase();
    let Some(at) = l.find("except") else { return Vec::new() };
    let rest = l[at + 6..].split(')').next().unwrap_or("");
    rest.split([',', ';'])
        .flat_map(|p| p.split(" and "))
        .map(|p| p.trim().trim_start_matches("for ").trim_end_matches(" data").trim_end_matches(" amounts").trim_end_matches(" information").trim().to_string())
        // per-share amounts, share and unit counts and ratios have their own rules
        .filter(|p| p.split_whitespace().count() >= 2 && !["share", "unit", "ratio", "percent", "par value", "stated value"].iter().any(|w| p.contains(w)))
        .collect()
}

/// Words of a column label that name a period rather than a member.
fn member_words(label: &str) -> String {
    const PERIOD_WORDS: [&str; 28] = [
        "year", "years", "ended", "ending", "for", "the", "three", "six", "nine", "twelve", "months", "month", "weeks", "week", "fiscal", "quarter",
        "at", "as", "of", "and", "in", "unaudited", "restated", "period", "thirteen", "fifty", "two", "fiftytwo",
    ];
    label
        .split_whitespace()
        .filter(|w| {
            let l = w.trim_matches(|c: char| !c.is_alphanumeric()).to_ascii_lowercase();
            !(l.is_empty()
                || l.chars().all(|c| c.is_ascii_digit())
                || crate::dates::month_number(&l).is_some() && l.len() >= 3
                || PERIOD_WORDS.contains(&l.as_str())
                || l.contains("weeks"))
        })
        .collect::<Vec<_>>()
        .join(" ")
        .trim_end_matches([':', ','])
        .to_string()
}

/// Members per column: only when the columns' non-period words differ (segments, equity
/// components, Options vs Price), never for a heading common to every column.
fn dimensions(t: &Table) -> Vec<Option<Arc<str>>> {
    let words: Vec<String> = t.columns.iter().map(|c| member_words(&c.label())).collect();
    let numeric: Vec<&String> = t.columns.iter().zip(&words).filter(|(c, _)| !c.text).map(|(_, w)| w).collect();
    let all_same = numeric.windows(2).all(|w| w[0] == w[1]);
    words.into_iter().map(|w| if all_same || w.is_empty() { None } else { Some(Arc::from(w)) }).collect()
}

/// A dash or "nil" says nothing of its unit: among per-share amounts it is a per-share zero
/// ("nil" in the "Extraordinary gain" row under "Per share:").
fn dashes_take_their_rows_unit(facts: &mut [Fact]) {
    let is_dash = |f: &Fact| f.value.is_zero() && !f.raw.bytes().any(|b| (b'1'..=b'9').contains(&b));
    let mut start = 0;
    while start < facts.len() {
        let row = facts[start].row;
        let end = start + facts[start..].iter().take_while(|f| f.row == row).count();
        let mut units = facts[start..end].iter().filter(|f| !is_dash(f)).map(|f| f.unit);
        if let Some(u) = units.next() {
            // (only money read as per share: a column's own unit, shares or percent, stands)
            if u == "USD/share" && units.all(|x| x == u) {
                for f in facts[start..end].iter_mut().filter(|f| is_dash(f) && f.unit == "USD") {
                    f.unit = u;
                }
            }
        }
        start = end;
    }
}

/// "Weighted average shares - basic" / "Dilutive effect of stock options" / "Weighted average
/// shares - diluted": a line between two share counts of the same column counts shares too.
fn shares_between_shares(facts: &mut [Fact]) {
    let n = facts.len();
    for i in 0..n {
        if !matches!(facts[i].unit, "USD" | "count") || facts[i].raw.contains('$') {
            continue;
        }
        let (row, col) = (facts[i].row, facts[i].col);
        let above = facts[..i].iter().rev().find(|f| f.col == col && f.row < row).map(|f| (f.row, f.unit));
        let below = facts[i + 1..].iter().find(|f| f.col == col && f.row > row).map(|f| (f.row, f.unit));
        if let (Some((ra, "shares")), Some((rb, "shares"))) = (above, below) {
            if row - ra == 1 && rb - row == 1 {
                facts[i].unit = "shares";
            }
        }
    }
}

/// Share counts whose scale the heading leaves open ("(Dollars in thousands, except per share
/// data)" over "Weighted average shares 6,196"): net income over earnings per share says how
/// many shares there are, so the printed count is in units, thousands or millions.
fn rescale_shares_by_eps(facts: &mut [Fact], factor: Decimal) {
    let is_net_income = |f: &Fact| {
        f.unit == "USD" && (&*f.concept == "us-gaap:NetIncomeLoss" || {
            // ("Basic earnings per share - Net income": the numerator named after its dash)
            let label = f.row_label.to_ascii_lowercase();
            let l = label.rsplit(" - ").next().unwrap_or("").trim_start();
            (l.starts_with("net income") || l.starts_with("net earnings") || l.starts_with("net loss")) && !l.contains("per")
        })
    };
    let is_eps = |f: &Fact| f.unit == "USD/share" && (f.concept.contains("EarningsPerShare") || f.row_label.to_ascii_lowercase().contains("basic") || f.row_label.to_ascii_lowercase().contains("per share") || {
        let c = f.column_label.to_ascii_lowercase();
        c.contains("per share") || c.contains("per-share")
    });
    let Some(ni) = facts.iter().find(|f| is_net_income(f) && !f.value.is_zero()) else { return };
    let Some(eps) = facts.iter().find(|f| is_eps(f) && f.period == ni.period && !f.value.is_zero()) else { return };
    let Some(shares) = facts.iter().find(|f| f.unit == "shares" && f.period == ni.period && !f.value.is_zero()) else { return };
    let implied = ni.value / eps.value;
    let close = |v: Decimal| v > Decimal::ZERO && ((implied - v) / v).abs() < Decimal::new(4, 2);
    if implied <= Decimal::ZERO {
        return;
    }
    if close(shares.value) {
        // the count is printed in full: so are the small counts beside it that the table's
        // scale was applied to ("Restricted stock awards 38,500" under "(In thousands ...)")
        let printed = |f: &Fact| crate::cells::parse(&f.raw).and_then(|c| c.value);
        if factor > Decimal::ONE && printed(shares) == Some(shares.value) {
            for f in facts.iter_mut().filter(|f| f.unit == "shares") {
                if let Some(p) = printed(f).filter(|p| *p * factor == f.value) {
                    f.value = p.normalize();
                }
            }
        }
        return;
    }
    let factor = [Decimal::from(1000), Decimal::from(1_000_000), Decimal::new(1, 3), Decimal::new(1, 6)].into_iter().find(|k| close(shares.value * k));
    if let Some(k) = factor {
        for f in facts.iter_mut().filter(|f| f.unit == "shares") {
            f.value = (f.value * k).normalize();
        }
    }
}

/// Tables of contents and page indexes: numbers that are page numbers, not amounts.
fn is_page_index(t: &Table) -> bool {
    let title = t.title.to_ascii_lowercase();
    let heads = t.columns.iter().map(|c| c.label().to_ascii_lowercase()).chain(t.caption.iter().map(|c| c.to_ascii_lowercase())).collect::<Vec<_>>().join(" ");
    let says_page = heads.split(|c: char| !c.is_alphanumeric()).any(|w| w == "page" || w == "pages");
    // page numbers are small whole numbers
    let small_ints = t.rows.iter().flat_map(|r| r.cells.iter()).filter_map(|c| c.cell.as_ref()).all(|c| {
        c.kind != crate::cells::CellKind::Number || (c.decimals == 0 && !c.dollar && !c.has_comma && c.value.is_some_and(|v| v >= Decimal::ZERO && v < Decimal::from(1000)))
    });
    // an exhibit index: rows named by exhibit numbers ("3.1", "10.12", "99")
    let exhibit_rows = t.rows.iter().filter(|r| EXHIBIT_NO.is_match(r.label.trim())).count();
    // "CONTENTS" / "TABLE OF CONTENTS" as the title, in the caption or as a heading over the rows
    let says_contents = t.caption.iter().chain(t.rows.iter().flat_map(|r| r.sections.iter())).chain(std::iter::once(&t.title)).any(|h| {
        let h = h.to_ascii_lowercase();
        h.split(|c: char| !c.is_alphanumeric()).any(|w| w == "contents")
    });
    let exhibit_list = ["exhibit index", "index to exhibits", "exhibits index", "index of exhibits"].iter().any(|p| title.contains(p));
    title == "index" || exhibit_list || (says_page && small_ints) || (says_contents && small_ints) || (small_ints && exhibit_rows * 2 >= t.rows.len() && !t.rows.is_empty())
        || (small_ints && is_contents_list(t))
        || only_dashes(t)
}

/// A table whose only "values" are dashes is a bulleted list or a form, not figures.
fn only_dashes(t: &Table) -> bool {
    let mut any = false;
    for c in t.rows.iter().flat_map(|r| r.cells.iter()).filter(|c| !t.columns[c.col].text).filter_map(|c| c.cell.as_ref()) {
        match c.kind {
            CellKind::Number => return false,
            CellKind::Dash => any = true,
            _ => {}
        }
    }
    any
}

/// The name a row is listed under: its label and any text cells ("Item 1." | "Business").
fn row_name(t: &Table, r: &crate::layout::Row) -> String {
    let mut name = r.label.clone();
    for c in r.cells.iter().filter(|c| t.columns.get(c.col).is_some_and(|col| col.text)) {
        name.push(' ');
        name.push_str(c.text.trim());
    }
    name.trim().to_string()
}

/// A list of headings with page numbers: one column of small whole numbers that never
/// decrease, rows named by text rather than by years.
fn is_contents_list(t: &Table) -> bool {
    let numeric: Vec<&crate::layout::Column> = t.columns.iter().filter(|c| !c.text).collect();
    if numeric.len() != 1 || t.rows.len() < 3 {
        return false;
    }
    let vals: Vec<Decimal> = t.rows.iter().filter_map(|r| r.cell(numeric[0].index).and_then(|c| c.cell.as_ref()).and_then(|c| c.value)).collect();
    let year_rows = t.rows.iter().filter(|r| crate::periods::is_pure_period(&r.label)).count();
    let names: Vec<String> = t.rows.iter().filter(|r| r.has_values()).map(|r| row_name(t, r)).collect();
    let named = names.iter().all(|n| n.chars().any(|c| c.is_alphabetic()));
    // one-word headings ("Business", "Properties") pass in a long enough list
    let worded = names.iter().all(|n| n.split_whitespace().count() >= 2) || vals.len() >= 6;
    // (a title wrapped onto "December 31, 1995" beside its page number is one dated row among many)
    let few_dated = year_rows == 0 || year_rows * 3 < t.rows.len() && vals.len() >= 5;
    vals.len() >= 3 && vals.windows(2).all(|w| w[0] <= w[1]) && few_dated && named && worded
}

/// "New York, NY  10010": a ZIP code after a city and state is an address, not an amount.
fn is_zip_code(label: &str, raw: &str) -> bool {
    let raw = raw.trim();
    let digits = raw.split('-').next().unwrap_or("");
    digits.len() == 5 && digits.bytes().all(|b| b.is_ascii_digit()) && (raw.len() == 5 || raw.len() == 10) && CITY_STATE.is_match(label.trim())
}

static CITY_STATE: std::sync::LazyLock<regex::Regex> =
    std::sync::LazyLock::new(|| regex::Regex::new(r"[A-Za-z.]+,\s*[A-Z]{2}\.?$").expect("static regex"));

static EXHIBIT_NO: std::sync::LazyLock<regex::Regex> =
    std::sync::LazyLock::new(|| regex::Regex::new(r"(?-u)^\(?\d{1,3}(?:\.\d{1,3})?[a-z]?\)?$").expect("static regex"));

pub fn extract(filing: &Filing, map: &ConceptMap) -> Extracted {
    extract_timed(filing, map, &mut crate::pipeline::Timings::default())
}

/// `extract`, adding the time of each stage to `tm`.
pub fn extract_timed(filing: &Filing, map: &ConceptMap, tm: &mut crate::pipeline::Timings) -> Extracted {
    let t0 = std::time::Instant::now();
    let tables = crate::layout::extract_tables(filing);
    tm.layout += t0.elapsed();
    let mut fp = filing_periods(filing);
    fp.years_named_by_start = fp.years_named_by_start || years_named_by_start(&fp, &tables);
    let mut facts = Vec::new();
    let mut concepts = Vec::with_capacity(tables.len());
    for t in &tables {
        let tc = std::time::Instant::now();
        let mapped = map_table(map, t);
        tm.concepts += tc.elapsed();
        if is_page_index(t) {
            concepts.push(mapped);
            continue;
        }
        let table_start = facts.len();
        let tp = std::time::Instant::now();
        let periods = resolve_table(t, &fp);
        tm.periods += tp.elapsed();
        let tu = TableUnits::of(t);
        let shares_scale = t.scale.text.as_deref().and_then(shares_factor);
        let excepted_rows = t.scale.text.as_deref().map(scale_exceptions).unwrap_or_default();
        let dims = dimensions(t);
        let col_labels: Vec<Arc<str>> = t.columns.iter().map(|c| Arc::from(c.label())).collect();
        let col_units: Vec<crate::units::ColumnUnits> = col_labels.iter().map(|l| crate::units::ColumnUnits::of(l)).collect();
        // "Oil (MBbls)" or "Net Capability (MW)" over a column (once per column)
        let col_physical: Vec<_> = col_labels.iter().map(|l| crate::units::physical_scaled(l)).collect();
        let col_measured: Vec<_> = col_labels.iter().map(|l| crate::units::measured(l, None)).collect();
        // "Aggregate Intrinsic Value (In thousands)" beside shares printed in full
        let col_scale: Vec<Option<Decimal>> = col_labels.iter().map(|l| crate::layout::title::column_scale(l)).collect();
        // "Common Shares" over "$ 8,340" (the name of the stock account in some states): a
        // column named by shares whose cells carry dollar signs holds dollars
        let shares_named_in_dollars: Vec<bool> = t
            .columns
            .iter()
            .map(|c| {
                col_labels[c.index].to_ascii_lowercase().contains("shares")
                    && t.rows.iter().any(|r| r.cell(c.index).and_then(|x| x.cell.as_ref()).is_some_and(|x| x.dollar))
            })
            .collect();
        // ... or over the whole table ("Gas Supply (MMcf)")
        let title_physical = crate::units::physical_scaled(&t.title);
        // "Percent of total loans:" opens a block of percentages printed without their sign
        // after its first row; sub-headings ("Real estate - mortgage:") do not close it
        let mut percent_block = false;
        for (ri, r) in t.rows.iter().enumerate() {
            percent_block = percent_block || r.sections.iter().any(|h| crate::units::percent_section(h));
            let m = &mapped[ri];
            let row_label: Arc<str> = Arc::from(r.label.as_str());
            let concept: Arc<str> = Arc::from(m.concept.as_str());
            let row_units = crate::units::RowUnits::of(r);
            // "(Dollars in thousands, except average sales per store)": that row is in dollars
            let excepted = !excepted_rows.is_empty() && {
                let l = r.label.to_ascii_lowercase();
                excepted_rows.iter().any(|x| l.contains(x.as_str()))
            };
            // a section may state its own scale ("Weighted average shares (in thousands):")
            let section_scale = r.sections.last().map(|s| crate::layout::title::scale_of(s)).filter(|f| *f != Decimal::ONE);
            // ... or the row its own ("Selling square feet (000's)")
            let label_scale = Some(crate::layout::title::scale_of(&r.label)).filter(|f| *f != Decimal::ONE);
            // a dash in a row of percentages is a percentage too
            let numbers: Vec<&crate::cells::Cell> =
                r.cells.iter().filter(|c| !t.columns[c.col].text).filter_map(|c| c.cell.as_ref()).filter(|x| x.kind == CellKind::Number).collect();
            let row_percent = !numbers.is_empty() && numbers.iter().all(|x| x.percent);
            // physical quantities the label or its section names (once per row)
            let section = r.sections.last().map(String::as_str);
            let section_physical = section.and_then(crate::units::physical_scaled);
            let row_measured = crate::units::measured(&r.label, section);
            for rc in &r.cells {
                let Some(cell) = &rc.cell else { continue };
                let col = &t.columns[rc.col];
                if col.text {
                    continue;
                }
                if !matches!(cell.kind, CellKind::Number | CellKind::Dash) {
                    continue;
                }
                let Some(raw_value) = cell.value else { continue };
                if is_zip_code(&r.label, &rc.text) {
                    continue;
                }
                let unit = if row_percent || percent_block && !cell.dollar { "percent" } else { unit_of(&tu, &row_units, &col_units[rc.col], cell) };
                let unit = if unit == "shares" && shares_named_in_dollars[rc.col] { "USD" } else { unit };
                // "Oil (MBbls)" over a column or beside a row: thousands of barrels
                let physical = row_units.label_quantity.or(col_physical[rc.col]).or(section_physical).or(row_measured).or(col_measured[rc.col]).or(title_physical);
                let (unit, physical_factor) = match physical {
                    Some((u, f)) if !cell.dollar && !cell.percent && (u == "USD" || !row_units.unit_price()) && matches!(unit, "USD" | "USD/share" | "count" | "shares" | "bbl" | "Mcf") => (u, Some(f)),
                    _ => (unit, None),
                };
                let own_scale = label_scale.or(col_scale[rc.col]);
                let scaled = match (unit, own_scale.or(section_scale)) {
                    _ if physical_factor.is_some() => physical_factor.and_then(|f| raw_value.checked_mul(f)),
                    // votes cast are counted one by one, whatever the statements' scale
                    ("shares", _) if col_units[rc.col].votes() => Some(raw_value),
                    ("USD", _) if row_units.unit_price() || excepted => Some(raw_value),
                    ("USD" | "shares" | "sqft" | "count", Some(f)) if own_scale.is_some() => raw_value.checked_mul(f),
                    ("USD" | "shares", Some(f)) => raw_value.checked_mul(f),
                    ("USD", None) => raw_value.checked_mul(t.scale.factor),
                    // "(Dollars in millions ...; shares in thousands)": shares have their own scale
                    ("shares", None) if shares_scale.is_some() => shares_scale.and_then(|f| raw_value.checked_mul(f)),
                    // share counts follow the table's scale when it says so, or when they are too
                    // small to be counts of a public company's shares ("Average shares 2,477" in millions)
                    ("shares", None) if t.scale.shares || (t.scale.factor > Decimal::ONE && raw_value.abs() < Decimal::from(100_000) && !t.scale.text.as_deref().is_some_and(excepts_shares)) => {
                        raw_value.checked_mul(t.scale.factor)
                    }
                    _ => Some(raw_value),
                };
                let Some(value) = scaled else { continue };
                // the Shares column of an equity statement counts what the row's concept prices
                let concept = match crate::concepts::shares_twin(&concept).filter(|_| unit == "shares" && t.kind == crate::layout::StatementKind::Equity) {
                    Some(twin) => Arc::from(twin),
                    None => concept.clone(),
                };
                facts.push(Fact {
                    table_id: t.id,
                    row: ri,
                    col: rc.col,
                    line: r.line,
                    raw: rc.text.clone(),
                    row_label: row_label.clone(),
                    column_label: col_labels[rc.col].clone(),
                    concept,
                    concept_source: m.source,
                    section: m.section,
                    value: value.normalize(),
                    unit,
                    period: periods[ri][rc.col],
                    dimension: dims[rc.col].clone(),
                    statement: t.kind,
                    footnote: cell.footnote.clone(),
                });
            }
        }
        shares_between_shares(&mut facts[table_start..]);
        dashes_take_their_rows_unit(&mut facts[table_start..]);
        rescale_shares_by_eps(&mut facts[table_start..], t.scale.factor);
        concepts.push(mapped);
    }
    let te = std::time::Instant::now();
    let schedules = crate::ex27::schedules(filing);
    let ex27 = crate::ex27::facts(&schedules);
    tm.ex27 += te.elapsed();
    let warnings = filing_warnings(filing, &tables);
    Extracted { tables, concepts, facts, schedules, ex27, warnings }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_exceptions_name_rows_left_unscaled() {
        assert_eq!(scale_exceptions("(Dollars in thousands, except average sales per employee)"), vec!["average sales per employee"]);
        assert_eq!(scale_exceptions("(In thousands, except per share data and average sales per store)"), vec!["average sales per store"]);
        assert!(scale_exceptions("(In thousands, except share and per share amounts)").is_empty());
        assert!(scale_exceptions("(In millions)").is_empty());
    }

    #[test]
    fn member_words_drop_periods() {
        assert_eq!(member_words("Year ended December 31 2003"), "");
        assert_eq!(member_words("GE 1993"), "GE");
        assert_eq!(member_words("Retained Earnings"), "Retained Earnings");
        assert_eq!(member_words("2003 Weighted Average Exercise Price"), "Weighted Average Exercise Price");
        assert_eq!(member_words("For the year ended December 31: 1997"), "");
        assert_eq!(member_words("Three Months Ended June 30, 1998"), "");
    }
}

#[cfg(test)]
mod filing_tests {
    use super::*;

    fn facts_of(text: &str) -> Vec<Fact> {
        let f = crate::filing::from_bytes(std::path::Path::new("t.txt"), text.as_bytes(), None).expect("filing");
        extract(&f, &ConceptMap::builtin().expect("map")).facts
    }

    #[test]
    fn contents_pages_zip_codes_and_bullets_give_no_facts() {
        let contents = "\
 --------------------------------------------------------------------------
|
| CONTENTS

Independent Auditors' Report                                          44
Audited Financial Statements
Earnings                                                              26
Financial Position                                                    28
Cash Flows                                                            30
Notes to Consolidated Financial Statements                            45
";
        let pages = "\
Business                                                         2
Properties                                                      15
Legal Proceedings                                               15
Market for Stock                                                20
Selected Financial Data                                         21
Signatures                                                      27
";
        let address = "\
Insurer:                         Metropolitan Life Insurance Company
                                 One Madison Avenue
                                 New York, NY  10010

Plan administrator and           General Electric Company
agent for legal service:         3135 Easton Turnpike
                                 Fairfield, CT  06431
";
        let bullets = "\
We will consider, among other factors:

 - -   costs associated with effecting the business combination;
 - -   growth potential of the target business;
 - -   capital requirements of the target business;
";
        for text in [contents, pages, address, bullets] {
            let facts = facts_of(text);
            assert!(facts.is_empty(), "{text}: {:?}", facts.iter().map(|f| (f.line, f.value)).collect::<Vec<_>>());
        }
    }

    #[test]
    fn option_roll_forward_dates_balances_and_activity_from_labels() {
        let text = "\
     A summary of information relative to the Company's stock option plans
follows:

                                       Number     Average
                                     of Shares     Price
- ---------------------------------------------------------
Outstanding at January 1, 1994       40,384,535    $32.40
Granted                              15,854,640     34.25
Exercised                            (4,985,266)    16.73
- ---------------------------------------------------------
Outstanding at December 31, 1994     51,253,909     35.12
Granted                              19,973,017     31.53
Exercised                            (9,878,486)    14.01
- ---------------------------------------------------------
Outstanding at December 31, 1995     61,348,440    $32.65
";
        let facts = facts_of(text);
        let at = |line: usize| facts.iter().filter(|f| f.line == line).map(|f| f.period).collect::<Vec<_>>();
        let d = |y, m, dd| NaiveDateT::from_ymd_opt(y, m, dd).expect("date");
        assert_eq!(at(7), vec![Period::Instant { date: d(1993, 12, 31) }; 2]);
        assert_eq!(at(9), vec![Period::Duration { start: d(1994, 1, 1), end: d(1994, 12, 31) }; 2]);
        assert_eq!(at(11), vec![Period::Instant { date: d(1994, 12, 31) }; 2]);
        assert_eq!(at(12), vec![Period::Duration { start: d(1995, 1, 1), end: d(1995, 12, 31) }; 2]);
        assert_eq!(at(15), vec![Period::Instant { date: d(1995, 12, 31) }; 2]);
    }

    #[test]
    fn future_years_are_payment_years_and_open_ended_columns_have_no_period() {
        let text = "\
                                   FORM 10-K
             FOR THE FISCAL YEAR ENDED DECEMBER 31, 1997

     At December 31, 1997, minimum rental commitments under noncancelable
operating leases were as follows.

                                 Run Out of 1997
                              Residual Value Balance
(Dollars in millions)                            2001 and
                             1998    1999    2000  beyond
                             ----    ----    ----  ------
Sales-type leases            $120    $205    $205    $ 33
Operating leases              247     266     166      22
";
        let facts = facts_of(text);
        let row: Vec<Period> = facts.iter().filter(|f| f.line == 12).map(|f| f.period).collect();
        let d = |y, m, dd| NaiveDateT::from_ymd_opt(y, m, dd).expect("date");
        assert_eq!(
            row,
            vec![
                Period::Duration { start: d(1998, 1, 1), end: d(1998, 12, 31) },
                Period::Duration { start: d(1999, 1, 1), end: d(1999, 12, 31) },
                Period::Duration { start: d(2000, 1, 1), end: d(2000, 12, 31) },
                Period::None,
            ]
        );
    }

    #[test]
    fn a_sentence_says_fiscal_years_are_named_by_their_start() {
        let l = |t: &str| vec![t.to_string()];
        let says_years_named_by_start = |l: &[String]| says_years_named_by_start(l, &crate::periods::mentions(l).fiscal);
        assert!(says_years_named_by_start(&l("    Fiscal 1998 will end on January 30, 1999.  Because of the seasonality")));
        assert!(says_years_named_by_start(&l("in fiscal 1997 ended February 1, 1998, sales")));
        assert!(!says_years_named_by_start(&l("Fiscal 1998 ended January 31, 1998")));
    }

    #[test]
    fn a_scale_stated_over_the_notes_holds_for_their_tables() {
        let text = "\
NOTES TO                                      Merck & Co., Inc. and Subsidiaries
FINANCIAL STATEMENTS                    ($ in millions except per share amounts)


7. INVENTORIES

  Inventories at December 31 consisted of:
                                               1995              1994
- ---------------------------------------------------------------------
Finished goods............................... $ 498.8          $ 452.1
Raw materials................................   251.8            252.4
- ---------------------------------------------------------------------
                                             $ 750.6          $ 704.5
";
        let facts = facts_of(text);
        let v: Vec<Decimal> = facts.iter().filter(|f| f.line == 10).map(|f| f.value).collect();
        assert_eq!(v, vec![Decimal::new(498_800_000, 0), Decimal::new(452_100_000, 0)]);
    }
    use chrono::NaiveDate as NaiveDateT;
}
