//! EX-27 Financial Data Schedules (1993-2001): the one machine-readable part of a pre-XBRL
//! filing. Tagged values (`<TOTAL-ASSETS> 23,832`) with `<MULTIPLIER>`, `<PERIOD-TYPE>`,
//! `<PERIOD-START>`/`<PERIOD-END>`; read as facts of their own (source `ex27`) and used to
//! check the table engine (`v_ex27_agreement`). The tag map is data: `sql/ex27_map.csv`.

use crate::cells;
use crate::dates::{self, parse_mon_dd_yyyy, start_of_months_ending};
use crate::filing::envelope::tag_of;
use crate::filing::Filing;
use crate::periods::Period;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::str::FromStr;
use std::sync::LazyLock;

const MAP_CSV: &str = include_str!("../sql/ex27_map.csv");

/// One schedule: its header and tagged items.
#[derive(Debug, Clone, Default)]
pub struct Schedule {
    pub doc_sequence: u32,
    pub doc_type: String,
    pub article: String,
    pub multiplier: Decimal,
    pub period_type: Option<String>,
    pub fiscal_year_end: Option<NaiveDate>,
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
    pub restated: bool,
    pub flawed: bool,
    pub legend: Option<String>,
    pub currency: Option<String>,
    /// (tag, raw text, 1-based line)
    pub items: Vec<(String, String, usize)>,
    /// 1-based line of `<ARTICLE>` (or the first tag).
    pub line: usize,
}

/// A fact read from a schedule.
#[derive(Debug, Clone)]
pub struct Ex27Fact {
    pub schedule: usize,
    pub tag: String,
    pub line: usize,
    pub raw: String,
    pub concept: String,
    pub mapped: bool,
    pub value: Decimal,
    pub unit: &'static str,
    pub period: Period,
    pub restated: bool,
    pub flawed: bool,
}

struct MapEntry {
    concept: String,
    unit: &'static str,
    instant: bool,
}

/// Article ("5", "9", ... or "*") -> tag -> entry, upper case.
static MAP: LazyLock<HashMap<String, HashMap<String, MapEntry>>> = LazyLock::new(|| {
    let mut m: HashMap<String, HashMap<String, MapEntry>> = HashMap::new();
    let mut rdr = csv::ReaderBuilder::new().comment(Some(b'#')).flexible(true).from_reader(MAP_CSV.as_bytes());
    for rec in rdr.records().flatten() {
        if rec.len() < 5 {
            continue;
        }
        let unit: &'static str = match rec[3].trim() {
            "USD/share" => "USD/share",
            "shares" => "shares",
            "pure" => "pure",
            _ => "USD",
        };
        m.entry(rec[0].trim().to_ascii_uppercase())
            .or_default()
            .insert(rec[1].trim().to_ascii_uppercase(), MapEntry { concept: rec[2].trim().to_string(), unit, instant: rec[4].trim() == "instant" });
    }
    m
});

/// (looked up for every item of every schedule: no allocation unless the article is in lower case)
fn lookup(article: &str, tag: &str) -> Option<&'static MapEntry> {
    let upper = if article.bytes().any(|b| b.is_ascii_lowercase()) { std::borrow::Cow::Owned(article.to_ascii_uppercase()) } else { std::borrow::Cow::Borrowed(article) };
    MAP.get(upper.as_ref()).and_then(|m| m.get(tag)).or_else(|| MAP.get("*").and_then(|m| m.get(tag)))
}

/// Tags that describe the schedule rather than carry a value.
const META: [&str; 14] = [
    "ARTICLE", "LEGEND", "/LEGEND", "MULTIPLIER", "PERIOD-TYPE", "FISCAL-YEAR-END", "PERIOD-START", "PERIOD-END", "CURRENCY", "EXCHANGE-RATE",
    "RESTATED", "FLAWED", "NAME", "CIK",
];
const LAYOUT: [&str; 14] = ["TABLE", "/TABLE", "S", "C", "PAGE", "FN", "/FN", "TEXT", "/TEXT", "DOCUMENT", "/DOCUMENT", "CAPTION", "/CAPTION", "SERIES"];

/// Find and read every schedule of a filing.
pub fn schedules(f: &Filing) -> Vec<Schedule> {
    let mut out = Vec::new();
    for d in &f.documents {
        let lines = f.lines.get(d.start.saturating_sub(1)..d.end.min(f.lines.len())).unwrap_or(&[]);
        let is_fds = d.doc_type.to_ascii_uppercase().starts_with("EX-27")
            || lines.iter().take(400).any(|l| l[crate::filing::text::leading_spaces(l)..].get(..5).is_some_and(|p| p.eq_ignore_ascii_case("<FDS>")))
            || (f.has_article_tag && lines.iter().any(|l| l[crate::filing::text::leading_spaces(l)..].starts_with("<ARTICLE>")) && lines.iter().any(|l| l[crate::filing::text::leading_spaces(l)..].starts_with("<PERIOD-END>")));
        if !is_fds {
            continue;
        }
        let mut cur: Option<Schedule> = None;
        let mut in_legend = false;
        let mut legend = String::new();
        for (k, raw) in lines.iter().enumerate() {
            let no = d.start + k;
            // (outside a legend only tags count: most lines are skipped before any trimming)
            if !in_legend && !raw[crate::filing::text::leading_spaces(raw)..].starts_with('<') {
                continue;
            }
            let t = crate::filing::text::trim_spaces(raw);
            if in_legend {
                if t.to_ascii_uppercase().starts_with("</LEGEND>") {
                    in_legend = false;
                    if let Some(s) = cur.as_mut() {
                        s.legend = Some(legend.trim().to_string());
                    }
                    legend.clear();
                } else {
                    legend.push_str(t);
                    legend.push(' ');
                }
                continue;
            }
            let Some((tag, rest)) = tag_of(t) else { continue };
            if LAYOUT.contains(&tag.as_ref()) {
                continue;
            }
            // a new <ARTICLE> starts a new schedule (several per document: restated periods)
            if tag == "ARTICLE" || cur.is_none() {
                if let Some(s) = cur.take() {
                    if !s.items.is_empty() {
                        out.push(s);
                    }
                }
                cur = Some(Schedule {
                    doc_sequence: d.sequence,
                    doc_type: d.doc_type.clone(),
                    article: if tag == "ARTICLE" { rest.split_whitespace().next().unwrap_or("5").to_ascii_uppercase() } else { "5".into() },
                    multiplier: Decimal::ONE,
                    line: no,
                    ..Default::default()
                });
                if tag == "ARTICLE" {
                    continue;
                }
            }
            let Some(s) = cur.as_mut() else { continue };
            let value = strip_footnote(rest);
            match tag.as_ref() {
                "LEGEND" => {
                    in_legend = true;
                    if !value.is_empty() {
                        legend.push_str(value);
                        legend.push(' ');
                    }
                }
                "MULTIPLIER" => s.multiplier = parse_plain(value).filter(|m| !m.is_zero()).unwrap_or(Decimal::ONE),
                "PERIOD-TYPE" => s.period_type = Some(value.to_ascii_uppercase()),
                "FISCAL-YEAR-END" => s.fiscal_year_end = parse_mon_dd_yyyy(value),
                "PERIOD-START" => s.period_start = parse_mon_dd_yyyy(value),
                "PERIOD-END" => s.period_end = parse_mon_dd_yyyy(value),
                "RESTATED" => s.restated = true,
                "FLAWED" => s.flawed = true,
                "CURRENCY" => s.currency = Some(value.to_string()),
                t if META.contains(&t) || t.starts_with('/') || t.starts_with('F') && t[1..].chars().all(|c| c.is_ascii_digit()) => {}
                _ => s.items.push((tag.to_string(), value.to_string(), no)),
            }
        }
        if let Some(s) = cur.take() {
            if !s.items.is_empty() {
                out.push(s);
            }
        }
    }
    out
}

/// "0<F1>" -> "0"; footnote references glued to values.
fn strip_footnote(v: &str) -> &str {
    match v.find("<F") {
        Some(p) => v[..p].trim(),
        None => v.trim(),
    }
}

fn parse_plain(v: &str) -> Option<Decimal> {
    let digits: String = v.chars().filter(|c| c.is_ascii_digit() || *c == '.').collect();
    Decimal::from_str(&digits).ok()
}

/// Months a `<PERIOD-TYPE>` covers: YEAR, 12-MOS, 9-MOS, 6-MOS, 3-MOS ...
fn months_of(period_type: &str) -> Option<u32> {
    let p = period_type.to_ascii_uppercase();
    if p.starts_with("YEAR") {
        return Some(12);
    }
    let n: String = p.chars().take_while(|c| c.is_ascii_digit()).collect();
    n.parse().ok().filter(|m| (1..=12).contains(m))
}

/// The facts of all schedules (values times the multiplier, per-share values as printed).
pub fn facts(schedules: &[Schedule]) -> Vec<Ex27Fact> {
    let mut out = Vec::new();
    for (si, s) in schedules.iter().enumerate() {
        let Some(end) = s.period_end else { continue };
        let start = s.period_start.or_else(|| s.period_type.as_deref().and_then(months_of).map(|m| start_of_months_ending(end, m)));
        for (tag, raw, line) in &s.items {
            let Some(cell) = cells::parse(raw) else { continue }; // empty (flawed) or text
            let Some(printed) = cell.value else { continue };
            let entry = lookup(&s.article, tag);
            let unit = entry.map(|e| e.unit).unwrap_or("USD");
            let value = match unit {
                "USD" => match printed.checked_mul(s.multiplier) {
                    Some(v) => v,
                    None => continue,
                },
                _ => printed,
            };
            let instant = entry.map(|e| e.instant).unwrap_or(false);
            let period = match (instant, start) {
                (true, _) => Period::Instant { date: end },
                (false, Some(st)) => Period::Duration { start: st, end },
                (false, None) => Period::Duration { start: dates::start_of_months_ending(end, 12), end },
            };
            out.push(Ex27Fact {
                schedule: si,
                tag: tag.clone(),
                line: *line,
                raw: raw.clone(),
                concept: entry.map(|e| e.concept.clone()).unwrap_or_else(|| format!("ext:Ex27{}", camel(tag))),
                mapped: entry.is_some(),
                value: value.normalize(),
                unit,
                period,
                restated: s.restated,
                flawed: s.flawed,
            });
        }
    }
    out
}

fn camel(tag: &str) -> String {
    tag.split(['-', '&'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let l = w.to_ascii_lowercase();
            let mut c = l.chars();
            c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn filing(text: &str) -> Filing {
        crate::filing::from_bytes(Path::new("t.txt"), text.as_bytes(), None).unwrap()
    }

    const MERCK_LIKE: &str = "<DOCUMENT>\n<TYPE>EX-27\n<SEQUENCE>11\n<TEXT>\n<TABLE> <S> <C>\n<ARTICLE> 5\n<LEGEND>\nTHIS SCHEDULE CONTAINS SUMMARY\nFINANCIAL INFORMATION.\n</LEGEND>\n<MULTIPLIER> 1,000,000\n<S>                             <C>\n<PERIOD-TYPE>                   12-MOS\n<FISCAL-YEAR-END>                          DEC-31-1995\n<PERIOD-END>                               DEC-31-1995\n<CASH>                                           1,847\n<ALLOWANCES>                                         0<F1>\n<DEPRECIATION>                                 (2,440)\n<TOTAL-ASSETS>\t23,832\n<NET-INCOME>                                     3,335\n<EPS-PRIMARY>                                     2.70\n<EPS-DILUTED>\n</TABLE>\n</TEXT>\n</DOCUMENT>\n";

    #[test]
    fn reads_a_schedule() {
        let f = filing(MERCK_LIKE);
        let s = schedules(&f);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].article, "5");
        assert_eq!(s[0].multiplier, Decimal::from(1_000_000));
        assert_eq!(s[0].legend.as_deref(), Some("THIS SCHEDULE CONTAINS SUMMARY FINANCIAL INFORMATION."));
        let facts = facts(&s);
        let get = |t: &str| facts.iter().find(|x| x.tag == t).unwrap();
        assert_eq!(get("CASH").value, Decimal::from(1_847_000_000u64));
        assert_eq!(get("CASH").concept, "us-gaap:CashAndCashEquivalentsAtCarryingValue");
        assert_eq!(get("CASH").period, Period::Instant { date: NaiveDate::from_ymd_opt(1995, 12, 31).unwrap() });
        assert_eq!(get("CASH").line, 16);
        assert_eq!(get("ALLOWANCES").value, Decimal::ZERO);
        assert_eq!(get("DEPRECIATION").value, Decimal::from(-2_440_000_000i64));
        assert_eq!(get("TOTAL-ASSETS").value, Decimal::from(23_832_000_000u64));
        let ni = get("NET-INCOME");
        assert_eq!(ni.period, Period::Duration { start: NaiveDate::from_ymd_opt(1995, 1, 1).unwrap(), end: NaiveDate::from_ymd_opt(1995, 12, 31).unwrap() });
        let eps = get("EPS-PRIMARY");
        assert_eq!((eps.value, eps.unit), (Decimal::from_str("2.7").unwrap(), "USD/share"));
        assert!(facts.iter().all(|x| x.tag != "EPS-DILUTED"), "an empty value is no fact");
    }

    #[test]
    fn a_schedule_in_a_document_of_another_type_is_found_by_its_tags() {
        // typed EX-99, no <FDS>, the tags indented: found by <ARTICLE> and <PERIOD-END>
        let mut text = String::from("<DOCUMENT>\n<TYPE>EX-99\n<TEXT>\n");
        text.push_str(&"Summary financial information follows.\n".repeat(450));
        text.push_str("  <ARTICLE> 5\n  <MULTIPLIER> 1000\n  <PERIOD-TYPE> YEAR\n  <PERIOD-END> DEC-31-1996\n  <CASH> 1,200\n</TEXT>\n</DOCUMENT>\n");
        let f = filing(&text);
        assert!(f.has_article_tag);
        let s = schedules(&f);
        assert_eq!(s.len(), 1);
        assert_eq!(facts(&s)[0].value, Decimal::from(1_200_000));
        // the same document without the tags holds none
        let plain = filing(&text.replace("<ARTICLE> 5", "ARTICLE 5"));
        assert!(!plain.has_article_tag);
        assert!(schedules(&plain).is_empty());
    }

    #[test]
    fn nine_months_restated_flawed_and_several_schedules() {
        let text = "<DOCUMENT>\n<TYPE>EX-27.2\n<TEXT>\n<ARTICLE> 9\n<FLAWED>\nEDGAR WARNING: VALUE MISSING\n<RESTATED>\n<MULTIPLIER> 1000\n<PERIOD-TYPE> 9-MOS\n<FISCAL-YEAR-END> DEC-31-1998\n<PERIOD-START> JAN-01-1998\n<PERIOD-END> SEP-30-1998\n<LOANS> 298,400\n<NET-INCOME> (1,234)\n<ARTICLE> 5\n<MULTIPLIER> 1\n<PERIOD-TYPE> YEAR\n<PERIOD-END> DEC-31-1997\n<SALES> 5\n</TEXT>\n</DOCUMENT>\n";
        let s = schedules(&filing(text));
        assert_eq!(s.len(), 2);
        assert!(s[0].flawed && s[0].restated);
        assert_eq!(s[0].article, "9");
        let f = facts(&s);
        let ni = f.iter().find(|x| x.tag == "NET-INCOME").unwrap();
        assert_eq!(ni.value, Decimal::from(-1_234_000));
        assert_eq!(ni.period.start(), NaiveDate::from_ymd_opt(1998, 1, 1));
        let sales = f.iter().find(|x| x.tag == "SALES").unwrap();
        assert_eq!(sales.period.start(), NaiveDate::from_ymd_opt(1997, 1, 1), "YEAR without PERIOD-START");
    }

    #[test]
    fn the_map_has_the_core_tags() {
        for t in ["TOTAL-ASSETS", "CURRENT-ASSETS", "CURRENT-LIABILITIES", "TOTAL-REVENUES", "NET-INCOME", "EPS-PRIMARY"] {
            assert!(lookup("5", t).is_some(), "{t}");
        }
    }
}
