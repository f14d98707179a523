//! Per-thread memory of pure functions of a text: labels, headings and column headers repeat
//! from table to table and filing to filing ("Net sales", "Year ended December 31,"), and
//! reading them again costs regex passes. Bounded: a full memory starts afresh.

use std::cell::RefCell;
use std::collections::HashMap;
use std::thread::LocalKey;

/// Texts remembered per function and thread before the memory starts afresh.
const MAX: usize = 20_000;

/// One function's memory on each thread.
pub type Memory<V> = RefCell<HashMap<String, V, foldhash::fast::RandomState>>;

/// `f(key)` as computed before on this thread, or computed now and remembered.
pub fn get<V: Clone>(memory: &'static LocalKey<Memory<V>>, key: &str, f: impl FnOnce() -> V) -> V {
    memory.with(|m| {
        if let Some(v) = m.borrow().get(key) {
            return v.clone();
        }
        // (no borrow held while computing: `f` may use this memory too)
        let v = f();
        let mut m = m.borrow_mut();
        if m.len() >= MAX {
            m.clear();
        }
        m.insert(key.to_string(), v.clone());
        v
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    thread_local! {
        static SQUARES: Memory<usize> = RefCell::new(HashMap::default());
    }

    #[test]
    fn computes_once_per_text_and_stays_bounded() {
        let calls = std::cell::Cell::new(0);
        let sq = |t: &str| get(&SQUARES, t, || {
            calls.set(calls.get() + 1);
            t.len() * t.len()
        });
        assert_eq!((sq("abc"), sq("abc"), sq("ab")), (9, 9, 4));
        assert_eq!(calls.get(), 2);
        for i in 0..MAX + 10 {
            sq(&i.to_string());
        }
        assert!(SQUARES.with(|m| m.borrow().len()) <= MAX);
    }
}
