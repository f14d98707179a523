//! The SGML envelope of an EDGAR submission: PEM wrapper, `<SEC-HEADER>` / `<IMS-HEADER>`
//! or tagged `<SUBMISSION>` header, and the `<DOCUMENT>` blocks. Works on clean lines and
//! only records line spans, so every later stage still knows the physical line numbers.

use super::header::HeaderFields;

/// One `<DOCUMENT>` of a submission (or the whole file when there is no envelope).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub sequence: u32,
    pub doc_type: String,
    pub filename: Option<String>,
    pub description: Option<String>,
    /// 1-based first and last line of the document's text (inclusive).
    pub start: usize,
    pub end: usize,
    /// True when the document ended without its closing tag (truncated submission).
    pub truncated: bool,
}

#[derive(Debug, Default)]
pub struct Envelope {
    pub header: HeaderFields,
    pub documents: Vec<Document>,
    pub has_sgml: bool,
}

/// `<TAG>` or `<TAG>value` at the start of a trimmed line: (upper-case tag, rest).
pub fn tag_of(line: &str) -> Option<(std::borrow::Cow<'_, str>, &str)> {
    // (most lines do not open with a tag: say so before trimming their end)
    let t = &line[super::text::leading_spaces(line)..];
    let rest = t.strip_prefix('<')?;
    let rest = super::text::trim_end_spaces(rest);
    let close = rest.find('>')?;
    let name = &rest[..close];
    if name.is_empty() || name.len() > 40 || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'/' || b == b'_') {
        return None;
    }
    // (tags are nearly always printed in capitals: no copy then)
    let upper = if name.bytes().any(|b| b.is_ascii_lowercase()) { std::borrow::Cow::Owned(name.to_ascii_uppercase()) } else { std::borrow::Cow::Borrowed(name) };
    Some((upper, super::text::trim_spaces(&rest[close + 1..])))
}

/// Split clean lines into header and documents.
pub fn parse(lines: &[String]) -> Envelope {
    let mut env = Envelope::default();
    let n = lines.len();
    let mut i = 0;
    let mut header_lines: Vec<&str> = Vec::new();
    let mut tagged_header: Vec<(String, String)> = Vec::new();
    let mut in_header = false;
    let mut in_submission = false;
    while i < n {
        let line = lines[i].as_str();
        let tag = tag_of(line);
        match tag.as_ref().map(|(t, v)| (t.as_ref(), *v)) {
            Some(("SEC-HEADER", _)) | Some(("IMS-HEADER", _)) => {
                env.has_sgml = true;
                in_header = true;
            }
            Some(("/SEC-HEADER", _)) | Some(("/IMS-HEADER", _)) => in_header = false,
            Some(("SEC-DOCUMENT", _)) | Some(("IMS-DOCUMENT", _)) => env.has_sgml = true,
            Some(("SUBMISSION", _)) => {
                env.has_sgml = true;
                in_submission = true;
            }
            Some(("DOCUMENT", _)) => {
                env.has_sgml = true;
                in_header = false;
                in_submission = false;
                let (doc, next) = parse_document(lines, i, env.documents.len() as u32 + 1);
                env.documents.push(doc);
                i = next;
                continue;
            }
            Some((t, v)) if in_submission && !t.starts_with('/') => {
                if !v.is_empty() {
                    tagged_header.push((t.to_string(), v.to_string()));
                }
            }
            _ => {
                if in_header {
                    header_lines.push(line);
                }
            }
        }
        i += 1;
    }
    env.header = HeaderFields::from_key_value_lines(&header_lines);
    env.header.merge_missing(HeaderFields::from_tags(&tagged_header));
    if env.documents.is_empty() {
        // Plain text filing (like the seeds) or a header without documents: one document.
        let start = first_body_line(lines);
        env.documents.push(Document {
            sequence: 1,
            doc_type: env.header.form_type.clone().unwrap_or_default(),
            filename: None,
            description: None,
            start: start + 1,
            end: n.max(start + 1),
            truncated: false,
        });
    }
    env
}

/// Index (0-based) of the first line after any PEM/header preamble.
fn first_body_line(lines: &[String]) -> usize {
    let mut last_header_end = None;
    for (i, l) in lines.iter().enumerate().take(400) {
        if let Some((t, _)) = tag_of(l) {
            if t == "/SEC-HEADER" || t == "/IMS-HEADER" || t == "/SUBMISSION" {
                last_header_end = Some(i + 1);
            }
        }
    }
    if let Some(e) = last_header_end {
        return e;
    }
    if lines.first().is_some_and(|l| l.starts_with("-----BEGIN PRIVACY-ENHANCED MESSAGE")) {
        // PEM headers end at the first blank line
        return lines.iter().position(|l| l.trim().is_empty()).map(|p| p + 1).unwrap_or(0);
    }
    0
}

/// Parse one `<DOCUMENT>` starting at index `i`; returns it and the index after it.
fn parse_document(lines: &[String], i: usize, ordinal: u32) -> (Document, usize) {
    let n = lines.len();
    let mut doc = Document {
        sequence: ordinal,
        doc_type: String::new(),
        filename: None,
        description: None,
        start: i + 2,
        end: i + 1,
        truncated: true,
    };
    let mut j = i + 1;
    let mut text_start = None;
    // metadata tags until <TEXT>
    while j < n {
        match tag_of(&lines[j]) {
            Some((t, v)) => match t.as_ref() {
                "TYPE" => doc.doc_type = v.to_string(),
                "SEQUENCE" => doc.sequence = v.parse().unwrap_or(ordinal),
                "FILENAME" => doc.filename = Some(v.to_string()),
                "DESCRIPTION" => doc.description = Some(v.to_string()),
                "TEXT" => {
                    text_start = Some(j + 1);
                    j += 1;
                    break;
                }
                "/DOCUMENT" => {
                    doc.start = j + 1;
                    doc.end = j;
                    doc.truncated = false;
                    return (doc, j + 1);
                }
                "DOCUMENT" => {
                    return (doc, j);
                }
                _ => {}
            },
            None => {
                // text without a <TEXT> tag: the document body starts here
                if !lines[j].trim().is_empty() {
                    text_start = Some(j);
                    break;
                }
            }
        }
        j += 1;
    }
    let start = text_start.unwrap_or(j);
    doc.start = start + 1;
    let mut k = start;
    while k < n {
        if let Some((t, _)) = tag_of(&lines[k]) {
            match t.as_ref() {
                "/TEXT" => {
                    doc.end = k; // 1-based index of the line before </TEXT>
                    doc.truncated = false;
                    let mut m = k + 1;
                    while m < n {
                        match tag_of(&lines[m]).map(|(t, _)| t) {
                            Some(t) if t == "/DOCUMENT" => return (doc, m + 1),
                            Some(t) if t == "DOCUMENT" => return (doc, m),
                            _ => m += 1,
                        }
                    }
                    return (doc, n);
                }
                "/DOCUMENT" => {
                    doc.end = k;
                    doc.truncated = false;
                    return (doc, k + 1);
                }
                "DOCUMENT" => {
                    doc.end = k;
                    return (doc, k);
                }
                _ => {}
            }
        }
        k += 1;
    }
    doc.end = n;
    (doc, n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(s: &str) -> Vec<String> {
        s.lines().map(|l| l.to_string()).collect()
    }

    #[test]
    fn plain_text_is_one_document() {
        let env = parse(&lines("FORM 10-K\n\nNet sales   1,234\n"));
        assert!(!env.has_sgml);
        assert_eq!(env.documents.len(), 1);
        assert_eq!(env.documents[0].start, 1);
        assert_eq!(env.documents[0].end, 3);
    }

    #[test]
    fn sec_header_and_documents() {
        let text = "-----BEGIN PRIVACY-ENHANCED MESSAGE-----\nProc-Type: 2001,MIC-CLEAR\n\n<SEC-DOCUMENT>0000950130-96-000896.txt : 19960320\n<SEC-HEADER>0000950130-96-000896.hdr.sgml : 19960320\nACCESSION NUMBER:\t\t0000950130-96-000896\nCONFORMED SUBMISSION TYPE:\t10-K405\nCONFORMED PERIOD OF REPORT:\t19951231\n\tCOMPANY DATA:\n\t\tCOMPANY CONFORMED NAME:\t\t\tMERCK & CO INC\n\t\tCENTRAL INDEX KEY:\t\t\t0000064978\n\t\tFISCAL YEAR END:\t\t\t1231\n</SEC-HEADER>\n<DOCUMENT>\n<TYPE>10-K405\n<SEQUENCE>1\n<DESCRIPTION>FORM 10-K\n<TEXT>\nbody line\n</TEXT>\n</DOCUMENT>\n<DOCUMENT>\n<TYPE>EX-13\n<SEQUENCE>2\n<TEXT>\nannual report\nmore\n</TEXT>\n</DOCUMENT>\n</SEC-DOCUMENT>\n-----END PRIVACY-ENHANCED MESSAGE-----\n";
        let env = parse(&lines(text));
        assert!(env.has_sgml);
        assert_eq!(env.header.accession.as_deref(), Some("0000950130-96-000896"));
        assert_eq!(env.header.form_type.as_deref(), Some("10-K405"));
        assert_eq!(env.header.cik.as_deref(), Some("64978"));
        assert_eq!(env.documents.len(), 2);
        let d1 = &env.documents[0];
        assert_eq!((d1.doc_type.as_str(), d1.start, d1.end), ("10-K405", 19, 19));
        let d2 = &env.documents[1];
        assert_eq!((d2.doc_type.as_str(), d2.sequence, d2.start, d2.end), ("EX-13", 2, 26, 27));
        assert!(!d2.truncated);
    }

    #[test]
    fn truncated_document_runs_to_end() {
        let env = parse(&lines("<DOCUMENT>\n<TYPE>10-Q\n<TEXT>\nNet sales  1\nmore"));
        assert_eq!(env.documents.len(), 1);
        let d = &env.documents[0];
        assert!(d.truncated);
        assert_eq!((d.start, d.end), (4, 5));
    }

    #[test]
    fn tagged_submission_header() {
        let text = "<SUBMISSION>\n<ACCESSION-NUMBER>0000912057-97-000001\n<TYPE>10-Q\n<PERIOD>19970628\n<FILER>\n<COMPANY-DATA>\n<CONFORMED-NAME>ACME WIDGETS INC\n<CIK>0000123456\n<FISCAL-YEAR-END>0927\n</COMPANY-DATA>\n</FILER>\n<DOCUMENT>\n<TYPE>10-Q\n<TEXT>\nx\n</TEXT>\n</DOCUMENT>\n</SUBMISSION>";
        let env = parse(&lines(text));
        assert_eq!(env.header.accession.as_deref(), Some("0000912057-97-000001"));
        assert_eq!(env.header.company_name.as_deref(), Some("ACME WIDGETS INC"));
        assert_eq!(env.header.fiscal_year_end, Some((9, 27)));
        assert_eq!(env.documents[0].doc_type, "10-Q");
    }
}
