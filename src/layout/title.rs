//! A table's title, statement kind and stated scale.

use super::blocks::{cell_values, is_year_header, Block};
use super::lines::Line;
use super::{Scale, StatementKind, Table};
use regex::Regex;
use rust_decimal::Decimal;
use std::sync::LazyLock;

#[derive(Debug, Clone)]
pub struct Title {
    pub text: String,
    /// 1-based line number.
    pub line: usize,
    /// Index of the (last) title line in the document's lines.
    pub idx: usize,
}

static NOTE_HEAD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(?:(?i:note)\s+)?\d{1,2}\s*[.:\-–—]?\s+[A-Z(]").expect("static regex"));
static ITEM_HEAD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i-u)^item\s+\d{1,2}[a-z]?\.?\s").expect("static regex"));
static RUN_IN_NOTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?-u)^(\d{1,2}\.)\s+((?:[A-Z][A-Za-z'-]*|and|of|the|for|on|in|to)(?:\s+(?:[A-Z][A-Za-z'-]*|and|of|the|for|on|in|to))*)").expect("static regex"));
static CONTINUED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i-u)\s*[-(\[]*\s*(?:continued|cont'd|concluded)\s*[)\]]*\s*$").expect("static regex"));

/// Statement kind named by a title.
pub fn kind_of(title: &str) -> StatementKind {
    // (asked of every candidate title line, many times per filing)
    thread_local! {
        static SEEN: crate::memo::Memory<StatementKind> = Default::default();
    }
    crate::memo::get(&SEEN, title, || read_kind(title))
}

fn read_kind(title: &str) -> StatementKind {
    let t = title.to_ascii_lowercase().replace('\'', "");
    // "Management's Discussion and Analysis of Financial Condition ...": prose about statements
    if NOTE_HEAD.is_match(title.trim()) || t.contains("selected") || t.contains("quarterly") || t.contains("supplementary") || t.contains("discussion") || t.contains("analysis of") {
        return StatementKind::Other;
    }
    let statement = t.contains("statement") || t.contains("consolidated") || t.contains("balance sheet");
    if t.contains("balance sheet") || t.contains("balanced sheet") || t.contains("financial position") || t.contains("financial condition") {
        return StatementKind::Balance;
    }
    if t.contains("cash flow") || t.contains("changes in financial position") {
        return StatementKind::CashFlow;
    }
    if t.contains("comprehensive income") && !t.contains("equity") {
        return StatementKind::Comprehensive;
    }
    if (t.contains("equity") || t.contains("retained earnings") || t.contains("stockholders investment")) && statement {
        return StatementKind::Equity;
    }
    if statement && (t.contains("income") || t.contains("operations") || t.contains("earnings") || t.contains("loss")) {
        return StatementKind::Income;
    }
    StatementKind::Other
}

/// Rows outrank a misprinted title: a "retained earnings" page of cash flows is cash flows.
pub fn settle_kind(t: &mut Table) {
    // the labels in lower case, one per line: a word is looked for once in all of them
    let mut labels: String = t.rows.iter().flat_map(|r| [r.label.as_str(), "\n"]).collect();
    labels.make_ascii_lowercase();
    let has = |w: &str| labels.contains(w);
    let cash_flow = has("investing activities") && (has("financing activities") || has("operating activities"));
    let balance = has("total assets") && (has("total liabilities") || has("stockholders") || has("shareholders") || has("share owners"));
    let income = (has("net income") || has("net earnings") || has("net loss")) && (has("sales") || has("revenue")) && !balance;
    match t.kind {
        StatementKind::Other => {
            if !t.title.is_empty() && NOTE_HEAD.is_match(t.title.trim()) {
                return; // notes stay notes even when they print statement lines
            }
            if cash_flow && (t.title.is_empty() || t.title.to_ascii_lowercase().contains("statement")) {
                t.kind = StatementKind::CashFlow;
            }
        }
        StatementKind::Equity | StatementKind::Income | StatementKind::Balance if cash_flow && !balance => t.kind = StatementKind::CashFlow,
        StatementKind::Equity | StatementKind::CashFlow if balance && !cash_flow => t.kind = StatementKind::Balance,
        StatementKind::CashFlow if income && !cash_flow => t.kind = StatementKind::Income,
        // ("Purchases and sales of treasury stock" beside "Net earnings" is still equity)
        StatementKind::Equity if income && !cash_flow && (has("net sales") || has("revenue") || has("cost of") || has("gross profit")) => t.kind = StatementKind::Income,
        _ => {}
    }
}

fn clean_title(s: &str) -> String {
    let s = s.trim().trim_start_matches('|').trim();
    let s = CONTINUED.replace(s, "");
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn company_line(t: &str) -> bool {
    let l = t.to_ascii_lowercase();
    l.contains("and subsidiaries") || l.contains("and consolidated subsidiaries") || l.contains("and affiliates")
}

/// A street address or telephone line of a cover page ("85 Ferry Street, New Haven,
/// Connecticut 06513 (203) 555-0140"): never a table's title.
fn address_line(text: &str) -> bool {
    ADDRESS.is_match(text)
}

static ADDRESS: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?-u)\(\d{3}\)\s*\d{3}-\d{4}|\b\d{5}(?:-\d{4})?\s*$|\b\d{5}(?:-\d{4})?\s+\(\d{3}\)|^\d+\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*\s+(?:Street|Avenue|Road|Boulevard|Drive|Lane|Place|Way|Parkway)\b").expect("static regex")
});

/// How much a line looks like a heading (0 = not at all).
fn heading_score(lines: &[Line], i: usize) -> (u8, String) {
    let l = &lines[i];
    if !l.is_content() || cell_values(l).next().is_some() || is_year_header(l) {
        return (0, String::new());
    }
    // the second line of a wrapped "ITEM 7. MANAGEMENT'S DISCUSSION ... AND" / "FINANCIAL
    // CONDITION" belongs to the item heading above it, never a title of its own
    if l.indent > 0 && i > 0 && lines[i - 1].is_content() && super::lines::item_heading(&lines[i - 1].text()) {
        return (0, String::new());
    }
    let first = l.chunks.first().map(|c| c.text.clone()).unwrap_or_default();
    let full = clean_title(&l.text());
    // run-in note heading: "6.   Inventories  are valued at the lower of cost"
    if l.prose {
        if let Some(c) = RUN_IN_NOTE.captures(&full) {
            return (2, format!("{} {}", &c[1], c[2].trim()));
        }
        return (0, String::new());
    }
    let text = if l.chunks.len() > 1 && company_line(&l.chunks[1..].iter().map(|c| c.text.as_str()).collect::<Vec<_>>().join(" ")) {
        clean_title(&first)
    } else {
        full.clone()
    };
    // "CONSOLIDATED STATEMENT" / "OF INCOME": a statement title printed on two lines
    if kind_of(&text) == StatementKind::Other {
        if let Some(next) = lines.get(i + 1) {
            if next.is_content() && cell_values(next).next().is_none() && !next.prose {
                let nt = clean_title(&next.chunks.first().map(|c| c.text.clone()).unwrap_or_default());
                let joined = format!("{text} {nt}");
                if !nt.is_empty() && kind_of(&joined) != StatementKind::Other && joined.split_whitespace().count() <= 10 {
                    return (4, joined);
                }
            }
        }
    }
    let lower = text.to_ascii_lowercase();
    if text.len() < 3 || text.len() > 100 || text.split_whitespace().count() > 14 {
        return (0, text);
    }
    if company_line(&text) || lower.starts_with("see ") || lower.contains("integral part") || lower.contains("annual report page") || address_line(&text) {
        return (0, text);
    }
    if lower.starts_with('(') || text.ends_with(':') || lower.starts_with("page ") || lower.contains("in thousands") || lower.contains("in millions") {
        return (0, text);
    }
    if crate::dates::find_month_day_year(&text).is_some() && text.split_whitespace().count() <= 4 {
        return (0, text);
    }
    // "Twenty-Six Weeks Ended", "Year Ended December 31": a caption of the columns
    if (lower.contains("ended") || lower.contains("ending")) && ["weeks", "months", "year", "quarter", "period"].iter().any(|w| lower.contains(w)) && text.split_whitespace().count() <= 6 {
        return (0, text);
    }
    // the end of a sentence is not a heading
    if text.ends_with('.') && text.split_whitespace().count() > 3 && !ITEM_HEAD.is_match(&text) && !NOTE_HEAD.is_match(&text) {
        return (0, text);
    }
    // "have been included in the consolidated balance sheet": a sentence going on, not a
    // title (lower-case titles start with what they name: "consolidated statement of earnings")
    let first_word = lower.split_whitespace().next().unwrap_or("");
    let title_openers = ["consolidated", "combined", "condensed", "statement", "statements", "balance", "notes", "selected", "quarterly", "supplemental", "summary", "parent", "financial", "report"];
    if text.chars().next().is_some_and(|c| c.is_ascii_lowercase()) && !title_openers.contains(&first_word) {
        return (0, text);
    }
    let statement_words = ["balance sheet", "financial position", "statement of", "statements of", "statement", "financial condition"];
    if statement_words.iter().any(|w| lower.contains(w)) && kind_of(&text) != StatementKind::Other {
        return (3, text);
    }
    if ITEM_HEAD.is_match(&text) || (NOTE_HEAD.is_match(&text) && l.indent <= 6) {
        return (2, text);
    }
    if text.ends_with('.') && text.split_whitespace().count() > 4 {
        return (0, text);
    }
    // underlined heading
    if let Some(next) = lines.get(i + 1) {
        if let Some(segs) = next.rule() {
            if segs.len() == 1 && segs[0].start <= l.indent + 2 && segs[0].end + 2 >= l.end().min(segs[0].end + 2) && segs[0].end < l.end() + 12 {
                return (2, text);
            }
        }
    }
    let words = text.split_whitespace().count();
    let capital = text.chars().next().is_some_and(|c| c.is_uppercase());
    let all_caps = text.chars().filter(|c| c.is_alphabetic()).all(|c| c.is_uppercase());
    if capital && l.chunks.len() == 1 && ((all_caps && words >= 1 && l.indent >= 8) || (words >= 2 && words <= 10 && l.indent >= 8)) {
        return (1, text);
    }
    (0, text)
}

/// Find the title of block `b`: the best heading above its first row, not above `floor`.
pub fn find(lines: &[Line], b: &Block, floor: usize) -> Option<Title> {
    let mut best: Option<(u8, usize, String)> = None;
    let mut k = b.first_data;
    let mut steps = 0;
    while k > floor && steps < 80 {
        k -= 1;
        steps += 1;
        let (score, text) = heading_score(lines, k);
        if score == 0 {
            continue;
        }
        // "ITEM 6. SELECTED FINANCIAL DATA" opens a part of the filing: nothing above it heads
        // this table (and it is never a column header)
        if super::lines::item_heading(&text) {
            if best.as_ref().is_none_or(|(s, _, _)| score > *s) {
                best = Some((score, k, text));
            }
            break;
        }
        // a heading inside the column headers is a header, unless it names a statement
        if k >= b.top && score < 3 && header_like(lines, k, b) {
            continue;
        }
        // a heading under the column headers ("December 31," / "1995 1994" then a centered
        // "LIABILITIES AND STOCKHOLDERS' EQUITY") heads a section, not the table
        if k >= b.top && score < 3 && (b.top..k).any(|j| is_year_header(&lines[j])) {
            continue;
        }
        // ... and so does any line below the rule or `<S>` line that closes the headers
        // ("RESERVES DEDUCTED IN THE / BALANCE SHEET FROM THE / ASSETS ...")
        if k >= b.top && (b.top..k).any(|j| lines[j].rule().is_some() || lines[j].tag() == Some("S")) && (b.top..k).any(|j| lines[j].is_content()) {
            continue;
        }
        let better = match &best {
            None => true,
            Some((s, _, _)) => score > *s,
        };
        if better && (score >= 2 || steps <= 16) {
            best = Some((score, k, text));
        }
        if score >= 3 {
            break;
        }
        if score == 2 && steps > 25 {
            break;
        }
    }
    let (score, idx, text) = best?;
    if score == 4 {
        // the title's second line is the last title line
        return Some(Title { text, line: lines[idx + 1].no, idx: idx + 1 });
    }
    Some(Title { text, line: lines[idx].no, idx })
}

fn header_like(lines: &[Line], k: usize, b: &Block) -> bool {
    let l = &lines[k];
    // centered over the number columns rather than starting at the margin
    let first_col = b.data.iter().filter_map(|&d| cell_values(&lines[d]).next().map(|c| c.start)).min().unwrap_or(usize::MAX);
    // ("4.   ACCRUED LIABILITIES": a note number and its name are one heading)
    let chunks = if l.indent <= 6 && NOTE_HEAD.is_match(&l.text()) { 1 } else { l.chunks.len() };
    l.indent + 4 >= first_col || chunks > 1
}

static SCALE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?ix)
        (?P<thousands>in\s+thousands|thousands\s+of\s+(?:u\.?s\.?\s+)?dollars|\$\s*000'?s|\(\s*000'?s?\s*\)|000'?s\s+omitted|000\s+omitted|in\s+\$\s*000'?s?|dollars\s+in\s+thousands|amounts\s+in\s+thousands|\$\s*in\s+thousands|\(\s*thousands\s*(?:,|\)|except))
        |(?P<millions>in\s+millions|millions\s+of\s+(?:u\.?s\.?\s+)?dollars|\$\s*in\s+millions|dollars\s+in\s+millions|000,000'?s?\s+omitted|amounts\s+in\s+millions|\(\s*millions\s*(?:,|\)|except))
        |(?P<billions>in\s+billions)
    ").expect("static regex")
});
static SHARES_SCALED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i-u)(?:shares?|share\s+data|share\s+amounts)\s+(?:are\s+)?in\s+(?:thousands|millions)|(?:thousands|millions)\s+of\s+shares|except\s+per\s+share\s+data\s+and\s+shares").expect("static regex")
});

/// The factor a text states (1 when it states none).
pub fn scale_of(text: &str) -> Decimal {
    // (called for every row's label and section: most state nothing, and a match test is
    // far cheaper than a search for the groups)
    if !states_scale(text) {
        return Decimal::ONE;
    }
    SCALE.captures(text).map_or(Decimal::ONE, |c| factor_of(&c))
}

/// The factor of a `SCALE` match: which of its groups matched.
fn factor_of(c: &regex::Captures) -> Decimal {
    if c.name("thousands").is_some() {
        Decimal::from(1000)
    } else if c.name("millions").is_some() {
        Decimal::from(1_000_000)
    } else {
        Decimal::from(1_000_000_000u64)
    }
}

/// The scale a column's own header states after what the column measures ("Aggregate
/// Intrinsic Value (In thousands)", "Shares (In millions)"), not a phrase of the whole table
/// that fell over one column ("(In thousands) 2005", "Year Ended December 31 (In millions)").
pub fn column_scale(label: &str) -> Option<Decimal> {
    let m = SCALE.find(label)?;
    const PERIOD: [&str; 12] = ["year", "years", "ended", "ending", "months", "month", "weeks", "fiscal", "quarter", "period", "dollars", "amounts"];
    let measured = label[..m.start()].split(|c: char| !c.is_ascii_alphabetic()).any(|w| {
        w.len() >= 3 && !PERIOD.contains(&w.to_ascii_lowercase().as_str()) && crate::dates::month_number(w).is_none()
    });
    measured.then(|| scale_of(label))
}

/// Does this text state a scale ("(In thousands)", "$000's omitted")?
pub fn states_scale(text: &str) -> bool {
    may_state_scale(text) && SCALE.is_match(text)
}

/// Could `SCALE` match? Each of its phrases has "thousand(s)" (so "sand"), "million(s)" or
/// "billion(s)" (so "llio"), or "000", in any case; in ASCII text nothing else can match.
/// Every row's label and section is asked, nearly all state nothing: this pass over the bytes
/// costs a fifth of the regex's match test.
fn may_state_scale(text: &str) -> bool {
    let b = text.as_bytes();
    if !text.is_ascii() {
        return true;
    }
    b.iter().enumerate().any(|(i, &c)| match c | 0x20 {
        b's' => b.get(i..i + 4).is_some_and(|q| q.eq_ignore_ascii_case(b"sand")),
        b'l' => b.get(i..i + 4).is_some_and(|q| q.eq_ignore_ascii_case(b"llio")),
        b'0' => b.get(i..i + 3) == Some(b"000"),
        _ => false,
    })
}

/// The scale stated between `from` and the first row (title area, captions, header stub).
pub fn scale(lines: &[Line], from: usize, first_data: usize) -> Scale {
    // a stated scale line ("(Dollars in millions)") wins over a sentence of running text
    // that mentions one ("Shares outstanding are stated in thousands")
    let content = || lines.iter().take(first_data).skip(from).filter(|l| l.is_content() || l.rule().is_some() && !l.chunks.is_empty());
    let stated: Vec<String> = content().filter(|l| !l.prose).map(|l| l.text()).collect();
    let found = scale_in(&stated);
    if found.text.is_some() {
        return found;
    }
    scale_in(&content().map(|l| l.text()).collect::<Vec<_>>())
}

fn scale_in(texts: &[String]) -> Scale {
    for (i, one) in texts.iter().enumerate() {
        let next = texts.get(i + 1);
        // (the quick test first: a phrase that wraps has its words on one of the two lines)
        if !may_state_scale(one) && next.is_none_or(|n| !may_state_scale(n)) {
            continue;
        }
        // a phrase may wrap: "... as follows (in" / "thousands, except per share data):"
        let text: std::borrow::Cow<str> = if states_scale(one) {
            one.into()
        } else {
            let Some(n) = next else { continue };
            let joined = format!("{one} {}", n.trim_start());
            if !states_scale(&joined) {
                continue;
            }
            joined.into()
        };
        let Some(c) = SCALE.captures(&text) else { continue };
        return Scale { factor: factor_of(&c), shares: SHARES_SCALED.is_match(&text), text: Some(text.into_owned()) };
    }
    Scale::default()
}

#[cfg(test)]
mod tests {
    use super::super::lines::classify;
    use super::*;

    /// The quick test never says no where the regex says yes: every line of every bundled
    /// filing, and the phrases of the regex in other cases.
    #[test]
    fn the_quick_scale_test_passes_every_line_the_regex_matches() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let mut lines = vec!["(IN THOUSANDS)".to_string(), "Dollars In Millions".to_string(), "$000's omitted".to_string(), "( 000 )".to_string(), "in Billions".to_string()];
        let mut dirs = vec![root];
        while let Some(d) = dirs.pop() {
            for e in std::fs::read_dir(&d).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    dirs.push(p);
                } else if let Ok(bytes) = std::fs::read(&p) {
                    lines.extend(String::from_utf8_lossy(&bytes).lines().map(str::to_string));
                }
            }
        }
        let matched = lines.iter().filter(|l| SCALE.is_match(l)).inspect(|l| assert!(may_state_scale(l), "{l}")).count();
        assert!(matched > 100, "only {matched} lines state a scale");
        assert!(!may_state_scale("Net sales") && !may_state_scale("Total current assets  1,234  5,678"));
    }

    #[test]
    fn a_column_states_its_own_scale_after_what_it_measures() {
        assert_eq!(column_scale("Aggregate Intrinsic Value (In thousands)"), Some(Decimal::from(1000)));
        assert_eq!(column_scale("Shares (In millions)"), Some(Decimal::from(1_000_000)));
        assert_eq!(column_scale("(In thousands) 2005"), None);
        assert_eq!(column_scale("Year Ended December 31 (In millions)"), None);
        assert_eq!(column_scale("Weighted Average Exercise Price"), None);
    }

    #[test]
    fn the_second_line_of_an_item_heading_is_no_title() {
        let doc = |first: &str| -> Vec<String> { [first, "         FINANCIAL CONDITION"].iter().map(|s| s.to_string()).collect() };
        let under_item = doc("ITEM 7.  MANAGEMENT'S DISCUSSION AND ANALYSIS OF RESULTS OF OPERATIONS AND");
        assert_eq!(heading_score(&classify(&under_item, 1, 2), 1).0, 0);
        // the same words under a blank line are a heading
        let alone = doc("");
        assert!(heading_score(&classify(&alone, 1, 2), 1).0 > 0);
    }

    #[test]
    fn kinds_from_titles() {
        assert_eq!(kind_of("Consolidated Balance Sheets"), StatementKind::Balance);
        assert_eq!(kind_of("STATEMENT OF FINANCIAL POSITION"), StatementKind::Balance);
        assert_eq!(kind_of("Consolidated Statements of Income"), StatementKind::Income);
        assert_eq!(kind_of("consolidated statement of earnings"), StatementKind::Income);
        assert_eq!(kind_of("Consolidated Statements of Stockholders' Equity"), StatementKind::Equity);
        assert_eq!(kind_of("Consolidated Statements of Cash Flows"), StatementKind::CashFlow);
        assert_eq!(kind_of("6. Income Taxes"), StatementKind::Other);
        assert_eq!(kind_of("Item 6. Selected Financial Data"), StatementKind::Other);
        assert_eq!(kind_of("14. Quarterly Results of Operations (Unaudited)"), StatementKind::Other);
        assert_eq!(kind_of("ITEM 7. MANAGEMENT'S DISCUSSION AND ANALYSIS OF FINANCIAL CONDITION AND"), StatementKind::Other);
    }

    #[test]
    fn scales() {
        let all: Vec<String> = ["(Dollars in thousands, except per share amounts)", "For the years ended December 31 (In millions)   1993   1992", "($000's omitted)", "(Shares in thousands)"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let lines = classify(&all, 1, 4);
        assert_eq!(scale(&lines, 0, 1).factor, Decimal::from(1000));
        assert_eq!(scale(&lines, 1, 2).factor, Decimal::from(1_000_000));
        assert_eq!(scale(&lines, 2, 3).factor, Decimal::from(1000));
        assert!(scale(&lines, 3, 4).shares);
    }

    #[test]
    fn continued_is_dropped() {
        assert_eq!(clean_title("6. Income Taxes (continued)"), "6. Income Taxes");
        assert_eq!(clean_title("|STATEMENT OF EARNINGS"), "STATEMENT OF EARNINGS");
    }
}
