//! Stage 2: lay out the text. Find every table of a document and give it a title, kind,
//! scale, columns (with their header words) and rows (with labels, sections and cells).
//!
//! Plain data out: [`Table`]. Nothing here knows about periods, concepts or storage.

pub mod blocks;
pub mod columns;
pub mod headers;
pub mod lines;
pub mod rows;
pub mod title;
pub mod tokens;

use crate::cells::Cell;
use crate::filing::{Document, Filing};
use rust_decimal::Decimal;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StatementKind {
    Balance,
    Income,
    Comprehensive,
    Equity,
    CashFlow,
    Other,
}

impl StatementKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StatementKind::Balance => "balance",
            StatementKind::Income => "income",
            StatementKind::Comprehensive => "comprehensive",
            StatementKind::Equity => "equity",
            StatementKind::CashFlow => "cash_flow",
            StatementKind::Other => "other",
        }
    }
    pub fn is_primary(self) -> bool {
        self != StatementKind::Other
    }
}

/// The table's stated scale: "(in thousands)" gives 1000 for money.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Scale {
    pub factor: Decimal,
    /// Share counts are scaled too ("shares in thousands").
    pub shares: bool,
    pub text: Option<String>,
}

impl Default for Scale {
    fn default() -> Self {
        Scale { factor: Decimal::ONE, shares: false, text: None }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Column {
    pub index: usize,
    pub left: usize,
    pub right: usize,
    /// The column's alignment edge (one past its numbers' last digit).
    pub num_right: usize,
    /// Header words over this column, top line first.
    pub header: Vec<String>,
    /// True for a column of words (e.g. "Office Held"), not numbers.
    pub text: bool,
}

impl Column {
    pub fn label(&self) -> String {
        self.header.join(" ")
    }
}

/// One cell of a row as printed.
#[derive(Debug, Clone, Serialize)]
pub struct RowCell {
    pub col: usize,
    pub text: String,
    #[serde(skip)]
    pub cell: Option<Cell>,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    #[default]
    None,
    Single,
    Double,
}

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub index: usize,
    /// Line holding the values (1-based, in the file).
    pub line: usize,
    /// Label as printed, wrapped lines joined by one space; empty for unlabeled totals.
    pub label: String,
    pub label_lines: Vec<usize>,
    pub indent: usize,
    /// Enclosing section headers, outermost first ("Current assets:", "Operating activities").
    pub sections: Vec<String>,
    /// Section headers printed since the previous row (also those a same-level header closed).
    pub headers_before: Vec<String>,
    pub cells: Vec<RowCell>,
    pub rule_above: Rule,
    pub rule_below: Rule,
    /// Context printed in the stub of this row's header ("2003" over a market-price block,
    /// "Year ended 2003" sub-headers of a schedule).
    pub context: Option<String>,
}

impl Row {
    pub fn cell(&self, col: usize) -> Option<&RowCell> {
        self.cells.iter().find(|c| c.col == col)
    }
    pub fn has_values(&self) -> bool {
        self.cells.iter().any(|c| c.cell.is_some())
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Table {
    /// 1-based, in filing order.
    pub id: usize,
    pub doc_sequence: u32,
    pub doc_type: String,
    pub title: String,
    pub title_line: Option<usize>,
    pub kind: StatementKind,
    pub scale: Scale,
    pub first_line: usize,
    pub last_line: usize,
    /// Text printed above the columns in the stub and caption (periods, "At December 31:").
    pub caption: Vec<String>,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    /// The table came from `<TABLE>` tags.
    pub tagged: bool,
    /// Non-fatal remarks for `load_errors` / `tables` (e.g. a 40-digit number).
    pub warnings: Vec<String>,
    /// The sentence introducing the table ("... were as follows:"), if any.
    pub intro: Option<String>,
}

/// Find and lay out every table in every document of a filing.
pub fn extract_tables(filing: &Filing) -> Vec<Table> {
    let mut out = Vec::new();
    for doc in &filing.documents {
        if !is_text_document(doc, &filing.lines) {
            continue;
        }
        for mut t in extract_document(&filing.lines, doc) {
            t.id = out.len() + 1;
            out.push(t);
        }
    }
    out
}

/// Skip uuencoded binaries, PDFs, graphics, and XBRL/HTML documents.
fn is_text_document(doc: &Document, lines: &[String]) -> bool {
    let t = doc.doc_type.to_ascii_uppercase();
    // EX-27 financial data schedules are tagged data, read by their own parser
    if matches!(t.as_str(), "GRAPHIC" | "PDF" | "ZIP" | "EXCEL" | "XML" | "JPG" | "GIF") || t.starts_with("EX-27") {
        return false;
    }
    let first = lines.get(doc.start.saturating_sub(1)..doc.end.min(lines.len())).unwrap_or(&[]);
    !first.iter().take(5).any(|l| l.starts_with("begin 6") || l.starts_with("%PDF"))
}

/// Lay out the tables of one document.
pub fn extract_document(all: &[String], doc: &Document) -> Vec<Table> {
    if doc.end < doc.start {
        return Vec::new();
    }
    let lines = lines::classify(all, doc.start, doc.end);
    let found = blocks::find(&lines);
    let in_footnote = blocks::footnote_lines(&lines);
    let mut tables: Vec<Table> = Vec::new();
    let mut prev_end = 0usize;
    for b in &found {
        if let Some(mut t) = build(&lines, b, prev_end, doc) {
            prev_end = b.end;
            // a table continued from the previous page keeps the previous title
            let after_prose = tables.last().is_some_and(|p| prose_between(&lines, &in_footnote, p.last_line, t.first_line));
            if t.title.is_empty() && !after_prose {
                if let Some(p) = tables.last().filter(|p| t.first_line <= p.last_line + 30) {
                    t.title = p.title.clone();
                    t.title_line = p.title_line;
                    if t.kind == StatementKind::Other {
                        t.kind = p.kind;
                    }
                    if t.scale.text.is_none() {
                        t.scale = p.scale.clone();
                    }
                }
            }
            // a note's second table, after a sentence: the note's heading and scale hold for it
            if t.title.is_empty() && after_prose {
                if let Some(p) = tables.last().filter(|p| t.first_line <= p.last_line + 60 && p.kind == StatementKind::Other && !p.title.is_empty()) {
                    t.title = p.title.clone();
                    t.title_line = p.title_line;
                    if t.scale.text.is_none() {
                        t.scale = p.scale.clone();
                    }
                }
            }
            // "... (continued)" on the next page states its scale once, on the first page
            if t.scale.text.is_none() && !t.title.is_empty() {
                let same = |p: &Table| p.title == t.title || p.scale.text.as_deref().is_some_and(|x| x.contains(t.title.as_str())) || p.caption.iter().any(|c| c.contains(t.title.as_str()));
                if let Some(p) = tables.iter().rev().find(|p| same(p) && t.first_line <= p.last_line + 200) {
                    t.scale = p.scale.clone();
                }
            }
            match tables.last_mut() {
                // running text between two tables ends the first: a continuation follows a page break
                Some(p) if !after_prose && continues(p, &t) => merge_into(p, t),
                _ => tables.push(t),
            }
        }
    }
    // "NOTES TO FINANCIAL STATEMENTS ($ in millions except per share amounts)": a scale stated
    // once for all the notes holds for every note table that states none of its own
    if let Some((from, notes_scale)) = notes_scale(&lines) {
        for t in tables.iter_mut().filter(|t| t.first_line > from && t.scale.text.is_none() && t.kind == StatementKind::Other) {
            t.scale = notes_scale.clone();
        }
    }
    heading_scales(&lines, &mut tables);
    inherit_statement_scale(&lines, &mut tables);
    for t in tables.iter_mut() {
        title::settle_kind(t);
    }
    tables
}

/// "FINANCIAL STATEMENTS AND SUPPLEMENTARY DATA / (Dollars in thousands, except per share
/// amounts)" over the statements' titles: a scale line of its own, outside every table,
/// holds for the tables after it that state none, until one states its own or the next
/// part of the filing begins.
fn heading_scales(lines: &[lines::Line], tables: &mut [Table]) {
    let inside = |no: usize, tables: &[Table]| tables.iter().any(|t| no >= t.title_line.unwrap_or(t.first_line).min(t.first_line) && no <= t.last_line);
    for (i, l) in lines.iter().enumerate() {
        if !l.is_content() || l.has_values() || l.chunks.len() != 1 {
            continue;
        }
        let text = l.chunks[0].text.trim();
        if !(text.starts_with('(') && text.ends_with(')') && text.len() < 100 && title::states_scale(text)) || inside(l.no, tables) {
            continue;
        }
        let sc = title::scale(lines, i, i + 1);
        if sc.text.is_none() {
            continue;
        }
        let end = lines[i + 1..].iter().filter(|x| x.is_content() && x.indent < 20).find(|x| opens_next_part(x)).map(|x| x.no).unwrap_or(usize::MAX);
        for t in tables.iter_mut().filter(|t| t.first_line > l.no && t.first_line < end) {
            if t.scale.text.is_some() {
                break;
            }
            t.scale = sc.clone();
        }
    }
}

/// Statements "(In thousands)": the note tables printed after them that state no scale of
/// their own are in thousands too, up to the next part of the filing (Item 9, signatures,
/// schedules, exhibits).
fn inherit_statement_scale(lines: &[lines::Line], tables: &mut [Table]) {
    let primary: Vec<&Table> = tables.iter().filter(|t| t.kind.is_primary()).collect();
    let Some(last) = primary.iter().map(|t| t.last_line).max() else { return };
    let stated: Vec<&Scale> = primary.iter().map(|t| &t.scale).filter(|s| s.text.is_some()).collect();
    let Some(first) = stated.first() else { return };
    if first.factor <= Decimal::ONE || stated.iter().any(|s| s.factor != first.factor) {
        return;
    }
    let scale = Scale { factor: first.factor, shares: false, text: Some(format!("as the financial statements: {}", first.text.as_deref().unwrap_or(""))) };
    let end = lines.iter().filter(|l| l.no > last && l.is_content() && l.indent < 20).find(|l| opens_next_part(l)).map(|l| l.no).unwrap_or(usize::MAX);
    for t in tables.iter_mut().filter(|t| t.kind == StatementKind::Other && t.scale.text.is_none() && t.first_line > last && t.first_line < end) {
        t.scale = scale.clone();
    }
}

/// "ITEM 9.", "Item 10", "SIGNATURES", "SCHEDULE II", "EXHIBIT INDEX", "PART III": the notes
/// are over. (Looks at the line's first words without copying it: this runs over many lines.)
fn opens_next_part(l: &lines::Line) -> bool {
    let Some(first) = l.chunks.first() else { return false };
    let t = first.text.as_str();
    let starts = |p: &str| t.get(..p.len()).is_some_and(|s| s.eq_ignore_ascii_case(p));
    starts("item 9") || starts("item 1") && t.as_bytes().get(6).is_some_and(u8::is_ascii_digit) || ["signatures", "schedule ", "exhibit index", "part iii"].iter().any(|p| starts(p))
}

/// The line number of a "Notes to (consolidated) financial statements" heading that states a
/// scale on its own line or the next two, and that scale.
fn notes_scale(lines: &[lines::Line]) -> Option<(usize, Scale)> {
    let at = lines.iter().position(|l| {
        // (a cheap look at the words first: this runs over every line of a document)
        l.is_content() && !l.prose && l.chunks.iter().any(|c| c.text.as_bytes().windows(4).any(|w| w == b"otes" || w == b"OTES")) && {
            let t = l.text().to_ascii_lowercase();
            let t = t.trim_start();
            (t.starts_with("notes to") || t.contains("notes to financial") || t.contains("notes to consolidated") || t.contains("notes to the consolidated")) && t.len() < 160
        }
    })?;
    let end = (at + 3).min(lines.len());
    let sc = title::scale(lines, at, end);
    sc.text.as_ref()?;
    Some((lines[at].no, sc))
}

fn build(lines: &[lines::Line], b: &blocks::Block, prev_end: usize, doc: &Document) -> Option<Table> {
    let mut columns = columns::find(lines, b);
    if columns.iter().all(|c| c.text) {
        return None;
    }
    let value_left = columns.iter().filter(|c| !c.text).map(|c| c.left).min().unwrap_or(0);
    let found_title = title::find(lines, b, prev_end);
    let start = match &found_title {
        Some(t) if t.idx >= b.top && t.idx < b.first_data => t.idx + 1,
        _ => b.top,
    };
    let head = headers::read(lines, b, &columns, value_left, start);
    for (c, h) in columns.iter_mut().zip(head.column_words.iter()) {
        c.header = h.clone();
        // a "Notes" column holds references to the notes ("3", "2, 6"), not amounts
        if !c.text && is_reference_column(c) {
            c.text = true;
            // phrases spanning the amount columns ("December 31,") reached it as a numeric column
            c.header = c.header.last().cloned().into_iter().collect();
        }
    }
    let mut body = rows::read(lines, b, &columns, value_left, &head);
    year_column_is_the_period(&mut columns, &mut body.rows);
    for c in &columns {
        if let Some(bad) = crate::periods::invalid_date(&c.label()) {
            let month = bad.split_whitespace().next().unwrap_or("");
            let no = head.header_lines.iter().find(|(_, t)| t.contains(month)).map(|(n, _)| *n).unwrap_or(lines[b.first_data].no);
            body.warnings.push(format!("line {no}: column header date '{bad}' does not exist; its cells get no period"));
        }
    }
    if body.rows.iter().all(|r| !r.has_values()) {
        return None;
    }
    let scale_from = found_title.as_ref().map(|t| t.idx).unwrap_or(b.top.saturating_sub(6)).max(prev_end);
    // a scale printed in one column's header is that column's (facts apply it), not the table's
    let column_scaled = columns.iter().any(|c| !c.text && title::column_scale(&c.label()).is_some());
    let scale = title::scale(lines, scale_from, if column_scaled { head.top.min(b.first_data) } else { b.first_data });
    let mut caption = head.caption.clone();
    caption.extend(head.stub.iter().cloned());
    // "For the Period from May 5, 1997 (Inception) through December 31, 1997" under the title
    // of a one-period statement: the span of its columns; and "JUNE 30, 2006" / "THREE MONTHS
    // ENDED JUNE 30, 2006" over columns that name no period (Parent / Guarantors / Consolidated)
    if let Some(t) = found_title.as_ref().filter(|t| t.idx < b.top) {
        let undated = columns.iter().filter(|c| !c.text).all(|c| crate::periods::clues(&c.label()).names_no_period());
        // (not the last words of a paragraph: "December 31, 2001." closing a sentence)
        let zone = &lines[t.idx + 1..b.top];
        let ends_paragraph = |k: usize| zone[k].text().trim_end().ends_with('.') || k > 0 && zone[k - 1].prose;
        let periods = zone
            .iter()
            .enumerate()
            .filter(|(_, l)| l.is_content() && !l.has_values())
            .filter(|(k, l)| crate::periods::names_span(&l.text()) || undated && !l.prose && !ends_paragraph(*k) && l.text().len() < 80 && crate::periods::clues(&l.text()).any_date())
            .map(|(_, l)| l.text());
        caption.extend(periods);
    }
    let intro = intro_sentence(lines, found_title.as_ref().map(|t| t.idx + 1).unwrap_or(0).max(prev_end), b.top.min(b.first_data));
    let title_text = found_title.as_ref().map(|t| t.text.clone()).unwrap_or_default();
    Some(Table {
        id: 0,
        doc_sequence: doc.sequence,
        doc_type: doc.doc_type.clone(),
        kind: title::kind_of(&title_text),
        title: title_text,
        title_line: found_title.as_ref().map(|t| t.line),
        scale,
        first_line: lines[head.top.min(b.first_data)].no,
        last_line: lines[b.end].no,
        caption,
        columns,
        rows: body.rows,
        tagged: b.tagged,
        warnings: body.warnings,
        intro,
    })
}

/// A column headed "Year" whose every cell is a year (the summary compensation table: a name,
/// then one row per year) holds each row's period, not amounts: it becomes the rows' context.
fn year_column_is_the_period(columns: &mut [Column], rows: &mut [Row]) {
    // (the header's last line: a centered table name may lie over the first columns)
    let year_head = |c: &Column| c.header.last().is_some_and(|w| matches!(w.trim().to_ascii_lowercase().as_str(), "year" | "fiscal year" | "fiscal"));
    let Some(k) = columns.iter().position(|c| !c.text && year_head(c)) else { return };
    let years: Vec<Option<String>> = rows.iter().map(|r| r.cell(k).filter(|c| c.cell.as_ref().is_some_and(|x| x.is_year_like())).map(|c| c.text.clone())).collect();
    let filled = rows.iter().filter(|r| r.cell(k).is_some()).count();
    if filled < 2 || years.iter().filter(|y| y.is_some()).count() != filled {
        return;
    }
    columns[k].text = true;
    for (r, y) in rows.iter_mut().zip(years) {
        if let Some(y) = y {
            r.cells.retain(|c| c.col != k);
            r.context = Some(y);
        }
    }
}

/// A column headed "Note", "Notes" or "Ref." whose cells are small whole numbers.
fn is_reference_column(c: &Column) -> bool {
    let last = c.header.last().map(|w| w.trim().trim_end_matches(['.', ':']).to_ascii_lowercase()).unwrap_or_default();
    matches!(last.as_str(), "note" | "notes" | "note(s)" | "ref" | "reference" | "schedule")
}

/// The sentence that introduces a table ("... for 1997 were as follows:"), read for
/// periods when the table itself prints none.
fn intro_sentence(lines: &[lines::Line], floor: usize, top: usize) -> Option<String> {
    let mut k = top;
    let mut texts: Vec<String> = Vec::new();
    let mut blanks = 0;
    while k > floor && texts.len() < 6 {
        k -= 1;
        let l = &lines[k];
        if l.is_blank() || l.tag().is_some() {
            if !texts.is_empty() {
                break;
            }
            blanks += 1;
            if blanks > 3 {
                break;
            }
            continue;
        }
        if !l.is_content() || l.has_values() {
            break;
        }
        texts.push(l.text());
    }
    texts.reverse();
    // (the last four lines of a paragraph ending "as follows:", which often names the year in
    // an earlier sentence; a "following table" sentence may start two lines further up)
    let tail = texts[texts.len().saturating_sub(4)..].join(" ");
    let joined = texts.join(" ");
    // the paragraph or sentence that introduces the table: "... as follows:", "The following
    // table shows the number of restaurants ... at December 26, 2004." (not "There were no
    // nonperforming loans at ..." printed beside it)
    let introduces = |t: &str| {
        let l = t.to_ascii_lowercase();
        l.contains("as follows") || l.contains("following table") || l.contains("table below")
    };
    if tail.trim_end().ends_with(':') || tail.to_ascii_lowercase().contains("as follows") {
        return Some(tail);
    }
    joined.split(". ").filter(|t| introduces(t)).last().map(|t| t.trim().to_string())
}

/// Is there a line of running text between lines `from` and `to` (1-based, exclusive)?
/// Running text between two tables; footnotes inside the first table's `<FN>` do not count.
fn prose_between(lines: &[lines::Line], in_footnote: &[bool], from: usize, to: usize) -> bool {
    let lo = lines.partition_point(|l| l.no <= from);
    let hi = lines.partition_point(|l| l.no < to);
    (lo..hi.max(lo)).any(|i| lines[i].prose && !in_footnote.get(i).copied().unwrap_or(false))
}

/// Does `next` continue `prev` (same title, same columns) after a page break?
fn continues(prev: &Table, next: &Table) -> bool {
    if prev.title != next.title || prev.columns.len() != next.columns.len() || prev.doc_sequence != next.doc_sequence {
        return false;
    }
    // a sentence introducing it ("... are as follows:") starts a new table
    if next.first_line > prev.last_line + 40 || next.intro.is_some() {
        return false;
    }
    // the same statement for another period ("THREE MONTHS ENDED ..." then "SIX MONTHS ENDED ...")
    let (a, b) = (crate::periods::clues(&prev.caption.join(" ")), crate::periods::clues(&next.caption.join(" ")));
    if a.months.is_some() && b.months.is_some() && a.months != b.months || a.date.is_some() && b.date.is_some() && a.date != b.date {
        return false;
    }

    // headers must agree where the continuation prints them
    prev.columns.iter().zip(next.columns.iter()).all(|(a, b)| {
        let bl = b.label().to_ascii_lowercase();
        let al = a.label().to_ascii_lowercase();
        bl.is_empty() || al.ends_with(&bl) || al == bl
    }) && next.columns.iter().any(|c| !c.text)
}

fn merge_into(prev: &mut Table, next: Table) {
    let base = prev.rows.len();
    // a second year's block under the same columns ("1997" ... then "1996" ...) keeps its year
    let stub_year = next.caption.iter().any(|c| crate::periods::is_pure_period(c)).then(|| next.caption.join(" "));
    for mut r in next.rows {
        r.index += base;
        if let Some(y) = &stub_year {
            r.context = Some(y.clone());
        }
        prev.rows.push(r);
    }
    prev.last_line = next.last_line;
    prev.warnings.extend(next.warnings);
}
