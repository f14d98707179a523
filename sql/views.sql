-- edgarfacts views. Recreated on every open, after schema.sql.

-- Facts read from the filings' tables, with filing and entity attributes: the export
-- contract's column order first. EX-27 schedule values are in v_ex27_facts; both in v_all_facts.
CREATE OR REPLACE VIEW v_facts AS
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
