//! `edgarfacts info`: what the warehouse holds.

use super::DbArg;

/// What the warehouse holds, by entity, form and year.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub db: DbArg,
}

pub fn run(_a: Args) -> anyhow::Result<i32> {
    anyhow::bail!("info: not implemented yet (issue 6)")
}
