//! Column headers: the words printed above the columns, on one or several lines, some
//! spanning several columns ("Year ended December 31" over three years, "2003" over an
//! Options/Price pair, "GE" underlined over its group).

use super::blocks::{is_year_header, Block};
use super::lines::{Kind, Line};
use super::tokens::RuleSeg;
use super::Column;

#[derive(Debug, Default, Clone)]
pub struct Head {
    /// First line index of the header zone actually used.
    pub top: usize,
    /// Header words per column (same order as the columns), top line first.
    pub column_words: Vec<Vec<String>>,
    /// Words printed in the stub of header lines ("For the year ended December 31:").
    pub stub: Vec<String>,
    /// Lines between the title and the column headers ("(In thousands)", "December 31, 2007").
    pub caption: Vec<String>,
    /// Label-only lines between the headers and the first row: (line index, text, indent).
    pub sections: Vec<(usize, String, usize)>,
    /// 1-based numbers and texts of the column-header lines.
    pub header_lines: Vec<(usize, String)>,
}

/// Words that make a lone header phrase a period spanning all columns.
fn period_phrase(t: &str) -> bool {
    let l = t.to_ascii_lowercase();
    ["ended", "year", "month", "week", "quarter", "as of", "at ", "fiscal", "period"].iter().any(|w| l.contains(w))
        || crate::dates::find_month_day_year(t).is_some()
        || l.split(|c: char| !c.is_ascii_alphabetic()).any(|w| crate::dates::month_number(w).is_some() && w.len() >= 3)
}

/// "for each of the three years ended December 31, 2002:": the end of a sentence that
/// introduces the table (lower case, one chunk, a colon), not a column heading.
fn continues_sentence(l: &Line) -> bool {
    let [c] = l.chunks.as_slice() else { return false };
    let t = c.text.trim();
    t.ends_with(':') && t.split_whitespace().count() >= 4 && t.chars().next().is_some_and(|ch| ch.is_ascii_lowercase())
}

/// Read the header zone `start..b.first_data` (start is below the title).
pub fn read(lines: &[Line], b: &Block, cols: &[Column], value_left: usize, start: usize) -> Head {
    let mut head = Head { top: start.min(b.first_data), column_words: vec![Vec::new(); cols.len()], ..Default::default() };
    let zone: Vec<usize> = (start..b.first_data).collect();
    // a line is a header line when it prints words over the columns
    let is_header = |l: &Line| {
        l.is_content()
            && !l.prose
            && (l.chunks.iter().any(|c| c.end > value_left + 1) || is_year_header(l))
            && !lines_is_rowish(l)
            && !(l.chunks.len() == 1 && super::title::states_scale(&l.chunks[0].text))
            && !continues_sentence(l)
    };
    let mut header_idx: Vec<usize> = zone.iter().copied().filter(|&i| is_header(&lines[i])).collect();
    // a phrase starting in the stub under the year line ("LIABILITIES AND STOCKHOLDERS' EQUITY"
    // centered across the page) heads the rows below, not the columns
    if let Some(years) = header_idx.iter().position(|&i| is_year_header(&lines[i])) {
        let below_years: Vec<usize> = header_idx[years + 1..].to_vec();
        for i in below_years {
            let l = &lines[i];
            if l.chunks.len() == 1 && l.indent + 10 < value_left && !period_phrase(&l.chunks[0].text) {
                header_idx.retain(|&k| k != i);
            }
        }
    }
    // "Fiscal year ended January 31, 2001:" in the stub under the headers' underline heads the
    // rows below it (the next blocks carry the other years), not the first column
    if let Some(&first) = header_idx.first() {
        let below_rule = |i: usize| (first..i).any(|k| matches!(lines[k].kind, Kind::Rule(_)));
        header_idx.retain(|&i| {
            let l = &lines[i];
            let heading = matches!(l.chunks.as_slice(), [c] if c.start < value_left && c.text.trim_end().ends_with(':'));
            i == first || !(heading && below_rule(i))
        });
    }
    let first_h = header_idx.first().copied();
    let last_h = header_idx.last().copied();
    for &i in &zone {
        let l = &lines[i];
        if !l.is_content() {
            continue;
        }
        match (first_h, last_h) {
            (Some(f), _) if i < f => head.caption.push(l.text()),
            (_, Some(e)) if i > e => head.sections.push((i, l.text(), l.indent)),
            (None, None) => {
                // no column headers: centered lines are captions, left ones sections
                if l.indent >= 12 && l.chunks.len() == 1 && l.end() < value_left + 20 && l.indent > 2 * sections_indent(&head) {
                    if head.sections.is_empty() {
                        head.caption.push(l.text());
                        continue;
                    }
                }
                head.sections.push((i, l.text(), l.indent));
            }
            _ => {}
        }
    }
    let mut planned: Vec<(Vec<(usize, usize, String)>, Vec<Vec<usize>>)> = Vec::new();
    let mut lone: Vec<bool> = Vec::new();
    for &i in &header_idx {
        let l = &lines[i];
        head.header_lines.push((l.no, l.text()));
        let under = underline_below(lines, i, b.first_data);
        // an underline belongs to one chunk only when it spans no other chunk of the line
        let own_underline = |g: &RuleSeg, c: &super::tokens::Chunk| {
            g.start <= c.end && g.end >= c.start && l.chunks.iter().filter(|o| g.start <= o.end && g.end >= o.start).count() == 1
        };
        // "------- 1997 -------": the dashes around a word span the columns it heads
        let spans: Vec<(usize, usize)> = l
            .chunks
            .iter()
            .enumerate()
            .map(|(k, c)| {
                let left = k.checked_sub(1).map(|j| &l.chunks[j]).filter(|p| p.is_rule_run() && !c.is_rule_run() && c.start <= p.end + 2);
                let right = l.chunks.get(k + 1).filter(|n| n.is_rule_run() && !c.is_rule_run() && n.start <= c.end + 2);
                match (left, right) {
                    (Some(p), Some(n)) => (p.start, n.end),
                    // "1995(1)": a footnote mark sticking into the next column heads nothing there
                    _ if c.cell.as_ref().is_some_and(|x| x.footnote.is_some()) => (c.start, c.num_right.max(c.start + 1)),
                    _ => (c.start, c.end),
                }
            })
            .collect();
        let mut underlined = false;
        // which pieces took their span from a rule of their own
        let mut ruled: Vec<bool> = Vec::new();
        let col_chunks: Vec<(usize, usize, String)> = l
            .chunks
            .iter()
            .zip(&spans)
            // (a rule run spanning a word names nothing itself)
            .filter(|(c, sp)| !(c.is_rule_run() && spans.iter().any(|o| o.0 < o.1 && *o != (c.start, c.end) && o.0 <= c.start && o.1 >= c.end) && sp.0 == c.start))
            .filter(|(c, _)| c.end > value_left + 1 || (c.cell.as_ref().is_some_and(|x| x.is_year_like()) && c.start > 8))
            .flat_map(|(c, &(s0, e0))| {
                let (mut s, mut e) = (s0, e0);
                // ("2005" centered over the two rules of its High and Low columns: both)
                let own: Vec<&RuleSeg> = under.iter().filter(|g| own_underline(g, c)).collect();
                let by_rule = own.len() >= 2 || own.first().is_some_and(|g| g.end - g.start > e - s);
                if by_rule {
                    s = own.iter().map(|g| g.start).fold(s, usize::min);
                    e = own.iter().map(|g| g.end).fold(e, usize::max);
                }
                underlined |= by_rule;
                let pieces: Vec<(usize, usize, String)> = split_dates(s, e, &c.text, cols).into_iter().flat_map(|(s, e, t)| split_right_aligned(s, e, t, cols)).collect();
                ruled.extend(pieces.iter().map(|_| by_rule));
                pieces
            })
            .collect();
        let stub: Vec<&str> = l
            .chunks
            .iter()
            .filter(|c| !(c.end > value_left + 1 || (c.cell.as_ref().is_some_and(|x| x.is_year_like()) && c.start > 8)))
            .map(|c| c.text.as_str())
            .collect();
        if !stub.is_empty() {
            head.stub.push(stub.join(" "));
            // stub words over stub text columns name those columns
            for c in l.chunks.iter().filter(|c| c.end <= value_left + 1) {
                for col in cols.iter().filter(|k| k.text && k.right <= value_left + 1) {
                    if c.start <= col.right && c.end >= col.left {
                        head.column_words[col.index].push(c.text.clone());
                    }
                }
            }
        }
        let mut plan = plan_line(&col_chunks, cols);
        let lone_over_all = matches!(col_chunks.as_slice(), [_]) && plan[0].len() >= 2;
        // "Per Share Common Stock" and "Stock Prices" each over its own rule: a group heads
        // the columns its rule covers, not every column nearer to it than to the other group
        if col_chunks.len() >= 2 && ruled.iter().all(|r| *r) {
            for (k, (s, e, _)) in col_chunks.iter().enumerate() {
                let covered: Vec<usize> = cols.iter().filter(|c| !c.text && *s < c.right && *e > c.left).map(|c| c.index).collect();
                if !covered.is_empty() && plan[k].len() > covered.len() && covered.iter().all(|c| plan[k].contains(c)) {
                    plan[k] = covered;
                }
            }
        }
        // "Three Months Ended" underlined over the four quarters heads those, not the "Year"
        // column beside them that its rule stops short of
        if let ([(s, e, _)], true) = (col_chunks.as_slice(), underlined) {
            let covered: Vec<usize> = cols.iter().filter(|c| !c.text && *s < c.right && *e > c.left).map(|c| c.index).collect();
            if covered.len() >= 2 && plan[0].len() > covered.len() {
                plan[0] = covered;
            }
        }
        planned.push((col_chunks, plan));
        lone.push(lone_over_all);
    }
    widen_stacked(&mut planned);
    keep_own_dates(&mut planned, &lone, cols);
    for (chunks, plan) in &planned {
        for (k, idxs) in plan.iter().enumerate() {
            for &i in idxs {
                head.column_words[i].push(chunks[k].2.clone());
            }
        }
    }
    // a rule printed on a header line ("Notes  -------") held its place there; it names nothing
    for words in head.column_words.iter_mut() {
        words.retain(|w| !w.chars().all(|ch| matches!(ch, '-' | '=' | '_')));
    }
    head
}

static MONTH_DAY: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?i-u)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b").expect("static regex")
});

/// "to December 31, December 31," printed with one space between two columns' dates: one
/// piece per date when the chunk spans several columns.
/// "(13 weeks) (13 weeks) (26 weeks)" likewise: one piece per note in parentheses.
fn split_dates(s: usize, e: usize, text: &str, cols: &[Column]) -> Vec<(usize, usize, String)> {
    let mut starts: Vec<usize> = MONTH_DAY.find_iter(text).map(|m| m.start()).collect();
    let notes = text.starts_with('(') && text.ends_with(')') && text.matches('(').count() >= 2 && text.matches(") (").count() + 1 == text.matches('(').count();
    if starts.len() < 2 && notes {
        starts = text.match_indices('(').map(|(i, _)| i).collect();
    }
    // "2006-2007 Thereafter", "2003 2004-2005": years, spans of years and their neighbours one
    // space apart, one per column
    if starts.len() < 2 {
        let words: Vec<(usize, &str)> = text.split(' ').scan(0, |at, w| {
            let start = *at;
            *at += w.len() + 1;
            Some((start, w))
        }).filter(|(_, w)| !w.is_empty()).collect();
        let yearish = |w: &str| {
            let w = w.trim_end_matches(',');
            w.split(['-', '/']).all(|y| y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()))
                || ["thereafter", "total", "later", "beyond"].contains(&w.to_ascii_lowercase().as_str())
        };
        if words.len() >= 2 && words.iter().all(|(_, w)| yearish(w)) {
            starts = words.iter().map(|(i, _)| *i).collect();
        }
    }
    let spans = cols.iter().filter(|c| !c.text && s < c.right && e > c.left).count();
    if starts.len() < 2 || spans < 2 || !text.is_ascii() {
        return vec![(s, e, text.to_string())];
    }
    let mut cuts: Vec<usize> = vec![0];
    cuts.extend(starts.iter().skip(1).copied());
    cuts.push(text.len());
    cuts.windows(2)
        .filter_map(|w| {
            let piece = text[w[0]..w[1]].trim();
            let lead = text[w[0]..w[1]].len() - text[w[0]..w[1]].trim_start().len();
            (!piece.is_empty()).then(|| (s + w[0] + lead, s + w[0] + lead + piece.len(), piece.to_string()))
        })
        .collect()
}

/// A label followed by numbers that are not years is a row, even in the header zone.
fn lines_is_rowish(l: &Line) -> bool {
    !is_year_header(l) && super::blocks::cell_values(l).any(|c| c.cell.as_ref().is_some_and(|x| x.kind == crate::cells::CellKind::Number))
}

fn sections_indent(h: &Head) -> usize {
    h.sections.iter().map(|s| s.2).min().unwrap_or(0)
}

/// Rule segments on the next non-blank line below header line `i` (an underline).
fn underline_below(lines: &[Line], i: usize, stop: usize) -> Vec<RuleSeg> {
    for l in lines.iter().take(stop).skip(i + 1) {
        match &l.kind {
            Kind::Blank => continue,
            Kind::Rule(segs) => return segs.clone(),
            // a header line that mixes words and rules ("------   Additional   ------")
            Kind::Content => {
                return l
                    .chunks
                    .iter()
                    .filter(|c| c.is_rule_run())
                    .map(|c| RuleSeg { start: c.start, end: c.end, double: c.text.starts_with('=') })
                    .collect();
            }
            _ => return Vec::new(),
        }
    }
    Vec::new()
}

/// Distribute one header line's chunks over the columns.
#[cfg(test)]
fn assign_line(chunks: &[(usize, usize, String)], cols: &[Column], words: &mut [Vec<String>]) {
    for (k, idxs) in plan_line(chunks, cols).into_iter().enumerate() {
        for i in idxs {
            words[i].push(chunks[k].2.clone());
        }
    }
}

/// Distance from a column's center to a chunk's span (0 inside it), doubled.
fn gap2(c: &Column, s: usize, e: usize) -> usize {
    let center2 = c.left + c.right;
    if center2 < 2 * s {
        2 * s - center2
    } else {
        center2.saturating_sub(2 * e)
    }
}

/// The columns each chunk of one header line heads.
fn plan_line(chunks: &[(usize, usize, String)], cols: &[Column]) -> Vec<Vec<usize>> {
    let mut plan: Vec<Vec<usize>> = vec![Vec::new(); chunks.len()];
    if chunks.is_empty() || cols.is_empty() {
        return plan;
    }
    let numeric: Vec<&Column> = cols.iter().filter(|c| !c.text).collect();
    // a lone period phrase ("Year ended December 31") heads every numeric column; a note in
    // parentheses over one column ("(53 weeks)" under the year that had them) heads only it
    let one_column_note = |(s, e, t): &(usize, usize, String)| t.starts_with('(') && numeric.iter().filter(|c| *s < c.right && *e > c.left).count() == 1;
    // ... and so does a phrase over the outer column of three or more, clear of its neighbour
    // ("Period from" / "August 14, 1996" over the inception-to-date column)
    let over_outer_column = |(s, e, _): &(usize, usize, String)| {
        let over: Vec<usize> = numeric.iter().enumerate().filter(|(_, c)| *s < c.right && *e > c.left).map(|(k, _)| k).collect();
        let n = numeric.len();
        match over.as_slice() {
            [0] => n >= 3 && *e < numeric[1].left,
            [k] if *k == n - 1 => n >= 3 && numeric[n - 2].right < *s,
            _ => false,
        }
    };
    if chunks.len() == 1 && period_phrase(&chunks[0].2) && numeric.len() > 1 && !one_column_note(&chunks[0]) && !over_outer_column(&chunks[0]) {
        plan[0] = numeric.iter().map(|c| c.index).collect();
        return plan;
    }
    let overs: Vec<Vec<usize>> = chunks.iter().map(|(s, e, _)| cols.iter().filter(|c| *s < c.right && *e > c.left).map(|c| c.index).collect()).collect();
    // group names side by side, each wider than a column ("Global Financing" / "on an Equity
    // Basis"): every column goes to the nearest, so each group reaches its outer columns
    // ... and so do period phrases over as many equal groups of columns, in order, even set off
    // a little to one side ("Three Months Ended" / "Nine Months Ended" over 2004 2003 | 2004 2003)
    if chunks.len() >= 2 && numeric.len() > chunks.len() && numeric.len() % chunks.len() == 0 && chunks.iter().all(|c| period_phrase(&c.2)) && overs.iter().all(|o| o.len() == 1) {
        let per = numeric.len() / chunks.len();
        // each phrase must lie over a column of its own group
        if overs.iter().enumerate().all(|(k, o)| numeric[k * per..(k + 1) * per].iter().any(|c| c.index == o[0])) {
            for (i, c) in numeric.iter().enumerate() {
                plan[i / per].push(c.index);
            }
            return plan;
        }
    }
    if chunks.len() >= 2 && numeric.len() > chunks.len() && overs.iter().all(|o| o.len() >= 2) {
        for c in &numeric {
            if let Some(k) = (0..chunks.len()).min_by_key(|&k| gap2(c, chunks[k].0, chunks[k].1)) {
                plan[k].push(c.index);
            }
        }
        return plan;
    }
    let mut got = vec![false; cols.len()];
    let mut unbound: Vec<usize> = Vec::new();
    for (k, (s, e, _)) in chunks.iter().enumerate() {
        let over = &overs[k];
        if over.is_empty() {
            unbound.push(k);
            continue;
        }
        if over.len() == 1 {
            let c = &cols[over[0]];
            let center2 = s + e;
            // centered in a gap: it heads its neighbours too (decided below)
            if center2 < 2 * c.left || center2 > 2 * c.right {
                unbound.push(k);
                continue;
            }
        }
        let (lo, hi) = (over[0], *over.last().unwrap_or(&over[0]));
        for idx in lo..=hi {
            if !got[idx] {
                plan[k].push(idx);
                got[idx] = true;
            }
        }
    }
    if unbound.is_empty() {
        return plan;
    }
    // unbound chunks head the nearest columns that got nothing from this line
    for c in cols.iter().filter(|c| !c.text) {
        if got[c.index] {
            continue;
        }
        let center2 = c.left + c.right;
        // ... when near enough to head them: a word centered in one gap heads that gap's
        // columns, not one at the far end of the line
        let best = unbound
            .iter()
            .filter(|&&k| {
                let (s, e, _) = &chunks[k];
                let d = (s + e).abs_diff(center2);
                // the nearest column of all: a word well off-center heads only that one
                let nearest = numeric.iter().map(|o| (s + e).abs_diff(o.left + o.right)).min().unwrap_or(d);
                d <= (e - s) + (c.right - c.left) + 16 && 2 * d <= 3 * nearest + 8
            })
            .min_by_key(|&&k| {
                let (s, e, _) = &chunks[k];
                (s + e).abs_diff(center2)
            });
        if let Some(&k) = best {
            plan[k].push(c.index);
            got[c.index] = true;
        }
    }
    plan
}

/// "of Shares Price Paid" printed one space apart over two right-aligned columns: each piece
/// ends where its column ends, so each heads its own.
fn split_right_aligned(s: usize, e: usize, text: String, cols: &[Column]) -> Vec<(usize, usize, String)> {
    let over: Vec<&Column> = cols.iter().filter(|c| !c.text && s < c.right && e > c.left).collect();
    if let [a, b] = over[..] {
        // (never a period phrase: "Three Months Ended" is one heading over both columns)
        // (only where the span is the text's own, not widened to a rule)
        if e - s == text.len() && e.abs_diff(b.right) <= 1 && text.is_ascii() && !period_phrase(&text) && !text.bytes().any(|ch| ch.is_ascii_digit()) {
            for (p, _) in text.match_indices(' ') {
                let left_end = s + p;
                let right_start = left_end + 1;
                if left_end.abs_diff(a.right) <= 1 && right_start > a.right && !text[..p].ends_with(' ') && !text[p + 1..].starts_with(' ') {
                    return vec![(s, left_end, text[..p].to_string()), (right_start, e, text[p + 1..].to_string())];
                }
            }
        }
    }
    vec![(s, e, text)]
}

/// "DECEMBER 31," alone on a line over the two year columns does not head a third column
/// clear of it that prints a date of its own on another line ("Cumulative from inception
/// (March 3, 1999) to December 31," over "2001").
fn keep_own_dates(planned: &mut [(Vec<(usize, usize, String)>, Vec<Vec<usize>>)], lone: &[bool], cols: &[Column]) {
    let dated = |t: &str| MONTH_DAY.is_match(t);
    for li in 0..planned.len() {
        if !lone.get(li).copied().unwrap_or(false) || !dated(&planned[li].0[0].2) {
            continue;
        }
        let (s, e) = (planned[li].0[0].0, planned[li].0[0].1);
        let own_date = |ci: usize| {
            planned.iter().enumerate().any(|(lj, (chunks, plan))| lj != li && plan.iter().enumerate().any(|(k, idxs)| idxs.contains(&ci) && idxs.len() == 1 && dated(&chunks[k].2)))
        };
        let drop: Vec<usize> = planned[li].1[0].iter().copied().filter(|&ci| cols.get(ci).is_some_and(|c| s >= c.right || e <= c.left) && own_date(ci)).collect();
        if !drop.is_empty() && drop.len() < planned[li].1[0].len() {
            planned[li].1[0].retain(|ci| !drop.contains(ci));
        }
    }
}

/// A group name printed over two lines ("IBM with Global Financing" / "on an Equity Basis")
/// heads on its upper line every column its lower line heads.
fn widen_stacked(planned: &mut [(Vec<(usize, usize, String)>, Vec<Vec<usize>>)]) {
    for i in (0..planned.len().saturating_sub(1)).rev() {
        let (upper, lower) = planned.split_at_mut(i + 1);
        let (chunks, plan) = &mut upper[i];
        let (lchunks, lplan) = &lower[0];
        for (k, (s, e, _)) in chunks.iter().enumerate() {
            let below: Vec<usize> = lchunks.iter().enumerate().filter(|(_, (ls, le, _))| s < le && e > ls).map(|(j, _)| j).collect();
            if let [j] = below[..] {
                let wider = &lplan[j];
                if wider.len() > plan[k].len() && plan[k].iter().all(|c| wider.contains(c)) && !plan[k].is_empty() {
                    let taken: Vec<usize> = plan.iter().enumerate().filter(|(m, _)| *m != k).flat_map(|(_, p)| p.iter().copied()).collect();
                    if wider.iter().all(|c| !taken.contains(c)) {
                        plan[k] = wider.clone();
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(i: usize, l: usize, r: usize) -> Column {
        Column { index: i, left: l, right: r, num_right: r, header: vec![], text: false }
    }

    #[test]
    fn lone_period_phrase_spans_all() {
        let cols = vec![col(0, 59, 72), col(1, 83, 95), col(2, 105, 116)];
        let mut w = vec![vec![]; 3];
        assign_line(&[(74, 96, "Year ended December 31".into())], &cols, &mut w);
        assert!(w.iter().all(|x| x == &vec!["Year ended December 31".to_string()]));
    }

    #[test]
    fn a_period_phrase_over_the_last_column_heads_only_it() {
        let cols = vec![col(0, 52, 64), col(1, 68, 78), col(2, 82, 94)];
        let mut w = vec![vec![]; 3];
        assign_line(&[(83, 94, "Period from".into())], &cols, &mut w);
        assign_line(&[(79, 94, "August 14, 1996".into())], &cols, &mut w);
        assert_eq!(w, vec![vec![], vec![], vec!["Period from".to_string(), "August 14, 1996".to_string()]]);
    }

    #[test]
    fn period_phrases_over_pairs_of_columns_set_off_to_one_side() {
        let cols = vec![col(0, 48, 55), col(1, 61, 68), col(2, 74, 81), col(3, 87, 94)];
        let mut w = vec![vec![]; 4];
        assign_line(&[(42, 60, "Three Months Ended".into()), (68, 85, "Nine Months Ended".into())], &cols, &mut w);
        assert_eq!(w[1], vec!["Three Months Ended".to_string()]);
        assert_eq!(w[3], vec!["Nine Months Ended".to_string()]);
    }

    #[test]
    fn years_over_options_and_price_pairs() {
        let cols = vec![col(0, 37, 43), col(1, 50, 58), col(2, 65, 72), col(3, 76, 85), col(4, 93, 100), col(5, 104, 113)];
        let mut w = vec![vec![]; 6];
        assign_line(&[(44, 48, "2003".into()), (73, 77, "2002".into()), (100, 104, "2001".into())], &cols, &mut w);
        let firsts: Vec<&str> = w.iter().map(|x| x[0].as_str()).collect();
        assert_eq!(firsts, vec!["2003", "2003", "2002", "2002", "2001", "2001"]);
        let mut w2 = vec![vec![]; 6];
        assign_line(&[(50, 58, "Weighted".into()), (78, 86, "Weighted".into()), (105, 113, "Weighted".into())], &cols, &mut w2);
        assert!(w2[0].is_empty() && w2[2].is_empty() && w2[4].is_empty());
        assert_eq!(w2[1], vec!["Weighted".to_string()]);
    }

    #[test]
    fn a_lone_date_does_not_head_a_column_with_its_own() {
        let cols = vec![col(0, 42, 52), col(1, 55, 65), col(2, 68, 80)];
        let line = |chunks: Vec<(usize, usize, &str)>| -> Vec<(usize, usize, String)> { chunks.into_iter().map(|(s, e, t)| (s, e, t.to_string())).collect() };
        let a = line(vec![(48, 59, "YEARS ENDED"), (66, 82, "to December 31,")]);
        let b = line(vec![(47, 59, "DECEMBER 31,")]);
        let mut planned = vec![(a.clone(), plan_line(&a, &cols)), (b.clone(), plan_line(&b, &cols))];
        assert_eq!(planned[1].1[0], vec![0, 1, 2]);
        keep_own_dates(&mut planned, &[false, true], &cols);
        assert_eq!(planned[1].1[0], vec![0, 1]);
    }

    #[test]
    fn words_one_space_apart_over_right_aligned_columns() {
        let cols = vec![col(0, 35, 41), col(1, 46, 52)];
        let got = split_right_aligned(32, 52, "of Shares Price Paid".into(), &cols);
        assert_eq!(got, vec![(32, 41, "of Shares".to_string()), (42, 52, "Price Paid".to_string())]);
        // a period phrase stays whole
        assert_eq!(split_right_aligned(32, 52, "Three Months Ended".into(), &cols).len(), 1);
    }

    #[test]
    fn underlined_group_heads_its_columns() {
        let cols = vec![col(0, 64, 71), col(1, 76, 83), col(2, 88, 95), col(3, 100, 107)];
        let mut w = vec![vec![]; 4];
        // "GE" widened to its underline 62..96
        assign_line(&[(62, 96, "GE".into()), (99, 110, "GECS".into())], &cols, &mut w);
        assert_eq!(w[0], vec!["GE".to_string()]);
        assert_eq!(w[2], vec!["GE".to_string()]);
        assert_eq!(w[3], vec!["GECS".to_string()]);
    }
}

