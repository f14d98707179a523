//! Find table blocks: runs of lines whose values line up in columns.
//!
//! A line is a candidate when it holds values apart from its label; it is confirmed when
//! one of its values aligns (same right edge) with a value of a nearby candidate, or with
//! the end of a nearby rule. Confirmed lines close together form a block; `<TABLE>` tags,
//! page breaks and paragraphs of prose separate blocks. Tags help but are never required.

use super::lines::{Kind, Line};
use super::tokens::Chunk;

#[derive(Debug, Clone)]
pub struct Block {
    /// Index (into the document's lines) of the first line of the header zone.
    pub top: usize,
    pub first_data: usize,
    /// Last line of the block (last data line and the rules under it).
    pub end: usize,
    /// Confirmed data lines.
    pub data: Vec<usize>,
    pub tagged: bool,
}

/// How far apart (in lines) two aligned candidates may be.
const ALIGN_WINDOW: usize = 12;
/// Most lines between two data lines of one untagged block.
const MAX_GAP: usize = 14;

/// The values of a line that are table cells, not a row stub: a value printed first on
/// the line, near the margin and followed by more text (an exhibit number, a year row
/// label) is the row's label.
/// (an iterator: asked of every line, often only whether there is one)
pub fn cell_values(line: &Line) -> impl Iterator<Item = &Chunk> + Clone {
    let n = line.chunks.len();
    line.chunks.iter().enumerate().filter(move |(i, c)| c.is_value() && !(*i == 0 && n > 1 && c.start < 24)).map(|(_, c)| c)
}

/// A line of only years (and maybe a stub label): a column header, not data.
pub fn is_year_header(line: &Line) -> bool {
    // "------- 1997 -------  ------- 1996 -------": rule runs around the years are no cells
    let mut vals = cell_values(line).filter(|c| !c.is_rule_run()).peekable();
    vals.peek().is_some() && vals.all(|c| c.cell.as_ref().is_some_and(year_like))
}

fn is_dash(c: &Chunk) -> bool {
    c.cell.as_ref().is_some_and(|x| x.kind != crate::cells::CellKind::Number)
}

fn year_like(c: &crate::cells::Cell) -> bool {
    let mut c = c.clone();
    c.footnote = None;
    c.is_year_like()
}

pub fn find(lines: &[Line]) -> Vec<Block> {
    let n = lines.len();
    let zone = table_zones(lines);
    let in_footnote = footnote_lines(lines);
    let candidate: Vec<bool> = (0..n)
        .map(|i| {
            let l = &lines[i];
            l.is_content() && !l.prose && !in_footnote[i] && cell_values(l).next().is_some() && !is_year_header(l)
        })
        .collect();
    let confirmed: Vec<usize> = (0..n).filter(|&i| candidate[i] && aligned(lines, &candidate, &zone, i)).collect();

    let mut blocks: Vec<Block> = Vec::new();
    for &i in &confirmed {
        if let Some(b) = blocks.last_mut() {
            let last = *b.data.last().unwrap_or(&b.first_data);
            if joins(lines, &zone, last, i) {
                b.data.push(i);
                b.end = i;
                continue;
            }
        }
        blocks.push(Block { top: i, first_data: i, end: i, data: vec![i], tagged: zone[i].is_some() });
    }
    let mut prev_end = 0usize;
    for b in blocks.iter_mut() {
        // rules printed under the last row belong to the block
        let mut k = b.end + 1;
        while k < n && (lines[k].rule().is_some()) {
            b.end = k;
            k += 1;
        }
        b.top = header_top(lines, &zone, b.first_data, prev_end);
        prev_end = b.end + 1;
    }
    blocks
}

/// Zone id per line: lines between `<TABLE>` and `</TABLE>` share an id.
fn table_zones(lines: &[Line]) -> Vec<Option<usize>> {
    let mut out = vec![None; lines.len()];
    let mut current = None;
    let mut next_id = 0;
    for (i, l) in lines.iter().enumerate() {
        match l.tag() {
            Some("TABLE") => {
                current = Some(next_id);
                next_id += 1;
            }
            Some("/TABLE") => {
                out[i] = current;
                current = None;
                continue;
            }
            _ => {}
        }
        out[i] = current;
    }
    out
}

/// Footnotes of a tagged table (`<FN>` up to `</TABLE>`) are notes, not rows.
pub(crate) fn footnote_lines(lines: &[Line]) -> Vec<bool> {
    let mut out = vec![false; lines.len()];
    let mut on = false;
    for (i, l) in lines.iter().enumerate() {
        match l.tag() {
            Some("FN") => on = true,
            Some("/FN") | Some("/TABLE") | Some("TABLE") => on = false,
            _ => {}
        }
        out[i] = on;
    }
    out
}

fn aligned(lines: &[Line], candidate: &[bool], zone: &[Option<usize>], i: usize) -> bool {
    let mine: Vec<usize> = cell_values(&lines[i]).map(|c| c.num_right).collect();
    let dashes: Vec<&Chunk> = cell_values(&lines[i]).filter(|c| is_dash(c)).collect();
    let lo = i.saturating_sub(ALIGN_WINDOW);
    let hi = (i + ALIGN_WINDOW).min(lines.len() - 1);
    for j in lo..=hi {
        if j == i || zone[j] != zone[i] {
            continue;
        }
        if candidate[j] {
            let theirs = cell_values(&lines[j]);
            let near = theirs.clone().any(|c| mine.iter().any(|&r| r.abs_diff(c.num_right) <= 1))
                // a dash sits somewhere inside the column of numbers
                || dashes.iter().any(|d| theirs.clone().any(|c| c.start <= d.end && d.start <= c.end && !is_dash(c)));
            if near && !separated(lines, zone, i.min(j), i.max(j)) {
                return true;
            }
        } else if let Some(segs) = lines[j].rule() {
            if j.abs_diff(i) <= 3 && segs.iter().any(|s| mine.iter().any(|&r| r.abs_diff(s.end) <= 2)) {
                return true;
            }
        }
    }
    false
}

/// Prose paragraphs, page breaks and table tags separate two lines.
fn separated(lines: &[Line], zone: &[Option<usize>], a: usize, b: usize) -> bool {
    let same_tagged = zone[a].is_some() && zone[a] == zone[b];
    let mut text_run = 0;
    let mut any_prose = false;
    let mut blank_run = 0;
    for l in &lines[a + 1..b] {
        if same_tagged {
            continue;
        }
        match &l.kind {
            Kind::PageMark => return true,
            Kind::Tag(t, _) if t == "TABLE" || t == "/TABLE" => return true,
            Kind::Blank => {
                blank_run += 1;
                if blank_run >= 4 {
                    return true;
                }
                text_run = 0;
                any_prose = false;
                continue;
            }
            _ => {}
        }
        blank_run = 0;
        // a paragraph: two or more lines of words, at least one of them running text
        if l.is_content() && !l.has_values() {
            text_run += 1;
            // "  Adjustments to reconcile net income to net cash provided by" / "operating
            // activities:": a wrapped row label indented like the rows, not a paragraph
            let wrapped_label = l.end() < 66 && !l.text().ends_with('.') && l.indent > 0 && l.indent.abs_diff(lines[a].indent) <= 4;
            any_prose |= l.prose && !wrapped_label;
            if text_run >= 2 && any_prose {
                return true;
            }
        } else {
            text_run = 0;
            any_prose = false;
        }
    }
    false
}

fn joins(lines: &[Line], zone: &[Option<usize>], last: usize, next: usize) -> bool {
    if zone[last] != zone[next] {
        return false;
    }
    if zone[last].is_some() {
        return true;
    }
    next - last <= MAX_GAP && !separated(lines, zone, last, next) && !new_header_between(lines, last, next)
}

/// Column headers printed again between two rows start a new table (a second year's
/// quarterly block, a statement continued under its own header).
fn new_header_between(lines: &[Line], last: usize, next: usize) -> bool {
    let value_start = cell_values(&lines[last])
        .chain(cell_values(&lines[next]))
        .map(|c| c.start)
        .min()
        .unwrap_or(usize::MAX);
    lines[last + 1..next].iter().any(|l| {
        // ("1996   March 31   June 30   Sept. 30   Dec. 31": the block's year in the stub)
        let skip = usize::from(l.chunks.first().is_some_and(|c| c.start + 2 < value_start && crate::periods::is_pure_period(&c.text)) && l.chunks.len() >= 3);
        l.is_content()
            && (is_year_header(l)
                || (l.chunks.iter().skip(skip).all(|c| !c.is_value()) && l.chunks.len() >= 2 && l.chunks.iter().skip(skip).all(|c| c.start + 2 >= value_start)))
    })
}

/// First line of the zone above the first data line that holds its headers and captions.
fn header_top(lines: &[Line], zone: &[Option<usize>], first: usize, floor: usize) -> usize {
    if let Some(z) = zone[first] {
        // everything after the <TABLE> tag
        let mut k = first;
        while k > floor && zone[k - 1] == Some(z) {
            k -= 1;
        }
        return k;
    }
    let mut top = first;
    let mut blanks = 0;
    let mut seen_blank = false;
    let mut k = first;
    while k > floor && first - k < 20 {
        k -= 1;
        let l = &lines[k];
        match &l.kind {
            Kind::PageMark => break,
            Kind::Tag(t, _) if t == "TABLE" || t == "/TABLE" => break,
            Kind::Blank => {
                blanks += 1;
                seen_blank = true;
                if blanks >= 3 {
                    break;
                }
                continue;
            }
            _ => {}
        }
        if l.prose || ends_paragraph(lines, k) {
            break;
        }
        // a paragraph set in a narrow column: two sentence lines in a row; its lines below
        // (down to the blank line that ends it) are not headers either
        // (above a blank line: lines right over the first values may be its wrapped label)
        let paragraph = k > floor && sentence_line(l) && sentence_line(&lines[k - 1]);
        // (a sentence printed between the years and the rows belongs to the header)
        let years_above = (floor..k).rev().find(|&j| !matches!(lines[j].kind, Kind::Rule(_))).is_some_and(|j| is_year_header(&lines[j]));
        if seen_blank && !years_above && (paragraph || (sentence_line(l) && introduces(lines, k, first))) {
            if let Some(b) = (k + 1..first).find(|&j| lines[j].kind == Kind::Blank) {
                top = (b + 1..first).find(|&j| lines[j].kind != Kind::Blank).unwrap_or(first);
            }
            break;
        }
        blanks = 0;
        top = k;
    }
    top
}

/// The sentence starting at `k` runs on to a line ending in ':' or '.' followed by a blank
/// line ("Income tax expense (benefit) consists of the following" / "(in millions):").
fn introduces(lines: &[Line], k: usize, first: usize) -> bool {
    let t = lines[k].text().to_ascii_lowercase();
    let t = t.trim_start();
    // "For the years ended December 31:" is a caption of the columns, not an introduction
    if ["for ", "year", "as of", "at ", "three", "six", "nine", "twelve", "fiscal", "quarter", "period"].iter().any(|p| t.starts_with(p)) {
        return false;
    }
    let Some(end) = (k..first).take_while(|&j| lines[j].is_content()).last() else { return false };
    let last = lines[end].text();
    let last = last.trim_end();
    // a one-line heading ("Earnings per share of common stock:") heads rows; a sentence runs on
    // over lines or says what follows
    const VERBS: [&str; 14] = ["follow", "consist", "summar", " compris", " were ", " are ", " was ", " is ", " include", " shown", " present", " set forth", " reflect", " changed"];
    let sentence = end > k || VERBS.iter().any(|v| t.contains(v));
    sentence && (last.ends_with(':') || last.ends_with('.')) && lines.get(end + 1).is_some_and(|l| l.kind == Kind::Blank) && t.split_whitespace().count() >= 6
}

/// A line of running text too short for the prose test: one phrase of five or more words,
/// mostly lower case, with function words ("traded shares, over our Company's carrying values").
fn sentence_line(l: &Line) -> bool {
    if !l.is_content() || l.chunks.len() != 1 || l.has_values() {
        return false;
    }
    let t = l.chunks[0].text.as_str();
    if t.len() < 35 || t.starts_with('(') {
        return false;
    }
    const FUNCTION: [&str; 17] = ["the", "of", "and", "to", "in", "for", "a", "is", "was", "by", "with", "that", "on", "our", "we", "are", "at"];
    let words: Vec<&str> = t.split_whitespace().filter(|w| w.chars().any(|c| c.is_alphabetic())).collect();
    let letters = t.chars().filter(|c| c.is_alphabetic()).count();
    let lower = t.chars().filter(|c| c.is_lowercase()).count();
    words.len() >= 5 && lower * 10 > letters * 7 && words.iter().any(|w| FUNCTION.iter().any(|f| f.eq_ignore_ascii_case(w.trim_matches(|c: char| !c.is_alphabetic()))))
}

/// The last line of a prose paragraph ("... January 1, 1996 (in" / "thousands, except per share
/// amounts):"): flush with the prose line right above it, one phrase, no gap between them.
fn ends_paragraph(lines: &[Line], k: usize) -> bool {
    let l = &lines[k];
    k > 0 && lines[k - 1].prose && l.chunks.len() == 1 && l.indent <= lines[k - 1].indent + 1 && !l.has_values()
}

#[cfg(test)]
mod tests {
    use super::super::lines::classify;
    use super::*;

    fn doc(text: &str) -> (Vec<String>, Vec<Line>) {
        let all: Vec<String> = text.lines().map(|s| s.to_string()).collect();
        let lines = classify(&all, 1, all.len());
        (all, lines)
    }

    #[test]
    fn finds_a_simple_table_and_skips_prose() {
        let (_, lines) = doc("The Company had sales of $30,239,000 in 2002 compared to prior years of business.\n\n                      2002        2001\n                      ----        ----\nNet sales        $ 1,234     $ 1,000\nCost of sales        800         700\n                  ------      ------\n                     434         300\n                  ======      ======\n\nSee accompanying notes.");
        let b = find(&lines);
        assert_eq!(b.len(), 1);
        assert_eq!(lines[b[0].first_data].no, 5);
        assert_eq!(b[0].data.len(), 3);
        assert_eq!(lines[b[0].end].no, 9);
        assert_eq!(lines[b[0].top].no, 3);
    }

    #[test]
    fn exhibit_numbers_are_not_values() {
        let (_, lines) = doc(" 3.1          Certificate of Incorporation\n\n 3.2          Amendment to Certificate\n\n10.1          Stock Incentive Plan");
        assert!(find(&lines).is_empty());
    }

    #[test]
    fn stray_prose_numbers_do_not_make_tables() {
        let (_, lines) = doc("In  connection with the acquisition the Company paid  $12,100,000\nand the  remaining  balance was  financed  through   borrowings.");
        assert!(find(&lines).is_empty());
    }

    #[test]
    fn maturity_schedule_with_year_stubs() {
        let (_, lines) = doc("     2004                $  1,641,316\n     2005                   1,331,438\n     2006                   3,507,733");
        let b = find(&lines);
        assert_eq!(b.len(), 1);
        assert_eq!(b[0].data.len(), 3);
    }
}
