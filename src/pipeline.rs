//! Parse one input file through every stage short of the store. Panics inside a stage
//! are caught and reported for that file only.

use crate::concepts::ConceptMap;
use crate::facts::{self, Extracted};
use crate::filing::{self, Filing};
use std::path::Path;
use std::time::{Duration, Instant};

#[derive(Debug)]
pub struct Parsed {
    pub filing: Filing,
    pub extracted: Extracted,
    pub timings: Timings,
}

/// Time spent in each stage for one file (summed over files by `load --timings`).
#[derive(Debug, Default, Clone, Copy)]
pub struct Timings {
    pub read: Duration,
    pub layout: Duration,
    pub periods: Duration,
    pub concepts: Duration,
    pub ex27: Duration,
}

impl Timings {
    pub fn add(&mut self, o: &Timings) {
        self.read += o.read;
        self.layout += o.layout;
        self.periods += o.periods;
        self.concepts += o.concepts;
        self.ex27 += o.ex27;
    }
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
    let t0 = Instant::now();
    let filing = filing::read_path(path, cik)?;
    let read = t0.elapsed();
    let mut p = parse_filing(filing, map)?;
    p.timings.read = read;
    Ok(p)
}

pub fn parse_filing(filing: Filing, map: &ConceptMap) -> Result<Parsed, ParseError> {
    let mut timings = Timings::default();
    let res = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| facts::extract_timed(&filing, map, &mut timings)));
    match res {
        Ok(extracted) => Ok(Parsed { filing, extracted, timings }),
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
