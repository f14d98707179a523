//! Columns of a block: numbers cluster on their right edges; dashes and words join the
//! column they sit in; words that line up in the stub or between numbers form text columns.

use super::blocks::{cell_values, Block};
use super::lines::Line;
use super::tokens::Chunk;
use super::Column;
use crate::cells::CellKind;

/// Most a number's right edge may drift within one column.
const EDGE_SLACK: usize = 2;

#[derive(Debug, Clone)]
struct Cluster {
    left: usize,
    right: usize,
    min_nr: usize,
    max_nr: usize,
    lines: Vec<usize>,
    /// Member chunk is followed by words on its line (a number inside running text).
    embedded: usize,
}

pub fn find(lines: &[Line], b: &Block) -> Vec<Column> {
    let mut numbers: Vec<(usize, &Chunk, bool)> = Vec::new();
    let mut others: Vec<(usize, &Chunk, bool)> = Vec::new();
    for &i in &b.data {
        let l = &lines[i];
        for c in cell_values(l) {
            let embedded = l.chunks.iter().any(|o| o.start > c.end && !o.is_value());
            match c.cell.as_ref().map(|x| x.kind) {
                Some(CellKind::Number) => numbers.push((i, c, embedded)),
                _ => others.push((i, c, embedded)),
            }
        }
    }
    let mut clusters = cluster(&numbers);
    // dashes, N/A: join an overlapping or near column, else make their own
    let mut rest = Vec::new();
    for (i, c, e) in others {
        match nearest(&clusters, c) {
            Some(k) => add(&mut clusters[k], i, c, e),
            None => rest.push((i, c, e)),
        }
    }
    clusters.extend(cluster(&rest));
    // a lone number followed by words in a table of many rows is part of a label
    let many = b.data.len() >= 3;
    clusters.retain(|k| !(many && k.lines.len() == 1 && k.embedded == 1));
    clusters.sort_by_key(|k| k.left);

    let mut cols: Vec<Column> = clusters
        .iter()
        .map(|k| Column { index: 0, left: k.left, right: k.right, num_right: k.max_nr, header: Vec::new(), text: false })
        .collect();
    if cols.is_empty() {
        return cols;
    }
    let value_left = cols.iter().map(|c| c.left).min().unwrap_or(0);
    cols.extend(text_columns(lines, b, &cols, value_left));
    cols.sort_by_key(|c| c.left);
    for (i, c) in cols.iter_mut().enumerate() {
        c.index = i;
    }
    cols
}

fn cluster(items: &[(usize, &Chunk, bool)]) -> Vec<Cluster> {
    let mut sorted: Vec<&(usize, &Chunk, bool)> = items.iter().collect();
    sorted.sort_by_key(|(_, c, _)| c.num_right);
    let mut out: Vec<Cluster> = Vec::new();
    for &&(i, c, e) in &sorted {
        if let Some(k) = out.last_mut() {
            let fits = c.num_right <= k.max_nr + EDGE_SLACK && c.num_right <= k.min_nr + EDGE_SLACK + 1 && !k.lines.contains(&i);
            if fits {
                add(k, i, c, e);
                continue;
            }
        }
        out.push(Cluster { left: c.start, right: c.end, min_nr: c.num_right, max_nr: c.num_right, lines: vec![i], embedded: e as usize });
    }
    out
}

fn add(k: &mut Cluster, i: usize, c: &Chunk, embedded: bool) {
    k.left = k.left.min(c.start);
    k.right = k.right.max(c.end);
    k.min_nr = k.min_nr.min(c.num_right);
    k.max_nr = k.max_nr.max(c.num_right);
    k.lines.push(i);
    k.embedded += embedded as usize;
}

fn nearest(clusters: &[Cluster], c: &Chunk) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None;
    for (k, cl) in clusters.iter().enumerate() {
        let overlaps = c.start <= cl.right && c.end + 1 >= cl.left;
        let dist = c.num_right.abs_diff(cl.max_nr);
        if overlaps || dist <= 4 {
            if best.is_none_or(|(_, d)| dist < d) {
                best = Some((k, dist));
            }
        }
    }
    best.map(|(k, _)| k)
}

/// Words that line up across rows, in the stub (IBM's "Notes" letters) or among the
/// numbers (an officer's title), are columns of text.
fn text_columns(lines: &[Line], b: &Block, numeric: &[Column], value_left: usize) -> Vec<Column> {
    let mut spans: Vec<(usize, usize, usize)> = Vec::new(); // (start, end, line)
    for &i in &b.data {
        let l = &lines[i];
        for (ci, c) in l.chunks.iter().enumerate() {
            if c.is_value() || ci == 0 {
                continue;
            }
            if numeric.iter().any(|n| c.start <= n.right && c.end >= n.left) {
                continue;
            }
            spans.push((c.start, c.end, i));
        }
    }
    spans.sort();
    let mut out: Vec<Column> = Vec::new();
    let mut support: Vec<Vec<usize>> = Vec::new();
    for (s, e, i) in spans {
        let in_stub = e <= value_left;
        match out.iter().position(|c| if in_stub { c.left.abs_diff(s) <= 1 } else { s <= c.right && e >= c.left }) {
            Some(k) => {
                out[k].right = out[k].right.max(e);
                if !support[k].contains(&i) {
                    support[k].push(i);
                }
            }
            None => {
                out.push(Column { index: 0, left: s, right: e, num_right: e, header: Vec::new(), text: true });
                support.push(vec![i]);
            }
        }
    }
    out.into_iter()
        .zip(support)
        .filter(|(c, s)| s.len() >= 2 || c.left >= value_left)
        .map(|(c, _)| c)
        .collect()
}

/// The column a chunk of a row belongs to.
pub fn assign(cols: &[Column], c: &Chunk) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None;
    for col in cols {
        let overlaps = c.start <= col.right && c.end >= col.left;
        let dist = if col.text { c.start.abs_diff(col.left) } else { c.num_right.abs_diff(col.num_right) };
        let ok = overlaps || (!col.text && c.is_value() && dist <= 4);
        if ok && best.is_none_or(|(_, d)| dist < d) {
            best = Some((col.index, dist));
        }
    }
    best.map(|(i, _)| i)
}
