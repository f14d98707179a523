//! Stage 3: read one cell's printed text as an exact value.
//!
//! `$ 1,234`, `(1,234)`, `$(1,234)`, `-1,234`, `1,234-`, `.28`, `39%`, `(4.5)%`, `5,667*`,
//! `1,234(a)`, dashes for zero, `N/A`, `n/m`, `*` for "less than the rounding unit".
//! Values are `rust_decimal::Decimal`, never floating point.

use rust_decimal::Decimal;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CellKind {
    /// A printed number.
    Number,
    /// A dash standing for nothing (zero).
    Dash,
    /// N/A, n/m, NM: no value.
    NotAvailable,
    /// A lone `*` (an amount below the rounding unit): no exact value.
    BelowRounding,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub kind: CellKind,
    /// As printed, sign applied, no scale applied. Zero for dashes, None for no value.
    pub value: Option<Decimal>,
    pub percent: bool,
    pub dollar: bool,
    pub negative: bool,
    /// Digits after the decimal point as printed (per-share amounts have 2, dollars 0).
    pub decimals: u32,
    pub has_comma: bool,
    /// Footnote mark glued to the number: `*`, `(a)`, `(1)`, `+` ...
    pub footnote: Option<String>,
    /// Number of integer digits (a 4-digit integer without comma may be a year).
    pub int_digits: u32,
    /// Printed against one: "2.1:1".
    pub ratio: bool,
}

impl Cell {
    fn no_value(kind: CellKind) -> Cell {
        Cell {
            kind,
            value: if kind == CellKind::Dash { Some(Decimal::ZERO) } else { None },
            percent: false,
            dollar: false,
            negative: false,
            decimals: 0,
            has_comma: false,
            footnote: None,
            int_digits: 0,
            ratio: false,
        }
    }

    /// A bare integer 1900..=2100 printed without `$`, comma or decimals: likely a year.
    pub fn is_year_like(&self) -> bool {
        self.kind == CellKind::Number
            && !self.dollar
            && !self.has_comma
            && !self.percent
            && !self.negative
            && self.decimals == 0
            && self.footnote.is_none()
            && self.int_digits == 4
            && self.value.is_some_and(|v| v >= Decimal::from(1900) && v <= Decimal::from(2100))
    }
}

/// Parse printed cell text. None when the text is not a value (a word, a label, a date).
pub fn parse(text: &str) -> Option<Cell> {
    let t = text.trim_ascii();
    if t.is_empty() {
        return None;
    }
    if is_dash(t) {
        return Some(Cell::no_value(CellKind::Dash));
    }
    // "nil" is a printed zero
    if t.eq_ignore_ascii_case("nil") {
        return Some(Cell::no_value(CellKind::Dash));
    }
    if ["n/a", "na", "n.a.", "n/m", "nm", "n.m.", "nmf", "n/a%"].iter().any(|w| w.eq_ignore_ascii_case(t)) {
        return Some(Cell::no_value(CellKind::NotAvailable));
    }
    if t == "*" || t == "**" {
        return Some(Cell::no_value(CellKind::BelowRounding));
    }
    // most words of a line are not numbers: without a digit there is nothing to read
    if !t.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    // "2.1:1", "2.1 to 1": a ratio printed against one
    if let Some(r) = t.strip_suffix(":1").or_else(|| t.strip_suffix(": 1")).or_else(|| t.strip_suffix(" to 1")).map(str::trim_end) {
        if r.bytes().all(|b| b.is_ascii_digit() || b == b'.') && r.bytes().any(|b| b.is_ascii_digit()) {
            return parse_number(r).map(|c| Cell { ratio: true, ..c });
        }
    }
    parse_number(t)
}

fn is_dash(t: &str) -> bool {
    let core = t.trim_start_matches('$').trim();
    let core = core.strip_prefix('(').and_then(|c| c.strip_suffix(')')).unwrap_or(core).trim();
    if core.is_empty() || core.len() > 8 {
        return false;
    }
    // "-", "--", "---", "—", "–", "-0-", "- 0 -", and a lone "_"
    if core == "_" {
        return true;
    }
    let (mut dashes, mut zeros) = (0, 0);
    for c in core.chars() {
        match c {
            '-' | '—' | '–' => dashes += 1,
            '0' => zeros += 1,
            ' ' => {}
            _ => return false,
        }
    }
    dashes > 0 && zeros <= 1
}

fn parse_number(t: &str) -> Option<Cell> {
    let mut s = t;
    let mut footnote = None;
    // footnote marks at the end: *, **, +, #, †, ‡, (a), (1)
    loop {
        let before = s;
        if let Some(rest) = s.strip_suffix("**").or_else(|| s.strip_suffix('*')) {
            footnote.get_or_insert_with(|| s[rest.len()..].to_string());
            s = rest.trim_end();
        } else if let Some(rest) = s.strip_suffix(['+', '#', '†', '‡']) {
            footnote.get_or_insert_with(|| s[rest.len()..].to_string());
            s = rest.trim_end();
        } else if let Some(open) = s.rfind('{').filter(|&o| s.ends_with('}') && (2..=4).contains(&(s.len() - o)) && o > 0) {
            // "517{1}": a footnote number in braces
            footnote.get_or_insert_with(|| s[open..].to_string());
            s = s[..open].trim_end();
        } else if let Some(open) = s.rfind('(') {
            if let Some(mark) = s[open + 1..].strip_suffix(')') {
                let prefix = s[..open].trim_end();
                let after_number = prefix.chars().last().is_some_and(|c| c.is_ascii_digit() || c == ')' || c == '%');
                let letter = mark.len() == 1 && mark.chars().all(|c| c.is_ascii_lowercase());
                let digit = (1..=2).contains(&mark.len()) && mark.chars().all(|c| c.is_ascii_digit());
                if after_number && (letter || digit) {
                    footnote.get_or_insert_with(|| s[open..].to_string());
                    s = prefix;
                }
            }
        }
        if s == before {
            break;
        }
    }
    // "1,390 CR" is a credit (negative), "1,390 DR" a debit
    let mut credit = false;
    if let Some(rest) = s.strip_suffix("CR").or_else(|| s.strip_suffix("Cr")) {
        if rest.ends_with(|c: char| c.is_ascii_digit() || c == ' ' || c == ')') {
            credit = true;
            s = rest.trim_end();
        }
    } else if let Some(rest) = s.strip_suffix("DR").or_else(|| s.strip_suffix("Dr")) {
        if rest.ends_with(|c: char| c.is_ascii_digit() || c == ' ' || c == ')') {
            s = rest.trim_end();
        }
    }
    let (owned, fraction) = split_fraction(s)?;
    let s: &str = &owned;
    let mut negative = false;
    let mut dollar = false;
    let mut percent = false;
    let mut open_paren = false;
    let mut close_paren = false;
    // the digits, commas and points (`in_body`): where they start and end in `s`, and how many
    let in_body = |c: char| c.is_ascii_digit() || matches!(c, ',' | '.');
    let (mut body_start, mut body_end, mut body_len) = (0, 0, 0);
    for (i, ch) in s.char_indices() {
        match ch {
            '$' => dollar = true,
            // "<1,234>": angle brackets for a negative, as some typists printed them
            '(' | '<' if body_len == 0 && !open_paren => open_paren = true,
            ')' | '>' if body_len > 0 && !close_paren => close_paren = true,
            '%' => percent = true,
            '-' | '—' | '–' if body_len == 0 && !negative => negative = true,
            '-' if i == s.len() - 1 && body_len > 0 => negative = true, // trailing minus
            ' ' => {}
            c if in_body(c) => {
                if close_paren || percent {
                    return None; // "(1)2" or "5%3" is not one number
                }
                if body_len == 0 {
                    body_start = i;
                }
                body_end = i + 1;
                body_len += 1;
            }
            _ => return None,
        }
    }
    if open_paren != close_paren {
        return None;
    }
    if open_paren || credit {
        negative = true;
    }
    // nearly always one run of `s` ("(1,234)", "$ 5.2"): no copy then
    let body: std::borrow::Cow<str> = if body_len == 0 && fraction.is_some() {
        "0".into() // "7/8"
    } else if body_end - body_start == body_len {
        s[body_start..body_end].into()
    } else {
        s.chars().filter(|&c| in_body(c)).collect::<String>().into()
    };
    if body.is_empty() || !body.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    // commas only as thousands separators in the integer part
    let (int_part, frac_part) = match body.split_once('.') {
        Some((i, f)) => {
            if f.contains(['.', ',']) {
                return None;
            }
            (i, Some(f))
        }
        None => (body.as_ref(), None),
    };
    let has_comma = int_part.contains(',');
    if has_comma && !valid_grouping(int_part) {
        return None;
    }
    // the integer digits without their commas (no copy of them: most amounts are read by `exact`)
    let digits = || int_part.bytes().filter(|&b| b != b',');
    let int_digits = digits().skip_while(|&b| b == b'0').count().max(usize::from(digits().next().is_some())) as u32;
    let mut value = exact(int_part, frac_part).or_else(|| {
        let digits: String = digits().map(char::from).collect();
        let plain = match frac_part {
            Some(f) => format!("{}.{}", if digits.is_empty() { "0" } else { &digits }, f),
            None => digits,
        };
        Decimal::from_str(&plain).ok()
    })?;
    let mut decimals = frac_part.map(|f| f.len() as u32).unwrap_or(0);
    if let Some(f) = fraction {
        if frac_part.is_some() {
            return None; // "1.5 1/2"
        }
        value += f;
        decimals = value.normalize().scale();
    }
    if negative {
        value = -value;
    }
    Some(Cell {
        kind: CellKind::Number,
        value: Some(value),
        percent,
        dollar,
        negative,
        decimals,
        has_comma,
        footnote,
        int_digits,
        ratio: false,
    })
}

/// Take the fraction off a price printed in fractions ("$19 1/4", "22 1/2", "(2 1/2)", "7/8",
/// "6 1/2%"), as stock prices and rates were before decimalization: the text without it and its
/// exact value. Only eighths-style denominators count, so "12/31" stays a non-number.
fn split_fraction(s: &str) -> Option<(std::borrow::Cow<'_, str>, Option<Decimal>)> {
    let Some(slash) = s.find('/') else { return Some((std::borrow::Cow::Borrowed(s), None)) };
    let (before, after) = (&s[..slash], &s[slash + 1..]);
    let whole = before.trim_end_matches(|c: char| c.is_ascii_digit());
    let num: u32 = before[whole.len()..].parse().ok()?;
    let den_text = &after[..after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len()];
    let den: u32 = den_text.parse().ok()?;
    let rest = &after[den_text.len()..];
    if ![2, 4, 8, 16, 32, 64].contains(&den) || num == 0 || num >= den || !rest.chars().all(|c| matches!(c, ')' | '%' | ' ')) {
        return None;
    }
    // the whole number stands apart from the fraction: "19 1/4", not "191/4"
    if !(whole.is_empty() || whole.ends_with([' ', '$', '(', '-'])) {
        return None;
    }
    // "23-3/8": a hyphen between the whole number and the fraction joins them (no minus)
    let whole = match whole.strip_suffix('-') {
        Some(w) if w.ends_with(|c: char| c.is_ascii_digit()) => w,
        _ => whole,
    };
    let text = format!("{}{}", whole.trim_end(), rest);
    Some((std::borrow::Cow::Owned(text), Some(Decimal::from(num) / Decimal::from(den))))
}

/// The decimal of an integer part (digits, perhaps grouped by commas) and fraction digits
/// when they hold 18 digits or fewer (nearly every printed amount), without the text
/// `Decimal::from_str` would need; else `None`.
fn exact(int_part: &str, frac: Option<&str>) -> Option<Decimal> {
    // ("5." is left to `from_str`)
    if frac == Some("") {
        return None;
    }
    let frac = frac.unwrap_or("");
    let digits = || int_part.bytes().filter(|&b| b != b',').chain(frac.bytes());
    let n = digits().count();
    if n == 0 || n > 18 || !digits().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let m = digits().fold(0i64, |m, b| m * 10 + i64::from(b - b'0'));
    Some(Decimal::new(m, frac.len() as u32))
}

/// "1,234,567" yes; "1,23" or ",123" no.
fn valid_grouping(int_part: &str) -> bool {
    let mut groups = int_part.split(',');
    let first = groups.next().unwrap_or("");
    !first.is_empty() && first.len() <= 3 && groups.all(|g| g.len() == 3)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(t: &str) -> Decimal {
        parse(t).and_then(|c| c.value).unwrap_or_else(|| panic!("no value for {t:?}"))
    }
    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn exact_digits_read_as_from_str_would() {
        for (int, frac) in [("1234", None), ("0", Some("50")), ("", Some("5")), ("007", None), ("123456789012345678", None), ("12345678", Some("1234567890")), ("0", None), ("15", Some("000"))] {
            let text = format!("{}{}", if int.is_empty() { "0" } else { int }, frac.map(|f| format!(".{f}")).unwrap_or_default());
            let (fast, slow) = (exact(int, frac).unwrap(), Decimal::from_str(&text).unwrap());
            assert_eq!((fast, fast.scale(), fast.to_string()), (slow, slow.scale(), slow.to_string()), "{text}");
        }
        // commas group the integer part
        assert_eq!(exact("1,234,567", Some("5")).unwrap().to_string(), "1234567.5");
        // longer than 18 digits, or "5.": left to `from_str`
        assert_eq!(exact("1234567890123456789", None), None);
        assert_eq!(exact("5", Some("")), None);
    }

    #[test]
    fn angle_brackets_are_negative() {
        assert_eq!(v("<1,234>"), d("-1234"));
        assert_eq!(v("$<33,414>"), d("-33414"));
        assert!(parse("<S>").is_none());
    }

    #[test]
    fn fractions() {
        assert_eq!(v("$19 1/4"), d("19.25"));
        assert_eq!(v("18 1/8"), d("18.125"));
        assert_eq!(v("7/8"), d("0.875"));
        assert_eq!(v("(2 1/2)"), d("-2.5"));
        assert_eq!(v("$23-3/8"), d("23.375"));
        assert_eq!(v("20-1/8"), d("20.125"));
        assert_eq!(v("6 1/2%"), d("6.5"));
        assert!(parse("12/31").is_none());
        assert!(parse("191/4").is_none());
        assert!(parse("3/4/97").is_none());
    }

    #[test]
    fn credits_and_debits() {
        assert_eq!(v("1,390 CR"), d("-1390"));
        assert_eq!(v("$1,340 CR"), d("-1340"));
        assert_eq!(v("1,390 DR"), d("1390"));
        assert!(parse("CR").is_none());
    }

    #[test]
    fn dollars_and_negatives() {
        assert_eq!(v("$ 1,234"), d("1234"));
        assert_eq!(v("$1,234"), d("1234"));
        assert_eq!(v("(1,234)"), d("-1234"));
        assert_eq!(v("$(1,234)"), d("-1234"));
        assert_eq!(v("$ (3,717,603)"), d("-3717603"));
        assert_eq!(v("-1,234"), d("-1234"));
        assert_eq!(v("1,234-"), d("-1234"));
        assert_eq!(v("(11,092,999)"), d("-11092999"));
    }

    #[test]
    fn decimals_and_percent() {
        assert_eq!(v(".28"), d("0.28"));
        assert_eq!(v("$1.41"), d("1.41"));
        let c = parse("39%").unwrap();
        assert!(c.percent);
        assert_eq!(c.value, Some(d("39")));
        assert_eq!(v("6.75%"), d("6.75"));
        assert_eq!(v("(4.5)%"), d("-4.5"));
        assert_eq!(v("3,335.2"), d("3335.2"));
        assert_eq!(parse("$1.41").unwrap().decimals, 2);
    }

    #[test]
    fn dashes_are_zero() {
        for t in ["-", "--", "---", "—", "$ -", "$   -", "-0-"] {
            let c = parse(t).unwrap();
            assert_eq!(c.kind, CellKind::Dash, "{t}");
            assert_eq!(c.value, Some(Decimal::ZERO));
        }
    }

    #[test]
    fn footnote_marks() {
        let c = parse("5,667*").unwrap();
        assert_eq!(c.value, Some(d("5667")));
        assert_eq!(c.footnote.as_deref(), Some("*"));
        let c = parse("1,234(a)").unwrap();
        assert_eq!(c.value, Some(d("1234")));
        assert_eq!(c.footnote.as_deref(), Some("(a)"));
        assert_eq!(v("$  5.12*"), d("5.12"));
        assert_eq!(v("(2,151)(a)"), d("-2151"));
        assert_eq!(v("37,000*"), d("37000"));
    }

    #[test]
    fn no_value_markers() {
        assert_eq!(parse("N/A").unwrap().kind, CellKind::NotAvailable);
        assert_eq!(parse("n/m").unwrap().kind, CellKind::NotAvailable);
        assert_eq!(parse("*").unwrap().kind, CellKind::BelowRounding);
        assert_eq!(parse("*").unwrap().value, None);
    }

    #[test]
    fn ratios_against_one_and_a_lone_underscore() {
        let r = parse("2.1:1").unwrap();
        assert_eq!((r.value, r.ratio), (Some(Decimal::new(21, 1)), true));
        assert!(parse("2.1 to 1").is_some_and(|c| c.ratio && c.value == Some(d("2.1"))));
        assert_eq!(parse("_").unwrap().kind, CellKind::Dash);
    }

    #[test]
    fn words_and_dates_are_not_values() {
        for t in ["Net sales", "in 2001", "1,23", "$", "(a)", "12/31/97", "Q", "C & R", "1.2.3"] {
            assert!(parse(t).is_none(), "{t}");
        }
    }

    #[test]
    fn years_are_recognized() {
        assert!(parse("2003").unwrap().is_year_like());
        assert!(!parse("2,003").unwrap().is_year_like());
        assert!(!parse("$2003").unwrap().is_year_like());
        assert!(!parse("154").unwrap().is_year_like());
    }

    #[test]
    fn forty_digit_numbers_do_not_panic() {
        assert!(parse("1234567890123456789012345678901234567890").is_none());
    }
}
