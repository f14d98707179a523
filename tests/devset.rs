//! Real filings of other companies and decades, read in place from ../shared/devset
//! (never copied into the repository). Skipped with a message where it is absent.

mod common;

use common::*;

#[test]
fn devset_key_facts() {
    let Some(shared) = shared() else {
        eprintln!("SKIPPED: ../shared/devset is not present beside the repository");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut files: Vec<_> = std::fs::read_dir(shared.join("devset/filings")).unwrap().flatten().map(|e| e.path()).collect();
    files.sort();
    assert_eq!(files.len(), 5, "five dev-set filings");
    // all five load without error (load() panics on any)
    let wh = load(&files, dir.path());
    let s = score(&read_gold(&shared.join("devset/gold")), &facts(&wh));
    eprintln!("devset accuracy (partial gold): {}", s.summary());
    for m in s.misses.iter().chain(s.wrong.iter()).take(40) {
        eprintln!("  {m}");
    }
    assert!(s.recall() >= 95.0, "key-fact recall {}", s.recall());
    assert!(s.period_accuracy() >= 98.0, "period accuracy {}", s.period_accuracy());
    assert!(s.unit_accuracy() >= 99.0, "unit accuracy {}", s.unit_accuracy());
    assert!(s.concept_accuracy() >= 95.0, "concept accuracy {}", s.concept_accuracy());
}
