-- edgarfacts warehouse schema (DuckDB). Idempotent: run on every open.
-- Values are DECIMAL(38,6): exact, never floating point.

CREATE TABLE IF NOT EXISTS entities (
    entity_id    VARCHAR PRIMARY KEY,   -- 'cik:40545', or 'file:0-439' / 'irs:16-0338330' / 'name:...' without a CIK
    cik          VARCHAR,
    file_number  VARCHAR,
    irs_number   VARCHAR,
    name_key     VARCHAR,
    entity_name  VARCHAR
);

CREATE TABLE IF NOT EXISTS filings (
    filing_id        VARCHAR PRIMARY KEY,  -- accession number, else 'sha256:' + 16 hex of the content
    entity_id        VARCHAR,
    source_file      VARCHAR,              -- base name of the input file
    source_path      VARCHAR,
    sha256           VARCHAR,
    bytes            BIGINT,
    accession_number VARCHAR,
    cik              VARCHAR,
    company_name     VARCHAR,
    form_type        VARCHAR,
    period_of_report DATE,
    fiscal_year_end  VARCHAR,              -- MMDD
    filed_date       DATE,
    sic              VARCHAR,
    irs_number       VARCHAR,
    file_number      VARCHAR,
    meta_source      VARCHAR,              -- 'header' (EDGAR header) or 'cover' (inferred from the cover page)
    n_documents      INTEGER,
    n_tables         INTEGER,
    n_facts          INTEGER,
    loaded_at        TIMESTAMP
);

CREATE TABLE IF NOT EXISTS documents (
    filing_id   VARCHAR,
    sequence    INTEGER,
    doc_type    VARCHAR,
    filename    VARCHAR,
    description VARCHAR,
    first_line  INTEGER,
    last_line   INTEGER,
    truncated   BOOLEAN
);

CREATE TABLE IF NOT EXISTS source_tables (
    filing_id    VARCHAR,
    table_id     INTEGER,
    doc_sequence INTEGER,
    doc_type     VARCHAR,
    title        VARCHAR,
    statement    VARCHAR,   -- balance | income | comprehensive | equity | cash_flow | other
    first_line   INTEGER,
    last_line    INTEGER,
    title_line   INTEGER,
    scale        DECIMAL(38,6),
    scale_text   VARCHAR,
    n_rows       INTEGER,
    n_columns    INTEGER,
    tagged       BOOLEAN,   -- came from <TABLE> tags
    caption      VARCHAR
);

CREATE TABLE IF NOT EXISTS table_columns (
    filing_id    VARCHAR,
    table_id     INTEGER,
    column_index INTEGER,
    label        VARCHAR,
    is_text      BOOLEAN,
    left_pos     INTEGER,
    right_pos    INTEGER
);

CREATE TABLE IF NOT EXISTS table_rows (
    filing_id      VARCHAR,
    table_id       INTEGER,
    row_index      INTEGER,
    line           INTEGER,
    label          VARCHAR,
    sections       VARCHAR,
    indent         INTEGER,
    rule_above     VARCHAR,  -- none | single | double: a rule line printed above the row
    rule_below     VARCHAR,
    concept        VARCHAR,
    concept_source VARCHAR,
    section_code   VARCHAR
);

-- The raw grid of every table: label cells, value cells and text cells.
CREATE TABLE IF NOT EXISTS cells (
    filing_id    VARCHAR,
    table_id     INTEGER,
    row_index    INTEGER,
    column_index INTEGER,   -- -1 for the row label
    line         INTEGER,
    raw_text     VARCHAR,
    kind         VARCHAR,   -- label | number | dash | not_available | below_rounding | text
    value        DECIMAL(38,6)
);

-- Components of each subtotal as the layout shows them (rule lines), for footing checks.
CREATE TABLE IF NOT EXISTS footings (
    filing_id     VARCHAR,
    table_id      INTEGER,
    total_row     INTEGER,
    component_row INTEGER
);

CREATE TABLE IF NOT EXISTS facts (
    filing_id      VARCHAR,
    fact_id        INTEGER,
    source_file    VARCHAR,
    line           INTEGER,   -- 1-based line of the number in source_file
    table_id       INTEGER,
    row_index      INTEGER,
    column_index   INTEGER,
    table_title    VARCHAR,
    statement      VARCHAR,
    row_label      VARCHAR,
    column_label   VARCHAR,
    section        VARCHAR,
    concept        VARCHAR,
    concept_source VARCHAR,   -- map | structure | label | ex27
    dimension      VARCHAR,   -- member of a column group (equity component, segment), else NULL
    period_type    VARCHAR,   -- instant | duration | none
    period_start   DATE,
    period_end     DATE,
    value          DECIMAL(38,6),
    unit           VARCHAR,   -- USD | USD/share | shares | percent | count | sqft | years | year
    scale          DECIMAL(38,6),
    raw_text       VARCHAR,
    footnote       VARCHAR,
    source         VARCHAR,   -- table | ex27
    entity_id      VARCHAR
);

-- EX-27 financial data schedules (their values are facts with source = 'ex27').
CREATE TABLE IF NOT EXISTS ex27_schedules (
    filing_id       VARCHAR,
    schedule        INTEGER,
    doc_sequence    INTEGER,
    doc_type        VARCHAR,
    article         VARCHAR,
    multiplier      DECIMAL(38,6),
    period_type     VARCHAR,
    fiscal_year_end DATE,
    period_start    DATE,
    period_end      DATE,
    restated        BOOLEAN,
    flawed          BOOLEAN,
    legend          VARCHAR,
    line            INTEGER
);

CREATE TABLE IF NOT EXISTS load_errors (
    logged_at   TIMESTAMP,
    source_file VARCHAR,
    source_path VARCHAR,
    stage       VARCHAR,   -- read | layout | store | panic
    line        INTEGER,
    level       VARCHAR,   -- error | warning
    message     VARCHAR
);
