//! Atom feeds (RFC 4287) of recorded changes, for feed readers and alerts.
//!
//! Written by hand: the format is a dozen elements, and every value is escaped here. Entry ids
//! are tag URIs built from the sheet's time, the kind of change, the state, the agency's
//! identity key and the model, so that the same change has the same id in every store and a
//! reader never shows it twice.

use std::fmt::Write as _;

use crate::changes::Change;
use crate::states::state_name;

/// What a feed is about and where it lives.
#[derive(Debug, Clone)]
pub struct FeedMeta<'a> {
    /// The site's address without a trailing slash (`http://127.0.0.1:8001`).
    pub base_url: &'a str,
    /// The feed's own path (`/feed.atom`, `/287g/TX/feed.atom`).
    pub self_path: &'a str,
    /// Only this state's changes (two-letter code).
    pub state: Option<&'a str>,
    /// When nothing is recorded yet: the feed's `updated` (UTC, `YYYY-MM-DDTHH:MM:SSZ`).
    pub now: &'a str,
}

/// `NEW HAMPSHIRE` to `New Hampshire` (the state table keeps ICE's capitals).
fn title_case(name: &str) -> String {
    name.split(' ')
        .map(|word| {
            let lower = word.to_lowercase();
            let mut chars = lower.chars();
            match chars.next() {
                Some(first) if word.len() > 2 || word.eq_ignore_ascii_case("of") => {
                    if lower == "of" {
                        lower
                    } else {
                        first.to_uppercase().chain(chars).collect()
                    }
                }
                _ => word.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// XML text and attribute escaping.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 does not allow.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// Letters, digits and `-._~` kept; everything else percent-encoded (for URLs and tag ids).
fn component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// `2025-07-18 pm` to an RFC 3339 time: noon UTC for `pm`, midnight otherwise.
fn timestamp(taken: &str) -> String {
    let (day, period) = taken.split_once(' ').unwrap_or((taken, ""));
    let hour = if period == "pm" { 12 } else { 0 };
    format!("{day}T{hour:02}:00:00Z")
}

fn title(change: &Change) -> String {
    let model = change
        .model
        .as_deref()
        .map_or("", crate::vocab::model_label);
    match change.kind.as_str() {
        "added" => format!("Added: {} ({}), {model}", change.agency, change.state),
        "removed" => format!("Removed: {} ({}), {model}", change.agency, change.state),
        "renamed" => format!(
            "Renamed: {} ({}), formerly {}",
            change.agency,
            change.state,
            change.previous.as_deref().unwrap_or("")
        ),
        _ => format!(
            "Model changed: {} ({}), now {model}",
            change.agency, change.state
        ),
    }
}

/// The feed for `changes` (newest first, as [`crate::Registry::changes`] returns them).
pub fn feed(changes: &[Change], meta: &FeedMeta<'_>) -> String {
    let place = meta
        .state
        .map(|s| format!(" in {}", title_case(state_name(s).unwrap_or(s))));
    let place = place.as_deref().unwrap_or("");
    let updated = changes
        .iter()
        .map(|c| timestamp(&c.taken))
        .max()
        .unwrap_or_else(|| meta.now.to_string());
    let feed_id = match meta.state {
        Some(state) => format!("tag:remit,2025:287g/changes/{}", component(state)),
        None => "tag:remit,2025:287g/changes".to_string(),
    };
    let page = match meta.state {
        Some(state) => format!("{}/287g?state={}", meta.base_url, component(state)),
        None => format!("{}/287g", meta.base_url),
    };
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    let _ = writeln!(out, "  <id>{}</id>", escape(&feed_id));
    let _ = writeln!(
        out,
        "  <title>287(g) agreements{}: added, removed, renamed, changed model</title>",
        escape(place)
    );
    let _ = writeln!(
        out,
        "  <subtitle>Changes between consecutive participating-agency sheets ICE published. Remit describes the records; it is not legal advice.</subtitle>"
    );
    let _ = writeln!(out, "  <updated>{}</updated>", escape(&updated));
    let _ = writeln!(
        out,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}{}\"/>",
        escape(meta.base_url),
        escape(meta.self_path)
    );
    let _ = writeln!(
        out,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        escape(&page)
    );
    out.push_str("  <author><name>Remit, from ICE's 287(g) sheets</name></author>\n");
    out.push_str("  <generator>Remit</generator>\n");
    for change in changes {
        let entry_id = format!(
            "tag:remit,2025:287g/{}/{}/{}/{}/{}",
            component(&change.taken.replace(' ', "")),
            component(&change.kind),
            component(&change.state),
            component(&change.agency_key),
            component(change.model.as_deref().unwrap_or("-"))
        );
        let link = format!(
            "{}/agencies/{}/{}",
            meta.base_url,
            component(&change.state),
            component(&change.agency)
        );
        out.push_str("  <entry>\n");
        let _ = writeln!(out, "    <id>{}</id>", escape(&entry_id));
        let _ = writeln!(out, "    <title>{}</title>", escape(&title(change)));
        let _ = writeln!(
            out,
            "    <updated>{}</updated>",
            escape(&timestamp(&change.taken))
        );
        let _ = writeln!(
            out,
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            escape(&link)
        );
        let _ = writeln!(
            out,
            "    <category term=\"{}\"/>\n    <category term=\"{}\"/>",
            escape(&change.kind),
            escape(&change.state)
        );
        let _ = writeln!(
            out,
            "    <summary type=\"text\">{}. Listed in ICE's participating sheet of {}; compared with the sheet of {}.</summary>",
            escape(&change.sentence()),
            escape(&change.taken),
            escape(&change.from)
        );
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

/// One entry of a feed of other changes (sharing lists, the corpus).
#[derive(Debug, Clone)]
pub struct Entry {
    /// A tag URI that stays the same for the same change in every store.
    pub id: String,
    /// The entry's headline, one plain sentence.
    pub title: String,
    /// RFC 3339 (`2026-05-29T00:00:00Z`).
    pub updated: String,
    /// The page about it, a path on the site (`/sharing/...`).
    pub path: String,
    /// Atom categories (e.g. the kind of change), for readers that filter.
    pub categories: Vec<String>,
    /// The entry's text.
    pub summary: String,
}

/// What a feed of [`Entry`] is.
#[derive(Debug, Clone)]
pub struct EntriesMeta<'a> {
    /// The site's address without a trailing slash (`https://example.org`); paths are appended.
    pub base_url: &'a str,
    /// The feed's own path on the site.
    pub self_path: &'a str,
    /// The page the feed is about, a path on the site.
    pub page_path: &'a str,
    /// The feed's tag URI.
    pub id: &'a str,
    /// The feed's title.
    pub title: &'a str,
    /// What the feed covers; the feed adds that it is not legal advice.
    pub subtitle: &'a str,
    /// The name given as the feed's author.
    pub author: &'a str,
    /// When there is no entry: the feed's `updated`.
    pub now: &'a str,
}

/// A feed of `entries` (newest first).
pub fn entries_feed(entries: &[Entry], meta: &EntriesMeta<'_>) -> String {
    let updated = entries
        .iter()
        .map(|e| e.updated.clone())
        .max()
        .unwrap_or_else(|| meta.now.to_string());
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    let _ = writeln!(out, "  <id>{}</id>", escape(meta.id));
    let _ = writeln!(out, "  <title>{}</title>", escape(meta.title));
    let _ = writeln!(
        out,
        "  <subtitle>{} Remit describes the records; it is not legal advice.</subtitle>",
        escape(meta.subtitle)
    );
    let _ = writeln!(out, "  <updated>{}</updated>", escape(&updated));
    let _ = writeln!(
        out,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}{}\"/>",
        escape(meta.base_url),
        escape(meta.self_path)
    );
    let _ = writeln!(
        out,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}{}\"/>",
        escape(meta.base_url),
        escape(meta.page_path)
    );
    let _ = writeln!(
        out,
        "  <author><name>{}</name></author>",
        escape(meta.author)
    );
    out.push_str("  <generator>Remit</generator>\n");
    for entry in entries {
        out.push_str("  <entry>\n");
        let _ = writeln!(out, "    <id>{}</id>", escape(&entry.id));
        let _ = writeln!(out, "    <title>{}</title>", escape(&entry.title));
        let _ = writeln!(out, "    <updated>{}</updated>", escape(&entry.updated));
        let _ = writeln!(
            out,
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}{}\"/>",
            escape(meta.base_url),
            escape(&entry.path)
        );
        for category in &entry.categories {
            let _ = writeln!(out, "    <category term=\"{}\"/>", escape(category));
        }
        let _ = writeln!(
            out,
            "    <summary type=\"text\">{}</summary>",
            escape(&entry.summary)
        );
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

/// A tag URI component: letters, digits and `-._~` kept, the rest percent-encoded.
pub fn tag_component(text: &str) -> String {
    component(text)
}
