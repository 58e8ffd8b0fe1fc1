//! The self-contained HTML report: summary figures, SVG charts drawn here on the server side,
//! the law questions asked with their citations, and a table of findings. No script, no
//! external stylesheet, font or image: the file can be mailed, archived and opened offline.

use std::fmt::Write as _;

use crate::aggregate::Summary;
use crate::event::Flag;

/// Text escaped for HTML element content and quoted attribute values: the one escaper of the
/// workspace (the dashboard's pages use it too, through `remit_web::html`).
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

/// Escapes text for HTML.
pub fn escape(text: &str) -> String {
    Escape(text).to_string()
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// A vertical bar chart (one bar per label), for time series.
pub fn column_chart(title: &str, points: &[(String, u64)]) -> String {
    let width = 760.0_f64;
    let height = 220.0_f64;
    let left = 56.0;
    let bottom = 40.0;
    let top = 16.0;
    let max = points.iter().map(|p| p.1).max().unwrap_or(0).max(1) as f64;
    let plot_width = width - left - 8.0;
    let plot_height = height - bottom - top;
    let step = plot_width / points.len().max(1) as f64;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg role="img" aria-label="{}" viewBox="0 0 {width} {height}" width="100%" xmlns="http://www.w3.org/2000/svg"><title>{}</title>"#,
        escape(title),
        escape(title)
    );
    for tick in 0..=4 {
        let value = max * f64::from(tick) / 4.0;
        let y = top + plot_height - plot_height * f64::from(tick) / 4.0;
        let _ = write!(
            svg,
            r##"<line x1="{left}" x2="{}" y1="{y:.1}" y2="{y:.1}" stroke="#ddd"/><text x="{}" y="{:.1}" font-size="10" text-anchor="end" fill="#555">{}</text>"##,
            width - 8.0,
            left - 4.0,
            y + 3.0,
            thousands(value.round() as u64)
        );
    }
    let label_every = (points.len() / 12).max(1);
    for (i, (label, value)) in points.iter().enumerate() {
        let bar = plot_height * (*value as f64) / max;
        let x = left + step * i as f64;
        let _ = write!(
            svg,
            r##"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{bar:.1}" fill="#3b6ea5"><title>{}: {}</title></rect>"##,
            x + step * 0.1,
            top + plot_height - bar,
            (step * 0.8).max(1.0),
            escape(label),
            thousands(*value)
        );
        if i % label_every == 0 {
            let _ = write!(
                svg,
                r##"<text x="{:.1}" y="{:.1}" font-size="10" text-anchor="middle" fill="#333">{}</text>"##,
                x + step / 2.0,
                height - bottom + 14.0,
                escape(label)
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

/// A horizontal bar chart, for rankings.
pub fn bar_chart(title: &str, rows: &[(String, u64)]) -> String {
    let row_height = 20.0_f64;
    let label_width = 260.0;
    let width = 760.0_f64;
    let height = row_height * rows.len().max(1) as f64 + 8.0;
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1) as f64;
    let bar_space = width - label_width - 80.0;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg role="img" aria-label="{}" viewBox="0 0 {width} {height}" width="100%" xmlns="http://www.w3.org/2000/svg"><title>{}</title>"#,
        escape(title),
        escape(title)
    );
    for (i, (label, value)) in rows.iter().enumerate() {
        let y = 4.0 + row_height * i as f64;
        let bar = bar_space * (*value as f64) / max;
        let shown: String = label.chars().take(40).collect();
        let _ = write!(
            svg,
            r##"<text x="{:.1}" y="{:.1}" font-size="11" text-anchor="end" fill="#222">{}</text><rect x="{label_width}" y="{:.1}" width="{bar:.1}" height="{:.1}" fill="#3b6ea5"><title>{}: {}</title></rect><text x="{:.1}" y="{:.1}" font-size="11" fill="#222">{}</text>"##,
            label_width - 6.0,
            y + 13.0,
            escape(&shown),
            y + 2.0,
            row_height - 5.0,
            escape(label),
            thousands(*value),
            label_width + bar + 4.0,
            y + 13.0,
            thousands(*value)
        );
    }
    svg.push_str("</svg>");
    svg
}

const STYLE: &str = "body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;color:#222;line-height:1.45}h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ccc}table{border-collapse:collapse;width:100%;font-size:.85rem}th,td{border:1px solid #ddd;padding:.25rem .4rem;text-align:left;vertical-align:top}th{background:#f3f3f3}.figures{display:flex;flex-wrap:wrap;gap:1rem}.figure{border:1px solid #ddd;padding:.6rem 1rem;min-width:9rem}.figure b{display:block;font-size:1.4rem}.must_not{color:#a00;font-weight:bold}.note{color:#555;font-size:.85rem}code{background:#f3f3f3;padding:0 .2rem}";

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
    let months: Vec<(String, u64)> = summary
        .by_month
        .iter()
        .map(|(k, v)| (k.clone(), *v))
        .collect();
    html.push_str(&column_chart("Searches per month", &months));

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
    html.push_str(&bar_chart("Top searchers", &top));

    html.push_str("<h2>Reason categories</h2>");
    let mut categories: Vec<(String, u64)> = summary
        .by_category
        .iter()
        .filter(|(_, v)| **v > 0)
        .map(|(k, v)| ((*k).to_string(), *v))
        .collect();
    categories.sort_by_key(|c| std::cmp::Reverse(c.1));
    html.push_str(&bar_chart("Reason categories", &categories));

    html.push_str("<h2>Searches by searcher state</h2>");
    let mut states: Vec<(String, u64)> = summary
        .by_searcher_state
        .iter()
        .map(|(k, v)| (k.clone(), *v))
        .collect();
    states.sort_by_key(|s| std::cmp::Reverse(s.1));
    states.truncate(30);
    html.push_str(&bar_chart("Searches by searcher state", &states));

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
    fn escapes_markup() {
        assert_eq!(
            escape("<a href='x'>&\"</a>"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;"
        );
    }

    #[test]
    fn charts_are_svg_with_one_shape_per_value() {
        let svg = bar_chart("t", &[("a".to_string(), 3), ("b<".to_string(), 1)]);
        assert!(svg.starts_with("<svg"));
        assert_eq!(svg.matches("<rect").count(), 2);
        assert!(svg.contains("b&lt;"));
        let svg = column_chart(
            "m",
            &[("2025-01".to_string(), 10), ("2025-02".to_string(), 0)],
        );
        assert_eq!(svg.matches("<rect").count(), 2);
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
