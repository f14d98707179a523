//! CSV (RFC 4180, UTF-8, header row, plain decimals, ISO dates, empty for NULL).

use super::ResultSet;
use std::io::Write;

pub fn write<W: Write>(rs: &ResultSet, out: W) -> csv::Result<()> {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(out);
    w.write_record(&rs.columns)?;
    for row in &rs.rows {
        w.write_record(row.iter().map(|v| v.as_deref().unwrap_or("")))?;
    }
    w.flush()?;
    Ok(())
}
