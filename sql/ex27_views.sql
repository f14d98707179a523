-- EX-27 financial data schedules against the tables of the same filing.
-- Created with views.sql (and, like them, bound when first used).

-- Elements that filers and EX-27 tags use for the same printed line.
CREATE OR REPLACE VIEW v_concept_alias WITH (DEFER_BINDING) AS
SELECT * FROM (VALUES
    ('us-gaap:SalesRevenueNet', 'us-gaap:Revenues'),
    ('us-gaap:SalesRevenueGoodsNet', 'us-gaap:Revenues'),
    ('us-gaap:Revenues', 'us-gaap:Revenues'),
    ('us-gaap:EarningsPerShareBasicAndDiluted', 'us-gaap:EarningsPerShareBasic'),
    ('us-gaap:EarningsPerShareBasic', 'us-gaap:EarningsPerShareBasic'),
    ('us-gaap:CostOfGoodsAndServicesSold', 'us-gaap:CostOfGoodsSold'),
    ('us-gaap:CostOfRevenue', 'us-gaap:CostOfGoodsSold'),
    ('us-gaap:CostOfGoodsSold', 'us-gaap:CostOfGoodsSold'),
    ('us-gaap:IncomeLossFromContinuingOperationsBeforeIncomeTaxesMinorityInterestAndIncomeLossFromEquityMethodInvestments',
     'us-gaap:IncomeLossFromContinuingOperationsBeforeIncomeTaxesExtraordinaryItemsNoncontrollingInterest')
) AS t(concept, canonical);

CREATE OR REPLACE VIEW v_ex27_agreement WITH (DEFER_BINDING) AS
WITH x AS (
    SELECT f.*, coalesce(a.canonical, f.concept) AS canon
    FROM facts f LEFT JOIN v_concept_alias a ON a.concept = f.concept
    WHERE f.source = 'ex27'
),
t AS (
    SELECT f.*, coalesce(a.canonical, f.concept) AS canon
    FROM facts f LEFT JOIN v_concept_alias a ON a.concept = f.concept
    WHERE f.source = 'table' AND f.dimension IS NULL
),
pairs AS (
    SELECT
        x.filing_id, x.entity_id, x.source_file, x.line AS ex27_line, x.row_label AS tag, x.concept,
        x.period_type, x.period_start, x.period_end, x.unit, x.value AS ex27_value, x.scale AS ex27_multiplier,
        t.value AS table_value, t.line AS table_line, t.table_title, t.row_label AS table_label, t.statement AS table_statement,
        abs(x.value - t.value) AS difference,
        row_number() OVER (PARTITION BY x.filing_id, x.fact_id
                           ORDER BY abs(x.value - t.value), (t.statement = 'other'), t.line) AS rk
    FROM x
    LEFT JOIN t ON t.filing_id = x.filing_id AND t.canon = x.canon AND t.unit = x.unit
        AND t.period_type = x.period_type AND t.period_end = x.period_end
        AND coalesce(t.period_start, DATE '0001-01-01') = coalesce(x.period_start, DATE '0001-01-01')
)
SELECT
    filing_id, entity_id, source_file, ex27_line, tag, concept, period_type, period_start, period_end, unit,
    ex27_value, table_value, difference, table_line, table_title, table_label, table_statement,
    CASE
        WHEN table_value IS NULL THEN 'missing in tables'
        WHEN difference = 0 THEN 'equal'
        -- the schedule rounds to its multiplier; per-share values to the cent
        WHEN unit = 'USD' AND difference <= coalesce(ex27_multiplier, 1) THEN 'within rounding'
        WHEN unit <> 'USD' AND difference <= 0.01 THEN 'within rounding'
        ELSE 'different'
    END AS category
FROM pairs
WHERE rk = 1;

-- Facts of the EX-27 schedules, in the v_facts layout.
CREATE OR REPLACE VIEW v_ex27_facts WITH (DEFER_BINDING) AS
SELECT f.filing_id, f.source_file, f.line, f.table_id, f.table_title, f.statement, f.row_label, f.column_label, f.concept,
       f.period_type, f.period_start, f.period_end, f.value, f.unit, f.entity_id, e.entity_name, fl.cik, fl.form_type,
       f.concept_source, f.dimension, f.section, f.raw_text, f.footnote, f.source, f.scale, fl.period_of_report,
       fl.accession_number, f.fact_id, f.row_index, f.column_index
FROM facts f
JOIN filings fl USING (filing_id)
LEFT JOIN entities e ON e.entity_id = f.entity_id
WHERE f.source = 'ex27';

-- Every fact: tables and EX-27 schedules (the `source` column tells them apart).
CREATE OR REPLACE VIEW v_all_facts WITH (DEFER_BINDING) AS
SELECT * FROM v_facts
UNION ALL
SELECT * FROM v_ex27_facts;
