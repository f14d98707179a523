//! `edgarfacts tables`: show every table of a filing as the engine understood it.

use crate::concepts::ConceptMap;
use crate::facts::Fact;
use crate::periods::Period;
use crate::pipeline;
use std::collections::HashMap;
use std::path::PathBuf;

/// Show each table of a filing as the engine reads it: title, kind, scale, line span,
/// columns with their header words, and every row with its label, section, values,
/// periods, units and concepts. This is how you debug a number.
///
/// Examples:
///   edgarfacts tables fixtures/seeds/002_ca836c439cf71e0b.txt
///   edgarfacts tables filing.txt --table 5
///   edgarfacts tables filing.txt --format json | jq '.[0].rows[0]'
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The filing to read (nothing is written to a warehouse)
    pub file: PathBuf,
    /// Only this table (1-based, as numbered in the listing)
    #[arg(long, short = 't')]
    pub table: Option<usize>,
    #[arg(long, short = 'f', value_enum, default_value = "text")]
    pub format: Format,
    /// Extra concept rules (CSV) as for `load`
    #[arg(long)]
    pub concept_map: Option<PathBuf>,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum Format {
    Text,
    Json,
}

fn period_text(p: &Period) -> String {
    match p {
        Period::Instant { date } => format!("@{date}"),
        Period::Duration { start, end } => format!("{start}..{end}"),
        Period::None => "-".into(),
    }
}

pub fn run(a: Args) -> anyhow::Result<i32> {
    let map = match &a.concept_map {
        Some(p) => ConceptMap::with_user_file(p)?,
        None => ConceptMap::builtin()?,
    };
    let parsed = pipeline::parse_path(&a.file, None, &map)?;
    let ex = &parsed.extracted;
    let f = &parsed.filing;
    let facts: HashMap<(usize, usize, usize), &Fact> = ex.facts.iter().map(|x| ((x.table_id, x.row, x.col), x)).collect();
    let selected: Vec<usize> = (0..ex.tables.len()).filter(|i| a.table.is_none_or(|n| ex.tables[*i].id == n)).collect();
    if let Some(n) = a.table {
        if selected.is_empty() {
            anyhow::bail!("{}: no table {n} (the filing has {} tables)", a.file.display(), ex.tables.len());
        }
    }
    if matches!(a.format, Format::Json) {
        let items: Vec<serde_json::Value> = selected
            .iter()
            .map(|&i| {
                let t = &ex.tables[i];
                let tf: Vec<&&Fact> = facts.iter().filter(|((tid, _, _), _)| *tid == t.id).map(|(_, v)| v).collect();
                serde_json::json!({ "table": t, "concepts": ex.concepts[i], "facts": tf })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&items)?);
        return Ok(0);
    }
    println!(
        "{}: {} {} ({}), {} document(s), {} table(s), {} facts",
        f.source_file,
        f.meta.form_type.as_deref().unwrap_or("?"),
        f.meta.company_name.as_deref().unwrap_or("?"),
        f.meta.period_of_report.map(|d| d.to_string()).unwrap_or_else(|| "no period".into()),
        f.documents.len(),
        ex.tables.len(),
        ex.facts.len()
    );
    for &i in &selected {
        let t = &ex.tables[i];
        println!();
        println!(
            "Table {}: {:?} [{}] lines {}-{}{}{}",
            t.id,
            t.title,
            t.kind.as_str(),
            t.first_line,
            t.last_line,
            t.scale.text.as_ref().map(|s| format!(", scale x{} ({s})", t.scale.factor)).unwrap_or_default(),
            if t.tagged { ", <TABLE>" } else { "" }
        );
        if !t.caption.is_empty() {
            println!("  caption: {:?}", t.caption);
        }
        for c in &t.columns {
            println!("  col {}{} [{}..{}]: {:?}", c.index + 1, if c.text { " (text)" } else { "" }, c.left, c.right, c.label());
        }
        let mut last_ctx: Option<&String> = None;
        for (ri, r) in t.rows.iter().enumerate() {
            if r.context.as_ref() != last_ctx {
                println!("  context: {:?}", r.context.as_deref().unwrap_or(""));
                last_ctx = r.context.as_ref();
            }
            let mut vals = Vec::new();
            for rc in &r.cells {
                match facts.get(&(t.id, ri, rc.col)) {
                    Some(x) => vals.push(format!("c{}={} {} {}", rc.col + 1, x.value, x.unit, period_text(&x.period))),
                    None => vals.push(format!("c{}={:?}", rc.col + 1, rc.text)),
                }
            }
            let concept = ex.concepts[i].get(ri).map(|m| format!("{} ({}, {})", m.concept, m.source, m.section)).unwrap_or_default();
            println!("  L{:<5} {:<50} | {}", r.line, truncate(&r.label, 50), vals.join("  "));
            if !r.sections.is_empty() || !concept.is_empty() {
                println!("         {} {}", if r.sections.is_empty() { String::new() } else { format!("[{}]", r.sections.join(" > ")) }, concept);
            }
        }
        for w in &t.warnings {
            println!("  warning: {w}");
        }
    }
    Ok(0)
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n { s.to_string() } else { s.chars().take(n - 1).collect::<String>() + "…" }
}
