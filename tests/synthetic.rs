//! Synthetic but realistic fixtures (fixtures/synthetic, synthetic2, synthetic3): envelopes, scales, fiscal years,
//! 52-week years, 10-Q column groups, segments, page splits, tabs, CRLF, Windows-1252,
//! dot leaders, footnote marks. Each has hand-made expected facts and header metadata.

mod common;

use common::*;
use edgarfacts::concepts::ConceptMap;
use edgarfacts::pipeline;
use std::path::PathBuf;

fn fixtures(dir: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    v.sort();
    v
}

/// The fixtures of `dir` (at least `min_fixtures`) and the facts of a warehouse holding them all.
fn load_batch(dir: &str, min_fixtures: usize) -> (Vec<PathBuf>, Vec<Row>) {
    let files = fixtures(dir);
    assert!(files.len() >= min_fixtures, "at least {min_fixtures} fixtures in {dir}");
    let tmp = tempfile::tempdir().unwrap();
    let wh = load(&files, tmp.path());
    let all = facts(&wh);
    (files, all)
}

/// Load every fixture of `dir` and score each against `dir/expected/<name>.csv`; the facts of
/// the batch are returned for further checks.
fn score_folder(dir: &str, min_fixtures: usize) -> Vec<Row> {
    let (files, all) = load_batch(dir, min_fixtures);
    let mut failures = Vec::new();
    for f in &files {
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        let expected = root().join(dir).join("expected").join(name.replace(".txt", ".csv"));
        let gold_dir = tempfile::tempdir().unwrap();
        std::fs::copy(&expected, gold_dir.path().join("e.csv")).unwrap();
        let s = score(&read_gold(gold_dir.path()), &all);
        eprintln!("{name}: {}", s.summary());
        for m in s.misses.iter().chain(s.strays.iter()).chain(s.wrong.iter()).take(10) {
            eprintln!("    {m}");
        }
        if s.recall() < 98.0 || s.precision() < 98.0 || s.period_accuracy() < 98.0 || s.unit_accuracy() < 98.0 || s.label_accuracy() < 95.0 {
            failures.push(name);
        }
    }
    assert!(failures.is_empty(), "fixtures below the bar: {failures:?}");
    all
}

#[test]
fn every_fixture_scores_against_its_expected_facts() {
    score_folder("fixtures/synthetic", 12);
}

/// The second batch: stacked headers with transition periods, fraction prices, retail years
/// named by their first year, Notes columns, Shares/Amount equity pairs, labels continued under
/// their values, scale phrases wrapped in the sentence before the table.
#[test]
fn second_batch_scores_against_its_expected_facts() {
    score_folder("fixtures/synthetic2", 13);
}

/// The third batch: five-year tables split across pages, millions with decimals, CR amounts,
/// 52/53-week years dated per column, "Fiscal 1997" headers, quarters as bare ordinals, percent
/// signs printed apart, restated columns, bank roll-forwards, <FN> footnotes, CRLF, tabs.
#[test]
fn third_batch_scores_against_its_expected_facts() {
    score_folder("fixtures/synthetic3", 12);
}

/// The fourth batch: primary statements of a bank, an insurer, a utility, a REIT, an oil and
/// gas producer, a retailer, a software company, a manufacturer with discontinued operations,
/// a restaurant chain, a health care company and a homebuilder, with the US-GAAP element an
/// XBRL filer would use on every line (written without looking at our map).
#[test]
fn fourth_batch_scores_and_maps_concepts_across_industries() {
    let all = score_folder("fixtures/synthetic4", 11);
    let s = score(&read_gold(&root().join("fixtures/synthetic4/expected")), &all);
    eprintln!("synthetic4 concepts: {}", s.summary());
    assert!(s.concept_total > 2000, "concept rows scored: {}", s.concept_total);
    assert!(s.concept_accuracy() >= 90.0, "concept accuracy across industries {:.2}%", s.concept_accuracy());
}

/// The fifth batch: PEM/IMS envelopes without tags, years as rows, ten-year tables split across
/// pages, predecessor/successor and pro forma columns, date-span and two-month columns, minus
/// signs and footnote numbers after values, wrapped hyphenated equity headers, Schedule II,
/// maturities with leaders and "Thereafter", Amount/% pairs, September-year quarters.
#[test]
fn fifth_batch_scores_against_its_expected_facts() {
    score_folder("fixtures/synthetic5", 11);
}

/// A whole batch against its expected facts, with bars for the batch as a whole.
fn score_batch(dir: &str, min_fixtures: usize, min_recall: f64, min_period: f64, min_label: f64, min_concept: f64) {
    score_batch_units(dir, min_fixtures, min_recall, min_period, min_label, min_concept, 99.5);
}

fn score_batch_units(dir: &str, min_fixtures: usize, min_recall: f64, min_period: f64, min_label: f64, min_concept: f64, min_unit: f64) {
    let (_, all) = load_batch(dir, min_fixtures);
    let s = score(&read_gold(&root().join(dir).join("expected")), &all);
    eprintln!("{dir}: {}", s.summary());
    for m in s.misses.iter().chain(s.strays.iter()).chain(s.wrong.iter()).take(20) {
        eprintln!("    {m}");
    }
    assert!(s.recall() >= min_recall && s.precision() >= min_recall, "{dir}: recall/precision {}", s.summary());
    assert!(s.unit_accuracy() >= min_unit, "{dir}: units {}", s.summary());
    assert!(s.period_accuracy() >= min_period && s.label_accuracy() >= min_label, "{dir}: {}", s.summary());
    if min_concept > 0.0 {
        assert!(s.concept_total > 1000 && s.concept_accuracy() >= min_concept, "{dir}: concepts {}", s.summary());
    }
}

/// The sixth batch: primary statements of commercial and industrial companies (machine tools,
/// wholesale, medical devices, staffing, network hardware, trucking, consumer products,
/// chemicals, radio, environmental services, food) with the widest variety of wording, concepts
/// on every line; scales stated only over the statements, share counts whose scale EPS settles.
#[test]
fn sixth_batch_commercial_wording_and_concepts() {
    score_batch("fixtures/synthetic6", 11, 99.5, 99.5, 99.5, 95.0);
}

/// The seventh batch: real-world mess: a narrow annual-report column, GE-style column groups,
/// option activity and price ranges, quarterly blocks stacked by year with fractions, segment
/// measures, 10-Q page splits, misaligned header words, footnote marks in braces, `_` zeros,
/// ratios against one, development-stage columns.
#[test]
fn seventh_batch_messy_layouts() {
    score_batch("fixtures/synthetic7", 11, 99.5, 99.0, 99.5, 0.0);
}

/// The eighth batch: quarterly reports: three/six/nine-month and 13/26/12/40-week columns,
/// "Quarter Ended" with "Year to Date", three-column balance sheets, June, September and
/// January fiscal years, restated quarters, a 10-Q/A, a 10-QSB in full dollars; concepts on
/// the statements.
#[test]
fn eighth_batch_quarterly_reports() {
    score_batch("fixtures/synthetic8", 11, 99.5, 99.5, 99.5, 96.0);
}

/// The ninth batch: notes: debt and maturities, income taxes, pensions (SFAS 87, 132, 158),
/// leases, options, segments, restructuring roll-forwards, Schedule II. The bars are where the
/// engine stands today, below the other batches: see the batch's README for what is left.
#[test]
fn ninth_batch_notes() {
    score_batch("fixtures/synthetic9", 11, 99.5, 99.0, 99.5, 0.0);
}

/// The tenth batch: whole 1990s annual reports around the statements (selected data, MD&A
/// change columns, wrapped labels, continued balance sheets, equity statements, restated and
/// pro forma columns, 52/53-week years without a stated rule, scales stated once). Concepts are
/// not in its gold. Period bars stand where the engine is today (see its README).
#[test]
fn tenth_batch_annual_reports() {
    score_batch("fixtures/synthetic10", 9, 99.5, 99.0, 99.5, 0.0);
}

/// The eleventh batch: industry statistical disclosures (bank Guide 3 tables, an insurer's loss
/// development, oil and gas reserves, utility operating statistics, a REIT's Schedule III, unit
/// counts). Its gold brings units the engine does not have (kWh, MW, boe, cents as dollars) and
/// loss-triangle periods: the bars are where the engine stands, well below the other batches.
#[test]
fn eleventh_batch_industry_statistics() {
    score_batch_units("fixtures/synthetic11", 9, 97.5, 90.0, 99.5, 0.0, 96.5);
}

/// The twelfth batch: partnerships, trusts and development-stage companies (partners' capital by
/// class, income and distributions per unit, units outstanding, royalty trusts, cumulative
/// from-inception columns and one-period statements titled by their span).
#[test]
fn twelfth_batch_partnerships_trusts_development_stage() {
    score_batch("fixtures/synthetic12", 9, 99.5, 99.5, 99.0, 0.0);
}

/// The thirteenth batch: unusual periods and headings (predecessor/successor stubs, a transition
/// period, retail years named by their start, 13/26/39-week columns, two-digit years, restated,
/// pro forma and change columns).
#[test]
fn thirteenth_batch_unusual_periods() {
    score_batch("fixtures/synthetic13", 9, 99.5, 99.5, 99.5, 0.0);
}

/// The fourteenth batch: the typography of small filers (ragged columns, dollar signs apart,
/// dot leaders into the numbers, <1,234> and 1,234- negatives, nil and -0- zeros, N/A, footnote
/// marks after values, labels running into the first number, tabs, CRLF, text in capitals).
#[test]
fn fourteenth_batch_typed_layout_quirks() {
    score_batch_units("fixtures/synthetic14", 9, 99.0, 98.5, 98.5, 0.0, 99.0);
}

/// The fifteenth batch: small and mid-size companies' statements (10-QSB, 10-KSB, 10-Q) with
/// concepts in the gold: related-party notes, stock for services, grants, franchise fees.
#[test]
fn fifteenth_batch_small_company_concepts() {
    score_batch("fixtures/synthetic15", 9, 99.5, 99.5, 99.5, 97.0);
}

/// The sixteenth batch: wide tables (condensed consolidating statements by legal entity,
/// segments as columns over stacked years, tables printed in two halves across pages, ten-year
/// summaries in two five-year halves, two-level headers, 132-character lines).
#[test]
fn sixteenth_batch_wide_tables() {
    score_batch("fixtures/synthetic16", 8, 99.5, 99.5, 99.5, 0.0);
}

/// The seventeenth batch: notes of 2001-2008 (SFAS 123/148 pro forma, Black-Scholes
/// assumptions, goodwill by segment, intangibles, AOCI, EPS reconciliations, restructuring and
/// warranty roll-forwards, option tables, leases by class).
#[test]
fn seventeenth_batch_notes_2001_2008() {
    score_batch("fixtures/synthetic17", 8, 99.5, 99.5, 99.0, 0.0);
}

/// The eighteenth batch: financial companies' statements with concepts (banks and a thrift,
/// property-casualty and life insurers, a broker-dealer, consumer finance, a mortgage REIT).
#[test]
fn eighteenth_batch_financial_companies_concepts() {
    score_batch("fixtures/synthetic18", 8, 99.5, 99.5, 99.5, 92.0);
}

/// The nineteenth batch: the earliest EDGAR filings, 1993-1996 (PEM envelopes, IMS headers,
/// EX-13 statements, underscore rules, page breaks inside statements, March years, EX-27).
#[test]
fn nineteenth_batch_earliest_filings() {
    score_batch("fixtures/synthetic19", 8, 99.5, 99.5, 99.5, 0.0);
}

/// The twentieth batch: MD&A and selected-data tables of 1998-2008 (percent of sales, change
/// analyses, segment margins, contractual obligations by years ahead, liquidity ratios "2.1 to 1").
#[test]
fn twentieth_batch_mdna_tables() {
    score_batch("fixtures/synthetic20", 7, 98.0, 98.0, 99.5, 0.0);
}

/// The twenty-first batch: a 10-K's tables outside the statements (Item 5 price ranges in
/// fractions, summary compensation with a Year column, option grants and year-end values,
/// beneficial ownership, equity compensation plans, Schedule II). Bars where the engine stands.
#[test]
fn twenty_first_batch_part_ii_and_iii_tables() {
    score_batch_units("fixtures/synthetic21", 7, 94.0, 80.0, 99.5, 0.0, 94.0);
}

/// The twenty-second batch: statements of stockholders' equity and comprehensive income (eight
/// columns under stacked headers, splits, treasury and ESOP columns, SFAS 130 blocks, a
/// nine-month equity statement, partners' capital with unit columns).
#[test]
fn twenty_second_batch_equity_and_comprehensive_income() {
    score_batch("fixtures/synthetic22", 6, 99.5, 99.5, 99.5, 0.0);
}

/// The twenty-third batch: restatements and amendments (a 10-K/A of the option-backdating era
/// with As Previously Reported / Adjustments / As Restated, "(Restated)" columns, footnote marks
/// on values and labels, discontinued operations and cumulative effects re-presented, a 10-Q/A
/// of a March fiscal year, a restated five-year table after a pooling).
#[test]
fn twenty_third_batch_restatements_and_amendments() {
    score_batch("fixtures/synthetic23", 6, 99.5, 95.0, 99.5, 0.0);
}

/// The twenty-fourth batch: tables mixing units (SFAS 128 EPS reconciliations, tax-rate
/// reconciliations with amount and percent columns, segments with percent columns and store
/// statistics, option tables with their own column scales, ratios "2.3 to 1" in selected data).
#[test]
fn twenty_fourth_batch_mixed_units() {
    score_batch("fixtures/synthetic24", 6, 99.5, 98.0, 99.0, 0.0);
}

/// The twenty-fifth batch: text converted from word processors ("$" far left, ")" and "%" in
/// columns of their own, em-dash and "-0-" zeros, Windows-1252 and NBSP bytes, CRLF, headers
/// over four lines) and cash flow statements in depth (direct method, non-cash activities).
#[test]
fn twenty_fifth_batch_converted_text_and_cash_flows() {
    score_batch("fixtures/synthetic25", 6, 99.5, 98.5, 99.5, 92.5);
}

/// The twenty-sixth batch: quarterly data and market prices across fiscal calendars (June,
/// September, 52/53-week years with a 14-week quarter, quarters named by their closing month,
/// prices in hyphenated fractions "23-3/8", a Year or Total column beside the quarters).
#[test]
fn twenty_sixth_batch_quarterly_data() {
    score_batch("fixtures/synthetic26", 6, 99.5, 99.5, 99.5, 0.0);
}

/// The twenty-seventh batch: four complete annual reports end to end (a 1997 10-K with its
/// statements in EX-13 and an EX-27, a 1999 10-K405 of a January 52/53-week retailer in plain
/// text, a 2002 10-K with CRLF and statements in Item 8, a 2004 10-KSB in whole dollars with Part
/// III tables): contents pages, exhibit indexes, continued statements, notes, Schedule II.
#[test]
fn twenty_seventh_batch_complete_annual_reports() {
    score_batch("fixtures/synthetic27", 4, 99.5, 98.0, 99.5, 0.0);
}

/// The twenty-eighth batch: four complete quarterly reports end to end (a 1998 first quarter
/// with SFAS 130 and an EX-27, a 52/53-week retailer's second quarter with a three-date balance
/// sheet, a June-year third quarter with CRLF, a 2007 10-QSB in whole dollars with a going-concern
/// note and Part II tables).
#[test]
fn twenty_eighth_batch_complete_quarterly_reports() {
    score_batch("fixtures/synthetic28", 4, 98.5, 97.5, 99.5, 0.0);
}

/// The twenty-ninth batch: five complete annual reports of large companies, 1994-2000, in the
/// style of the dev set's GE, Merck, IBM and Coca-Cola filings (entity columns side by side,
/// millions with one decimal, eleven-year summaries over two pages, statements split across
/// pages with "(continued)", quarterly data with stock prices, an oil company's reserve tables).
#[test]
fn twenty_ninth_batch_large_company_annual_reports() {
    score_batch_units("fixtures/synthetic29", 5, 99.5, 98.5, 99.0, 79.0, 99.5);
}

/// The thirtieth batch: small business issuers, 1996-2008 (10-KSB405 with tagged tables, a
/// 10-QSB aligned with tab characters, a development-stage company with cumulative-from-
/// inception columns, a shell company's single-column balance sheet, a CRLF 10-KSB/A).
#[test]
fn thirtieth_batch_small_business_issuers() {
    score_batch_units("fixtures/synthetic30", 5, 99.5, 99.0, 98.5, 0.0, 99.0);
}

/// The thirty-first batch: 10-Q column headings (spans named only in the statement title over
/// year columns, "Quarter Ended" / "Year-to-Date", 13/39-week and September fiscal years,
/// columns grouped by year, a 10-Q/A with an as-corrected table, yearless monthly rows).
#[test]
fn thirty_first_batch_interim_column_headings() {
    score_batch("fixtures/synthetic31", 6, 99.0, 98.5, 98.5, 0.0);
}

/// The thirty-second batch: column separators and number encodings of filing agents and small
/// filers, 1993-2002 (boxed tables with `+---+` rules, bars between columns, colon leaders,
/// trailing minus, `<1,234>` and `CR` negatives, `nil`, `--0--`, `N/A`, `NM`, `*`, cents).
#[test]
fn thirty_second_batch_separators_and_odd_numbers() {
    score_batch("fixtures/synthetic32", 6, 98.5, 97.0, 99.5, 95.0);
}

#[test]
fn header_and_cover_metadata() {
    let map = ConceptMap::builtin().unwrap();
    let mut rdr = csv::Reader::from_path(root().join("fixtures/synthetic/expected/meta.csv")).unwrap();
    let mut checked = 0;
    for rec in rdr.deserialize::<std::collections::HashMap<String, String>>() {
        let m = rec.unwrap();
        let p = root().join("fixtures/synthetic").join(&m["file"]);
        let f = pipeline::parse_path(&p, None, &map).unwrap().filing;
        let norm = |s: &str| s.to_ascii_uppercase().replace(['-', ' '], "");
        assert_eq!(norm(f.meta.form_type.as_deref().unwrap_or("")), norm(&m["form_type"]), "{}: form type", m["file"]);
        if !m["cik"].is_empty() {
            assert_eq!(f.meta.cik.as_deref(), Some(m["cik"].trim_start_matches('0')), "{}: cik", m["file"]);
            assert_eq!(f.entity.preferred_id(), format!("cik:{}", m["cik"].trim_start_matches('0')));
        }
        if !m["accession_number"].is_empty() {
            assert_eq!(f.filing_id, m["accession_number"], "{}: filing id is the accession number", m["file"]);
        } else {
            assert!(f.filing_id.starts_with("sha256:"));
        }
        if !m["period_of_report"].is_empty() {
            assert_eq!(f.meta.period_of_report.map(|d| d.to_string()).as_deref(), Some(m["period_of_report"].as_str()), "{}: period", m["file"]);
        }
        if !m["company_name"].is_empty() {
            let got = f.meta.company_name.clone().unwrap_or_default().to_ascii_uppercase();
            assert!(got.contains(&m["company_name"].to_ascii_uppercase()[..10.min(m["company_name"].len())]), "{}: company {got}", m["file"]);
        }
        if !m["fiscal_year_end"].is_empty() {
            let fye = f.meta.fiscal_year_end.map(|(a, b)| format!("{a:02}{b:02}"));
            assert_eq!(fye.as_deref(), Some(m["fiscal_year_end"].as_str()), "{}: fiscal year end", m["file"]);
        }
        checked += 1;
    }
    assert!(checked >= 12);
}

#[test]
fn windows_1252_and_crlf_keep_line_numbers() {
    let map = ConceptMap::builtin().unwrap();
    for f in fixtures("fixtures/synthetic") {
        let bytes = std::fs::read(&f).unwrap();
        let parsed = pipeline::parse_path(&f, None, &map).unwrap();
        // one clean line per physical line, whatever the line ends
        let physical = bytes.iter().filter(|&&b| b == b'\n').count() + usize::from(!bytes.ends_with(b"\n"));
        let crs_alone = bytes.windows(2).filter(|w| w[0] == b'\r' && w[1] != b'\n').count();
        assert_eq!(parsed.filing.lines.len(), physical + crs_alone, "{}", f.display());
        if std::str::from_utf8(&bytes).is_err() {
            assert!(parsed.filing.decoded_8bit);
        }
    }
}
