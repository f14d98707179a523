//! `edgarfacts bench-corpus`: a deterministic benchmark corpus made from the bundled
//! fixtures: every filing gets its own EDGAR header (accession number, CIK, company), its
//! years shifted, its scale statement varied, and extra notes borrowed from other fixtures,
//! so a thousand filings look like a decade of a few hundred companies.

use std::path::{Path, PathBuf};

/// Write a benchmark corpus of varied filings (for `make bench`).
///
/// Examples:
///   edgarfacts bench-corpus --out /tmp/corpus                    # 1,000 filings, ~150 MB
///   edgarfacts bench-corpus --out /tmp/small --filings 50
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Folder to write (created; existing files of the same names are overwritten)
    #[arg(long)]
    pub out: PathBuf,
    /// Number of filings
    #[arg(long, default_value_t = 1000)]
    pub filings: usize,
    /// Approximate size of each filing in KB (notes are appended up to this size)
    #[arg(long, default_value_t = 150)]
    pub kb: usize,
    /// Folder of template filings (default: fixtures/seeds and fixtures/synthetic)
    #[arg(long)]
    pub templates: Vec<PathBuf>,
}

/// A small deterministic generator (no dependency, same corpus on every machine).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn templates(dirs: &[PathBuf]) -> anyhow::Result<Vec<String>> {
    let mut out = Vec::new();
    for d in dirs {
        let mut files: Vec<PathBuf> = std::fs::read_dir(d)?.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "txt")).collect();
        files.sort();
        for f in files {
            let bytes = std::fs::read(&f)?;
            // templates are the document bodies: drop any envelope they carry
            // ASCII only, so any byte offset is a character boundary
            let text: String = String::from_utf8_lossy(&bytes).replace('\r', "").chars().map(|c| if c.is_ascii() { c } else { '?' }).collect();
            let body = match (text.find("<TEXT>"), text.rfind("</TEXT>")) {
                (Some(a), Some(b)) if a < b => text[a + 6..b].to_string(),
                _ => text,
            };
            out.push(body);
        }
    }
    anyhow::ensure!(!out.is_empty(), "no template filings found in {dirs:?}");
    Ok(out)
}

/// Shift every plausible year (1990-2009) by `by` years.
fn shift_years(text: &str, by: i32) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut last = 0;
    while i + 4 <= b.len() {
        let is_year = (b[i] == b'1' && b[i + 1] == b'9' && b[i + 2] == b'9' || b[i] == b'2' && b[i + 1] == b'0' && b[i + 2] == b'0')
            && b[i + 3].is_ascii_digit()
            && (i == 0 || !b[i - 1].is_ascii_digit() && b[i - 1] != b',')
            && (i + 4 == b.len() || !b[i + 4].is_ascii_digit() && b[i + 4] != b',');
        if is_year {
            let y: i32 = text[i..i + 4].parse().unwrap_or(2000);
            out.push_str(&text[last..i]);
            out.push_str(&(y + by).to_string());
            i += 4;
            last = i;
        } else {
            i += 1;
        }
    }
    out.push_str(&text[last..]);
    out
}

pub fn run(a: Args) -> anyhow::Result<i32> {
    let dirs = if a.templates.is_empty() {
        vec![PathBuf::from("fixtures/seeds"), PathBuf::from("fixtures/synthetic")]
    } else {
        a.templates.clone()
    };
    let bodies = templates(&dirs)?;
    std::fs::create_dir_all(&a.out)?;
    let mut rng = Rng(0x0ED6_A2F4_C7);
    let mut total = 0u64;
    for i in 0..a.filings {
        let body = &bodies[rng.below(bodies.len())];
        let shift = rng.below(9) as i32 - 4;
        let mut text = shift_years(body, shift);
        if rng.below(3) == 0 {
            text = text.replace("(in thousands", "(in millions").replace("(In thousands", "(In millions");
        }
        // notes from other filings until the filing has its size
        while text.len() < a.kb * 1024 {
            let other = &bodies[rng.below(bodies.len())];
            let start = rng.below(other.len() / 2);
            let start = other[..start].rfind('\n').map(|p| p + 1).unwrap_or(0);
            let end = (start + 20_000).min(other.len());
            let end = other[..end].rfind('\n').unwrap_or(end);
            text.push_str("\n\n");
            text.push_str(&other[start..end]);
        }
        let cik = 100_000 + (i % 300) * 37;
        let year = 1994 + (i / 300) as i32 + shift;
        let header = format!(
            "<SEC-DOCUMENT>0000{cik}-{:02}-{:06}.txt : {year}0315\n<SEC-HEADER>0000{cik}-{:02}-{:06}.hdr.sgml : {year}0315\n\
ACCESSION NUMBER:\t\t0000{cik}-{:02}-{:06}\nCONFORMED SUBMISSION TYPE:\t10-K\nPUBLIC DOCUMENT COUNT:\t\t1\n\
CONFORMED PERIOD OF REPORT:\t{}1231\nFILED AS OF DATE:\t\t{year}0315\n\nFILER:\n\n\tCOMPANY DATA:\t\n\
\t\tCOMPANY CONFORMED NAME:\t\t\tBENCH COMPANY {cik} INC\n\t\tCENTRAL INDEX KEY:\t\t\t0000{cik}\n\
\t\tFISCAL YEAR END:\t\t\t1231\n</SEC-HEADER>\n<DOCUMENT>\n<TYPE>10-K\n<SEQUENCE>1\n<TEXT>\n",
            year % 100, i, year % 100, i, year % 100, i, year - 1
        );
        let doc = format!("{header}{text}\n</TEXT>\n</DOCUMENT>\n</SEC-DOCUMENT>\n");
        total += doc.len() as u64;
        let path = a.out.join(format!("bench_{i:05}.txt"));
        std::fs::write(&path, doc).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    }
    eprintln!("wrote {} filings, {:.1} MB, to {}", a.filings, total as f64 / 1e6, display(&a.out));
    Ok(0)
}

fn display(p: &Path) -> String {
    p.display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_shift_but_amounts_do_not() {
        assert_eq!(shift_years("December 31, 2003 and 2002: $1,998 and 2,003", 2), "December 31, 2005 and 2004: $1,998 and 2,003");
        assert_eq!(shift_years("1999", -1), "1998");
    }
}
