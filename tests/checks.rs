//! Issue 5: the accounting checks (v_checks), the derived metrics (v_metrics) against what management
//! wrote in each seed's MD&A, restatement views (v_latest, v_first_reported), discrete quarters
//! (v_quarters), the wide statements and the `check` command.

mod common;

use common::*;
use edgarfacts::export;
use edgarfacts::store::Warehouse;
use rust_decimal::{Decimal, RoundingStrategy};
use std::path::PathBuf;
use std::process::Command;
use std::str::FromStr;

const TEN_K: &str = "002_ca836c439cf71e0b.txt";
const TEN_Q: &str = "003_9546893661c5e793.txt";

fn seeds() -> Vec<PathBuf> {
    vec![root().join("fixtures/seeds").join(TEN_K), root().join("fixtures/seeds").join(TEN_Q)]
}

fn rows(wh: &Warehouse, sql: &str) -> Vec<Vec<String>> {
    export::query(wh.conn(), sql).unwrap_or_else(|e| panic!("{sql}: {e}")).rows.into_iter().map(|r| r.into_iter().map(|v| v.unwrap_or_default()).collect()).collect()
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap_or_else(|e| panic!("not a number {s:?}: {e}"))
}

/// Rounded the way a filer rounds in prose (half away from zero).
fn round(d: Decimal, dp: u32) -> Decimal {
    d.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}

/// Rounded to thousands of dollars ("$9,853,000").
fn thousands(d: Decimal) -> Decimal {
    round(d / Decimal::from(1000), 0) * Decimal::from(1000)
}

/// The seed's text with whitespace collapsed, to assert what its MD&A says.
fn prose(file: &str) -> String {
    let bytes = std::fs::read(root().join("fixtures/seeds").join(file)).unwrap();
    String::from_utf8_lossy(&bytes).split_whitespace().collect::<Vec<_>>().join(" ")
}

fn assert_says(text: &str, phrase: &str) {
    assert!(text.contains(phrase), "the MD&A should say {phrase:?}");
}

fn filing_of(wh: &Warehouse, file: &str) -> String {
    rows(wh, &format!("SELECT filing_id FROM filings WHERE source_file = '{file}'"))[0][0].clone()
}

#[derive(Debug)]
struct Metric {
    value: Decimal,
    implied: Option<Decimal>,
    flagged: bool,
    file: String,
    inputs: String,
}

/// v_metrics, read once: (metric, period start or "", period end) -> row.
struct Metrics(Vec<Vec<String>>);

impl Metrics {
    fn read(wh: &Warehouse) -> Metrics {
        Metrics(rows(
            wh,
            "SELECT metric, coalesce(CAST(period_start AS VARCHAR), ''), CAST(period_end AS VARCHAR), value, \
                    coalesce(CAST(implied_value AS VARCHAR), ''), input_failed_check, source_file, inputs FROM v_metrics",
        ))
    }

    /// One metric; `start` empty for balance-sheet dates.
    fn get(&self, name: &str, start: &str, end: &str) -> Metric {
        let r: Vec<&Vec<String>> = self.0.iter().filter(|r| r[0] == name && r[1] == start && r[2] == end).collect();
        assert_eq!(r.len(), 1, "{name} {start}..{end}: {r:?}");
        let r = r[0];
        Metric {
            value: dec(&r[3]),
            implied: if r[4].is_empty() { None } else { Some(dec(&r[4])) },
            flagged: r[5] == "true",
            file: r[6].clone(),
            inputs: r[7].clone(),
        }
    }
}

#[test]
fn checks_find_the_seed_errors_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let wh = load(&seeds(), dir.path());

    // every check that fails, at any level
    let failing = rows(
        &wh,
        "SELECT check_name, level, source_file, line, row_label, coalesce(CAST(period_start AS VARCHAR), ''), CAST(period_end AS VARCHAR), \
                actual, expected, difference, coalesce(CAST(ref_line AS VARCHAR), ''), coalesce(CAST(implied_value AS VARCHAR), '') \
         FROM v_checks WHERE status = 'fail' ORDER BY source_file, line",
    );
    for f in &failing {
        eprintln!("failing: {f:?}");
    }
    assert_eq!(failing.len(), 4, "exactly the four errors the issue names: {failing:#?}");
    assert!(failing.iter().all(|f| f[1] == "error"));

    // the 10-K's 2002 total current liabilities, printed with an extra digit
    let cl = &failing[0];
    assert_eq!((cl[0].as_str(), cl[2].as_str(), cl[3].as_str()), ("footing", TEN_K, "1318"));
    assert_eq!(cl[4], "Total current liabilities");
    assert_eq!(cl[6], "2002-12-31");
    assert_eq!((dec(&cl[7]), dec(&cl[8]), dec(&cl[9])), (dec("44737864"), dec("4737864"), dec("40000000")));
    assert_eq!(dec(&cl[11]), dec("4737864"), "the value the components imply");

    // note 6's pretax income (an unlabeled total) against the income statement
    let n6 = &failing[1];
    assert_eq!((n6[0].as_str(), n6[2].as_str(), n6[3].as_str()), ("duplicate_fact", TEN_K, "1895"));
    assert_eq!((n6[5].as_str(), n6[6].as_str()), ("2003-01-01", "2003-12-31"));
    assert_eq!((dec(&n6[7]), dec(&n6[8])), (dec("3543379"), dec("3545379")));
    assert_eq!(n6[10], "1381", "compared with the income statement's line");

    // the 10-Q's 2001 nine-month operating and financing totals, whose items do not add up
    let op = &failing[2];
    assert_eq!((op[0].as_str(), op[2].as_str(), op[3].as_str()), ("cash_flow_section", TEN_Q, "317"));
    assert_eq!(op[4], "Net cash provided by operating activities");
    assert_eq!((op[5].as_str(), op[6].as_str()), ("2001-01-01", "2001-09-30"));
    assert_eq!((dec(&op[7]), dec(&op[8])), (dec("2719585"), dec("2898493")));
    let fin = &failing[3];
    assert_eq!((fin[0].as_str(), fin[2].as_str(), fin[3].as_str()), ("footing", TEN_Q, "334"));
    assert_eq!((fin[5].as_str(), fin[6].as_str()), ("2001-01-01", "2001-09-30"));
    assert_eq!((dec(&fin[7]), dec(&fin[8])), (dec("11441165"), dec("11477165")));

    // everything else was checked, and passes
    let ran = rows(&wh, "SELECT check_name, count(*) FILTER (WHERE status = 'pass') FROM v_checks GROUP BY ALL ORDER BY 1");
    let passed = |name: &str| ran.iter().find(|r| r[0] == name).map(|r| r[1].parse::<usize>().unwrap()).unwrap_or(0);
    for (name, at_least) in [
        ("footing", 100),
        ("cash_flow_section", 4),
        ("cash_flow_net_change", 5),
        ("cash_roll_forward", 5),
        ("cash_ties_to_balance_sheet", 5),
        ("balance_sheet_balances", 4),
        ("liabilities_and_equity_total", 4),
        ("total_liabilities", 2),
        ("net_income_agreement", 8),
        ("equity_roll_forward", 18),
        ("equity_columns", 20),
        ("duplicate_fact", 20),
        ("current_ratio_inputs", 4),
    ] {
        assert!(passed(name) >= at_least, "{name}: {} passing checks, expected at least {at_least} ({ran:?})", passed(name));
    }
    // the 10-K's 2002 liabilities and equity add up once the misprinted subtotal is replaced by its components
    let lse = rows(
        &wh,
        &format!(
            "SELECT status, basis, actual, expected FROM v_checks WHERE check_name = 'liabilities_and_equity_total' \
             AND source_file = '{TEN_K}' AND period_end = DATE '2002-12-31'"
        ),
    );
    assert_eq!(lse.len(), 1);
    assert_eq!((lse[0][0].as_str(), lse[0][1].as_str()), ("pass", "implied"));
    assert_eq!(dec(&lse[0][2]), dec("25034616"));
    // relative error and category of the misprint
    let cat = rows(&wh, &format!("SELECT category, rel_error FROM v_checks WHERE source_file = '{TEN_K}' AND line = 1318 AND status = 'fail'"));
    assert_eq!(cat[0][0], "more");
    assert_eq!(round(dec(&cat[0][1]), 4), dec("8.4426"));
}

#[test]
fn synthetic_fixtures_fail_only_where_the_error_was_planted() {
    // fixtures/synthetic/README.md: every statement foots, balances and reconciles, except the deliberate
    // footing error in 11 (line 154, total current assets 1996 printed 15,514, components 15,504)
    let dir = tempfile::tempdir().unwrap();
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("fixtures/synthetic"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 16);
    let wh = load(&files, dir.path());
    let failing = rows(
        &wh,
        "SELECT check_name, source_file, line, CAST(period_end AS VARCHAR), actual, expected FROM v_checks \
         WHERE status = 'fail' AND level = 'error' ORDER BY source_file, line",
    );
    assert_eq!(failing.len(), 1, "{failing:#?}");
    assert_eq!(failing[0][0], "footing");
    assert_eq!(failing[0][1], "11_cp1252_10k_1996_cafe_europeen_footnotes.txt");
    assert_eq!(failing[0][2], "154");
    assert_eq!(failing[0][3], "1996-12-31");
    assert_eq!((dec(&failing[0][4]), dec(&failing[0][5])), (dec("15514000"), dec("15504000")));
    // total assets is the correct sum of the true components: it passes on the implied basis
    let ta = rows(
        &wh,
        "SELECT status, basis FROM v_footing JOIN facts USING (filing_id, table_id) \
         WHERE facts.row_index = v_footing.total_row AND facts.column_index = v_footing.column_index \
           AND facts.source_file LIKE '11_%' AND facts.line = 158 AND facts.period_end = DATE '1996-12-31'",
    );
    assert_eq!(ta, vec![vec!["pass".to_string(), "implied".to_string()]]);
    let n = rows(&wh, "SELECT count(*) FROM v_checks WHERE level = 'error' AND status = 'pass'");
    assert!(n[0][0].parse::<usize>().unwrap() > 500, "{n:?}");
}

#[test]
fn metrics_agree_with_the_mdna_of_each_seed() {
    let dir = tempfile::tempdir().unwrap();
    let wh = load(&seeds(), dir.path());
    let k = prose(TEN_K);
    let q = prose(TEN_Q);
    let all = Metrics::read(&wh);
    let metric = |_: &Warehouse, name: &str, start: &str, end: &str| all.get(name, start, end);

    // ---- 10-K, Item 7 ----
    assert_says(&k, "The current ratio was 3.1 to 1 and 2.8 to 1 at December 31, 2003 and 2002, respectively.");
    let cr03 = metric(&wh, "current_ratio", "", "2003-12-31");
    assert_eq!(round(cr03.value, 1), dec("3.1"));
    assert!(!cr03.flagged);
    assert_eq!(cr03.file, TEN_K);
    // 2002: the printed total current liabilities (44,737,864) fails its footing; the metric is flagged
    // and its implied version (components 4,737,864) is the MD&A's 2.8
    let cr02 = metric(&wh, "current_ratio", "", "2002-12-31");
    assert!(cr02.flagged, "{cr02:?}");
    assert_ne!(round(cr02.value, 1), dec("2.8"));
    assert_eq!(round(cr02.implied.expect("implied current ratio"), 1), dec("2.8"));
    assert!(cr02.inputs.contains("implied 4737864"), "{}", cr02.inputs);

    assert_says(&k, "was $9,853,000 and $8,370,000 at December 31, 2003 and 2002, respectively");
    let wc03 = metric(&wh, "working_capital", "", "2003-12-31");
    assert_eq!(thousands(wc03.value), dec("9853000"));
    let wc02 = metric(&wh, "working_capital", "", "2002-12-31");
    assert!(wc02.flagged);
    assert_eq!(thousands(wc02.implied.unwrap()), dec("8370000"));

    assert_says(&k, "cost of sales as a percentage of sales was 69.7% in 2003 compared to 68.9% in 2002");
    assert_says(&k, "cost of sales as a percentage of sales was 68.9% in 2002 compared to 70.8% in 2001");
    for (year, pct) in [("2003", "69.7"), ("2002", "68.9"), ("2001", "70.8")] {
        let m = metric(&wh, "cost_of_sales_pct", &format!("{year}-01-01"), &format!("{year}-12-31"));
        assert_eq!(round(m.value, 1), dec(pct), "cost of sales {year}: {m:?}");
    }
    assert_says(&k, "Selling, administrative and general expenses were 18% and 17% of sales in 2002 and 2001, respectively.");
    for (year, pct) in [("2002", "18"), ("2001", "17")] {
        let m = metric(&wh, "sga_pct", &format!("{year}-01-01"), &format!("{year}-12-31"));
        assert_eq!(round(m.value, 0), dec(pct), "SG&A {year}: {m:?}");
    }
    assert_says(&k, "The effective tax rate was 39% in 2003 and 2002.");
    assert_says(&k, "increase in the effective tax rate from 38% in 2001 to 39% in 2002");
    for (year, pct) in [("2003", "39"), ("2002", "39"), ("2001", "38")] {
        let m = metric(&wh, "effective_tax_rate", &format!("{year}-01-01"), &format!("{year}-12-31"));
        assert_eq!(round(m.value, 0), dec(pct), "tax rate {year}: {m:?}");
    }
    // 2003's pretax income disagrees with note 6: the tax rate is flagged, its value uses the statement
    assert!(metric(&wh, "effective_tax_rate", "2003-01-01", "2003-12-31").flagged);
    assert!(!metric(&wh, "effective_tax_rate", "2002-01-01", "2002-12-31").flagged);

    // ---- 10-Q, Item 2 ----
    assert_says(&q, "was 3.61 to 1 at September 30, 2002 and 3.55 to 1 at December 31, 2001");
    let m = metric(&wh, "current_ratio", "", "2002-09-30");
    assert_eq!((round(m.value, 2), m.flagged, m.file.as_str()), (dec("3.61"), false, TEN_Q));
    assert_eq!(round(metric(&wh, "current_ratio", "", "2001-12-31").value, 2), dec("3.55"));

    assert_says(&q, "was $12,189,000 at September 30, 2002, a decrease of $120,000 over $12,309,000 at December 31, 2001");
    let wc_q = metric(&wh, "working_capital", "", "2002-09-30").value;
    let wc_y = metric(&wh, "working_capital", "", "2001-12-31").value;
    assert_eq!(thousands(wc_q), dec("12189000"));
    assert_eq!(thousands(wc_y), dec("12309000"));
    assert_eq!(thousands(wc_y - wc_q), dec("120000"));

    assert_says(&q, "Cost of products sold as a percentage of sales was 68.8% during the first nine months of 2002 compared to 71.7%");
    assert_says(&q, "Cost of products sold as a percentage of sales was 68.5% during the third quarter of 2002, compared to 72.8%");
    assert_says(&q, "Selling, general and administrative expenses as a percent of sales were 17.5% in 2002 compared to 16.4% in 2001.");
    assert_says(&q, "were 18.5% of net sales during the third quarter of 2002 compared to 16.6% in the third quarter of 2001");
    for (metric_name, start, end, pct) in [
        ("cost_of_sales_pct", "2002-01-01", "2002-09-30", "68.8"),
        ("cost_of_sales_pct", "2001-01-01", "2001-09-30", "71.7"),
        ("cost_of_sales_pct", "2002-07-01", "2002-09-30", "68.5"),
        ("cost_of_sales_pct", "2001-07-01", "2001-09-30", "72.8"),
        ("sga_pct", "2002-01-01", "2002-09-30", "17.5"),
        ("sga_pct", "2001-01-01", "2001-09-30", "16.4"),
        ("sga_pct", "2002-07-01", "2002-09-30", "18.5"),
        ("sga_pct", "2001-07-01", "2001-09-30", "16.6"),
    ] {
        let m = metric(&wh, metric_name, start, end);
        assert_eq!(round(m.value, 1), dec(pct), "{metric_name} {start}..{end}: {m:?}");
        assert!(!m.flagged);
    }
    // "Cash provided by operating activities was $3,144,000 ... compared to $2,720,000": the printed
    // totals (the 2001 one fails its footing, the MD&A confirms the printed figure)
    assert_says(&q, "Cash provided by operating activities was $3,144,000 during the first nine months of 2002, compared to $2,720,000");
    let cfo = rows(&wh, "SELECT period_start, cash_from_operations FROM v_cash_flow WHERE months = 9 ORDER BY period_start");
    assert_eq!(thousands(dec(&cfo[0][1])), dec("2720000"));
    assert_eq!(thousands(dec(&cfo[1][1])), dec("3144000"));
    let fcf01 = metric(&wh, "free_cash_flow", "2001-01-01", "2001-09-30");
    assert!(fcf01.flagged && fcf01.implied.is_some(), "{fcf01:?}");

    // metrics are exact decimals, never floating point
    let types = rows(&wh, "SELECT column_name, column_type FROM (DESCRIBE v_metrics)");
    assert!(types.iter().any(|t| t[0] == "value" && t[1].starts_with("DECIMAL")), "{types:?}");
    // EPS cross-check: net income / weighted shares rounds to the printed basic EPS
    let eps = metric(&wh, "eps_basic_computed", "2003-01-01", "2003-12-31");
    assert_eq!(round(eps.value, 2), dec("1.41"), "{eps:?}");
}

#[test]
fn latest_and_first_reported_values() {
    let dir = tempfile::tempdir().unwrap();
    let wh = load(&seeds(), dir.path());
    let (k, q) = (filing_of(&wh, TEN_K), filing_of(&wh, TEN_Q));

    // facts both filings report: the 10-Q's balance sheet at December 31, 2001 (the 10-K prints it in
    // selected data and as the cash at the beginning of 2002) and the third quarter of 2002 (the 10-K's
    // quarterly note)
    for (concept, start, end, value) in [
        ("us-gaap:Assets", "", "2001-12-31", "29735420"),
        ("us-gaap:StockholdersEquity", "", "2001-12-31", "14553876"),
        ("us-gaap:CashAndCashEquivalentsAtCarryingValue", "", "2001-12-31", "4579034"),
        ("us-gaap:SalesRevenueNet", "2002-07-01", "2002-09-30", "9975928"),
        ("us-gaap:NetIncomeLoss", "2002-07-01", "2002-09-30", "766987"),
    ] {
        let start_cond = if start.is_empty() { "period_start IS NULL".to_string() } else { format!("period_start = DATE '{start}'") };
        let cond = format!("concept = '{concept}' AND dimension IS NULL AND {start_cond} AND period_end = DATE '{end}'");
        let latest = rows(&wh, &format!("SELECT value, filing_id, n_filings, values_differ, first_filing_id, restated FROM v_latest WHERE {cond}"));
        assert_eq!(latest.len(), 1, "{concept} {end}: {latest:?}");
        assert_eq!(dec(&latest[0][0]), dec(value));
        assert_eq!(latest[0][1], k, "the 10-K is the more recent filing");
        assert_eq!(latest[0][2], "2");
        assert_eq!(latest[0][3], "false");
        assert_eq!(latest[0][4], q, "first reported in the 10-Q");
        assert_eq!(latest[0][5], "false");
        let first = rows(&wh, &format!("SELECT value, filing_id, n_filings, latest_filing_id FROM v_first_reported WHERE {cond}"));
        assert_eq!(first.len(), 1);
        assert_eq!(dec(&first[0][0]), dec(value));
        assert_eq!((first[0][1].as_str(), first[0][2].as_str(), first[0][3].as_str()), (q.as_str(), "2", k.as_str()));
    }

    // one row per (entity, concept, dimension, unit, period) in both views, the same keys
    let key = "entity_id, concept, coalesce(dimension, ''), unit, period_type, coalesce(CAST(period_start AS VARCHAR), ''), coalesce(CAST(period_end AS VARCHAR), '')";
    let dup = rows(&wh, &format!("SELECT count(*) FROM (SELECT {key} FROM v_latest GROUP BY ALL HAVING count(*) > 1)"));
    assert_eq!(dup[0][0], "0");
    let diff = rows(
        &wh,
        &format!("SELECT count(*) FROM ((SELECT {key} FROM v_latest EXCEPT SELECT {key} FROM v_first_reported) UNION ALL (SELECT {key} FROM v_first_reported EXCEPT SELECT {key} FROM v_latest))"),
    );
    assert_eq!(diff[0][0], "0");
    // facts of one filing only: nothing to differ
    let single = rows(&wh, "SELECT count(*) FILTER (WHERE values_differ OR filing_id <> first_filing_id), count(*) FROM v_latest WHERE n_filings = 1");
    assert_eq!(single[0][0], "0");
    assert!(single[0][1].parse::<usize>().unwrap() > 500);
    // values_differ means the filings' values are not all the same
    let bad = rows(
        &wh,
        "SELECT count(*) FROM v_latest l WHERE l.values_differ <> \
           ((SELECT count(DISTINCT v.value) FROM v_fact_versions v WHERE v.entity_id = l.entity_id AND v.concept = l.concept \
              AND v.dimension IS NOT DISTINCT FROM l.dimension AND v.unit = l.unit AND v.period_type = l.period_type \
              AND v.period_start IS NOT DISTINCT FROM l.period_start AND v.period_end IS NOT DISTINCT FROM l.period_end) > 1)",
    );
    assert_eq!(bad[0][0], "0");
}

#[test]
fn quarters_derived_from_year_to_date() {
    let dir = tempfile::tempdir().unwrap();
    let wh = load(&seeds(), dir.path());
    let (k, q) = (filing_of(&wh, TEN_K), filing_of(&wh, TEN_Q));
    let quarter = |concept: &str, start: &str, end: &str| {
        let r = rows(
            &wh,
            &format!(
                "SELECT value, derived, method, coalesce(CAST(reported_value AS VARCHAR), ''), coalesce(CAST(derived_value AS VARCHAR), ''), \
                        coalesce(derivation, ''), coalesce(ytd_filing_id, ''), coalesce(prior_filing_id, ''), coalesce(CAST(fiscal_quarter AS VARCHAR), ''), \
                        coalesce(CAST(ytd_value AS VARCHAR), ''), coalesce(CAST(prior_value AS VARCHAR), '') \
                 FROM v_quarters WHERE concept = '{concept}' AND dimension IS NULL AND period_start = DATE '{start}' AND period_end = DATE '{end}'"
            ),
        );
        assert_eq!(r.len(), 1, "{concept} {start}..{end}: {r:?}");
        r[0].clone()
    };

    // Q4 2002 = FY 2002 (10-K) - nine months 2002 (10-Q), and the 10-K's quarterly note prints the same
    for (concept, fy, nine, q4) in [
        ("us-gaap:SalesRevenueNet", "40670721", "30238813", "10431908"),
        ("us-gaap:GrossProfit", "12640552", "9429389", "3211163"),
        ("us-gaap:NetIncomeLoss", "3022828", "2390985", "631843"),
    ] {
        let r = quarter(concept, "2002-10-01", "2002-12-31");
        assert_eq!(dec(&r[4]), dec(q4), "{concept} derived: {r:?}");
        assert_eq!(dec(&r[3]), dec(&r[4]), "{concept}: derived = the quarterly note");
        assert_eq!((r[5].as_str(), r[6].as_str(), r[7].as_str(), r[8].as_str()), ("FY - 9M", k.as_str(), q.as_str(), "4"));
        assert_eq!((dec(&r[9]), dec(&r[10])), (dec(fy), dec(nine)));
        assert_eq!(dec(&r[0]), dec(q4));
    }

    // Q3 2002 is reported by both filings (10-Q three months, 10-K quarterly note): 9,975,928
    let r = quarter("us-gaap:SalesRevenueNet", "2002-07-01", "2002-09-30");
    assert_eq!((dec(&r[0]), r[1].as_str(), r[2].as_str(), r[8].as_str()), (dec("9975928"), "false", "reported", "3"));
    let both = rows(&wh, "SELECT n_filings FROM v_latest WHERE concept = 'us-gaap:SalesRevenueNet' AND period_start = DATE '2002-07-01' AND period_end = DATE '2002-09-30'");
    assert_eq!(both[0][0], "2");

    // Q4 2001 is only derived: FY 2001 (39,627,216) - nine months 2001 (29,317,940)
    let r = quarter("us-gaap:SalesRevenueNet", "2001-10-01", "2001-12-31");
    assert_eq!((dec(&r[0]), r[1].as_str(), r[2].as_str()), (dec("10309276"), "true", "FY - 9M"));
    assert_eq!(r[3], "", "no reported value");

    // the four reported quarters of 2003 add up to the year
    let sum = rows(
        &wh,
        "SELECT sum(value), count(*) FROM v_quarters WHERE concept = 'us-gaap:SalesRevenueNet' AND period_start >= DATE '2003-01-01' AND period_end <= DATE '2003-12-31'",
    );
    assert_eq!(sum[0][1], "4");
    let fy = rows(&wh, "SELECT revenues FROM v_income_statement WHERE period_start = DATE '2003-01-01' AND period_end = DATE '2003-12-31'");
    assert_eq!(dec(&sum[0][0]), dec(&fy[0][0]));
    // only money flows: no per-share or share-count quarters
    let units = rows(&wh, "SELECT DISTINCT unit FROM v_quarters");
    assert_eq!(units, vec![vec!["USD".to_string()]]);
}

#[test]
fn statement_views_one_row_per_entity_and_period() {
    let dir = tempfile::tempdir().unwrap();
    let wh = load(&seeds(), dir.path());
    let (k, q) = (filing_of(&wh, TEN_K), filing_of(&wh, TEN_Q));

    let bs = rows(
        &wh,
        "SELECT CAST(period_end AS VARCHAR), filing_id, total_current_assets, total_current_liabilities, total_assets, \
                total_liabilities_and_equity, total_equity, cash_and_equivalents \
         FROM v_balance_sheet ORDER BY period_end",
    );
    let dates: Vec<&str> = bs.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(dates, ["2001-12-31", "2002-09-30", "2002-12-31", "2003-12-31"]);
    assert_eq!(bs[0][1], q);
    assert_eq!(bs[3][1], k);
    for r in &bs {
        assert_eq!(dec(&r[4]), dec(&r[5]), "assets = liabilities and equity at {}", r[0]);
    }
    assert_eq!(dec(&bs[3][2]), dec("14588166"));
    assert_eq!(dec(&bs[2][3]), dec("44737864"), "as printed");
    assert_eq!(dec(&bs[0][6]), dec("14553876"));

    let is = rows(
        &wh,
        "SELECT CAST(period_start AS VARCHAR), CAST(period_end AS VARCHAR), months, revenues, cost_of_revenue, gross_profit, \
                selling_general_administrative, operating_income, pretax_income, income_taxes, net_income, eps_basic, filing_id \
         FROM v_income_statement ORDER BY period_end, months",
    );
    assert_eq!(is.len(), 7, "3 years, 2 nine-month and 2 three-month periods: {is:?}");
    let months: Vec<&str> = is.iter().map(|r| r[2].as_str()).collect();
    assert_eq!(months, ["3", "9", "12", "3", "9", "12", "12"]);
    for r in &is {
        assert_eq!(dec(&r[3]) - dec(&r[4]), dec(&r[5]), "gross profit {}..{}", r[0], r[1]);
        assert_eq!(dec(&r[5]) - dec(&r[6]), dec(&r[7]), "operating income {}..{}", r[0], r[1]);
        assert_eq!(dec(&r[8]) - dec(&r[9]), dec(&r[10]), "net income {}..{}", r[0], r[1]);
    }
    let fy01 = is.iter().find(|r| r[0] == "2001-01-01" && r[2] == "12").unwrap();
    assert_eq!((dec(&fy01[3]), fy01[12].as_str()), (dec("39627216"), k.as_str()));
    let q302 = is.iter().find(|r| r[0] == "2002-07-01").unwrap();
    assert_eq!((dec(&q302[3]), dec(&q302[11]), q302[12].as_str()), (dec("9975928"), dec("0.40"), q.as_str()));

    let cf = rows(
        &wh,
        "SELECT CAST(c.period_end AS VARCHAR), c.months, c.cash_from_operations, c.cash_from_investing, c.cash_from_financing, \
                coalesce(c.effect_of_exchange_rates, 0), c.net_change_in_cash, c.cash_beginning, c.cash_ending, b.cash_and_equivalents \
         FROM v_cash_flow c LEFT JOIN v_balance_sheet b ON b.entity_id = c.entity_id AND b.period_end = c.period_end \
         ORDER BY c.period_end, c.months",
    );
    assert_eq!(cf.len(), 5);
    for r in &cf {
        assert_eq!(dec(&r[2]) + dec(&r[3]) + dec(&r[4]) + dec(&r[5]), dec(&r[6]), "net change {}", r[0]);
        assert_eq!(dec(&r[7]) + dec(&r[6]), dec(&r[8]), "cash roll-forward {}", r[0]);
        if !r[9].is_empty() {
            assert_eq!(dec(&r[8]), dec(&r[9]), "ending cash = balance sheet cash {}", r[0]);
        }
    }
    let with_bs = cf.iter().filter(|r| !r[9].is_empty()).count();
    assert_eq!(with_bs, 4, "all but the nine months to 2001-09-30 end on a balance-sheet date");

    // money stays exact: no floating point column in any of the views
    for view in ["v_latest", "v_first_reported", "v_balance_sheet", "v_income_statement", "v_cash_flow", "v_quarters", "v_metrics", "v_checks"] {
        let types = rows(&wh, &format!("SELECT column_name, column_type FROM (DESCRIBE {view})"));
        assert!(!types.is_empty());
        let floats: Vec<&Vec<String>> = types.iter().filter(|t| t[1] == "DOUBLE" || t[1] == "FLOAT").collect();
        assert!(floats.is_empty(), "{view}: {floats:?}");
    }
    let money = rows(&wh, "SELECT column_type FROM (DESCRIBE v_balance_sheet) WHERE column_name = 'total_assets'");
    assert_eq!(money[0][0], "DECIMAL(38,6)");
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_edgarfacts"))
}

#[test]
fn check_command_prints_failures_and_sets_the_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("seeds.duckdb");
    let out = bin().arg("load").args(seeds()).arg("--db").arg(&db).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let out = bin().arg("check").arg("--db").arg(&db).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "errors found: {stdout}\n{stderr}");
    for needle in ["Total current liabilities", "1318", "44737864", "4737864", "40000000", "1895", "3543379", "3545379", "317", "334", TEN_K, TEN_Q] {
        assert!(stdout.contains(needle), "{needle:?} in\n{stdout}");
    }
    assert!(stdout.contains("(4 rows)"), "{stdout}");
    assert!(stderr.contains("4 errors and 0 warnings failed"), "{stderr}");

    // one filing, as CSV, passing checks too
    let out = bin().args(["check", "--all", "--format", "csv", "--filing", TEN_Q, "--db"]).arg(&db).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let csv = String::from_utf8_lossy(&out.stdout);
    let mut rdr = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = rdr.headers().unwrap().iter().map(|s| s.to_string()).collect();
    assert_eq!(&header[..11], ["check", "level", "status", "file", "line", "statement", "line_item", "period", "printed", "implied", "difference"]);
    let recs: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    assert!(recs.len() > 50, "{}", recs.len());
    assert!(recs.iter().all(|r| &r[3] == TEN_Q));
    assert_eq!(recs.iter().filter(|r| &r[2] == "fail").count(), 2);

    // a filing without errors: exit 0
    let db2 = dir.path().join("clean.duckdb");
    let clean = root().join("fixtures/synthetic/05_plain_10ksb_1996_castlebrook.txt");
    assert!(bin().arg("load").arg(&clean).arg("--db").arg(&db2).output().unwrap().status.success());
    let out = bin().arg("check").arg("--db").arg(&db2).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("0 errors"));

    // an unknown filing is an error, not an empty success
    let out = bin().args(["check", "--filing", "nope.txt", "--db"]).arg(&db).output().unwrap();
    assert_ne!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no filing"));
}
