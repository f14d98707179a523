//! Stage 1: read a filing. Bytes -> clean lines, envelope (header + documents), metadata.

pub mod cover;
pub mod envelope;
pub mod header;
pub mod text;

pub use envelope::Document;
pub use header::HeaderFields;

use sha2::{Digest, Sha256};
use std::path::Path;

/// A filing ready for layout: clean lines (index 0 = line 1) and where its documents are.
#[derive(Debug)]
pub struct Filing {
    /// The input file's base name (provenance).
    pub source_file: String,
    pub source_path: String,
    pub filing_id: String,
    pub meta: HeaderFields,
    /// Where each field came from: "header" or "cover".
    pub meta_source: &'static str,
    pub entity: EntityKeys,
    pub documents: Vec<Document>,
    pub lines: Vec<String>,
    pub bytes: u64,
    pub sha256: String,
    pub had_sgml: bool,
    pub decoded_8bit: bool,
    /// The form type the cover page prints, and its line, when it can be read.
    pub cover_form_type: Option<String>,
    pub cover_form_line: Option<usize>,
    /// The text has an `<ARTICLE>` tag somewhere (one search of the whole text): only then can a
    /// document not typed EX-27 hold a financial data schedule without saying `<FDS>` first.
    pub has_article_tag: bool,
}

/// Keys that identify the company across filings (the store resolves them to one entity).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntityKeys {
    pub cik: Option<String>,
    pub file_number: Option<String>,
    pub irs_number: Option<String>,
    pub name_key: Option<String>,
}

impl EntityKeys {
    /// A stable id for a new entity: the CIK when known, else the best other key.
    pub fn preferred_id(&self) -> String {
        if let Some(c) = &self.cik {
            return format!("cik:{c}");
        }
        if let Some(f) = &self.file_number {
            return format!("file:{f}");
        }
        if let Some(i) = &self.irs_number {
            return format!("irs:{i}");
        }
        if let Some(n) = &self.name_key {
            return format!("name:{n}");
        }
        "unknown".into()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{file}: cannot read: {source}")]
    Io { file: String, source: std::io::Error },
    #[error("{file}: empty file (0 bytes)")]
    Empty { file: String },
    #[error("{file}: line 1: binary data, not a text filing")]
    Binary { file: String },
    #[error("{file}: is a directory, not a filing")]
    Directory { file: String },
}

/// Read and decode a filing from disk.
pub fn read_path(path: &Path, cik_override: Option<&str>) -> Result<Filing, ReadError> {
    let file = path.display().to_string();
    if path.is_dir() {
        return Err(ReadError::Directory { file });
    }
    let bytes = std::fs::read(path).map_err(|source| ReadError::Io { file: file.clone(), source })?;
    from_bytes(path, &bytes, cik_override)
}

/// Read a filing from bytes already in memory (`path` names it for provenance).
pub fn from_bytes(path: &Path, bytes: &[u8], cik_override: Option<&str>) -> Result<Filing, ReadError> {
    let file = path.display().to_string();
    if bytes.is_empty() {
        return Err(ReadError::Empty { file });
    }
    if text::looks_binary(bytes) {
        return Err(ReadError::Binary { file });
    }
    let decoded = text::decode(bytes);
    let lines = text::clean_lines(&decoded.text);
    let has_article_tag = decoded.text.contains("<ARTICLE>");
    let env = envelope::parse(&lines);
    let sha256 = hex(&Sha256::digest(bytes));

    let mut meta = env.header.clone();
    let main = main_document(&env.documents);
    let meta_source = if meta.company_name.is_some() || meta.cik.is_some() { "header" } else { "cover" };
    let mut cover_form_type = None;
    let mut cover_form_line = None;
    if let Some(doc) = main {
        let first = doc.start.saturating_sub(1).min(lines.len());
        let slice = &lines[first..doc.end.min(lines.len()).max(first)];
        let cover = cover::infer(slice);
        cover_form_type = cover.form_type.clone();
        cover_form_line = cover::form_line(slice).map(|i| first + i + 1);
        meta.merge_missing(cover);
    }
    // an annual report's period ends on the fiscal year end
    if meta.fiscal_year_end.is_none() && meta.form_type.as_deref().is_some_and(|t| t.starts_with("10-K")) {
        meta.fiscal_year_end = meta.period_of_report.map(|d| (chrono::Datelike::month(&d), chrono::Datelike::day(&d)));
    }
    if let Some(c) = cik_override {
        meta.cik = Some(header::normalize_cik(c));
    }
    let mut documents = env.documents;
    for d in documents.iter_mut() {
        if d.doc_type.is_empty() {
            d.doc_type = meta.form_type.clone().unwrap_or_default();
        }
    }
    let filing_id = match &meta.accession {
        Some(a) => a.clone(),
        None => format!("sha256:{}", &sha256[..16]),
    };
    let entity = EntityKeys {
        cik: meta.cik.clone(),
        file_number: meta.file_number.clone(),
        irs_number: meta.irs_number.clone(),
        name_key: meta.company_name.as_deref().map(name_key),
    };
    Ok(Filing {
        source_file: path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or(file.clone()),
        source_path: file,
        filing_id,
        meta,
        meta_source,
        entity,
        documents,
        lines,
        bytes: bytes.len() as u64,
        sha256,
        had_sgml: env.has_sgml,
        decoded_8bit: decoded.lossy_8bit,
        cover_form_type,
        cover_form_line,
        has_article_tag,
    })
}

/// The document that holds the form itself (its cover page).
fn main_document(docs: &[Document]) -> Option<&Document> {
    docs.iter()
        .find(|d| {
            let t = d.doc_type.to_ascii_uppercase();
            t.starts_with("10-") || t.starts_with("10K") || t.starts_with("10Q")
        })
        .or_else(|| docs.first())
}

/// Company names compare without case, punctuation or corporate suffixes.
pub fn name_key(name: &str) -> String {
    const SUFFIXES: [&str; 10] = ["inc", "incorporated", "corp", "corporation", "co", "company", "ltd", "llc", "plc", "the"];
    name.to_ascii_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty() && !SUFFIXES.contains(w))
        .collect::<Vec<_>>()
        .join(" ")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_keys_ignore_suffixes() {
        assert_eq!(name_key("American Locker Group Incorporated"), "american locker group");
        assert_eq!(name_key("AMERICAN LOCKER GROUP INC"), "american locker group");
    }

    #[test]
    fn errors_name_the_file() {
        let e = from_bytes(Path::new("x/empty.txt"), b"", None).unwrap_err();
        assert!(e.to_string().contains("x/empty.txt"));
        let e = from_bytes(Path::new("blob.gif"), &[0u8; 64], None).unwrap_err();
        assert!(e.to_string().contains("blob.gif: line 1: binary"));
    }

    #[test]
    fn content_hash_id_without_accession() {
        let f = from_bytes(Path::new("a.txt"), b"FORM 10-K\nfor the fiscal year ended June 30, 1998\n", None).unwrap();
        assert!(f.filing_id.starts_with("sha256:"));
        assert_eq!(f.meta.form_type.as_deref(), Some("10-K"));
        assert_eq!(f.documents.len(), 1);
        let g = from_bytes(Path::new("b.txt"), b"FORM 10-K\nfor the fiscal year ended June 30, 1998\n", Some("0000012345")).unwrap();
        assert_eq!(f.filing_id, g.filing_id);
        assert_eq!(g.entity.preferred_id(), "cik:12345");
    }
}
