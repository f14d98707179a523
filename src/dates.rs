//! Calendar helpers shared by the reader (header and cover dates) and period resolution.

use chrono::{Datelike, NaiveDate};
use regex::Regex;
use std::sync::LazyLock;

/// Month number for an English month name or abbreviation ("Sept.", "DEC", "june").
pub fn month_number(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    const NAMES: [&str; 12] = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december",
    ];
    NAMES
        .iter()
        .position(|n| n.starts_with(&w) || (w == "sept"))
        .map(|i| if w == "sept" { 9 } else { i as u32 + 1 })
}

pub fn last_day_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    let (ny, nm) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    NaiveDate::from_ymd_opt(ny, nm, 1)?.pred_opt()
}

/// A year a filing of 1993-2008 can plausibly print (tables go back decades; schedules forward).
pub fn plausible_year(y: i64) -> bool {
    (1900..=2100).contains(&y)
}

static MONTH_DAY_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i-u)\b(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+(\d{1,2})\s*,?\s*(\d{4})\b")
        .expect("static regex")
});

/// How many ASCII digits a text holds: date patterns need a few, and most texts have none.
pub fn ascii_digits(text: &str) -> usize {
    text.bytes().filter(u8::is_ascii_digit).count()
}

/// First "Month D, YYYY" date in the text. Impossible dates (February 30) give None.
pub fn find_month_day_year(text: &str) -> Option<(NaiveDate, usize, usize)> {
    // a day and a year are five digits at least: most texts have fewer (no regex pass then)
    if ascii_digits(text) < 5 {
        return None;
    }
    for c in MONTH_DAY_YEAR.captures_iter(text) {
        let m = month_number(&c[1])?;
        let d: u32 = c[2].parse().ok()?;
        let y: i32 = c[3].parse().ok()?;
        let whole = c.get(0)?;
        if let Some(date) = NaiveDate::from_ymd_opt(y, m, d) {
            return Some((date, whole.start(), whole.end()));
        }
    }
    None
}

/// "19931231" (EDGAR header dates) -> date.
pub fn parse_yyyymmdd(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if s.len() != 8 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    NaiveDate::from_ymd_opt(s[0..4].parse().ok()?, s[4..6].parse().ok()?, s[6..8].parse().ok()?)
}

/// "DEC-31-1997" (EX-27 dates) -> date.
pub fn parse_mon_dd_yyyy(s: &str) -> Option<NaiveDate> {
    let parts: Vec<&str> = s.trim().split('-').collect();
    if parts.len() != 3 {
        return None;
    }
    let m = month_number(parts[0])?;
    NaiveDate::from_ymd_opt(parts[2].parse().ok()?, m, parts[1].parse().ok()?)
}

/// The day after `d` (start of the period that follows a balance date).
pub fn day_after(d: NaiveDate) -> NaiveDate {
    d.succ_opt().unwrap_or(d)
}

pub fn day_before(d: NaiveDate) -> NaiveDate {
    d.pred_opt().unwrap_or(d)
}

/// Start of the period of `months` months ending on `end` (month-end aware: a year ending
/// June 30 starts July 1; a 52-week year ending September 27 starts 364 days earlier is
/// handled by the caller when it knows the previous year end).
pub fn start_of_months_ending(end: NaiveDate, months: u32) -> NaiveDate {
    let is_month_end = last_day_of_month(end.year(), end.month()) == Some(end);
    if is_month_end {
        // first day of the month (months-1) before end's month
        let total = end.year() * 12 + end.month0() as i32 - (months as i32 - 1);
        let (y, m0) = (total.div_euclid(12), total.rem_euclid(12));
        NaiveDate::from_ymd_opt(y, m0 as u32 + 1, 1).unwrap_or(end)
    } else {
        // 52/53-week style: same weekday grid, 13 weeks per quarter
        let weeks = (months as i64 * 52 + 6) / 12;
        end - chrono::Duration::days(weeks * 7 - 1)
    }
}

/// Fiscal-year end date falling in `year` for a fiscal year end given as (month, day).
pub fn fiscal_year_end(year: i32, fye: (u32, u32)) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, fye.0, fye.1).or_else(|| last_day_of_month(year, fye.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    #[test]
    fn months() {
        assert_eq!(month_number("Sept."), Some(9));
        assert_eq!(month_number("DECEMBER"), Some(12));
        assert_eq!(month_number("jun"), Some(6));
        assert_eq!(month_number("Ma"), None);
    }

    #[test]
    fn finds_dates_in_text() {
        let (date, _, _) = find_month_day_year("for the fiscal year ended December 31, 2003").unwrap();
        assert_eq!(date, d(2003, 12, 31));
        assert_eq!(find_month_day_year("SEPTEMBER 30,2002").unwrap().0, d(2002, 9, 30));
        // (five digits, the fewest a day and a year take)
        assert_eq!(find_month_day_year("as of June 5, 1999").unwrap().0, d(1999, 6, 5));
        assert!(find_month_day_year("February 30, 1998").is_none());
    }

    #[test]
    fn period_starts() {
        assert_eq!(start_of_months_ending(d(2003, 12, 31), 12), d(2003, 1, 1));
        assert_eq!(start_of_months_ending(d(1998, 6, 30), 12), d(1997, 7, 1));
        assert_eq!(start_of_months_ending(d(2002, 9, 30), 9), d(2002, 1, 1));
        assert_eq!(start_of_months_ending(d(2002, 9, 30), 3), d(2002, 7, 1));
        // 52 weeks ending Saturday September 27, 1997 start Sunday September 29, 1996
        assert_eq!(start_of_months_ending(d(1997, 9, 27), 12), d(1996, 9, 29));
    }

    #[test]
    fn header_dates() {
        assert_eq!(parse_yyyymmdd("19931231"), Some(d(1993, 12, 31)));
        assert_eq!(parse_mon_dd_yyyy("DEC-31-1997"), Some(d(1997, 12, 31)));
        assert_eq!(parse_mon_dd_yyyy("FEB-30-1997"), None);
    }
}
