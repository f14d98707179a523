//! CSV: RFC 4180 (comma, CRLF line ends, double quotes only where needed, quotes doubled),
//! UTF-8 without BOM, one header row, plain decimals (no grouping, no exponent: 25873480,
//! -0.39), ISO dates (2003-12-31), empty for NULL.

use super::{format_value, Event, ResultSet};
use std::io::Write;

fn writer<W: Write>(out: W) -> csv::Writer<W> {
    csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).quote_style(csv::QuoteStyle::Necessary).from_writer(out)
}

/// Write a result set that is already in memory (the `query` command).
pub fn write<W: Write>(rs: &ResultSet, out: W) -> csv::Result<()> {
    let mut w = writer(out);
    w.write_record(&rs.columns)?;
    for row in &rs.rows {
        w.write_record(row.iter().map(|v| v.as_deref().unwrap_or("")))?;
    }
    w.flush()?;
    Ok(())
}

/// Stream a query to CSV row by row (exports of any size); returns the row count.
pub fn write_query<W: Write>(conn: &duckdb::Connection, sql: &str, out: W) -> anyhow::Result<u64> {
    let mut w = writer(out);
    let mut fields: Vec<String> = Vec::new();
    let n = super::for_each_row(conn, sql, |e| {
        match e {
            Event::Columns(cols) => w.write_record(cols.iter().map(|c| c.name.as_str()))?,
            Event::Row(vals) => {
                fields.clear();
                fields.extend(vals.iter().map(|v| format_value(v).unwrap_or_default()));
                w.write_record(&fields)?;
            }
        }
        Ok(())
    })?;
    w.flush()?;
    Ok(n)
}
