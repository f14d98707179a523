//! Shared test helpers: load files into a temporary warehouse, read facts back, and
//! score them against gold CSVs the way ../shared/eval/score.py does.
#![allow(dead_code)]

use edgarfacts::concepts::ConceptMap;
use edgarfacts::export;
use edgarfacts::pipeline;
use edgarfacts::store::Warehouse;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn shared() -> Option<PathBuf> {
    let p = root().join("../shared");
    p.join("devset").exists().then_some(p)
}

#[derive(Debug, Clone)]
pub struct Row {
    pub file: String,
    pub line: usize,
    pub value: Decimal,
    pub period_type: String,
    pub start: String,
    pub end: String,
    pub unit: String,
    pub row_label: String,
    pub column_label: String,
    pub concept: String,
    pub kind: String,
    pub table_title: String,
}

/// Load files into a fresh warehouse in `dir`; returns the warehouse.
pub fn load(files: &[PathBuf], dir: &Path) -> Warehouse {
    let map = ConceptMap::builtin().expect("concept map");
    let mut wh = Warehouse::open(&dir.join("w.duckdb")).expect("open warehouse");
    for f in files {
        let parsed = pipeline::parse_path(f, None, &map).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        wh.load(&parsed.filing, &parsed.extracted).expect("load");
    }
    wh
}

/// The facts of a warehouse as scorer rows.
pub fn facts(wh: &Warehouse) -> Vec<Row> {
    let rs = export::query(
        wh.conn(),
        "SELECT source_file, line, value, period_type, period_start, period_end, unit, row_label, column_label, concept, table_title FROM v_facts",
    )
    .expect("query facts");
    rs.rows
        .iter()
        .map(|r| {
            let s = |i: usize| r[i].clone().unwrap_or_default();
            Row {
                file: s(0),
                line: s(1).parse().unwrap_or(0),
                value: Decimal::from_str(&s(2)).unwrap_or_default().normalize(),
                period_type: s(3),
                start: s(4),
                end: s(5),
                unit: s(6),
                row_label: s(7),
                column_label: s(8),
                concept: s(9),
                kind: String::new(),
                table_title: s(10),
            }
        })
        .collect()
}

pub fn read_gold(dir: &Path) -> Vec<Row> {
    let mut out = Vec::new();
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir).expect("gold dir").flatten().map(|e| e.path()).collect();
    names.sort();
    for p in names.into_iter().filter(|p| p.extension().is_some_and(|e| e == "csv")) {
        let mut rdr = csv::Reader::from_path(&p).expect("gold csv");
        let h = rdr.headers().expect("header").clone();
        let idx = |n: &str| h.iter().position(|x| x == n).unwrap_or_else(|| panic!("{}: no column {n}", p.display()));
        for rec in rdr.records() {
            let rec = rec.expect("gold row");
            out.push(Row {
                file: rec[idx("file")].to_string(),
                line: rec[idx("line")].parse().unwrap_or(0),
                value: Decimal::from_str(rec[idx("value")].trim()).unwrap_or_default().normalize(),
                period_type: rec[idx("period_type")].to_string(),
                start: rec[idx("period_start")].to_string(),
                end: rec[idx("period_end")].to_string(),
                unit: rec[idx("unit")].to_string(),
                row_label: rec[idx("row_label")].to_string(),
                column_label: rec[idx("column_label")].to_string(),
                concept: rec[idx("concept")].to_string(),
                kind: rec[idx("kind")].to_string(),
                table_title: rec[idx("table_title")].to_string(),
            });
        }
    }
    out
}

fn period_key(r: &Row) -> (String, String, String) {
    let t = r.period_type.trim().to_ascii_lowercase();
    if t.is_empty() || t == "none" {
        return ("none".into(), String::new(), String::new());
    }
    let start = if t == "duration" { r.start.clone() } else { String::new() };
    (t, start, r.end.clone())
}

fn label_key(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase().trim_end_matches(':').trim().to_string()
}

const EQUIV: &[&[&str]] = &[
    &["revenues", "salesrevenuenet", "salesrevenuegoodsnet", "revenuefromcontractwithcustomerexcludingassessedtax"],
    &["costofgoodssold", "costofgoodsandservicessold", "costofrevenue", "costofgoodssoldexcludingdepreciationdepletionandamortization"],
    &[
        "incomelossfromcontinuingoperationsbeforeincometaxesextraordinaryitemsnoncontrollinginterest",
        "incomelossfromcontinuingoperationsbeforeincometaxesminorityinterestandincomelossfromequitymethodinvestments",
        "incomelossbeforeincometaxes",
    ],
    &["netincomeloss", "profitloss", "netincomelossavailabletocommonstockholdersbasic"],
    &["investmentincomeinterest", "interestincome", "interestandotherincome", "investmentincomeinterestanddividend"],
    &["othernonoperatingincomeexpense", "nonoperatingincomeexpense", "othernonoperatingincome"],
    &["interestexpense", "interestexpensedebt"],
    &["accountsreceivablenetcurrent", "accountsandnotesreceivablenet", "receivablesnetcurrent"],
    &["inventorynet", "inventoryfinishedgoodsnetofreserves"],
    &["stockholdersequity", "stockholdersequityincludingportionattributabletononcontrollinginterest"],
    &["longtermdebtnoncurrent", "longtermdebtexcludingcurrentmaturities"],
    &["longtermdebtcurrent", "debtcurrent"],
    &["netcashprovidedbyusedinoperatingactivities", "netcashprovidedbyusedinoperatingactivitiescontinuingoperations"],
    &["netcashprovidedbyusedininvestingactivities", "netcashprovidedbyusedininvestingactivitiescontinuingoperations"],
    &["netcashprovidedbyusedinfinancingactivities", "netcashprovidedbyusedinfinancingactivitiescontinuingoperations"],
    &[
        "cashandcashequivalentsperiodincreasedecrease",
        "cashcashequivalentsrestrictedcashandrestrictedcashequivalentsperiodincreasedecreaseincludingexchangerateeffect",
        "cashandcashequivalentsperiodincreasedecreaseexcludingexchangerateeffect",
    ],
    &["cashandcashequivalentsatcarryingvalue", "cashcashequivalentsrestrictedcashandrestrictedcashequivalents", "cash"],
    &["earningspersharebasic", "earningspersharebasicanddiluted"],
    &["weightedaveragenumberofsharesoutstandingbasic", "weightedaveragenumberofshareoutstandingbasicanddiluted"],
];

fn concept_key(c: &str) -> String {
    let c = c.trim().to_ascii_lowercase();
    for p in ["us-gaap:", "usgaap:", "us_gaap:", "us-gaap_", "us_gaap_"] {
        if let Some(rest) = c.strip_prefix(p) {
            return rest.to_string();
        }
    }
    c
}

fn concepts_agree(gold: &str, got: &str) -> Option<bool> {
    let (g, p) = (concept_key(gold), concept_key(got));
    if g.is_empty() {
        return None;
    }
    if g == p {
        return Some(true);
    }
    Some(EQUIV.iter().any(|grp| grp.contains(&g.as_str()) && grp.contains(&p.as_str())))
}

fn unit_key(u: &str) -> String {
    match u.trim().to_ascii_lowercase().as_str() {
        "usd" | "$" | "iso4217:usd" | "dollars" => "USD".into(),
        "usd/share" | "usd/shares" | "usd_per_share" | "usd-per-share" | "usdpershare" | "iso4217:usd/shares" => "USD/share".into(),
        "shares" | "share" | "xbrli:shares" => "shares".into(),
        "percent" | "%" | "pct" => "percent".into(),
        _ => u.trim().to_string(),
    }
}

#[derive(Debug, Default)]
pub struct Score {
    pub gold_financial: usize,
    pub matched_financial: usize,
    pub gold_other: usize,
    pub matched_other: usize,
    pub in_scope: usize,
    pub matched_all: usize,
    pub period_ok: usize,
    pub period_na: usize,
    pub unit_ok: usize,
    pub label_ok: usize,
    pub concept_total: usize,
    pub concept_ok: usize,
    pub misses: Vec<String>,
    pub strays: Vec<String>,
    pub wrong: Vec<String>,
}

impl Score {
    pub fn recall(&self) -> f64 {
        pct(self.matched_financial, self.gold_financial)
    }
    pub fn precision(&self) -> f64 {
        pct(self.matched_all, self.in_scope)
    }
    pub fn period_accuracy(&self) -> f64 {
        pct(self.period_ok, self.matched_financial - self.period_na)
    }
    pub fn unit_accuracy(&self) -> f64 {
        pct(self.unit_ok, self.matched_financial)
    }
    pub fn label_accuracy(&self) -> f64 {
        pct(self.label_ok, self.matched_financial)
    }
    pub fn concept_accuracy(&self) -> f64 {
        pct(self.concept_ok, self.concept_total)
    }
    pub fn summary(&self) -> String {
        format!(
            "recall {:.2}% ({}/{}), other recall {}/{}, precision {:.2}%, period {:.2}%, unit {:.2}%, label {:.2}%, concept {:.2}% ({} rows)",
            self.recall(),
            self.matched_financial,
            self.gold_financial,
            self.matched_other,
            self.gold_other,
            self.precision(),
            self.period_accuracy(),
            self.unit_accuracy(),
            self.label_accuracy(),
            self.concept_accuracy(),
            self.concept_total
        )
    }
}

fn pct(a: usize, b: usize) -> f64 {
    if b == 0 { 100.0 } else { 100.0 * a as f64 / b as f64 }
}

/// Score facts against gold: a fact matches a gold cell on file, line and value.
pub fn score(gold: &[Row], facts: &[Row]) -> Score {
    let files: std::collections::HashSet<&str> = gold.iter().map(|g| g.file.as_str()).collect();
    let mut by_cell: HashMap<(String, usize, Decimal), Vec<usize>> = HashMap::new();
    let mut s = Score::default();
    for (i, f) in facts.iter().enumerate() {
        if files.contains(f.file.as_str()) {
            s.in_scope += 1;
            by_cell.entry((f.file.clone(), f.line, f.value)).or_default().push(i);
        }
    }
    let mut used = vec![false; facts.len()];
    let mut order: Vec<usize> = (0..gold.len()).collect();
    order.sort_by_key(|&i| if gold[i].period_type != "none" { 0 } else { 1 });
    let mut matched: Vec<Option<usize>> = vec![None; gold.len()];
    for &gi in &order {
        let g = &gold[gi];
        let Some(cands) = by_cell.get(&(g.file.clone(), g.line, g.value)) else { continue };
        let free: Vec<usize> = cands.iter().copied().filter(|&c| !used[c]).collect();
        if free.is_empty() {
            continue;
        }
        let best = free.iter().copied().find(|&c| period_key(&facts[c]) == period_key(g)).unwrap_or(free[0]);
        used[best] = true;
        matched[gi] = Some(best);
    }
    for (gi, g) in gold.iter().enumerate() {
        let other = g.kind == "other";
        if other {
            s.gold_other += 1;
        } else {
            s.gold_financial += 1;
        }
        let Some(fi) = matched[gi] else {
            s.misses.push(format!("{}:{} {:?} {:?} {:?} = {}", g.file, g.line, g.table_title, g.row_label, g.column_label, g.value));
            continue;
        };
        s.matched_all += 1;
        if other {
            s.matched_other += 1;
            continue;
        }
        s.matched_financial += 1;
        let f = &facts[fi];
        let pk = period_key(g);
        if pk.0 == "none" {
            s.period_na += 1;
        } else if pk == period_key(f) {
            s.period_ok += 1;
        } else {
            s.wrong.push(format!("period {}:{} {:?} gold={:?} got={:?}", g.file, g.line, g.row_label, pk, period_key(f)));
        }
        if unit_key(&g.unit) == unit_key(&f.unit) {
            s.unit_ok += 1;
        } else {
            s.wrong.push(format!("unit {}:{} {:?} gold={} got={}", g.file, g.line, g.row_label, g.unit, f.unit));
        }
        if label_key(&g.row_label) == label_key(&f.row_label) {
            s.label_ok += 1;
        } else {
            s.wrong.push(format!("label {}:{} gold={:?} got={:?}", g.file, g.line, g.row_label, f.row_label));
        }
        if let Some(ok) = concepts_agree(&g.concept, &f.concept) {
            s.concept_total += 1;
            if ok {
                s.concept_ok += 1;
            } else {
                s.wrong.push(format!("concept {}:{} {:?} gold={} got={}", g.file, g.line, g.row_label, g.concept, f.concept));
            }
        }
    }
    for (i, f) in facts.iter().enumerate() {
        if files.contains(f.file.as_str()) && !used[i] {
            s.strays.push(format!("{}:{} {:?} = {}", f.file, f.line, f.row_label, f.value));
        }
    }
    s
}
