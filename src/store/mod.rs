//! Stage 6: the warehouse. Only this module (and `export`) knows SQL engines.
//!
//! Each filing is written in one transaction: its old rows (same filing id) are deleted
//! and the new ones appended, so a filing is either fully in the warehouse or not at all.

pub mod batch;
pub mod parquet_sink;
pub mod rows;
pub mod scan;
pub mod warehouse;

pub use warehouse::{LoadCounts, Warehouse};

pub const SCHEMA_SQL: &str = include_str!("../../sql/schema.sql");
pub const VIEWS_SQL: &str = include_str!("../../sql/views.sql");
pub const EX27_VIEWS_SQL: &str = include_str!("../../sql/ex27_views.sql");

/// Quote an identifier for SQL ("my view" -> "\"my view\"").
pub fn quote_ident(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// Quote a string literal for SQL ('it''s').
pub fn quote_literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(quote_ident("v_facts"), "\"v_facts\"");
        assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(quote_literal("it's /tmp/x y.csv"), "'it''s /tmp/x y.csv'");
    }
}
