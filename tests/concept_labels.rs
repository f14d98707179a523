//! The concept map over a hand-made list of printed row labels and the elements an XBRL filer
//! would use (fixtures/concepts/labels.csv, written from accounting knowledge, not from the
//! map): how often a label alone, in its statement and section, finds its element.

use edgarfacts::concepts::{map_label, normalize_label, ConceptMap};

mod common;
use common::root;

#[test]
fn printed_labels_find_their_elements() {
    let acc = score_list("fixtures/concepts/labels.csv", 2000);
    assert!(acc >= 90.5, "{acc:.1}% of labels find their element");
}

/// A second list written later, of other wording (none of its labels is in the first), on
/// which the map was not tuned before it was measured.
#[test]
fn a_second_list_of_other_wording() {
    let acc = score_list("fixtures/concepts/labels2.csv", 2500);
    assert!(acc >= 76.5, "{acc:.1}% of labels find their element");
}

/// The share of a list's labels whose element the map finds (misses printed).
fn score_list(path: &str, min_rows: usize) -> f64 {
    let map = ConceptMap::builtin().unwrap();
    let mut rdr = csv::Reader::from_path(root().join(path)).unwrap();
    let (mut n, mut hit) = (0usize, 0usize);
    let mut misses = Vec::new();
    for rec in rdr.records() {
        let rec = rec.unwrap();
        let (statement, section, label, concept) = (&rec[0], &rec[1], &rec[2], &rec[3]);
        let got = map_label(&map, statement, section, &[], &normalize_label(label)).unwrap_or_else(|| "-".into());
        n += 1;
        if got == concept {
            hit += 1;
        } else {
            misses.push(format!("{statement},{section},{label:?}: want {concept}, got {got}"));
        }
    }
    let acc = 100.0 * hit as f64 / n.max(1) as f64;
    eprintln!("{path}: {hit} of {n} labels ({acc:.1}%) find their element");
    for m in &misses {
        eprintln!("    {m}");
    }
    assert!(n >= min_rows, "{path} has {n} labels");
    acc
}
