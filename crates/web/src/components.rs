//! The parts the record pages are built from, as maud templates (escaping by default): a table
//! that sorts and filters through links and forms (no script; page it with `parts::pager`), a
//! facet list, a chart box, a map box with its colour key, the verdict badge for a verdict read
//! from the store, and a citation. The law pages' parts (the verdict of an answer, the
//! "Technical details" disclosure, the pager) are in `parts`.
//!
//! Every page body is one `maud::html!` block that calls these; what differs between pages is
//! their data, not their markup, so the phone layout, the tap targets and the plain words are
//! right once for every page. A component takes what it shows and the addresses its links go to;
//! it never reads the request itself.

use maud::{Markup, html};

use crate::i18n::{Common, count};

/// A column of a [`table`].
#[derive(Debug, Clone, Copy)]
pub struct Column<'a> {
    /// The heading, in plain words.
    pub heading: &'a str,
    /// The `sort` value that orders the table by this column, if it can.
    pub sort: Option<&'a str>,
    /// Whether the column holds numbers (right-aligned, tabular figures).
    pub numeric: bool,
}

impl<'a> Column<'a> {
    /// A column of text that does not sort the table.
    pub const fn text(heading: &'a str) -> Column<'a> {
        Column {
            heading,
            sort: None,
            numeric: false,
        }
    }

    /// A column of numbers that does not sort the table.
    pub const fn number(heading: &'a str) -> Column<'a> {
        Column {
            heading,
            sort: None,
            numeric: true,
        }
    }

    /// The same column, sorting the table by `key` when its heading is followed.
    pub const fn sorts_by(self, key: &'a str) -> Column<'a> {
        Column {
            sort: Some(key),
            ..self
        }
    }
}

/// How a [`table`] is sorted now and where its headings link.
pub struct Sorting<'a> {
    /// The `sort` value in force.
    pub current: &'a str,
    /// Whether the order in force runs from the largest or latest (for `aria-sort`).
    pub descending: bool,
    /// The address of the table sorted by a key (from the first row).
    pub url: &'a dyn Fn(&str) -> String,
}

impl std::fmt::Debug for Sorting<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sorting")
            .field("current", &self.current)
            .field("descending", &self.descending)
            .finish_non_exhaustive()
    }
}

/// A table in a box that scrolls sideways on a narrow screen. `rows` is the `<tr>` elements;
/// with `sorting`, the headings of the columns that sort are links (the one in force is marked
/// with `aria-sort` and an arrow). Put the verdict, where there is one, in the first column, so
/// that a phone shows it first.
pub fn table(columns: &[Column<'_>], sorting: Option<&Sorting<'_>>, rows: Markup) -> Markup {
    html! {
        div.scroll {
            table {
                thead {
                    tr {
                        @for column in columns {
                            @let class = if column.numeric { Some("n") } else { None };
                            @match (column.sort, sorting) {
                                (Some(key), Some(sorting)) if key == sorting.current => {
                                    th scope="col" class=[class]
                                        aria-sort=(if sorting.descending { "descending" } else { "ascending" }) {
                                        (column.heading) " "
                                        span aria-hidden="true" { (if sorting.descending { "▾" } else { "▴" }) }
                                    }
                                }
                                (Some(key), Some(sorting)) => {
                                    th scope="col" class=[class] {
                                        a href=((sorting.url)(key)) { (column.heading) }
                                    }
                                }
                                _ => th scope="col" class=[class] { (column.heading) },
                            }
                        }
                    }
                }
                tbody { (rows) }
            }
        }
    }
}

/// A field of a [`filter_form`].
#[derive(Debug, Clone, Copy)]
pub struct Field<'a> {
    /// The query parameter.
    pub name: &'a str,
    /// Its label, in plain words.
    pub label: &'a str,
    /// The value in force (empty for none).
    pub value: &'a str,
    /// A short field (a state code) instead of a search box.
    pub short: bool,
}

/// The form that filters a list by text: its fields, the parameters to keep as they are
/// (`hidden`: the sort in force, a date) and a "Filter" button. `action` may end in a fragment
/// (`/287g#agreements`) to come back to the list.
pub fn filter_form(action: &str, fields: &[Field<'_>], hidden: &[(&str, &str)]) -> Markup {
    html! {
        form.search.filter action=(action) method="get" {
            @for field in fields {
                @let id = format!("filter-{}", field.name);
                label for=(id) { (field.label) } " "
                @if field.short {
                    input id=(id) type="text" name=(field.name) size="3" value=(field.value);
                } @else {
                    input id=(id) type="search" name=(field.name) value=(field.value);
                }
                " "
            }
            @for (name, value) in hidden {
                input type="hidden" name=(name) value=(value);
            }
            button type="submit" { (Common::current().filter) }
        }
    }
}

/// One value of a [`facet_list`].
#[derive(Debug, Clone)]
pub struct Facet {
    /// The value in plain words.
    pub label: String,
    /// How many rows have it.
    pub count: u64,
    /// The list filtered to it; `None` where the list has no address (an upload's report).
    pub href: Option<String>,
    /// Whether the list is filtered to it now.
    pub selected: bool,
}

/// The values of one facet (`By state`) with their counts, each a link to the list filtered to
/// it; nothing at all when the facet has no values, so that no empty heading is shown.
pub fn facet_list(heading: &str, facets: &[Facet]) -> Markup {
    if facets.is_empty() {
        return html! {};
    }
    html! {
        div.facet {
            h3 { (heading) }
            ul {
                @for facet in facets {
                    li {
                        @match (&facet.href, facet.selected) {
                            (_, true) => strong aria-current="true" { (facet.label) },
                            (Some(href), false) => a href=(href) { (facet.label) },
                            (None, false) => (facet.label),
                        }
                        " " span.n { (count(facet.count)) }
                    }
                }
            }
        }
    }
}

/// Facet lists side by side (they wrap under each other on a phone).
pub fn facets(lists: Markup) -> Markup {
    html! { div.facets { (lists) } }
}

/// A chart (server-drawn SVG) in a box of its own, which scrolls sideways on a narrow screen so
/// that its text keeps a readable size, with an optional note under it (what a `*` marks).
pub fn chart(svg: Markup, note: Option<&str>) -> Markup {
    html! {
        figure.chart-box {
            div.chart { (svg) }
            @if let Some(note) = note {
                figcaption.note { (note) }
            }
        }
    }
}

/// A map (server-drawn SVG) with its colour key under it; the key is HTML so that it stays
/// readable when the map is drawn small.
pub fn map(svg: Markup, key: Markup) -> Markup {
    html! {
        figure.map-box {
            (svg)
            (key)
        }
    }
}

/// One class of a map's colour key.
#[derive(Debug, Clone)]
pub struct KeyClass {
    /// The class's shade, 0 (none) to 4 (darkest), as the map draws it.
    pub shade: usize,
    /// The range it covers with what is counted, in plain words (`3–7 agreements`).
    pub label: String,
}

/// A map's colour key: one swatch per class with its range; `counted` names the quantity for
/// screen readers (`agreements`).
pub fn map_key(counted: &str, classes: &[KeyClass]) -> Markup {
    html! {
        ul.legend aria-label={ (counted) " " (Common::current().colour_key) } {
            @for class in classes {
                li {
                    span class={ "swatch shade-" (class.shade.min(4)) } aria-hidden="true" {}
                    " " (class.label)
                }
            }
        }
    }
}

/// A verdict as a badge: the words first, colour as a second cue only. `verdict` is the
/// vocabulary's word (`must_not`, which picks the colour), `words` what the reader sees.
pub fn verdict_badge(verdict: &str, words: &str) -> Markup {
    let class = match verdict {
        "must_not" | "must" | "may" | "conflict" | "no_rule" | "depends" => verdict,
        _ => "none",
    };
    html! { span class={ "verdict v-" (class) } { (words) } }
}

/// A citation: the source's own words (`Cal. Gov. Code § 7284.6(a)(1)(B)`) linked to the source
/// where the address is a web address, and to the rule's page on this site when given.
pub fn citation(citation: &str, source_url: Option<&str>, rule_page: Option<&str>) -> Markup {
    html! {
        span.citation {
            @match source_url.filter(|url| crate::html::is_web_url(url)) {
                Some(url) => a href=(url) rel="noreferrer" lang=[crate::parts::english_data()] { (citation) },
                None => (crate::parts::english(citation)),
            }
            @if let Some(page) = rule_page {
                " (" a href=(page) { (Common::current().the_rule) } ")"
            }
        }
    }
}

/// A number with thousands separators, in a table cell aligned to the right.
pub fn number_cell(value: u64) -> Markup {
    html! { td.n { (count(value)) } }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_link_the_headings_that_sort_and_mark_the_one_in_force() {
        let url = |key: &str| format!("/x?sort={key}&q=a<b");
        let sorting = Sorting {
            current: "name",
            descending: false,
            url: &url,
        };
        let out = table(
            &[
                Column::text("Name").sorts_by("name"),
                Column::number("Count").sorts_by("count"),
                Column::text("Note"),
            ],
            Some(&sorting),
            html! { tr { td { "<script>" } } },
        )
        .into_string();
        assert!(out.contains("aria-sort=\"ascending\">Name"), "{out}");
        assert!(
            out.contains("<a href=\"/x?sort=count&amp;q=a&lt;b\">Count</a>"),
            "{out}"
        );
        assert!(out.contains("<th scope=\"col\">Note</th>"), "{out}");
        assert!(out.contains("&lt;script&gt;") && !out.contains("<script>"));
    }

    #[test]
    fn facet_lists_without_values_show_no_heading() {
        assert_eq!(facet_list("By state", &[]).into_string(), "");
        let out = facet_list(
            "By state",
            &[
                Facet {
                    label: "Texas".into(),
                    count: 1_234,
                    href: Some("/a?state=TX".into()),
                    selected: false,
                },
                Facet {
                    label: "Ohio".into(),
                    count: 2,
                    href: Some("/a?state=OH".into()),
                    selected: true,
                },
            ],
        )
        .into_string();
        assert!(out.contains("<a href=\"/a?state=TX\">Texas</a> <span class=\"n\">1,234</span>"));
        assert!(out.contains("<strong aria-current=\"true\">Ohio</strong>"));
    }

    #[test]
    fn badges_and_citations_escape_and_refuse_script_addresses() {
        assert_eq!(
            verdict_badge("must_not", "must not").into_string(),
            "<span class=\"verdict v-must_not\">must not</span>"
        );
        assert!(verdict_badge("\"><x", "a").into_string().contains("v-none"));
        let out = citation("A & B", Some("javascript:alert(1)"), None).into_string();
        assert!(!out.contains("href") && out.contains("A &amp; B"), "{out}");
        let out = citation(
            "§ 1",
            Some("https://law.example/?a=1&b=2"),
            Some("/rules/x"),
        )
        .into_string();
        assert!(
            out.contains("href=\"https://law.example/?a=1&amp;b=2\""),
            "{out}"
        );
        assert!(out.contains("<a href=\"/rules/x\">the rule</a>"), "{out}");
    }

    #[test]
    fn filter_forms_keep_the_values_and_hidden_parameters() {
        let out = filter_form(
            "/287g#agreements",
            &[Field {
                name: "q",
                label: "Agency or county",
                value: "\"Cobb\"",
                short: false,
            }],
            &[("sort", "agency")],
        )
        .into_string();
        assert!(out.contains("value=\"&quot;Cobb&quot;\""), "{out}");
        assert!(out.contains("<input type=\"hidden\" name=\"sort\" value=\"agency\">"));
        assert!(out.contains("action=\"/287g#agreements\""));
    }
}
