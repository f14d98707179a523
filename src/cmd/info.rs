//! `edgarfacts info`: what the warehouse holds, by entity, form and year.

use super::query::{print, Format};
use super::DbArg;
use crate::export::{self, ResultSet};
use crate::store::Warehouse;

/// What the warehouse holds: totals (filings, entities, tables, facts, cells, load errors),
/// then filings and facts by entity, by form type and by fiscal year of the report.
///
/// Examples:
///   edgarfacts info --db warehouse.duckdb
///   edgarfacts info --by entity --format csv > entities.csv
///   edgarfacts info --format json | jq '.totals'
///   EDGARFACTS_DB=warehouse.duckdb edgarfacts info --by year --format markdown
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(flatten)]
    pub db: DbArg,
    /// Only one breakdown (csv prints one table, so it needs this)
    #[arg(long, value_enum)]
    pub by: Option<By>,
    #[arg(long, short = 'f', value_enum, default_value = "table")]
    pub format: Format,
    /// At most this many entities in the by-entity table (0: all)
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum By {
    Totals,
    Entity,
    Form,
    Year,
    Errors,
}

const TOTALS: &str = "SELECT \
    (SELECT count(*) FROM filings) AS filings, \
    (SELECT count(*) FROM entities) AS entities, \
    (SELECT count(*) FROM source_tables) AS tables, \
    (SELECT count(*) FROM facts WHERE source = 'table') AS facts, \
    (SELECT count(*) FROM facts WHERE source = 'ex27') AS ex27_facts, \
    (SELECT count(*) FROM v_ex27_agreement WHERE category <> 'missing in tables') AS ex27_comparable, \
    (SELECT CASE WHEN count(*) = 0 THEN NULL ELSE round(100.0 * count(*) FILTER (WHERE category IN ('equal', 'within rounding')) / count(*), 1) END \
       FROM v_ex27_agreement WHERE category <> 'missing in tables' \
         AND tag IN ('TOTAL-ASSETS', 'CURRENT-ASSETS', 'CURRENT-LIABILITIES', 'TOTAL-REVENUES', 'NET-INCOME', 'EPS-PRIMARY', 'EPS-BASIC')) AS ex27_core_agreement_pct, \
    (SELECT count(*) FROM cells) AS cells, \
    (SELECT count(*) FROM load_errors WHERE level = 'error') AS load_errors, \
    (SELECT count(*) FROM load_errors WHERE level <> 'error') AS load_warnings, \
    (SELECT min(period_of_report) FROM filings) AS first_period, \
    (SELECT max(period_of_report) FROM filings) AS last_period, \
    (SELECT CAST(max(loaded_at) AS VARCHAR) FROM filings) AS last_loaded";

fn by_entity(limit: usize) -> String {
    format!(
        "SELECT e.entity_id, coalesce(e.entity_name, '') AS entity_name, coalesce(e.cik, '') AS cik, \
                count(*) AS filings, string_agg(DISTINCT f.form_type, ', ' ORDER BY f.form_type) AS forms, \
                min(f.period_of_report) AS first_period, max(f.period_of_report) AS last_period, \
                CAST(sum(f.n_tables) AS BIGINT) AS tables, CAST(sum(f.n_facts) AS BIGINT) AS facts \
         FROM filings f LEFT JOIN entities e ON e.entity_id = f.entity_id \
         GROUP BY ALL ORDER BY facts DESC, e.entity_id{}",
        if limit > 0 { format!(" LIMIT {limit}") } else { String::new() }
    )
}

const BY_FORM: &str = "SELECT coalesce(form_type, '') AS form_type, count(*) AS filings, count(DISTINCT entity_id) AS entities, \
        min(period_of_report) AS first_period, max(period_of_report) AS last_period, \
        CAST(sum(n_tables) AS BIGINT) AS tables, CAST(sum(n_facts) AS BIGINT) AS facts \
    FROM filings GROUP BY ALL ORDER BY filings DESC, form_type";

const BY_YEAR: &str = "SELECT year(period_of_report) AS year, count(*) AS filings, count(DISTINCT entity_id) AS entities, \
        string_agg(DISTINCT form_type, ', ' ORDER BY form_type) AS forms, \
        CAST(sum(n_tables) AS BIGINT) AS tables, CAST(sum(n_facts) AS BIGINT) AS facts \
    FROM filings GROUP BY ALL ORDER BY year NULLS LAST";

const ERRORS: &str = "SELECT stage, level, count(*) AS n, count(DISTINCT source_path) AS files, \
        arg_max(message, logged_at) AS latest_message \
    FROM load_errors GROUP BY ALL ORDER BY n DESC";

pub fn run(a: Args) -> anyhow::Result<i32> {
    if matches!(a.format, Format::Csv) && a.by.is_none() {
        eprintln!("error: --format csv prints one table: add --by totals|entity|form|year|errors");
        return Ok(2);
    }
    let wh = Warehouse::open_existing(&a.db.db)?;
    let q = |sql: &str| export::query(wh.conn(), sql).map_err(|e| anyhow::anyhow!("info: {e}"));
    let mut sections: Vec<(&str, &str, ResultSet)> = Vec::new();
    let want = |b: By| a.by.is_none() || a.by == Some(b);
    if want(By::Totals) {
        sections.push(("totals", "Warehouse", q(TOTALS)?));
    }
    if want(By::Entity) {
        sections.push(("by_entity", "By entity", q(&by_entity(a.limit))?));
    }
    if want(By::Form) {
        sections.push(("by_form", "By form", q(BY_FORM)?));
    }
    if want(By::Year) {
        sections.push(("by_year", "By year of the period of report", q(BY_YEAR)?));
    }
    if want(By::Errors) {
        let errs = q(ERRORS)?;
        if a.by.is_some() || !errs.rows.is_empty() {
            sections.push(("load_errors", "Load errors", errs));
        }
    }
    match a.format {
        Format::Json => {
            let mut obj = serde_json::Map::new();
            for (key, _, rs) in &sections {
                let rows = rs.json_rows();
                let v = if *key == "totals" { rows.into_iter().next().unwrap_or(serde_json::Value::Null) } else { serde_json::Value::Array(rows) };
                obj.insert(key.to_string(), v);
            }
            obj.insert("warehouse".into(), serde_json::Value::String(a.db.db.display().to_string()));
            println!("{}", serde_json::to_string_pretty(&serde_json::Value::Object(obj))?);
        }
        Format::Csv => {
            for (_, _, rs) in &sections {
                print(rs, a.format)?;
            }
        }
        Format::Table | Format::Markdown => {
            let md = matches!(a.format, Format::Markdown);
            if a.by.is_none() {
                let size = std::fs::metadata(&a.db.db).map(|m| m.len()).unwrap_or(0);
                println!("{}{} ({:.1} MB)\n", if md { "# " } else { "" }, a.db.db.display(), size as f64 / 1e6);
            }
            for (i, (_, title, rs)) in sections.iter().enumerate() {
                if i > 0 {
                    println!();
                }
                if md {
                    println!("## {title}\n");
                } else {
                    println!("{title}");
                }
                print(rs, a.format)?;
            }
            if a.by.is_none() && a.limit > 0 {
                let n: i64 = wh.conn().query_row("SELECT count(DISTINCT entity_id) FROM filings", [], |r| r.get(0))?;
                if n as usize > a.limit {
                    println!("(the {} entities with most facts of {n}; --limit 0 lists all)", a.limit);
                }
            }
        }
    }
    Ok(0)
}
