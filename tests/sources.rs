//! The sources hold no stray control characters (a `\b` typed into a generated regex once
//! became a backspace byte: the pattern compiled and silently never matched).

mod common;
use common::root;

#[test]
fn no_control_characters_in_sources_or_maps() {
    let mut bad = Vec::new();
    for dir in ["src", "src/cmd", "src/filing", "src/layout", "src/store", "src/export", "sql"] {
        let Ok(entries) = std::fs::read_dir(root().join(dir)) else { continue };
        for e in entries.flatten() {
            let p = e.path();
            if !p.is_file() {
                continue;
            }
            let bytes = std::fs::read(&p).unwrap();
            if let Some(i) = bytes.iter().position(|&b| b < 0x20 && b != b'\n' && b != b'\r' && b != b'\t') {
                let line = bytes[..i].iter().filter(|&&b| b == b'\n').count() + 1;
                bad.push(format!("{}:{line}: byte {:#04x}", p.display(), bytes[i]));
            }
        }
    }
    assert!(bad.is_empty(), "control characters: {bad:?}");
}
