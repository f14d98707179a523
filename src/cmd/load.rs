//! `edgarfacts load`: parse filings in parallel, write each in its own transaction.

use super::{inputs, DbArg};
use crate::concepts::ConceptMap;
use crate::pipeline::{self, Parsed};
use crate::store::Warehouse;
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;

/// Load filings into the warehouse.
///
/// Examples:
///   edgarfacts load fixtures/seeds/*.txt --db warehouse.duckdb
///   edgarfacts load corpus/ --jobs 2 --skip-existing
///   edgarfacts load 0000950130-96-000896.txt --cik 64978 --concept-map my_labels.csv
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Filing files, directories (searched recursively) or glob patterns
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub db: DbArg,
    /// State the company's CIK for filings without an EDGAR header
    #[arg(long)]
    pub cik: Option<String>,
    /// Extra concept rules (CSV: statement,section,pattern,concept) that override the built-in map
    #[arg(long)]
    pub concept_map: Option<PathBuf>,
    /// Skip files whose accession number or content is already loaded
    #[arg(long)]
    pub skip_existing: bool,
    /// Parallel parse jobs (default: number of CPUs)
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,
    /// No progress bar and no summary
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

#[derive(Default)]
struct Summary {
    filings: usize,
    skipped: usize,
    tables: usize,
    facts: usize,
    bytes: u64,
    warnings: usize,
    failed: Vec<String>,
}

pub fn run(a: Args) -> anyhow::Result<i32> {
    let map = match &a.concept_map {
        Some(p) => ConceptMap::with_user_file(p)?,
        None => ConceptMap::builtin()?,
    };
    let (files, missing) = inputs::expand(&a.paths);
    let mut wh = Warehouse::open(&a.db.db)?;
    let mut s = Summary::default();
    for m in &missing {
        let msg = format!("{m}: no such file or directory");
        eprintln!("error: {msg}");
        wh.log_error(m, "read", None, "error", &msg)?;
        s.failed.push(msg);
    }
    if let Some(j) = a.jobs {
        rayon::ThreadPoolBuilder::new().num_threads(j.max(1)).build_global().ok();
    }
    let bar = if a.quiet || !std::io::stderr().is_terminal() {
        ProgressBar::hidden()
    } else {
        let b = ProgressBar::new(files.len() as u64);
        b.set_style(
            ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:40} {pos}/{len} filings {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        b
    };
    let start = Instant::now();
    // parse a batch in parallel, then write it: memory stays bounded by the batch
    let batch = rayon::current_num_threads().max(1) * 4;
    for chunk in files.chunks(batch) {
        let results: Vec<(PathBuf, Result<Parsed, pipeline::ParseError>)> =
            chunk.par_iter().map(|p| (p.clone(), pipeline::parse_path(p, a.cik.as_deref(), &map))).collect();
        for (path, res) in results {
            let shown = path.display().to_string();
            match res {
                Ok(parsed) => {
                    if a.skip_existing && wh.has_filing(&parsed.filing.filing_id, &parsed.filing.sha256)? {
                        s.skipped += 1;
                        bar.inc(1);
                        continue;
                    }
                    match wh.load(&parsed.filing, &parsed.extracted) {
                        Ok(c) => {
                            s.filings += 1;
                            s.tables += c.tables;
                            s.facts += c.facts;
                            s.bytes += parsed.filing.bytes;
                            for (line, w) in &parsed.extracted.warnings {
                                let at = line.map(|l| format!("line {l}: ")).unwrap_or_default();
                                wh.log_error(&shown, "layout", *line, "warning", &format!("{shown}: {at}{w}"))?;
                                s.warnings += 1;
                            }
                        }
                        Err(e) => {
                            let msg = e.to_string();
                            wh.log_error(&shown, "store", None, "error", &msg)?;
                            bar.println(format!("error: {msg}"));
                            s.failed.push(msg);
                        }
                    }
                }
                Err(e) => {
                    let msg = e.to_string();
                    let line = if msg.contains(": line 1:") { Some(1) } else { None };
                    wh.log_error(&shown, e.stage(), line, "error", &msg)?;
                    bar.println(format!("error: {msg}"));
                    s.failed.push(msg);
                }
            }
            bar.inc(1);
        }
    }
    bar.finish_and_clear();
    let secs = start.elapsed().as_secs_f64();
    if !a.quiet {
        let mb = s.bytes as f64 / 1e6;
        eprintln!(
            "loaded {} filing(s), {} tables, {} facts into {} in {:.2}s ({:.1} MB/s){}{}",
            s.filings,
            s.tables,
            s.facts,
            a.db.db.display(),
            secs,
            if secs > 0.0 { mb / secs } else { 0.0 },
            if s.skipped > 0 { format!(", {} already loaded", s.skipped) } else { String::new() }
                + &if s.warnings > 0 { format!(", {} warning(s) in load_errors", s.warnings) } else { String::new() },
            if s.failed.is_empty() { String::new() } else { format!(", {} failed:", s.failed.len()) }
        );
        for f in &s.failed {
            eprintln!("  {f}");
        }
    }
    Ok(if s.failed.is_empty() { 0 } else { 1 })
}
