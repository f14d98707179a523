//! One printed line -> chunks: runs of text separated by two or more spaces, with values
//! split apart and parsed. Positions are character columns (what a reader sees).

use crate::cells::{self, Cell};

#[derive(Debug, Clone, PartialEq)]
pub struct Chunk {
    /// Column of the first character and one past the last.
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// The parsed value when the whole chunk is a value (number, dash, N/A).
    pub cell: Option<Cell>,
    /// One past the last digit (or dash): numbers align on this edge.
    pub num_right: usize,
}

impl Chunk {
    pub fn is_value(&self) -> bool {
        self.cell.is_some()
    }
    pub fn center2(&self) -> usize {
        self.start + self.end
    }
    /// A run of rule characters printed among words ("------- 1997 -------", "Notes  -----").
    pub fn is_rule_run(&self) -> bool {
        is_rule_text(&self.text)
    }
}

/// Three or more of `-`, `=`, `_` and nothing else.
pub fn is_rule_text(t: &str) -> bool {
    t.len() >= 3 && t.chars().all(|ch| matches!(ch, '-' | '=' | '_'))
}

/// Replace dot leaders ("Net sales ........" / ". . . .") by spaces, keeping columns; so
/// too colon leaders ("Cash:::::::$215,794.90").
fn blank_dot_leaders(chars: &mut [char]) {
    let n = chars.len();
    let mut i = 0;
    while i < n {
        if chars[i] == '.' || chars[i] == ':' {
            let leader = chars[i];
            // extent of a run of dots possibly separated by single spaces
            let mut j = i;
            let mut dots = 0;
            let mut last_dot = i;
            while j < n && (chars[j] == leader || (chars[j] == ' ' && j + 1 < n && chars[j + 1] == leader)) {
                if chars[j] == leader {
                    dots += 1;
                    last_dot = j;
                }
                j += 1;
            }
            let prev_is_digit = i > 0 && chars[i - 1].is_ascii_digit();
            // "1998..........  $ 7,406": a year label has leaders too
            if dots >= 3 && (!prev_is_digit || leader == ':') || dots >= 4 {
                for c in chars.iter_mut().take(last_dot + 1).skip(i) {
                    *c = ' ';
                }
            }
            i = last_dot + 1;
        } else {
            i += 1;
        }
    }
}

thread_local! {
    /// The characters of the line being split, reused from line to line (no allocation each).
    static CHARS: std::cell::RefCell<Vec<char>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Split a line into chunks.
pub fn chunks(line: &str) -> Vec<Chunk> {
    CHARS.with(|buf| {
        let mut chars = buf.borrow_mut();
        chars.clear();
        // a vertical rule ("|") between columns, even glued to a value ("(58){1}|"), separates only
        // (nearly every line is ASCII: bytes widen to chars without decoding UTF-8)
        if line.is_ascii() {
            chars.extend(line.bytes().map(|b| if b == b'|' { ' ' } else { char::from(b) }));
        } else {
            chars.extend(line.chars().map(|c| if c == '|' { ' ' } else { c }));
        }
        blank_dot_leaders(&mut chars);
        chunks_of(&chars)
    })
}

thread_local! {
    /// Word and group positions of the line being cut (reused: every table line comes here)
    static SPANS: std::cell::RefCell<(Vec<(usize, usize)>, Vec<(usize, usize)>)> = const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
}

fn chunks_of(chars: &[char]) -> Vec<Chunk> {
    SPANS.with(|spans| {
        let mut spans = spans.borrow_mut();
        let (words, groups) = &mut *spans;
        words.clear();
        groups.clear();
        chunks_in(chars, words, groups)
    })
}

fn chunks_in(chars: &[char], words: &mut Vec<(usize, usize)>, groups: &mut Vec<(usize, usize)>) -> Vec<Chunk> {
    // words: (start, end)
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == ' ' {
            i += 1;
            continue;
        }
        let s = i;
        while i < chars.len() && chars[i] != ' ' {
            i += 1;
        }
        words.push((s, i));
    }
    let word = |s: usize, e: usize| text_of(chars, s, e);
    // group words separated by single spaces: index ranges into `words`
    for (k, w) in words.iter().enumerate() {
        match groups.last_mut() {
            Some(g) if w.0 - words[g.1 - 1].1 < 2 => g.1 = k + 1,
            _ => groups.push((k, k + 1)),
        }
    }
    let mut out: Vec<Chunk> = Vec::with_capacity(groups.len());
    let mut buf = String::new();
    for &(gs, ge) in groups.iter() {
        let g = &words[gs..ge];
        if g.len() == 1 {
            push_split(&mut out, &chars, g[0].0, g[0].1);
            continue;
        }
        // "2.1 to 1": a ratio printed against one is one value
        if g.len() == 3 && word(g[1].0, g[1].1) == "to" && word(g[2].0, g[2].1) == "1" && cells::parse(&word(g[0].0, g[0].1)).is_some_and(|c| c.value.is_some()) {
            out.push(make(chars, g[0].0, g[2].1));
            continue;
        }
        // most groups are words of a label: stop at the first word that is not a value
        let values = g.iter().enumerate().all(|(i, &(s, e))| {
            buf.clear();
            buf.extend(&chars[s..e]);
            if buf == "$" {
                i + 1 < g.len()
            } else if buf == "CR" || buf == "DR" {
                i > 0 // "1,390 CR": a credit balance
            } else {
                cells::parse(&buf).is_some()
            }
        });
        // "$ 1.50 - $ 3.00": a range of prices names a row, it is not two cells and a dash
        if values && is_range(&g.iter().map(|&(s, e)| word(s, e)).collect::<Vec<_>>()) {
            let (s, e) = (g[0].0, g[g.len() - 1].1);
            let mut c = make(&chars, s, e);
            c.cell = None;
            c.num_right = e;
            out.push(c);
            continue;
        }
        if values {
            let texts: Vec<String> = g.iter().map(|&(s, e)| word(s, e)).collect();
            // "1,234 5,678" or "$ 1,234" or "$ 1,234 $ 5,678": values, `$` joins the next word
            let mut k = 0;
            while k < g.len() {
                let start = g[k].0;
                let mut end = g[k].1;
                if texts[k] == "$" && k + 1 < g.len() {
                    k += 1;
                    end = g[k].1;
                }
                // "19 1/4": a whole number and its fraction are one price
                if k + 1 < g.len() && is_fraction(&texts[k + 1]) && !texts[k].contains('/') {
                    k += 1;
                    end = g[k].1;
                }
                // "1,390 CR"; "84 (2)": a footnote number one space after a value
                let mark = |t: &str| t.len() == 3 && t.starts_with('(') && t.ends_with(')') && t.as_bytes()[1].is_ascii_digit() && t.as_bytes()[1] != b'0';
                if k + 1 < g.len() && (texts[k + 1] == "CR" || texts[k + 1] == "DR" || mark(&texts[k + 1]) && !texts[k].ends_with(')')) {
                    k += 1;
                    end = g[k].1;
                }
                push_split(&mut out, &chars, start, end);
                k += 1;
            }
        } else {
            let (s, e) = (g[0].0, g[g.len() - 1].1);
            out.push(make(&chars, s, e));
        }
    }
    // change bars ("|" in the margin or between columns) mark revisions, not content
    out.retain(|c| !c.text.chars().all(|ch| ch == '|'));
    // "$ 10.01  to  $ 20.00" opening a line: a range naming the row, printed with wide gaps
    if out.len() >= 3 && out[0].cell.is_some() && out[2].cell.is_some() && out[1].start <= out[0].end + 3 && out[2].start <= out[1].end + 3 {
        let words = [out[0].text.clone(), out[1].text.clone(), out[2].text.clone()];
        if is_range(&words) {
            let (s, e) = (out[0].start, out[2].end);
            let mut c = make(&chars, s, e);
            c.cell = None;
            c.num_right = e;
            out.splice(0..3, [c]);
        }
    }
    // "(4,806    )": a closing parenthesis set apart (word-processor tabs) closes the negative
    // number before it; the number still aligns on its digits
    if out.iter().any(|c| c.text == ")") {
        let mut joined: Vec<Chunk> = Vec::with_capacity(out.len());
        for c in out {
            let closes = c.text == ")"
                && joined.last().is_some_and(|p| c.start <= p.end + 8 && p.text.starts_with('(') && !p.text.contains(')') && cells::parse(&format!("{})", p.text)).is_some_and(|x| x.value.is_some()));
            match joined.last_mut() {
                Some(p) if closes => {
                    p.cell = cells::parse(&format!("{})", p.text));
                    p.text = chars[p.start..c.end].iter().collect();
                    p.end = c.end;
                }
                _ => joined.push(c),
            }
        }
        out = joined;
    }
    // a lone "$" printed in its own column belongs to the value after it
    // "19.5   %": a percent sign printed apart belongs to the number before it
    if out.iter().any(|c| c.text == "%") {
        let mut joined: Vec<Chunk> = Vec::with_capacity(out.len());
        for c in out {
            match joined.last() {
                Some(p) if c.text == "%" && c.start <= p.end + 4 && p.cell.as_ref().is_some_and(|x| !x.percent && x.value.is_some()) => {
                    let start = p.start;
                    joined.pop();
                    joined.push(make(&chars, start, c.end));
                }
                _ => joined.push(c),
            }
        }
        out = joined;
    }
    if !out.iter().any(|c| c.text == "$") {
        return out;
    }
    let mut merged: Vec<Chunk> = Vec::with_capacity(out.len());
    let mut it = out.into_iter().peekable();
    while let Some(c) = it.next() {
        if c.text == "$" {
            if let Some(next) = it.next_if(|n| n.is_value()) {
                merged.push(make(&chars, c.start, next.end));
                continue;
            }
        }
        merged.push(c);
    }
    merged
}

/// Words of a range: `[$] low - [$] high` with low below high.
fn is_range(words: &[String]) -> bool {
    let w: Vec<&str> = words.iter().map(|x| x.trim()).filter(|x| *x != "$").collect();
    if w.len() != 3 || !matches!(w[1], "-" | "to" | "–" | "--") {
        return false;
    }
    let num = |t: &str| -> Option<f64> {
        let t = t.trim_start_matches('$').trim().replace(',', "");
        if t.starts_with('(') || t.is_empty() {
            return None;
        }
        t.parse::<f64>().ok()
    };
    matches!((num(w[0]), num(w[2])), (Some(a), Some(b)) if a < b)
}

/// "1/4", "7/8)": the fraction part of a price printed in fractions.
fn is_fraction(t: &str) -> bool {
    let core = t.trim_end_matches([')', '%']);
    core.split_once('/').is_some_and(|(n, d)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) && matches!(d, "2" | "4" | "8" | "16" | "32" | "64"))
}

/// Push one word group, splitting values printed without a space: "(1,234)(5,678)".
fn push_split(out: &mut Vec<Chunk>, chars: &[char], start: usize, end: usize) {
    if !chars[start..end].contains(&')') {
        out.push(make(chars, start, end));
        return;
    }
    let mut s = start;
    for i in start + 1..end {
        if chars[i - 1] == ')' && (chars[i] == '(' || chars[i] == '$') {
            let left: String = chars[s..i].iter().collect();
            let right: String = chars[i..end].iter().collect();
            // "(4,344)(2)": a footnote number after a negative value stays with it
            // (read by characters: a lone "(" or a non-ASCII byte must not split a slice)
            let rc: Vec<char> = right.chars().collect();
            let footnote = (3..=4).contains(&rc.len()) && rc[0] == '(' && rc[1..rc.len() - 1].iter().all(|c| c.is_ascii_digit() || c.is_ascii_lowercase()) && end == i + rc.len();
            if !footnote && cells::parse(&left).is_some() && cells::parse(&right).is_some() {
                out.push(make(chars, s, i));
                s = i;
            }
        }
    }
    out.push(make(chars, s, end));
}

/// The text of `chars[start..end]` (nearly always ASCII: copied byte for byte, not encoded
/// character by character).
fn text_of(chars: &[char], start: usize, end: usize) -> String {
    let part = &chars[start..end];
    if part.iter().all(char::is_ascii) {
        let bytes: Vec<u8> = part.iter().map(|&c| c as u8).collect();
        String::from_utf8(bytes).unwrap_or_default()
    } else {
        part.iter().collect()
    }
}

fn make(chars: &[char], start: usize, end: usize) -> Chunk {
    let text = text_of(chars, start, end);
    let cell = cells::parse(&text);
    // a footnote mark glued to the number ("148,200(1)", "517{1}") is not where it aligns
    let mark = cell.as_ref().and_then(|c| c.footnote.as_ref()).filter(|f| f.starts_with('(') || f.starts_with('{')).map(|f| f.chars().count()).unwrap_or(0);
    // ... nor is the ":1" of a ratio ("2.1:1" aligns on its 2.1; "2.1 to 1" is set flush
    // right like the amounts around it)
    let mark = if cell.as_ref().is_some_and(|c| c.ratio) && !text.contains(" to ") { text.len() - text.trim_end_matches('1').trim_end().trim_end_matches(':').trim_end().len() } else { mark };
    let end_core = if mark > 0 && end - start > mark { end - mark } else { end };
    let num_right = if cell.is_some() {
        chars[start..end_core]
            .iter()
            .rposition(|c| c.is_ascii_digit() || matches!(c, '-' | '—' | '–'))
            .map(|p| start + p + 1)
            .unwrap_or(end)
    } else {
        end
    };
    Chunk { start, end, text, cell, num_right }
}

/// A horizontal rule segment: `-----`, `=====`, `_____` (also EDGAR's `- ----`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleSeg {
    pub start: usize,
    pub end: usize,
    pub double: bool,
}

/// Rule segments when the line is only a rule line, else None.
pub fn rule_segments(line: &str) -> Option<Vec<RuleSeg>> {
    // (asked of every line: most fail at their first letter)
    let t = crate::filing::text::trim_spaces(line);
    if t.is_empty() || !t.bytes().all(|c| matches!(c, b'-' | b'=' | b'_' | b' ' | b'+' | b'|')) {
        return None;
    }
    if t.bytes().filter(|c| matches!(c, b'-' | b'=' | b'_')).count() < 3 {
        return None;
    }
    let chars: Vec<char> = line.chars().collect();
    let mut segs = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == ' ' {
            i += 1;
            continue;
        }
        let s = i;
        let mut double = false;
        let mut last = i;
        // length of the unbroken run just read: "- - - -" is one spaced rule, but two long
        // runs one space apart ("-------- --------") underline two groups of columns
        let mut run = 0;
        while i < chars.len() && (chars[i] != ' ' || (i + 1 < chars.len() && chars[i + 1] != ' ')) {
            if chars[i] == ' ' {
                let next = chars[i + 1..].iter().take_while(|c| **c != ' ').count();
                if run >= 3 && next >= 3 {
                    break;
                }
                run = 0;
            } else {
                last = i;
                run += 1;
            }
            if chars[i] == '=' {
                double = true;
            }
            i += 1;
        }
        segs.push(RuleSeg { start: s, end: last + 1, double });
    }
    Some(segs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(line: &str) -> Vec<String> {
        chunks(line).into_iter().map(|c| c.text).collect()
    }

    #[test]
    fn fraction_prices_are_one_cell() {
        assert_eq!(texts("  First Quarter          $19 1/4     $15 5/8        $.06"), vec!["First Quarter", "$19 1/4", "$15 5/8", "$.06"]);
        assert_eq!(texts("  Third Quarter           17 1/4      14             .05"), vec!["Third Quarter", "17 1/4", "14", ".05"]);
        assert_eq!(texts("Well services                    $48,210     19.5   %"), vec!["Well services", "$48,210", "19.5   %"]);
    }

    #[test]
    fn a_closing_parenthesis_set_apart_closes_the_number() {
        let c = chunks("Interest expense                       (4,806    )      (5,218    )");
        assert_eq!(c.len(), 3);
        assert_eq!(c[1].cell.as_ref().and_then(|x| x.value), Some(rust_decimal::Decimal::from(-4806)));
        assert_eq!(c[1].num_right, 45);
        assert_eq!(c[2].cell.as_ref().and_then(|x| x.value), Some(rust_decimal::Decimal::from(-5218)));
    }

    #[test]
    fn label_and_values() {
        let c = chunks("    Cash and cash equivalents                          $4,296,089                $4,579,034");
        assert_eq!(c.len(), 3);
        assert_eq!(c[0].text, "Cash and cash equivalents");
        assert!(!c[0].is_value());
        assert_eq!(c[1].text, "$4,296,089");
        assert_eq!(c[1].start, 55);
        assert_eq!(c[1].num_right, 65);
    }

    #[test]
    fn dollar_sign_in_its_own_column_joins_the_value() {
        let c = chunks("Net sales      $        1,234      $   (5,678)");
        assert_eq!(texts("Net sales      $        1,234      $   (5,678)"), vec!["Net sales", "$        1,234", "$   (5,678)"]);
        assert_eq!(c[2].num_right, c[2].end - 1);
    }

    #[test]
    fn values_with_single_spaces_split() {
        assert_eq!(texts("Total 1,234 5,678"), vec!["Total 1,234 5,678"]);
        assert_eq!(texts("Total   1,234 5,678"), vec!["Total", "1,234", "5,678"]);
        assert_eq!(texts("Total   $ 1,234 $ 5,678"), vec!["Total", "$ 1,234", "$ 5,678"]);
        assert_eq!(texts("Loss   (1,234)(5,678)"), vec!["Loss", "(1,234)", "(5,678)"]);
    }

    #[test]
    fn a_lone_parenthesis_after_a_value_is_no_footnote_and_no_panic() {
        let _ = chunks("Total        (1,234)(");
        let _ = chunks("Total        (1,234)(é");
        let c = chunks("Total        (4,344)(2)");
        assert!(c.iter().any(|k| k.text == "(4,344)(2)"));
    }

    #[test]
    fn long_rules_one_space_apart_are_two() {
        assert_eq!(rule_segments("   -------- --------").map(|s| s.len()), Some(2));
        assert_eq!(rule_segments("   - - - - - - -").map(|s| s.len()), Some(1));
    }

    #[test]
    fn dot_leaders_are_gaps() {
        assert_eq!(texts("Net sales ...................  $ 1,234"), vec!["Net sales", "$ 1,234"]);
        assert_eq!(texts("Net sales . . . . . . . .   1,234"), vec!["Net sales", "1,234"]);
        assert_eq!(texts("Total   .28"), vec!["Total", ".28"]);
    }

    #[test]
    fn label_numbers_stay_in_the_label() {
        assert_eq!(
            texts("      plus 2% (3.15% at December 31, 2003)                             $   4,050,000     $ 4,950,000"),
            vec!["plus 2% (3.15% at December 31, 2003)", "$   4,050,000", "$ 4,950,000"]
        );
    }

    #[test]
    fn rules() {
        assert!(rule_segments("- ------------").is_some());
        let segs = rule_segments("          ----                     ----").unwrap();
        assert_eq!(segs.len(), 2);
        assert_eq!((segs[0].start, segs[0].end), (10, 14));
        assert!(rule_segments("   ======   ").unwrap()[0].double);
        assert!(rule_segments("- - basic and diluted").is_none());
        assert!(rule_segments("--").is_none());
        assert_eq!(rule_segments("- ------").unwrap().len(), 1);
    }
}
