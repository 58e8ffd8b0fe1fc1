//! The self-contained HTML report: summary figures, SVG charts (remit-html's, the dashboard's own),
//! the law questions asked with their citations, and a table of findings. No script, no
//! external stylesheet, font or image: the file can be mailed, archived and opened offline.

use std::fmt::Write as _;

use remit_html::chart::{self, Bar, Column};
use remit_html::{count as thousands, escape};

use crate::aggregate::Summary;
use crate::event::Flag;

/// A bar chart of `(label, count)` rows, largest first as given.
fn bars(title: &str, rows: &[(String, u64)]) -> String {
    let bars: Vec<Bar> = rows
        .iter()
        .map(|(label, value)| Bar {
            label: label.clone(),
            value: *value,
            href: None,
        })
        .collect();
    let mut svg = String::new();
    chart::bar_chart(&mut svg, title, &bars);
    svg
}

const STYLE: &str = "svg{max-width:100%;height:auto}body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;color:#222;line-height:1.45}h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ccc}table{border-collapse:collapse;width:100%;font-size:.85rem}th,td{border:1px solid #ddd;padding:.25rem .4rem;text-align:left;vertical-align:top}th{background:#f3f3f3}.figures{display:flex;flex-wrap:wrap;gap:1rem}.figure{border:1px solid #ddd;padding:.6rem 1rem;min-width:9rem}.figure b{display:block;font-size:1.4rem}.must_not{color:#a00;font-weight:bold}.note{color:#555;font-size:.85rem}code{background:#f3f3f3;padding:0 .2rem}";

/// Renders the report. `findings` are rows laid out as `findings.csv` (see its header).
/// The flags set on at least one search, in the order of [`Flag::ALL`], with their counts.
pub fn flag_counts(summary: &Summary) -> Vec<(Flag, u64)> {
    Flag::ALL
        .iter()
        .filter_map(|&flag| {
            let searches = summary.by_flag.get(flag.name()).copied().unwrap_or(0);
            (searches > 0).then_some((flag, searches))
        })
        .collect()
}

/// Counterparty and purpose phrases of a vocabulary, by word; words it lacks are shown as they are.
#[derive(Clone, Debug, Default)]
pub struct Phrases {
    counterparties: std::collections::HashMap<String, String>,
    purposes: std::collections::HashMap<String, String>,
}

impl Phrases {
    /// The phrases of `vocabulary`.
    pub fn of(vocabulary: &remit_law::vocabulary::Vocabulary) -> Phrases {
        Phrases {
            counterparties: vocabulary
                .counterparties()
                .iter()
                .map(|c| (c.name.clone(), c.phrase.clone()))
                .collect(),
            purposes: vocabulary
                .purposes()
                .iter()
                .filter_map(|p| Some((p.name.clone(), p.phrase.clone()?)))
                .collect(),
        }
    }

    fn counterparty<'a>(&'a self, word: &'a str) -> &'a str {
        self.counterparties.get(word).map_or(word, String::as_str)
    }

    fn purpose<'a>(&'a self, word: &'a str) -> &'a str {
        self.purposes.get(word).map_or(word, String::as_str)
    }
}

/// The report as one HTML page: `summary`'s figures and charts, then `findings` (rows of
/// `findings.csv`'s 23 fields, the ones to show) out of `total_findings` in all.
pub fn render(
    summary: &Summary,
    findings: &[[String; 23]],
    total_findings: u64,
    phrases: &Phrases,
) -> String {
    let mut html = String::new();
    let owner = summary
        .owner
        .as_ref()
        .map_or_else(|| "unknown owner".to_string(), |o| o.name.clone());
    let _ = write!(
        html,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>Plate-reader search audit: {}</title><style>{STYLE}</style></head><body>",
        escape(&owner)
    );
    let _ = write!(
        html,
        "<h1>Plate-reader search audit: {}</h1>",
        escape(&owner)
    );
    let period = match (&summary.period.first, &summary.period.last) {
        (Some(a), Some(b)) => format!("{} to {}", &a[..10.min(a.len())], &b[..10.min(b.len())]),
        _ => "no searches".to_string(),
    };
    let files: Vec<String> = summary
        .files
        .iter()
        .map(|f| {
            let layout = f.layout.as_deref().unwrap_or("skipped");
            format!("<code>{}</code> ({})", escape(&f.path), escape(layout))
        })
        .collect();
    let _ = write!(
        html,
        "<p class=\"note\">Searches from {}; period {}. Corpus {}, classifier {}. Officer names and plates are {}.</p>",
        files.join(", "),
        escape(&period),
        escape(&summary.corpus_version),
        escape(&summary.classifier_version),
        if summary.redacted {
            "redacted"
        } else {
            "shown (--no-redact)"
        }
    );
    let count = |key: &str| summary.by_verdict.get(key).copied().unwrap_or(0);
    let forbidden = count("must_not") + count("conflict");
    html.push_str("<div class=\"figures\">");
    for (label, value) in [
        ("searches", summary.events),
        ("rejected rows", summary.rejected),
        ("findings", summary.findings),
        ("sharing the law forbids", forbidden),
        (
            "immigration reasons",
            summary.by_category.get("immigration").copied().unwrap_or(0),
        ),
        ("searchers", summary.searchers as u64),
    ] {
        let _ = write!(
            html,
            "<div class=\"figure\"><b>{}</b>{label}</div>",
            thousands(value)
        );
    }
    html.push_str("</div>");

    html.push_str("<h2>Searches per month</h2>");
    // A month the log covers only in part is drawn lighter and marked, so that its lower count
    // is not read as a drop in searching.
    let first = summary.period.first.as_deref().unwrap_or("");
    let last = summary.period.last.as_deref().unwrap_or("");
    let names: Vec<&str> = summary.by_month.keys().map(String::as_str).collect();
    let partial = chart::partial_months(&names, first, last);
    let months: Vec<Column> = summary
        .by_month
        .iter()
        .zip(&partial)
        .map(|((label, value), partial)| Column {
            label: label.clone(),
            value: *value,
            partial: *partial,
        })
        .collect();
    chart::column_chart(&mut html, "Searches per month", &months);
    if partial.contains(&true) {
        let _ = write!(
            html,
            "<p class=\"note\">* The log covers only part of this month (searches from {} to {}): a lower count there is not a drop in searching.</p>",
            escape(first.get(..10).unwrap_or(first)),
            escape(last.get(..10).unwrap_or(last))
        );
    }

    html.push_str("<h2>Top searchers</h2>");
    let top: Vec<(String, u64)> = summary
        .top_searchers
        .iter()
        .take(15)
        .map(|s| {
            let state = s.state.as_deref().unwrap_or("?");
            (format!("{} ({state})", s.name), s.searches)
        })
        .collect();
    html.push_str(&bars("Top searchers", &top));

    html.push_str("<h2>Reason categories</h2>");
    let mut categories: Vec<(String, u64)> = summary
        .by_category
        .iter()
        .filter(|(_, v)| **v > 0)
        .map(|(k, v)| ((*k).to_string(), *v))
        .collect();
    categories.sort_by_key(|c| std::cmp::Reverse(c.1));
    html.push_str(&bars("Reason categories", &categories));

    html.push_str("<h2>Searches by searcher state</h2>");
    let mut states: Vec<(String, u64)> = summary
        .by_searcher_state
        .iter()
        .map(|(k, v)| (k.clone(), *v))
        .collect();
    states.sort_by_key(|s| std::cmp::Reverse(s.1));
    states.truncate(30);
    html.push_str(&bars("Searches by searcher state", &states));

    html.push_str("<h2>What the law says about each kind of sharing</h2>");
    if summary.decisions.is_empty() {
        html.push_str("<p>No sharing question was asked: every search was the owner's own, or no searcher could be placed.</p>");
    } else {
        html.push_str("<table><tr><th>shared with</th><th>purpose</th><th>dates</th><th>verdict</th><th>searches</th><th>determining rules</th></tr>");
        for d in &summary.decisions {
            let rules: Vec<String> = d
                .determining
                .iter()
                .map(|r| {
                    let also = if r.also.is_empty() {
                        String::new()
                    } else {
                        format!(
                            "<br><span class=\"note\">also: {}</span>",
                            escape(&r.also.join("; "))
                        )
                    };
                    format!(
                        "<a href=\"{}\">{}</a> <span class=\"note\">({}, {})</span>{also}",
                        escape(&r.url),
                        escape(&r.citation),
                        escape(&r.id),
                        escape(&r.provenance)
                    )
                })
                .collect();
            let rules = if rules.is_empty() {
                d.error
                    .as_deref()
                    .map_or_else(|| "none: the corpus is silent".to_string(), escape)
            } else {
                rules.join("<br>")
            };
            let _ = write!(
                html,
                "<tr><td>{}</td><td>{}</td><td>{} to {}</td><td class=\"{}\">{}</td><td>{}</td><td>{}</td></tr>",
                escape(phrases.counterparty(&d.counterparty)),
                escape(phrases.purpose(&d.purpose)),
                escape(&d.from),
                escape(&d.until),
                d.verdict,
                d.verdict.replace('_', " "),
                thousands(d.searches),
                rules
            );
        }
        html.push_str("</table>");
    }

    html.push_str("<h2>What was flagged</h2>");
    let flagged = flag_counts(summary);
    if flagged.is_empty() {
        html.push_str("<p>No search was flagged.</p>");
    } else {
        html.push_str(
            "<table><tr><th>flag</th><th>searches</th><th>a finding</th><th>meaning</th></tr>",
        );
        for (flag, searches) in flagged {
            let _ = write!(
                html,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                flag.name().replace('_', " "),
                thousands(searches),
                if flag.makes_finding() { "yes" } else { "no" },
                escape(flag.meaning())
            );
        }
        html.push_str("</table>");
    }

    let _ = write!(
        html,
        "<h2>Findings</h2><p class=\"note\">{} findings; {} shown here, every one in <code>findings.csv</code> with its file and line.</p>",
        thousands(total_findings),
        findings.len()
    );
    if !findings.is_empty() {
        html.push_str("<table><tr><th>line</th><th>time (UTC)</th><th>searcher</th><th>state</th><th>reason</th><th>category</th><th>verdict</th><th>citations</th><th>flags</th></tr>");
        for row in findings {
            let _ = write!(
                html,
                "<tr><td>{}:{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"{}\">{}</td><td>{}</td><td>{}</td></tr>",
                escape(row[0].rsplit('/').next().unwrap_or_default()),
                escape(&row[1]),
                escape(&row[2]),
                escape(&row[3]),
                escape(&row[6]),
                escape(&row[9]),
                escape(&row[10]),
                escape(&row[20]),
                escape(&row[20].replace('_', " ")),
                escape(&row[21]),
                escape(&row[22].replace(';', ", ")),
            );
        }
        html.push_str("</table>");
    }
    let _ = write!(
        html,
        "<h2>About this report</h2><p class=\"note\">Made by Remit {}. Reasons are sorted by the word lists in <code>classifiers/reasons.toml</code>; the law questions are answered from the cited rules of the corpus. docs/methodology.md explains every category, flag and verdict. {}</p></body></html>",
        escape(summary.remit_version),
        escape(summary.disclaimer)
    );
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_are_svg_with_one_bar_per_value() {
        let svg = bars("t", &[("a".to_string(), 3), ("b<".to_string(), 1)]);
        assert!(svg.starts_with("<svg"));
        assert_eq!(svg.matches("<rect").count(), 2);
        assert!(svg.contains("b&lt;"));
    }
}
