//! Filing metadata from the EDGAR header (`KEY: value` lines or `<TAG>value` lines).

use crate::dates::parse_yyyymmdd;
use chrono::NaiveDate;

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct HeaderFields {
    pub accession: Option<String>,
    pub cik: Option<String>,
    pub company_name: Option<String>,
    pub form_type: Option<String>,
    pub period_of_report: Option<NaiveDate>,
    pub filed_date: Option<NaiveDate>,
    /// (month, day)
    pub fiscal_year_end: Option<(u32, u32)>,
    pub sic: Option<String>,
    pub irs_number: Option<String>,
    pub file_number: Option<String>,
}

impl HeaderFields {
    /// `<SEC-HEADER>` / `<IMS-HEADER>` body: "ACCESSION NUMBER:\t\t0000040545-94-000003".
    /// The first filer's company data wins (later filers are e.g. a subject company).
    pub fn from_key_value_lines(lines: &[&str]) -> Self {
        let mut h = HeaderFields::default();
        for line in lines {
            let Some((key, value)) = line.split_once(':') else { continue };
            let key = key.trim().to_ascii_uppercase();
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            h.set(&key, value);
        }
        h
    }

    /// Tagged `<SUBMISSION>` header of dissemination files: ("ACCESSION-NUMBER", "...").
    pub fn from_tags(tags: &[(String, String)]) -> Self {
        let mut h = HeaderFields::default();
        for (t, v) in tags {
            let key = match t.as_str() {
                "ACCESSION-NUMBER" => "ACCESSION NUMBER",
                "TYPE" => "CONFORMED SUBMISSION TYPE",
                "PERIOD" => "CONFORMED PERIOD OF REPORT",
                "FILING-DATE" | "DATE-OF-FILING-DATE-CHANGE" => "FILED AS OF DATE",
                "CONFORMED-NAME" => "COMPANY CONFORMED NAME",
                "CIK" => "CENTRAL INDEX KEY",
                "ASSIGNED-SIC" => "STANDARD INDUSTRIAL CLASSIFICATION",
                "IRS-NUMBER" => "IRS NUMBER",
                "FISCAL-YEAR-END" => "FISCAL YEAR END",
                "FILE-NUMBER" => "SEC FILE NUMBER",
                _ => continue,
            };
            h.set(key, v);
        }
        h
    }

    fn set(&mut self, key: &str, value: &str) {
        fn first(slot: &mut Option<String>, v: &str) {
            if slot.is_none() {
                *slot = Some(v.to_string());
            }
        }
        match key {
            "ACCESSION NUMBER" => first(&mut self.accession, value),
            "CONFORMED SUBMISSION TYPE" | "FORM TYPE" => first(&mut self.form_type, &normalize_form_type(value)),
            "CONFORMED PERIOD OF REPORT" => {
                if self.period_of_report.is_none() {
                    self.period_of_report = parse_yyyymmdd(value);
                }
            }
            "FILED AS OF DATE" => {
                if self.filed_date.is_none() {
                    self.filed_date = parse_yyyymmdd(value);
                }
            }
            "COMPANY CONFORMED NAME" => first(&mut self.company_name, value),
            "CENTRAL INDEX KEY" => first(&mut self.cik, &normalize_cik(value)),
            "STANDARD INDUSTRIAL CLASSIFICATION" => first(&mut self.sic, &normalize_sic(value)),
            "IRS NUMBER" => first(&mut self.irs_number, &normalize_irs(value)),
            "FISCAL YEAR END" => {
                if self.fiscal_year_end.is_none() {
                    self.fiscal_year_end = parse_mmdd(value);
                }
            }
            "SEC FILE NUMBER" => first(&mut self.file_number, &normalize_file_number(value)),
            _ => {}
        }
    }

    /// Fill fields still empty from another source (header first, then cover page).
    pub fn merge_missing(&mut self, other: HeaderFields) {
        macro_rules! fill {
            ($($f:ident),*) => { $( if self.$f.is_none() { self.$f = other.$f; } )* };
        }
        fill!(accession, cik, company_name, form_type, period_of_report, filed_date, fiscal_year_end, sic, irs_number, file_number);
    }
}

/// "10KSB" -> "10-KSB", "10-k405" -> "10-K405"; keeps "/A".
pub fn normalize_form_type(s: &str) -> String {
    let up = s.trim().to_ascii_uppercase().replace(' ', "");
    if let Some(rest) = up.strip_prefix("10") {
        if !rest.starts_with('-') && rest.starts_with(['K', 'Q']) {
            return format!("10-{rest}");
        }
    }
    up
}

pub fn normalize_cik(s: &str) -> String {
    let digits: String = s.chars().filter(|c| c.is_ascii_digit()).collect();
    let t = digits.trim_start_matches('0');
    if t.is_empty() { digits } else { t.to_string() }
}

fn normalize_sic(s: &str) -> String {
    // "ELECTRONIC COMPUTERS [3571]" or "3600"
    if let (Some(a), Some(b)) = (s.rfind('['), s.rfind(']')) {
        if a < b {
            return s[a + 1..b].trim().to_string();
        }
    }
    s.trim().to_string()
}

/// IRS employer numbers print as "16-0338330" or "160338330"; store the dashed form.
pub fn normalize_irs(s: &str) -> String {
    let digits: String = s.chars().filter(|c| c.is_ascii_digit()).collect();
    if digits.len() == 9 { format!("{}-{}", &digits[..2], &digits[2..]) } else { s.trim().to_string() }
}

/// "001-00035" and "1-35" are the same commission file number.
pub fn normalize_file_number(s: &str) -> String {
    s.trim()
        .split('-')
        .map(|p| {
            let t = p.trim().trim_start_matches('0');
            if t.is_empty() { "0" } else { t }
        })
        .collect::<Vec<_>>()
        .join("-")
}

fn parse_mmdd(s: &str) -> Option<(u32, u32)> {
    let d: String = s.chars().filter(|c| c.is_ascii_digit()).collect();
    if d.len() != 4 {
        return None;
    }
    let m: u32 = d[..2].parse().ok()?;
    let day: u32 = d[2..].parse().ok()?;
    ((1..=12).contains(&m) && (1..=31).contains(&day)).then_some((m, day))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_value_header() {
        let lines = [
            "ACCESSION NUMBER:\t\t0000040545-94-000003",
            "CONFORMED SUBMISSION TYPE:\t10-K",
            "CONFORMED PERIOD OF REPORT:\t19931231",
            "FILED AS OF DATE:\t\t19940311",
            "\t\tCOMPANY CONFORMED NAME:\t\t\tGENERAL ELECTRIC CO",
            "\t\tCENTRAL INDEX KEY:\t\t\t0000040545",
            "\t\tSTANDARD INDUSTRIAL CLASSIFICATION:\t3600",
            "\t\tIRS NUMBER:\t\t\t\t140689340",
            "\t\tFISCAL YEAR END:\t\t\t1231",
            "\t\tSEC FILE NUMBER:\t001-00035",
            "\t\tCOMPANY CONFORMED NAME:\t\t\tSOMEONE ELSE",
        ];
        let h = HeaderFields::from_key_value_lines(&lines);
        assert_eq!(h.accession.as_deref(), Some("0000040545-94-000003"));
        assert_eq!(h.form_type.as_deref(), Some("10-K"));
        assert_eq!(h.period_of_report, NaiveDate::from_ymd_opt(1993, 12, 31));
        assert_eq!(h.filed_date, NaiveDate::from_ymd_opt(1994, 3, 11));
        assert_eq!(h.company_name.as_deref(), Some("GENERAL ELECTRIC CO"));
        assert_eq!(h.cik.as_deref(), Some("40545"));
        assert_eq!(h.sic.as_deref(), Some("3600"));
        assert_eq!(h.irs_number.as_deref(), Some("14-0689340"));
        assert_eq!(h.fiscal_year_end, Some((12, 31)));
        assert_eq!(h.file_number.as_deref(), Some("1-35"));
    }

    #[test]
    fn form_types_normalize() {
        assert_eq!(normalize_form_type("10KSB"), "10-KSB");
        assert_eq!(normalize_form_type("10-k405"), "10-K405");
        assert_eq!(normalize_form_type("10-Q/A"), "10-Q/A");
        assert_eq!(normalize_form_type("10-K"), "10-K");
    }

    #[test]
    fn file_numbers_normalize() {
        assert_eq!(normalize_file_number("001-00035"), "1-35");
        assert_eq!(normalize_file_number("0-439"), "0-439");
    }
}
