//! `edgarfacts load`: parse filings in parallel, write them through one writer.

use super::{inputs, DbArg};
use crate::concepts::ConceptMap;
use crate::pipeline::{self, Parsed, Timings};
use crate::store::rows::Rows;
use crate::store::warehouse::LogRow;
use crate::store::Warehouse;
use indicatif::{ProgressBar, ProgressStyle};
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
///   edgarfacts load shard-07/ --out-parquet facts/        # no DuckDB file: Parquet by fiscal_year
///   edgarfacts load shard-07/ --out-parquet facts/ --partition-by entity_id,fiscal_year
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
    /// Write facts as Hive-partitioned Parquet under this folder instead of a DuckDB
    /// warehouse: one shard of a corpus per machine
    #[arg(long)]
    pub out_parquet: Option<PathBuf>,
    /// Partition columns of --out-parquet (comma-separated columns of v_facts or
    /// fiscal_year; "none" for flat files). Inside a file each filing's facts are together,
    /// so row-group statistics let engines skip other companies without a folder per company
    #[arg(long, value_delimiter = ',', default_value = "fiscal_year", requires = "out_parquet")]
    pub partition_by: Vec<String>,
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
    /// The warehouse being opened on another thread.
    Opening(Option<std::thread::JoinHandle<Result<Warehouse, crate::store::warehouse::StoreError>>>),
    Warehouse(Warehouse),
    Parquet(crate::store::parquet_sink::ParquetSink),
    Nowhere,
}

/// A filing appended to the warehouse's open transaction: counted (and its warnings
/// logged) once that transaction commits; parsed again if it rolls back.
struct Appended {
    shown: String,
    path: PathBuf,
    tally: Tally,
    warnings: Vec<LogRow>,
}

/// What a stored filing adds to the summary.
#[derive(Clone, Copy)]
struct Tally {
    tables: usize,
    facts: usize,
    bytes: u64,
    warnings: usize,
}

impl Tally {
    fn of(p: &Parsed) -> Tally {
        let ex = &p.extracted;
        Tally { tables: ex.tables.len(), facts: ex.facts.len() + ex.ex27.len(), bytes: p.filing.bytes, warnings: ex.warnings.len() }
    }
}

/// A parsed filing on its way to the writer. For the warehouse its rows are built on the
/// parse thread and its tables and facts dropped there (only the warnings stay).
struct Ready {
    parsed: Parsed,
    tally: Tally,
    rows: Option<Result<Rows, String>>,
    /// The same for `--out-parquet`: the filing's output rows.
    parquet: Option<Result<duckdb::arrow::record_batch::RecordBatch, String>>,
}

/// What the parse threads prepare for the writer.
#[derive(Clone, Copy, PartialEq)]
enum Target {
    Warehouse,
    Parquet,
    Nowhere,
}

impl Ready {
    fn new(mut parsed: Parsed, target: Target) -> Ready {
        let tally = Tally::of(&parsed);
        let failed = |e: duckdb::arrow::error::ArrowError| format!("{}: {e}", parsed.filing.source_path);
        let (rows, parquet) = match target {
            Target::Warehouse => (Some(Rows::of(&parsed.filing, &parsed.extracted).map_err(failed)), None),
            Target::Parquet => (None, Some(crate::store::parquet_sink::ParquetSink::rows(&parsed.filing, &parsed.extracted).map_err(failed))),
            Target::Nowhere => (None, None),
        };
        // (dropped here, by the thread that allocated them: a free from another thread costs
        // the allocator more, and the writer's thread is the one to spare)
        let warnings = std::mem::take(&mut parsed.extracted.warnings);
        parsed.extracted = crate::facts::Extracted { warnings, ..Default::default() };
        Ready { parsed, tally, rows, parquet }
    }

    /// About the bytes it holds while it waits for the writer.
    fn weight(&self) -> usize {
        match (&self.rows, &self.parquet) {
            (Some(Ok(r)), _) => r.memory(),
            (_, Some(Ok(b))) => b.get_array_memory_size(),
            // parse only, or rows that failed: the filing's header and warnings
            _ => 4096,
        }
    }
}

/// The writer's state between batches.
struct Writer<'a> {
    sink: Sink,
    s: Summary,
    bar: ProgressBar,
    /// parsed filings waiting to be appended as one group
    group: Vec<(String, PathBuf, Ready)>,
    group_bytes: u64,
    /// appended, not yet committed
    appended: Vec<Appended>,
    /// errors not yet written to load_errors
    errors: Vec<LogRow>,
    cik: Option<&'a str>,
    map: &'a ConceptMap,
}

fn log_row(path: &str, stage: &str, line: Option<usize>, level: &str, message: &str) -> LogRow {
    LogRow { source_path: path.to_string(), stage: stage.to_string(), line, level: level.to_string(), message: message.to_string() }
}

fn warning_rows(shown: &str, p: &Parsed) -> Vec<LogRow> {
    p.extracted
        .warnings
        .iter()
        .map(|(line, w)| {
            let at = line.map(|l| format!("line {l}: ")).unwrap_or_default();
            log_row(shown, "layout", *line, "warning", &format!("{shown}: {at}{w}"))
        })
        .collect()
}

pub fn run(a: Args) -> anyhow::Result<i32> {
    let map = match &a.concept_map {
        Some(p) => ConceptMap::with_user_file(p)?,
        None => ConceptMap::builtin()?,
    };
    let (files, missing) = inputs::expand(&a.paths);
    let sink = if a.parse_only {
        Sink::Nowhere
    } else if let Some(dir) = &a.out_parquet {
        Sink::Parquet(crate::store::parquet_sink::ParquetSink::create(dir, &a.partition_by)?)
    } else {
        // DuckDB opens (and binds the views) while the first filings are parsed
        let path = a.db.db.clone();
        Sink::Opening(Some(std::thread::spawn(move || {
            let wh = Warehouse::open(&path)?;
            wh.tune_for_load()?;
            Ok(wh)
        })))
    };
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
    let cik = a.cik.as_deref();
    let mut w = Writer { sink, s: Summary::default(), bar, group: Vec::new(), group_bytes: 0, appended: Vec::new(), errors: Vec::new(), cik, map: &map };
    for m in &missing {
        let msg = format!("{m}: no such file or directory");
        eprintln!("error: {msg}");
        w.errors.push(log_row(m, "read", None, "error", &msg));
        w.s.failed.push(msg);
    }
    let start = Instant::now();
    // parse on `jobs` threads while this thread writes, in input order, through one writer
    let jobs = a.jobs.unwrap_or_else(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)).max(1);
    let target = match w.sink {
        Sink::Opening(_) | Sink::Warehouse(_) => Target::Warehouse,
        Sink::Parquet(_) => Target::Parquet,
        Sink::Nowhere => Target::Nowhere,
    };
    pipeline::parse_in_order_weighted(
        files.len(),
        jobs,
        PARSE_WINDOW * jobs,
        PARSE_BUDGET,
        |(_, r): &(PathBuf, Result<Ready, pipeline::ParseError>)| r.as_ref().map_or(0, Ready::weight),
        |i| {
            if target != Target::Nowhere {
                yield_to_writer();
            }
            let p = &files[i];
            let r = pipeline::parse_path(p, cik, &map).map(|mut parsed| {
                // the text is no longer needed: only tables and facts go on to the writer
                parsed.filing.lines = Vec::new();
                Ready::new(parsed, target)
            });
            (p.clone(), r)
        },
        |(path, res)| w.write_one(&a, path, res),
    )?;
    w.open_sink()?;
    w.store_group()?;
    w.commit()?;
    if let Sink::Parquet(p) = &mut w.sink {
        p.finish()?;
    }
    w.bar.finish_and_clear();
    report(&a, &w.sink, &w.s, start);
    Ok(if w.s.failed.is_empty() { 0 } else { 1 })
}

/// Lower this parse thread's priority (once per thread), so the single writer gets more than
/// the equal share of a core it has among the parsers: when it falls behind, the parsers fill
/// their window and stop, and a core sits idle (bench corpus: 3.41 -> 3.36 s, and less memory
/// waiting). Raising one's own nice value needs no privilege; where it fails nothing changes.
fn yield_to_writer() {
    thread_local! {
        static LOWERED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
    if !LOWERED.with(|l| l.replace(true)) {
        #[cfg(target_os = "linux")]
        unsafe {
            let tid = libc::gettid();
            let now = libc::getpriority(libc::PRIO_PROCESS, tid as libc::id_t);
            libc::setpriority(libc::PRIO_PROCESS, tid as libc::id_t, now + PARSER_NICE);
        }
    }
}

/// Nice steps of a parse thread below the writer (each step is about a fifth less CPU weight).
const PARSER_NICE: i32 = 2;

/// Parsed filings that may wait for the writer, per parse job, and the bytes they may hold
/// in all. The writer's inserts come in bursts (a flush, a full row group compressed and
/// written, a commit: up to 0.2 s) and the parsers should work on through them: a window of
/// four filings per job left a core idle a third of the time, and 32 per job within 24 MB
/// still stopped the parsers for half a second of a 3.6 s load (64 per job: 3.4 s; a
/// filing's rows hold about 2.6 times its text).
const PARSE_WINDOW: usize = 64;
const PARSE_BUDGET: usize = 64 << 20;

/// Most filings (and bytes) appended as one group: the unit retried alone when a group
/// fails. Parsed filings wait here, so the group also bounds memory; the transaction
/// around groups commits by size (`store::warehouse::COMMIT_ROWS`).
const GROUP_FILINGS: usize = 8;
const GROUP_BYTES: u64 = 1 << 20;

impl Writer<'_> {
    /// The warehouse, once its opening thread is done (its error, if it could not open).
    fn open_sink(&mut self) -> anyhow::Result<()> {
        if let Sink::Opening(h) = &mut self.sink {
            let opened = h.take().map(|h| h.join());
            match opened {
                Some(Ok(Ok(wh))) => self.sink = Sink::Warehouse(wh),
                Some(Ok(Err(e))) => return Err(e.into()),
                _ => anyhow::bail!("the warehouse could not be opened"),
            }
        }
        Ok(())
    }

    fn write_one(&mut self, a: &Args, path: PathBuf, res: Result<Ready, pipeline::ParseError>) -> anyhow::Result<()> {
        self.open_sink()?;
        let shown = path.display().to_string();
        match res {
            Ok(ready) => {
                let parsed = &ready.parsed;
                self.s.stages.add(&parsed.timings);
                if let Sink::Warehouse(wh) = &self.sink {
                    if a.skip_existing && wh.has_filing(&parsed.filing.filing_id, &parsed.filing.sha256)? {
                        self.s.skipped += 1;
                        self.bar.inc(1);
                        return Ok(());
                    }
                }
                // the same filing twice in one group would be stored twice: write the group first
                if self.group.iter().any(|(_, _, g)| g.parsed.filing.filing_id == parsed.filing.filing_id) {
                    self.store_group()?;
                }
                self.group_bytes += parsed.filing.bytes;
                self.group.push((shown, path, ready));
                if self.group.len() >= GROUP_FILINGS || self.group_bytes >= GROUP_BYTES {
                    self.store_group()?;
                }
            }
            Err(e) => {
                let msg = e.to_string();
                let line = if msg.contains(": line 1:") { Some(1) } else { None };
                self.errors.push(log_row(&shown, e.stage(), line, "error", &msg));
                self.bar.println(format!("error: {msg}"));
                self.s.failed.push(msg);
                self.bar.inc(1);
            }
        }
        Ok(())
    }

    fn counted(&mut self, t: Tally) {
        self.s.filings += 1;
        self.s.tables += t.tables;
        self.s.facts += t.facts;
        self.s.bytes += t.bytes;
        self.s.warnings += t.warnings;
    }

    fn failed(&mut self, shown: &str, msg: String) {
        self.errors.push(log_row(shown, "store", None, "error", &msg));
        self.bar.println(format!("error: {msg}"));
        self.s.failed.push(msg);
    }

    /// Append the waiting group; if it fails, store its filings (and those of the
    /// rolled-back transaction) one by one so a bad filing is reported alone.
    fn store_group(&mut self) -> anyhow::Result<()> {
        let group = std::mem::take(&mut self.group);
        self.group_bytes = 0;
        if group.is_empty() {
            return Ok(());
        }
        let t0 = Instant::now();
        enum Outcome {
            /// Parquet and parse-only: each filing written (or not) on its own
            Each(Vec<Result<(), String>>),
            /// in the warehouse's open transaction; commit now?
            Appended(bool),
            RolledBack,
            /// each filing in a transaction of its own (after committing what is open)
            Alone,
        }
        let outcome = match &mut self.sink {
            Sink::Nowhere => Outcome::Each(vec![Ok(()); group.len()]),
            // (never: every group comes after `open_sink`)
            Sink::Opening(_) => Outcome::Each(vec![Err("the warehouse is not open".to_string()); group.len()]),
            Sink::Parquet(p) => Outcome::Each(
                group
                    .iter()
                    .map(|(_, _, g)| match &g.parquet {
                        Some(Ok(b)) => p.write_rows(b.clone()).map_err(|e| e.to_string()),
                        Some(Err(msg)) => Err(msg.clone()),
                        None => p.write(&g.parsed.filing, &g.parsed.extracted).map_err(|e| e.to_string()),
                    })
                    .collect(),
            ),
            // rows that could not be built: each filing alone, the faulty one reported
            Sink::Warehouse(_) if group.iter().any(|(_, _, g)| !matches!(g.rows, Some(Ok(_)))) => Outcome::Alone,
            Sink::Warehouse(wh) => {
                let items: Vec<(&crate::filing::Filing, &Rows)> = group.iter().filter_map(|(_, _, g)| Some((&g.parsed.filing, g.rows.as_ref()?.as_ref().ok()?))).collect();
                match wh.append_group(&items) {
                    Ok(_) => Outcome::Appended(wh.should_commit()),
                    Err(_) => Outcome::RolledBack,
                }
            }
        };
        match outcome {
            Outcome::Each(results) => {
                for ((shown, _, g), r) in group.iter().zip(results) {
                    match r {
                        Ok(()) => self.counted(g.tally),
                        Err(msg) => self.failed(shown, msg),
                    }
                }
            }
            Outcome::Appended(commit_now) => {
                for (shown, path, g) in &group {
                    self.appended.push(Appended { shown: shown.clone(), path: path.clone(), tally: g.tally, warnings: warning_rows(shown, &g.parsed) });
                }
                if commit_now {
                    self.commit()?;
                }
            }
            Outcome::Alone => {
                self.commit()?;
                for (shown, _, g) in &group {
                    self.store_ready(shown, g)?;
                }
            }
            Outcome::RolledBack => {
                // earlier groups of the transaction again from their files, then this one
                self.redo_appended()?;
                for (shown, _, g) in &group {
                    self.store_ready(shown, g)?;
                }
            }
        }
        self.bar.inc(group.len() as u64);
        self.s.store += t0.elapsed();
        Ok(())
    }

    /// Commit the warehouse's open transaction with the errors and warnings so far.
    fn commit(&mut self) -> anyhow::Result<()> {
        let Sink::Warehouse(wh) = &mut self.sink else { return Ok(()) };
        let mut rows = self.errors.clone();
        rows.extend(self.appended.iter().flat_map(|a| a.warnings.iter().cloned()));
        if wh.log_rows(&rows).and_then(|_| wh.commit()).is_ok() {
            self.errors.clear();
            for a in std::mem::take(&mut self.appended) {
                self.counted(a.tally);
            }
            return Ok(());
        }
        wh.rollback();
        self.redo_appended()?;
        // the errors alone, in a transaction of their own
        if let Sink::Warehouse(wh) = &mut self.sink {
            wh.log_rows(&self.errors)?;
            self.errors.clear();
        }
        Ok(())
    }

    /// After a rollback: parse the filings of the lost transaction again and store each alone.
    fn redo_appended(&mut self) -> anyhow::Result<()> {
        for a in std::mem::take(&mut self.appended) {
            match pipeline::parse_path(&a.path, self.cik, self.map) {
                Ok(g) => self.store_one(&a.shown, &g)?,
                Err(e) => self.failed(&a.shown, e.to_string()),
            }
        }
        Ok(())
    }

    /// A filing of a failed group in its own transaction, from the rows built for it.
    fn store_ready(&mut self, shown: &str, g: &Ready) -> anyhow::Result<()> {
        let Sink::Warehouse(wh) = &mut self.sink else { return Ok(()) };
        let rows = match &g.rows {
            Some(Ok(r)) => r,
            Some(Err(msg)) => {
                self.failed(shown, msg.clone());
                return Ok(());
            }
            None => return self.store_one(shown, &g.parsed),
        };
        match wh.load_rows(&g.parsed.filing, rows) {
            Ok(_) => {
                wh.log_rows(&warning_rows(shown, &g.parsed))?;
                self.counted(g.tally);
            }
            Err(e) => self.failed(shown, e.to_string()),
        }
        Ok(())
    }

    /// One filing in its own transaction, with its warnings.
    fn store_one(&mut self, shown: &str, g: &Parsed) -> anyhow::Result<()> {
        let Sink::Warehouse(wh) = &mut self.sink else { return Ok(()) };
        match wh.load(&g.filing, &g.extracted) {
            Ok(_) => {
                wh.log_rows(&warning_rows(shown, g))?;
                self.counted(Tally::of(g));
            }
            Err(e) => self.failed(shown, e.to_string()),
        }
        Ok(())
    }
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
