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
    consume: impl FnMut(T) -> Result<(), E>,
) -> Result<(), E> {
    parse_in_order_weighted(n, jobs, window, usize::MAX, |_| 0, parse, consume)
}

/// `parse_in_order` whose waiting items are also bounded by weight (`weight` estimates an item's
/// bytes): while `budget` is held by parsed items not yet consumed, only the item the consumer
/// needs next is parsed. A wide window lets the parsers run ahead through the consumer's long
/// pauses (a writer's flush) without a count of big items outgrowing the memory.
pub fn parse_in_order_weighted<T: Send, E>(
    n: usize,
    jobs: usize,
    window: usize,
    budget: usize,
    weight: impl Fn(&T) -> usize + Sync,
    parse: impl Fn(usize) -> T + Sync,
    mut consume: impl FnMut(T) -> Result<(), E>,
) -> Result<(), E> {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::{Condvar, Mutex};
    let window = window.max(1);
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    // (items `consume` has taken, weight of the parsed items waiting); a worker waits while its
    // item is a window ahead, or the budget is spent and its item is not the next one needed
    let state = Mutex::new((0usize, 0usize));
    let moved = Condvar::new();
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, T, usize)>(window);
        for _ in 0..jobs.max(1) {
            let tx = tx.clone();
            let (next, stop, state, moved, parse, weight) = (&next, &stop, &state, &moved, &parse, &weight);
            scope.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                if i >= n || stop.load(Ordering::SeqCst) {
                    break;
                }
                let mut st = state.lock().unwrap_or_else(|e| e.into_inner());
                while (i >= st.0 + window || i > st.0 && st.1 >= budget) && !stop.load(Ordering::SeqCst) {
                    st = moved.wait(st).unwrap_or_else(|e| e.into_inner());
                }
                drop(st);
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                let item = parse(i);
                let w = weight(&item);
                state.lock().unwrap_or_else(|e| e.into_inner()).1 += w;
                if tx.send((i, item, w)).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        let mut pending = std::collections::BTreeMap::new();
        let mut want = 0usize;
        let mut result = Ok(());
        'recv: for (i, r, w) in rx.iter() {
            pending.insert(i, (r, w));
            while let Some((r, w)) = pending.remove(&want) {
                if let Err(e) = consume(r) {
                    result = Err(e);
                    break 'recv;
                }
                want += 1;
                {
                    let mut st = state.lock().unwrap_or_else(|e| e.into_inner());
                    st.0 = want;
                    st.1 = st.1.saturating_sub(w);
                }
                moved.notify_all();
            }
        }
        // (on an error: wake and release every worker; dropping the receiver fails their sends)
        stop.store(true, Ordering::SeqCst);
        {
            let _st = state.lock().unwrap_or_else(|e| e.into_inner());
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
    fn a_spent_budget_lets_only_the_next_item_through() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        // every item weighs 10 and the budget is 25: at most 3 items wait (2 over budget + 1)
        let waiting = AtomicUsize::new(0);
        let most = AtomicUsize::new(0);
        let mut seen = Vec::new();
        let r: Result<(), ()> = super::parse_in_order_weighted(
            300,
            3,
            64,
            25,
            |_| 10,
            |i| {
                let now = waiting.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                i
            },
            |x| {
                waiting.fetch_sub(1, Ordering::SeqCst);
                seen.push(x);
                Ok(())
            },
        );
        assert!(r.is_ok());
        assert_eq!(seen, (0..300).collect::<Vec<_>>());
        assert!(most.load(Ordering::SeqCst) <= 3 + 3, "{}", most.load(Ordering::SeqCst));
    }

    #[test]
    fn an_error_stops_the_workers_and_is_returned() {
        let mut taken = 0;
        let r = parse_in_order(10_000, 2, 8, |i| i, |i| if i == 5 { Err(format!("item {i}")) } else { taken += 1; Ok(()) });
        assert_eq!(r, Err("item 5".to_string()));
        assert_eq!(taken, 5);
    }
}
