//! `edgarfacts check`: accounting checks of the warehouse (see sql/views.sql, v_checks).

use super::DbArg;

/// Run the accounting checks and print the failures.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub db: DbArg,
    /// Only this filing
    #[arg(long)]
    pub filing: Option<String>,
    /// Print passing checks too
    #[arg(long)]
    pub all: bool,
}

pub fn run(_a: Args) -> anyhow::Result<i32> {
    anyhow::bail!("check: not implemented yet (issue 5)")
}
