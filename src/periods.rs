//! Stage 4: resolve the period of every cell, XBRL style: balances are instants, flows are
//! durations with true first and last days.
//!
//! Clues come from the row (a year or quarter printed as the row label, "at beginning of
//! year", "Balance at December 31, 2001"), the row's context ("Year ended 2003" over a
//! schedule, "2003" in a market-price stub), the column header ("Three Months Ended /
//! June 30, / 1998"), the caption, and the filing (fiscal year end, period of report).

use crate::dates::{self, day_after, day_before, find_month_day_year, fiscal_year_end, start_of_months_ending};
use crate::layout::{Row, StatementKind, Table};
use chrono::{Datelike, NaiveDate};
use regex::Regex;
use serde::Serialize;
use std::sync::LazyLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Period {
    Instant { date: NaiveDate },
    Duration { start: NaiveDate, end: NaiveDate },
    None,
}

impl Period {
    pub fn kind(&self) -> &'static str {
        match self {
            Period::Instant { .. } => "instant",
            Period::Duration { .. } => "duration",
            Period::None => "none",
        }
    }
    pub fn start(&self) -> Option<NaiveDate> {
        match self {
            Period::Duration { start, .. } => Some(*start),
            _ => None,
        }
    }
    pub fn end(&self) -> Option<NaiveDate> {
        match self {
            Period::Instant { date } => Some(*date),
            Period::Duration { end, .. } => Some(*end),
            Period::None => None,
        }
    }
    /// Months covered by a duration, rounded (a 52-week year is 12).
    pub fn months(&self) -> Option<u32> {
        match self {
            Period::Duration { start, end } => Some((((*end - *start).num_days() + 1) as f64 / 30.44).round() as u32),
            _ => None,
        }
    }
}

/// What the filing says about its own periods.
#[derive(Debug, Clone, Copy, Default)]
pub struct FilingPeriods {
    pub period_of_report: Option<NaiveDate>,
    /// (month, day)
    pub fiscal_year_end: Option<(u32, u32)>,
    pub quarterly: bool,
    /// A 52/53-week year the filing states ("the Saturday closest to January 31").
    pub week_rule: Option<WeekRule>,
    /// Bare years name the fiscal year that begins in them ("Fiscal 1998 ended January 30,
    /// 1999"), as retailers with January years do.
    pub years_named_by_start: bool,
    /// A development-stage company's first day ("March 3, 1994 (inception)").
    pub inception: Option<NaiveDate>,
}

/// Lines that mention the words of the filing-wide period rules, found in one scan of the
/// filing (each rule then reads only its lines: filings run to thousands of lines).
#[derive(Debug, Default)]
pub struct Mentions {
    pub inception: Vec<usize>,
    pub fiscal: Vec<usize>,
    /// "52" or "53" (weeks)
    pub weeks: Vec<usize>,
    /// "closest", "nearest", "last" (a weekday)
    pub week_rule: Vec<usize>,
}

/// Indices of the lines that mention each kind of word: each word searched once over the whole
/// text (a search per line costs more in starting than in searching). The words are plain
/// substrings, found with `memmem` (a SIMD scan: a third of the instructions the same search
/// cost through regexes, which had to start at every "52" of every amount).
pub fn mentions(lines: &[String]) -> Mentions {
    let mut text = String::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
    let mut starts = Vec::with_capacity(lines.len());
    for l in lines {
        starts.push(text.len());
        text.push_str(l);
        text.push('\n');
    }
    let line_of = |pos: usize| starts.partition_point(|&s| s <= pos).saturating_sub(1);
    // where the search goes on once a line is listed: the next line
    let next_line = |line: usize| starts.get(line + 1).copied().unwrap_or(text.len());
    // the lines of the hits `find(from)` gives: one hit a line, the search going on at the next
    let hit_lines = |find: &dyn Fn(usize) -> Option<usize>| {
        let (mut v, mut from) = (Vec::new(), 0);
        while let Some(p) = find(from) {
            let line = line_of(p);
            v.push(line);
            from = next_line(line);
        }
        v
    };
    // (a word never spans lines: a line is listed when any of the words is on it)
    let lines_with = |words: &[&str]| {
        let mut v: Vec<usize> = words
            .iter()
            .flat_map(|w| {
                let finder = memchr::memmem::Finder::new(w.as_bytes());
                hit_lines(&|from| finder.find(&text.as_bytes()[from..]).map(|p| from + p))
            })
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let week_rule = hit_lines(&|from| WEEK_WORDS.find_at(&text, from).map(|m| m.start()));
    Mentions { inception: lines_with(&["nception", "NCEPTION"]), fiscal: lines_with(&["iscal", "ISCAL"]), weeks: lines_with(&["52", "53"]), week_rule }
}

/// The inception date a filing states ("from March 3, 1994 (inception)", "inception (May 1,
/// 1995)", "since inception on June 2, 1996").
/// A date that ends the span ("from inception through December 31, 1997") is no inception.
/// Read on the lines `at` that mention inception (see `mentions`).
pub fn inception_at(lines: &[String], at: &[usize]) -> Option<NaiveDate> {
    // first a date printed against the word, even on the line before or after it ("for the
    // period from March 3, 1999" / "(inception) to December 31, 2001")
    let adjacent = at.iter().find_map(|&i| {
        let window: Vec<&str> = (i.saturating_sub(1)..=(i + 1).min(lines.len().saturating_sub(1))).map(|k| lines[k].trim()).collect();
        let text = window.join(" ");
        if text.len() > 1200 {
            return None;
        }
        let mut from = 0;
        while let Some((d, s, e)) = dates::find_month_day_year(&text[from..]) {
            let (s, e) = (from + s, from + e);
            let after = text[e..].trim_start().to_ascii_lowercase();
            let before = text[..s].trim_end().to_ascii_lowercase();
            let against = after.starts_with("(inception") || after.starts_with("(date of inception") || after.starts_with("inception")
                || ["inception (", "inception on", "inception,", "inception"].iter().any(|w| before.ends_with(w));
            if against && !["through", "to", "thru", "ended", "ending", "-"].iter().any(|w| before.ends_with(w)) {
                return Some(d);
            }
            from = e;
        }
        None
    });
    if adjacent.is_some() {
        return adjacent;
    }
    at.iter().map(|&i| &lines[i]).filter(|l| l.len() < 400).find_map(|l| {
        let mut from = 0;
        while let Some((d, s, e)) = dates::find_month_day_year(&l[from..]) {
            let before = l[..from + s].trim_end().to_ascii_lowercase();
            if !["through", "to", "thru", "ended", "ending", "-"].iter().any(|w| before.ends_with(w)) {
                return Some(d);
            }
            from += e;
        }
        None
    })
}

/// How a 52/53-week fiscal year ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WeekRule {
    /// The weekday closest to a date ("Saturday nearest January 31").
    Nearest { weekday: chrono::Weekday, month: u32, day: u32 },
    /// The last weekday of a month ("the last Saturday in September").
    Last { weekday: chrono::Weekday, month: u32 },
}

impl WeekRule {
    /// The last day of the fiscal year that ends in calendar year `year`.
    pub fn year_end(&self, year: i32) -> Option<NaiveDate> {
        match *self {
            WeekRule::Nearest { weekday, month, day } => {
                let anchor = NaiveDate::from_ymd_opt(year, month, day).or_else(|| dates::last_day_of_month(year, month))?;
                (-3..=3).map(|k| anchor + chrono::Duration::days(k)).find(|d| d.weekday() == weekday)
            }
            WeekRule::Last { weekday, month } => {
                let last = dates::last_day_of_month(year, month)?;
                (0..7).map(|k| last - chrono::Duration::days(k)).find(|d| d.weekday() == weekday)
            }
        }
    }
}

static WEEK_RULE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i-u)\b(?:(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\s+(?:closest|nearest|nearer)\s+(?:to\s+)?(?P<m>january|february|march|april|may|june|july|august|september|october|november|december)\s+(?P<d>\d{1,2})|last\s+(?P<wd2>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\s+(?:of|in)\s+(?P<m2>january|february|march|april|may|june|july|august|september|october|november|december))").expect("static regex")
});

/// The 52/53-week rule a text states, if any.
pub fn week_rule(text: &str) -> Option<WeekRule> {
    let c = WEEK_RULE.captures(text)?;
    let weekday = |m: Option<regex::Match>| {
        use chrono::Weekday::*;
        m.and_then(|w| match w.as_str().to_ascii_lowercase().as_str() {
            "monday" => Some(Mon),
            "tuesday" => Some(Tue),
            "wednesday" => Some(Wed),
            "thursday" => Some(Thu),
            "friday" => Some(Fri),
            "saturday" => Some(Sat),
            "sunday" => Some(Sun),
            _ => None,
        })
    };
    if let (Some(wd), Some(m), Some(d)) = (weekday(c.name("wd")), c.name("m"), c.name("d")) {
        let day: u32 = d.as_str().parse().ok()?;
        return Some(WeekRule::Nearest { weekday: wd, month: dates::month_number(m.as_str())?, day });
    }
    Some(WeekRule::Last { weekday: weekday(c.name("wd2"))?, month: dates::month_number(c.name("m2")?.as_str())? })
}

// (spelled out by case: a case-insensitive pattern loses the fast literal search, and this
// runs over every line of every filing)
static WEEK_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u)[Cc]losest|CLOSEST|[Nn]earest|NEAREST|(?:[Ll]ast|LAST)\s+(?:[Mm]on|[Tt]ue|[Ww]ed|[Tt]hu|[Ff]ri|[Ss]at|[Ss]un|MON|TUE|WED|THU|FRI|SAT|SUN)").expect("static regex")
});

/// The 52/53-week rule a filing states, read around the lines `at` that say "closest",
/// "nearest" or "last" a weekday (see `mentions`; the phrase may wrap).
pub fn week_rule_at(lines: &[String], at: &[usize]) -> Option<WeekRule> {
    at.iter().copied().find_map(|i| {
        let window = lines[i.saturating_sub(1)..(i + 2).min(lines.len())].join(" ");
        week_rule(&window)
    })
}

impl FilingPeriods {
    /// The end of the fiscal year that ends in calendar year `year`.
    fn year_end(&self, year: i32, fye: (u32, u32)) -> Option<NaiveDate> {
        self.week_rule.and_then(|w| w.year_end(year)).or_else(|| fiscal_year_end(year, fye))
    }

    fn fye(&self) -> (u32, u32) {
        if let Some(f) = self.fiscal_year_end {
            return f;
        }
        match self.period_of_report {
            Some(p) if !self.quarterly => (p.month(), p.day()),
            _ => (12, 31),
        }
    }
}

/// Period words found in one piece of text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Clues {
    pub date: Option<NaiveDate>,
    pub month_day: Option<(u32, u32)>,
    pub year: Option<i32>,
    pub months: Option<u32>,
    pub weeks: Option<u32>,
    pub quarter: Option<u32>,
    pub ended: bool,
    pub at: bool,
    pub begin: bool,
    pub end_of: bool,
    /// The whole text is a period ("2004", "First Quarter", "Year ended 2003", "Total").
    pub pure: bool,
    /// "April - June 2007": first and last month of a printed range.
    pub month_range: Option<(u32, u32)>,
    /// A printed date that does not exist ("February 30, 1998").
    pub invalid_date: bool,
    /// "2003 and beyond", "Thereafter", "After 2002": no single period.
    pub open_ended: bool,
    /// A row label that is a span of two dates ("January 1 - January 31, 2005").
    pub dated_span: bool,
    /// "1-Percentage-Point Increase": the effect of a change in a rate on this year's figures.
    pub sensitivity: bool,
    /// "Year to Date": from the first day of the fiscal year.
    pub ytd: bool,
    /// "Period from March 1, 1996 to December 31, 1996": first and last day.
    pub range: Option<(NaiveDate, NaiveDate)>,
    /// "Less than 1 Year", "1-3 Years", "3-5 Years": the first and last fiscal year ahead of the
    /// report that a column of payments due covers (1 = the next year).
    pub years_ahead: Option<(u32, u32)>,
}

static FULL_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i-u)\b(jan\w*|feb\w*|mar\w*|apr\w*|may|jun\w*|jul\w*|aug\w*|sep\w*|oct\w*|nov\w*|dec\w*)\.?\s+(\d{1,2})\s*,?\s*((?:19|20)\d\d)\b").expect("static regex")
});

/// The first "Month D, YYYY" in a text that is not a real date, if any.
pub fn invalid_date(text: &str) -> Option<String> {
    // (a day and a year: five ASCII digits at least)
    if dates::ascii_digits(text) < 5 {
        return None;
    }
    FULL_DATE.captures_iter(text).find_map(|c| {
        let m = dates::month_number(&c[1])?;
        let (d, y): (u32, i32) = (c[2].parse().ok()?, c[3].parse().ok()?);
        NaiveDate::from_ymd_opt(y, m, d).is_none().then(|| c[0].to_string())
    })
}

impl Clues {
    pub fn any_date(&self) -> bool {
        self.date.is_some() || self.year.is_some() || self.month_day.is_some()
    }
    /// No date, year, quarter, months or weeks: the text names no period at all.
    pub fn names_no_period(&self) -> bool {
        !self.any_date() && self.quarter.is_none() && self.months.is_none() && self.weeks.is_none()
    }
}

static MONTH_DAY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i-u)\b(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+(\d{1,2})\b").expect("static regex")
});
static SLASH_DATE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?-u)\b(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})\b").expect("static regex"));
static OPEN_ENDED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i-u)\bbeyond\b|\bthereafter\b|\b(?:19|20)\d\d\s+and\s+(?:later|after|subsequent)|\bafter\s+(?:19|20)\d\d\b").expect("static regex")
});
static CHANGE_COLUMN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bincrease\b.*\bdecrease\b|\bdecrease\b.*\bincrease\b|\bchange\b|\bvariance\b|\bdifference\b").expect("static regex"));
// (a dash between years or set apart compares; one inside a word, "FIVE-YEAR", does not)
static COMPARISON: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i-u)\bvs\b|\bversus\b|\bcompared\b|\bover\b|\bfrom\b|\bto\b|\d\s*-\s*\d|\s-|-\s|^-|-$").expect("static regex"));

/// The period words of a column header. Headers stacked over several lines name the column's
/// own year last ("Run Out of 1997 Residual Value Balance" over "1999").
fn column_clues(label: &str) -> Clues {
    crate::memo::get(&COLUMN_CLUES_SEEN, label, || read_column_clues(label))
}

/// "December 31, 2001 and 2000" printed over both year columns, each column's own year below.
static DATE_AND_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b((?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}),?\s+((?:19|20)\d\d)\s*(?:and|&)\s*((?:19|20)\d\d)\b(.*?)((?:19|20)\d\d)\s*$").expect("static regex")
});

fn read_column_clues(label: &str) -> Clues {
    if let Some(m) = DATE_AND_YEAR.captures(label) {
        if m[5] == m[2] || m[5] == m[3] {
            let own = format!("{}{} {}, {}", &label[..m.get(0).map_or(0, |g| g.start())], &m[4], &m[1], &m[5]);
            return read_column_clues(&own);
        }
    }
    // "JUNE 30, 1999 AND DECEMBER 31, 1998" over both columns, each column's own year below
    let full: Vec<_> = FULL_DATE.captures_iter(label).collect();
    if full.len() >= 2 {
        let last_end = full.last().and_then(|m| m.get(0)).map_or(0, |g| g.end());
        let own = YEAR.captures_iter(&label[last_end..]).last().and_then(|m| m.get(1));
        if let Some(own) = own {
            let mine: Vec<_> = full.iter().filter(|m| m[3] == *own.as_str()).collect();
            if let [m] = mine[..] {
                let rest = &label[last_end + own.end()..];
                return read_column_clues(&format!("{}{}", &m[0], rest));
            }
        }
    }
    let mut c = clues(label);
    c.years_ahead = years_ahead(label);
    if c.date.is_none() && !COMPARISON.is_match(label) {
        if let Some(last) = YEAR.captures_iter(label).last().and_then(|m| m[1].parse().ok()) {
            c.year = Some(last);
        }
    }
    // a change between two periods ("Increase (Decrease) Amount", "% Change") is no period
    // ... but a "1-Percentage-Point Increase" in a rate is a sensitivity of this year's figures
    let sensitivity = crate::units::percentage_point(label);
    c.open_ended = OPEN_ENDED.is_match(label) || CHANGE_COLUMN.is_match(label) && !sensitivity;
    c.sensitivity = sensitivity;
    c.range = date_range(label).or_else(|| year_range(label));
    if let Some((_, e)) = c.range {
        c.date = Some(e);
        c.year = Some(e.year());
        c.month_day = Some((e.month(), e.day()));
    }
    c
}

static SHORT_YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)(?:\bfy\s*'?|(?:^|[\s(])')(\d\d)(?:[^\d,.%]|$)").expect("static regex"));
static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?:^|[^\d,.$])((?:19|20)\d\d)(?:[^\d,]|$)").expect("static regex"));
static MONTHS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i-u)\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|[1-9]|1[0-2])[\s-]+months?\b").expect("static regex")
});
static WEEKS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i-u)\b(fifty[\s-]two|fifty[\s-]three|thirteen|fourteen|twelve|sixteen|twenty[\s-]four|twenty[\s-]six|twenty[\s-]eight|thirty[\s-]nine|forty|52|53|12|13|14|16|24|26|28|36|39|40)[\s-]+weeks?\b").expect("static regex")
});
static QUARTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i-u)\b(first|second|third|fourth|1st|2nd|3rd|4th)\s+(?:fiscal\s+)?(?:quarter|qtr\.?|q)\b|\bq([1-4])\b").expect("static regex")
});
static MONTH_RANGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(jan\w*|feb\w*|mar\w*|apr\w*|may|jun\w*|jul\w*|aug\w*|sep\w*|oct\w*|nov\w*|dec\w*)\.?\s*(?:-|–|through|to)\s*(jan\w*|feb\w*|mar\w*|apr\w*|may|jun\w*|jul\w*|aug\w*|sep\w*|oct\w*|nov\w*|dec\w*)\.?,?\s+(?:19|20)\d\d\b").expect("static regex")
});
/// "Period from March 1, 1996 to December 31, 1996", "May 3 through December 31, 1995",
/// "May 5, 1997 (Inception) through December 31, 1997".
static DATE_RANGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(jan\w*|feb\w*|mar\w*|apr\w*|may|jun\w*|jul\w*|aug\w*|sep\w*|oct\w*|nov\w*|dec\w*)\.?\s+(\d{1,2})(?:\s*,?\s*((?:19|20)\d\d))?\s*,?\s*(?:\)\s*)?(?:\(\s*(?:date\s+of\s+)?inception\s*\)\s*,?\s*)?(?:to|through|thru|-|–)\s+(jan\w*|feb\w*|mar\w*|apr\w*|may|jun\w*|jul\w*|aug\w*|sep\w*|oct\w*|nov\w*|dec\w*)\.?\s+(\d{1,2})\s*,?\s*((?:19|20)\d\d)\b").expect("static regex")
});

static YEAR_RANGE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?:^|\s)((?:19|20)\d\d)\s*(?:-|–|to|through)\s*((?:19|20)\d\d)\s*$").expect("static regex"));

/// "2008-2009" closing a column header of payments due: those calendar years.
fn year_range(text: &str) -> Option<(NaiveDate, NaiveDate)> {
    let c = YEAR_RANGE.captures(text)?;
    let (a, b): (i32, i32) = (c[1].parse().ok()?, c[2].parse().ok()?);
    if a >= b || b - a > 10 {
        return None;
    }
    Some((NaiveDate::from_ymd_opt(a, 1, 1)?, NaiveDate::from_ymd_opt(b, 12, 31)?))
}

static NEXT_YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i-u)\b(?:less than|within|under) (?:one|1) year\b|\b(?:one|1) year or less\b").expect("static regex"));
static YEARS_BUCKET: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i-u)\b([1-9])\s*(?:-|to|through)\s*([1-9])\s+years?\b").expect("static regex"));

/// The fiscal years ahead a column of a payments-due table covers. "1-3 Years" after "Less than
/// 1 Year" is the second and third years (the SEC's buckets share their bounds: 1-3, 3-5);
/// "2-3 Years" and "4-5 Years" name their years outright.
fn years_ahead(label: &str) -> Option<(u32, u32)> {
    if NEXT_YEAR.is_match(label) {
        return Some((1, 1));
    }
    let c = YEARS_BUCKET.captures(label)?;
    let (a, b): (u32, u32) = (c[1].parse().ok()?, c[2].parse().ok()?);
    let first = if a == 1 || a == 3 { a + 1 } else { a };
    (first <= b).then_some((first, b))
}

/// Does the text name a span from one date to another?
pub fn names_span(text: &str) -> bool {
    date_range(text).is_some()
}

fn date_range(text: &str) -> Option<(NaiveDate, NaiveDate)> {
    // two days and a year, each read as ASCII digits below: six of them at least
    if dates::ascii_digits(text) < 6 {
        return None;
    }
    let c = DATE_RANGE.captures(text)?;
    let (m1, m2) = (dates::month_number(&c[1])?, dates::month_number(&c[4])?);
    let (d1, d2): (u32, u32) = (c[2].parse().ok()?, c[5].parse().ok()?);
    let y2: i32 = c[6].parse().ok()?;
    let y1: i32 = c.get(3).and_then(|y| y.as_str().parse().ok()).unwrap_or(if (m1, d1) > (m2, d2) { y2 - 1 } else { y2 });
    let (s, e) = (NaiveDate::from_ymd_opt(y1, m1, d1)?, NaiveDate::from_ymd_opt(y2, m2, d2)?);
    (s < e).then_some((s, e))
}

static YEARLESS_RANGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(jan\w*|feb\w*|mar\w*|apr\w*|may|jun\w*|jul\w*|aug\w*|sep\w*|oct\w*|nov\w*|dec\w*)\.?\s+(\d{1,2})\s*(?:-|–|to|through)\s*(jan\w*|feb\w*|mar\w*|apr\w*|may|jun\w*|jul\w*|aug\w*|sep\w*|oct\w*|nov\w*|dec\w*)\.?\s+(\d{1,2})\s*:?\s*$").expect("static regex")
});

/// "July 1 - July 31" with no year: the last such span ending on or before the report's date.
fn yearless_range(text: &str, report: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    let c = YEARLESS_RANGE.captures(text)?;
    let (m1, m2) = (dates::month_number(&c[1])?, dates::month_number(&c[3])?);
    let (d1, d2): (u32, u32) = (c[2].parse().ok()?, c[4].parse().ok()?);
    let y2 = if NaiveDate::from_ymd_opt(report.year(), m2, d2)? <= report { report.year() } else { report.year() - 1 };
    let y1 = if (m1, d1) > (m2, d2) { y2 - 1 } else { y2 };
    let (s, e) = (NaiveDate::from_ymd_opt(y1, m1, d1)?, NaiveDate::from_ymd_opt(y2, m2, d2)?);
    (s < e && (e - s).num_days() <= 93).then_some((s, e))
}

static BEGIN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i-u)\bbeginning\s+of\b|\bbeginning\s+balance|\bbalance\s+at\s+(?:the\s+)?beginning|\bopening\s+balance|\bat\s+beginning").expect("static regex"));
static END_OF: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i-u)\bend\s+of\s+(?:the\s+)?(?:year|period|quarter|fiscal|month)|\bat\s+end\b|\byear[\s-]end\b|\bending\s+balance|\bclosing\s+balance|\bbalance\s+at\s+(?:the\s+)?end").expect("static regex"));

fn number_word(w: &str) -> Option<u32> {
    let w = w.to_ascii_lowercase().replace(['-', ' '], "");
    Some(match w.as_str() {
        "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "sixteen" => 16,
        "twentyfour" => 24,
        "twentysix" => 26,
        "twentyeight" => 28,
        "thirtynine" => 39,
        "forty" => 40,
        "fiftytwo" => 52,
        "fiftythree" => 53,
        n => n.parse().ok()?,
    })
}

/// Is the text only a period ("2009", "Fourth quarter 1997")? A cheap test first: such a text
/// holds a digit or a quarter word.
pub fn is_pure_period(text: &str) -> bool {
    let maybe = text.bytes().any(|b| b.is_ascii_digit()) || {
        let l = text.to_ascii_lowercase();
        l.contains("quarter") || l.contains("qtr")
    };
    maybe && clues(text).pure
}

/// Any word a period could be named by (one scan for all: labels are read by the thousand).
static PERIOD_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i-u)month|week|quarter|qtr|year|ended|ending|begin|end|open|clos|balance|as of|at |fiscal|total|q1|q2|q3|q4").expect("static regex")
});

thread_local! {
    static CLUES_SEEN: crate::memo::Memory<Clues> = Default::default();
    static COLUMN_CLUES_SEEN: crate::memo::Memory<Clues> = Default::default();
}

/// Read the period words of a text (once per text and thread: see `memo`).
pub fn clues(text: &str) -> Clues {
    if text.len() > 200 {
        return read_clues(text);
    }
    crate::memo::get(&CLUES_SEEN, text, || read_clues(text))
}

fn read_clues(text: &str) -> Clues {
    let mut c = Clues::default();
    // most labels name no period at all: skip the date patterns when nothing could match
    let digits = text.bytes().any(|b| b.is_ascii_digit());
    if !digits && !PERIOD_WORD.is_match(text) {
        return c;
    }
    let lower = text.to_ascii_lowercase();
    if !digits {
        // no dates, years or day numbers: only the words can speak
    } else if let Some((d, _, _)) = find_month_day_year(text) {
        c.date = Some(d);
        c.year = Some(d.year());
        c.month_day = Some((d.month(), d.day()));
    } else if let Some(m) = SLASH_DATE.captures(text) {
        let y: i32 = m[3].parse().unwrap_or(0);
        let y = if y < 100 { if y < 50 { 2000 + y } else { 1900 + y } } else { y };
        if let (Ok(mo), Ok(d)) = (m[1].parse(), m[2].parse()) {
            if let Some(date) = NaiveDate::from_ymd_opt(y, mo, d) {
                c.date = Some(date);
                c.year = Some(y);
                c.month_day = Some((mo, d));
            }
        }
    }
    if c.month_day.is_none() && digits {
        for m in MONTH_DAY.captures_iter(text) {
            if let (Some(mo), Ok(d)) = (dates::month_number(&m[1]), m[2].parse::<u32>()) {
                if (1..=31).contains(&d) && NaiveDate::from_ymd_opt(2000, mo, d).is_some() {
                    c.month_day = Some((mo, d));
                    break;
                }
            }
        }
    }
    // "Three Months Ended December" (quarters named by the month they end): the month's end
    if c.month_day.is_none() && (lower.contains("ended ") || lower.contains("ending ")) {
        let at = lower.rfind("ended ").map(|i| i + 6).max(lower.rfind("ending ").map(|i| i + 7)).unwrap_or(lower.len());
        let after = &lower[at..];
        let mut words = after.split_whitespace().filter(|w| !w.chars().all(|ch| ch.is_ascii_digit() || ch == ','));
        if let (Some(m), None) = (words.next().and_then(|w| dates::month_number(w.trim_end_matches(['.', ',']))), words.next()) {
            c.month_day = Some((m, 31));
        }
    }
    if c.year.is_none() && digits {
        if let Some(m) = YEAR.captures(text) {
            c.year = m[1].parse().ok();
        } else if let Some(m) = SHORT_YEAR.captures(text) {
            // "FY97", "'96": a two-digit year of the century EDGAR's filings span
            c.year = m[1].parse::<i32>().ok().map(|y| if y < 50 { 2000 + y } else { 1900 + y });
        }
    }
    // each pattern only where its key word is present (labels are read by the thousand)
    if lower.contains("month") {
        if let Some(m) = MONTHS.captures(text) {
            c.months = number_word(&m[1]);
        }
    }
    if !lower.contains("week") {
        // no weeks
    } else if let Some(m) = WEEKS.captures(text) {
        c.weeks = number_word(&m[1]);
        c.months = c.weeks.map(|w| ((w as f64) / 52.0 * 12.0).round() as u32);
    }
    if !lower.contains('q') {
        // no quarter
    } else if let Some(m) = QUARTER.captures(text) {
        c.quarter = match m.get(1).map(|x| x.as_str().to_ascii_lowercase()) {
            Some(w) => match w.as_str() {
                "first" | "1st" => Some(1),
                "second" | "2nd" => Some(2),
                "third" | "3rd" => Some(3),
                _ => Some(4),
            },
            None => m.get(2).and_then(|x| x.as_str().parse().ok()),
        };
    }
    c.ended = lower.contains("ended") || lower.contains("ending") || lower.contains("for the year") || lower.contains("years end");
    c.ytd = lower.contains("year to date") || lower.contains("year-to-date") || lower.split(|ch: char| !ch.is_ascii_alphanumeric()).any(|w| w == "ytd");
    // ("for the year-to-date period ended ..." names no full year)
    if c.months.is_none() && !c.ytd && (lower.contains("year ended") || lower.contains("years ended") || lower.contains("fiscal year") || lower.contains("year ending") || lower.contains("for the year")) {
        c.months = Some(12);
    }
    if c.months.is_none() && lower.contains("quarter ended") {
        c.months = Some(3);
    }
    if !digits {
        // a month range names its year
    } else if let Some(m) = MONTH_RANGE.captures(text) {
        if let (Some(a), Some(b)) = (dates::month_number(&m[1]), dates::month_number(&m[2])) {
            c.month_range = Some((a, b));
        }
    }
    c.invalid_date = digits && invalid_date(text).is_some();
    c.at = lower.trim_start().starts_with("at ") || lower.contains("as of") || lower.trim_start().starts_with("balance");
    c.begin = (lower.contains("begin") || lower.contains("opening")) && BEGIN.is_match(text);
    c.end_of = (lower.contains("end") || lower.contains("closing")) && END_OF.is_match(text);
    let stripped: String = lower.chars().filter(|ch| ch.is_alphanumeric() || *ch == ' ').collect();
    let words: Vec<&str> = stripped.split_whitespace().collect();
    c.pure = !words.is_empty()
        && words.iter().all(|w| {
            w.parse::<i32>().is_ok_and(|y| (1900..=2100).contains(&y))
                || c.year.is_some_and(|y| *w == format!("{:02}", y % 100) || *w == format!("fy{:02}", y % 100))
                || ["first", "second", "third", "fourth", "1st", "2nd", "3rd", "4th", "quarter", "qtr", "q", "year", "ended", "ending", "for", "the", "fiscal", "total"].contains(w)
                || dates::month_number(w).is_some() && w.len() >= 3
                || w.parse::<u32>().is_ok_and(|d| (1..=31).contains(&d))
        })
        // ("Quarter ended March 31" names a quarter by its last day)
        && (c.year.is_some() || c.quarter.is_some() || c.months == Some(3) && c.month_day.is_some());
    c
}

/// Labels of balance items: their values are instants even in notes.
static INSTANT_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i-u)\b(assets?|liabilit|payable|receivable|inventor|outstanding|obligation|funded status|unrecognized|recognized|prepaid|accrued|deferred tax|reserve|allowance|accumulated|balance|equity|debt|borrowings|cash and|intangible|goodwill|plan assets|net worth|working capital|book value|year[\s-]end\b|as of|at december|at june|at september|at march|number of employees|employees|shares outstanding|discount rate|rate of compensation|current ratio|quick ratio|debt[\s-]to[\s-](?:equity|capital|total)|square f(?:ee|oo)t|sq\.?\s*ft|present value|current portion|current maturities|long-term portion|noncurrent portion|(?:share|stock)?holders of record|record holders|number of (?:stores|restaurants|locations|branches|offices|facilities|centers|properties)$)").expect("static regex")
});
static SECTION_PERIOD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i-u)\bnet periodic\b|\b(?:years?|months?|periods?|quarters?)\s+ended\b").expect("static regex"));
/// Balances by name, whatever period the columns name.
static BALANCE_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u)^(?:liabilit(?:y|ies) for|reserves? for|total assets|total liabilities|total (?:stockholders|shareholders)'? ?equity|(?:stockholders|shareholders)'? ?equity|working capital|long-term debt|total debt|total capitalization|book value)\b").expect("static regex")
});
/// Labels that name a flow whatever else they say ("Amortization of unrecognized ...").
static FLOW_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i-u)^(amortization|depreciation|changes?\b|increase|decrease|provision|expenses?\b|costs?\b|net (income|loss|earnings|sales|periodic)|sales\b|revenues?\b|purchases?\b|proceeds\b|payments?\b|additions?\b|deductions?\b|write|gains?\b|weighted|average|denominator|numerator|dividends|interest (cost|expense|income)|service cost|expected return|actual return|contributions?|benefits paid|issued|exercised|granted|forfeited|expired|cancell?ed|gross (?:profit|margin)|operating (?:income|loss|profit|earnings)|(?:income|earnings|loss) (?:before|from)\b|net cash\b|cash (?:provided|used|flows?)\b|return on\b)").expect("static regex")
});

/// Words that make a balance label an instant even beside flow words ("Unrecognized net actuarial loss").
static STRONG_INSTANT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i-u)\b(retained earnings|may yet be purchased|unrecognized|funded status|amount recognized|accumulated|prepaid|outstanding|exercisable|at end|at year|balance sheet|present value|rate of compensation increase|compensation increase|rate of increase in compensation|rate of salary increase|within one year|after one but within (?:five|5) years|after (?:five|5) but within (?:ten|10) years|after (?:ten|10) years)").expect("static regex")
});
static DURATION_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i-u)\b(income|expense|sales|revenue|cost|provision|benefit cost|earnings|written|earned|loss|gain|paid|proceeds|purchases?|payments?|issued|exercised|granted|forfeited|expired|additions|deductions|charged|amortization|depreciation|expenditures?|dividends|contributions|return on|interest|service cost|weighted average|change|increase|decrease|write[\s-]*downs?|write[\s-]*offs?|impairments?)\b").expect("static regex")
});

/// What a row's words say about its kind of values, read once per row.
struct RowNature {
    label_lower: String,
    flow_label: bool,
    label_instant: bool,
    /// The heading over the row names a span of time ("... net periodic pension cost for
    /// years ended December 31:"): rates under it are for the year, not at its end.
    sec_period: bool,
    duration_label: bool,
    sec_instant: bool,
    as_of: bool,
    balance_data: bool,
    /// The table's title or introducing sentence names balances ("7. Long-term debt",
    /// "Inventories at December 31 consisted of:").
    table_instant: bool,
    /// "Outstanding at December 31, 1994" in a table whose columns name no period: a balance
    /// row of a roll-forward, dated by its label.
    dated_balance: bool,
    /// The table lists payments due by period (contractual obligations).
    payments_due: bool,
}

impl RowNature {
    fn plain(r: &Row) -> RowNature {
        RowNature {
            label_lower: r.label.to_ascii_lowercase(),
            flow_label: false,
            label_instant: false,
            sec_period: false,
            duration_label: false,
            sec_instant: false,
            as_of: false,
            balance_data: false,
            table_instant: false,
            dated_balance: false,
            payments_due: false,
        }
    }

    fn of(r: &Row) -> RowNature {
        let ctx_text = format!("{} {}", r.sections.join(" "), r.context.as_deref().unwrap_or(""));
        let ctx_lower = ctx_text.to_ascii_lowercase();
        let duration_label = DURATION_WORDS.is_match(&r.label);
        RowNature {
            label_lower: r.label.to_ascii_lowercase(),
            flow_label: FLOW_LABEL.is_match(r.label.trim_start()),
            label_instant: STRONG_INSTANT.is_match(&r.label) || INSTANT_WORDS.is_match(&r.label) && !duration_label,
            sec_period: r.sections.iter().any(|h| SECTION_PERIOD.is_match(h)),
            duration_label,
            sec_instant: INSTANT_WORDS.is_match(&ctx_text) && !DURATION_WORDS.is_match(&ctx_text) || ctx_lower.contains("as of") || ctx_lower.contains("year-end") || {
                // "December 31, 2006:" heading a block of rows: balances at that date
                let h = clues(r.context.as_deref().unwrap_or(""));
                h.month_day.is_some() && !h.ended && h.months.is_none() && h.weeks.is_none() && h.quarter.is_none() && !DURATION_WORDS.is_match(&ctx_text)
            },
            as_of: section_as_of(r),
            balance_data: balance_data_section(r),
            table_instant: false,
            dated_balance: false,
            payments_due: false,
        }
    }
}

/// "December 31", "Sept. 30": a month and day alone.
fn is_month_day(label_lower: &str) -> bool {
    let mut w = label_lower.split_whitespace();
    match (w.next(), w.next(), w.next()) {
        (Some(m), Some(d), None) => dates::month_number(m.trim_end_matches('.')).is_some() && d.trim_end_matches([',', ':']).parse::<u32>().is_ok_and(|d| (1..=31).contains(&d)),
        _ => false,
    }
}

/// The sentences of a text that print a full date ("The Company's productive wells at
/// December 31, 2000 were as follows.").
fn dated_sentences(text: &str) -> impl Iterator<Item = &str> {
    text.split(". ").filter(|s| dates::find_month_day_year(s).is_some())
}

/// The last sentence of a paragraph ("... on December 30, 2005. Information about options
/// outstanding at December 31, 2006 follows:" -> "Information about ... follows:").
pub(crate) fn last_sentence(text: &str) -> &str {
    let b = text.as_bytes();
    (1..b.len().saturating_sub(1))
        .rev()
        .find(|&i| b[i - 1] == b'.' && b[i] == b' ' && b[i + 1..].iter().find(|c| **c != b' ').is_some_and(|c| c.is_ascii_uppercase()))
        .map(|i| text[i..].trim_start())
        .unwrap_or(text)
}

/// Period of every cell of a table: `[row][column]`.
/// `read(key)`, or the clues of the last key while the same key comes again.
fn same_as_last<K: PartialEq + Copy>(last: &mut Option<(K, Clues)>, key: K, read: impl FnOnce(K) -> Clues) -> Clues {
    match last {
        Some((k, c)) if *k == key => c.clone(),
        _ => last.insert((key, read(key))).1.clone(),
    }
}

pub fn resolve_table(t: &Table, fp: &FilingPeriods) -> Vec<Vec<Period>> {
    let caption_text = t.caption.join(" ");
    let caption = Clues { range: date_range(&caption_text), ..clues(&caption_text) };
    let intro = {
        // the sentence that ends in the table speaks for it, not what the paragraph said before
        let text = t.intro.as_deref().unwrap_or("");
        let last = clues(last_sentence(text));
        let mut c = if last.any_date() { last } else { clues(text) };
        // a quarter speaks for the table only as "for the first quarter were as follows:",
        // not as a story ("in the fourth quarter the Company recorded ...")
        if c.quarter.is_some() && !QUARTER_FOR.is_match(last_sentence(text)) {
            c.quarter = None;
        }
        c
    };
    let col_texts: Vec<String> = t.columns.iter().map(|c| c.label()).collect();
    let mut col_clues: Vec<Clues> = col_texts.iter().map(|l| column_clues(l)).collect();
    caption_dates_by_year(&caption_text, &mut col_clues);
    inherit_group_years(&mut col_clues);
    caption_spans_by_run(&caption_text, &col_texts, &mut col_clues);
    // "As Previously Reported / Effect of Change / As Restated": the change is an adjustment
    // of the same period's figures, not a change between two periods
    let restatement = col_texts.iter().any(|c| {
        let l = c.to_ascii_lowercase();
        l.contains("previously reported") || l.contains("as reported") || l.contains("restated")
    });
    if restatement {
        for (c, text) in col_clues.iter_mut().zip(&col_texts) {
            if c.open_ended && !OPEN_ENDED.is_match(text) {
                c.open_ended = false;
            }
        }
    }
    // ("Weighted Average Exercise Price" of options outstanding is no average over a period)
    let col_flow: Vec<(bool, bool)> = col_texts
        .iter()
        .map(|c| {
            let l = c.to_ascii_lowercase();
            // (a "1-Percentage-Point Increase" column says nothing of flows)
            (DURATION_WORDS.is_match(c) && !BALANCE_COLUMN.is_match(c) && !STRONG_INSTANT.is_match(c) && !crate::units::percentage_point(c), AVERAGE_COLUMN.is_match(c) && !l.contains("exercise price") && !l.contains("remaining"))
        })
        .collect();
    // in a table with years as rows the column names the measure: "Total Assets" is a balance
    let col_instant: Vec<bool> = col_texts.iter().map(|c| STRONG_INSTANT.is_match(c) || INSTANT_WORDS.is_match(c) && !DURATION_WORDS.is_match(c)).collect();
    let mut row_clues: Vec<Clues> = t
        .rows
        .iter()
        .map(|r| {
            let mut c = clues(&r.label);
            // "10% convertible notes payable, due June 30, 2008": a maturity, not the row's period
            if c.any_date() {
                let l = r.label.to_ascii_lowercase();
                if [" due ", ", due", "maturing", "matures", "expiring", "expires"].iter().any(|w| l.contains(w)) {
                    c = Clues { date: None, month_day: None, year: None, range: None, ..c };
                }
            }
            // the spans below are all written with digits, which most labels lack
            if !r.label.bytes().any(|b| b.is_ascii_digit()) {
                return c;
            }
            // "2012 - 2016" naming a row of a schedule
            if let Some(rg) = if c.pure { year_range(&r.label) } else { None } {
                c.range = Some(rg);
            }
            // "January 1 - January 31, 2005": a row of monthly repurchases ("July 1 - July 31"
            // in a quarterly report: the months of the report's year)
            let dr = date_range(&r.label).or_else(|| fp.period_of_report.and_then(|p| yearless_range(&r.label, p)));
            if dr.is_some() && (c.range.is_none() || c.range == dr) {
                c.range = dr;
                c.dated_span = true;
            }
            c
        })
        .collect();
    // "First" ... "Fourth" as rows of a quarterly table are quarters
    let quarterly = [t.title.as_str(), t.intro.as_deref().unwrap_or(""), &t.caption.join(" ")].iter().any(|x| x.to_ascii_lowercase().contains("quarter"));
    let ordinal = |l: &str| ordinal_quarter(l.trim()).is_some();
    if quarterly && t.rows.iter().filter(|r| ordinal(&r.label)).count() >= 3 {
        for (r, c) in t.rows.iter().zip(row_clues.iter_mut()) {
            if ordinal(&r.label) {
                *c = clues(&format!("{} quarter", r.label.trim().trim_end_matches([':', '.'])));
            }
        }
    }
    // ... and so are "1999 / First Second Third Fourth" as columns
    if quarterly {
        let ords: Vec<Option<u32>> = col_texts.iter().map(|l| l.split_whitespace().last().and_then(ordinal_quarter)).collect();
        if ords.iter().flatten().count() >= 3 {
            for (c, q) in col_clues.iter_mut().zip(ords) {
                if c.quarter.is_none() {
                    c.quarter = q;
                }
            }
        }
    }
    let row_period_table = row_clues.iter().filter(|c| c.pure).count() >= 2;
    let begin_rows: Vec<bool> = row_clues.iter().map(|c| c.begin).collect();
    let end_rows: Vec<bool> = row_clues.iter().map(|c| c.end_of).collect();
    let fye = fp.fye();
    let names_balances = |text: &str| {
        let l = text.to_ascii_lowercase();
        INSTANT_WORDS.is_match(text) && !DURATION_WORDS.is_match(&BALANCE_COLUMN.replace_all(text, " ")) && !l.contains("ended") && !l.contains("during")
    };
    // an introducing sentence names balances when it names a date too ("Inventories at
    // December 31 consisted of:"), not when it mentions employees in passing
    let intro_balances = |text: &str| {
        let l = text.to_ascii_lowercase();
        names_balances(text) && (l.contains(" at ") || l.starts_with("at ") || l.contains("as of") || STRONG_INSTANT.is_match(text) || l.contains("balances"))
    };
    // a note titled by what the company holds ("4. Property and Equipment", "Investments")
    // (a note on stockholders' equity mixes balances with option grants, assumptions and pro
    // forma earnings: its title says nothing of its tables' periods)
    let equity_note = {
        let l = t.title.to_ascii_lowercase();
        ["equity", "stock option", "capital stock", "stock-based", "stock based", "stock compensation"].iter().any(|w| l.contains(w))
    };
    let title_holdings = {
        let l = t.title.to_ascii_lowercase();
        ["property", "equipment", "fixed assets", "investments", "securities", "intangible"].iter().any(|w| l.contains(w)) && !DURATION_WORDS.is_match(&t.title)
    };
    // "The deferred provision arose from the following temporary differences": the rows are
    // parts of a year's tax expense, whatever balance they are named after
    let provision_table = t.kind == StatementKind::Other && t.intro.as_deref().is_some_and(|i| TAX_PROVISION_PARTS.is_match(i));
    let table_instant = !provision_table && t.kind == StatementKind::Other && (names_balances(&t.title) && !equity_note || title_holdings || t.intro.as_deref().is_some_and(|i| intro_balances(last_sentence(i)) || intro_balances(i) || dated_sentences(i).any(intro_balances)));
    // "Payments Due by Period" / "Contractual Obligations": columns of years ahead are durations
    let payments_due = {
        let words = format!("{} {} {} {}", t.title, caption_text, t.intro.as_deref().unwrap_or(""), col_texts.join(" ")).to_ascii_lowercase();
        ["payments due", "contractual obligations", "contractual cash obligations", "contractual commitments"].iter().any(|w| words.contains(w))
    };
    let cols_undated = col_clues.iter().all(|c| c.year.is_none() && c.date.is_none());
    let dated_rows: Vec<bool> = row_clues
        .iter()
        .map(|rl| t.kind == StatementKind::Other && cols_undated && rl.date.is_some() && !rl.ended && !rl.pure && rl.months.is_none() && rl.weeks.is_none())
        .collect();
    let mut out: Vec<Vec<Period>> = Vec::with_capacity(t.rows.len());
    // contexts and sections repeat row after row: read again only when they change (a lookup
    // in `clues`' memory costs a cache miss on the remembered text)
    let (mut last_ctx, mut last_sec) = (None, None);
    for ((r, rl), dated) in t.rows.iter().zip(row_clues).zip(&dated_rows) {
        let ctx = same_as_last(&mut last_ctx, r.context.as_deref(), |c| clues(c.unwrap_or("")));
        let sec = same_as_last(&mut last_sec, r.sections.as_slice(), |s| clues(&s.join(" ")));
        // label words matter only in notes and schedules
        let mut rn = if t.kind == StatementKind::Other { RowNature::of(r) } else { RowNature::plain(r) };
        rn.table_instant = table_instant;
        // ("Inventory reserves" among the components of the deferred tax provision is a flow)
        if provision_table {
            rn.label_instant = false;
            rn.balance_data = false;
        }
        rn.payments_due = payments_due;
        rn.dated_balance = *dated;
        let mut row_periods = Vec::with_capacity(t.columns.len());
        for (ci, _) in t.columns.iter().enumerate() {
            let c = &col_clues[ci];
            row_periods.push(resolve_cell(t, &rn, &rl, row_period_table, &ctx, &sec, c, col_flow[ci], col_instant[ci], &caption, &intro, fye, fp));
        }
        out.push(row_periods);
    }
    fix_unlabeled_totals(t, &mut out);
    fix_adjustments_of_balances(t, &mut out);
    fix_equity_activity(t, &mut out, fye, fp.inception);
    fix_roll_forward_activity(&mut out, &dated_rows);
    if t.kind == StatementKind::Other {
        fix_between_begin_and_end(&mut out, &begin_rows, &end_rows);
    }
    let weeks_stated: Vec<bool> = col_clues.iter().map(|c| c.weeks.is_some() || caption.weeks.is_some()).collect();
    fix_52_week_starts(&mut out, fp.week_rule, &weeks_stated);
    fix_begin_instants(&mut out, &begin_rows);
    fix_row_period_totals(t, &mut out, row_period_table);
    out
}

/// "First" ... "Fourth" (or "1st" ... "4th") alone: the quarter it names.
fn ordinal_quarter(word: &str) -> Option<u32> {
    match word.trim_end_matches([':', '.']).to_ascii_lowercase().as_str() {
        "first" | "1st" => Some(1),
        "second" | "2nd" => Some(2),
        "third" | "3rd" => Some(3),
        "fourth" | "4th" => Some(4),
        _ => None,
    }
}

static TAX_PROVISION_PARTS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:deferred (?:income )?tax(?:es)? (?:provision|expense|benefit)|deferred (?:provision|expense|benefit)|(?:provision|expense|benefit) for deferred (?:income )?taxes)\b[^.:]{0,60}\b(?:arose|arises|results?|resulted|consist(?:s|ed)?|(?:is|are|was|were) comprised|relates?|related|(?:is|was) attributable)\b").expect("static regex")
});

static QUARTER_FOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:for|during) the (?:first|second|third|fourth) (?:fiscal )?quarter\b[^.]*\b(?:follows|below)\b").expect("static regex")
});

/// "2000 / Productive Dry   1999 / Productive Dry": years printed over the first column of
/// each group of k columns; the others of the group take the group's year.
fn inherit_group_years(cols: &mut [Clues]) {
    let dated: Vec<usize> = (0..cols.len()).filter(|&i| cols[i].year.is_some() || cols[i].date.is_some()).collect();
    let n = cols.len();
    if dated.len() < 2 || dated[0] != 0 {
        return;
    }
    let k = dated[1];
    if k < 2 || n % k != 0 || dated.len() != n / k || dated.iter().enumerate().any(|(g, &i)| i != g * k) {
        return;
    }
    for i in 0..n {
        if i % k == 0 || cols[i].range.is_some() || cols[i].open_ended {
            continue;
        }
        let head = cols[i - i % k].clone();
        let c = &mut cols[i];
        c.year = head.year;
        c.date = c.date.or(head.date);
        c.month_day = c.month_day.or(head.month_day);
        c.months = c.months.or(head.months);
        c.weeks = c.weeks.or(head.weeks);
        c.quarter = c.quarter.or(head.quarter);
        c.ended |= head.ended;
    }
}

/// "JUNE 30, 1999 AND DECEMBER 31, 1998" over columns headed by their years alone: each
/// column takes the caption's date of its year.
fn caption_dates_by_year(caption: &str, cols: &mut [Clues]) {
    let dates: Vec<NaiveDate> = FULL_DATE
        .captures_iter(caption)
        .filter_map(|c| NaiveDate::from_ymd_opt(c[3].parse().ok()?, dates::month_number(&c[1])?, c[2].parse().ok()?))
        .collect();
    if dates.len() < 2 {
        return;
    }
    for c in cols.iter_mut().filter(|c| c.month_day.is_none() && c.date.is_none() && c.months.is_none() && c.weeks.is_none() && !c.ended) {
        let Some(y) = c.year else { continue };
        let mine: Vec<&NaiveDate> = dates.iter().filter(|d| d.year() == y).collect();
        if let [d] = mine[..] {
            c.date = Some(*d);
            c.month_day = Some((d.month(), d.day()));
        }
    }
}

static TWO_SPANS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i-u)\b(one|two|three|four|six|nine|twelve|thirteen|twenty[\s-]six|thirty[\s-]nine|fifty[\s-]two|3|6|9|12|13|26|39|52)\s+and\s+(one|two|three|four|six|nine|twelve|thirteen|twenty[\s-]six|thirty[\s-]nine|fifty[\s-]two|3|6|9|12|13|26|39|52)[\s-]+(months|weeks)\b").expect("static regex")
});

/// "FOR THE THREE AND SIX MONTHS ENDED JUNE 30, 1999 AND 1998" over "1999 1998 1999 1998":
/// the first run of years is the first span, the second run the second.
fn caption_spans_by_run(caption: &str, labels: &[String], cols: &mut [Clues]) {
    let spans = |text: &str| {
        let m = TWO_SPANS.captures(text)?;
        Some((number_word(&m[1])?, number_word(&m[2])?, m[3].eq_ignore_ascii_case("weeks")))
    };
    let dated: Vec<usize> = (0..cols.len()).filter(|&i| cols[i].year.is_some()).collect();
    if dated.len() < 2 {
        return;
    }
    // the phrase in the caption over columns naming no span, or printed over every column
    let in_caption = spans(caption).filter(|_| dated.iter().all(|&i| cols[i].months.is_none() && cols[i].weeks.is_none()));
    let in_labels = spans(&labels[dated[0]]).filter(|s| dated.iter().all(|&i| spans(&labels[i]) == Some(*s)));
    let Some((a, b, weeks)) = in_caption.or(in_labels) else { return };
    // a run ends where the years stop falling
    let mut run = 0;
    let mut which = Vec::with_capacity(dated.len());
    for (k, &i) in dated.iter().enumerate() {
        if k > 0 && cols[i].year >= cols[dated[k - 1]].year {
            run += 1;
        }
        which.push(run);
    }
    if run != 1 {
        return;
    }
    for (&i, &r) in dated.iter().zip(&which) {
        let n = if r == 0 { a } else { b };
        if weeks {
            cols[i].weeks = Some(n);
        } else {
            cols[i].months = Some(n);
        }
        cols[i].ended = true;
    }
}

#[allow(clippy::too_many_arguments)]
fn resolve_cell(
    t: &Table,
    rn: &RowNature,
    rl: &Clues,
    row_period_table: bool,
    ctx: &Clues,
    sec: &Clues,
    c: &Clues,
    (col_flow, col_average): (bool, bool),
    col_instant: bool,
    cap: &Clues,
    intro: &Clues,
    fye: (u32, u32),
    fp: &FilingPeriods,
) -> Period {
    if c.invalid_date || c.open_ended {
        return Period::None;
    }
    // a column printed as a span of dates is that span; so is a statement of one span named
    // over its columns ("For the Period from May 5, 1997 (Inception) through December 31,
    // 1997"), in columns and rows that name no period
    let span = c.range.or(cap.range.filter(|_| c.names_no_period() && rl.names_no_period())).or(rl.range.filter(|_| rl.dated_span && c.names_no_period())).or_else(|| {
        // a column of payments due "1-3 Years" after the report
        let (a, b) = c.years_ahead.filter(|_| rn.payments_due)?;
        let por = fp.period_of_report?;
        let last = |k: u32| fp.year_end(por.year() + k as i32, fye);
        Some((day_after(last(a - 1)?), last(b)?))
    });
    if let Some((s, e)) = span {
        return if rl.begin {
            Period::Instant { date: day_before(s) }
        } else if rl.end_of || t.kind == StatementKind::Balance || rl.dated_span && col_instant {
            // ("Maximum Number of Shares that May Yet Be Purchased" in a month's row: at its end)
            Period::Instant { date: e }
        } else {
            Period::Duration { start: s, end: e }
        };
    }
    let label_is_period = rl.pure && (row_period_table || rl.quarter.is_some());
    if let (true, Some((s, e))) = (label_is_period, rl.range) {
        return Period::Duration { start: s, end: e };
    }
    let label_lower = &rn.label_lower;
    let balance_row = opens_with_balance(label_lower) && rl.any_date() || rn.dated_balance;
    // sources in order of specificity
    // "December 31" / "March 31" as rows under "Quarter Ended": each row a quarter ending that day
    let quarter_end_row = rl.month_day.is_some() && rl.year.is_none() && (ctx.months == Some(3) || sec.months == Some(3)) && is_month_day(&rn.label_lower);
    let sources: Vec<&Clues> = {
        let mut v = Vec::new();
        if label_is_period || balance_row || quarter_end_row {
            v.push(rl);
        }
        v.push(c);
        v.push(ctx);
        v.push(sec);
        v.push(cap);
        // the introducing sentence only when the table itself names no year
        if !v.iter().any(|s| s.year.is_some()) {
            v.push(intro);
        } else if (intro.ended && (intro.months.is_some() || intro.weeks.is_some()) || intro.quarter.is_some() && intro.year.is_none())
            && !v.iter().any(|s| s.months.is_some() || s.weeks.is_some() || s.month_day.is_some() || s.quarter.is_some())
        {
            // ... and so does "Net sales by product line for the first quarter were as follows:"
            // "Comprehensive income for the three months ended March 31 was as follows" over
            // columns that name only their years: the span and closing day are the sentence's
            v.push(intro);
        }
        v
    };
    let has_any = sources.iter().any(|s| s.any_date() || s.quarter.is_some());
    if !has_any {
        if !t.kind.is_primary() && !c.sensitivity {
            return Period::None;
        }
    }
    let year = sources.iter().find_map(|s| s.year).or(fp.period_of_report.map(|d| d.year()));
    let Some(mut year) = year else { return Period::None };
    // "1998" over the year that ended January 30, 1999
    if fp.years_named_by_start && !sources.iter().any(|s| s.month_day.is_some()) {
        year += 1;
    }
    let intro_used = sources.iter().any(|s| std::ptr::eq(*s, intro));
    let quarter = if label_is_period { rl.quarter.or(c.quarter) } else { c.quarter.or(ctx.quarter).or(intro.quarter.filter(|_| intro_used)) };
    let full_year_in_quarters = label_is_period && rl.quarter.is_none() && label_lower.contains("total");
    // ("First Quarter" under "Year Ended December 31, 2004:" is three months of that year)
    let row_quarter = label_is_period && rl.quarter.is_some() && rl.months.is_none() && !full_year_in_quarters;
    // ("Third Quarter" over rows under "Year Ended December 31," / "1999": three months)
    let column_quarter = !label_is_period && c.quarter.is_some() && c.months.is_none() && c.weeks.is_none();
    let months = if row_quarter || column_quarter { Some(3) } else { sources.iter().find_map(|s| s.months).or(if quarter.is_some() && !full_year_in_quarters { Some(3) } else { None }) };
    let weeks = sources.iter().find_map(|s| s.weeks);

    // the end date: a full date counts only where no more specific source names another year
    let year_rank = sources.iter().position(|s| s.year.is_some()).unwrap_or(usize::MAX);
    let explicit = sources.iter().enumerate().find_map(|(k, s)| s.date.filter(|_| k <= year_rank));
    let month_day = sources.iter().find_map(|s| s.month_day);
    // ("Nine Months Ended" over the years in a quarterly report, no month printed)
    let ytd_in_quarter = fp.quarterly && (sources.iter().any(|s| s.ytd) || months.is_some_and(|m| m < 12));
    let mut end = match (explicit, month_day) {
        // (a row naming its own month and day takes the year from the heading, not its date)
        (Some(d), _) if !(label_is_period && (rl.year.is_some() || rl.month_day.is_some()) && rl.date.is_none()) => d,
        (_, Some((m, d))) => {
            // "December 31" as a row of quarters under "Fiscal 2001" (a September year): the
            // quarter ends within that fiscal year, in the calendar year before it closes
            // ... and so does "Three Months Ended December" over a block of "Fiscal 2001": a
            // month named apart from the year, after the fiscal year's closing month
            let md_alone = sources.iter().find(|s| s.month_day.is_some()).is_some_and(|s| s.year.is_none());
            let day = dates::last_day_of_month(year, m).map_or(d, |l| d.min(l.day()));
            let fiscal_row = (quarter_end_row || md_alone && !fp.quarterly && explicit.is_none()) && fye != (12, 31) && (m, day) > fye;
            let y = if fiscal_row { year - 1 } else { year };
            NaiveDate::from_ymd_opt(y, m, d).or_else(|| dates::last_day_of_month(y, m)).unwrap_or_default()
        }
        // "Year to Date 1996" in a quarterly report ends where the quarter does
        _ if ytd_in_quarter && fp.period_of_report.is_some() => {
            let p = fp.period_of_report.unwrap_or_default();
            NaiveDate::from_ymd_opt(year, p.month(), p.day()).or_else(|| dates::last_day_of_month(year, p.month())).unwrap_or_default()
        }
        // a quarterly report's table that names only its year: the period of report
        _ if fp.quarterly && fp.period_of_report.is_some_and(|p| p.year() == year) => fp.period_of_report.unwrap_or_default(),
        _ => fp.year_end(year, fye).unwrap_or_default(),
    };
    // a quarter of a 52/53-week year: 13 weeks each from the year's first day, the fourth
    // ending with the year (14 weeks in a 53-week year)
    let mut week_quarter_start = None;
    if let (Some(q), Some(rule)) = (quarter.filter(|_| !full_year_in_quarters && explicit.is_none() && month_day.is_none()), fp.week_rule) {
        if let (Some(fy_end), Some(prev_end)) = (rule.year_end(year), rule.year_end(year - 1)) {
            let qs = day_after(prev_end) + chrono::Duration::weeks(13 * (q as i64 - 1));
            week_quarter_start = Some(qs);
            end = if q == 4 { fy_end } else { qs + chrono::Duration::days(90) };
        }
    }
    if let Some(q) = quarter.filter(|_| !full_year_in_quarters && week_quarter_start.is_none()) {
        // ("Year Ended December 31," over the quarter columns dates the year, not the quarter)
        let dated_year = column_quarter && c.month_day.is_none() && c.date.is_none() && (explicit.is_some() || month_day.is_some());
        if explicit.is_none() && month_day.is_none() || dated_year {
            // quarter q of fiscal year `year`
            let fy_end = if dated_year { end } else { fp.year_end(year, fye).unwrap_or(end) };
            let back = (4 - q) * 3;
            let total = fy_end.year() * 12 + fy_end.month0() as i32 - back as i32;
            end = dates::last_day_of_month(total.div_euclid(12), total.rem_euclid(12) as u32 + 1).unwrap_or(fy_end);
        }
    }
    // "First Quarter (April - June 2007)": the printed months win over fiscal arithmetic
    if let (true, Some((a, b)), Some(y)) = (label_is_period || rl.quarter.is_some(), rl.month_range, rl.year) {
        let end_y = y;
        let start_y = if a > b { y - 1 } else { y };
        if let (Some(s), Some(e)) = (NaiveDate::from_ymd_opt(start_y, a, 1), dates::last_day_of_month(end_y, b)) {
            return Period::Duration { start: s, end: e };
        }
    }
    // "Year to Date Sept. 30, 1996": the months since the fiscal year began
    let ytd = sources.iter().any(|s| s.ytd);
    let months = months.or_else(|| ytd.then(|| ((end.month() as i32 - fye.0 as i32 + 11).rem_euclid(12) + 1) as u32));
    let span_months = months.unwrap_or(12);
    let start = week_quarter_start.unwrap_or_else(|| match weeks {
        Some(w) => end - chrono::Duration::days(w as i64 * 7 - 1),
        // a 52/53-week year starts the day after the previous one ends
        None if span_months == 12 && explicit.is_none() && month_day.is_none() && fp.week_rule.is_some() => {
            fp.year_end(end.year() - 1, fye).map(day_after).unwrap_or_else(|| start_of_months_ending(end, 12))
        }
        None => start_of_months_ending(end, span_months),
    });

    // instant or duration?
    if rl.begin || (c.begin && !rl.end_of) {
        return Period::Instant { date: day_before(start) };
    }
    if rl.end_of || c.end_of {
        return Period::Instant { date: end };
    }
    // "Cash and cash equivalents at December 31" / "at January 1" in a flow statement
    // ... and "Outstanding, January 1" in a note's roll-forward under year columns
    if let (Some((m, d)), false) = (rl.month_day, label_is_period || balance_row) {
        if (label_lower.contains(" at ") || label_lower.contains(" on ") || rn.label_instant && rl.year.is_none()) && t.kind != StatementKind::Balance {
            if (m, d) == (end.month(), end.day()) {
                return Period::Instant { date: end };
            }
            if (m, d) == (start.month(), start.day()) {
                return Period::Instant { date: day_before(start) };
            }
        }
    }
    if balance_row {
        let d = rl.date.unwrap_or(end);
        // "Balance, February 1, 1997" is itself a year end under a 52/53-week rule
        let week_end = fp.week_rule.and_then(|w| w.year_end(d.year())) == Some(d);
        return Period::Instant { date: if week_end { d } else { shift_opening_balance(d, fye) } };
    }
    let instant = if t.kind == StatementKind::Other && rn.balance_data && !rn.flow_label {
        true
    } else if t.kind == StatementKind::Other
        && rn.label_instant
        && !rn.flow_label
        && !col_flow
        && !col_average
        && (!c.ended && !c.ytd || BALANCE_NAME.is_match(&rn.label_lower))
        && !rn.sec_period
        && c.weeks.is_none()
        && c.quarter.is_none()
        && c.month_range.is_none()
    {
        // "Current ratio" under "Fiscal Year 1998": a balance whatever the column calls the year
        // ("Total assets" in selected data even under "Years Ended December 31")
        true
    } else if label_is_period && row_period_table && col_instant && !col_flow && !rl.ended && rl.months.is_none() {
        true
    } else if t.kind == StatementKind::Other && col_instant && !col_flow && c.names_no_period() && !label_is_period && !rn.flow_label && !rn.duration_label {
        // "Identifiable Assets" beside the year's sales, the year named by a row heading
        true
    } else if label_is_period && rn.sec_instant && !col_flow && c.months.is_none() && !c.ended {
        // year rows under "Exercisable at June 30:" are balances at each year's end
        true
    } else if c.ended || c.ytd || c.months.is_some() || c.weeks.is_some() || c.quarter.is_some() || (label_is_period && !rl.at) {
        false
    } else if c.at {
        true
    } else {
        match t.kind {
            StatementKind::Balance => true,
            StatementKind::Income | StatementKind::CashFlow | StatementKind::Comprehensive => false,
            StatementKind::Equity => false,
            // "Weighted average assumptions as of December 31": rates at the balance date
            StatementKind::Other if rn.as_of => true,
            StatementKind::Other if col_average => false,
            // "Depreciation" under "Deferred tax liabilities:" is a balance
            // "Average" under "Shares outstanding": a mean over the year, never a balance
            StatementKind::Other if col_flow || (rn.flow_label && (!rn.sec_instant || is_average(label_lower))) => false,
            // a balance date over the column ("December 31 2003") without "ended"
            StatementKind::Other if c.month_day.is_some() && !c.ended && !ctx.ended && !cap.ended => true,
            StatementKind::Other => {
                // "December 31 (In millions)" over the years: a balance date
                let dated_caption = (cap.month_day.is_some() || ctx.month_day.is_some()) && !cap.ended && !ctx.ended && c.months.is_none() && !col_flow;
                let dated_column = (c.month_day.is_some() || dated_caption) && !ctx.ended && !cap.ended;
                rn.label_instant && !rn.sec_period || rn.sec_instant || (dated_column && !rn.duration_label) || (rn.table_instant && !rn.flow_label)
            }
        }
    };
    // a year after the report's period is a year of future payments, not a balance date
    let future_year = t.kind == StatementKind::Other && explicit.is_none() && month_day.is_none() && fp.period_of_report.is_some_and(|p| end > p);
    // "2001" / "2000" over the flows of a quarterly report that names no span anywhere: the
    // year to date of the report, in each year
    if !instant && fp.quarterly && months.is_none() && weeks.is_none() && explicit.is_none() && month_day.is_none() && quarter.is_none() && week_quarter_start.is_none() {
        if let Some(p) = fp.period_of_report.filter(|p| year == p.year() || year + 1 == p.year()) {
            if let Some(e) = NaiveDate::from_ymd_opt(year, p.month(), p.day()).or_else(|| dates::last_day_of_month(year, p.month())) {
                let m = ((p.month() as i32 - fye.0 as i32 + 11).rem_euclid(12) + 1) as u32;
                return Period::Duration { start: start_of_months_ending(e, m), end: e };
            }
        }
    }
    if instant && !future_year {
        Period::Instant { date: end }
    } else {
        Period::Duration { start, end }
    }
}

/// An unlabeled total of a note is of the same kind as the rows it totals.
fn fix_unlabeled_totals(t: &Table, out: &mut [Vec<Period>]) {
    if t.kind != StatementKind::Other {
        return;
    }
    for i in 1..out.len() {
        if !t.rows[i].label.trim().is_empty() {
            continue;
        }
        for ci in 0..out[i].len() {
            let (prev, cur) = (out[i - 1][ci], out[i][ci]);
            match (prev, cur) {
                (Period::Instant { date }, Period::Duration { end, .. }) if date == end => out[i][ci] = prev,
                (Period::Duration { end: e1, .. }, Period::Instant { date }) if e1 == date => out[i][ci] = prev,
                _ => {}
            }
        }
    }
}

/// "Less reinsurance recoverables" between "Balance at beginning of year" and "Net balance at
/// beginning of year" adjusts that balance: an instant of the same date.
fn fix_adjustments_of_balances(t: &Table, out: &mut [Vec<Period>]) {
    if t.kind != StatementKind::Other {
        return;
    }
    for i in 1..out.len().saturating_sub(1) {
        let l = t.rows[i].label.trim_start().to_ascii_lowercase();
        if !["less ", "plus ", "add ", "deduct ", "net of "].iter().any(|p| l.starts_with(p)) {
            continue;
        }
        for ci in 0..out[i].len() {
            if let (Period::Instant { date: a }, Period::Duration { .. }, Some(Period::Instant { date: b })) = (out[i - 1][ci], out[i][ci], out.get(i + 1).and_then(|r| r.get(ci)).copied()) {
                if a == b {
                    out[i][ci] = Period::Instant { date: a };
                }
            }
        }
    }
}

/// "Balance Sheet Data (at September 30):", "YEAR-END POSITION": balances under a flow header.
fn balance_data_section(r: &Row) -> bool {
    let s = r.sections.join(" ").to_ascii_lowercase();
    // ("Fiscal year ending June 30," is a period, not a year-end position)
    let year_end = s.contains("year-end") || s.match_indices("year end").any(|(i, _)| !s[i + 8..].starts_with(|c: char| c.is_ascii_alphabetic()));
    s.contains("balance sheet") || s.contains("financial position") || year_end || section_as_of(r)
}

/// Column heads that name balances although they hold a duration word ("Amortized Cost",
/// "Gross Unrealized Gains", "Estimated Market Value").
static BALANCE_COLUMN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i-u)amortized\s+cost|unrealized|market\s+value|fair\s+value|carrying|book\s+value|face\s+amount|principal\s+amount").expect("static regex"));

static AVERAGE_COLUMN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i-u)\baverage\b|\byield|\binterest\b").expect("static regex"));

fn section_as_of(r: &Row) -> bool {
    let s = r.sections.join(" ").to_ascii_lowercase();
    s.contains("as of") || s.contains("at december") || s.contains("at year-end") || s.contains("at year end")
}

/// "Balance at January 1, 2001" is the balance at the close of December 31, 2000.
fn shift_opening_balance(d: NaiveDate, fye: (u32, u32)) -> NaiveDate {
    let prev = day_before(d);
    if d.day() == 1 && (prev.month(), prev.day()) == fye || d.day() == 1 && prev.month() == fye.0 && dates::last_day_of_month(prev.year(), prev.month()) == Some(prev) {
        prev
    } else {
        d
    }
}

/// "Balance, December 31, 1996", "Stockholders' equity, January 1, 1996": a row naming the
/// balance at a date.
fn opens_with_balance(label_lower: &str) -> bool {
    let l = label_lower.trim_start();
    l.starts_with("balance")
        || ["stockholders' equity,", "shareholders' equity,", "shareowners' equity,", "stockholders equity,", "shareholders equity,", "total stockholders' equity,", "total shareholders' equity,"]
            .iter()
            .any(|p| l.starts_with(p))
}

/// Activity rows of an equity statement run from the balance row above to the one below.
fn fix_equity_activity(t: &Table, out: &mut [Vec<Period>], _fye: (u32, u32), fp_inception: Option<NaiveDate>) {
    if t.kind != StatementKind::Equity {
        return;
    }
    let balance_dates: Vec<Option<NaiveDate>> = out
        .iter()
        .zip(&t.rows)
        .map(|(ps, r)| {
            let l = r.label.to_ascii_lowercase();
            if opens_with_balance(&l) {
                ps.iter().find_map(|p| match p {
                    Period::Instant { date } => Some(*date),
                    _ => None,
                })
            } else {
                None
            }
        })
        .collect();
    for i in 0..out.len() {
        if balance_dates[i].is_some() {
            continue;
        }
        let prev = balance_dates[..i].iter().rev().flatten().next().copied();
        let next = balance_dates[i + 1..].iter().flatten().next().copied();
        let (start, end) = match (prev, next) {
            (Some(p), Some(n)) => (day_after(p), n),
            // the first period of a development-stage company runs from its inception
            (None, Some(n)) => match fp_inception.filter(|s| *s < n && (n - *s).num_days() < 400) {
                Some(s) => (s, n),
                None => (start_of_months_ending(n, 12), n),
            },
            (Some(p), None) => (day_after(p), fiscal_after(p)),
            (None, None) => continue,
        };
        // a label naming its own period ("Net loss for year ended December 31, 2006") agrees
        for p in out[i].iter_mut() {
            if !matches!(p, Period::None) {
                *p = Period::Duration { start, end };
            }
        }
    }
}

/// Activity between two dated balance rows of a note ("Outstanding at December 31, 1993" /
/// "Granted" / "Outstanding at December 31, 1994") runs from one balance to the next.
fn fix_roll_forward_activity(out: &mut [Vec<Period>], dated_rows: &[bool]) {
    if dated_rows.iter().filter(|d| **d).count() < 2 {
        return;
    }
    let dates: Vec<Option<NaiveDate>> = out
        .iter()
        .zip(dated_rows)
        .map(|(ps, d)| if *d { ps.iter().find_map(|p| if let Period::Instant { date } = p { Some(*date) } else { None }) } else { None })
        .collect();
    for i in 0..out.len() {
        if dated_rows[i] {
            continue;
        }
        let prev = dates[..i].iter().rev().flatten().next().copied();
        let next = dates[i + 1..].iter().flatten().next().copied();
        let (Some(p), Some(n)) = (prev, next) else { continue };
        if n <= p {
            continue;
        }
        // (the columns name no period, so whatever a sentence around the table suggested
        // gives way to the balances on either side)
        for c in out[i].iter_mut() {
            *c = Period::Duration { start: day_after(p), end: n };
        }
    }
}

fn is_average(label_lower: &str) -> bool {
    let l = label_lower.trim_start();
    l.starts_with("average") || l.starts_with("weighted")
}

/// "Benefit obligation at beginning of year" ... "Amendments", "Actuarial loss" ... "Benefit
/// obligation at end of year": every line between the two balances is a change over the year.
fn fix_between_begin_and_end(out: &mut [Vec<Period>], begin_rows: &[bool], end_rows: &[bool]) {
    let mut i = 0;
    while i < out.len() {
        if !begin_rows[i] {
            i += 1;
            continue;
        }
        let Some(e) = (i + 1..out.len()).find(|&k| end_rows[k] || begin_rows[k]).filter(|&k| end_rows[k]) else {
            i += 1;
            continue;
        };
        for ci in 0..out[i].len() {
            if let (Period::Instant { date: b }, Some(Period::Instant { date: en })) = (out[i][ci], out[e].get(ci).copied()) {
                if en > b && (en - b).num_days() <= 380 {
                    for row in out.iter_mut().take(e).skip(i + 1) {
                        if let Some(c) = row.get_mut(ci) {
                            if !matches!(c, Period::None) {
                                *c = Period::Duration { start: day_after(b), end: en };
                            }
                        }
                    }
                }
            }
        }
        i = e + 1;
    }
}

fn fiscal_after(p: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(p.year() + 1, p.month(), p.day()).unwrap_or(p)
}

/// A 52/53-week year starts the day after the previous year's end printed beside it.
fn fix_52_week_starts(out: &mut [Vec<Period>], rule: Option<WeekRule>, weeks_stated: &[bool]) {
    for row in out.iter_mut() {
        let ends: Vec<NaiveDate> = row.iter().filter_map(|p| p.end()).collect();
        // years that all end on the same weekday are 52/53-week years
        let year_ends: Vec<NaiveDate> = row
            .iter()
            .filter_map(|p| match p {
                Period::Duration { start, end } if (355..=375).contains(&(*end - *start).num_days()) => Some(*end),
                _ => None,
            })
            .collect();
        let weekly = year_ends.len() >= 2 && year_ends.windows(2).all(|w| w[0].weekday() == w[1].weekday()) && year_ends.iter().any(|e| e.day() != 31 && dates::last_day_of_month(e.year(), e.month()) != Some(*e));
        for (ci, p) in row.iter_mut().enumerate() {
            if let Period::Duration { start, end } = p {
                let days = (*end - *start).num_days();
                if !(355..=375).contains(&days) {
                    continue;
                }
                if let Some(prev) = ends.iter().find(|e| (*end - **e).num_days() >= 350 && (*end - **e).num_days() <= 380) {
                    *start = day_after(*prev);
                } else if let Some(prev) = rule
                    .filter(|_| !weeks_stated.get(ci).copied().unwrap_or(false))
                    .and_then(|w| w.year_end(end.year() - 1))
                    .filter(|p| (357..=378).contains(&(*end - *p).num_days()))
                {
                    // the earliest year printed: the filing's rule says where the year before ended
                    *start = day_after(prev);
                } else if weekly && !weeks_stated.get(ci).copied().unwrap_or(false) {
                    // ... or, without a rule, 52 weeks (unless the column says how many)
                    *start = *end - chrono::Duration::days(363);
                }
            }
        }
    }
}

/// "Cash at beginning of year" is the day before its column's year starts, once 52/53-week
/// starts are known.
fn fix_begin_instants(out: &mut [Vec<Period>], begin_rows: &[bool]) {
    let cols = out.iter().map(|r| r.len()).max().unwrap_or(0);
    for ci in 0..cols {
        let start = out.iter().find_map(|r| match r.get(ci) {
            Some(Period::Duration { start, end }) if (355..=375).contains(&(*end - *start).num_days()) => Some(*start),
            _ => None,
        });
        let Some(start) = start else { continue };
        for (ri, row) in out.iter_mut().enumerate() {
            if !begin_rows.get(ri).copied().unwrap_or(false) {
                continue;
            }
            if let Some(Period::Instant { date }) = row.get_mut(ci) {
                let want = day_before(start);
                if *date != want && (*date - want).num_days().abs() <= 7 {
                    *date = want;
                }
            }
        }
    }
}

/// An unlabeled total under year rows (a maturity schedule) spans those years.
fn fix_row_period_totals(t: &Table, out: &mut [Vec<Period>], row_period_table: bool) {
    if !row_period_table {
        return;
    }
    // an unlabeled total, or one labeled only "Total", under the periods it adds up
    let is_total = |l: &str| matches!(l.trim().trim_end_matches([':', '.']).to_ascii_lowercase().as_str(), "" | "total" | "total year" | "year" | "fiscal year");
    for i in 0..t.rows.len() {
        if !is_total(&t.rows[i].label) {
            continue;
        }
        for ci in 0..t.columns.len() {
            let spans: Vec<(NaiveDate, NaiveDate)> = (0..i)
                .rev()
                .take_while(|&k| !is_total(&t.rows[k].label))
                .filter_map(|k| match out[k][ci] {
                    Period::Duration { start, end } => Some((start, end)),
                    _ => None,
                })
                .collect();
            // a total that includes "Thereafter" has no single period either
            let open_ended = (0..i).rev().take_while(|&k| !is_total(&t.rows[k].label)).any(|k| matches!(out[k][ci], Period::None) && t.rows[k].cell(ci).is_some_and(|c| c.cell.is_some()));
            if open_ended {
                out[i][ci] = Period::None;
            } else if let (Some(first), Some(last)) = (spans.iter().map(|s| s.0).min(), spans.iter().map(|s| s.1).max()) {
                out[i][ci] = Period::Duration { start: first, end: last };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarters_named_by_their_closing_month() {
        assert_eq!(clues("Three Months Ended December").month_day, Some((12, 31)));
        assert_eq!(clues("Quarter Ended March").month_day, Some((3, 31)));
        assert_eq!(clues("Year Ended December 31, 2001").month_day, Some((12, 31)));
        assert_eq!(clues("Net sales").month_day, None);
        assert!(is_month_day("december 31") && is_month_day("sept. 30") && !is_month_day("december 31 2001") && !is_month_day("net sales"));
    }

    #[test]
    fn the_last_sentence_of_an_introduction() {
        assert_eq!(last_sentence("Prices were $33.60 on December 30, 2005.  Options outstanding at December 31, 2006 follow:"), "Options outstanding at December 31, 2006 follow:");
        assert_eq!(last_sentence("Balances at Dec. 31, 1997 were:"), "Balances at Dec. 31, 1997 were:");
    }

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    fn inception_in(lines: &[String]) -> Option<NaiveDate> {
        inception_at(lines, &mentions(lines).inception)
    }

    #[test]
    fn dates_printed_over_both_year_columns() {
        // "December 31, 2001 and 2000" spanning the columns, each column's year below it
        assert_eq!(column_clues("DECEMBER 31, 2001 AND 2000 2000").date, Some(d(2000, 12, 31)));
        assert_eq!(column_clues("JUNE 30, 1999 AND DECEMBER 31, 1998 1998").date, Some(d(1998, 12, 31)));
        assert_eq!(column_clues("JUNE 30, 1999 AND DECEMBER 31, 1998 1999 (Unaudited)").date, Some(d(1999, 6, 30)));
        let mut cols: Vec<Clues> = ["1999", "1998"].iter().map(|l| column_clues(l)).collect();
        caption_dates_by_year("BALANCE SHEETS JUNE 30, 1999 AND DECEMBER 31, 1998", &mut cols);
        assert_eq!(cols[1].date, Some(d(1998, 12, 31)));
    }

    #[test]
    fn two_spans_named_over_runs_of_years() {
        let labels: Vec<String> = ["1999", "1998", "1999", "1998"].iter().map(|s| s.to_string()).collect();
        let mut cols: Vec<Clues> = labels.iter().map(|l| column_clues(l)).collect();
        caption_spans_by_run("FOR THE THREE AND SIX MONTHS ENDED JUNE 30, 1999 AND 1998", &labels, &mut cols);
        assert_eq!(cols.iter().map(|c| c.months).collect::<Vec<_>>(), vec![Some(3), Some(3), Some(6), Some(6)]);
        // years grouped otherwise (1999 1999 1998 1998) are left alone
        let labels: Vec<String> = ["1999", "1999", "1998", "1998"].iter().map(|s| s.to_string()).collect();
        let mut cols: Vec<Clues> = labels.iter().map(|l| column_clues(l)).collect();
        caption_spans_by_run("FOR THE THREE AND SIX MONTHS ENDED JUNE 30, 1999 AND 1998", &labels, &mut cols);
        assert!(cols.iter().all(|c| c.months.is_none()));
    }

    #[test]
    fn monthly_rows_without_a_year() {
        assert_eq!(yearless_range("July 1 - July 31", d(2008, 9, 30)), Some((d(2008, 7, 1), d(2008, 7, 31))));
        assert_eq!(yearless_range("December 1 - December 31", d(2008, 3, 31)), Some((d(2007, 12, 1), d(2007, 12, 31))));
        assert_eq!(yearless_range("January 1 - December 31", d(2008, 12, 31)), None);
        // "for the year-to-date period ended" is no full year
        let c = clues("for the year-to-date period ended September 30, 2008");
        assert!(c.ytd && c.months.is_none());
    }

    #[test]
    fn clues_of_headers() {
        let c = clues("Year ended December 31 2003");
        assert_eq!((c.year, c.month_day, c.months, c.ended), (Some(2003), Some((12, 31)), Some(12), true));
        let c = clues("NINE MONTHS ENDED SEPTEMBER 30, 2002");
        assert_eq!((c.date, c.months), (Some(d(2002, 9, 30)), Some(9)));
        let c = clues("2003 Three Months Ended March 31");
        assert_eq!((c.year, c.month_day, c.months), (Some(2003), Some((3, 31)), Some(3)));
        let c = clues("Fifty-two weeks ended September 27, 1997");
        assert_eq!((c.weeks, c.months, c.date), (Some(52), Some(12), Some(d(1997, 9, 27))));
        assert_eq!(clues("First Quarter").quarter, Some(1));
        assert_eq!(clues("4th Q").quarter, Some(4));
        assert!(clues("2004").pure);
        assert!(clues("Year ended 2003").pure);
        assert!(!clues("Net income").pure);
        assert!(clues("Quarter ended March 31").pure);
        assert!(clues("Benefit obligation at beginning of year").begin);
        assert!(clues("Cash and cash equivalents at end of period").end_of);
        assert!(clues("Balance at the Beginning of Year").begin);
        assert_eq!(clues("12/31/97").date, Some(d(1997, 12, 31)));
        assert_eq!(clues("$1,641,316").year, None);
        assert_eq!(clues("Long-Term Debt").year, None);
        assert_eq!((clues("FY96").year, clues("FY 97(a)").year, clues("'05").year), (Some(1996), Some(1997), Some(2005)));
        assert!(clues("FY96").pure && clues("'96").pure);
        assert_eq!(clues("Up 12%").year, None);
        let c = column_clues("For the Period from May 5, 1997 (Inception) through December 31, 1997");
        assert_eq!(c.range, Some((d(1997, 5, 5), d(1997, 12, 31))));
    }

    #[test]
    fn inception_dates() {
        let lines = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let l = lines(&["below cover the period from inception through December 31, 1997.", "For the Period from May 5, 1997 (Inception) through December 31, 1997"]);
        assert_eq!(inception_in(&l), Some(d(1997, 5, 5)));
        assert_eq!(inception_in(&lines(&["since inception on June 2, 1996"])), Some(d(1996, 6, 2)));
    }

    #[test]
    fn opening_balances_shift_to_the_prior_year_end() {
        assert_eq!(shift_opening_balance(d(2001, 1, 1), (12, 31)), d(2000, 12, 31));
        assert_eq!(shift_opening_balance(d(2001, 12, 31), (12, 31)), d(2001, 12, 31));
    }
}

#[cfg(test)]
mod week_tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    #[test]
    fn week_rules() {
        let r = week_rule("fiscal year ends on the Saturday closest to January 31.").unwrap();
        assert_eq!(r.year_end(1999), Some(d(1999, 1, 30)));
        assert_eq!(r.year_end(1997), Some(d(1997, 2, 1)));
        assert_eq!(r.year_end(1996), Some(d(1996, 2, 3)));
        let r = week_rule("a 52-53 week year ending on the last Saturday in September").unwrap();
        assert_eq!(r.year_end(2001), Some(d(2001, 9, 29)));
        let lines: Vec<String> = ["ends on the Sunday nearest to", "December 31. Fiscal 2003 had 53 weeks."].iter().map(|s| s.to_string()).collect();
        assert_eq!(week_rule_at(&lines, &mentions(&lines).week_rule).and_then(|r| r.year_end(2003)), Some(d(2003, 12, 28)));
    }
}
