-- edgarfacts views. Created after schema.sql when a warehouse lacks this version of them.
-- WITH (DEFER_BINDING): DuckDB binds a view when a query first uses it, not at creation
-- (binding all of them took 0.15 s of CPU on every new warehouse); tests bind every view.

-- Facts read from the filings' tables, with filing and entity attributes: the export
-- contract's column order first. EX-27 schedule values are in v_ex27_facts; both in v_all_facts.
CREATE OR REPLACE VIEW v_facts WITH (DEFER_BINDING) AS
SELECT
    f.filing_id,
    f.source_file,
    f.line,
    f.table_id,
    f.table_title,
    f.statement,
    f.row_label,
    f.column_label,
    f.concept,
    f.period_type,
    f.period_start,
    f.period_end,
    f.value,
    f.unit,
    f.entity_id,
    e.entity_name,
    fl.cik,
    fl.form_type,
    f.concept_source,
    f.dimension,
    f.section,
    f.raw_text,
    f.footnote,
    f.source,
    f.scale,
    fl.period_of_report,
    fl.accession_number,
    f.fact_id,
    f.row_index,
    f.column_index
FROM facts f
JOIN filings fl USING (filing_id)
LEFT JOIN entities e ON e.entity_id = f.entity_id
WHERE f.source = 'table';

-- ---------------------------------------------------------------------------------------------
-- Derived views (issue 5): restatements, wide statements, quarters, metrics and accounting checks.
-- Money stays DECIMAL(38,6); ratios and percentages are DECIMAL(18,6) computed with exact
-- integer arithmetic (ef_div), never floating point.
-- ---------------------------------------------------------------------------------------------

-- n / d rounded half away from zero to 6 decimals, exact (DuckDB's DECIMAL / DECIMAL is DOUBLE).
CREATE OR REPLACE MACRO ef_div(n, d) AS (
    CASE WHEN n IS NULL OR d IS NULL OR d = 0 THEN NULL
    ELSE CAST(
        sign(n) * sign(d)
        * ((abs(CAST(n * 1000000 AS HUGEINT)) * 2000000 + abs(CAST(d * 1000000 AS HUGEINT)))
           // (2 * abs(CAST(d * 1000000 AS HUGEINT))))
        * 0.000001 AS DECIMAL(18,6))
    END
);

-- Statement kinds that are primary financial statements (not notes, selected data, MD&A tables).
CREATE OR REPLACE MACRO ef_primary(statement) AS (statement IN ('balance', 'income', 'comprehensive', 'equity', 'cash_flow'));

-- Preference among the candidate component sets of a subtotal (v_footing_candidates).
CREATE OR REPLACE MACRO ef_variant_rank(variant) AS (
    CASE WHEN variant = 'layout' THEN 0 WHEN variant = 'no_lead' THEN 1 WHEN variant = 'section' THEN 2
         WHEN variant = 'prev' THEN 3 WHEN variant LIKE 'last_%' THEN 100 - CAST(substr(variant, 6) AS INTEGER)
         ELSE 1000 END
);

-- Months covered by a duration (2002-01-01..2002-09-30 = 9; 52/53-week periods round to months).
CREATE OR REPLACE MACRO ef_months(period_start, period_end) AS (
    CAST(round((date_diff('day', period_start, period_end) + 1) / 30.4375) AS INTEGER)
);

-- One row per (entity, concept, dimension, unit, period) and filing that reported it: the filing's
-- value (its primary statements first, then notes and selected data, then EX-27), how recent the filing
-- is among those that reported the same fact (recency 1 = latest, age 1 = first), how many filings
-- reported it and whether their values differ.
CREATE OR REPLACE VIEW v_fact_versions WITH (DEFER_BINDING) AS
WITH per_filing AS (
    SELECT
        f.*,
        fl.form_type, fl.period_of_report, fl.filed_date, fl.accession_number, fl.loaded_at,
        row_number() OVER (
            PARTITION BY f.filing_id, f.entity_id, f.concept, f.dimension, f.unit, f.period_type, f.period_start, f.period_end
            ORDER BY (f.source = 'table') DESC, ef_primary(f.statement) DESC, f.table_id, f.row_index, f.column_index, f.fact_id
        ) AS rank_in_filing,
        count(*) OVER (
            PARTITION BY f.filing_id, f.entity_id, f.concept, f.dimension, f.unit, f.period_type, f.period_start, f.period_end
        ) AS n_in_filing
    FROM facts f
    JOIN filings fl USING (filing_id)
    WHERE f.value IS NOT NULL AND f.concept IS NOT NULL
),
one AS (SELECT * FROM per_filing WHERE rank_in_filing = 1)
SELECT
    entity_id, concept, dimension, unit, period_type, period_start, period_end, value,
    filing_id, form_type, period_of_report, filed_date, accession_number, source_file, line, table_id, row_index,
    column_index, table_title, statement, row_label, source, n_in_filing,
    row_number() OVER (
        PARTITION BY entity_id, concept, dimension, unit, period_type, period_start, period_end
        ORDER BY coalesce(filed_date, period_of_report) DESC NULLS LAST, period_of_report DESC NULLS LAST,
                 (form_type LIKE '%/A') DESC, loaded_at DESC NULLS LAST, filing_id DESC
    ) AS recency,
    row_number() OVER (
        PARTITION BY entity_id, concept, dimension, unit, period_type, period_start, period_end
        ORDER BY coalesce(filed_date, period_of_report) ASC NULLS LAST, period_of_report ASC NULLS LAST,
                 (form_type LIKE '%/A') ASC, loaded_at ASC NULLS LAST, filing_id ASC
    ) AS age,
    count(*) OVER (PARTITION BY entity_id, concept, dimension, unit, period_type, period_start, period_end) AS n_filings,
    min(value) OVER (PARTITION BY entity_id, concept, dimension, unit, period_type, period_start, period_end) AS min_value,
    max(value) OVER (PARTITION BY entity_id, concept, dimension, unit, period_type, period_start, period_end) AS max_value
FROM one;

-- The value from the most recent filing (filed date, else period of report; amendments after originals).
CREATE OR REPLACE VIEW v_latest WITH (DEFER_BINDING) AS
SELECT
    v.entity_id, e.entity_name, v.concept, v.dimension, v.unit, v.period_type, v.period_start, v.period_end,
    v.value, v.filing_id, v.form_type, v.period_of_report, v.filed_date, v.source_file, v.line, v.table_title,
    v.statement, v.row_label, v.source, v.n_filings, v.min_value <> v.max_value AS values_differ,
    fr.value AS first_reported_value, fr.filing_id AS first_filing_id, v.value <> fr.value AS restated
FROM v_fact_versions v
LEFT JOIN entities e ON e.entity_id = v.entity_id
JOIN v_fact_versions fr ON fr.entity_id = v.entity_id AND fr.concept = v.concept
    AND fr.dimension IS NOT DISTINCT FROM v.dimension AND fr.unit IS NOT DISTINCT FROM v.unit
    AND fr.period_type IS NOT DISTINCT FROM v.period_type AND fr.period_start IS NOT DISTINCT FROM v.period_start
    AND fr.period_end IS NOT DISTINCT FROM v.period_end AND fr.age = 1
WHERE v.recency = 1;

-- The value as first reported (point in time, for backtests).
CREATE OR REPLACE VIEW v_first_reported WITH (DEFER_BINDING) AS
SELECT
    v.entity_id, e.entity_name, v.concept, v.dimension, v.unit, v.period_type, v.period_start, v.period_end,
    v.value, v.filing_id, v.form_type, v.period_of_report, v.filed_date, v.source_file, v.line, v.table_title,
    v.statement, v.row_label, v.source, v.n_filings, v.min_value <> v.max_value AS values_differ,
    la.value AS latest_value, la.filing_id AS latest_filing_id, v.value <> la.value AS restated
FROM v_fact_versions v
LEFT JOIN entities e ON e.entity_id = v.entity_id
JOIN v_fact_versions la ON la.entity_id = v.entity_id AND la.concept = v.concept
    AND la.dimension IS NOT DISTINCT FROM v.dimension AND la.unit IS NOT DISTINCT FROM v.unit
    AND la.period_type IS NOT DISTINCT FROM v.period_type AND la.period_start IS NOT DISTINCT FROM v.period_start
    AND la.period_end IS NOT DISTINCT FROM v.period_end AND la.recency = 1
WHERE v.age = 1;

-- ---------------------------------------------------------------------------------------------
-- Footings: which rows a subtotal adds up. Candidate component sets ("variants") per subtotal row:
--   layout   the rows the layout shows (table `footings`), cut at a double rule (a closed grand total
--            is not a component of what follows); in cash-flow statements also the items of each
--            activity section whose total the layout did not group (kind 'cash_flow_section').
--            Statements of equity are roll-forwards: v_checks 'equity_roll_forward' checks them.
--   no_lead  layout without its first row when that row is itself a subtotal (a new block, not a
--            running total: net property = property - depreciation under total current assets)
--   prev     layout with the subtotal printed just above it (a running total: net loss = loss from
--            operations + the other income lines of a new section)
--   section  only the layout rows under the total's own heading ('Costs and expenses:')
--   last_k   the last k layout rows (no rule marks where 'Loans / Less allowance / Net loans' starts)
--   extended for grand totals: every row above the total, back to the previous double rule, that no
--            other subtotal already adds up (total assets = total current assets + net property + ...);
--            built in v_footing_groups from the first pass (v_footing_stage1)
-- and, for a row printed under a rule that the layout gives no components (kind 'orphan'), the last
-- 1 to 8 rows above it: used (and reported) only when they foot.
-- Units: money, shares, counts and areas; never per-share amounts or percentages.
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE VIEW v_footing_candidates WITH (DEFER_BINDING) AS
WITH
has_facts AS (SELECT DISTINCT filing_id, table_id, row_index FROM facts WHERE source = 'table' AND value IS NOT NULL),
g1_raw AS (
    SELECT f.filing_id, f.table_id, f.total_row, f.component_row,
           max(CASE WHEN r.rule_below = 'double' THEN f.component_row END)
               OVER (PARTITION BY f.filing_id, f.table_id, f.total_row) AS cut
    FROM footings f
    JOIN table_rows r ON r.filing_id = f.filing_id AND r.table_id = f.table_id AND r.row_index = f.component_row
    JOIN source_tables s ON s.filing_id = f.filing_id AND s.table_id = f.table_id
    WHERE s.statement <> 'equity'
),
g1_cut AS (
    SELECT filing_id, table_id, total_row, component_row,
           count(*) OVER (PARTITION BY filing_id, table_id, total_row) AS n
    FROM g1_raw WHERE cut IS NULL OR component_row > cut
),
g1 AS (SELECT filing_id, table_id, total_row, component_row FROM g1_cut WHERE n >= 2),
cf_totals AS (
    SELECT r.filing_id, r.table_id, r.row_index AS total_row, r.section_code,
           coalesce(lag(r.row_index) OVER (PARTITION BY r.filing_id, r.table_id ORDER BY r.row_index), -1) AS prev_total
    FROM table_rows r
    JOIN source_tables s ON s.filing_id = r.filing_id AND s.table_id = r.table_id
    WHERE s.statement = 'cash_flow'
      AND r.section_code IN ('operating', 'investing', 'financing')
      AND r.concept IN ('us-gaap:NetCashProvidedByUsedInOperatingActivities',
                        'us-gaap:NetCashProvidedByUsedInInvestingActivities',
                        'us-gaap:NetCashProvidedByUsedInFinancingActivities',
                        'us-gaap:NetCashProvidedByUsedInOperatingActivitiesContinuingOperations',
                        'us-gaap:NetCashProvidedByUsedInInvestingActivitiesContinuingOperations',
                        'us-gaap:NetCashProvidedByUsedInFinancingActivitiesContinuingOperations')
),
g2_raw AS (
    SELECT c.filing_id, c.table_id, c.total_row, r.row_index AS component_row
    FROM cf_totals c
    JOIN table_rows r ON r.filing_id = c.filing_id AND r.table_id = c.table_id
        AND r.row_index > c.prev_total AND r.row_index < c.total_row AND r.section_code = c.section_code
    JOIN has_facts h ON h.filing_id = r.filing_id AND h.table_id = r.table_id AND h.row_index = r.row_index
    WHERE NOT EXISTS (SELECT 1 FROM g1 WHERE g1.filing_id = c.filing_id AND g1.table_id = c.table_id AND g1.total_row = c.total_row)
      AND NOT EXISTS (SELECT 1 FROM g1 WHERE g1.filing_id = r.filing_id AND g1.table_id = r.table_id
                        AND g1.component_row = r.row_index AND g1.total_row > c.prev_total AND g1.total_row < c.total_row)
),
g2 AS (
    SELECT filing_id, table_id, total_row, component_row FROM (
        SELECT *, count(*) OVER (PARTITION BY filing_id, table_id, total_row) AS n FROM g2_raw
    ) WHERE n >= 2
),
layout AS (
    SELECT filing_id, table_id, total_row, component_row, 'footing' AS kind FROM g1
    UNION ALL
    SELECT filing_id, table_id, total_row, component_row, 'cash_flow_section' AS kind FROM g2
),
-- a subtotal row: printed under a rule, or the total of a layout group
sub_rows AS (
    SELECT filing_id, table_id, row_index FROM table_rows WHERE rule_above = 'single'
    UNION
    SELECT filing_id, table_id, total_row FROM layout
),
-- the last double rule above each total: nothing before it belongs to the total
bounds AS (
    SELECT b.filing_id, b.table_id, b.total_row, b.kind,
           coalesce((SELECT max(CASE WHEN r.rule_below = 'double' THEN r.row_index ELSE r.row_index - 1 END)
                     FROM table_rows r
                     WHERE r.filing_id = b.filing_id AND r.table_id = b.table_id AND r.row_index < b.total_row
                       AND (r.rule_below = 'double' OR r.rule_above = 'double')), -1) AS lo,
           min(b.component_row) AS first_row
    FROM layout b
    GROUP BY ALL
),
lead_is_sub AS (
    SELECT b.*, EXISTS (SELECT 1 FROM sub_rows s WHERE s.filing_id = b.filing_id AND s.table_id = b.table_id
                          AND s.row_index = b.first_row) AS first_is_sub,
           (SELECT max(h.row_index) FROM has_facts h WHERE h.filing_id = b.filing_id AND h.table_id = b.table_id
               AND h.row_index < b.first_row AND h.row_index > b.lo) AS prev_row
    FROM bounds b
),
no_lead AS (
    SELECT l.filing_id, l.table_id, l.total_row, l.component_row, l.kind
    FROM layout l JOIN lead_is_sub b USING (filing_id, table_id, total_row)
    WHERE b.first_is_sub AND l.component_row > b.first_row
      AND (SELECT count(*) FROM layout x WHERE x.filing_id = l.filing_id AND x.table_id = l.table_id
              AND x.total_row = l.total_row) >= 3
),
prev AS (
    SELECT l.filing_id, l.table_id, l.total_row, l.component_row, l.kind FROM layout l
    JOIN lead_is_sub b USING (filing_id, table_id, total_row)
    WHERE NOT b.first_is_sub AND b.prev_row IS NOT NULL
      AND EXISTS (SELECT 1 FROM sub_rows s WHERE s.filing_id = b.filing_id AND s.table_id = b.table_id AND s.row_index = b.prev_row)
    UNION ALL
    SELECT b.filing_id, b.table_id, b.total_row, b.prev_row, b.kind FROM lead_is_sub b
    WHERE NOT b.first_is_sub AND b.prev_row IS NOT NULL
      AND EXISTS (SELECT 1 FROM sub_rows s WHERE s.filing_id = b.filing_id AND s.table_id = b.table_id AND s.row_index = b.prev_row)
)
,
-- only the rows of the total's own section (a heading such as 'Costs and expenses:' starts the block)
in_section AS (
    SELECT * FROM (
        SELECT l.*, count(*) OVER (PARTITION BY l.filing_id, l.table_id, l.total_row) AS n_kept,
               (SELECT count(*) FROM layout x WHERE x.filing_id = l.filing_id AND x.table_id = l.table_id
                   AND x.total_row = l.total_row) AS n_all
        FROM layout l
        JOIN table_rows t ON t.filing_id = l.filing_id AND t.table_id = l.table_id AND t.row_index = l.total_row
        JOIN table_rows c ON c.filing_id = l.filing_id AND c.table_id = l.table_id AND c.row_index = l.component_row
        WHERE coalesce(t.sections, '') <> '' AND starts_with(coalesce(c.sections, ''), t.sections)
    ) WHERE n_kept >= 2 AND n_kept < n_all
),
-- the last k rows above the total (k = 2 .. n-1): no rule marks where a block such as
-- 'Loans / Less allowance / Net loans' starts
numbered AS (
    SELECT l.*, count(*) OVER (PARTITION BY filing_id, table_id, total_row) AS n,
           row_number() OVER (PARTITION BY filing_id, table_id, total_row ORDER BY component_row DESC) AS from_end
    FROM layout l
),
suffix AS (
    SELECT a.filing_id, a.table_id, a.total_row, a.component_row, a.kind, k.k
    FROM numbered a
    JOIN (SELECT DISTINCT filing_id, table_id, total_row, unnest(range(2, n)) AS k FROM numbered WHERE n >= 3) k
        ON k.filing_id = a.filing_id AND k.table_id = a.table_id AND k.total_row = a.total_row AND a.from_end <= k.k
),
-- 'orphan': a row printed under a rule that the layout gives no components (a one-line block, or a
-- block that starts under a heading): the last 1 to 8 rows above it, used only when they foot
orphans AS (
    SELECT r.filing_id, r.table_id, r.row_index AS total_row,
           coalesce((SELECT max(CASE WHEN x.rule_below = 'double' THEN x.row_index ELSE x.row_index - 1 END)
                     FROM table_rows x
                     WHERE x.filing_id = r.filing_id AND x.table_id = r.table_id AND x.row_index < r.row_index
                       AND (x.rule_below = 'double' OR x.rule_above = 'double')), -1) AS lo
    FROM table_rows r
    JOIN source_tables s ON s.filing_id = r.filing_id AND s.table_id = r.table_id
    JOIN has_facts h ON h.filing_id = r.filing_id AND h.table_id = r.table_id AND h.row_index = r.row_index
    WHERE r.rule_above = 'single' AND s.statement <> 'equity'
      AND NOT EXISTS (SELECT 1 FROM layout l WHERE l.filing_id = r.filing_id AND l.table_id = r.table_id AND l.total_row = r.row_index)
),
orphan_rows AS (
    SELECT o.filing_id, o.table_id, o.total_row, o.lo, h.row_index AS component_row,
           row_number() OVER (PARTITION BY o.filing_id, o.table_id, o.total_row ORDER BY h.row_index DESC) AS from_end,
           count(*) OVER (PARTITION BY o.filing_id, o.table_id, o.total_row) AS n
    FROM orphans o
    JOIN has_facts h ON h.filing_id = o.filing_id AND h.table_id = o.table_id AND h.row_index > o.lo AND h.row_index < o.total_row
),
orphan_suffix AS (
    SELECT a.filing_id, a.table_id, a.total_row, a.component_row, a.lo, k.k
    FROM orphan_rows a
    JOIN (SELECT DISTINCT filing_id, table_id, total_row, unnest(range(1, least(n, 8) + 1)) AS k FROM orphan_rows) k
        ON k.filing_id = a.filing_id AND k.table_id = a.table_id AND k.total_row = a.total_row AND a.from_end <= k.k
)
SELECT l.*, 'layout' AS variant, b.lo FROM layout l JOIN bounds b USING (filing_id, table_id, total_row, kind)
UNION ALL
SELECT o.filing_id, o.table_id, o.total_row, o.component_row, 'orphan', 'last_' || o.k, o.lo FROM orphan_suffix o
UNION ALL
SELECT n.*, 'no_lead', b.lo FROM no_lead n JOIN bounds b USING (filing_id, table_id, total_row, kind)
UNION ALL
SELECT x.filing_id, x.table_id, x.total_row, x.component_row, x.kind, 'section', b.lo
FROM in_section x JOIN bounds b USING (filing_id, table_id, total_row, kind)
UNION ALL
SELECT p.*, 'prev', b.lo FROM prev p JOIN bounds b USING (filing_id, table_id, total_row, kind)
UNION ALL
SELECT x.filing_id, x.table_id, x.total_row, x.component_row, x.kind, 'last_' || x.k, b.lo
FROM suffix x JOIN bounds b USING (filing_id, table_id, total_row, kind);

-- First pass over the candidates with the two usual sign patterns (all plus; first minus the rest):
-- which candidate each subtotal uses, and the value its components imply when none foots.
CREATE OR REPLACE VIEW v_footing_stage1 WITH (DEFER_BINDING) AS
WITH
c AS MATERIALIZED (
    SELECT *, CAST(row_number() OVER (PARTITION BY filing_id, table_id, total_row, variant ORDER BY component_row) - 1 AS INTEGER) AS i
    FROM v_footing_candidates
),
tv AS (
    SELECT DISTINCT c.filing_id, c.table_id, c.total_row, c.variant, f.column_index, f.value AS total,
           CASE WHEN f.unit = 'USD' THEN greatest(coalesce(s.scale, 1), 1) WHEN f.unit = 'percent' THEN 0.1 ELSE 1 END AS tol
    FROM c
    JOIN facts f ON f.filing_id = c.filing_id AND f.table_id = c.table_id AND f.row_index = c.total_row AND f.source = 'table'
    LEFT JOIN source_tables s ON s.filing_id = c.filing_id AND s.table_id = c.table_id
    WHERE f.value IS NOT NULL AND f.unit IN ('USD', 'shares', 'count', 'sqft')
),
sums AS (
    SELECT t.filing_id, t.table_id, t.total_row, t.variant, t.column_index, any_value(t.total) AS total, any_value(t.tol) AS tol,
           sum(coalesce(f.value, 0)) AS s_plus,
           sum(CASE WHEN c.i = 0 THEN coalesce(f.value, 0) ELSE -coalesce(f.value, 0) END) AS s_fmr,
           count(f.value) = count(*) AS all_present
    FROM tv t
    JOIN c ON c.filing_id = t.filing_id AND c.table_id = t.table_id AND c.total_row = t.total_row AND c.variant = t.variant
    LEFT JOIN facts f ON f.filing_id = c.filing_id AND f.table_id = c.table_id AND f.row_index = c.component_row
        AND f.column_index = t.column_index AND f.source = 'table'
    GROUP BY ALL
),
scored AS (
    SELECT filing_id, table_id, total_row, variant,
           count(*) FILTER (WHERE abs(s_plus - total) <= tol) AS n_plus,
           count(*) FILTER (WHERE abs(s_fmr - total) <= tol) AS n_fmr,
           count(*) AS n_cols
    FROM sums GROUP BY ALL
),
chosen AS (
    SELECT * FROM (
        SELECT *, greatest(n_plus, n_fmr) = n_cols AS ok,
               row_number() OVER (PARTITION BY filing_id, table_id, total_row
                                  ORDER BY greatest(n_plus, n_fmr) = n_cols DESC, ef_variant_rank(variant)) AS rk
        FROM scored
    ) WHERE rk = 1
)
SELECT s.filing_id, s.table_id, s.total_row, s.column_index, c.variant, c.ok,
       CASE WHEN NOT c.ok AND s.all_present THEN CASE WHEN c.n_fmr > c.n_plus THEN s.s_fmr ELSE s.s_plus END END AS implied
FROM chosen c
JOIN sums s USING (filing_id, table_id, total_row, variant);

CREATE OR REPLACE VIEW v_footing_groups WITH (DEFER_BINDING) AS
WITH
has_facts AS (SELECT DISTINCT filing_id, table_id, row_index FROM facts WHERE source = 'table' AND value IS NOT NULL),
cand AS MATERIALIZED (SELECT * FROM v_footing_candidates),
stage1 AS MATERIALIZED (SELECT DISTINCT filing_id, table_id, total_row, variant, ok FROM v_footing_stage1),
-- rows a subtotal adds up: the components of its first-pass candidate when that foots ...
covered_a AS (
    SELECT c.filing_id, c.table_id, c.total_row, c.component_row
    FROM cand c JOIN stage1 s USING (filing_id, table_id, total_row, variant)
    WHERE s.ok
),
totals AS (SELECT DISTINCT filing_id, table_id, total_row, kind, lo FROM cand WHERE variant = 'layout'),
total_rows AS (
    SELECT filing_id, table_id, total_row AS row_index FROM totals
    UNION SELECT filing_id, table_id, total_row FROM covered_a
),
-- ... else every row of its block (back to the previous double rule) that no other subtotal claims and
-- that is not itself a subtotal
covered_b AS (
    SELECT t.filing_id, t.table_id, t.total_row, h.row_index AS component_row
    FROM totals t
    JOIN has_facts h ON h.filing_id = t.filing_id AND h.table_id = t.table_id AND h.row_index > t.lo AND h.row_index < t.total_row
    WHERE NOT EXISTS (SELECT 1 FROM stage1 s WHERE s.filing_id = t.filing_id AND s.table_id = t.table_id
                        AND s.total_row = t.total_row AND s.ok)
      AND NOT EXISTS (SELECT 1 FROM covered_a a WHERE a.filing_id = h.filing_id AND a.table_id = h.table_id
                        AND a.component_row = h.row_index AND a.total_row <> t.total_row)
      AND NOT EXISTS (SELECT 1 FROM total_rows x WHERE x.filing_id = h.filing_id AND x.table_id = h.table_id
                        AND x.row_index = h.row_index)
),
covered AS (SELECT * FROM covered_a UNION SELECT * FROM covered_b),
ext_raw AS (
    SELECT t.filing_id, t.table_id, t.total_row, t.kind, h.row_index AS component_row, t.lo
    FROM totals t
    JOIN has_facts h ON h.filing_id = t.filing_id AND h.table_id = t.table_id AND h.row_index > t.lo AND h.row_index < t.total_row
    WHERE NOT EXISTS (SELECT 1 FROM covered o WHERE o.filing_id = h.filing_id AND o.table_id = h.table_id
                        AND o.component_row = h.row_index AND o.total_row < t.total_row)
),
ext_cmp AS (
    SELECT e.*,
           count(*) OVER (PARTITION BY e.filing_id, e.table_id, e.total_row) AS n_ext,
           (SELECT count(*) FROM cand o WHERE o.filing_id = e.filing_id AND o.table_id = e.table_id AND o.total_row = e.total_row
               AND o.variant = 'layout') AS n_own,
           count(*) FILTER (WHERE EXISTS (SELECT 1 FROM cand o WHERE o.filing_id = e.filing_id AND o.table_id = e.table_id
                                           AND o.total_row = e.total_row AND o.variant = 'layout' AND o.component_row = e.component_row))
               OVER (PARTITION BY e.filing_id, e.table_id, e.total_row) AS n_common
    FROM ext_raw e
),
allg AS (
    SELECT filing_id, table_id, total_row, component_row, kind, variant FROM cand
    UNION ALL
    SELECT filing_id, table_id, total_row, component_row, kind, 'extended' FROM ext_cmp
    WHERE n_ext >= 2 AND NOT (n_ext = n_own AND n_common = n_own)
)
SELECT
    filing_id, table_id, total_row, kind, variant, component_row,
    CAST(row_number() OVER (PARTITION BY filing_id, table_id, total_row, variant ORDER BY component_row) - 1 AS INTEGER) AS i,
    CAST(count(*) OVER (PARTITION BY filing_id, table_id, total_row, variant) AS INTEGER) AS n
FROM allg;

-- Every subtotal cell against its components. Components may be subtracted (gross profit = sales -
-- cost of sales): a subtotal passes when one candidate component set and one sign pattern make every
-- column of the row foot (all-plus and first-minus-rest first, then every pattern for up to 10
-- components), with the printed component values or, for components that are themselves subtotals
-- failing their own footing, the values their components imply (basis 'implied'). When nothing foots,
-- the layout's components with the pattern that foots the most columns (fewest minus signs first, so
-- all-plus when nothing foots) give `expected`; `implied` is set for failing cells whose components are
-- all present.
CREATE OR REPLACE VIEW v_footing WITH (DEFER_BINDING) AS
WITH
g AS MATERIALIZED (SELECT * FROM v_footing_groups),
gn AS (SELECT DISTINCT filing_id, table_id, total_row, kind, variant, n FROM g),
corr AS MATERIALIZED (SELECT filing_id, table_id, total_row AS row_index, column_index, implied FROM v_footing_stage1 WHERE implied IS NOT NULL),
tv AS MATERIALIZED (
    SELECT gn.filing_id, gn.table_id, gn.total_row, gn.kind, gn.variant, gn.n, f.column_index, f.value AS total, f.unit,
           CASE WHEN f.unit = 'USD' THEN greatest(coalesce(s.scale, 1), 1)
                WHEN f.unit = 'percent' THEN 0.1
                ELSE 1 END AS tol
    FROM gn
    JOIN facts f ON f.filing_id = gn.filing_id AND f.table_id = gn.table_id AND f.row_index = gn.total_row AND f.source = 'table'
    LEFT JOIN source_tables s ON s.filing_id = gn.filing_id AND s.table_id = gn.table_id
    WHERE f.value IS NOT NULL AND f.unit IN ('USD', 'shares', 'count', 'sqft')
),
cv0 AS MATERIALIZED (
    SELECT t.filing_id, t.table_id, t.total_row, t.variant, t.column_index, g.i, g.component_row, f.value AS x, k.implied AS xc
    FROM tv t
    JOIN g ON g.filing_id = t.filing_id AND g.table_id = t.table_id AND g.total_row = t.total_row AND g.variant = t.variant
    LEFT JOIN facts f ON f.filing_id = g.filing_id AND f.table_id = g.table_id AND f.row_index = g.component_row
        AND f.column_index = t.column_index AND f.source = 'table'
    LEFT JOIN corr k ON k.filing_id = g.filing_id AND k.table_id = g.table_id AND k.row_index = g.component_row
        AND k.column_index = t.column_index
),
-- the implied basis only for candidates with a corrected component
cv AS MATERIALIZED (
    SELECT filing_id, table_id, total_row, variant, 'printed' AS basis, column_index, i, component_row, x FROM cv0
    UNION ALL
    SELECT filing_id, table_id, total_row, variant, 'implied', column_index, i, component_row, coalesce(xc, x) FROM cv0
    WHERE (filing_id, table_id, total_row, variant) IN (SELECT (filing_id, table_id, total_row, variant) FROM cv0 WHERE xc IS NOT NULL)
),
simple AS MATERIALIZED (
    SELECT filing_id, table_id, total_row, variant, basis, column_index,
           sum(coalesce(x, 0)) AS s_plus,
           sum(CASE WHEN i = 0 THEN coalesce(x, 0) ELSE -coalesce(x, 0) END) AS s_fmr,
           count(x) AS n_present
    FROM cv GROUP BY ALL
),
simple_ok AS (
    SELECT t.filing_id, t.table_id, t.total_row, t.variant, s.basis, t.n,
           bool_and(abs(s.s_plus - t.total) <= t.tol) AS plus_ok,
           bool_and(abs(s.s_fmr - t.total) <= t.tol) AS fmr_ok
    FROM tv t JOIN simple s USING (filing_id, table_id, total_row, variant, column_index)
    GROUP BY ALL
),
-- every sign pattern, only where neither usual pattern foots (none of the candidates of that subtotal)
unresolved AS (
    SELECT * FROM simple_ok o
    WHERE o.n <= 10 AND o.variant NOT LIKE 'last_%' AND NOT EXISTS (SELECT 1 FROM simple_ok p WHERE p.filing_id = o.filing_id AND p.table_id = o.table_id
                                      AND p.total_row = o.total_row AND (p.plus_ok OR p.fmr_ok))
),
enum AS (
    SELECT filing_id, table_id, total_row, variant, basis, unnest(range(0, CAST(1 AS BIGINT) << n)) AS mask FROM unresolved
),
sums AS MATERIALIZED (
    SELECT filing_id, table_id, total_row, variant, basis, CAST(0 AS BIGINT) AS mask, column_index, s_plus AS s FROM simple
    UNION
    SELECT s.filing_id, s.table_id, s.total_row, s.variant, s.basis, (CAST(1 AS BIGINT) << o.n) - 2 AS mask, s.column_index, s.s_fmr AS s
    FROM simple s JOIN simple_ok o USING (filing_id, table_id, total_row, variant, basis)
    UNION
    SELECT e.filing_id, e.table_id, e.total_row, e.variant, e.basis, e.mask, c.column_index,
           sum(CASE WHEN (e.mask >> c.i) & 1 = 1 THEN -coalesce(c.x, 0) ELSE coalesce(c.x, 0) END) AS s
    FROM enum e JOIN cv c USING (filing_id, table_id, total_row, variant, basis)
    GROUP BY ALL
),
scored AS (
    SELECT s.filing_id, s.table_id, s.total_row, s.variant, s.basis, s.mask,
           count(*) AS n_cols,
           count(*) FILTER (WHERE abs(s.s - t.total) <= t.tol) AS n_ok
    FROM sums s JOIN tv t USING (filing_id, table_id, total_row, variant, column_index)
    GROUP BY ALL
),
chosen AS (
    SELECT * FROM (
        SELECT *, row_number() OVER (
            PARTITION BY filing_id, table_id, total_row
            ORDER BY (n_ok = n_cols) DESC,
                     -- nothing foots: report the layout's own components
                     CASE WHEN n_ok = n_cols THEN 0 ELSE (variant <> 'layout')::INTEGER END,
                     (basis = 'printed') DESC,
                     ef_variant_rank(variant),
                     n_ok DESC, bit_count(mask), mask
        ) AS rk
        FROM scored
    ) WHERE rk = 1
)
SELECT
    t.filing_id, t.table_id, t.total_row, t.column_index, t.kind, c.variant, c.basis, t.n AS n_components,
    (SELECT list(g.component_row ORDER BY g.i) FROM g
      WHERE g.filing_id = t.filing_id AND g.table_id = t.table_id AND g.total_row = t.total_row AND g.variant = c.variant) AS components,
    (SELECT string_agg(CASE WHEN (c.mask >> g.i) & 1 = 1 THEN '-' ELSE '+' END, '' ORDER BY g.i) FROM g
      WHERE g.filing_id = t.filing_id AND g.table_id = t.table_id AND g.total_row = t.total_row AND g.variant = c.variant) AS signs,
    c.n_ok = c.n_cols AS pattern_consistent,
    t.unit, t.tol, t.total AS actual, s.s AS expected, t.total - s.s AS difference,
    sp.n_present = t.n AS all_present,
    CASE WHEN abs(t.total - s.s) <= t.tol THEN 'pass' ELSE 'fail' END AS status,
    CASE WHEN abs(t.total - s.s) > t.tol AND sp.n_present = t.n THEN s.s END AS implied
FROM tv t
JOIN chosen c ON c.filing_id = t.filing_id AND c.table_id = t.table_id AND c.total_row = t.total_row AND c.variant = t.variant
JOIN sums s ON s.filing_id = t.filing_id AND s.table_id = t.table_id AND s.total_row = t.total_row
    AND s.variant = c.variant AND s.basis = c.basis AND s.mask = c.mask AND s.column_index = t.column_index
JOIN simple sp ON sp.filing_id = t.filing_id AND sp.table_id = t.table_id AND sp.total_row = t.total_row
    AND sp.variant = c.variant AND sp.basis = c.basis AND sp.column_index = t.column_index
WHERE t.kind <> 'orphan' OR c.n_ok = c.n_cols;

-- ---------------------------------------------------------------------------------------------
-- v_checks: one row per check and subject fact (entity, filing, period). `check_name`, `level`
-- (error | warning), `status` (pass | fail); the subject's provenance (source_file, line, table_id,
-- row_index, column_index, row_label, concept, period); `actual` is the printed figure under test,
-- `expected` what its components or the other statement imply, `difference` = actual - expected,
-- `rel_error` = |difference| / |expected| (a fraction), `category` exact | < 1% | < 5% | < 10% | more.
-- A check passes within one printed unit (the table's scale). Checks that build on a subtotal that
-- failed its own footing also try the value its components imply (basis 'implied'), so one misprint
-- is reported once. `implied_value`: for a failing subtotal whose components are all present, the
-- value they imply. `ref_*`: the other fact of a two-fact comparison.
--   footing                       a subtotal = its components (v_footing)
--   cash_flow_section             a cash-flow activity total = the items of its section
--   cash_flow_net_change          operating + investing + financing (+ exchange rate) = net change
--   cash_roll_forward             beginning cash + net change = ending cash
--   cash_ties_to_balance_sheet    cash in the cash-flow statement = balance-sheet cash, same date
--   balance_sheet_balances        total assets = total liabilities and equity
--   liabilities_and_equity_total  total liabilities and equity = the lines no subtotal already counts
--   total_liabilities             an unruled 'total liabilities' = the liability lines above it
--   net_income_agreement          cash-flow and equity-statement net income = income statement
--   equity_roll_forward           each balance of the equity statement = previous balance + changes
--   equity_columns                the total column of the equity statement = its component columns
--   duplicate_fact                a note or selected-data line = the statement line it repeats
--                                 (same line: agrees in at least two periods and in most of them)
--   current_ratio_inputs          (warning) a balance sheet gives current assets and liabilities
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE VIEW v_checks WITH (DEFER_BINDING) AS
WITH
ft AS MATERIALIZED (SELECT * FROM v_footing),
-- facts with the value their components imply when a printed subtotal fails its footing
fv AS MATERIALIZED (
    SELECT f.*, coalesce(ft.implied, f.value) AS value_c, st.statement AS table_statement,
           coalesce(st.scale, 1) AS table_scale
    FROM facts f
    LEFT JOIN ft ON ft.filing_id = f.filing_id AND ft.table_id = f.table_id
        AND ft.total_row = f.row_index AND ft.column_index = f.column_index AND ft.implied IS NOT NULL
    LEFT JOIN source_tables st ON st.filing_id = f.filing_id AND st.table_id = f.table_id
    WHERE f.source = 'table' AND f.value IS NOT NULL
),
layout_components AS (
    SELECT DISTINCT filing_id, table_id, total_row, unnest(components) AS component_row FROM ft
),
-- 1. subtotals (table layout) and cash-flow activity sections
c_footing AS (
    SELECT CASE WHEN kind = 'orphan' THEN 'footing' ELSE kind END AS check_name,
           CASE WHEN all_present THEN 'error' ELSE 'warning' END AS level,
           filing_id, table_id, total_row AS row_index, column_index,
           NULL::INTEGER AS ref_table_id, NULL::INTEGER AS ref_row_index, NULL::INTEGER AS ref_column_index,
           actual AS actual_p, expected AS expected_p, NULL::DECIMAL(38,6) AS actual_i, NULL::DECIMAL(38,6) AS expected_i,
           tol, implied AS implied_value, NULL::BOOLEAN AS ok,
           'rows ' || array_to_string(components, ',') || ' signs ' || signs
               || CASE WHEN variant = 'extended' THEN ' (grand total)' ELSE '' END
               || CASE WHEN NOT all_present THEN ' (some components blank)' ELSE '' END AS details
    FROM ft
),
-- 2. cash flow: the activity totals (+ exchange-rate effect) sum to the net change in cash
cf AS MATERIALIZED (SELECT * FROM fv WHERE table_statement = 'cash_flow' AND dimension IS NULL),
cf_change AS (
    SELECT * FROM cf WHERE concept IN ('us-gaap:CashAndCashEquivalentsPeriodIncreaseDecrease',
        'us-gaap:CashAndCashEquivalentsPeriodIncreaseDecreaseExcludingExchangeRateEffect',
        'us-gaap:CashCashEquivalentsRestrictedCashAndRestrictedCashEquivalentsPeriodIncreaseDecreaseIncludingExchangeRateEffect')
),
cf_section_rows AS (
    -- the last activity total of each kind above the net change (a filing may print a subtotal such as
    -- 'cash provided by operations before income taxes' above the activity total)
    SELECT * FROM (
        SELECT n.filing_id, n.table_id, n.row_index, n.column_index, s.row_index AS s_row, s.value, s.value_c, k.category,
               row_number() OVER (PARTITION BY n.filing_id, n.table_id, n.row_index, n.column_index, k.category
                                  ORDER BY s.row_index DESC) AS rk
        FROM cf_change n
        JOIN cf s ON s.filing_id = n.filing_id AND s.table_id = n.table_id AND s.column_index = n.column_index
            AND s.row_index < n.row_index
        JOIN (VALUES
            ('us-gaap:NetCashProvidedByUsedInOperatingActivities', 'operating'),
            ('us-gaap:NetCashProvidedByUsedInOperatingActivitiesContinuingOperations', 'operating'),
            ('us-gaap:NetCashProvidedByUsedInInvestingActivities', 'investing'),
            ('us-gaap:NetCashProvidedByUsedInInvestingActivitiesContinuingOperations', 'investing'),
            ('us-gaap:NetCashProvidedByUsedInFinancingActivities', 'financing'),
            ('us-gaap:NetCashProvidedByUsedInFinancingActivitiesContinuingOperations', 'financing'),
            ('us-gaap:CashProvidedByUsedInOperatingActivitiesDiscontinuedOperations', 'discontinued operating'),
            ('us-gaap:CashProvidedByUsedInInvestingActivitiesDiscontinuedOperations', 'discontinued investing'),
            ('us-gaap:CashProvidedByUsedInFinancingActivitiesDiscontinuedOperations', 'discontinued financing'),
            ('us-gaap:NetCashProvidedByUsedInDiscontinuedOperations', 'discontinued'),
            ('us-gaap:EffectOfExchangeRateOnCashAndCashEquivalents', 'exchange rate')
        ) AS k(concept, category) ON k.concept = s.concept
    ) WHERE rk = 1
),
cf_sections AS (
    SELECT filing_id, table_id, row_index, column_index,
           sum(value) AS s_p, sum(value_c) AS s_c,
           count(*) FILTER (WHERE category = 'operating') AS n_op,
           count(*) FILTER (WHERE category = 'investing') AS n_inv,
           count(*) FILTER (WHERE category = 'financing') AS n_fin,
           string_agg(s_row::VARCHAR, ',' ORDER BY s_row) AS rows_used
    FROM cf_section_rows
    GROUP BY ALL
),
c_net_change AS (
    SELECT 'cash_flow_net_change' AS check_name, 'error' AS level, n.filing_id, n.table_id, n.row_index, n.column_index,
           NULL::INTEGER, NULL::INTEGER, NULL::INTEGER,
           n.value, s.s_p, n.value_c, s.s_c, greatest(n.table_scale, 1), NULL::DECIMAL(38,6), NULL::BOOLEAN,
           'activity totals and exchange-rate effect in rows ' || s.rows_used
    FROM cf_change n JOIN cf_sections s USING (filing_id, table_id, row_index, column_index)
    WHERE s.n_op >= 1 AND s.n_inv >= 1 AND s.n_fin >= 1
),
-- 3. beginning cash + net change (+ exchange-rate effect printed below it) = ending cash
cf_cash AS (
    SELECT * FROM cf WHERE period_type = 'instant' AND concept IN ('us-gaap:CashAndCashEquivalentsAtCarryingValue', 'us-gaap:Cash',
        'us-gaap:CashCashEquivalentsRestrictedCashAndRestrictedCashEquivalents', 'us-gaap:CashAndDueFromBanks',
        'us-gaap:CashCashEquivalentsAndShortTermInvestments')
),
c_cash_roll AS (
    SELECT 'cash_roll_forward' AS check_name, 'error' AS level, e.filing_id, e.table_id, e.row_index, e.column_index,
           b.table_id, b.row_index, b.column_index,
           e.value, b.value + n.value + coalesce(fx.value, 0),
           e.value_c, b.value_c + n.value_c + coalesce(fx.value_c, 0),
           greatest(e.table_scale, 1), NULL::DECIMAL(38,6), NULL::BOOLEAN,
           'beginning cash (line ' || b.line || ') + net change (line ' || n.line || ')'
               || CASE WHEN fx.line IS NOT NULL THEN ' + exchange-rate effect (line ' || fx.line || ')' ELSE '' END
    FROM cf_change n
    JOIN cf_cash e ON e.filing_id = n.filing_id AND e.table_id = n.table_id AND e.column_index = n.column_index
        AND e.period_end = n.period_end AND e.row_index > n.row_index
    JOIN cf_cash b ON b.filing_id = n.filing_id AND b.table_id = n.table_id AND b.column_index = n.column_index
        AND b.period_end < n.period_end AND b.row_index > n.row_index
    LEFT JOIN cf fx ON fx.filing_id = n.filing_id AND fx.table_id = n.table_id AND fx.column_index = n.column_index
        AND fx.row_index > n.row_index AND fx.concept = 'us-gaap:EffectOfExchangeRateOnCashAndCashEquivalents'
),
-- 4. cash in the cash-flow statement = cash on the balance sheet of the same filing and date
bs AS MATERIALIZED (SELECT * FROM fv WHERE table_statement = 'balance' AND dimension IS NULL),
c_cash_tie AS (
    SELECT 'cash_ties_to_balance_sheet' AS check_name, 'error' AS level, c.filing_id, c.table_id, c.row_index, c.column_index,
           b.table_id, b.row_index, b.column_index,
           c.value, b.value, c.value_c, b.value_c, greatest(c.table_scale, b.table_scale, 1), NULL::DECIMAL(38,6), NULL::BOOLEAN,
           'balance sheet line ' || b.line
    FROM cf_cash c
    JOIN (SELECT *, row_number() OVER (PARTITION BY filing_id, concept, period_end ORDER BY table_id, row_index) AS rk
          FROM bs WHERE period_type = 'instant') b
        ON b.filing_id = c.filing_id AND b.concept = c.concept AND b.period_end = c.period_end AND b.rk = 1
),
-- 5. total assets = total liabilities and equity
bs_assets AS (
    SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY filing_id, period_end ORDER BY table_id, row_index) AS rk
                   FROM bs WHERE concept = 'us-gaap:Assets' AND period_type = 'instant') WHERE rk = 1
),
bs_lse AS (
    SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY filing_id, period_end ORDER BY table_id, row_index) AS rk
                   FROM bs WHERE concept = 'us-gaap:LiabilitiesAndStockholdersEquity' AND period_type = 'instant') WHERE rk = 1
),
c_balance AS (
    SELECT 'balance_sheet_balances' AS check_name, 'error' AS level, l.filing_id, l.table_id, l.row_index, l.column_index,
           a.table_id, a.row_index, a.column_index,
           l.value, a.value, l.value_c, a.value_c, greatest(l.table_scale, a.table_scale, 1), NULL::DECIMAL(38,6), NULL::BOOLEAN,
           'total assets line ' || a.line
    FROM bs_lse l JOIN bs_assets a ON a.filing_id = l.filing_id AND a.period_end = l.period_end
),
-- 6. total liabilities and equity = the liability and equity lines that no subtotal already counts
--    (from total liabilities on, when the balance sheet prints that line); 7. total liabilities
lse_part AS (
    SELECT l.filing_id, l.table_id, l.row_index AS lse_row, l.column_index, l.value AS lse_value, l.value_c AS lse_value_c,
           l.table_scale, l.period_end,
           coalesce((SELECT max(a.row_index) FROM bs_assets a WHERE a.filing_id = l.filing_id AND a.table_id = l.table_id
                        AND a.row_index < l.row_index), -1) AS lo,
           (SELECT min(t.row_index) FROM bs t WHERE t.filing_id = l.filing_id AND t.table_id = l.table_id
               AND t.concept = 'us-gaap:Liabilities' AND t.row_index < l.row_index AND t.column_index = l.column_index) AS liab_row
    FROM bs_lse l
),
top_level AS (
    SELECT p.filing_id, p.table_id, p.lse_row, p.column_index, p.liab_row, r.row_index, r.value, r.value_c, r.line
    FROM lse_part p
    JOIN bs r ON r.filing_id = p.filing_id AND r.table_id = p.table_id AND r.column_index = p.column_index
        AND r.row_index > p.lo AND r.row_index < p.lse_row
    WHERE NOT EXISTS (SELECT 1 FROM layout_components g WHERE g.filing_id = r.filing_id AND g.table_id = r.table_id
                        AND g.component_row = r.row_index AND g.total_row <> p.lse_row)
),
c_lse_total AS (
    SELECT 'liabilities_and_equity_total' AS check_name, 'error' AS level, p.filing_id, p.table_id, p.lse_row, p.column_index,
           NULL::INTEGER, NULL::INTEGER, NULL::INTEGER,
           p.lse_value, sum(t.value), p.lse_value_c, sum(t.value_c), greatest(p.table_scale, 1), NULL::DECIMAL(38,6), NULL::BOOLEAN,
           'lines ' || string_agg(t.line::VARCHAR, ',' ORDER BY t.row_index)
    FROM lse_part p
    JOIN top_level t ON t.filing_id = p.filing_id AND t.table_id = p.table_id AND t.lse_row = p.lse_row
        AND t.column_index = p.column_index AND (p.liab_row IS NULL OR t.row_index >= p.liab_row)
    GROUP BY p.filing_id, p.table_id, p.lse_row, p.column_index, p.lse_value, p.lse_value_c, p.table_scale
    HAVING count(*) >= 2
),
c_total_liabilities AS (
    SELECT 'total_liabilities' AS check_name, 'error' AS level, p.filing_id, p.table_id, p.liab_row, p.column_index,
           NULL::INTEGER, NULL::INTEGER, NULL::INTEGER,
           any_value(lv.value), sum(t.value), any_value(lv.value_c), sum(t.value_c), greatest(p.table_scale, 1),
           NULL::DECIMAL(38,6), NULL::BOOLEAN,
           'lines ' || string_agg(t.line::VARCHAR, ',' ORDER BY t.row_index)
    FROM lse_part p
    JOIN bs lv ON lv.filing_id = p.filing_id AND lv.table_id = p.table_id AND lv.row_index = p.liab_row AND lv.column_index = p.column_index
    JOIN top_level t ON t.filing_id = p.filing_id AND t.table_id = p.table_id AND t.lse_row = p.lse_row
        AND t.column_index = p.column_index AND t.row_index < p.liab_row
    WHERE p.liab_row IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM layout_components g WHERE g.filing_id = p.filing_id AND g.table_id = p.table_id
                        AND g.total_row = p.liab_row)
    GROUP BY p.filing_id, p.table_id, p.liab_row, p.column_index, p.table_scale
    HAVING count(*) >= 2
),
-- 8. net income: income statement = cash-flow statement = statement of equity (total column)
ni AS (
    SELECT fv.*, row_number() OVER (PARTITION BY filing_id, table_statement, period_start, period_end
                                    ORDER BY (dimension IS NULL) DESC, (dimension ILIKE '%total%') DESC,
                                             (dimension ILIKE '%retained%') DESC, table_id, row_index) AS rk
    FROM fv
    WHERE concept = 'us-gaap:NetIncomeLoss' AND period_type = 'duration' AND table_statement IN ('income', 'cash_flow', 'equity')
      AND (dimension IS NULL OR table_statement = 'equity')
),
c_net_income AS (
    SELECT 'net_income_agreement' AS check_name, 'error' AS level, o.filing_id, o.table_id, o.row_index, o.column_index,
           i.table_id, i.row_index, i.column_index,
           o.value, i.value, o.value_c, i.value_c, greatest(o.table_scale, i.table_scale, 1), NULL::DECIMAL(38,6), NULL::BOOLEAN,
           o.table_statement || ' statement vs income statement line ' || i.line
    FROM ni o JOIN ni i ON i.filing_id = o.filing_id AND i.period_start = o.period_start AND i.period_end = o.period_end
        AND i.table_statement = 'income' AND i.rk = 1
    WHERE o.table_statement IN ('cash_flow', 'equity') AND o.rk = 1
      AND (o.table_statement <> 'equity' OR o.dimension ILIKE '%total%' OR o.dimension ILIKE '%retained%')
),
-- 9. statement of equity: each balance = the previous balance + the changes printed between them
--    (ruled or 'total' lines such as total comprehensive income are subtotals and not added)
eq AS (SELECT * FROM fv WHERE table_statement = 'equity'),
eq_bal AS (
    SELECT DISTINCT e.filing_id, e.table_id, e.row_index FROM eq e WHERE e.concept = 'us-gaap:StockholdersEquity' AND e.period_type = 'instant'
),
eq_pairs AS (
    SELECT filing_id, table_id, row_index AS b1,
           lag(row_index) OVER (PARTITION BY filing_id, table_id ORDER BY row_index) AS b0
    FROM eq_bal
),
eq_subtotal_rows AS (
    SELECT r.filing_id, r.table_id, r.row_index FROM table_rows r
    WHERE (r.rule_above = 'single'
           AND NOT EXISTS (SELECT 1 FROM eq_bal b WHERE b.filing_id = r.filing_id AND b.table_id = r.table_id
                             AND b.row_index = (SELECT max(p.row_index) FROM eq p WHERE p.filing_id = r.filing_id
                                                  AND p.table_id = r.table_id AND p.row_index < r.row_index)))
       OR lower(trim(r.label)) LIKE 'total%' OR r.concept = 'us-gaap:ComprehensiveIncomeNetOfTax'
),
c_equity_roll AS (
    SELECT 'equity_roll_forward' AS check_name, 'error' AS level, p.filing_id, p.table_id, p.b1, e1.column_index,
           p.table_id, p.b0, e1.column_index,
           e1.value, e0.value + coalesce(sum(m.value), 0), e1.value_c, e0.value_c + coalesce(sum(m.value_c), 0),
           greatest(e1.table_scale, 1), NULL::DECIMAL(38,6), NULL::BOOLEAN,
           'balance line ' || e0.line || ' + ' || count(m.row_index) || ' changes'
    FROM eq_pairs p
    JOIN eq e1 ON e1.filing_id = p.filing_id AND e1.table_id = p.table_id AND e1.row_index = p.b1
    JOIN eq e0 ON e0.filing_id = p.filing_id AND e0.table_id = p.table_id AND e0.row_index = p.b0 AND e0.column_index = e1.column_index
    LEFT JOIN eq m ON m.filing_id = p.filing_id AND m.table_id = p.table_id AND m.column_index = e1.column_index
        AND m.row_index > p.b0 AND m.row_index < p.b1
        AND NOT EXISTS (SELECT 1 FROM eq_subtotal_rows s WHERE s.filing_id = m.filing_id AND s.table_id = m.table_id AND s.row_index = m.row_index)
    WHERE p.b0 IS NOT NULL
    GROUP BY p.filing_id, p.table_id, p.b1, p.b0, e1.column_index, e1.value, e0.value, e1.value_c, e0.value_c, e1.table_scale, e0.line
),
-- 10. statement of equity: the total column = the sum of the component columns
c_equity_columns AS (
    SELECT 'equity_columns' AS check_name, 'error' AS level, t.filing_id, t.table_id, t.row_index, t.column_index,
           NULL::INTEGER, NULL::INTEGER, NULL::INTEGER,
           t.value, sum(o.value), t.value_c, sum(o.value_c), greatest(t.table_scale, 1), NULL::DECIMAL(38,6), NULL::BOOLEAN,
           count(*) || ' component columns'
    FROM eq t
    JOIN eq o ON o.filing_id = t.filing_id AND o.table_id = t.table_id AND o.row_index = t.row_index
        AND o.column_index <> t.column_index AND o.dimension IS NOT NULL AND NOT (o.dimension ILIKE '%total%')
        AND o.unit = t.unit
        AND o.period_type = t.period_type AND o.period_end = t.period_end
    WHERE t.dimension ILIKE '%total%'
    GROUP BY t.filing_id, t.table_id, t.row_index, t.column_index, t.value, t.value_c, t.table_scale
),
-- 11. the same line printed twice in one filing (a note or selected data vs a statement) with different
--     values: rows are the same line when they agree exactly in at least as many periods as they differ
dup_cand AS (
    SELECT a.filing_id, a.table_id AS ta, a.row_index AS ra, b.table_id AS tb, b.row_index AS rb,
           count(*) AS n_common,
           count(*) FILTER (WHERE abs(a.value - b.value) <= CASE WHEN a.unit = 'USD' THEN greatest(a.table_scale, b.table_scale, 1) ELSE 0 END) AS n_agree,
           count(*) FILTER (WHERE abs(a.value - b.value) <= CASE WHEN a.unit = 'USD' THEN greatest(a.table_scale, b.table_scale, 1) ELSE 0 END
                              AND a.value <> 0) AS n_agree_nonzero
    FROM fv a
    JOIN fv b ON b.filing_id = a.filing_id AND b.unit = a.unit AND b.period_type = a.period_type
        AND b.period_start IS NOT DISTINCT FROM a.period_start AND b.period_end = a.period_end
    WHERE ef_primary(a.table_statement) AND NOT ef_primary(b.table_statement)
      AND a.dimension IS NULL AND b.dimension IS NULL AND a.period_type IN ('instant', 'duration')
      -- the same line names the same thing: same concept or same printed label
      -- (a note's unlabeled total often repeats a statement total)
      AND (a.concept = b.concept OR lower(trim(a.row_label)) = lower(trim(b.row_label)) OR trim(b.row_label) = '')
    GROUP BY ALL
),
dup_pairs AS (
    SELECT * FROM dup_cand WHERE n_agree_nonzero >= 2 AND n_agree > n_common - n_agree
),
c_duplicate AS (
    SELECT 'duplicate_fact' AS check_name, 'error' AS level, b.filing_id, b.table_id, b.row_index, b.column_index,
           a.table_id, a.row_index, a.column_index,
           b.value, a.value, NULL::DECIMAL(38,6), NULL::DECIMAL(38,6),
           CASE WHEN a.unit = 'USD' THEN greatest(a.table_scale, b.table_scale, 1) ELSE 0 END, NULL::DECIMAL(38,6), NULL::BOOLEAN,
           'same line as ' || a.table_statement || ' line ' || a.line || ' (' || p.n_agree || ' of ' || p.n_common || ' periods agree)'
    FROM dup_pairs p
    JOIN fv a ON a.filing_id = p.filing_id AND a.table_id = p.ta AND a.row_index = p.ra AND a.dimension IS NULL
    JOIN fv b ON b.filing_id = p.filing_id AND b.table_id = p.tb AND b.row_index = p.rb AND b.dimension IS NULL
        AND b.unit = a.unit AND b.period_type = a.period_type
        AND b.period_start IS NOT DISTINCT FROM a.period_start AND b.period_end = a.period_end
),
-- 12. a classified balance sheet gives both current assets and current liabilities (warning)
bs_dates AS (
    SELECT filing_id, period_end,
           bool_or(concept = 'us-gaap:AssetsCurrent') AS has_ca,
           bool_or(concept = 'us-gaap:LiabilitiesCurrent') AS has_cl,
           arg_min(table_id, CASE WHEN concept = 'us-gaap:AssetsCurrent' THEN 0 WHEN concept = 'us-gaap:Assets' THEN 1 ELSE 2 END * 1000000 + row_index) AS t_id,
           arg_min(row_index, CASE WHEN concept = 'us-gaap:AssetsCurrent' THEN 0 WHEN concept = 'us-gaap:Assets' THEN 1 ELSE 2 END * 1000000 + row_index) AS r_id,
           arg_min(column_index, CASE WHEN concept = 'us-gaap:AssetsCurrent' THEN 0 WHEN concept = 'us-gaap:Assets' THEN 1 ELSE 2 END * 1000000 + row_index) AS c_id
    FROM bs WHERE period_type = 'instant' AND unit = 'USD'
    GROUP BY ALL
),
c_ratio_inputs AS (
    SELECT 'current_ratio_inputs' AS check_name, 'warning' AS level, filing_id, t_id, r_id, c_id,
           NULL::INTEGER, NULL::INTEGER, NULL::INTEGER,
           NULL::DECIMAL(38,6), NULL::DECIMAL(38,6), NULL::DECIMAL(38,6), NULL::DECIMAL(38,6), 0, NULL::DECIMAL(38,6),
           has_ca AND has_cl,
           CASE WHEN has_ca AND has_cl THEN 'current assets and current liabilities present'
                WHEN has_ca THEN 'no total current liabilities' WHEN has_cl THEN 'no total current assets'
                ELSE 'no total current assets or liabilities (unclassified balance sheet?)' END
    FROM bs_dates
),
allc AS (
    SELECT * FROM c_footing
    UNION ALL SELECT * FROM c_net_change
    UNION ALL SELECT * FROM c_cash_roll
    UNION ALL SELECT * FROM c_cash_tie
    UNION ALL SELECT * FROM c_balance
    UNION ALL SELECT * FROM c_lse_total
    UNION ALL SELECT * FROM c_total_liabilities
    UNION ALL SELECT * FROM c_net_income
    UNION ALL SELECT * FROM c_equity_roll
    UNION ALL SELECT * FROM c_equity_columns
    UNION ALL SELECT * FROM c_duplicate
    UNION ALL SELECT * FROM c_ratio_inputs
),
judged AS (
    SELECT a.*,
           abs(a.actual_p - a.expected_p) <= a.tol AS pass_p,
           coalesce(abs(a.actual_i - a.expected_i) <= a.tol, false) AS pass_i
    FROM allc a
),
shown AS (
    SELECT j.*,
           CASE WHEN j.ok IS NOT NULL THEN j.ok ELSE j.pass_p OR j.pass_i END AS passed,
           CASE WHEN j.ok IS NULL AND NOT j.pass_p AND j.pass_i THEN 'implied' ELSE 'printed' END AS basis,
           CASE WHEN j.ok IS NULL AND NOT j.pass_p AND j.pass_i THEN j.actual_i ELSE j.actual_p END AS actual,
           CASE WHEN j.ok IS NULL AND NOT j.pass_p AND j.pass_i THEN j.expected_i ELSE j.expected_p END AS expected
    FROM judged j
)
SELECT
    s.check_name, s.level, CASE WHEN s.passed THEN 'pass' ELSE 'fail' END AS status,
    f.entity_id, s.filing_id, f.source_file, f.statement, f.table_id, f.table_title, s.row_index, s.column_index, f.line,
    f.row_label, f.concept, f.dimension, f.period_type, f.period_start, f.period_end, f.unit,
    s.actual, s.expected, s.actual - s.expected AS difference,
    ef_div(abs(s.actual - s.expected), abs(s.expected)) AS rel_error,
    CASE WHEN s.actual IS NULL OR s.expected IS NULL THEN NULL
         WHEN s.actual = s.expected THEN 'exact'
         WHEN s.expected = 0 THEN 'more'
         WHEN ef_div(abs(s.actual - s.expected), abs(s.expected)) < 0.01 THEN '< 1%'
         WHEN ef_div(abs(s.actual - s.expected), abs(s.expected)) < 0.05 THEN '< 5%'
         WHEN ef_div(abs(s.actual - s.expected), abs(s.expected)) < 0.10 THEN '< 10%'
         ELSE 'more' END AS category,
    s.basis, s.tol AS tolerance, s.implied_value,
    s.ref_table_id, s.ref_row_index, s.ref_column_index, r.line AS ref_line, r.value AS ref_value,
    s.details
FROM shown s
LEFT JOIN facts f ON f.filing_id = s.filing_id AND f.table_id = s.table_id AND f.row_index = s.row_index
    AND f.column_index = s.column_index AND f.source = 'table'
LEFT JOIN facts r ON r.filing_id = s.filing_id AND r.table_id = s.ref_table_id AND r.row_index = s.ref_row_index
    AND r.column_index = s.ref_column_index AND r.source = 'table';

-- ---------------------------------------------------------------------------------------------
-- One value per filing, concept and period (no dimension): the filing's primary statements first,
-- then its notes and selected data, then EX-27. `implied_value` is what the components imply when
-- the printed subtotal fails its footing; `failed_check` marks values that failed an error-level
-- check (as the figure tested or as the figure it was compared with).
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE VIEW v_filing_values WITH (DEFER_BINDING) AS
WITH chk AS MATERIALIZED (
    SELECT filing_id, table_id, row_index, column_index, ref_table_id, ref_row_index, ref_column_index, status, level, implied_value
    FROM v_checks
),
implied AS (
    SELECT filing_id, table_id, row_index, column_index, implied_value AS implied FROM chk WHERE implied_value IS NOT NULL
),
failed_checks AS (SELECT * FROM chk WHERE status = 'fail' AND level = 'error'),
failed AS MATERIALIZED (
    SELECT DISTINCT filing_id, table_id, row_index, column_index FROM (
        SELECT filing_id, table_id, row_index, column_index FROM failed_checks
        UNION ALL
        SELECT filing_id, ref_table_id, ref_row_index, ref_column_index FROM failed_checks WHERE ref_table_id IS NOT NULL
    )
),
ranked AS (
    SELECT f.filing_id, f.entity_id, f.concept, f.unit, f.period_type, f.period_start, f.period_end, f.value,
           i.implied AS implied_value, x.filing_id IS NOT NULL AS failed_check,
           f.source_file, f.line, f.statement, f.table_id, f.row_index, f.column_index, f.source,
           row_number() OVER (
               PARTITION BY f.filing_id, f.concept, f.unit, f.period_type, f.period_start, f.period_end
               ORDER BY (f.source = 'table') DESC, ef_primary(f.statement) DESC, f.table_id, f.row_index, f.column_index
           ) AS rk
    FROM facts f
    LEFT JOIN implied i ON i.filing_id = f.filing_id AND i.table_id = f.table_id AND i.row_index = f.row_index
        AND i.column_index = f.column_index AND f.source = 'table'
    LEFT JOIN failed x ON x.filing_id = f.filing_id AND x.table_id = f.table_id AND x.row_index = f.row_index
        AND x.column_index = f.column_index AND f.source = 'table'
    WHERE f.dimension IS NULL AND f.value IS NOT NULL AND f.concept IS NOT NULL
)
SELECT * EXCLUDE (rk) FROM ranked WHERE rk = 1;

-- ---------------------------------------------------------------------------------------------
-- Wide statements: one row per entity and period from the most recent filing that printed that
-- statement for that period (all columns of a row come from that filing). Lines printed more than
-- once with the same element in one statement table are added (e.g. two share repurchase lines).
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE VIEW v_statement_lines WITH (DEFER_BINDING) AS
WITH sf AS (
    SELECT f.entity_id, f.filing_id, f.statement, f.concept, f.period_type, f.period_start, f.period_end, f.table_id,
           f.row_index, f.value, f.unit, fl.form_type, fl.period_of_report, fl.filed_date, fl.loaded_at, f.source_file
    FROM facts f JOIN filings fl USING (filing_id)
    WHERE f.source = 'table' AND f.dimension IS NULL AND f.value IS NOT NULL
      AND f.statement IN ('balance', 'income', 'cash_flow')
),
periods AS (
    SELECT DISTINCT entity_id, filing_id, statement, period_type, period_start, period_end,
           form_type, period_of_report, filed_date, loaded_at, source_file
    FROM sf
    WHERE (statement = 'balance' AND period_type = 'instant') OR (statement <> 'balance' AND period_type = 'duration')
),
chosen AS (
    SELECT * FROM (
        SELECT *, row_number() OVER (
            PARTITION BY entity_id, statement, period_type, period_start, period_end
            ORDER BY coalesce(filed_date, period_of_report) DESC NULLS LAST, period_of_report DESC NULLS LAST,
                     (form_type LIKE '%/A') DESC, loaded_at DESC NULLS LAST, filing_id DESC) AS rk
        FROM periods
    ) WHERE rk = 1
),
lines AS (
    -- the statement's own facts, plus (cash flow) the beginning and ending cash instants
    SELECT c.entity_id, c.filing_id, c.source_file, c.form_type, c.statement, c.period_start, c.period_end,
           s.concept, s.table_id, sum(s.value) AS value, 'period' AS role
    FROM chosen c
    JOIN sf s ON s.filing_id = c.filing_id AND s.statement = c.statement AND s.period_type = c.period_type
        AND s.period_start IS NOT DISTINCT FROM c.period_start AND s.period_end = c.period_end
    GROUP BY ALL
    UNION ALL
    SELECT c.entity_id, c.filing_id, c.source_file, c.form_type, c.statement, c.period_start, c.period_end,
           s.concept, min(s.table_id), arg_min(s.value, s.table_id * 1000000 + s.row_index),
           CASE WHEN s.period_end = c.period_end THEN 'end' ELSE 'begin' END
    FROM chosen c
    JOIN sf s ON s.filing_id = c.filing_id AND s.statement = 'cash_flow' AND s.period_type = 'instant'
        AND (s.period_end = c.period_end OR s.period_end = c.period_start - 1)
    WHERE c.statement = 'cash_flow'
    GROUP BY c.entity_id, c.filing_id, c.source_file, c.form_type, c.statement, c.period_start, c.period_end, s.concept,
             CASE WHEN s.period_end = c.period_end THEN 'end' ELSE 'begin' END
)
SELECT * EXCLUDE (rk) FROM (
    -- the same element in two tables of one statement (a statement printed twice): the first table
    SELECT *, row_number() OVER (PARTITION BY filing_id, statement, period_start, period_end, concept, role ORDER BY table_id) AS rk
    FROM lines
) WHERE rk = 1;

CREATE OR REPLACE VIEW v_balance_sheet WITH (DEFER_BINDING) AS
SELECT
    l.entity_id, any_value(e.entity_name) AS entity_name, l.period_end, l.filing_id, any_value(l.source_file) AS source_file,
    any_value(l.form_type) AS form_type,
    coalesce(any_value(value) FILTER (concept = 'us-gaap:CashAndCashEquivalentsAtCarryingValue'),
             any_value(value) FILTER (concept = 'us-gaap:Cash'),
             any_value(value) FILTER (concept = 'us-gaap:CashAndDueFromBanks')) AS cash_and_equivalents,
    coalesce(any_value(value) FILTER (concept = 'us-gaap:ShortTermInvestments'),
             any_value(value) FILTER (concept = 'us-gaap:MarketableSecuritiesCurrent'),
             any_value(value) FILTER (concept = 'us-gaap:AvailableForSaleSecuritiesCurrent'),
             any_value(value) FILTER (concept = 'us-gaap:TradingSecuritiesCurrent')) AS short_term_investments,
    coalesce(any_value(value) FILTER (concept = 'us-gaap:AccountsReceivableNetCurrent'),
             any_value(value) FILTER (concept = 'us-gaap:AccountsNotesAndLoansReceivableNetCurrent'),
             any_value(value) FILTER (concept = 'us-gaap:ReceivablesNetCurrent')) AS receivables,
    any_value(value) FILTER (concept = 'us-gaap:InventoryNet') AS inventories,
    coalesce(any_value(value) FILTER (concept = 'us-gaap:PrepaidExpenseCurrent'),
             any_value(value) FILTER (concept = 'us-gaap:PrepaidExpenseAndOtherAssetsCurrent')) AS prepaid_expenses,
    any_value(value) FILTER (concept = 'us-gaap:DeferredTaxAssetsNetCurrent') AS deferred_tax_assets_current,
    any_value(value) FILTER (concept = 'us-gaap:OtherAssetsCurrent') AS other_current_assets,
    any_value(value) FILTER (concept = 'us-gaap:AssetsCurrent') AS total_current_assets,
    any_value(value) FILTER (concept = 'us-gaap:PropertyPlantAndEquipmentGross') AS property_gross,
    any_value(value) FILTER (concept = 'us-gaap:AccumulatedDepreciationDepletionAndAmortizationPropertyPlantAndEquipment') AS accumulated_depreciation,
    any_value(value) FILTER (concept = 'us-gaap:PropertyPlantAndEquipmentNet') AS property_net,
    any_value(value) FILTER (concept = 'us-gaap:Goodwill') AS goodwill,
    coalesce(any_value(value) FILTER (concept = 'us-gaap:IntangibleAssetsNetExcludingGoodwill'),
             any_value(value) FILTER (concept = 'us-gaap:IntangibleAssetsNetIncludingGoodwill')) AS intangible_assets,
    any_value(value) FILTER (concept = 'us-gaap:OtherAssetsNoncurrent') AS other_assets,
    any_value(value) FILTER (concept = 'us-gaap:Assets') AS total_assets,
    coalesce(any_value(value) FILTER (concept = 'us-gaap:ShortTermBorrowings'),
             any_value(value) FILTER (concept = 'us-gaap:LinesOfCreditCurrent'),
             any_value(value) FILTER (concept = 'us-gaap:NotesPayableCurrent'),
             any_value(value) FILTER (concept = 'us-gaap:ShortTermBankLoansAndNotesPayable'),
             any_value(value) FILTER (concept = 'us-gaap:LoansPayableCurrent')) AS short_term_debt,
    coalesce(any_value(value) FILTER (concept = 'us-gaap:AccountsPayableCurrent'),
             any_value(value) FILTER (concept = 'us-gaap:AccountsPayableAndAccruedLiabilitiesCurrent')) AS accounts_payable,
    coalesce(any_value(value) FILTER (concept = 'us-gaap:AccruedLiabilitiesCurrent'),
             any_value(value) FILTER (concept = 'us-gaap:OtherAccruedLiabilitiesCurrent')) AS accrued_liabilities,
    coalesce(any_value(value) FILTER (concept = 'us-gaap:AccruedIncomeTaxesCurrent'),
             any_value(value) FILTER (concept = 'us-gaap:TaxesPayableCurrent')) AS income_taxes_payable,
    coalesce(any_value(value) FILTER (concept = 'us-gaap:LongTermDebtCurrent'),
             any_value(value) FILTER (concept = 'us-gaap:DebtCurrent')) AS current_portion_long_term_debt,
    any_value(value) FILTER (concept = 'us-gaap:LiabilitiesCurrent') AS total_current_liabilities,
    coalesce(any_value(value) FILTER (concept = 'us-gaap:LongTermDebtNoncurrent'),
             any_value(value) FILTER (concept = 'us-gaap:LongTermNotesPayable')) AS long_term_debt,
    any_value(value) FILTER (concept = 'us-gaap:DeferredTaxLiabilitiesNoncurrent') AS deferred_tax_liabilities,
    any_value(value) FILTER (concept = 'us-gaap:OtherLiabilitiesNoncurrent') AS other_liabilities,
    any_value(value) FILTER (concept = 'us-gaap:LiabilitiesNoncurrent') AS total_noncurrent_liabilities,
    any_value(value) FILTER (concept = 'us-gaap:Liabilities') AS total_liabilities,
    any_value(value) FILTER (concept = 'us-gaap:MinorityInterest') AS minority_interest,
    any_value(value) FILTER (concept = 'us-gaap:PreferredStockValue') AS preferred_stock,
    coalesce(any_value(value) FILTER (concept = 'us-gaap:CommonStockValue'),
             any_value(value) FILTER (concept = 'us-gaap:CommonStocksIncludingAdditionalPaidInCapital')) AS common_stock,
    any_value(value) FILTER (concept = 'us-gaap:AdditionalPaidInCapital') AS additional_paid_in_capital,
    any_value(value) FILTER (concept = 'us-gaap:RetainedEarningsAccumulatedDeficit') AS retained_earnings,
    any_value(value) FILTER (concept = 'us-gaap:TreasuryStockValue') AS treasury_stock,
    any_value(value) FILTER (concept = 'us-gaap:AccumulatedOtherComprehensiveIncomeLossNetOfTax') AS accumulated_other_comprehensive_income,
    any_value(value) FILTER (concept = 'us-gaap:StockholdersEquity') AS total_equity,
    any_value(value) FILTER (concept = 'us-gaap:LiabilitiesAndStockholdersEquity') AS total_liabilities_and_equity,
    count(*) AS n_lines
FROM v_statement_lines l
LEFT JOIN entities e ON e.entity_id = l.entity_id
WHERE l.statement = 'balance'
GROUP BY l.entity_id, l.period_end, l.filing_id;

CREATE OR REPLACE VIEW v_income_statement WITH (DEFER_BINDING) AS
SELECT
    l.entity_id, any_value(e.entity_name) AS entity_name, l.period_start, l.period_end,
    ef_months(l.period_start, l.period_end) AS months, l.filing_id, any_value(l.source_file) AS source_file,
    any_value(l.form_type) AS form_type,
    coalesce(any_value(value) FILTER (concept = 'us-gaap:SalesRevenueNet'),
             any_value(value) FILTER (concept = 'us-gaap:Revenues'),
             any_value(value) FILTER (concept = 'us-gaap:SalesRevenueGoodsNet'),
             any_value(value) FILTER (concept = 'us-gaap:SalesRevenueServicesNet')) AS revenues,
    coalesce(any_value(value) FILTER (concept = 'us-gaap:CostOfGoodsSold'),
             any_value(value) FILTER (concept = 'us-gaap:CostOfGoodsAndServicesSold'),
             any_value(value) FILTER (concept = 'us-gaap:CostOfRevenue'),
             any_value(value) FILTER (concept = 'us-gaap:CostOfServices')) AS cost_of_revenue,
    any_value(value) FILTER (concept = 'us-gaap:GrossProfit') AS gross_profit,
    any_value(value) FILTER (concept = 'us-gaap:SellingGeneralAndAdministrativeExpense') AS selling_general_administrative,
    any_value(value) FILTER (concept = 'us-gaap:ResearchAndDevelopmentExpense') AS research_and_development,
    coalesce(any_value(value) FILTER (concept = 'us-gaap:CostsAndExpenses'),
             any_value(value) FILTER (concept = 'us-gaap:OperatingExpenses')) AS total_costs_and_expenses,
    any_value(value) FILTER (concept = 'us-gaap:OperatingIncomeLoss') AS operating_income,
    coalesce(any_value(value) FILTER (concept = 'us-gaap:InvestmentIncomeInterest'),
             any_value(value) FILTER (concept = 'us-gaap:InvestmentIncomeInterestAndDividend')) AS interest_income,
    any_value(value) FILTER (concept = 'us-gaap:InterestExpense') AS interest_expense,
    coalesce(any_value(value) FILTER (concept = 'us-gaap:OtherNonoperatingIncomeExpense'),
             any_value(value) FILTER (concept = 'us-gaap:NonoperatingIncomeExpense')) AS other_income,
    coalesce(any_value(value) FILTER (concept = 'us-gaap:IncomeLossFromContinuingOperationsBeforeIncomeTaxesExtraordinaryItemsNoncontrollingInterest'),
             any_value(value) FILTER (concept = 'us-gaap:IncomeLossFromContinuingOperationsBeforeIncomeTaxesMinorityInterestAndIncomeLossFromEquityMethodInvestments')) AS pretax_income,
    any_value(value) FILTER (concept = 'us-gaap:IncomeTaxExpenseBenefit') AS income_taxes,
    any_value(value) FILTER (concept = 'us-gaap:IncomeLossFromContinuingOperations') AS income_continuing_operations,
    any_value(value) FILTER (concept = 'us-gaap:IncomeLossFromDiscontinuedOperationsNetOfTax') AS discontinued_operations,
    any_value(value) FILTER (concept = 'us-gaap:ExtraordinaryItemNetOfTax') AS extraordinary_items,
    any_value(value) FILTER (concept = 'us-gaap:NetIncomeLoss') AS net_income,
    coalesce(any_value(value) FILTER (concept = 'us-gaap:EarningsPerShareBasic'),
             any_value(value) FILTER (concept = 'us-gaap:EarningsPerShareBasicAndDiluted')) AS eps_basic,
    coalesce(any_value(value) FILTER (concept = 'us-gaap:EarningsPerShareDiluted'),
             any_value(value) FILTER (concept = 'us-gaap:EarningsPerShareBasicAndDiluted')) AS eps_diluted,
    coalesce(any_value(value) FILTER (concept = 'us-gaap:CommonStockDividendsPerShareDeclared'),
             any_value(value) FILTER (concept = 'us-gaap:CommonStockDividendsPerShareCashPaid')) AS dividends_per_share,
    coalesce(any_value(value) FILTER (concept = 'us-gaap:WeightedAverageNumberOfSharesOutstandingBasic'),
             any_value(value) FILTER (concept = 'us-gaap:WeightedAverageNumberOfShareOutstandingBasicAndDiluted')) AS weighted_shares_basic,
    any_value(value) FILTER (concept = 'us-gaap:WeightedAverageNumberOfDilutedSharesOutstanding') AS weighted_shares_diluted,
    count(*) AS n_lines
FROM v_statement_lines l
LEFT JOIN entities e ON e.entity_id = l.entity_id
WHERE l.statement = 'income'
GROUP BY l.entity_id, l.period_start, l.period_end, l.filing_id;

CREATE OR REPLACE VIEW v_cash_flow WITH (DEFER_BINDING) AS
SELECT
    l.entity_id, any_value(e.entity_name) AS entity_name, l.period_start, l.period_end,
    ef_months(l.period_start, l.period_end) AS months, l.filing_id, any_value(l.source_file) AS source_file,
    any_value(l.form_type) AS form_type,
    any_value(value) FILTER (concept = 'us-gaap:NetIncomeLoss' AND role = 'period') AS net_income,
    coalesce(any_value(value) FILTER (concept = 'us-gaap:DepreciationDepletionAndAmortization'),
             any_value(value) FILTER (concept = 'us-gaap:DepreciationAndAmortization'),
             any_value(value) FILTER (concept = 'us-gaap:Depreciation')) AS depreciation_and_amortization,
    any_value(value) FILTER (concept = 'us-gaap:DeferredIncomeTaxExpenseBenefit') AS deferred_income_taxes,
    coalesce(any_value(value) FILTER (concept = 'us-gaap:NetCashProvidedByUsedInOperatingActivities'),
             any_value(value) FILTER (concept = 'us-gaap:NetCashProvidedByUsedInOperatingActivitiesContinuingOperations')) AS cash_from_operations,
    any_value(value) FILTER (concept = 'us-gaap:PaymentsToAcquirePropertyPlantAndEquipment') AS capital_expenditures,
    any_value(value) FILTER (concept = 'us-gaap:PaymentsToAcquireBusinessesNetOfCashAcquired') AS acquisitions,
    coalesce(any_value(value) FILTER (concept = 'us-gaap:NetCashProvidedByUsedInInvestingActivities'),
             any_value(value) FILTER (concept = 'us-gaap:NetCashProvidedByUsedInInvestingActivitiesContinuingOperations')) AS cash_from_investing,
    any_value(value) FILTER (concept = 'us-gaap:ProceedsFromIssuanceOfLongTermDebt') AS debt_issued,
    any_value(value) FILTER (concept = 'us-gaap:RepaymentsOfLongTermDebt') AS debt_repaid,
    coalesce(any_value(value) FILTER (concept = 'us-gaap:ProceedsFromIssuanceOfCommonStock'),
             any_value(value) FILTER (concept = 'us-gaap:ProceedsFromStockOptionsExercised')) AS stock_issued,
    any_value(value) FILTER (concept = 'us-gaap:PaymentsForRepurchaseOfCommonStock') AS stock_repurchased,
    coalesce(any_value(value) FILTER (concept = 'us-gaap:PaymentsOfDividends'),
             any_value(value) FILTER (concept = 'us-gaap:PaymentsOfDividendsCommonStock')) AS dividends_paid,
    coalesce(any_value(value) FILTER (concept = 'us-gaap:NetCashProvidedByUsedInFinancingActivities'),
             any_value(value) FILTER (concept = 'us-gaap:NetCashProvidedByUsedInFinancingActivitiesContinuingOperations')) AS cash_from_financing,
    any_value(value) FILTER (concept = 'us-gaap:EffectOfExchangeRateOnCashAndCashEquivalents') AS effect_of_exchange_rates,
    any_value(value) FILTER (concept = 'us-gaap:CashAndCashEquivalentsPeriodIncreaseDecrease') AS net_change_in_cash,
    coalesce(any_value(value) FILTER (concept = 'us-gaap:CashAndCashEquivalentsAtCarryingValue' AND role = 'begin'),
             any_value(value) FILTER (concept = 'us-gaap:Cash' AND role = 'begin')) AS cash_beginning,
    coalesce(any_value(value) FILTER (concept = 'us-gaap:CashAndCashEquivalentsAtCarryingValue' AND role = 'end'),
             any_value(value) FILTER (concept = 'us-gaap:Cash' AND role = 'end')) AS cash_ending,
    any_value(value) FILTER (concept = 'us-gaap:InterestPaid') AS interest_paid,
    any_value(value) FILTER (concept = 'us-gaap:IncomeTaxesPaid') AS income_taxes_paid,
    count(*) FILTER (role = 'period') AS n_lines
FROM v_statement_lines l
LEFT JOIN entities e ON e.entity_id = l.entity_id
WHERE l.statement = 'cash_flow'
GROUP BY l.entity_id, l.period_start, l.period_end, l.filing_id;

-- ---------------------------------------------------------------------------------------------
-- Discrete quarters of money flows (income and cash-flow lines): quarters as reported (3 months),
-- and quarters derived from year-to-date figures of the same entity, element and fiscal-year start
-- (Q2 = 6M - 3M, Q3 = 9M - 6M, Q4 = FY - 9M), with the two inputs. Inputs are the latest values
-- (v_latest), so they may come from different filings. `value` is the reported quarter when there is
-- one, else the derived one; `derived_value` is always the year-to-date difference when it exists.
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE VIEW v_quarters WITH (DEFER_BINDING) AS
WITH d AS (
    SELECT entity_id, entity_name, concept, dimension, unit, period_start, period_end, value, filing_id, source_file, line,
           ef_months(period_start, period_end) AS months
    FROM v_latest
    WHERE period_type = 'duration' AND unit = 'USD' AND period_start IS NOT NULL
),
reported AS (
    SELECT * FROM d WHERE date_diff('day', period_start, period_end) BETWEEN 83 AND 97
),
derived AS (
    SELECT * EXCLUDE (rk) FROM (
        SELECT y.entity_id, y.entity_name, y.concept, y.dimension, y.unit,
               p.period_end + 1 AS period_start, y.period_end,
               y.value - p.value AS derived_value,
               y.months AS ytd_months, y.period_start AS ytd_start, y.value AS ytd_value, y.filing_id AS ytd_filing_id,
               y.source_file AS ytd_source_file, y.line AS ytd_line,
               p.months AS prior_months, p.period_end AS prior_end, p.value AS prior_value, p.filing_id AS prior_filing_id,
               p.source_file AS prior_source_file, p.line AS prior_line,
               row_number() OVER (PARTITION BY y.entity_id, y.concept, y.dimension, y.unit, y.period_end, p.period_end
                                  ORDER BY y.period_start DESC) AS rk
        FROM d y
        JOIN d p ON p.entity_id = y.entity_id AND p.concept = y.concept AND p.unit = y.unit
            AND p.dimension IS NOT DISTINCT FROM y.dimension
            AND p.period_start = y.period_start AND p.period_end < y.period_end
            AND date_diff('day', p.period_end, y.period_end) BETWEEN 84 AND 98
        WHERE y.months BETWEEN 5 AND 13
    ) WHERE rk = 1
),
keys AS (
    SELECT entity_id, concept, dimension, unit, period_start, period_end FROM reported
    UNION
    SELECT entity_id, concept, dimension, unit, period_start, period_end FROM derived
),
fiscal_years AS (SELECT DISTINCT entity_id, period_start, period_end FROM d WHERE months = 12)
SELECT
    k.entity_id, coalesce(r.entity_name, x.entity_name) AS entity_name, k.concept, k.dimension, k.unit,
    k.period_start, k.period_end,
    (SELECT CAST(round(ef_months(y.period_start, k.period_end) / 3) AS INTEGER) FROM fiscal_years y
      WHERE y.entity_id = k.entity_id AND y.period_start <= k.period_start AND y.period_end >= k.period_end
      ORDER BY y.period_end LIMIT 1) AS fiscal_quarter,
    coalesce(r.value, x.derived_value) AS value,
    r.value IS NULL AS derived,
    CASE WHEN r.value IS NOT NULL THEN 'reported'
         ELSE CASE x.ytd_months WHEN 12 THEN 'FY' ELSE x.ytd_months || 'M' END || ' - ' || x.prior_months || 'M' END AS method,
    CASE WHEN x.derived_value IS NOT NULL
         THEN CASE x.ytd_months WHEN 12 THEN 'FY' ELSE x.ytd_months || 'M' END || ' - ' || x.prior_months || 'M' END AS derivation,
    r.value AS reported_value, r.filing_id AS reported_filing_id, r.source_file AS reported_source_file, r.line AS reported_line,
    x.derived_value,
    x.ytd_start, x.ytd_value, x.ytd_filing_id, x.ytd_source_file, x.ytd_line,
    x.prior_end, x.prior_value, x.prior_filing_id, x.prior_source_file, x.prior_line
FROM keys k
LEFT JOIN reported r ON r.entity_id = k.entity_id AND r.concept = k.concept AND r.dimension IS NOT DISTINCT FROM k.dimension
    AND r.unit = k.unit AND r.period_start = k.period_start AND r.period_end = k.period_end
LEFT JOIN derived x ON x.entity_id = k.entity_id AND x.concept = k.concept AND x.dimension IS NOT DISTINCT FROM k.dimension
    AND x.unit = k.unit AND x.period_start = k.period_start AND x.period_end = k.period_end;

-- ---------------------------------------------------------------------------------------------
-- v_metrics: one row per entity, period and metric, from the most recent filing that gives the
-- metric's inputs (all inputs of a metric come from that one filing). `value` uses the printed
-- figures; `input_failed_check` is true when an input failed an error-level check (v_checks), and
-- `implied_value` recomputes the metric with the value the components imply for an input whose
-- printed subtotal fails its footing. `inputs` names each input with its value and source line.
-- Percentages are in percent (69.701701 = 69.7%), ratios plain (3.081110 = 3.1 to 1).
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE VIEW v_metric_inputs WITH (DEFER_BINDING) AS
WITH roles(role, concept, unit, prio, how) AS (VALUES
    ('sales', 'us-gaap:SalesRevenueNet', 'USD', 1, 'first'),
    ('sales', 'us-gaap:Revenues', 'USD', 2, 'first'),
    ('sales', 'us-gaap:SalesRevenueGoodsNet', 'USD', 3, 'first'),
    ('sales', 'us-gaap:SalesRevenueServicesNet', 'USD', 4, 'first'),
    ('sales', 'us-gaap:RevenueFromContractWithCustomerExcludingAssessedTax', 'USD', 5, 'first'),
    ('cost_of_sales', 'us-gaap:CostOfGoodsSold', 'USD', 1, 'first'),
    ('cost_of_sales', 'us-gaap:CostOfGoodsAndServicesSold', 'USD', 2, 'first'),
    ('cost_of_sales', 'us-gaap:CostOfRevenue', 'USD', 3, 'first'),
    ('cost_of_sales', 'us-gaap:CostOfServices', 'USD', 4, 'first'),
    ('gross_profit', 'us-gaap:GrossProfit', 'USD', 1, 'first'),
    ('sga', 'us-gaap:SellingGeneralAndAdministrativeExpense', 'USD', 1, 'first'),
    ('operating_income', 'us-gaap:OperatingIncomeLoss', 'USD', 1, 'first'),
    ('pretax_income', 'us-gaap:IncomeLossFromContinuingOperationsBeforeIncomeTaxesExtraordinaryItemsNoncontrollingInterest', 'USD', 1, 'first'),
    ('pretax_income', 'us-gaap:IncomeLossFromContinuingOperationsBeforeIncomeTaxesMinorityInterestAndIncomeLossFromEquityMethodInvestments', 'USD', 2, 'first'),
    ('income_taxes', 'us-gaap:IncomeTaxExpenseBenefit', 'USD', 1, 'first'),
    ('net_income', 'us-gaap:NetIncomeLoss', 'USD', 1, 'first'),
    ('net_income', 'us-gaap:ProfitLoss', 'USD', 2, 'first'),
    ('interest_expense', 'us-gaap:InterestExpense', 'USD', 1, 'first'),
    ('cash_from_operations', 'us-gaap:NetCashProvidedByUsedInOperatingActivities', 'USD', 1, 'first'),
    ('cash_from_operations', 'us-gaap:NetCashProvidedByUsedInOperatingActivitiesContinuingOperations', 'USD', 2, 'first'),
    ('capital_expenditures', 'us-gaap:PaymentsToAcquirePropertyPlantAndEquipment', 'USD', 1, 'first'),
    ('weighted_shares_basic', 'us-gaap:WeightedAverageNumberOfSharesOutstandingBasic', 'shares', 1, 'first'),
    ('weighted_shares_basic', 'us-gaap:WeightedAverageNumberOfShareOutstandingBasicAndDiluted', 'shares', 2, 'first'),
    ('eps_basic', 'us-gaap:EarningsPerShareBasic', 'USD/share', 1, 'first'),
    ('eps_basic', 'us-gaap:EarningsPerShareBasicAndDiluted', 'USD/share', 2, 'first'),
    ('current_assets', 'us-gaap:AssetsCurrent', 'USD', 1, 'first'),
    ('current_liabilities', 'us-gaap:LiabilitiesCurrent', 'USD', 1, 'first'),
    ('cash', 'us-gaap:CashAndCashEquivalentsAtCarryingValue', 'USD', 1, 'first'),
    ('cash', 'us-gaap:Cash', 'USD', 2, 'first'),
    ('cash', 'us-gaap:CashAndDueFromBanks', 'USD', 3, 'first'),
    ('short_term_investments', 'us-gaap:ShortTermInvestments', 'USD', 1, 'first'),
    ('short_term_investments', 'us-gaap:MarketableSecuritiesCurrent', 'USD', 2, 'first'),
    ('short_term_investments', 'us-gaap:AvailableForSaleSecuritiesCurrent', 'USD', 3, 'first'),
    ('short_term_investments', 'us-gaap:TradingSecuritiesCurrent', 'USD', 4, 'first'),
    ('receivables', 'us-gaap:AccountsReceivableNetCurrent', 'USD', 1, 'first'),
    ('receivables', 'us-gaap:AccountsNotesAndLoansReceivableNetCurrent', 'USD', 2, 'first'),
    ('receivables', 'us-gaap:ReceivablesNetCurrent', 'USD', 3, 'first'),
    ('total_assets', 'us-gaap:Assets', 'USD', 1, 'first'),
    ('equity', 'us-gaap:StockholdersEquity', 'USD', 1, 'first'),
    ('shares_outstanding', 'us-gaap:CommonStockSharesOutstanding', 'shares', 1, 'first'),
    ('shares_outstanding', 'us-gaap:SharesOutstanding', 'shares', 2, 'first'),
    -- debt: every borrowing line of the balance sheet is added
    ('debt', 'us-gaap:ShortTermBorrowings', 'USD', 1, 'sum'),
    ('debt', 'us-gaap:LinesOfCreditCurrent', 'USD', 1, 'sum'),
    ('debt', 'us-gaap:NotesPayableCurrent', 'USD', 1, 'sum'),
    ('debt', 'us-gaap:ShortTermBankLoansAndNotesPayable', 'USD', 1, 'sum'),
    ('debt', 'us-gaap:LoansPayableCurrent', 'USD', 1, 'sum'),
    ('debt', 'us-gaap:CommercialPaper', 'USD', 1, 'sum'),
    ('debt', 'us-gaap:LongTermDebtCurrent', 'USD', 1, 'sum'),
    ('debt', 'us-gaap:DebtCurrent', 'USD', 1, 'sum'),
    ('debt', 'us-gaap:CapitalLeaseObligationsCurrent', 'USD', 1, 'sum'),
    ('debt', 'us-gaap:LongTermDebtNoncurrent', 'USD', 1, 'sum'),
    ('debt', 'us-gaap:LongTermNotesPayable', 'USD', 1, 'sum'),
    ('debt', 'us-gaap:LongTermLineOfCredit', 'USD', 1, 'sum'),
    ('debt', 'us-gaap:CapitalLeaseObligationsNoncurrent', 'USD', 1, 'sum')
),
matched AS (
    SELECT v.filing_id, v.entity_id, v.period_type, v.period_start, v.period_end, r.role, r.how, r.prio, v.concept,
           v.value, coalesce(v.implied_value, v.value) AS value_c, v.implied_value IS NOT NULL AS is_implied,
           v.failed_check, v.source_file, v.line,
           row_number() OVER (PARTITION BY v.filing_id, v.period_type, v.period_start, v.period_end, r.role ORDER BY r.prio) AS rk
    FROM v_filing_values v
    JOIN roles r ON r.concept = v.concept AND r.unit = v.unit
)
SELECT filing_id, entity_id, period_type, period_start, period_end, role,
       sum(value) AS value, sum(value_c) AS value_c, bool_or(is_implied) AS is_implied, bool_or(failed_check) AS failed_check,
       string_agg(role || '=' || CAST(value AS VARCHAR)
                  || CASE WHEN is_implied THEN ' (implied ' || CAST(value_c AS VARCHAR) || ')' ELSE '' END
                  || ' [' || source_file || ':' || line || ']', '; ' ORDER BY line) AS described
FROM matched
WHERE how = 'sum' OR rk = 1
GROUP BY ALL;

CREATE OR REPLACE VIEW v_metrics WITH (DEFER_BINDING) AS
WITH
mi AS MATERIALIZED (SELECT * FROM v_metric_inputs),
p AS MATERIALIZED (
    SELECT filing_id, entity_id, period_type, period_start, period_end,
           any_value(struct_pack(v := value, c := value_c, i := is_implied, f := failed_check, d := described)) FILTER (role = 'sales') AS sales,
           any_value(struct_pack(v := value, c := value_c, i := is_implied, f := failed_check, d := described)) FILTER (role = 'cost_of_sales') AS cogs,
           any_value(struct_pack(v := value, c := value_c, i := is_implied, f := failed_check, d := described)) FILTER (role = 'gross_profit') AS gp,
           any_value(struct_pack(v := value, c := value_c, i := is_implied, f := failed_check, d := described)) FILTER (role = 'sga') AS sga,
           any_value(struct_pack(v := value, c := value_c, i := is_implied, f := failed_check, d := described)) FILTER (role = 'operating_income') AS opi,
           any_value(struct_pack(v := value, c := value_c, i := is_implied, f := failed_check, d := described)) FILTER (role = 'pretax_income') AS pti,
           any_value(struct_pack(v := value, c := value_c, i := is_implied, f := failed_check, d := described)) FILTER (role = 'income_taxes') AS tax,
           any_value(struct_pack(v := value, c := value_c, i := is_implied, f := failed_check, d := described)) FILTER (role = 'net_income') AS ni,
           any_value(struct_pack(v := value, c := value_c, i := is_implied, f := failed_check, d := described)) FILTER (role = 'interest_expense') AS intx,
           any_value(struct_pack(v := value, c := value_c, i := is_implied, f := failed_check, d := described)) FILTER (role = 'cash_from_operations') AS cfo,
           any_value(struct_pack(v := value, c := value_c, i := is_implied, f := failed_check, d := described)) FILTER (role = 'capital_expenditures') AS capex,
           any_value(struct_pack(v := value, c := value_c, i := is_implied, f := failed_check, d := described)) FILTER (role = 'weighted_shares_basic') AS wsh,
           any_value(struct_pack(v := value, c := value_c, i := is_implied, f := failed_check, d := described)) FILTER (role = 'eps_basic') AS eps,
           any_value(struct_pack(v := value, c := value_c, i := is_implied, f := failed_check, d := described)) FILTER (role = 'current_assets') AS ca,
           any_value(struct_pack(v := value, c := value_c, i := is_implied, f := failed_check, d := described)) FILTER (role = 'current_liabilities') AS cl,
           any_value(struct_pack(v := value, c := value_c, i := is_implied, f := failed_check, d := described)) FILTER (role = 'cash') AS cash,
           any_value(struct_pack(v := value, c := value_c, i := is_implied, f := failed_check, d := described)) FILTER (role = 'short_term_investments') AS sti,
           any_value(struct_pack(v := value, c := value_c, i := is_implied, f := failed_check, d := described)) FILTER (role = 'receivables') AS rec,
           any_value(struct_pack(v := value, c := value_c, i := is_implied, f := failed_check, d := described)) FILTER (role = 'total_assets') AS ta,
           any_value(struct_pack(v := value, c := value_c, i := is_implied, f := failed_check, d := described)) FILTER (role = 'equity') AS eq,
           any_value(struct_pack(v := value, c := value_c, i := is_implied, f := failed_check, d := described)) FILTER (role = 'shares_outstanding') AS shs,
           any_value(struct_pack(v := value, c := value_c, i := is_implied, f := failed_check, d := described)) FILTER (role = 'debt') AS debt
    FROM mi
    GROUP BY ALL
),
-- instants of the same filing for averages (beginning and end of a duration)
bal AS (
    SELECT filing_id, period_end,
           any_value(struct_pack(v := value, c := value_c, i := is_implied, f := failed_check, d := described)) FILTER (role = 'total_assets') AS ta,
           any_value(struct_pack(v := value, c := value_c, i := is_implied, f := failed_check, d := described)) FILTER (role = 'equity') AS eq
    FROM mi WHERE period_type = 'instant'
    GROUP BY ALL
),
dur AS MATERIALIZED (
    SELECT p.*, b0.ta AS ta0, b1.ta AS ta1, b0.eq AS eq0, b1.eq AS eq1
    FROM p
    LEFT JOIN bal b0 ON b0.filing_id = p.filing_id AND b0.period_end = p.period_start - 1
    LEFT JOIN bal b1 ON b1.filing_id = p.filing_id AND b1.period_end = p.period_end
    WHERE p.period_type = 'duration'
),
inst AS (SELECT * FROM p WHERE period_type = 'instant'),
m AS (
    -- margins and shares of sales (percent)
    SELECT filing_id, entity_id, period_type, period_start, period_end, 'gross_margin' AS metric, 'percent' AS unit,
           ef_div(100 * coalesce(gp['v'], sales['v'] - cogs['v']), sales['v']) AS value,
           ef_div(100 * coalesce(gp['c'], sales['c'] - cogs['c']), sales['c']) AS value_c,
           coalesce(gp['i'], cogs['i'], false) OR sales['i'] AS any_implied,
           coalesce(gp['f'], cogs['f'], false) OR sales['f'] AS any_failed,
           concat_ws('; ', coalesce(gp['d'], cogs['d']), sales['d']) AS inputs
    FROM dur WHERE sales['v'] IS NOT NULL AND (gp['v'] IS NOT NULL OR cogs['v'] IS NOT NULL)
    UNION ALL
    SELECT filing_id, entity_id, period_type, period_start, period_end, 'operating_margin', 'percent',
           ef_div(100 * opi['v'], sales['v']), ef_div(100 * opi['c'], sales['c']), opi['i'] OR sales['i'], opi['f'] OR sales['f'],
           concat_ws('; ', opi['d'], sales['d'])
    FROM dur WHERE sales['v'] IS NOT NULL AND opi['v'] IS NOT NULL
    UNION ALL
    SELECT filing_id, entity_id, period_type, period_start, period_end, 'net_margin', 'percent',
           ef_div(100 * ni['v'], sales['v']), ef_div(100 * ni['c'], sales['c']), ni['i'] OR sales['i'], ni['f'] OR sales['f'],
           concat_ws('; ', ni['d'], sales['d'])
    FROM dur WHERE sales['v'] IS NOT NULL AND ni['v'] IS NOT NULL
    UNION ALL
    SELECT filing_id, entity_id, period_type, period_start, period_end, 'cost_of_sales_pct', 'percent',
           ef_div(100 * abs(cogs['v']), sales['v']), ef_div(100 * abs(cogs['c']), sales['c']), cogs['i'] OR sales['i'], cogs['f'] OR sales['f'],
           concat_ws('; ', cogs['d'], sales['d'])
    FROM dur WHERE sales['v'] IS NOT NULL AND cogs['v'] IS NOT NULL
    UNION ALL
    SELECT filing_id, entity_id, period_type, period_start, period_end, 'sga_pct', 'percent',
           ef_div(100 * abs(sga['v']), sales['v']), ef_div(100 * abs(sga['c']), sales['c']), sga['i'] OR sales['i'], sga['f'] OR sales['f'],
           concat_ws('; ', sga['d'], sales['d'])
    FROM dur WHERE sales['v'] IS NOT NULL AND sga['v'] IS NOT NULL
    UNION ALL
    SELECT filing_id, entity_id, period_type, period_start, period_end, 'effective_tax_rate', 'percent',
           ef_div(100 * tax['v'], pti['v']), ef_div(100 * tax['c'], pti['c']), tax['i'] OR pti['i'], tax['f'] OR pti['f'],
           concat_ws('; ', tax['d'], pti['d'])
    FROM dur WHERE tax['v'] IS NOT NULL AND pti['v'] IS NOT NULL
    UNION ALL
    -- EBIT (pretax income + interest expense) / interest expense
    SELECT filing_id, entity_id, period_type, period_start, period_end, 'interest_coverage', 'ratio',
           ef_div(pti['v'] + abs(intx['v']), abs(intx['v'])), ef_div(pti['c'] + abs(intx['c']), abs(intx['c'])),
           pti['i'] OR intx['i'], pti['f'] OR intx['f'], concat_ws('; ', pti['d'], intx['d'])
    FROM dur WHERE pti['v'] IS NOT NULL AND intx['v'] IS NOT NULL AND intx['v'] <> 0
    UNION ALL
    SELECT filing_id, entity_id, period_type, period_start, period_end, 'free_cash_flow', 'USD',
           CAST(cfo['v'] - abs(capex['v']) AS DECIMAL(38,6)), CAST(cfo['c'] - abs(capex['c']) AS DECIMAL(38,6)),
           cfo['i'] OR capex['i'], cfo['f'] OR capex['f'], concat_ws('; ', cfo['d'], capex['d'])
    FROM dur WHERE cfo['v'] IS NOT NULL AND capex['v'] IS NOT NULL
    UNION ALL
    -- EPS cross-check: net income / weighted average basic shares (compare with the printed eps_basic input)
    SELECT filing_id, entity_id, period_type, period_start, period_end, 'eps_basic_computed', 'USD/share',
           ef_div(ni['v'], wsh['v']), ef_div(ni['c'], wsh['c']), ni['i'] OR wsh['i'], ni['f'] OR wsh['f'],
           concat_ws('; ', ni['d'], wsh['d'], eps['d'])
    FROM dur WHERE ni['v'] IS NOT NULL AND wsh['v'] IS NOT NULL
    UNION ALL
    -- returns on average balances (beginning and end of the period) when both exist, else the ending balance
    SELECT filing_id, entity_id, period_type, period_start, period_end, 'return_on_equity', 'percent',
           ef_div(100 * ni['v'], CASE WHEN eq0['v'] IS NOT NULL THEN (eq0['v'] + eq1['v']) / 2 ELSE eq1['v'] END),
           ef_div(100 * ni['c'], CASE WHEN eq0['c'] IS NOT NULL THEN (eq0['c'] + eq1['c']) / 2 ELSE eq1['c'] END),
           ni['i'] OR eq1['i'] OR coalesce(eq0['i'], false), ni['f'] OR eq1['f'] OR coalesce(eq0['f'], false),
           concat_ws('; ', ni['d'], eq1['d'], 'beginning ' || eq0['d']) || CASE WHEN eq0['v'] IS NULL THEN ' (ending balance only)' ELSE ' (average)' END
    FROM dur WHERE ni['v'] IS NOT NULL AND eq1['v'] IS NOT NULL
    UNION ALL
    SELECT filing_id, entity_id, period_type, period_start, period_end, 'return_on_assets', 'percent',
           ef_div(100 * ni['v'], CASE WHEN ta0['v'] IS NOT NULL THEN (ta0['v'] + ta1['v']) / 2 ELSE ta1['v'] END),
           ef_div(100 * ni['c'], CASE WHEN ta0['c'] IS NOT NULL THEN (ta0['c'] + ta1['c']) / 2 ELSE ta1['c'] END),
           ni['i'] OR ta1['i'] OR coalesce(ta0['i'], false), ni['f'] OR ta1['f'] OR coalesce(ta0['f'], false),
           concat_ws('; ', ni['d'], ta1['d'], 'beginning ' || ta0['d']) || CASE WHEN ta0['v'] IS NULL THEN ' (ending balance only)' ELSE ' (average)' END
    FROM dur WHERE ni['v'] IS NOT NULL AND ta1['v'] IS NOT NULL
    UNION ALL
    -- balance-sheet metrics
    SELECT filing_id, entity_id, period_type, period_start, period_end, 'current_ratio', 'ratio',
           ef_div(ca['v'], cl['v']), ef_div(ca['c'], cl['c']), ca['i'] OR cl['i'], ca['f'] OR cl['f'], concat_ws('; ', ca['d'], cl['d'])
    FROM inst WHERE ca['v'] IS NOT NULL AND cl['v'] IS NOT NULL
    UNION ALL
    SELECT filing_id, entity_id, period_type, period_start, period_end, 'quick_ratio', 'ratio',
           ef_div(cash['v'] + coalesce(sti['v'], 0) + rec['v'], cl['v']), ef_div(cash['c'] + coalesce(sti['c'], 0) + rec['c'], cl['c']),
           cash['i'] OR rec['i'] OR cl['i'] OR coalesce(sti['i'], false), cash['f'] OR rec['f'] OR cl['f'] OR coalesce(sti['f'], false),
           concat_ws('; ', cash['d'], sti['d'], rec['d'], cl['d'])
    FROM inst WHERE cash['v'] IS NOT NULL AND rec['v'] IS NOT NULL AND cl['v'] IS NOT NULL
    UNION ALL
    SELECT filing_id, entity_id, period_type, period_start, period_end, 'working_capital', 'USD',
           CAST(ca['v'] - cl['v'] AS DECIMAL(38,6)), CAST(ca['c'] - cl['c'] AS DECIMAL(38,6)), ca['i'] OR cl['i'], ca['f'] OR cl['f'],
           concat_ws('; ', ca['d'], cl['d'])
    FROM inst WHERE ca['v'] IS NOT NULL AND cl['v'] IS NOT NULL
    UNION ALL
    SELECT filing_id, entity_id, period_type, period_start, period_end, 'debt_to_equity', 'ratio',
           ef_div(debt['v'], eq['v']), ef_div(debt['c'], eq['c']), debt['i'] OR eq['i'], debt['f'] OR eq['f'], concat_ws('; ', debt['d'], eq['d'])
    FROM inst WHERE debt['v'] IS NOT NULL AND eq['v'] IS NOT NULL
    UNION ALL
    SELECT filing_id, entity_id, period_type, period_start, period_end, 'book_value_per_share', 'USD/share',
           ef_div(eq['v'], shs['v']), ef_div(eq['c'], shs['c']), eq['i'] OR shs['i'], eq['f'] OR shs['f'], concat_ws('; ', eq['d'], shs['d'])
    FROM inst WHERE eq['v'] IS NOT NULL AND shs['v'] IS NOT NULL
),
ranked AS (
    SELECT m.*, fl.source_file, fl.form_type,
           row_number() OVER (
               PARTITION BY m.entity_id, m.period_type, m.period_start, m.period_end, m.metric
               ORDER BY coalesce(fl.filed_date, fl.period_of_report) DESC NULLS LAST, fl.period_of_report DESC NULLS LAST,
                        (fl.form_type LIKE '%/A') DESC, fl.loaded_at DESC NULLS LAST, m.filing_id DESC) AS rk,
           count(*) OVER (PARTITION BY m.entity_id, m.period_type, m.period_start, m.period_end, m.metric) AS n_filings
    FROM m JOIN filings fl USING (filing_id)
)
SELECT
    r.entity_id, e.entity_name, r.period_type, r.period_start, r.period_end,
    CASE WHEN r.period_type = 'duration' THEN ef_months(r.period_start, r.period_end) END AS months,
    r.metric, r.value, r.unit,
    coalesce(r.any_failed, false) AS input_failed_check,
    CASE WHEN r.any_implied THEN r.value_c END AS implied_value,
    r.inputs, r.filing_id, r.source_file, r.form_type, r.n_filings
FROM ranked r
LEFT JOIN entities e ON e.entity_id = r.entity_id
WHERE r.rk = 1;
