//! remit-html: the escaper and the charts that the dashboard (remit-web) and the audit's
//! self-contained HTML report (remit-audit) share, so that both escape the same way and draw the
//! same charts (round grid values, text of at least 12 px, partial periods marked).
//!
//! It is its own crate because remit-audit must not depend on the web stack, and the web must not
//! keep a second copy: its one dependency is maud, the template macro the dashboard's pages are
//! written in (no server, no runtime), so that the charts escape by default as the pages do.

#![warn(missing_docs)]

pub mod chart;

/// Text escaped for HTML element content and quoted attribute values: `&`, `<`, `>`, `"` and `'`
/// become entities, everything else is written as it is.
#[derive(Debug, Clone, Copy)]
pub struct Escape<'a>(pub &'a str);

impl std::fmt::Display for Escape<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut last = 0;
        for (index, byte) in self.0.bytes().enumerate() {
            let replacement = match byte {
                b'&' => "&amp;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'"' => "&quot;",
                b'\'' => "&#39;",
                _ => continue,
            };
            f.write_str(&self.0[last..index])?;
            f.write_str(replacement)?;
            last = index + 1;
        }
        f.write_str(&self.0[last..])
    }
}

/// `text` escaped for HTML, as a new string.
pub fn escape(text: &str) -> String {
    Escape(text).to_string()
}

/// A count with thousands separators (`1,234,567`).
pub fn count(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape("<a href=\"x\">Tom & Jerry's</a>"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;"
        );
        assert_eq!(escape("plain"), "plain");
        assert_eq!(escape(""), "");
        assert_eq!(escape("é<"), "é&lt;");
    }

    #[test]
    fn counts_have_separators() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1000), "1,000");
        assert_eq!(count(1_234_567), "1,234,567");
    }
}
