//! `edgarfacts load`: parse filings in parallel, write each in its own transaction.

use super::{inputs, DbArg};
use crate::concepts::ConceptMap;
use crate::pipeline::{self, Parsed, Timings};
use crate::store::Warehouse;
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Load filings into the warehouse.
///
/// Examples:
///   edgarfacts load fixtures/seeds/*.txt --db warehouse.duckdb
///   edgarfacts load corpus/ --jobs 2 --skip-existing
///   edgarfacts load 0000950130-96-000896.txt --cik 64978 --concept-map my_labels.csv
///   edgarfacts load corpus/ --parse-only --timings      # speed and counts, nothing written
///   edgarfacts load shard-07/ --out-parquet facts/        # no DuckDB file: partitioned Parquet
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
    /// Parse only: read every file and report what would be loaded, write nothing
    #[arg(long, conflicts_with = "out_parquet")]
    pub parse_only: bool,
    /// Write facts as Hive-partitioned Parquet (entity_id=/fiscal_year=) under this folder
    /// instead of a DuckDB warehouse: one shard of a corpus per machine
    #[arg(long)]
    pub out_parquet: Option<PathBuf>,
    /// Print the time spent in each stage
    #[arg(long)]
    pub timings: bool,
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
    stages: Timings,
    store: Duration,
}

/// Where parsed filings go.
enum Sink {
    Warehouse(Warehouse),
    Parquet(crate::store::parquet_sink::ParquetSink),
    Nowhere,
}

impl Sink {
    fn log(&self, path: &str, stage: &str, line: Option<usize>, level: &str, msg: &str) -> anyhow::Result<()> {
        if let Sink::Warehouse(w) = self {
            w.log_error(path, stage, line, level, msg)?;
        }
        Ok(())
    }
}

pub fn run(a: Args) -> anyhow::Result<i32> {
    let map = match &a.concept_map {
        Some(p) => ConceptMap::with_user_file(p)?,
        None => ConceptMap::builtin()?,
    };
    let (files, missing) = inputs::expand(&a.paths);
    let mut sink = if a.parse_only {
        Sink::Nowhere
    } else if let Some(dir) = &a.out_parquet {
        Sink::Parquet(crate::store::parquet_sink::ParquetSink::create(dir)?)
    } else {
        let wh = Warehouse::open(&a.db.db)?;
        wh.tune_for_load()?;
        Sink::Warehouse(wh)
    };
    let mut s = Summary::default();
    for m in &missing {
        let msg = format!("{m}: no such file or directory");
        eprintln!("error: {msg}");
        sink.log(m, "read", None, "error", &msg)?;
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
    // parse batches in parallel on a parser thread while this thread writes the previous
    // batch (one writer); the bounded channel keeps at most two batches in memory
    let batch = rayon::current_num_threads().max(1) * 4;
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<(PathBuf, Result<Parsed, pipeline::ParseError>)>>(1);
    let map_ref = &map;
    let cik = a.cik.as_deref();
    let files_ref = &files;
    std::thread::scope(|scope| -> anyhow::Result<()> {
        scope.spawn(move || {
            for chunk in files_ref.chunks(batch) {
                let results: Vec<_> = chunk
                    .par_iter()
                    .map(|p| {
                        let mut r = pipeline::parse_path(p, cik, map_ref);
                        // the text is no longer needed: only tables and facts go on to the writer
                        if let Ok(parsed) = r.as_mut() {
                            parsed.filing.lines = Vec::new();
                        }
                        (p.clone(), r)
                    })
                    .collect();
                if tx.send(results).is_err() {
                    break; // the writer stopped
                }
            }
        });
        let mut pending = Pending::default();
        for results in rx {
            write_batch(&mut sink, &mut s, &a, results, &bar, &mut pending)?;
        }
        store_group(&mut sink, &mut s, std::mem::take(&mut pending.group), &bar)
    })?;
    if let Sink::Parquet(p) = &mut sink {
        p.finish()?;
    }
    bar.finish_and_clear();
    report(&a, &sink, &s, start);
    Ok(if s.failed.is_empty() { 0 } else { 1 })
}

/// Most filings (and bytes) written in one transaction.
/// (Measured on the bench corpus with DuckDB held to 48 MB: 16 filings / 2 MB keep peak RSS
/// near 280 MB, under the 300 MB target; 64 / 8 MB load ~15% faster at ~380 MB.)
const GROUP_FILINGS: usize = 16;
const GROUP_BYTES: u64 = 2 << 20;

/// Parsed filings waiting for the next group commit.
#[derive(Default)]
struct Pending {
    group: Vec<(String, Parsed)>,
    bytes: u64,
}

fn write_batch(
    sink: &mut Sink,
    s: &mut Summary,
    a: &Args,
    results: Vec<(PathBuf, Result<Parsed, pipeline::ParseError>)>,
    bar: &ProgressBar,
    pending: &mut Pending,
) -> anyhow::Result<()> {
    let Pending { group, bytes: group_bytes } = pending;
    for (path, res) in results {
        let shown = path.display().to_string();
        match res {
            Ok(parsed) => {
                s.stages.add(&parsed.timings);
                if let Sink::Warehouse(wh) = sink {
                    if a.skip_existing && wh.has_filing(&parsed.filing.filing_id, &parsed.filing.sha256)? {
                        s.skipped += 1;
                        bar.inc(1);
                        continue;
                    }
                }
                // the same filing twice in one group would be stored twice: write the group first
                if group.iter().any(|(_, g)| g.filing.filing_id == parsed.filing.filing_id) {
                    store_group(sink, s, std::mem::take(group), bar)?;
                    *group_bytes = 0;
                }
                *group_bytes += parsed.filing.bytes;
                group.push((shown, parsed));
                if group.len() >= GROUP_FILINGS || *group_bytes >= GROUP_BYTES {
                    store_group(sink, s, std::mem::take(group), bar)?;
                    *group_bytes = 0;
                }
            }
            Err(e) => {
                let msg = e.to_string();
                let line = if msg.contains(": line 1:") { Some(1) } else { None };
                sink.log(&shown, e.stage(), line, "error", &msg)?;
                bar.println(format!("error: {msg}"));
                s.failed.push(msg);
                bar.inc(1);
            }
        }
    }
    Ok(())
}

/// Write a group in one transaction; if it fails, write its filings one by one so a bad
/// filing is reported alone and the others still load.
fn store_group(sink: &mut Sink, s: &mut Summary, group: Vec<(String, Parsed)>, bar: &ProgressBar) -> anyhow::Result<()> {
    if group.is_empty() {
        return Ok(());
    }
    let t0 = Instant::now();
    let together = match sink {
        Sink::Nowhere => Ok(()),
        Sink::Parquet(p) => group.iter().try_for_each(|(_, g)| p.write(&g.filing, &g.extracted).map(|_| ())),
        Sink::Warehouse(wh) => {
            let items: Vec<(&crate::filing::Filing, &crate::facts::Extracted)> = group.iter().map(|(_, g)| (&g.filing, &g.extracted)).collect();
            wh.load_group(&items).map(|_| ()).map_err(anyhow::Error::from)
        }
    };
    let mut outcomes: Vec<Result<(), String>> = vec![Ok(()); group.len()];
    if together.is_err() {
        for (k, (_, g)) in group.iter().enumerate() {
            let one = match sink {
                Sink::Warehouse(wh) => wh.load(&g.filing, &g.extracted).map(|_| ()).map_err(|e| e.to_string()),
                Sink::Parquet(p) => p.write(&g.filing, &g.extracted).map(|_| ()).map_err(|e| e.to_string()),
                Sink::Nowhere => Ok(()),
            };
            outcomes[k] = one;
        }
    }
    s.store += t0.elapsed();
    for ((shown, parsed), outcome) in group.iter().zip(outcomes) {
        let ex = &parsed.extracted;
        match outcome {
            Ok(()) => {
                s.filings += 1;
                s.tables += ex.tables.len();
                s.facts += ex.facts.len() + ex.ex27.len();
                s.bytes += parsed.filing.bytes;
                for (line, w) in &ex.warnings {
                    let at = line.map(|l| format!("line {l}: ")).unwrap_or_default();
                    sink.log(shown, "layout", *line, "warning", &format!("{shown}: {at}{w}"))?;
                    s.warnings += 1;
                }
            }
            Err(msg) => {
                sink.log(shown, "store", None, "error", &msg)?;
                bar.println(format!("error: {msg}"));
                s.failed.push(msg);
            }
        }
        bar.inc(1);
    }
    Ok(())
}

fn report(a: &Args, sink: &Sink, s: &Summary, start: Instant) {

    let secs = start.elapsed().as_secs_f64();
    if !a.quiet {
        let mb = s.bytes as f64 / 1e6;
        let target = match (&sink, &a.out_parquet) {
            (Sink::Nowhere, _) => "(nothing written)".to_string(),
            (_, Some(d)) => format!("into {} (Parquet)", d.display()),
            _ => format!("into {}", a.db.db.display()),
        };
        eprintln!(
            "{} {} filing(s), {} tables, {} facts {} in {:.2}s ({:.1} MB/s){}{}{}",
            if a.parse_only { "parsed" } else { "loaded" },
            s.filings,
            s.tables,
            s.facts,
            target,
            secs,
            if secs > 0.0 { mb / secs } else { 0.0 },
            if s.skipped > 0 { format!(", {} already loaded", s.skipped) } else { String::new() },
            if s.warnings > 0 { format!(", {} warning(s) in load_errors", s.warnings) } else { String::new() },
            if s.failed.is_empty() { String::new() } else { format!(", {} failed:", s.failed.len()) }
        );
        for f in &s.failed {
            eprintln!("  {f}");
        }
    }
    if a.timings {
        let t = &s.stages;
        eprintln!(
            "stage times (summed over parse threads): read {:.2}s, layout {:.2}s, periods {:.2}s, concepts {:.2}s, ex27 {:.2}s; store (single writer) {:.2}s",
            t.read.as_secs_f64(),
            t.layout.as_secs_f64(),
            t.periods.as_secs_f64(),
            t.concepts.as_secs_f64(),
            t.ex27.as_secs_f64(),
            s.store.as_secs_f64()
        );
    }
}
