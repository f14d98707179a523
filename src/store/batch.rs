//! Column batches (Arrow) of the rows a filing adds: the fast path for the large tables
//! (facts, cells, table rows). Row-by-row `append_row` binds and allocates per value;
//! a batch hands DuckDB whole columns.

use chrono::NaiveDate;
use duckdb::arrow::array::{Array, ArrayBuilder, ArrayRef, BooleanBuilder, Date32Builder, Decimal128Builder, Int32Builder, Int64Builder, StringBuilder, TimestampMicrosecondBuilder};
use duckdb::arrow::datatypes::TimeUnit;
use duckdb::arrow::datatypes::{DataType, Field, Schema};
use duckdb::arrow::record_batch::RecordBatch;
use rust_decimal::Decimal;
use std::sync::Arc;

/// Digits after the point of the warehouse's DECIMAL(38,6).
pub const SCALE: u32 = 6;

/// Arrow builders: values and validity go straight into the buffers the batch will hold.
enum Col {
    /// Strings go straight into one buffer (no allocation per value).
    Text(StringBuilder),
    Int(Int32Builder),
    Big(Int64Builder),
    Ts(TimestampMicrosecondBuilder),
    Date(Date32Builder),
    Dec(Decimal128Builder),
    Bool(BooleanBuilder),
}

/// Bytes of text per value reserved up front (labels and concepts run longer, flags shorter).
const TEXT_BYTES: usize = 24;

fn shrunk<A: Array>(mut a: A) -> A {
    a.shrink_to_fit();
    a
}

/// A batch being filled row by row, in the table's column order.
pub struct Batch {
    names: Vec<&'static str>,
    cols: Vec<Col>,
    cursor: usize,
}

/// Days since 1970-01-01 (day 719,163 of the common era).
fn days(d: NaiveDate) -> i32 {
    chrono::Datelike::num_days_from_ce(&d) - 719_163
}

/// A decimal as the integer mantissa of DECIMAL(38,6) (rounded past 6 places).
pub fn mantissa(v: Decimal) -> i128 {
    // (nearly every amount has 6 places or fewer: scaled up exactly, no rounding pass)
    if v.scale() <= SCALE {
        return v.mantissa() * 10i128.pow(SCALE - v.scale());
    }
    let mut r = v.round_dp(SCALE);
    r.rescale(SCALE);
    r.mantissa()
}

impl Batch {
    /// `spec`: (name, kind) with kind one of "text", "int", "big", "ts", "date", "dec", "bool".
    pub fn new(spec: &[(&'static str, &'static str)]) -> Batch {
        Batch::with_rows(spec, 0)
    }

    /// A batch with room for `rows` rows (a filing's rows are counted before they are
    /// written): value buffers never grow and copy; text grows only past `TEXT_BYTES` a value.
    pub fn with_rows(spec: &[(&'static str, &'static str)], rows: usize) -> Batch {
        let cols = spec
            .iter()
            .map(|(_, k)| match *k {
                "int" => Col::Int(Int32Builder::with_capacity(rows)),
                "big" => Col::Big(Int64Builder::with_capacity(rows)),
                "ts" => Col::Ts(TimestampMicrosecondBuilder::with_capacity(rows)),
                "date" => Col::Date(Date32Builder::with_capacity(rows)),
                "dec" => Col::Dec(Decimal128Builder::with_capacity(rows)),
                "bool" => Col::Bool(BooleanBuilder::with_capacity(rows)),
                _ => Col::Text(StringBuilder::with_capacity(rows, rows * TEXT_BYTES)),
            })
            .collect();
        Batch { names: spec.iter().map(|(n, _)| *n).collect(), cols, cursor: 0 }
    }

    fn next(&mut self) -> &mut Col {
        let i = self.cursor;
        // (no division: this runs for every value written)
        self.cursor = if i + 1 == self.cols.len() { 0 } else { i + 1 };
        &mut self.cols[i]
    }

    pub fn text<S: AsRef<str>>(&mut self, v: Option<S>) -> &mut Self {
        if let Col::Text(c) = self.next() {
            c.append_option(v);
        }
        self
    }
    pub fn str(&mut self, v: &str) -> &mut Self {
        if let Col::Text(c) = self.next() {
            c.append_value(v);
        }
        self
    }
    pub fn int(&mut self, v: Option<i64>) -> &mut Self {
        if let Col::Int(c) = self.next() {
            c.append_option(v.map(|x| x as i32));
        }
        self
    }
    pub fn big(&mut self, v: Option<i64>) -> &mut Self {
        if let Col::Big(c) = self.next() {
            c.append_option(v);
        }
        self
    }
    /// The current time (a TIMESTAMP column).
    pub fn now(&mut self) -> &mut Self {
        let micros = chrono::Utc::now().timestamp_micros();
        if let Col::Ts(c) = self.next() {
            c.append_value(micros);
        }
        self
    }
    pub fn date(&mut self, v: Option<NaiveDate>) -> &mut Self {
        if let Col::Date(c) = self.next() {
            c.append_option(v.map(days));
        }
        self
    }
    pub fn dec(&mut self, v: Option<Decimal>) -> &mut Self {
        if let Col::Dec(c) = self.next() {
            c.append_option(v.map(mantissa));
        }
        self
    }
    pub fn bool(&mut self, v: Option<bool>) -> &mut Self {
        if let Col::Bool(c) = self.next() {
            c.append_option(v);
        }
        self
    }

    pub fn len(&self) -> usize {
        match self.cols.first() {
            Some(Col::Text(c)) => c.len(),
            Some(Col::Int(c)) => c.len(),
            Some(Col::Date(c)) => c.len(),
            Some(Col::Big(c)) => c.len(),
            Some(Col::Ts(c)) => c.len(),
            Some(Col::Dec(c)) => c.len(),
            Some(Col::Bool(c)) => c.len(),
            None => 0,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The Arrow record batch (consumes the rows).
    pub fn finish(self) -> Result<RecordBatch, duckdb::arrow::error::ArrowError> {
        let mut fields = Vec::with_capacity(self.cols.len());
        let mut arrays: Vec<ArrayRef> = Vec::with_capacity(self.cols.len());
        for (name, col) in self.names.into_iter().zip(self.cols) {
            let (dt, arr): (DataType, ArrayRef) = match col {
                // (a builder's buffers double as they grow: a filing's rows waiting for the
                // writer held 1.6 times their size until trimmed)
                Col::Text(mut b) => (DataType::Utf8, Arc::new(shrunk(b.finish()))),
                Col::Int(mut b) => (DataType::Int32, Arc::new(b.finish())),
                Col::Big(mut b) => (DataType::Int64, Arc::new(b.finish())),
                Col::Ts(mut b) => (DataType::Timestamp(TimeUnit::Microsecond, None), Arc::new(b.finish())),
                Col::Date(mut b) => (DataType::Date32, Arc::new(b.finish())),
                Col::Dec(mut b) => {
                    let a = b.finish().with_precision_and_scale(38, SCALE as i8)?;
                    (DataType::Decimal128(38, SCALE as i8), Arc::new(a))
                }
                Col::Bool(mut b) => (DataType::Boolean, Arc::new(b.finish())),
            };
            fields.push(Field::new(name, dt, true));
            arrays.push(arr);
        }
        RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn mantissas_are_exact() {
        assert_eq!(mantissa(Decimal::from_str("1.41").unwrap()), 1_410_000);
        assert_eq!(mantissa(Decimal::from_str("-3717603").unwrap()), -3_717_603_000_000);
        assert_eq!(mantissa(Decimal::from_str("0.015625").unwrap()), 15_625);
        assert_eq!(mantissa(Decimal::from_str("-0.50").unwrap()), -500_000);
        assert_eq!(mantissa(Decimal::from_str("0.1234565").unwrap()), 123_456);
        assert_eq!(mantissa(Decimal::from_str("79228162514264337593543950335").unwrap()), 79_228_162_514_264_337_593_543_950_335_000_000);
        assert_eq!(days(NaiveDate::from_ymd_opt(1970, 1, 1).unwrap()), 0);
        assert_eq!(days(NaiveDate::from_ymd_opt(2003, 12, 31).unwrap()), 12_417);
        assert_eq!(days(NaiveDate::from_ymd_opt(1969, 12, 31).unwrap()), -1);
    }

    #[test]
    fn rows_become_columns() {
        let mut b = Batch::new(&[("a", "text"), ("b", "int"), ("c", "dec")]);
        b.str("x").int(Some(1)).dec(Some(Decimal::ONE));
        b.text(None::<String>).int(None).dec(None);
        assert_eq!(b.len(), 2);
        let rb = b.finish().unwrap();
        assert_eq!(rb.num_rows(), 2);
        assert_eq!(rb.num_columns(), 3);
    }
}
