//! Archived Flock transparency portals (JSON, as archived by none-below/sm-alpr): one object per
//! agency with its name, slug, crawl date, retention, prohibited uses and two lists of
//! organisation names, `sharing_outbound` (who can reach the agency's data) and
//! `sharing_inbound` (whose data the agency can reach).
//!
//! The archives are uneven (seven have no `crawled_name`, two no `crawled_at`, two no retention),
//! so every field but the lists is optional; an entry that is not a string is set aside as an
//! issue naming its line and position.

use std::path::Path;

use remit_law::Date;
use serde_json::{Map, Value};

use crate::error::SharingError;
use crate::list::{
    DateFrom, Direction, Entry, Format, Issue, OwnerFrom, ParsedList, Severity, names_immigration,
};
use crate::read::{Collected, ListSink, ReadOptions, clean_name, push_entry};

/// Reads a portal archive from its text.
pub fn read_portal(
    path: &Path,
    text: &str,
    options: &ReadOptions,
) -> Result<ParsedList, SharingError> {
    let value: Value = serde_json::from_str(text).map_err(|e| SharingError::Json {
        path: path.to_path_buf(),
        line: e.line(),
        message: strip_position(&e.to_string()),
    })?;
    let Value::Object(object) = value else {
        return Err(SharingError::NotAPortal {
            path: path.to_path_buf(),
            reason: "it is not a JSON object".to_string(),
        });
    };
    if !object.contains_key("sharing_outbound") && !object.contains_key("sharing_inbound") {
        return Err(SharingError::NotAPortal {
            path: path.to_path_buf(),
            reason: "it has neither `sharing_outbound` nor `sharing_inbound`".to_string(),
        });
    }
    let fields = Fields {
        path,
        text,
        object: &object,
    };
    let mut issues = Vec::new();

    let slug = fields.string("slug", "crawled_slug")?;
    let crawled_name = fields.string("name", "crawled_name")?;
    let (owner, owner_from) = match (&options.owner, &crawled_name, &slug) {
        (Some(owner), _, _) => (owner.clone(), OwnerFrom::Option),
        (None, Some(name), _) => (name.clone(), OwnerFrom::CrawledName),
        (None, None, Some(slug)) => {
            issues.push(Issue {
                line: fields.line_of("crawled_name"),
                field: "crawled_name".to_string(),
                value: String::new(),
                severity: Severity::Warning,
                message: format!("no name: the owner is read from the slug `{slug}`"),
            });
            (name_from_slug(slug), OwnerFrom::CrawledSlug)
        }
        (None, None, None) => {
            return Err(SharingError::NoOwner {
                path: path.to_path_buf(),
            });
        }
    };
    let owner_state_hint = slug.as_deref().and_then(state_from_slug);

    let archived = fields.string("date", "archived_date")?;
    let crawled_at = fields.string("time", "crawled_at")?;
    let (date, date_from) = match options.date {
        Some(date) => (date, DateFrom::Option),
        None => {
            let from_archive = archived.as_deref().and_then(leading_date);
            let from_crawl = crawled_at.as_deref().and_then(leading_date);
            let from_name = path
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(date_in_file_name);
            if archived.is_some() && from_archive.is_none() {
                issues.push(Issue {
                    line: fields.line_of("archived_date"),
                    field: "archived_date".to_string(),
                    value: archived.clone().unwrap_or_default(),
                    severity: Severity::Warning,
                    message: "not a date (YYYY-MM-DD); set aside".to_string(),
                });
            }
            match (from_archive, from_crawl, from_name) {
                (Some(date), _, _) => (date, DateFrom::ArchivedDate),
                (None, Some(date), _) => (date, DateFrom::CrawledAt),
                (None, None, Some(date)) => (date, DateFrom::FileName),
                (None, None, None) => (options.today, DateFrom::ImportDay),
            }
        }
    };

    let prohibited_uses = fields.string("text", "prohibited_uses")?;
    let immigration_use_prohibited = prohibited_uses.as_deref().is_some_and(names_immigration);

    let mut list = ParsedList {
        format: Format::Portal,
        sheet: None,
        owner,
        owner_from,
        owner_state_hint,
        slug,
        date,
        date_from,
        crawled_at,
        retention_days: fields.integer("data_retention_days", &mut issues),
        prohibited_uses,
        immigration_use_prohibited,
        camera_count: fields.integer("camera_count", &mut issues),
        searches_30d: fields.integer("searches_30d", &mut issues),
        entries: Vec::new(),
        issues,
    };
    let mut collected = Collected::default();
    for (key, direction) in [
        ("sharing_outbound", Direction::Outbound),
        ("sharing_inbound", Direction::Inbound),
    ] {
        fields.entries(key, direction, &mut collected)?;
    }
    list.entries = collected.entries;
    list.issues.extend(collected.issues);
    Ok(list)
}

struct Fields<'a> {
    path: &'a Path,
    text: &'a str,
    object: &'a Map<String, Value>,
}

impl Fields<'_> {
    /// The 1-based line of `"key":` in the text (the first occurrence), for messages.
    fn line_of(&self, key: &str) -> Option<u64> {
        let needle = format!("\"{key}\"");
        let offset = self.text.find(&needle)?;
        Some(1 + self.text[..offset].bytes().filter(|b| *b == b'\n').count() as u64)
    }

    fn bad(&self, key: &str, message: String) -> SharingError {
        SharingError::BadField {
            path: self.path.to_path_buf(),
            line: self.line_of(key).map_or(0, |l| l as usize),
            field: key.to_string(),
            message,
        }
    }

    /// A string field: absent, null and blank are `None`; any other type is an error.
    fn string(&self, what: &str, key: &str) -> Result<Option<String>, SharingError> {
        match self.object.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(text)) if text.trim().is_empty() => Ok(None),
            Some(Value::String(text)) => Ok(Some(text.trim().to_string())),
            Some(other) => Err(self.bad(
                key,
                format!("expected a {what} as text, found {}", describe(other)),
            )),
        }
    }

    /// An integer field; a value of another type is kept aside as an issue (these fields only
    /// describe the portal).
    fn integer(&self, key: &str, issues: &mut Vec<Issue>) -> Option<i64> {
        match self.object.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::Number(number)) if number.as_i64().is_some() => number.as_i64(),
            Some(Value::String(text)) if text.trim().parse::<i64>().is_ok() => {
                text.trim().parse().ok()
            }
            Some(other) => {
                issues.push(Issue {
                    line: self.line_of(key),
                    field: key.to_string(),
                    value: other.to_string(),
                    severity: Severity::Warning,
                    message: format!("expected a whole number, found {}", describe(other)),
                });
                None
            }
        }
    }

    fn entries(
        &self,
        key: &str,
        direction: Direction,
        sink: &mut dyn ListSink,
    ) -> Result<(), SharingError> {
        let items = match self.object.get(key) {
            None | Some(Value::Null) => return Ok(()),
            Some(Value::Array(items)) => items,
            Some(other) => {
                return Err(self.bad(
                    key,
                    format!("expected a list of names, found {}", describe(other)),
                ));
            }
        };
        let key_line = self.line_of(key).unwrap_or(0);
        let lines = element_lines(self.text, key);
        for (index, item) in items.iter().enumerate() {
            let field = format!("{key}[{index}]");
            let line = lines.get(index).copied().unwrap_or(key_line);
            match item {
                Value::String(name) => push_entry(
                    sink,
                    Entry {
                        line,
                        field,
                        direction,
                        name: clean_name(name),
                        state_hint: None,
                        type_hint: None,
                    },
                )?,
                other => sink.add_issue(Issue {
                    line: Some(line),
                    field,
                    value: other.to_string(),
                    severity: Severity::Error,
                    message: format!("expected a name, found {}; set aside", describe(other)),
                })?,
            }
        }
        Ok(())
    }
}

/// The 1-based line on which each element of the top-level array `key` starts, by scanning the
/// text (the parsed value has no positions). Empty when the text is not as expected; callers fall
/// back to the key's line.
fn element_lines(text: &str, key: &str) -> Vec<u64> {
    let bytes = text.as_bytes();
    let needle = format!("\"{key}\"");
    let Some(start) = text.find(&needle) else {
        return Vec::new();
    };
    let mut position = start + needle.len();
    let skip_space = |position: &mut usize| {
        while *position < bytes.len() && bytes[*position].is_ascii_whitespace() {
            *position += 1;
        }
    };
    skip_space(&mut position);
    if bytes.get(position) != Some(&b':') {
        return Vec::new();
    }
    position += 1;
    skip_space(&mut position);
    if bytes.get(position) != Some(&b'[') {
        return Vec::new();
    }
    position += 1;
    let mut line = 1 + bytes[..position].iter().filter(|b| **b == b'\n').count() as u64;
    let mut lines = Vec::new();
    // Walks element by element: at depth 0 a value starts after `[` or `,`.
    let mut depth = 0usize;
    let mut expecting = true;
    let mut in_string = false;
    let mut escaped = false;
    while position < bytes.len() {
        let byte = bytes[position];
        if byte == b'\n' {
            line += 1;
        }
        if in_string {
            if escaped {
                escaped = false;
            } else if byte == b'\\' {
                escaped = true;
            } else if byte == b'"' {
                in_string = false;
            }
            position += 1;
            continue;
        }
        if depth == 0 && expecting && !byte.is_ascii_whitespace() && byte != b']' {
            lines.push(line);
            expecting = false;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => depth += 1,
            b']' | b'}' if depth == 0 => break,
            b']' | b'}' => depth -= 1,
            b',' if depth == 0 => expecting = true,
            _ => {}
        }
        position += 1;
    }
    lines
}

fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// serde_json appends ` at line L column C`; the line is reported separately.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(index) => message[..index].to_string(),
        None => message.to_string(),
    }
}

/// `2026-04-29` or `2026-04-29T00:09:49.777852+00:00`: the date at the start.
fn leading_date(text: &str) -> Option<Date> {
    text.get(..10)?.parse().ok()
}

/// `el-cajon-pd-ca__2026-04-29.json`: the date after the last `__`.
fn date_in_file_name(name: &str) -> Option<Date> {
    let stem = name.strip_suffix(".json").unwrap_or(name);
    let (_, date) = stem.rsplit_once("__")?;
    date.parse().ok()
}

/// Agency words that are two letters and never a state in a slug's last places.
const NOT_STATES: &[&str] = &["pd", "so", "sd"];

/// The state a slug names: the last of its words after the first that is a state code
/// (`dixon-ca-pd` -> `CA`, `arlington-pd-wa` -> `WA`). The first word is never taken, since it
/// is a place (`la-habra-...`, `de-anza-...`).
pub fn state_from_slug(slug: &str) -> Option<String> {
    slug.split('-')
        .filter(|w| !w.is_empty())
        .skip(1)
        .filter(|w| w.len() == 2 && !NOT_STATES.contains(w))
        .filter_map(remit_agencies::states::by_code_ignore_case)
        .last()
        .map(|s| s.code.to_string())
}

/// `mill-valley-ca-pd` -> `Mill Valley CA PD`: short words upper case, others capitalised, so
/// the resolver reads codes as codes.
pub fn name_from_slug(slug: &str) -> String {
    slug.split('-')
        .filter(|w| !w.is_empty())
        .map(|word| {
            if word.len() <= 2 || word.len() <= 5 && !word.bytes().any(is_vowel) {
                word.to_ascii_uppercase()
            } else {
                let mut chars = word.chars();
                match chars.next() {
                    Some(first) => first.to_uppercase().chain(chars).collect(),
                    None => String::new(),
                }
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn is_vowel(byte: u8) -> bool {
    matches!(
        byte.to_ascii_lowercase(),
        b'a' | b'e' | b'i' | b'o' | b'u' | b'y'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_give_names_and_states() {
        assert_eq!(name_from_slug("mill-valley-ca-pd"), "Mill Valley CA PD");
        assert_eq!(name_from_slug("napa-county-ca-so"), "Napa County CA SO");
        assert_eq!(name_from_slug("ncric"), "Ncric");
        assert_eq!(state_from_slug("dixon-ca-pd").as_deref(), Some("CA"));
        assert_eq!(state_from_slug("arlington-pd-wa").as_deref(), Some("WA"));
        assert_eq!(state_from_slug("-el-cajon-pd-ca").as_deref(), Some("CA"));
        assert_eq!(state_from_slug("la-habra-pd"), None);
        assert_eq!(state_from_slug("ncric"), None);
        assert_eq!(state_from_slug("mendocino-county-soca"), None);
    }

    #[test]
    fn element_lines_follow_the_text() {
        let text = "{\n  \"a\": [\n    \"x, [y]\",\n    \"z \\\" w\", 4,\n    {\"k\": [1,\n 2]},\n    null\n  ],\n  \"b\": []\n}";
        assert_eq!(element_lines(text, "a"), [3, 4, 4, 5, 7]);
        assert_eq!(element_lines(text, "b"), Vec::<u64>::new());
        assert_eq!(element_lines(text, "c"), Vec::<u64>::new());
        assert_eq!(element_lines("{\"a\": [\"x\", \"y\"]}", "a"), [1, 1]);
    }

    #[test]
    fn dates_from_fields_and_names() {
        assert_eq!(
            leading_date("2026-04-29T00:09:49.777852+00:00").map(|d| d.to_string()),
            Some("2026-04-29".to_string())
        );
        assert_eq!(leading_date("April"), None);
        assert_eq!(
            date_in_file_name("-el-cajon-pd-ca__2026-04-29.json").map(|d| d.to_string()),
            Some("2026-04-29".to_string())
        );
        assert_eq!(date_in_file_name("portal.json"), None);
    }
}
