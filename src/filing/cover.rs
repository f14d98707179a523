//! Metadata a filing states on its cover page, for filings without an EDGAR header.

use super::header::{normalize_file_number, normalize_form_type, normalize_irs, HeaderFields};
use crate::dates::find_month_day_year;
use regex::Regex;
use std::sync::LazyLock;

static FORM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i-u)\bFORM\s+(10-?K405|10-?KSB40|10-?KSB|10-?QSB|10-?KT|10-?QT|10-?K|10-?Q)(\s*/\s*A\b)?").expect("static regex")
});
static FILE_NO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i-u)commission\s+file\s+(?:number|no\.?)\s*:?\s*([0-9]{1,4}\s*-\s*[0-9]{1,6})").expect("static regex")
});
static IRS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?-u)\b(\d{2}-\d{7})\b").expect("static regex"));
static PERIOD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i-u)for\s+(?:the\s+)?(?:fiscal\s+year|year|quarterly\s+period|fiscal\s+quarter|quarter|period|transition\s+period|thirteen\s+weeks|twelve\s+weeks|sixteen\s+weeks)\s+ended\s*:?\s*").expect("static regex")
});
static EXACT_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i-u)\(\s*(?:exact\s+)?name\s+of\s+(?:the\s+)?(?:small\s+business\s+)?(?:registrant|business\s+issuer|issuer|company)").expect("static regex"));
static AMENDMENT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i-u)\bamendment\s+no\.?\s*\d").expect("static regex"));

/// How many lines of the main document count as its cover page.
const COVER_LINES: usize = 150;

/// Infer what the cover page says. `lines` are the document's lines (first = its first line).
pub fn infer(lines: &[String]) -> HeaderFields {
    let cover: Vec<&str> = lines.iter().take(COVER_LINES).map(|s| s.as_str()).collect();
    let joined = cover.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" ");
    let mut h = HeaderFields::default();

    if let Some(c) = FORM.captures(&joined) {
        let mut form = normalize_form_type(&c[1]);
        if c.get(2).is_some() || AMENDMENT.is_match(&joined) {
            form.push_str("/A");
        }
        h.form_type = Some(form);
    } else if joined.to_ascii_uppercase().contains("QUARTERLY REPORT") {
        h.form_type = Some("10-Q".into());
    } else if joined.to_ascii_uppercase().contains("ANNUAL REPORT PURSUANT") {
        h.form_type = Some("10-K".into());
    }

    if let Some(m) = PERIOD.find(&joined) {
        let tail = &joined[m.end()..joined.len().min(m.end() + 40)];
        if let Some((date, start, _)) = find_month_day_year(tail) {
            if start < 3 {
                h.period_of_report = Some(date);
            }
        }
    }

    if let Some(c) = FILE_NO.captures(&joined) {
        h.file_number = Some(normalize_file_number(&c[1].replace(' ', "")));
    }

    for (i, line) in cover.iter().enumerate() {
        if h.company_name.is_none() && EXACT_NAME.is_match(line) {
            h.company_name = name_above(&cover, i);
        }
        let up = line.to_ascii_uppercase();
        if h.irs_number.is_none() && (up.contains("I.R.S.") || up.contains("IRS ") || up.contains("EMPLOYER")) {
            // the number sits on this line or one of the few above it
            for j in (i.saturating_sub(4)..=i).rev() {
                if let Some(c) = IRS.captures(cover[j]) {
                    h.irs_number = Some(normalize_irs(&c[1]));
                    break;
                }
            }
        }
    }
    h
}

/// Index (within the cover lines) of the line printing "FORM 10-K".
pub fn form_line(lines: &[String]) -> Option<usize> {
    lines.iter().take(COVER_LINES).position(|l| FORM.is_match(l))
}

/// The registrant's name: the nearest line above that is neither blank nor a rule.
fn name_above(cover: &[&str], i: usize) -> Option<String> {
    // the name may also precede the parenthesis on the same line
    let same = cover[i].split('(').next().unwrap_or("").trim();
    if same.len() > 2 {
        return Some(collapse(same));
    }
    for j in (i.saturating_sub(6)..i).rev() {
        let t = cover[j].trim();
        if t.is_empty() || t.chars().all(|c| matches!(c, '-' | '_' | '=' | ' ')) {
            continue;
        }
        return Some(collapse(t));
    }
    None
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn lines(s: &str) -> Vec<String> {
        s.lines().map(|l| l.to_string()).collect()
    }

    #[test]
    fn annual_cover() {
        let text = "U. S. Securities and Exchange Commission\n\n                                    Form 10-K\n\n          [X] Annual Report under Section 13 or 15(d) of the Securities Exchange\nAct of 1934 for the fiscal year ended December 31, 2003\n\n                          Commission file number 0-439\n\n                       American Locker Group Incorporated\n- -------------------------------------------------------------------------------\n             (Exact Name of registrant as specified in its charter)\n\n                Delaware                                   16-0338330\n- -------------------------------------------------------------------------------\n     (State or other jurisdiction of                    (I.R.S. Employer\n";
        let h = infer(&lines(text));
        assert_eq!(h.form_type.as_deref(), Some("10-K"));
        assert_eq!(h.period_of_report, NaiveDate::from_ymd_opt(2003, 12, 31));
        assert_eq!(h.file_number.as_deref(), Some("0-439"));
        assert_eq!(h.company_name.as_deref(), Some("American Locker Group Incorporated"));
        assert_eq!(h.irs_number.as_deref(), Some("16-0338330"));
    }

    #[test]
    fn quarterly_cover() {
        let text = "                                    FORM 10-Q\n(X)  QUARTERLY  REPORT UNDER SECTION 13 OR 15(d) OF THE SECURITIES  EXCHANGE ACT\n        OF 1934 FOR THE QUARTERLY PERIOD ENDED SEPTEMBER 30, 2002\n";
        let h = infer(&lines(text));
        assert_eq!(h.form_type.as_deref(), Some("10-Q"));
        assert_eq!(h.period_of_report, NaiveDate::from_ymd_opt(2002, 9, 30));
    }

    #[test]
    fn small_business_and_amendments() {
        let h = infer(&lines("FORM 10-KSB/A\nAmendment No. 1\n"));
        assert_eq!(h.form_type.as_deref(), Some("10-KSB/A"));
        let h = infer(&lines("FORM 10-K405\n"));
        assert_eq!(h.form_type.as_deref(), Some("10-K405"));
    }
}
