//! edgarfacts: legacy SEC EDGAR text filings (1993-2008) -> exact facts in an SQL warehouse.
//!
//! The pipeline runs one way, one module per stage, plain data between them:
//! [`filing`] (envelope, header, cover) -> [`layout`] (tables, columns, headers, rows) ->
//! [`cells`] (values) -> [`periods`] -> [`concepts`] (+ [`units`]) -> [`facts`] ->
//! [`store`] (DuckDB) -> [`export`]. [`pipeline`] runs the parsing stages for one file.

pub mod cells;
pub mod cmd;
pub mod concepts;
pub mod dates;
pub mod ex27;
pub mod export;
pub mod facts;
pub mod filing;
pub mod footing;
pub mod layout;
pub mod memo;
pub mod periods;
pub mod pipeline;
pub mod store;
pub mod units;
