//! Words of a name, spelled one way.
//!
//! Names reach Remit typed by hand into many systems: `Sheriff's`, `SHERIFFS`, `Sheriff’s`,
//! `St.`, `Saint`, `Twp`, `Dept`. The parser and the directory index both read names through
//! [`tokenize`], so that whatever spelling a record uses, the same words come out on both sides.

/// What stood between a token and the one before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Break {
    /// The first token of the text.
    Start,
    /// White space, a hyphen inside a word, or other light punctuation.
    Space,
    /// A comma: `Hayward, CA PD`.
    Comma,
    /// A segment break the parser made (a ` - ` dash or a removed bracket).
    Segment,
}

/// One word of a name.
#[derive(Clone, Debug)]
pub(crate) struct Token {
    /// Lower case, punctuation dropped, spelled the canonical way (`saint` -> `st`).
    pub norm: String,
    /// As written, without surrounding punctuation (for display).
    pub original: String,
    /// The word was written in capitals (`CA`, `PD`), which tells a state code from a word in
    /// names written in mixed case.
    pub upper: bool,
    pub before: Break,
}

/// Replaces typographic quotes, drops double quotes and control characters, and collapses runs
/// of white space.
pub(crate) fn clean(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut space = false;
    for c in raw.chars() {
        let c = match c {
            '\u{2018}' | '\u{2019}' | '\u{02bc}' | '`' | '\u{b4}' => '\'',
            '"' | '\u{201c}' | '\u{201d}' => continue,
            '\u{2013}' | '\u{2014}' => '-',
            c if c.is_control() || c.is_whitespace() => ' ',
            c => c,
        };
        if c == ' ' {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c);
    }
    out
}

/// Splits `text` into tokens; the first token gets `first` as its break.
pub(crate) fn tokenize(text: &str, first: Break, out: &mut Vec<Token>) {
    for (i, (word, separator)) in pieces(text).into_iter().enumerate() {
        let before = match (i, separator) {
            (0, _) => first,
            (_, Some(',')) => Break::Comma,
            _ => Break::Space,
        };
        push_word(word, before, out);
    }
}

/// The words of `text`, each with the punctuation between it and the word before (`None` for
/// white space only; a comma wins over other punctuation).
fn pieces(text: &str) -> Vec<(&str, Option<char>)> {
    let mut out = Vec::new();
    let mut pending: Option<char> = None;
    let mut start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        let separator = c.is_whitespace()
            || matches!(
                c,
                ',' | '/' | ';' | ':' | '|' | '@' | '-' | '+' | '=' | '*' | '#'
            );
        if separator {
            if let Some(s) = start.take() {
                out.push((&text[s..i], pending.take()));
            }
            if !c.is_whitespace() && pending != Some(',') {
                pending = Some(c);
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        out.push((&text[s..], pending));
    }
    out
}

/// Adds the token(s) for one whitespace-free word.
fn push_word(word: &str, before: Break, out: &mut Vec<Token>) {
    // "A&M" -> "a", "and", "m"; a lone "&" -> "and".
    if word.contains('&') {
        let mut first = true;
        for (i, part) in word.split('&').enumerate() {
            if i > 0 {
                out.push(Token {
                    norm: "and".to_string(),
                    original: "&".to_string(),
                    upper: false,
                    before: Break::Space,
                });
            }
            if !part.is_empty() {
                push_word(part, if first { before } else { Break::Space }, out);
                first = false;
            }
        }
        return;
    }
    // Keep the last period of an abbreviation with periods inside (`U.S.`).
    let trimmed = word.trim_matches(|c: char| !c.is_alphanumeric());
    let original = if trimmed.contains('.') && word.ends_with('.') {
        format!("{trimmed}.")
    } else {
        trimmed.to_string()
    };
    let mut lower = String::with_capacity(original.len());
    let mut letters = 0;
    let mut lowercase = false;
    for c in original.chars() {
        if c == '.' || c == '\'' {
            continue;
        }
        if c.is_alphabetic() {
            letters += 1;
            lowercase |= c.is_lowercase();
        }
        if c.is_alphanumeric() {
            lower.extend(c.to_lowercase());
        }
    }
    if lower.is_empty() {
        return;
    }
    let norm = canonical(&lower).map_or(lower, str::to_string);
    out.push(Token {
        norm,
        original,
        upper: letters >= 2 && !lowercase,
        before,
    });
}

/// The one spelling Remit uses for a word that records spell several ways, if it differs.
pub(crate) fn canonical(word: &str) -> Option<&'static str> {
    Some(match word {
        "saint" => "st",
        "mount" => "mt",
        "fort" => "ft",
        "twp" | "twsp" | "townshp" => "township",
        "dept" | "dpt" | "departent" | "deparment" | "departmant" | "departments" => "department",
        "univ" | "universty" => "university",
        "sheriffs" | "sherif" | "sherrif" | "sherriff" | "sherrifs" | "sherriffs" | "sheriffes"
        | "sherifs" => "sheriff",
        "marshals" => "marshal",
        "constables" | "constabless" => "constable",
        "prosecutors" | "prosecuting" | "prosector" | "prosecuter" => "prosecutor",
        "attorneys" => "attorney",
        "generals" => "general",
        "das" => "da",
        "cnty" => "county",
        "pct" => "precinct",
        "hwy" => "highway",
        "ctr" | "cntr" => "center",
        "svcs" | "svc" => "services",
        "pub" => "public",
        "hts" => "heights",
        "spgs" => "springs",
        "schools" => "school",
        "apts" | "apt" => "apartments",
        "probations" => "probation",
        "troopers" => "trooper",
        "offices" => "office",
        "policedepartment" => "pd",
        _ => return None,
    })
}

/// Title case for display of a word written in capitals (`EL CAJON` -> `El Cajon`).
pub(crate) fn title_case(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut start = true;
    for c in word.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        start = !c.is_alphanumeric() && c != '\'';
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norms(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        tokenize(&clean(text), Break::Start, &mut out);
        out.into_iter().map(|t| t.norm).collect()
    }

    #[test]
    fn spelling_is_folded() {
        assert_eq!(
            norms("Galveston County Sheriff’s Office"),
            ["galveston", "county", "sheriff", "office"]
        );
        assert_eq!(
            norms("Port Saint Joe FL PD"),
            ["port", "st", "joe", "fl", "pd"]
        );
        assert_eq!(norms("St. Johns County"), ["st", "johns", "county"]);
        assert_eq!(norms("U.S. Border Patrol"), ["us", "border", "patrol"]);
        assert_eq!(
            norms("Florida A&M University"),
            ["florida", "a", "and", "m", "university"]
        );
        assert_eq!(norms("Fish & Wildlife"), ["fish", "and", "wildlife"]);
        assert_eq!(norms("Wright-Patterson"), ["wright", "patterson"]);
        assert_eq!(
            norms("Coeur d'Alene ID PD"),
            ["coeur", "dalene", "id", "pd"]
        );
    }

    #[test]
    fn commas_and_capitals_are_recorded() {
        let mut out = Vec::new();
        tokenize("Hayward, CA PD", Break::Start, &mut out);
        assert_eq!(out[0].before, Break::Start);
        assert_eq!(out[1].before, Break::Comma);
        assert!(out[1].upper);
        assert!(!out[0].upper);
        assert_eq!(out[2].before, Break::Space);
    }

    #[test]
    fn cleaning() {
        assert_eq!(
            clean("  \"San Rafael   Police\tDepartment "),
            "San Rafael Police Department"
        );
        assert_eq!(title_case("EL CAJON"), "El Cajon");
        assert_eq!(title_case("LEE'S SUMMIT"), "Lee's Summit");
    }
}
