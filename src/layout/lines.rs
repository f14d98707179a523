//! Classify every line of a document: blank, rule, SGML table tag, page mark, or content
//! (chunks, prose or not). Later stages only look at these classified lines.

use super::tokens::{self, Chunk, RuleSeg};
use crate::filing::envelope::tag_of;

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Blank,
    Rule(Vec<RuleSeg>),
    /// `<TABLE>`, `</TABLE>`, `<CAPTION>`, `<S>`/`<C>` lines, `<FN>` ...: upper-case tag name
    /// and, for `<S>`/`<C>` lines, the columns where each `<C>` starts.
    Tag(String, Vec<usize>),
    /// Page number or `<PAGE>`: a page break.
    PageMark,
    Content,
}

#[derive(Debug, Clone)]
pub struct Line {
    /// 1-based line number in the file.
    pub no: usize,
    pub kind: Kind,
    pub chunks: Vec<Chunk>,
    pub indent: usize,
    /// Running text (a sentence of a paragraph), not part of a table.
    pub prose: bool,
}

impl Line {
    pub fn is_blank(&self) -> bool {
        matches!(self.kind, Kind::Blank)
    }
    pub fn rule(&self) -> Option<&[RuleSeg]> {
        match &self.kind {
            Kind::Rule(s) => Some(s),
            _ => None,
        }
    }
    pub fn tag(&self) -> Option<&str> {
        match &self.kind {
            Kind::Tag(t, _) => Some(t),
            _ => None,
        }
    }
    pub fn is_content(&self) -> bool {
        matches!(self.kind, Kind::Content)
    }
    /// The chunks' texts one space apart (built in one allocation: called for most lines).
    pub fn text(&self) -> String {
        let mut s = String::with_capacity(self.chunks.iter().map(|c| c.text.len() + 1).sum());
        for (i, c) in self.chunks.iter().enumerate() {
            if i > 0 {
                s.push(' ');
            }
            s.push_str(&c.text);
        }
        s
    }
    pub fn value_chunks(&self) -> impl Iterator<Item = &Chunk> {
        self.chunks.iter().filter(|c| c.is_value())
    }
    pub fn has_values(&self) -> bool {
        self.chunks.iter().any(|c| c.is_value())
    }
    pub fn end(&self) -> usize {
        self.chunks.last().map(|c| c.end).unwrap_or(0)
    }
}

/// Longest line that can be part of a table (a 200-column table is ~2,000 characters).
pub const MAX_TABLE_LINE: usize = 20_000;

const TABLE_TAGS: [&str; 12] = ["TABLE", "/TABLE", "CAPTION", "/CAPTION", "S", "C", "FN", "/FN", "PAGE", "/PAGE", "R", "F"];

/// Classify lines `first..=last` (1-based) of `all`.
pub fn classify(all: &[String], first: usize, last: usize) -> Vec<Line> {
    let mut out = Vec::with_capacity(last.saturating_sub(first) + 1);
    for no in first..=last.min(all.len()) {
        let raw = &all[no - 1];
        out.push(classify_one(no, raw));
    }
    out
}

pub fn classify_one(no: usize, raw: &str) -> Line {
    let indent = crate::filing::text::leading_spaces(raw);
    let mut line = Line { no, kind: Kind::Content, chunks: Vec::new(), indent, prose: false };
    let t = crate::filing::text::trim_spaces(raw);
    if t.is_empty() {
        line.kind = Kind::Blank;
        return line;
    }
    if let Some((tag, rest)) = tag_of(t) {
        if TABLE_TAGS.contains(&tag.as_ref()) {
            if tag == "PAGE" {
                line.kind = Kind::PageMark;
                return line;
            }
            if tag == "S" || tag == "C" {
                line.kind = Kind::Tag("S".into(), c_positions(raw));
                return line;
            }
            if rest.is_empty() || tag == "FN" || tag == "CAPTION" || tag == "TABLE" {
                line.kind = Kind::Tag(tag.into_owned(), Vec::new());
                if rest.is_empty() {
                    return line;
                }
                // text after the tag on the same line: keep it as content of this line
                line.kind = Kind::Content;
                let offset = raw.find('>').map(|p| p + 1).unwrap_or(0);
                let blanked: String = raw.chars().enumerate().map(|(i, c)| if i < offset { ' ' } else { c }).collect();
                line.chunks = tokens::chunks(&blanked);
                line.indent = blanked.len() - blanked.trim_start().len();
                return line;
            }
        }
    }
    // a line longer than any table is running text (or garbage): never tokenized
    if raw.len() > MAX_TABLE_LINE {
        line.prose = true;
        return line;
    }
    if let Some(segs) = tokens::rule_segments(raw) {
        line.kind = Kind::Rule(segs);
        return line;
    }
    if is_page_number(t, indent) {
        line.kind = Kind::PageMark;
        return line;
    }
    // running text is most of a filing: recognize it before tokenizing, keep it whole
    let prose_like = looks_like_prose(raw);
    if prose_like && !has_value_gap(raw) {
        line.prose = true;
        let start = raw.chars().take_while(|c| *c == ' ').count();
        let text = crate::filing::text::trim_spaces(raw).to_string();
        let end = start + text.chars().count();
        line.chunks = vec![Chunk { start, end, text, cell: None, num_right: end }];
        return line;
    }
    line.chunks = tokens::chunks(raw);
    line.prose = prose_like && !line.has_values();
    underlines_beside_scale(&mut line);
    line
}

/// "(In thousands, except per share data)     ----     ----": the dashes underline the
/// column headings beside a scale phrase; they are not zero cells of a row. (The only rule
/// line with chunks: the scale reader looks at them.)
fn underlines_beside_scale(line: &mut Line) {
    let is_run = |c: &Chunk| c.text.len() >= 3 && c.text.chars().all(|ch| matches!(ch, '-' | '='));
    // (nearly every line fails this at once: no allocation before it)
    if !line.chunks.iter().any(|c| c.is_value() && is_run(c)) {
        return;
    }
    let (runs, words): (Vec<&Chunk>, Vec<&Chunk>) = line.chunks.iter().partition(|c| c.is_value());
    if runs.is_empty() || !runs.iter().all(|c| is_run(c)) || words.is_empty() {
        return;
    }
    let text: Vec<&str> = words.iter().map(|c| c.text.as_str()).collect();
    if super::title::states_scale(&text.join(" ")) {
        // a rule line under the headings, which keeps its words for the scale
        let segs = runs.iter().map(|c| RuleSeg { start: c.start, end: c.end, double: c.text.contains('=') }).collect();
        line.chunks.retain(|c| !c.is_value());
        line.kind = Kind::Rule(segs);
    }
}

/// "ITEM 7.  MANAGEMENT'S DISCUSSION AND ANALYSIS ...": the heading that opens a part of a filing.
pub fn item_heading(text: &str) -> bool {
    let t = text.trim_start();
    t.get(..4).is_some_and(|w| w.eq_ignore_ascii_case("item")) && t[4..].trim_start().starts_with(|c: char| c.is_ascii_digit())
}

/// Two spaces (or more) followed by what could start a value: a table line maybe.
fn has_value_gap(raw: &str) -> bool {
    let b = raw.trim_end().as_bytes();
    b.windows(3).any(|w| w[0] == b' ' && w[1] == b' ' && (w[2].is_ascii_digit() || matches!(w[2], b'$' | b'(' | b'-' | b'.')))
}

/// Columns where `<C>` markers start on an `<S> <C> <C>` line.
fn c_positions(raw: &str) -> Vec<usize> {
    let lower = raw.to_ascii_lowercase();
    lower.match_indices("<c>").map(|(i, _)| raw[..i].chars().count()).collect()
}

/// "- 23 -", "23", "F-4", "Page 7", "II-3" centered on a line of its own.
fn is_page_number(t: &str, indent: usize) -> bool {
    if t.len() > 12 || indent < 10 {
        return false;
    }
    let core = t.trim_matches(|c: char| c == '-' || c == ' ');
    let core = core.strip_prefix("Page ").or_else(|| core.strip_prefix("PAGE ")).unwrap_or(core);
    if core.is_empty() {
        return false;
    }
    if core.chars().all(|c| c.is_ascii_digit()) {
        return core.len() <= 3;
    }
    // F-4, A-12, II-3
    if let Some((a, b)) = core.split_once('-') {
        return a.len() <= 3
            && a.chars().all(|c| c.is_ascii_uppercase())
            && !b.is_empty()
            && b.len() <= 3
            && b.chars().all(|c| c.is_ascii_digit());
    }
    false
}



/// Running text: long, many words, no wide gaps, mostly lower case, with function words.
/// One pass over the line: most lines of a filing are prose, so this runs on nearly all.
fn looks_like_prose(raw: &str) -> bool {
    let t = crate::filing::text::trim_spaces(raw);
    if t.len() < 58 {
        return false;
    }
    // (characters are bytes in an ASCII line: no counting)
    let ascii = raw.is_ascii();
    let chars = |s: &str| if ascii { s.len() } else { s.chars().count() };
    if chars(crate::filing::text::trim_end_spaces(raw)) < 60 || chars(t) < 58 {
        return false;
    }
    // "Item 5.  Market for the Registrant's Common Equity and Related Stockholder": a heading
    if item_heading(t) {
        return false;
    }
    // sentences are made of function words; rows of month names are not (and titles in
    // capitals have function words too, but seldom a verb): see `function_word` and `verb`
    let (mut letters, mut lower, mut words, mut function_words, mut verbs) = (0usize, 0usize, 0usize, 0usize, 0usize);
    // the widest run of spaces between words: n spaces leave n - 1 empty words between them
    let (mut empties, mut most_empties) = (0usize, 0usize);
    // one pass over the bytes: most lines of a filing come here
    for w in t.as_bytes().split(|&b| b == b' ') {
        if w.is_empty() {
            empties += 1;
            most_empties = most_empties.max(empties);
            continue;
        }
        empties = 0;
        let (mut l, mut lo) = (0usize, 0usize);
        if ascii {
            for &b in w {
                l += usize::from(b.is_ascii_alphabetic());
                lo += usize::from(b.is_ascii_lowercase());
            }
        } else {
            for c in String::from_utf8_lossy(w).chars() {
                l += usize::from(c.is_alphabetic());
                lo += usize::from(c.is_lowercase());
            }
        }
        letters += l;
        lower += lo;
        if l > 0 {
            words += 1;
            // (function words and verbs are short: longer words need no comparing)
            if w.len() <= 6 {
                // compared in lower case, by a match on the bytes (a jump on the length first)
                let mut low = [0u8; 6];
                low.iter_mut().zip(w).for_each(|(l, b)| *l = b.to_ascii_lowercase());
                let lw = &low[..w.len()];
                let bare = match lw.split_last() {
                    Some((b',' | b'.' | b';' | b':', rest)) => rest,
                    _ => lw,
                };
                function_words += usize::from(function_word(lw));
                verbs += usize::from(verb(bare));
            }
        }
    }
    // headings are capitalized; running text is mostly lower case ... or all capitals in a
    // typed filing, where a long flush-left line of many function words is still a sentence
    let indent = raw.len() - raw.trim_start().len();
    let caps_sentence = lower == 0 && indent <= 8 && t.len() >= 65 && words >= 9 && function_words >= 3 && verbs > 0;
    words >= 7 && (lower * 2 > letters || caps_sentence) && function_words > 0 && most_empties < 3
}

/// Words of sentences (in lower case).
fn function_word(w: &[u8]) -> bool {
    matches!(
        w,
        b"the" | b"of" | b"and" | b"to" | b"in" | b"for" | b"a" | b"is" | b"was" | b"by" | b"with" | b"that" | b"on" | b"as" | b"at" | b"under" | b"were" | b"are" | b"which" | b"from" | b"its" | b"have"
    )
}

/// Verbs of sentences (in lower case).
fn verb(w: &[u8]) -> bool {
    matches!(w, b"is" | b"was" | b"were" | b"are" | b"had" | b"has" | b"have" | b"be" | b"been" | b"that" | b"which" | b"will")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds() {
        assert_eq!(classify_one(1, "").kind, Kind::Blank);
        assert!(matches!(classify_one(1, "   -------   -------").kind, Kind::Rule(_)));
        assert_eq!(classify_one(1, "                                     - 23 -").kind, Kind::PageMark);
        assert_eq!(classify_one(1, "                                       F-2").kind, Kind::PageMark);
        assert_eq!(classify_one(1, "<PAGE>").kind, Kind::PageMark);
        assert_eq!(classify_one(1, "<table>").kind, Kind::Tag("TABLE".into(), vec![]));
        let sc = classify_one(1, "<S>             <C>       <c>");
        assert_eq!(sc.kind, Kind::Tag("S".into(), vec![16, 26]));
        assert!(classify_one(1, "     2004                $1,641,000").is_content());
        let under = classify_one(1, "(In thousands, except per share data)              ----        ----");
        assert!(!under.has_values() && under.text().contains("thousands") && under.rule().is_some());
        assert_eq!(classify_one(1, "Preferred stock                 ---        ---").value_chunks().count(), 2);
    }

    #[test]
    fn prose_and_table_lines() {
        let p = classify_one(1, "The Company believes that its facilities, which are of varying ages and types of");
        assert!(p.prose);
        let l = classify_one(1, "Adjustments to reconcile net income to net cash");
        assert!(!l.prose);
        assert!(classify_one(1, "THE DEFERRED TAX ASSET ARISING FROM THE CARRYFORWARDS IS FULLY RESERVED:").prose);
        assert!(!classify_one(1, "        CONSOLIDATED STATEMENTS OF CHANGES IN STOCKHOLDERS' EQUITY AND OF INCOME").prose);
        assert!(!classify_one(1, "Item 5.  Market for the Registrant's Common Equity and Related Stockholder").prose);
        let d = classify_one(1, "Net sales                                           $30,238,813                $29,317,940");
        assert!(!d.prose);
        assert_eq!(d.value_chunks().count(), 2);
        // a sentence may hold runs of up to three spaces between its words, not four (a column gap)
        let gap = |n: usize| format!("The Company believes that its facilities,{}which are of varying ages and types of", " ".repeat(n));
        assert!(looks_like_prose(&gap(3)));
        assert!(!looks_like_prose(&gap(4)));
        assert!(looks_like_prose("   La Compañía cree que sus instalaciones, which are of varying ages and types of use"));
    }
}
