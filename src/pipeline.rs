//! Parse one input file through every stage short of the store. Panics inside a stage
//! are caught and reported for that file only.

use crate::concepts::ConceptMap;
use crate::facts::{self, Extracted};
use crate::filing::{self, Filing};
use std::path::Path;

#[derive(Debug)]
pub struct Parsed {
    pub filing: Filing,
    pub extracted: Extracted,
}

#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    #[error(transparent)]
    Read(#[from] filing::ReadError),
    #[error("{file}: internal error while laying out tables: {msg}")]
    Panic { file: String, msg: String },
}

impl ParseError {
    pub fn stage(&self) -> &'static str {
        match self {
            ParseError::Read(_) => "read",
            ParseError::Panic { .. } => "panic",
        }
    }
}

/// Read and parse one file.
pub fn parse_path(path: &Path, cik: Option<&str>, map: &ConceptMap) -> Result<Parsed, ParseError> {
    let filing = filing::read_path(path, cik)?;
    parse_filing(filing, map)
}

pub fn parse_filing(filing: Filing, map: &ConceptMap) -> Result<Parsed, ParseError> {
    let res = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| facts::extract(&filing, map)));
    match res {
        Ok(extracted) => Ok(Parsed { filing, extracted }),
        Err(p) => {
            let msg = p
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "panic".into());
            Err(ParseError::Panic { file: filing.source_path.clone(), msg })
        }
    }
}
