//! Text hygiene: bytes of a filing -> clean lines, one per physical line of the file.
//!
//! Line numbers are sacred (provenance), so nothing here may add or drop a line:
//! CRLF and lone CR both end a line, tabs expand to 8-column stops, form feeds and
//! other control characters become spaces, trailing blanks go. Bytes that are not
//! UTF-8 are read as Windows-1252 (EDGAR's de-facto 8-bit charset) instead of failing.

/// Windows-1252 code points for bytes 0x80..0x9F (undefined ones map to U+FFFD-free spaces).
const CP1252_HIGH: [char; 32] = [
    '€', ' ', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', ' ', 'Ž', ' ', ' ', '‘', '’', '“',
    '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', ' ', 'ž', 'Ÿ',
];

/// Decoded text and whether the Windows-1252 fallback was needed.
pub struct Decoded<'a> {
    pub text: std::borrow::Cow<'a, str>,
    pub lossy_8bit: bool,
}

/// Decode bytes as UTF-8, or as Windows-1252 when they are not valid UTF-8.
pub fn decode(bytes: &[u8]) -> Decoded<'_> {
    match std::str::from_utf8(bytes) {
        // (valid UTF-8, nearly every filing: read in place)
        Ok(s) => Decoded { text: std::borrow::Cow::Borrowed(s), lossy_8bit: false },
        Err(_) => {
            let text: String = bytes
                .iter()
                .map(|&b| match b {
                    0x80..=0x9F => CP1252_HIGH[(b - 0x80) as usize],
                    _ => b as char, // Latin-1 is the identity on the rest
                })
                .collect();
            Decoded { text: std::borrow::Cow::Owned(text), lossy_8bit: true }
        }
    }
}

/// Split into physical lines (CRLF, LF and lone CR each end one line) and clean each.
pub fn clean_lines(text: &str) -> Vec<String> {
    // without a CR (nearly every filing) lines end at LF only: found with SIMD
    if memchr::memchr(b'\r', text.as_bytes()).is_none() {
        let mut lines = Vec::with_capacity(text.len() / 40);
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', text.as_bytes()) {
            lines.push(clean_line(&text[start..end]));
            start = end + 1;
        }
        if start < text.len() {
            lines.push(clean_line(&text[start..]));
        }
        return lines;
    }
    let mut lines = Vec::new();
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                lines.push(clean_line(&text[start..i]));
                start = i + 1;
            }
            b'\r' => {
                lines.push(clean_line(&text[start..i]));
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if start < bytes.len() {
        lines.push(clean_line(&text[start..]));
    }
    lines
}

/// Expand tabs to 8-column stops, blank out control characters, trim the right end.
pub fn clean_line(raw: &str) -> String {
    // most lines are plain printable ASCII: nothing to expand or blank (a branch-free test)
    if !raw.bytes().fold(false, |bad, b| bad | !(0x20..0x7f).contains(&b)) {
        return trim_end_spaces(raw).to_string();
    }
    let mut out = String::with_capacity(raw.len());
    let mut col = 0usize;
    for ch in raw.chars() {
        match ch {
            '\t' => {
                let next = (col / 8 + 1) * 8;
                while col < next {
                    out.push(' ');
                    col += 1;
                }
            }
            '\u{A0}' => {
                out.push(' ');
                col += 1;
            }
            c if c.is_control() => {
                out.push(' ');
                col += 1;
            }
            c => {
                out.push(c);
                col += 1;
            }
        }
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out
}

/// `s` without the spaces around it. Clean lines hold no other blank (tabs are expanded, control
/// characters blanked), so this is `trim` without a Unicode test per character, on every line.
pub fn trim_spaces(s: &str) -> &str {
    let t = trim_end_spaces(s);
    &t[leading_spaces(t)..]
}

/// `s` without the spaces that end it (bytes: a space is one byte, so the cut falls on a
/// character boundary).
pub fn trim_end_spaces(s: &str) -> &str {
    &s[..s.as_bytes().iter().rposition(|&c| c != b' ').map_or(0, |e| e + 1)]
}

/// How many spaces open `s` (bytes, as `trim_spaces`).
pub fn leading_spaces(s: &str) -> usize {
    s.as_bytes().iter().position(|&c| c != b' ').unwrap_or(s.len())
}

/// True when the bytes look like a binary file rather than text (NULs or many control bytes).
pub fn looks_binary(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(8192)];
    if sample.is_empty() {
        return false;
    }
    // control bytes other than line ends, tabs and form feeds (NUL among them), and
    // high bytes: a Latin-1 filing has few of either, compressed or image data many
    let ctrl = sample.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C)).count();
    let high = sample.iter().filter(|&&b| b >= 0x80).count();
    ctrl * 100 > sample.len() * 5 || high * 100 > sample.len() * 30
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_lone_cr_and_lf_each_end_one_line() {
        let lines = clean_lines("a\r\nb\rc\nd");
        assert_eq!(lines, vec!["a", "b", "c", "d"]);
    }

    #[test]
    fn empty_lines_are_kept_for_line_numbers() {
        let lines = clean_lines("a\n\n\nb\n");
        assert_eq!(lines, vec!["a", "", "", "b"]);
    }

    #[test]
    fn tabs_expand_to_eight_column_stops() {
        assert_eq!(clean_line("ab\tc"), "ab      c");
        assert_eq!(clean_line("\t1,234"), "        1,234");
        assert_eq!(clean_line("12345678\tx"), "12345678        x");
    }

    #[test]
    fn form_feeds_and_trailing_blanks_go() {
        assert_eq!(clean_line("\u{c}Page 3   "), " Page 3");
    }

    #[test]
    fn windows_1252_fallback() {
        let d = decode(b"Company\x92s caf\xe9");
        assert!(d.lossy_8bit);
        assert_eq!(d.text, "Company’s café");
        let u = decode("café".as_bytes());
        assert!(!u.lossy_8bit);
        assert_eq!(u.text, "café");
    }

    #[test]
    fn binary_detection() {
        assert!(looks_binary(&[0u8, 1, 2, 3, 0, 0, 7, 8]));
        assert!(!looks_binary(b"Net sales\x00   1,234   5,678 and a long enough line of text around it"));
        assert!(looks_binary(&(0..=255u8).cycle().take(4096).collect::<Vec<_>>()));
        assert!(!looks_binary(b"plain text\r\nwith\ttabs\x0c"));
    }
}
