//! Units of a cell: USD, USD/share, shares, percent, and what non-financial tables measure.

use crate::cells::Cell;
use crate::layout::{Row, Table};
use regex::{Regex, RegexSet};
use std::sync::LazyLock;

/// Words that make a row or column per share.
const PER_SHARE_WORDS: &str = r"per\s+(?:common\s+|ordinary\s+|basic\s+|diluted\s+)?share|(?:income|loss|earnings|distributions?)\s+(?:declared\s+|paid\s+)?per\s+(?:[a-z-]+\s+){0,2}units?\b|per\s+(?:limited\s+partner(?:ship)?|l\.?p\.?|investor|trust|depositary)\s+(?:interest\s+)?units?\b|\beps\b|earnings\s+per|dividends?\s+(?:declared|paid)?\s*per|per\s+common|book\s+value\s+per|exercise\s+price|market\s+price|stock\s+price|price\s+range|sales?\s+price|fair\s+value\s+(?:per\s+option|of\s+(?:each\s+)?(?:options?|awards?|rights|warrants)\s+granted)";
/// A column headed "Price" is per share.
static PER_SHARE: LazyLock<Regex> = LazyLock::new(|| Regex::new(&format!(r"(?i){PER_SHARE_WORDS}|\bprice\b")).expect("static regex"));
/// A sentence or title says per share in so many words ("Distributions declared per Unit").
static PER_SHARE_PHRASE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i-u)\bper\s+(?:common\s+)?share\b|(?:dividends?|distributions?)\s+(?:declared\s+|paid\s+)?per\s+(?:[a-z-]+\s+){0,2}(?:share|unit)\b|\bper\s+(?:limited\s+partnership|trust)\s+unit").expect("static regex")
});
/// Row labels say "price" of other things too ("Progress collections and price adjustments"):
/// a row is priced per share only when the price is the whole name.
static PER_SHARE_ROW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i){PER_SHARE_WORDS}|^(?:average\s+|weighted\s+average\s+)?(?:exercise\s+|option\s+|offering\s+|purchase\s+|closing\s+|grant\s+)?prices?(?:\s+per\s+share)?$"
    ))
    .expect("static regex")
});
static PER_SHARE_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^(?:basic|diluted|primary|fully\s+diluted|basic\s+and\s+diluted|assuming\s+(?:full\s+)?dilution|net\s+income|net\s+earnings|net\s+loss|continuing\s+operations|discontinued\s+operations|extraordinary\s+items?|cumulative\s+effect.*|high|low|close|closing|bid|asked|open)$").expect("static regex"));
static SHARES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i-u)^(?:(?:trust|limited\s+partnership|partnership)\s+)?units\s+outstanding\b|weighted\s+average\s+(?:number\s+of\s+)?(?:(?:limited\s+partnership|trust|investor)\s+)?units\b|^(?:weighted|average|number\s+of\s+(?:common\s+)?shares|shares?\b|common\s+shares|common\s+and\s+common\s+equivalent\s+shares|denominator)|\bshares\s+(?:outstanding|issued|used|authorized)\b|\bshares$|number\s+of\s+shares|\boptions\s+outstanding\b|equivalent\s+shares").expect("static regex")
});
static WEIGHTED_SHARES: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i-u)^(?:weighted|average\s+(?:number\s+of\s+(?:common\s+)?shares|common|shares))|weighted\s+average\s+(?:number\s+of\s+)?(?:common\s+)?shares|\bshares\s+outstanding\b|^denominator|^(?:common\s+)?shares\s+(?:used|issued|outstanding)\b|^number\s+of\s+(?:common\s+)?shares").expect("static regex"));
static NOT_SHARES_STRICT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i-u)\$|\bprice\b|\bvalue\b|\bamount\b").expect("static regex"));
static NOT_SHARES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i-u)\$|at\s+cost|\bvalue\b|\bamount\b|treasury\s+stock|per\s+share|\bprice\b|share[\s-]*owners|shareholders|\bequity\b|dividend|\bper\b|\bsales\b|\brevenues?\b|\bbalances?\b|\byields?\b|\brates?\b|\bcustomers?\b").expect("static regex")
});
static COUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)number\s+of\s+(?:employees|stores|plants|locations|holders|stockholders|shareholders|customers|units|facilities|restaurants|branches|offices|wells|tenants|properties|leases|accounts|subscribers|members|beds|rooms|vessels|rigs|clients|policies|households|franchises|dealers|buildings|centers)|^(?:employees|stores|restaurants|branches|offices|locations|plants|facilities|units)(?:\s+(?:at|opened|closed|acquired|sold|open|added|remodeled|relocated)\b.*|\s+in\s+operation\b.*|\s*\(.*\)|:)?$|\bemployees\s+at\b|holders\s+of\s+record|^(?:business|selling|operating|trading|shipping|working)\s+days\b|\bproductive\s+wells\b|^wells\b|^(?:(?:basic|premium|pay|cable|digital|wireless|internet|active)\s+)?subscribers$|^(?:active|registered)\s+(?:customers|accounts|users|members)$|^homes\s+passed\b|^(?:premium|pay)\s+(?:service\s+)?units$|^(?:[a-z-]+\s+)?(?:centers|stores|outlets|restaurants|branches|offices|warehouses|hospitals|clinics|theaters|theatres|screens|hotels)$|\b(?:centers|stores|outlets|restaurants|branches|offices|locations|plants|facilities|warehouses|hospitals|clinics|theaters|theatres|screens|hotels|units|employees)\s+(?:open\s+)?(?:at|in\s+operation\s+at)\s+(?:the\s+)?(?:end\s+of\s+(?:the\s+)?)?(?:fiscal\s+)?(?:year|period|quarter)(?:[\s-]end)?$").expect("static regex")
});
/// "Return on average equity (%)", "Gross margin percentage": the label states percent.
static PERCENT_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i-u)\(\s*%\s*\)|\(\s*(?:in\s+)?percent(?:age)?s?\s*\)|^percent(?:age)?\b|\bpercent(?:age)?$|\bas\s+a\s+percent|\byield$|^(?:pre-?tax\s+)?return\s+on\s+(?:average\s+)?(?:common\s+)?(?:shareholders'?\s+|stockholders'?\s+)?(?:equity|assets|capital|invested\s+capital|investment)\b|^(?:total\s+)?debt\s+to\s+(?:total\s+)?capital(?:ization)?\b|^(?:comparable|same)[\s-]+(?:store|restaurant|unit)\s+sales\s+(?:increase|decrease|change|growth|gain)").expect("static regex")
});
/// Physical quantities printed beside money: "Crude oil (barrels)", "Natural gas (Mcf)".
static BARRELS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i-u)\(\s*(?:barrels|bbls?)\s*\)").expect("static regex"));
static MCF: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?-u)\(\s*(?:Mcf|MCF|mcf)\s*\)").expect("static regex"));
/// Quantities in thousands or millions of a physical unit: "Oil (MBbls)", "Gas (MMcf)", "Bcf".
static PHYSICAL_SCALED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?-u)\b(MMBbls?|MMBBLS?|MBbls?|MBBLS?|Mbbls?|MMcf|MMCF|Bcf|BCF|MMBOE|MMBoe|MBOE|MBoe)\b").expect("static regex"));

static MEASURE_WORD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i-u)cents|kw|kilowatt|MW|megawatt").expect("static regex"));
static CENTS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i-u)\(\s*(?:in\s+)?cents\s*\)|\bcents per\b").expect("static regex"));
static KWH: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i-u)kilowatt[\s-]*hours?|\bkwh\b").expect("static regex"));
static PER_KWH: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i-u)\bper\s+(?:kilowatt[\s-]*hour|kwh)\b").expect("static regex"));
static MW: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?-u)\(MW\)|(?i:\bmegawatts\b)").expect("static regex"));

/// Could the text hold a `MEASURE_WORD`? Each of them has "kw", "mw", "watt" or "cents" in it
/// (in any case): a byte test with no regex call for the many texts that have none.
fn may_measure(text: &str) -> bool {
    let b = text.as_bytes();
    // (`| 0x20` lowers an ASCII letter and maps no other byte onto one)
    let low = |i: usize| b.get(i).map_or(0, |c| c | 0x20);
    (1..b.len()).any(|i| match b[i] | 0x20 {
        b'w' => matches!(low(i - 1), b'k' | b'm') || (low(i + 1) == b'a' && low(i + 2) == b't' && low(i + 3) == b't'),
        b'e' => low(i - 1) == b'c' && low(i + 1) == b'n' && low(i + 2) == b't' && low(i + 3) == b's',
        _ => false,
    }) && MEASURE_WORD.is_match(text)
}

/// What a utility's statistics measure, from the row label or else its section heading:
/// amounts in cents (dollars x 0.01), kilowatt-hours (at the scale the text states:
/// "Kilowatt-hour sales (millions):"), megawatts.
pub fn measured(label: &str, section: Option<&str>) -> Option<(&'static str, rust_decimal::Decimal)> {
    use rust_decimal::Decimal;
    // (one cheap scan first: rows are read by the hundred thousand, few measure energy)
    if !may_measure(label) && !section.is_some_and(may_measure) {
        return None;
    }
    if CENTS.is_match(label) || section.is_some_and(|h| CENTS.is_match(h)) {
        return Some(("USD", Decimal::new(1, 2)));
    }
    if PER_KWH.is_match(label) {
        return None;
    }
    if MW.is_match(label) {
        return Some(("MW", Decimal::ONE));
    }
    // the scale a text states: "(millions)" after a unit is millions of that unit
    let scale = |text: &str| {
        let f = crate::layout::title::scale_of(&text.replace("kilowatt", "kw"));
        if f == Decimal::ONE && text.to_ascii_lowercase().contains("(millions)") {
            Decimal::from(1_000_000)
        } else {
            f
        }
    };
    let in_label = KWH.is_match(label) && !PER_KWH.is_match(label);
    let in_section = section.filter(|h| KWH.is_match(h) && !PER_KWH.is_match(h));
    if !in_label && in_section.is_none() {
        return None;
    }
    // "Total kilowatt-hour sales" under "Kilowatt-hour sales (millions):" is in millions too
    let f = [Some(label).filter(|_| in_label), in_section].into_iter().flatten().map(scale).find(|f| *f != Decimal::ONE).unwrap_or(Decimal::ONE);
    Some(("kWh", f))
}

/// The unit and factor of a physical quantity named in a label ("Oil (MBbls)": bbl x 1,000).
pub fn physical_scaled(text: &str) -> Option<(&'static str, rust_decimal::Decimal)> {
    if !text.contains('M') && !text.contains('B') {
        return None;
    }
    let m = PHYSICAL_SCALED.captures(text)?;
    let t = m[1].to_ascii_lowercase();
    let (unit, f): (&str, u64) = match t.as_str() {
        "mmbbl" | "mmbbls" => ("bbl", 1_000_000),
        "mbbl" | "mbbls" => ("bbl", 1_000),
        "mmcf" => ("Mcf", 1_000),
        "bcf" => ("Mcf", 1_000_000),
        "mmboe" => ("boe", 1_000_000),
        _ => ("boe", 1_000),
    };
    Some((unit, rust_decimal::Decimal::from(f)))
}
/// A price per physical unit ("Per barrel of crude oil", "Average cost per equivalent barrel"):
/// dollars, not per share.
static PER_UNIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i-u)\bper\s+(?:[a-z-]+\s+){0,2}(?:barrel|bbl|mcf|mcfe|boe|unit|ton|pound|gallon|square\s+foot|sq\.?\s*ft|day|hour|mile|kwh|mwh|patient|room|visit|subscriber|customer|member)s?\b").expect("static regex")
});
/// "Expected life (in years)", "Remaining contractual life (years)": a length of time.
static YEARS_LABEL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)\(\s*in\s+years\s*\)|\blife\b.*\byears?\b|\(\s*years\s*\)").expect("static regex"));
static RATIO: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i-u)\bratio\b|\btimes\s+interest\s+earned\b|\bcoverage\b").expect("static regex"));
static SQFT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i-u)square\s+f(?:ee|oo)t|\bsq\.?\s*ft\b").expect("static regex"));
static EXCEPT_PER_SHARE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i-u)except\s+(?:for\s+)?(?:share\s+and\s+)?per[\s-]+share(?:\s+(?:data|amounts|information|figures))?").expect("static regex"));
static SHARES_SECTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i-u)^(?:weighted|average\s+(?:number\s+of\s+(?:common\s+)?shares|common|shares)|shares\s+used|shares\s+outstanding|number\s+of\s+(?:common\s+)?shares|common\s+shares|denominator)").expect("static regex")
});

/// A section of share counts ("Shares used in per share calculations:").
pub fn shares_section(s: &str) -> bool {
    SHARES_SECTION.is_match(s.trim())
}

static ANTI_DILUTIVE_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:anti-?dilutive|potentially dilutive)\b.*\b(?:securities|shares|options)\b.*(?:excluded|not included)\b").expect("static regex")
});

static RATE_IN_LABEL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i-u)\$\s*\d*\.?\d+\s*(?:\*+|\([a-z0-9]\))?\s+(?:per|a)\s+(?:common\s+|limited\s+partnership\s+)?(?:share|unit)").expect("static regex"));
static BARE_NOUN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i-u)^(?:[a-z-]+\s+)?(?:centers|stores|outlets|restaurants|branches|offices|warehouses|hospitals|clinics|theaters|theatres|screens|hotels|facilities|plants|locations)$").expect("static regex")
});
/// Counts of options: excluded from diluted earnings per share, or exercisable at a date.
static ANTI_DILUTIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^anti-?dilutive\b|\b(?:excluded|omitted) from (?:the )?(?:computation|calculation|diluted)\b|\bnot included in (?:the )?(?:computation|calculation|diluted)\b|^(?:stock )?options (?:exercisable|outstanding|vested)(?: at\b.*)?$").expect("static regex")
});
static PARENS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\([^)]*\)").expect("static regex"));

static PERCENT_POINT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i-u)percent(?:age)?[\s-]+points?\b").expect("static regex"));

/// "1-Percentage-Point Increase": the size of a change in a rate (a sensitivity column), not
/// a unit or a change between periods.
pub fn percentage_point(text: &str) -> bool {
    (text.contains("oint") || text.contains("OINT")) && PERCENT_POINT.is_match(text)
}

static COUNT_TABLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i-u)\bnumber of\b|\bwells\b|\brestaurants?\b|\bstores\b|\bunit (?:development|count|data)|\bemployees\b|\bbranches\b|\blocations\b").expect("static regex")
});
static ACRES: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i-u)\bacre(?:s|age)?\b").expect("static regex"));
static NOT_A_RATE_COLUMN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i-u)\bdue to\b|\bchange|\bincrease|\bdecrease|\bvolume\b|\bamount\b|\binterest\b|\bnet\b").expect("static regex"));
/// "Percent of total loans:" over rows printed without a % sign after the first.
static PERCENT_SECTION: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i-u)^\s*(?:percent(?:age)?s?\b|% of\b)|\bas a percent(?:age)? of\b").expect("static regex"));
/// A heading over rows of percentages ("Percent of total loans:").
pub fn percent_section(heading: &str) -> bool {
    PERCENT_SECTION.is_match(heading)
}

static RATE_WORD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i-u)\b(?:yields?|rates?)\b").expect("static regex"));

/// What a whole table says about its cells, computed once per table.
pub struct TableUnits {
    /// Every value is a percentage even where the `%` is printed only on some rows.
    pub percent_table: bool,
    /// Most money values are printed without cents (so `1.41` is a per-share amount).
    pub whole_money: bool,
    pub market_prices: bool,
    /// The introducing sentence or title says the amounts are per share ("Distributions declared
    /// per Unit for each quarter were:").
    pub per_share_words: bool,
    /// Some column holds share counts ("Common Stock Shares" beside "Amount").
    pub shares_column: bool,
    /// The table states a scale for its money ("(in thousands)"): a column named by what is
    /// leased or sold ("Retail Stores") holds amounts, not counts.
    pub scaled: bool,
    /// The table counts things ("the number of gross and net wells drilled", "Restaurant
    /// Development"): no dollar sign and no scale anywhere, and its title or lead-in says so.
    pub count_table: bool,
    /// "The following potentially dilutive securities ... were excluded from the computation"
    /// introduces the table: its whole numbers count shares.
    pub excluded_securities: bool,
    /// The title or lead-in speaks of acreage and no cell is money or a percentage.
    pub acreage: bool,
}

impl TableUnits {
    pub fn of(t: &Table) -> TableUnits {
        let cells: Vec<&Cell> = t.rows.iter().flat_map(|r| r.cells.iter().filter_map(|c| c.cell.as_ref())).filter(|c| c.value.is_some()).collect();
        let any_pct = cells.iter().any(|c| c.percent);
        let any_dollar = cells.iter().any(|c| c.dollar);
        let small = cells.iter().all(|c| c.value.is_some_and(|v| v.abs() <= rust_decimal::Decimal::from(100)));
        let numbers: Vec<&&Cell> = cells.iter().filter(|c| c.kind == crate::cells::CellKind::Number).collect();
        let whole = numbers.iter().filter(|c| c.decimals <= 1).count();
        let title = t.title.to_ascii_lowercase();
        let caps = t.columns.iter().map(|c| c.label().to_ascii_lowercase()).collect::<Vec<_>>().join(" ");
        let head = format!("{} {}", title, t.caption.join(" ").to_ascii_lowercase());
        let high_low_rows = t.rows.iter().filter(|r| matches!(r.label.trim().trim_end_matches(['.', ' ']).to_ascii_lowercase().as_str(), "high" | "low")).count() >= 2;
        TableUnits {
            // "Acreage" / "leasehold acreage at December 31, 2000": the counts are acres
            // (not "Productive Wells and Acreage": wells are counted)
            acreage: !any_dollar && !any_pct && {
                let words = format!("{} {}", head, t.intro.as_deref().map(crate::periods::last_sentence).unwrap_or("")).to_ascii_lowercase();
                ACRES.is_match(&words) && !words.contains("well")
            },
            percent_table: any_pct && !any_dollar && small,
            whole_money: whole * 2 > numbers.len(),
            // ("COMMON STOCK MARKET PRICES" over rows "High" and "Low" under the quarters)
            market_prices: (title.contains("market") || head.contains("market price") || head.contains("stock price")) && (caps.contains("high") || caps.contains("low") || high_low_rows) || caps.contains("market price"),
            per_share_words: t.scale.factor == rust_decimal::Decimal::ONE && {
                let words = format!("{} {} {}", t.title, t.caption.join(" "), t.intro.as_deref().unwrap_or(""));
                PER_SHARE_PHRASE.is_match(&EXCEPT_PER_SHARE.replace_all(&words, " "))
            },
            scaled: t.scale.factor > rust_decimal::Decimal::ONE,
            shares_column: t.columns.iter().any(|c| !c.text && ColumnUnits::of(&c.label()).shares),
            count_table: !any_dollar && !any_pct && t.scale.text.is_none() && {
                let words = format!("{} {} {}", t.title, t.caption.join(" "), t.intro.as_deref().unwrap_or(""));
                COUNT_TABLE.is_match(&words)
            },
            excluded_securities: t.kind == crate::layout::StatementKind::Other && t.intro.as_deref().is_some_and(|i| ANTI_DILUTIVE.is_match(i)),
        }
    }
}

/// What a column's header words say about units, read once per column.
#[derive(Clone)]
pub struct ColumnUnits {
    percent: bool,
    acres: bool,
    sqft: bool,
    age: bool,
    year_words: bool,
    per_share: bool,
    shares: bool,
    /// "Shares (Denominator)": a count of shares whatever the row says (not "Options ...")
    counts_shares: bool,
    /// "Income (Numerator)" of an EPS reconciliation: dollars beside the shares and per-share amounts
    income: bool,
    /// "Employees at Year End" over a column of a years-as-rows table
    count: bool,
    /// ... or only what is counted ("Retail Stores"): amounts where the table states a scale
    bare_noun: bool,
    /// "Salary ($)": dollars whatever the row says
    dollars: bool,
    /// "For" / "Against" / "Withheld" / "Abstain" / "Broker Non-Votes": shares voted
    votes: bool,
}

impl ColumnUnits {
    /// A column of votes cast: counted in shares, never scaled.
    pub fn votes(&self) -> bool {
        self.votes
    }

    /// `read` once per header text and thread (see `memo`).
    pub fn of(col_label: &str) -> ColumnUnits {
        thread_local! {
            static SEEN: crate::memo::Memory<ColumnUnits> = Default::default();
        }
        crate::memo::get(&SEEN, col_label, || ColumnUnits::read(col_label))
    }

    fn read(col_label: &str) -> ColumnUnits {
        // "(In millions except per share data)" says the opposite of per share
        let col = EXCEPT_PER_SHARE.replace_all(&col_label.to_ascii_lowercase(), " ").into_owned();
        ColumnUnits {
            // ("1-Percentage-Point Increase" is the size of a change, not the unit)
            // "Yield/Rate" beside "Average Balance" and "Interest"; not "Change due to Rate"
            percent: (col.contains('%') || col.contains("percent") || RATE_WORD.is_match(&col) && !NOT_A_RATE_COLUMN.is_match(&col)) && !percentage_point(&col),
            acres: ACRES.is_match(&col),
            // non-financial tables say what they measure in their column headers
            sqft: col.contains("sq. ft") || col.contains("sq.ft") || col.contains("square feet"),
            age: col.split_whitespace().any(|w| w == "age") || (col.contains("life") || col.contains("term")) && (col.contains("years") || col.contains("contractual")),
            year_words: ["year", "since", "expir", "built", "acquired", "founded", "elected", "term"].iter().any(|w| col.contains(w)),
            per_share: PER_SHARE.is_match(&col),
            // ("Limited Partnership Units" beside the partners' capital; "Units" of apartments are counted)
            // ("Unearned ESOP Shares" is the cost of shares not yet released: dollars)
            shares: col.split_whitespace().any(|w| w == "options" || w == "shares" && !col.contains("unearned") && !col.contains("unallocated") || w == "units" && ["partnership", "limited", "trust", "investor"].iter().any(|p| col.contains(p)))
                // an ownership table's "Amount and Nature of Beneficial Ownership", a compensation
                // table's "Securities Underlying Options (#)"
                || ["beneficial ownership", "beneficially owned", "securities underlying", "number of securities", "(#)"].iter().any(|p| col.contains(p)),
            counts_shares: col.split(|c: char| !c.is_ascii_alphabetic()).any(|w| w == "shares" || w == "denominator")
                && !["price", "value", "amount", "per", "unearned", "unallocated", "$"].iter().any(|w| col.contains(w)),
            income: !col.contains("per") && (col.contains("numerator") || ["income", "net income", "earnings", "net earnings", "loss", "net loss", "income (loss)"].iter().any(|w| col.trim() == *w)),
            count: COUNT.is_match(col_label.trim()),
            bare_noun: BARE_NOUN.is_match(col_label.trim()),
            dollars: col.contains("($)"),
            votes: matches!(
                col.trim().trim_end_matches(['.', ':']),
                "for" | "against" | "withheld" | "abstain" | "abstained" | "abstentions" | "broker non-votes" | "broker non votes" | "authority withheld" | "votes for" | "votes against" | "votes withheld" | "non-votes"
            ),
        }
    }
}

/// What a row's label and sections say about units, read once per row.
#[derive(Clone)]
pub struct RowUnits {
    weighted_shares: bool,
    per_share: bool,
    shares_section_line: bool,
    per_share_section: bool,
    per_share_line: bool,
    empty_label: bool,
    count: bool,
    /// "Stores" / "Distribution centers" alone: in a scaled table, amounts held there
    bare_noun: bool,
    ratio: bool,
    sqft: bool,
    percent: bool,
    years: bool,
    per_unit: bool,
    physical: Option<&'static str>,
    /// "Oil (MBbls)": the unit and factor of a scaled quantity the label names.
    pub label_quantity: Option<(&'static str, rust_decimal::Decimal)>,
    shares: bool,
    option_count: bool,
    denominator_section: bool,
    not_shares: bool,
}

impl RowUnits {
    /// A price per physical unit: printed in dollars and cents whatever the table's scale.
    pub fn unit_price(&self) -> bool {
        self.per_unit
    }

    /// `read` once per label and headings on this thread (see `memo`).
    pub fn of(r: &Row) -> RowUnits {
        thread_local! {
            static SEEN: crate::memo::Memory<RowUnits> = Default::default();
        }
        let mut key = String::with_capacity(r.label.len() + 32);
        key.push_str(&r.label);
        for s in &r.sections {
            key.push('\u{1f}');
            key.push_str(s);
        }
        crate::memo::get(&SEEN, &key, || RowUnits::read(r))
    }

    fn read(r: &Row) -> RowUnits {
        // (the replacements only where they could apply: rows are read by the hundred thousand)
        let label = if r.label.contains('(') { PARENS.replace_all(&r.label, " ") } else { r.label.as_str().into() };
        // "Cash dividends declared, $.24 per share": the rate is part of the name, not the unit
        let label = if label.contains('$') { RATE_IN_LABEL.replace_all(&label, " ").into_owned().into() } else { label };
        let label = label.trim();
        let joined = r.sections.join(" ").to_ascii_lowercase();
        let sections = if joined.contains("except") { EXCEPT_PER_SHARE.replace_all(&joined, " ").into_owned() } else { joined };
        let in_shares_section = r.sections.last().is_some_and(|s| shares_section(s));
        // one pass over each text for all the patterns (same answers as one is_match each)
        let on = LABEL_SET.matches(label);
        let raw_label = if r.label.contains('$') { RATE_IN_LABEL.replace_all(r.label.trim(), " ") } else { r.label.trim().into() };
        let raw = RAW_LABEL_SET.matches(&raw_label);
        let is = |re: &Regex| LABEL_PATTERNS.iter().position(|p| std::ptr::eq(*p, re)).is_some_and(|i| on.matched(i));
        let raw_is = |re: &Regex| RAW_LABEL_PATTERNS.iter().position(|p| std::ptr::eq(*p, re)).is_some_and(|i| raw.matched(i));
        let per_share_line = is(&PER_SHARE_LINE);
        let label_quantity = physical_scaled(&r.label);
        // ("Convertible debentures" under "Antidilutive securities excluded:" counts shares too)
        let option_count = ANTI_DILUTIVE.is_match(label) || r.sections.last().is_some_and(|s| ANTI_DILUTIVE_HEADING.is_match(s.trim()));
        RowUnits {
            label_quantity,
            // "Denominator for basic earnings per share - weighted average shares": a share count
            weighted_shares: is(&WEIGHTED_SHARES) && !is(&NOT_SHARES_STRICT),
            // ("Anti-dilutive options excluded from the computation of diluted earnings per share")
            per_share: is(&PER_SHARE_ROW) && !option_count,
            // "Basic" / "Diluted" under "Weighted average shares outstanding (in thousands):"
            // ... and "Average" / "At year end" under "SHARES OUTSTANDING (in thousands)"
            shares_section_line: in_shares_section && (per_share_line || !is(&NOT_SHARES) && !is(&PER_SHARE)),
            per_share_section: !in_shares_section && PER_SHARE.is_match(&sections),
            per_share_line,
            empty_label: label.is_empty(),
            // "Oil" / "Gas" under "Net productive wells at year end:"
            count: is(&COUNT) || r.sections.last().is_some_and(|s| COUNT.is_match(s.trim())),
            bare_noun: BARE_NOUN.is_match(r.label.trim()),
            percent: raw_is(&PERCENT_LABEL) || r.sections.iter().any(|h| PERCENT_SECTION.is_match(h)),
            // ("Net income per limited partnership unit" is per share)
            per_unit: raw_is(&PER_UNIT) && !is(&PER_SHARE_ROW),
            years: raw_is(&YEARS_LABEL),
            physical: if ACRES.is_match(&r.label) {
                Some("acres")
            } else if let Some((u, _)) = label_quantity {
                Some(u)
            } else if raw_is(&BARRELS) {
                Some("bbl")
            } else if raw_is(&MCF) {
                Some("Mcf")
            } else {
                None
            },
            // "Current ratio", "Ratio of earnings to fixed charges"
            ratio: is(&RATIO),
            sqft: raw_is(&SQFT),
            shares: is(&SHARES),
            option_count,
            denominator_section: sections.contains("denominator"),
            not_shares: is(&NOT_SHARES),
        }
    }
}

/// The patterns read on a row's label (parentheses and rates removed), and on its label as
/// printed: each set is one automaton, so a row costs two scans instead of fifteen.
static LABEL_PATTERNS: LazyLock<Vec<&'static Regex>> = LazyLock::new(|| {
    vec![&*PER_SHARE_LINE, &*WEIGHTED_SHARES, &*NOT_SHARES_STRICT, &*PER_SHARE_ROW, &*NOT_SHARES, &*PER_SHARE, &*COUNT, &*RATIO, &*SHARES]
});
// ("Oil (per Bbl)": the price per unit is in parentheses, so it is read on the label as printed)
static RAW_LABEL_PATTERNS: LazyLock<Vec<&'static Regex>> = LazyLock::new(|| vec![&*PERCENT_LABEL, &*YEARS_LABEL, &*BARRELS, &*MCF, &*SQFT, &*PER_UNIT]);
static LABEL_SET: LazyLock<RegexSet> = LazyLock::new(|| RegexSet::new(LABEL_PATTERNS.iter().map(|r| r.as_str())).expect("static regex set"));
static RAW_LABEL_SET: LazyLock<RegexSet> = LazyLock::new(|| RegexSet::new(RAW_LABEL_PATTERNS.iter().map(|r| r.as_str())).expect("static regex set"));

/// The unit of one cell.
pub fn unit_of(tu: &TableUnits, r: &RowUnits, col: &ColumnUnits, cell: &Cell) -> &'static str {
    let unit = read_unit(tu, r, col, cell);
    // securities excluded from diluted EPS, listed whatever they are called, are share counts
    if tu.excluded_securities && matches!(unit, "USD" | "count") && !cell.dollar && cell.decimals == 0 {
        return "shares";
    }
    unit
}

fn read_unit(tu: &TableUnits, r: &RowUnits, col: &ColumnUnits, cell: &Cell) -> &'static str {
    if cell.ratio {
        return "ratio";
    }
    // "Expected life (years)" among percentages is still a length of time
    if r.years && !cell.dollar && !cell.percent {
        return "years";
    }
    if cell.percent || tu.percent_table || (col.percent || r.percent) && !cell.dollar {
        return "percent";
    }
    if col.votes && !cell.dollar {
        return "shares";
    }
    if let Some(u) = r.physical {
        return u;
    }
    if col.income && !cell.ratio {
        return "USD";
    }
    if col.dollars {
        return if r.per_share || col.per_share { "USD/share" } else { "USD" };
    }
    if r.years && !cell.dollar {
        return "years";
    }
    if r.per_unit {
        return "USD";
    }
    if (col.acres || tu.acreage) && !cell.dollar {
        return "acres";
    }
    if col.sqft {
        return "sqft";
    }
    if col.age {
        return "years";
    }
    if cell.is_year_like() && col.year_words {
        return "year";
    }
    // beside a Shares column ("Shares issued under employee stock purchase plan" in an equity
    // statement) the label names the event; the column says what is counted
    if r.option_count && !cell.dollar && cell.decimals == 0 {
        return "shares";
    }
    // "Shares (Denominator)" beside "Basic earnings per share - Net income": the column counts
    if col.counts_shares && !cell.dollar && cell.decimals == 0 {
        return "shares";
    }
    if r.weighted_shares && !tu.shares_column {
        return "shares";
    }
    if r.per_share || col.per_share || tu.market_prices || tu.per_share_words && cell.decimals >= 2 && !r.count && !r.ratio {
        return "USD/share";
    }
    if tu.count_table && !cell.dollar && !r.ratio {
        return "count";
    }
    if r.shares_section_line {
        return "shares";
    }
    if r.per_share_section && (r.per_share_line || r.empty_label || cell.decimals >= 2) {
        return "USD/share";
    }
    // ("Stores 49,412" in an inventory note of thousands: an amount; "Distribution centers 8": a count)
    if r.count && !(tu.scaled && r.bare_noun && cell.has_comma) || col.count && !cell.dollar && !(tu.scaled && col.bare_noun) {
        return "count";
    }
    if r.ratio && !cell.dollar {
        return "ratio";
    }
    if r.sqft {
        return "sqft";
    }
    // "Treasury shares issued" is a share count only in the Shares column of an equity statement
    let row_shares = (r.shares && !r.not_shares || r.denominator_section && !r.not_shares) && !tu.shares_column;
    if row_shares || col.shares {
        return "shares";
    }
    if cell.decimals == 2 && tu.whole_money && cell.value.is_some_and(|v| v.abs() < rust_decimal::Decimal::from(1000)) && !cell.has_comma {
        return "USD/share";
    }
    "USD"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measure_word_byte_test_agrees_with_the_regex() {
        let texts = [
            "Kilowatt-hour sales (millions):", "KILOWATT HOURS", "Average revenue per kWh (cents)", "CENTS PER SHARE", "System peak demand (MW)",
            "Megawatts of capacity", "kw", "Net sales", "Watts", "Decent returns", "", "m", "Total assets", "Generating capability - MW",
            "cent", "Centsible", "KWH", "mW", "wattage", "Network equipment",
        ];
        for t in texts {
            assert_eq!(may_measure(t), MEASURE_WORD.is_match(t), "{t}");
        }
        // every line of the bundled filings the regex matches passes the byte test first
        for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/seeds")).unwrap() {
            let text = String::from_utf8_lossy(&std::fs::read(entry.unwrap().path()).unwrap()).into_owned();
            for line in text.lines() {
                assert_eq!(may_measure(line), MEASURE_WORD.is_match(line), "{line}");
            }
        }
    }

    #[test]
    fn label_patterns() {
        assert!(PER_SHARE.is_match("Earnings per share - basic"));
        assert!(PER_SHARE.is_match("Stockholders' equity per share (1)"));
        assert!(PER_SHARE.is_match("Dividends per share of common stock:"));
        assert!(SHARES.is_match("Weighted average common shares outstanding - basic"));
        assert!(SHARES.is_match("Common shares outstanding at year-end"));
        assert!(!SHARES.is_match("Common stock issued"));
        assert!(NOT_SHARES.is_match("Treasury stock at cost"));
        assert!(COUNT.is_match("Number of employees"));
        assert!(!COUNT.is_match("Employees eligible to retire"));
        assert!(COUNT.is_match("Distribution centers at year end"));
        assert!(COUNT.is_match("Distribution centers"));
        assert_eq!(physical_scaled("Oil (MBbls)"), Some(("bbl", rust_decimal::Decimal::from(1000))));
        assert_eq!(physical_scaled("Natural gas (MMcf)"), Some(("Mcf", rust_decimal::Decimal::from(1000))));
        assert_eq!(physical_scaled("Net sales"), None);
        assert!(PER_UNIT.is_match("Oil (per Bbl)"));
        assert_eq!(measured("Residential", Some("Kilowatt-hour sales (millions):")), Some(("kWh", rust_decimal::Decimal::from(1_000_000))));
        assert_eq!(measured("Average revenue per kWh (cents)", None), Some(("USD", rust_decimal::Decimal::new(1, 2))));
        assert_eq!(measured("System peak demand (MW)", None), Some(("MW", rust_decimal::Decimal::ONE)));
        assert_eq!(measured("Net sales", Some("Operating revenues:")), None);
        assert!(PER_UNIT.is_match("Net sales per selling square foot"));
        assert!(COUNT.is_match("Company-operated restaurants open at end of year"));
        assert!(!COUNT.is_match("Total assets at year end"));
        assert!(!PER_SHARE_ROW.is_match("Progress collections and price adjustments accrued"));
        assert!(PER_SHARE_ROW.is_match("Weighted average exercise price"));
        assert!(PER_UNIT.is_match("Per barrel of crude oil"));
        assert!(PERCENT_LABEL.is_match("Return on average equity (%)"));
        assert!(PER_SHARE_ROW.is_match("Distributable income per Unit"));
        assert!(PER_SHARE_ROW.is_match("Net income (loss) per limited partnership unit"));
        assert!(!PER_SHARE_ROW.is_match("Production cost per unit"));
        assert!(PER_UNIT.is_match("Average monthly revenue per basic subscriber"));
        assert!(SHARES.is_match("Units outstanding"));
        assert!(COUNT.is_match("Basic subscribers"));
        assert!(PERCENT_LABEL.is_match("Return on average shareholders' equity"));
        assert!(PERCENT_LABEL.is_match("Debt to total capitalization"));
        assert!(!COUNT.is_match("Foreign customers"));
    }
}
