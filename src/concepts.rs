//! Stage 5: give every row a concept: a US-GAAP element from the concept map (data in
//! `sql/concept_map.csv`), the element its structure implies (an unlabeled subtotal of
//! cost of sales and sales is gross profit: `sql/subtotal_map.csv`), or an extension
//! name derived from the printed label.

use crate::layout::{Row, StatementKind, Table};
use regex::Regex;
use std::path::Path;
use std::sync::LazyLock;

const BUILTIN_MAP: &str = include_str!("../sql/concept_map.csv");
const BUILTIN_SUBTOTALS: &str = include_str!("../sql/subtotal_map.csv");
const SHARE_CONCEPTS: &str = include_str!("../sql/share_concepts.csv");
const CHANGE_CONCEPTS: &str = include_str!("../sql/change_concepts.csv");

/// balance concept -> the element for its change in a statement of cash flows
/// (`sql/change_concepts.csv`)
static CHANGE_OF: LazyLock<std::collections::HashMap<String, String>> = LazyLock::new(|| {
    let mut rdr = csv::ReaderBuilder::new().comment(Some(b'#')).from_reader(CHANGE_CONCEPTS.as_bytes());
    rdr.records().flatten().filter(|r| r.len() >= 2).map(|r| (r[0].trim().to_string(), r[1].trim().to_string())).collect()
});

/// value concept -> its share-count twin (`sql/share_concepts.csv`)
static SHARES_OF: LazyLock<std::collections::HashMap<String, String>> = LazyLock::new(|| {
    let mut rdr = csv::ReaderBuilder::new().comment(Some(b'#')).from_reader(SHARE_CONCEPTS.as_bytes());
    rdr.records().flatten().filter(|r| r.len() >= 2).map(|r| (r[0].trim().to_string(), r[1].trim().to_string())).collect()
});

/// The element for a share count in a row whose concept names dollars ("Exercise of stock
/// options" in the Shares column of an equity statement), if the map has one.
pub fn shares_twin(value_concept: &str) -> Option<&'static str> {
    SHARES_OF.get(value_concept).map(String::as_str)
}

#[derive(Debug)]
enum Pattern {
    Exact(String),
    /// "~^interest (?:income|earned) on loans$": an anchored pattern naming a few whole labels,
    /// looked up like exact labels (no regex to compile at start or to run per label)
    Words(Vec<String>),
    /// Checked when the map is read (so an error names its line), compiled the first time a
    /// label of its statement and section asks: most runs need only some of the rules.
    Re(String, std::sync::OnceLock<Option<regex::bytes::Regex>>),
}

/// Labels are normalized to ASCII words: ASCII classes and word boundaries compile far faster
/// than Unicode ones (a pattern that needs Unicode keeps it).
fn compile(re: &str) -> Result<regex::bytes::Regex, regex::Error> {
    regex::bytes::RegexBuilder::new(re).unicode(false).build().or_else(|_| regex::bytes::Regex::new(re))
}

impl Pattern {
    fn matches(&self, label: &str) -> bool {
        match self {
            Pattern::Exact(s) => s == label,
            Pattern::Words(w) => w.iter().any(|s| s == label),
            Pattern::Re(src, re) => re.get_or_init(|| compile(src).ok()).as_ref().is_some_and(|r| r.is_match(label.as_bytes())),
        }
    }
}

/// The whole labels an anchored pattern (`^...$` of literals, alternatives, optional parts and
/// small classes) can match, or None when it can match more than `MAX_WORDS` or is not anchored.
fn finite_language(pattern: &str) -> Option<Vec<String>> {
    use regex_syntax::hir::{Class, Hir, HirKind, Look};
    const MAX_WORDS: usize = 256;
    fn words(h: &Hir) -> Option<Vec<String>> {
        let cross = |acc: Vec<String>, opts: Vec<String>| -> Option<Vec<String>> {
            if acc.len().saturating_mul(opts.len()) > MAX_WORDS {
                return None;
            }
            Some(acc.iter().flat_map(|a| opts.iter().map(move |o| format!("{a}{o}"))).collect())
        };
        match h.kind() {
            HirKind::Empty => Some(vec![String::new()]),
            HirKind::Literal(l) => Some(vec![String::from_utf8(l.0.to_vec()).ok()?]),
            HirKind::Capture(c) => words(&c.sub),
            HirKind::Concat(parts) => parts.iter().try_fold(vec![String::new()], |acc, p| cross(acc, words(p)?)),
            HirKind::Alternation(alts) => {
                let mut v = Vec::new();
                for a in alts {
                    v.extend(words(a)?);
                    if v.len() > MAX_WORDS {
                        return None;
                    }
                }
                Some(v)
            }
            HirKind::Repetition(r) if r.min == 0 && r.max == Some(1) => {
                let mut v = words(&r.sub)?;
                v.push(String::new());
                Some(v)
            }
            HirKind::Class(Class::Unicode(c)) => {
                let chars: Vec<char> = c.ranges().iter().flat_map(|r| r.start()..=r.end()).take(9).collect();
                (chars.len() <= 8).then(|| chars.iter().map(|ch| ch.to_string()).collect())
            }
            _ => None,
        }
    }
    // (open-ended syntax needs no parsing to be ruled out)
    if pattern.contains(['.', '*', '+', '{', '\\']) {
        return None;
    }
    let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
    let HirKind::Concat(parts) = hir.kind() else { return None };
    let (first, last) = (parts.first()?, parts.last()?);
    if !matches!(first.kind(), HirKind::Look(Look::Start)) || !matches!(last.kind(), HirKind::Look(Look::End)) || parts.len() < 3 {
        return None;
    }
    let inner = Hir::concat(parts[1..parts.len() - 1].to_vec());
    let mut w = words(&inner)?;
    w.sort();
    w.dedup();
    Some(w)
}

#[derive(Debug)]
struct MapRule {
    statement: Option<String>,
    section: Option<String>,
    pattern: Pattern,
    concept: String,
    /// User rules outrank built-in ones of the same specificity.
    user: bool,
}

impl MapRule {
    fn tier(&self) -> u8 {
        match (&self.statement, &self.section) {
            (Some(_), Some(_)) => 0,
            (Some(_), None) => 1,
            (None, Some(_)) => 1,
            (None, None) => 2,
        }
    }
}

#[derive(Debug)]
struct SubtotalRule {
    statement: Option<String>,
    section: Option<String>,
    component: String,
    total: String,
}

#[derive(Debug)]
pub struct ConceptMap {
    rules: Vec<MapRule>,
    subtotals: Vec<SubtotalRule>,
    /// Indexes of the regex rules, in rank order.
    regex_rules: Vec<usize>,
    /// Rule indexes by exact normalized label.
    exact: std::collections::HashMap<String, Vec<usize>, foldhash::fast::RandomState>,
}

/// How a row got its concept.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Mapped {
    pub concept: String,
    /// "map", "structure" or "label".
    pub source: &'static str,
    /// Context code used for the lookup ("current_assets", "operating" ...).
    pub section: &'static str,
}

#[derive(Debug, thiserror::Error)]
pub enum MapError {
    #[error("{file}: line {line}: {msg}")]
    Bad { file: String, line: usize, msg: String },
    #[error("{file}: {source}")]
    Io { file: String, source: std::io::Error },
}

fn star(s: &str) -> Option<String> {
    let t = s.trim();
    if t.is_empty() || t == "*" { None } else { Some(t.to_ascii_lowercase()) }
}

fn parse_rules(text: &str, file: &str, user: bool) -> Result<Vec<MapRule>, MapError> {
    let mut out = Vec::new();
    let mut rdr = csv::ReaderBuilder::new().comment(Some(b'#')).flexible(true).from_reader(text.as_bytes());
    for (i, rec) in rdr.records().enumerate() {
        let line = i + 2;
        let rec = rec.map_err(|e| MapError::Bad { file: file.into(), line, msg: e.to_string() })?;
        if rec.len() < 4 {
            return Err(MapError::Bad { file: file.into(), line, msg: "expected statement,section,pattern,concept".into() });
        }
        let pat = rec[2].trim();
        let pattern = match pat.strip_prefix('~') {
            Some(re) => match finite_language(re) {
                Some(words) => Pattern::Words(words),
                // (the built-in map's patterns are checked by a test, a user's here)
                None if !user => Pattern::Re(re.to_string(), std::sync::OnceLock::new()),
                None => {
                    regex_syntax::ParserBuilder::new()
                        .unicode(false)
                        .utf8(false)
                        .build()
                        .parse(re)
                        .or_else(|_| regex_syntax::Parser::new().parse(re))
                        .map_err(|e| MapError::Bad { file: file.into(), line, msg: e.to_string() })?;
                    Pattern::Re(re.to_string(), std::sync::OnceLock::new())
                }
            },
            None => Pattern::Exact(normalize_label(pat)),
        };
        let concept = rec[3].trim().to_string();
        if concept.is_empty() {
            return Err(MapError::Bad { file: file.into(), line, msg: "empty concept".into() });
        }
        out.push(MapRule { statement: star(&rec[0]), section: star(&rec[1]), pattern, concept, user });
    }
    Ok(out)
}

fn parse_subtotals(text: &str) -> Result<Vec<SubtotalRule>, MapError> {
    let mut out = Vec::new();
    let mut rdr = csv::ReaderBuilder::new().comment(Some(b'#')).flexible(true).from_reader(text.as_bytes());
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| MapError::Bad { file: "sql/subtotal_map.csv".into(), line: i + 2, msg: e.to_string() })?;
        if rec.len() < 4 {
            continue;
        }
        out.push(SubtotalRule {
            statement: star(&rec[0]),
            section: star(&rec[1]),
            component: rec[2].trim().to_string(),
            total: rec[3].trim().to_string(),
        });
    }
    Ok(out)
}

impl ConceptMap {
    fn new(rules: Vec<MapRule>, subtotals: Vec<SubtotalRule>) -> Result<ConceptMap, MapError> {
        let mut regex_rules = Vec::new();
        let mut exact: std::collections::HashMap<String, Vec<usize>, foldhash::fast::RandomState> = Default::default();
        for (i, r) in rules.iter().enumerate() {
            match &r.pattern {
                Pattern::Re(..) => regex_rules.push(i),
                Pattern::Exact(e) => exact.entry(e.clone()).or_default().push(i),
                Pattern::Words(w) => {
                    for e in w {
                        exact.entry(e.clone()).or_default().push(i);
                    }
                }
            }
        }
        // in rank order, so the first regex that matches is the best one
        regex_rules.sort_by_key(|&i| (rules[i].tier(), !rules[i].user, i));
        Ok(ConceptMap { rules, subtotals, regex_rules, exact })
    }

    pub fn builtin() -> Result<ConceptMap, MapError> {
        ConceptMap::new(parse_rules(BUILTIN_MAP, "sql/concept_map.csv", false)?, parse_subtotals(BUILTIN_SUBTOTALS)?)
    }

    /// Built-in rules plus a user's CSV (same columns), whose rules win.
    pub fn with_user_file(path: &Path) -> Result<ConceptMap, MapError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| MapError::Io { file: file.clone(), source })?;
        let mut user = parse_rules(&text, &file, true)?;
        user.append(&mut parse_rules(BUILTIN_MAP, "sql/concept_map.csv", false)?);
        ConceptMap::new(user, parse_subtotals(BUILTIN_SUBTOTALS)?)
    }

    pub fn rule_count(&self) -> usize {
        self.rules.len()
    }

    /// The concept for a normalized label in its statement and section.
    /// `lookup`, remembered per thread: the same labels come back in every filing.
    pub fn lookup_cached(&self, statement: &str, section: &str, norm: &str) -> Option<String> {
        // label -> "statement section" -> concept: a hit allocates nothing
        type Cache = std::collections::HashMap<String, Vec<(String, Option<String>)>, foldhash::fast::RandomState>;
        thread_local! {
            static CACHE: std::cell::RefCell<(usize, usize, Cache)> = std::cell::RefCell::new((0, 0, Default::default()));
        }
        let me = self as *const ConceptMap as usize;
        let place = |k: &str| k.len() == statement.len() + 1 + section.len() && k.starts_with(statement) && k.ends_with(section) && k.as_bytes()[statement.len()] == b' ';
        CACHE.with(|c| {
            let mut c = c.borrow_mut();
            if c.0 != me || c.1 > 200_000 {
                // another map (a user's CSV) or too many labels: start over
                c.0 = me;
                c.1 = 0;
                c.2.clear();
            }
            if let Some(v) = c.2.get(norm).and_then(|seen| seen.iter().find(|(k, _)| place(k))) {
                return v.1.clone();
            }
            let v = self.lookup(statement, section, norm).map(str::to_string);
            c.1 += 1;
            c.2.entry(norm.to_string()).or_default().push((format!("{statement} {section}"), v.clone()));
            v
        })
    }

    pub fn lookup(&self, statement: &str, section: &str, norm: &str) -> Option<&str> {
        // more specific tier first; within a tier user rules first, then file order
        let rank = |i: usize| {
            let r = &self.rules[i];
            (r.tier(), !r.user, i)
        };
        let fits = |i: usize| {
            let r = &self.rules[i];
            r.statement.as_deref().is_none_or(|s| s == statement) && r.section.as_deref().is_none_or(|s| s == section)
        };
        let mut best: Option<(u8, bool, usize)> = None;
        for &i in self.exact.get(norm).map(|v| v.as_slice()).unwrap_or(&[]) {
            if fits(i) && best.is_none_or(|b| rank(i) < b) {
                best = Some(rank(i));
            }
        }
        for &i in &self.regex_rules {
            // rules come in rank order: none after a better exact match can win
            if best.is_some_and(|b| rank(i) > b) {
                break;
            }
            if fits(i) && self.rules[i].pattern.matches(norm) {
                best = Some(rank(i));
                break;
            }
        }
        best.map(|(_, _, i)| self.rules[i].concept.as_str())
    }

    /// Rules naming the row's section outrank rules for any section.
    fn subtotal(&self, statement: &str, section: &str, components: &[&str]) -> Option<&str> {
        let fits = |r: &&SubtotalRule| {
            r.statement.as_deref().is_none_or(|s| s == statement) && components.contains(&r.component.as_str())
        };
        self.subtotals
            .iter()
            .filter(fits)
            .find(|r| r.section.as_deref() == Some(section))
            .or_else(|| self.subtotals.iter().filter(fits).find(|r| r.section.is_none()))
            .map(|r| r.total.as_str())
    }
}

static PARENS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\([^)]*\)?").expect("static regex"));

/// Lowercase, `&` -> and, parentheticals and punctuation out, spaces collapsed.
pub fn normalize_label(s: &str) -> String {
    thread_local! {
        static SEEN: crate::memo::Memory<String> = Default::default();
    }
    crate::memo::get(&SEEN, s, || read_normalized(s))
}

fn read_normalized(s: &str) -> String {
    let s = s.to_lowercase().replace('&', " and ");
    // ("(basic and diluted)" says which earnings per share: its words stay)
    let s = PARENS.replace_all(&s, |c: &regex::Captures| {
        let g = &c[0];
        if g.contains("basic") || g.contains("diluted") || g.contains("primary") { g.to_string() } else { " ".to_string() }
    });
    let cleaned: String = s.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' }).collect();
    cleaned.split_whitespace().map(|w| ABBREVIATIONS.iter().find(|(a, _)| *a == w).map_or(w, |(_, full)| full)).collect::<Vec<_>>().join(" ")
}

/// Words small filers abbreviated ("Accts. receivable", "Prop., plant & equip., net"), and
/// old synonyms ("Sundry assets").
const ABBREVIATIONS: [(&str, &str); 13] = [
    ("sundry", "other"),
    ("accts", "accounts"),
    ("acct", "account"),
    ("prop", "property"),
    ("equip", "equipment"),
    ("admin", "administrative"),
    ("gen", "general"),
    ("prov", "provision"),
    ("accum", "accumulated"),
    ("amort", "amortization"),
    ("depr", "depreciation"),
    ("exp", "expense"),
    ("pymts", "payments"),
];

/// `ext:CommissionsSalariesWagesAndTaxesThereon` from "Commissions, salaries, wages and taxes thereon".
pub fn extension_name(label: &str) -> String {
    let norm = normalize_label(label);
    if norm.is_empty() {
        return "ext:Subtotal".into();
    }
    let camel: String = norm
        .split(' ')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect();
    let camel = if camel.starts_with(|c: char| c.is_ascii_digit()) { format!("N{camel}") } else { camel };
    format!("ext:{}", &camel[..camel.len().min(120)])
}

/// Section code of each row, from its section headers and its place among the totals.
pub fn section_codes(t: &Table) -> Vec<&'static str> {
    match t.kind {
        StatementKind::Balance => balance_sections(&t.rows),
        StatementKind::CashFlow => cash_flow_sections(&t.rows),
        StatementKind::Income | StatementKind::Comprehensive => {
            // a bank's statement of income: interest income less interest expense first
            let bank = t.rows.iter().any(|r| {
                let l = normalize_label(&r.label);
                l == "net interest income" || l.starts_with("net interest income after") || l.starts_with("provision for loan losses") || l.starts_with("provision for possible loan losses")
            });
            t.rows
            .iter()
            .map(|r| {
                let s = r.sections.join(" ").to_ascii_lowercase();
                if r.sections.last().is_some_and(|x| crate::units::shares_section(x)) {
                    "shares"
                } else if s.contains("per share") || s.contains("per common share") || s.contains("earnings per") {
                    "per_share"
                } else if bank {
                    "bank"
                } else {
                    "none"
                }
            })
            .collect()
        }
        _ => vec!["none"; t.rows.len()],
    }
}

fn balance_sections(rows: &[Row]) -> Vec<&'static str> {
    let classified = rows.iter().any(|r| {
        let l = normalize_label(&r.label);
        l.starts_with("total current liabilities")
            || l.starts_with("total current assets")
            || r.sections.iter().any(|s| {
                let s = s.to_ascii_lowercase();
                (s.contains("current liabilities") || s.contains("current assets")) && !s.contains("noncurrent") && !s.contains("non-current")
            })
    });
    // an unclassified balance sheet (banks, insurers, utilities, GE) has assets and
    // liabilities, not current and noncurrent ones
    let mut state = if classified { "current_assets" } else { "assets" };
    let mut seen_total_assets = false;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let innermost = r.sections.last().map(|s| s.to_ascii_lowercase()).unwrap_or_default();
        // a header passed since the previous row can switch the section even when a
        // header of the same level closed it again ("SHARE-OWNERS' EQUITY" / "Common stock")
        let passed = r.headers_before.iter().rev().map(|s| s.to_ascii_lowercase()).find(|h| {
            h.contains("equity") && !h.contains("method") || h.contains("liabilities") || h.contains("current")
        });
        let sec = passed.unwrap_or(innermost);
        let label = normalize_label(&r.label);
        if sec.contains("current liabilities") && !sec.contains("non") {
            state = "current_liabilities";
        } else if sec.contains("current assets") && !sec.contains("non") {
            state = "current_assets";
        } else if sec.contains("liabilities and") {
            // "LIABILITIES AND SHAREHOLDERS' EQUITY" opens the liabilities, not the equity; in an
            // unclassified balance sheet (GE's) nothing says which are current
            state = if classified { state_after_assets(state) } else { "liabilities" };
        } else if (sec.contains("equity") && !sec.contains("equity method") && !sec.contains("investments"))
            || sec.contains("stockholders") || sec.contains("shareholders") || sec.contains("share owners") || sec.contains("share-owners")
            || sec.contains("capital stock")
        {
            state = "equity";
        } else if sec.trim_end_matches(':').trim() == "current" {
            state = if seen_total_assets { "current_liabilities" } else { "current_assets" };
        } else if sec.contains("liabilities") && !classified && state != "equity" {
            state = "liabilities";
        } else if sec.contains("liabilities") && state != "current_liabilities" && state != "equity" {
            state = if sec.contains("long") || sec.contains("noncurrent") || sec.contains("non current") || sec.contains("other") { "noncurrent_liabilities" } else { state_after_assets(state) };
        } else if (sec.contains("property") || sec.contains("investments") || sec.contains("other assets")) && state == "current_assets" {
            state = "noncurrent_assets";
        }
        if label.starts_with("total liabilities and") || label.starts_with("total liabilities") && label.contains("equity") {
            out.push("equity");
            continue;
        }
        out.push(state);
        if label == "total current assets" || label.starts_with("total current assets") {
            state = "noncurrent_assets";
        } else if label == "total assets" || (label.is_empty() && r.rule_below == crate::layout::Rule::Double && state.ends_with("assets")) {
            state = if classified { "current_liabilities" } else { "liabilities" };
            seen_total_assets = true;
        } else if label.starts_with("total current liabilities") {
            state = "noncurrent_liabilities";
        } else if label == "total liabilities" {
            state = "equity";
        }
    }
    out
}

fn state_after_assets(state: &'static str) -> &'static str {
    match state {
        "assets" => "liabilities",
        "current_assets" | "noncurrent_assets" => "current_liabilities",
        s => s,
    }
}

fn cash_flow_sections(rows: &[Row]) -> Vec<&'static str> {
    let mut state = "operating";
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let sec = r.sections.join(" ").to_ascii_lowercase();
        let label = normalize_label(&r.label);
        if sec.contains("supplement") || sec.contains("cash paid") || sec.contains("non cash") || sec.contains("noncash") {
            state = "supplemental";
        } else if sec.contains("financing") && state != "supplemental" {
            state = "financing";
        } else if sec.contains("investing") && state != "financing" && state != "supplemental" {
            state = "investing";
        } else if sec.contains("operating") && state == "operating" {
            state = "operating";
        }
        let closes = label.contains("operating activities") && (label.starts_with("net cash") || label.starts_with("cash provided") || label.starts_with("cash used") || label.starts_with("net cash"));
        let inv = label.contains("investing activities");
        let fin = label.contains("financing activities");
        if inv && state == "operating" {
            state = "investing";
        }
        if fin && (state == "operating" || state == "investing") {
            state = "financing";
        }
        let is_change = label.starts_with("net increase") || label.starts_with("net decrease") || label.starts_with("net change") || label.starts_with("increase") || label.starts_with("decrease") || label.contains("at beginning") || label.contains("at end") || label.contains("exchange rate");
        out.push(if is_change && state != "supplemental" { "none" } else { state });
        if closes {
            state = "investing";
        } else if inv && (label.starts_with("net cash") || label.starts_with("cash")) {
            state = "financing";
        } else if fin && (label.starts_with("net cash") || label.starts_with("cash")) {
            state = "none";
        }
    }
    out
}

static PERIOD_TAIL: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?-u) (?:for )?(?:the )?(?:fiscal )?(?:(?:three|six|nine|twelve) months?|years?|period|quarter) (?:ended|ending) [a-z]+(?: \d{1,2})?(?: \d{4})?$| (?:at|as of) [a-z]+ \d{1,2}(?: \d{4})?$| (?:january|february|march|april|may|june|july|august|september|october|november|december) \d{1,2} \d{4}$| for the period from (?:inception )?(?:[a-z]+ \d{1,2} \d{4} )?(?:to|through) [a-z]+ \d{1,2} \d{4}$| (?:for )?(?:the )?(?:year )?(?:19|20)\d\d$").expect("static regex")
});

/// A normalized label without the period it names at its end.
fn without_period(norm: &str) -> Option<String> {
    let m = PERIOD_TAIL.find(norm)?;
    (m.start() > 0).then(|| norm[..m.start()].to_string())
}

/// The label read with what its heading adds: "Net income" under "Fully diluted:" is diluted
/// earnings per share; "Other" under "Other income:" is other noninterest income; "(Increase)
/// in accrued interest receivable" is a change.
fn qualified(sections: &[String], section: &str, norm: &str) -> Option<String> {
    // (read the heading only where it can matter: this runs for every labelled row)
    let heading = || sections.last().map(|h| normalize_label(h)).unwrap_or_default();
    if section == "per_share" {
        let heading = heading();
        let diluted = heading.contains("diluted") || heading.contains("dilution");
        let basic = heading.contains("basic") || heading.contains("primary");
        if diluted && !basic && !norm.contains("dilut") {
            return Some(format!("{norm} diluted"));
        }
        if basic && !diluted && !norm.contains("basic") && !norm.contains("primary") {
            return Some(format!("{norm} basic"));
        }
        return None;
    }
    // generic lines of an income statement take their heading's words: "Other" under a bank's
    // "Other income:", "Product" under "Cost of revenues:"
    let generic = matches!(norm, "other" | "other net" | "miscellaneous" | "all other" | "product" | "products" | "service" | "services" | "service and support");
    if generic && matches!(section, "bank" | "none") {
        let heading = heading();
        if !heading.is_empty() {
            return Some(format!("{heading} {norm}"));
        }
    }
    // "Loans" / "Securities" under a bank's "Interest income:", "Deposits" under "Interest expense:"
    if section == "bank" && !norm.starts_with("interest") && !norm.starts_with("total") && !generic {
        let heading = heading();
        for h in ["interest income", "interest expense"] {
            if heading.starts_with(h) || heading.starts_with(&format!("{h} on")) || heading == "interest and dividend income" && h == "interest income" {
                return Some(format!("{h} on {norm}"));
            }
        }
    }
    // "Customers" / "Other" under "Accounts receivable -"
    let debtor = ["customers", "customer", "trade", "other", "others"].iter().any(|w| norm == *w || norm.strip_prefix(w).is_some_and(|r| r.starts_with(' ')));
    if debtor && matches!(section, "current_assets" | "assets") {
        let heading = heading();
        if heading.contains("receivable") {
            return Some(format!("{heading} {norm}"));
        }
    }
    norm.strip_prefix("in ").map(|rest| format!("increase decrease in {rest}"))
}

/// The heading and the label as one label, when the heading ends without a colon.
fn wrapped_heading(sections: &[String], norm: &str) -> Option<String> {
    let h = sections.last()?.trim_end();
    if h.ends_with(':') || h.ends_with('-') || norm.starts_with("total") {
        return None;
    }
    let heading = normalize_label(h);
    (!heading.is_empty()).then(|| format!("{heading} {norm}"))
}

/// The element of a normalized label in its statement and section, read with its headings
/// (`sections`, outermost first) where they qualify it, and without a period it names.
pub fn map_label(map: &ConceptMap, statement: &str, section: &str, sections: &[String], norm: &str) -> Option<String> {
    if let Some(c) = qualified(sections, section, norm).and_then(|q| map.lookup_cached(statement, section, &q)) {
        return Some(c);
    }
    if let Some(c) = map.lookup_cached(statement, section, norm) {
        return Some(c);
    }
    // "Net loss for year ended December 31, 2006" is the net loss
    if let Some(c) = without_period(norm).and_then(|n| map.lookup_cached(statement, section, &n)) {
        return Some(c);
    }
    // "Trade and other receivables" among the operating changes: the change in the balance
    if statement == "cash_flow" && section == "operating" {
        let item = CHANGE_WORDS.replace_all(norm, " ");
        let item = item.split_whitespace().collect::<Vec<_>>().join(" ");
        return ["current_assets", "current_liabilities", "assets", "liabilities", "noncurrent_liabilities"]
            .iter()
            .find_map(|sec| map.lookup_cached("balance", sec, &item))
            .and_then(|c| CHANGE_OF.get(&c).cloned());
    }
    None
}

/// The words of a change around an item: "(increase) decrease in", "net", "change in".
static CHANGE_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?:net )?(?:increase|decrease|increases|decreases|change|changes)(?: and| or)?(?: increase| decrease| increases| decreases)?(?: in)? )|(?: (?:increase|decrease|increase decrease|decrease increase|net))+$").expect("static regex")
});

/// A one-step income statement (no gross profit line) totals all its costs: "Total operating
/// expenses" there is costs and expenses.
fn one_step_totals(t: &Table, out: &mut [Mapped]) {
    if t.kind != StatementKind::Income || out.iter().any(|m| m.concept == "us-gaap:GrossProfit") {
        return;
    }
    // ... when it holds the costs of what was sold, or many lines (a shell company's "Total
    // operating expenses" over general and administrative expenses stays operating expenses)
    const COSTS: [&str; 10] = [
        "us-gaap:CostOfGoodsSold", "us-gaap:CostOfRevenue", "us-gaap:CostOfServices", "us-gaap:CostOfGoodsAndServicesSold", "us-gaap:FuelCosts",
        "us-gaap:LaborAndRelatedExpense", "us-gaap:FoodAndBeverageCostOfSales", "us-gaap:CostOfPurchasedPower", "us-gaap:OilAndGasProductionExpense",
        "us-gaap:DirectCostsOfLeasedAndRentedPropertyOrEquipment",
    ];
    for i in 0..out.len() {
        if out[i].concept != "us-gaap:OperatingExpenses" || !normalize_label(&t.rows[i].label).starts_with("total") {
            continue;
        }
        let above = &out[..i];
        if above.iter().any(|m| COSTS.contains(&m.concept.as_str())) || above.len() >= 6 {
            out[i].concept = "us-gaap:CostsAndExpenses".into();
        }
    }
}

/// Concepts of all rows of a table.
pub fn map_table(map: &ConceptMap, t: &Table) -> Vec<Mapped> {
    let mut out = map_rows(map, t);
    one_step_totals(t, &mut out);
    out
}

fn map_rows(map: &ConceptMap, t: &Table) -> Vec<Mapped> {
    let sections = section_codes(t);
    let statement = t.kind.as_str();
    let groups = crate::footing::groups(t);
    let mut out: Vec<Mapped> = Vec::with_capacity(t.rows.len());
    for (i, r) in t.rows.iter().enumerate() {
        let section = sections[i];
        let norm = normalize_label(&r.label);
        if !norm.is_empty() {
            if let Some(c) = map_label(map, statement, section, &r.sections, &norm) {
                out.push(Mapped { concept: c, source: "map", section });
                continue;
            }
            // "WEIGHTED AVERAGE NUMBER OF SHARES" over an indented "OUTSTANDING - BASIC AND
            // DILUTED": a label wrapped like a heading (no colon, one row under it) reads as one
            let alone = !r.sections.is_empty() && t.rows.iter().filter(|o| o.sections == r.sections).count() == 1;
            if let Some(c) = wrapped_heading(&r.sections, &norm).filter(|_| alone).and_then(|q| map.lookup_cached(statement, section, &q)) {
                out.push(Mapped { concept: c, source: "map", section });
                continue;
            }
            out.push(Mapped { concept: extension_name(&r.label), source: "label", section });
            continue;
        }
        // unlabeled subtotal: the concept of what its components add up to
        let comps: Vec<&str> = match groups.iter().find(|(total, _)| *total == i) {
            Some((_, rows)) => rows.iter().map(|&k| out[k].concept.as_str()).collect(),
            None => (i.saturating_sub(1)..i).map(|k| out[k].concept.as_str()).collect(),
        };
        // a balance sheet's grand totals: double rule under an unlabeled total
        if t.kind == StatementKind::Balance && r.rule_below == crate::layout::Rule::Double {
            let concept = if section.ends_with("assets") { "us-gaap:Assets" } else { "us-gaap:LiabilitiesAndStockholdersEquity" };
            out.push(Mapped { concept: concept.into(), source: "structure", section });
            continue;
        }
        // an unlabeled total closing the rows under a heading ("Costs and expenses:") is
        // what the heading names
        let members: Vec<usize> = match groups.iter().find(|(total, _)| *total == i) {
            Some((_, rows)) => rows.clone(),
            None => (i.saturating_sub(1)..i).collect(),
        };
        // (only over plain items: a total net of "Less allowance" or of a subtotal is another thing)
        let plain = |k: usize| {
            let l = normalize_label(&t.rows[k].label);
            !l.is_empty() && !l.starts_with("less ") && !l.starts_with("total ")
        };
        // the items printed right above it under the same heading
        let heading = r.sections.last().filter(|h| {
            let run: Vec<usize> = (0..i).rev().take_while(|&k| t.rows[k].sections.last() == Some(*h) && !t.rows[k].label.trim().is_empty()).collect();
            (run.len() >= 2 && run.iter().all(|&k| plain(k))) || (!members.is_empty() && members.iter().all(|&k| t.rows[k].sections.last() == Some(*h) && plain(k)))
        });
        let named = heading.and_then(|h| {
            let n = normalize_label(h);
            map.lookup_cached(statement, section, &format!("total {n}")).or_else(|| map.lookup_cached(statement, section, &n))
        });
        if let Some(c) = named {
            out.push(Mapped { concept: c, source: "structure", section });
            continue;
        }
        match map.subtotal(statement, section, &comps) {
            Some(c) => out.push(Mapped { concept: c.to_string(), source: "structure", section }),
            None => out.push(Mapped { concept: "ext:Subtotal".into(), source: "label", section }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_pattern_compiles() {
        let map = ConceptMap::builtin().unwrap();
        let mut n = 0;
        for r in &map.rules {
            if let Pattern::Re(src, _) = &r.pattern {
                assert!(compile(src).is_ok(), "sql/concept_map.csv: {src}");
                n += 1;
            }
        }
        assert!(n > 100);
    }

    #[test]
    fn share_counts_have_their_own_elements() {
        assert_eq!(shares_twin("us-gaap:StockIssuedDuringPeriodValueStockOptionsExercised"), Some("us-gaap:StockIssuedDuringPeriodSharesStockOptionsExercised"));
        assert_eq!(shares_twin("us-gaap:StockholdersEquity"), Some("us-gaap:SharesOutstanding"));
        assert_eq!(shares_twin("us-gaap:NetIncomeLoss"), None);
    }

    #[test]
    fn anchored_patterns_of_a_few_labels_become_words() {
        let w = finite_language("^interest income on (?:loans receivable|loans)(?: net)?$").unwrap();
        assert_eq!(w, ["interest income on loans", "interest income on loans net", "interest income on loans receivable", "interest income on loans receivable net"]);
        assert_eq!(finite_language("^cost of sales?$").unwrap(), ["cost of sale", "cost of sales"]);
        // unanchored, open-ended or too many: a regex
        assert!(finite_language("interest income").is_none());
        assert!(finite_language("^interest income.*$").is_none());
        assert!(finite_language("^net (?:income|loss)\\b").is_none());
        assert!(finite_language("^(?i)a{1,300}$").is_none());
    }

    #[test]
    fn labels_normalize() {
        assert_eq!(normalize_label("Stockholders' equity per share (1)"), "stockholders equity per share");
        assert_eq!(normalize_label("Other (expense) income--net"), "other income net");
        assert_eq!(normalize_label("Research & development"), "research and development");
        assert_eq!(normalize_label("Long-term debt"), "long term debt");
    }

    #[test]
    fn labels_without_their_period() {
        assert_eq!(without_period("net loss for year ended december 31 2006").as_deref(), Some("net loss"));
        assert_eq!(without_period("balance at december 31 1996").as_deref(), Some("balance"));
        assert_eq!(without_period("net sales"), None);
    }

    #[test]
    fn extension_names() {
        assert_eq!(extension_name("Commissions, salaries, wages and taxes thereon"), "ext:CommissionsSalariesWagesAndTaxesThereon");
        assert_eq!(extension_name(""), "ext:Subtotal");
        assert_eq!(extension_name("2004"), "ext:N2004");
    }

    #[test]
    fn builtin_map_loads_and_maps() {
        let m = ConceptMap::builtin().expect("builtin map parses");
        assert!(m.rule_count() > 200);
        assert_eq!(m.lookup("income", "none", "net sales"), Some("us-gaap:SalesRevenueNet"));
        assert_eq!(m.lookup("cash_flow", "operating", "net cash provided by operating activities"), Some("us-gaap:NetCashProvidedByUsedInOperatingActivities"));
    }

    #[test]
    fn user_rules_win() {
        let dir = std::env::temp_dir().join(format!("ef-map-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("m.csv");
        std::fs::write(&p, "statement,section,pattern,concept,note\nincome,*,net sales,us-gaap:Revenues,mine\n").unwrap();
        let m = ConceptMap::with_user_file(&p).unwrap();
        assert_eq!(m.lookup("income", "none", "net sales"), Some("us-gaap:Revenues"));
        std::fs::write(&p, "statement,section,pattern,concept\nincome,*,~([,us-gaap:X\n").unwrap();
        let e = ConceptMap::with_user_file(&p).unwrap_err().to_string();
        assert!(e.contains("m.csv: line 2"), "{e}");
    }
}
