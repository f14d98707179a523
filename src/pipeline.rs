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

/// Parse items `0..n` on `jobs` threads and hand each result to `consume` in input order (so
/// fact ids do not depend on thread timing). At most `window` parsed items wait at a time, so
/// memory stays bounded whatever the corpus; a slow file holds the others back at the window's
/// edge instead of making every batch wait for its slowest file. An error from `consume`
/// stops the workers and is returned.
pub fn parse_in_order<T: Send, E>(
    n: usize,
    jobs: usize,
    window: usize,
    parse: impl Fn(usize) -> T + Sync,
    mut consume: impl FnMut(T) -> Result<(), E>,
) -> Result<(), E> {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::{Condvar, Mutex};
    let window = window.max(1);
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    // how many items `consume` has taken; a worker waits while its item is a window ahead
    let done = Mutex::new(0usize);
    let moved = Condvar::new();
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, T)>(window);
        for _ in 0..jobs.max(1) {
            let tx = tx.clone();
            let (next, stop, done, moved, parse) = (&next, &stop, &done, &moved, &parse);
            scope.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                if i >= n || stop.load(Ordering::SeqCst) {
                    break;
                }
                let mut d = done.lock().unwrap_or_else(|e| e.into_inner());
                while i >= *d + window && !stop.load(Ordering::SeqCst) {
                    d = moved.wait(d).unwrap_or_else(|e| e.into_inner());
                }
                drop(d);
                if stop.load(Ordering::SeqCst) || tx.send((i, parse(i))).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        let mut pending = std::collections::BTreeMap::new();
        let mut want = 0usize;
        let mut result = Ok(());
        'recv: for (i, r) in rx.iter() {
            pending.insert(i, r);
            while let Some(r) = pending.remove(&want) {
                if let Err(e) = consume(r) {
                    result = Err(e);
                    break 'recv;
                }
                want += 1;
                *done.lock().unwrap_or_else(|e| e.into_inner()) = want;
                moved.notify_all();
            }
        }
        // (on an error: wake and release every worker; dropping the receiver fails their sends)
        stop.store(true, Ordering::SeqCst);
        {
            let _d = done.lock().unwrap_or_else(|e| e.into_inner());
            moved.notify_all();
        }
        drop(rx);
        result
    })
}

#[cfg(test)]
mod tests {
    use super::parse_in_order;

    #[test]
    fn results_arrive_in_input_order_whatever_the_threads_do() {
        let mut seen = Vec::new();
        let r: Result<(), ()> = parse_in_order(
            200,
            3,
            4,
            |i| {
                // uneven work: later items often finish first
                std::thread::sleep(std::time::Duration::from_micros(((i * 7919) % 13) as u64 * 50));
                i * 2
            },
            |x| {
                seen.push(x);
                Ok(())
            },
        );
        assert!(r.is_ok());
        assert_eq!(seen, (0..200).map(|i| i * 2).collect::<Vec<_>>());
    }

    #[test]
    fn an_error_stops_the_workers_and_is_returned() {
        let mut taken = 0;
        let r = parse_in_order(10_000, 2, 8, |i| i, |i| if i == 5 { Err(format!("item {i}")) } else { taken += 1; Ok(()) });
        assert_eq!(r, Err("item 5".to_string()));
        assert_eq!(taken, 5);
    }
}
