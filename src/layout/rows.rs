//! Rows of a block: each data line becomes a row; label-only lines either continue the
//! next row's label (wrapped labels), continue the previous one ("... plant and" /
//! "equipment"), or are section headers ("Current assets:", "OPERATING ACTIVITIES").

use super::blocks::Block;
use super::columns::assign;
use super::headers::Head;
use super::lines::{Kind, Line};
use super::{Column, Row, RowCell, Rule};

pub struct Body {
    pub rows: Vec<Row>,
    pub warnings: Vec<String>,
}

/// An open section heading ("Current assets:").
struct Section {
    indent: usize,
    text: String,
    /// Whether its first row printed at the heading's own margin (flush layouts keep the
    /// section open for rows at that margin; indented ones close it there).
    flush_rows: Option<bool>,
}

#[derive(Debug, Clone)]
struct Pending {
    idx: usize,
    no: usize,
    text: String,
    indent: usize,
}

const CONNECTORS: [&str; 33] = [
    "and", "or", "of", "for", "to", "the", "in", "on", "by", "from", "with", "less", "at", "net", "&", "a", "an",
    "including", "excluding", "before", "after", "per", "through", "thru", "due", "until", "between", "than", "into",
    "over", "under", "as", "plus",
];

/// A heading over rows ends in a colon, or in a spaced dash ("Accounts receivable -").
/// (In ALL-CAPS statements a spaced dash may join the label's tail instead: "WEIGHTED AVERAGE
/// NUMBER OF COMMON SHARES OUTSTANDING -" / "BASIC AND DILUTED".)
fn heading_end(t: &str) -> bool {
    let t = t.trim_end();
    t.ends_with(':') || (t.ends_with(" -") || t.ends_with(" --")) && t.chars().any(|c| c.is_lowercase())
}

/// Does `next` continue the label text `prev` (a wrapped label)?
pub fn continues(prev: &str, next: &str) -> bool {
    let p = prev.trim_end();
    let n = next.trim_start();
    if p.is_empty() || n.is_empty() {
        return false;
    }
    // "March 27, 2005 -" over "April 23, 2005": a span of dates broken at its dash
    if p.ends_with('-') || p.ends_with('–') {
        let head = p.trim_end_matches(['-', '–', ' ']);
        let first = n.split_whitespace().next().unwrap_or("").trim_end_matches(['.', ',']).to_ascii_lowercase();
        if crate::dates::find_month_day_year(head).is_some_and(|(_, _, e)| e == head.len()) && crate::dates::month_number(&first).is_some() {
            return true;
        }
    }
    if heading_end(p) {
        return n.starts_with(|c: char| c.is_lowercase());
    }
    // a row named by a year ("2009") never continues a line of text, unless the text asks for
    // a date ("Net loss for year ended" / "December 31, 2006")
    if crate::periods::is_pure_period(n) {
        let last = p.rsplit(' ').next().unwrap_or("").to_ascii_lowercase();
        // ... or a date waiting for its year ("Balance, December 31," / "1996")
        // (not a caption naming the years: "Fiscal years ending September 30,")
        let lower = p.to_ascii_lowercase();
        let month_day = p.ends_with(',') && !lower.contains("year") && !lower.contains("ended") && !lower.contains("ending")
            && p.split_whitespace().rev().nth(1).is_some_and(|w| crate::dates::month_number(&w.to_ascii_lowercase()).is_some());
        return month_day || matches!(last.as_str(), "ended" | "ending" | "through" | "thru" | "at" | "of" | "to" | "from" | "since" | "until" | "on" | "due" | "maturing" | "expiring" | "in");
    }
    let last_word = p.rsplit(' ').next().unwrap_or("").to_ascii_lowercase();
    // "activities-" over "Depreciation" ends a heading; "Compre-" over "hensive" wraps a word
    if p.ends_with('-') && !p.ends_with(" -") && !n.starts_with(|c: char| c.is_lowercase() || c.is_ascii_digit()) {
        return false;
    }
    p.ends_with([',', '-', '(', ';']) || CONNECTORS.contains(&last_word.as_str()) || p.matches('(').count() > p.matches(')').count()
        || n.starts_with(|c: char| c.is_lowercase() || c.is_ascii_digit() || c == '(' || c == '-' || c == '&')
        || caps_tail(p, n)
        || caps_connector(p, n)
        || caps_open_end(p, n)
        || proper_name_wraps(p)
}

/// "Common stock issued in acquisition of Wapsi" / "Regulation S.A.": a label that breaks
/// inside a name after "of", "in", "for" ... (a heading ends with a noun of its own, or a colon).
fn proper_name_wraps(p: &str) -> bool {
    let words: Vec<&str> = p.split_whitespace().collect();
    let [.., before, last] = words.as_slice() else { return false };
    words.len() >= 4
        && p.chars().any(|c| c.is_lowercase())
        && ["of", "in", "for", "by", "with", "under"].contains(&before.to_ascii_lowercase().as_str())
        && last.starts_with(|c: char| c.is_uppercase())
}

/// "ACCOUNTS RECEIVABLE, NET OF ALLOWANCE FOR DOUBTFUL ACCOUNTS" / "OF $24,500 AND ...": in
/// ALL-CAPS statements a line opening with a connector continues the one above.
fn caps_connector(p: &str, n: &str) -> bool {
    let first = n.split_whitespace().next().unwrap_or("").to_ascii_lowercase();
    all_caps(p) && all_caps(n) && !p.ends_with(':') && CONNECTORS.contains(&first.as_str()) && first != "net" && first != "less"
}

/// Letters, all capitals.
fn all_caps(s: &str) -> bool {
    s.chars().any(|c| c.is_alphabetic()) && !s.chars().any(|c| c.is_lowercase())
}

/// "WEIGHTED AVERAGE NUMBER OF COMMON" / "SHARES OUTSTANDING - BASIC AND": a capitals line that
/// stops on a word no heading ends with.
fn caps_open_end(p: &str, n: &str) -> bool {
    const OPEN: [&str; 12] = ["common", "preferred", "weighted", "average", "number", "treasury", "accumulated", "additional", "long-term", "short-term", "paid-in", "unamortized"];
    let last = p.split_whitespace().last().unwrap_or("").to_ascii_lowercase();
    all_caps(p) && all_caps(n) && OPEN.contains(&last.as_str())
}

/// In ALL-CAPS statements case tells nothing: "WEIGHTED AVERAGE NUMBER OF COMMON SHARES" /
/// "OUTSTANDING" wraps when the second line is the usual last word or two of a label.
fn caps_tail(p: &str, n: &str) -> bool {
    const TAILS: [&str; 16] = [
        "outstanding", "activities", "operations", "equivalents", "net", "taxes", "income", "benefits", "obligations",
        "expenses", "purposes", "period", "year", "assets", "liabilities", "dilution",
    ];
    let words: Vec<String> = n.split_whitespace().map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_ascii_lowercase()).collect();
    all_caps(p) && all_caps(n) && !words.is_empty() && words.len() <= 2 && words.iter().all(|w| TAILS.contains(&w.as_str()) || CONNECTORS.contains(&w.as_str()))
}

/// A section line that names the period of the rows under it ("Year ended 2003").
fn period_context(text: &str) -> bool {
    let l = text.to_ascii_lowercase();
    let has_year = l.split(|c: char| !c.is_ascii_digit()).any(|w| w.len() == 4 && w.parse::<i64>().is_ok_and(crate::dates::plausible_year));
    has_year && !l.starts_with("balance") && l.split_whitespace().count() <= 8 && !l.contains("total")
}

fn is_total(label: &str) -> bool {
    let l = label.trim_start().to_ascii_lowercase();
    l.starts_with("total") || l.starts_with("net cash") || l.starts_with("net increase") || l.starts_with("net decrease")
}

/// The chunks of a data line whose label runs into the first number column with one space
/// before the number: the label, then the number as its own chunk. Only a comma-grouped or
/// signed amount that ends on a numeric column's right edge, in a column the line leaves empty.
fn split_tight_label(l: &Line, cols: &[Column], value_left: usize) -> Option<Vec<super::tokens::Chunk>> {
    let k = l.chunks.iter().position(|c| !c.is_value() && c.end > value_left)?;
    let c = &l.chunks[k];
    let (head, tail) = c.text.rsplit_once(' ')?;
    let cell = crate::cells::parse(tail).filter(|x| x.value.is_some() && (x.has_comma || x.negative || x.dollar) && !x.percent)?;
    if !head.ends_with(|ch: char| ch.is_ascii_alphabetic() || ch == ')') || !l.chunks.iter().any(|o| o.is_value()) {
        return None;
    }
    let n = tail.chars().count();
    let start = c.end - n;
    let right = tail.trim_end_matches(|ch: char| !ch.is_ascii_digit()).chars().count();
    let num_right = start + right;
    let col = cols.iter().find(|col| !col.text && col.num_right.abs_diff(num_right) <= 1)?;
    // the column must be one this line leaves empty
    if l.chunks.iter().any(|o| o.is_value() && super::columns::assign(cols, o) == Some(col.index)) {
        return None;
    }
    let label = super::tokens::Chunk { start: c.start, end: c.start + head.chars().count(), text: head.to_string(), cell: None, num_right: c.start + head.chars().count() };
    let value = super::tokens::Chunk { start, end: c.end, text: tail.to_string(), cell: Some(cell), num_right };
    let mut out = l.chunks.clone();
    out.splice(k..=k, [label, value]);
    Some(out)
}

pub fn read(lines: &[Line], b: &Block, cols: &[Column], value_left: usize, head: &Head) -> Body {
    let mut rows: Vec<Row> = Vec::new();
    let mut warnings = Vec::new();
    let mut pending: Vec<Pending> = head
        .sections
        .iter()
        .map(|(i, t, ind)| Pending { idx: *i, no: lines[*i].no, text: t.clone(), indent: *ind })
        .collect();
    let mut sections: Vec<Section> = Vec::new();
    let stub_ctx = head.stub.iter().filter(|s| !s.trim().is_empty()).cloned().collect::<Vec<_>>().join(" ");
    let mut context: Option<String> = if stub_ctx.is_empty() { None } else { Some(stub_ctx) };
    let mut rule_since: Rule = Rule::None;
    let mut last_rule_idx: Option<usize> = None;
    let mut prev_row_idx: Option<usize> = None;
    // indent of the last row when no blank line or rule came after it
    let mut sibling_indent: Option<usize> = None;
    let mut recent: Vec<String> = Vec::new();

    for i in b.first_data..=b.end {
        let l = &lines[i];
        match &l.kind {
            Kind::Blank | Kind::PageMark | Kind::Tag(..) => {
                flush(&mut pending, &mut sections, &mut context, &mut recent);
                prev_row_idx = None;
                sibling_indent = None;
                continue;
            }
            Kind::Rule(segs) => {
                sibling_indent = None;
                flush(&mut pending, &mut sections, &mut context, &mut recent);
                let r = if segs.iter().any(|s| s.double) { Rule::Double } else { Rule::Single };
                if rule_since == Rule::None {
                    if let Some(last) = rows.last_mut() {
                        if last.rule_below == Rule::None {
                            last.rule_below = r;
                        }
                    }
                }
                rule_since = rule_since.max_rule(r);
                last_rule_idx = Some(i);
                prev_row_idx = None;
                continue;
            }
            Kind::Content => {}
        }
        let is_data = b.data.binary_search(&i).is_ok();
        let mut label_parts: Vec<&str> = Vec::new();
        let mut cells: Vec<RowCell> = Vec::new();
        // "Software development costs, net of amortization 88,400      92,600": a label typed
        // into the first column keeps one space before its number
        let split = if is_data { split_tight_label(l, cols, value_left) } else { None };
        let chunks: &[super::tokens::Chunk] = split.as_deref().unwrap_or(&l.chunks);
        for c in chunks {
            let col = if is_data { assign(cols, c) } else { None };
            match col {
                Some(k) if (c.is_value() && !cols[k].text) || (!c.is_value() && cols[k].text) => {
                    if cells.iter().any(|x| x.col == k) {
                        warnings.push(format!("line {}: two cells in column {}; kept the first", l.no, k + 1));
                        continue;
                    }
                    cells.push(RowCell { col: k, text: c.text.clone(), cell: c.cell.clone(), start: c.start, end: c.end });
                }
                _ => {
                    if c.start < value_left || !is_data {
                        label_parts.push(&c.text);
                    } else if let Some(k) = nearest_text(cols, c.start) {
                        if !cells.iter().any(|x| x.col == k) {
                            cells.push(RowCell { col: k, text: c.text.clone(), cell: None, start: c.start, end: c.end });
                        }
                    }
                    let digits = c.text.chars().filter(|ch| ch.is_ascii_digit()).count();
                    if digits > 28 && c.text.chars().all(|ch| ch.is_ascii_digit() || ",.$()- ".contains(ch)) {
                        warnings.push(format!("line {}: number of {digits} digits is beyond any amount; cell skipped", l.no));
                    }
                }
            }
        }
        let own = label_parts.join(" ");
        if !is_data || !cells.iter().any(|c| c.cell.is_some()) {
            // label-only line: maybe the tail of the previous row's label
            if let Some(r) = prev_row_idx.and_then(|p| rows.get_mut(p)) {
                let last_word = r.label.rsplit(' ').next().unwrap_or("").to_ascii_lowercase();
                let dangling = r.label.ends_with([',', '-']) || CONNECTORS.contains(&last_word.as_str());
                // "Income before income taxes and cumulative   3,860" / "  effect of accounting
                // change": values on the first line, the label goes on below, indented
                let indented_tail = l.indent > r.indent && r.indent != usize::MAX && !heading_end(&own) && !next_row_starts_lower(lines, i, b);
                if (dangling || indented_tail) && own.starts_with(|c: char| c.is_lowercase()) {
                    r.label = format!("{} {}", r.label, own.trim());
                    r.label_lines.push(l.no);
                    continue;
                }
            }
            pending.push(Pending { idx: i, no: l.no, text: own, indent: l.indent });
            prev_row_idx = None;
            continue;
        }
        cells.sort_by_key(|c| c.col);
        // which pending lines wrap into this row's label
        let mut take = 0;
        let mut next_text = own.clone();
        for p in pending.iter().rev() {
            let joins = if next_text.trim().is_empty() {
                last_rule_idx.is_none_or(|r| r < p.idx) && !heading_end(&p.text)
            } else {
                // "Common stock issued in acquisition of Bayou" among rows with values, then
                // "    Supply Co.  4,500" indented under it: one wrapped label
                let sibling_wrap = take == 0
                    && pending.len() == 1
                    && sibling_indent == Some(p.indent)
                    && l.indent > p.indent
                    && !heading_end(&p.text)
                    && p.text.chars().any(|c| c.is_lowercase())
                    && next_returns_to(lines, i, b, p.indent);
                // "Basic earnings per share -" over the one row it names ("Net income  $16,471"):
                // a label broken at its dash, not a heading over rows
                let dash_single = p.text.trim_end().ends_with(" -") && l.indent > p.indent && p.text.chars().any(|c| c.is_lowercase()) && only_row_under(lines, i, b, p.indent);
                sibling_wrap || dash_single || continues(&p.text, &next_text)
            };
            if !joins {
                break;
            }
            take += 1;
            next_text = p.text.clone();
        }
        // "Common stock, $1 par value:" over indented lines without values, the last of
        // which carries the numbers: one label, not a section
        // (a heading naming a period, "Year ended December 31, 2000:", heads rows instead)
        let names_period = |t: &str| {
            let l = t.trim().trim_end_matches(':').to_ascii_lowercase();
            crate::periods::is_pure_period(&l) || ["year ended", "years ended", "year ending", "for the ", "three months", "six months", "nine months", "quarter ended", "fiscal "].iter().any(|p| l.starts_with(p))
        };
        if let Some(h) = pending[..pending.len() - take].iter().rposition(|p| p.text.trim_end().ends_with(':')).filter(|&h| !names_period(&pending[h].text)) {
            let deeper = pending[h + 1..].iter().all(|p| p.indent > pending[h].indent && !p.text.trim_end().ends_with(':'));
            if deeper && h + 1 < pending.len() - take && !own.trim().is_empty() && l.indent > pending[h].indent {
                take = pending.len() - h;
            }
        }
        let taken: Vec<Pending> = pending.split_off(pending.len() - take);
        flush(&mut pending, &mut sections, &mut context, &mut recent);
        let mut label_lines: Vec<usize> = taken.iter().map(|p| p.no).collect();
        label_lines.push(l.no);
        let mut texts: Vec<String> = taken.iter().map(|p| p.text.trim().to_string()).collect();
        if !own.trim().is_empty() {
            texts.push(own.trim().to_string());
        }
        // "Accrued liabilities*": the mark points to a footnote, it is not part of the name
        let label = texts.join(" ").trim_end_matches(['*', '†', '‡']).trim_end().to_string();
        let indent = taken.first().map(|p| p.indent).unwrap_or(if own.is_empty() { usize::MAX } else { l.indent });
        let indent = if indent == usize::MAX { value_left } else { indent };
        // sections deeper than this row are closed
        let total = is_total(&label);
        // a row at the section's own margin closes it, unless its rows print flush with it
        sections.retain(|s| s.indent < indent || (s.indent == indent && s.flush_rows != Some(false) && !total) || (total && s.indent <= indent));
        for s in sections.iter_mut().filter(|s| s.flush_rows.is_none()) {
            s.flush_rows = Some(indent <= s.indent);
        }
        let row = Row {
            index: rows.len(),
            line: l.no,
            label,
            label_lines,
            indent,
            sections: sections.iter().map(|s| s.text.clone()).collect(),
            headers_before: std::mem::take(&mut recent),
            cells,
            rule_above: rule_since,
            rule_below: Rule::None,
            context: context.clone(),
        };
        if total {
            // "Total current assets" closes "Current assets:"; "Total assets" does not close
            // "BALANCE SHEET DATA (AT YEAR END):" printed at the same margin
            sections.retain(|s| s.indent < indent || (s.indent == indent && !total_closes(&row.label, &s.text)));
        }
        rows.push(row);
        prev_row_idx = Some(rows.len() - 1);
        sibling_indent = Some(rows[rows.len() - 1].indent);
        rule_since = Rule::None;
    }
    Body { rows, warnings }
}

/// Does the line after `i` go back to the margin `indent` (so `i` was the tail of a wrapped label,
/// not one child of a heading)?
/// Is the row on line `i` the last one indented under a heading at `indent` (the next line
/// with words, past rules and blank lines, back at the heading's indent or the block's end)?
fn only_row_under(lines: &[Line], i: usize, b: &Block, indent: usize) -> bool {
    for n in lines.iter().take(b.end + 1).skip(i + 1) {
        if n.is_content() {
            return n.indent <= indent;
        }
    }
    true
}

fn next_returns_to(lines: &[Line], i: usize, b: &Block, indent: usize) -> bool {
    lines.get(i + 1).filter(|_| i < b.end).is_some_and(|n| n.is_content() && n.indent <= indent)
}

/// Is the next line a row whose label starts in lower case (so line `i` begins its label)?
fn next_row_starts_lower(lines: &[Line], i: usize, b: &Block) -> bool {
    let Some(next) = lines.get(i + 1).filter(|_| i < b.end) else { return false };
    next.is_content() && next.has_values() && next.chunks.first().is_some_and(|c| c.text.starts_with(|ch: char| ch.is_lowercase()))
}

/// Does a total row end the section headed `section`: a bare "Total", or a total naming the
/// section's words.
fn total_closes(label: &str, section: &str) -> bool {
    let words = |t: &str| -> Vec<String> {
        t.split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.len() > 2)
            .map(|w| w.to_ascii_lowercase())
            .filter(|w| !matches!(w.as_str(), "total" | "totals" | "net" | "the" | "and"))
            .collect()
    };
    let own = words(label);
    let sec = words(section);
    own.is_empty() || own.iter().any(|w| sec.iter().any(|s| s.starts_with(w.as_str()) || w.starts_with(s.as_str())))
}

fn nearest_text(cols: &[Column], start: usize) -> Option<usize> {
    cols.iter().filter(|c| c.text).min_by_key(|c| c.left.abs_diff(start)).map(|c| c.index)
}

/// Pending label lines that joined no row are section headers (chained when wrapped).
fn flush(pending: &mut Vec<Pending>, sections: &mut Vec<Section>, context: &mut Option<String>, recent: &mut Vec<String>) {
    let mut chains: Vec<(usize, String)> = Vec::new();
    for p in pending.drain(..) {
        let t = p.text.trim().to_string();
        if t.is_empty() {
            continue;
        }
        match chains.last_mut() {
            Some((_, prev)) if continues(prev, &t) && !heading_end(prev) => {
                prev.push(' ');
                prev.push_str(&t);
            }
            _ => chains.push((p.indent, t)),
        }
    }
    for (indent, text) in chains {
        // "(In millions except per share data)" states a scale, not a section
        let outside_parens: String = {
            let mut depth = 0i32;
            text.chars().filter(|c| {
                match c { '(' => depth += 1, ')' => depth -= 1, _ => {} }
                depth == 0 && *c != ')'
            }).collect()
        };
        if text.starts_with('(') && text.ends_with(')') || (super::title::states_scale(&text) && outside_parens.split_whitespace().count() < 2) {
            continue;
        }
        if period_context(&text) {
            // a new period group ("1996:") closes the sections of the previous one
            sections.retain(|s| s.indent < indent);
            *context = Some(text);
            continue;
        }
        sections.retain(|s| s.indent < indent);
        recent.push(text.clone());
        sections.push(Section { indent, text, flush_rows: None });
    }
}

trait MaxRule {
    fn max_rule(self, other: Rule) -> Rule;
}

impl MaxRule for Rule {
    fn max_rule(self, other: Rule) -> Rule {
        match (self, other) {
            (Rule::Double, _) | (_, Rule::Double) => Rule::Double,
            (Rule::Single, _) | (_, Rule::Single) => Rule::Single,
            _ => Rule::None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_label_breaking_inside_a_name_continues() {
        assert!(continues("Common stock issued in acquisition of Wapsi", "Regulation S.A. (250,000 shares)"));
        assert!(!continues("Cash flows from operating activities", "Net income"));
        assert!(!continues("Current assets", "Cash"));
    }

    #[test]
    fn wrapped_label_asking_for_a_date() {
        assert!(continues("Net loss for year ended", "December 31, 2006"));
        assert!(!continues("Net sales", "1997"));
        assert!(continues("10% convertible notes payable, due", "June 30, 2008"));
        assert!(continues("March 27, 2005 -", "April 23, 2005"));
        assert!(continues("WEIGHTED AVERAGE NUMBER OF COMMON", "SHARES OUTSTANDING - BASIC AND"));
        assert!(!continues("Accounts receivable -", "Trade"));
    }

    #[test]
    fn wrapped_label_rules() {
        assert!(continues("Accounts and notes receivable, less allowance", "for doubtful accounts of $241,000 in 2002"));
        assert!(continues("Weighted average common shares", "outstanding - basic"));
        assert!(continues("Common stock purchased for treasury", "(12,470 shares)"));
        assert!(!continues("REVENUES", "Sales of goods"));
        assert!(!continues("net cash provided by operating activities:", "Depreciation and amortization"));
        assert!(!continues("Other comprehensive income", "Foreign currency transaction"));
        assert!(continues("Minimum pension liability", "adjustment, net of tax"));
    }

    #[test]
    fn a_label_typed_into_the_first_column_gives_back_its_amount() {
        let col = |i: usize, l: usize, r: usize| Column { index: i, left: l, right: r, num_right: r, header: vec![], text: false };
        let cols = vec![col(0, 41, 49), col(1, 55, 62)];
        let l = super::super::lines::classify_one(1, "Cash and Cash Equivalents at Beginning of 1,604.0        829.4");
        let split = split_tight_label(&l, &cols, 41).expect("split");
        assert_eq!(split.iter().map(|c| c.text.as_str()).collect::<Vec<_>>(), ["Cash and Cash Equivalents at Beginning of", "1,604.0", "829.4"]);
        // a number in the label that ends on no column stays in the label
        let l = super::super::lines::classify_one(1, "Common shares issued 1,000                         829.4");
        assert!(split_tight_label(&l, &cols, 41).is_none());
    }

    #[test]
    fn period_sub_headers() {
        assert!(period_context("Year ended 2003"));
        assert!(!period_context("Balance at December 31, 2001"));
        assert!(!period_context("Current assets:"));
    }
}
