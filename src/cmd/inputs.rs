//! Expand the paths a user gives (files, directories, globs) into input files.

use std::path::{Path, PathBuf};

/// Files to load, in a stable order, and the arguments that matched nothing.
pub fn expand(args: &[PathBuf]) -> (Vec<PathBuf>, Vec<String>) {
    let mut files = Vec::new();
    let mut missing = Vec::new();
    for a in args {
        let s = a.to_string_lossy();
        if a.is_dir() {
            walk(a, &mut files);
        } else if a.exists() {
            files.push(a.clone());
        } else if s.contains(['*', '?', '[']) {
            let before = files.len();
            if let Ok(paths) = glob::glob(&s) {
                for p in paths.flatten() {
                    if p.is_dir() {
                        walk(&p, &mut files);
                    } else {
                        files.push(p);
                    }
                }
            }
            if files.len() == before {
                missing.push(s.into_owned());
            }
        } else {
            missing.push(s.into_owned());
        }
    }
    (files, missing)
}

/// Filing-like files under a directory (text filings: .txt, .nc, .sgml, .pem or no extension).
fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out);
        } else if is_filing_name(&p) {
            out.push(p);
        }
    }
}

fn is_filing_name(p: &Path) -> bool {
    let name = p.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    if name.starts_with('.') {
        return false;
    }
    match p.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()) {
        None => true,
        Some(e) => matches!(e.as_str(), "txt" | "nc" | "sgml" | "pem" | "asc"),
    }
}
