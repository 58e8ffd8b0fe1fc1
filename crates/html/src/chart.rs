//! Charts drawn on the server as inline SVG: line charts, column charts (a time series as bars)
//! and horizontal bar charts (rankings).
//!
//! No script and no library: every chart is a few dozen elements, with a `<title>` for screen
//! readers; the pages that show one put the same numbers in a table beside it. Grid lines fall on
//! round values (1, 2 or 5 times a power of ten), text is never smaller than 12 px at the chart's
//! natural size, and a period the data covers only in part is marked, so that its lower count is
//! not read as a drop.

use std::fmt::Write as _;

use maud::{Markup, html};

use crate::count;

/// Distinct colours that stay apart for common colour blindness (Okabe-Ito), for lines and bars.
pub const SERIES: &[&str] = &[
    "#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000",
];

/// The lighter fill of a bar for a period the data covers only in part.
const PARTIAL_FILL: &str = "#9cc3e0";

/// The size of chart text, in pixels at the chart's natural size.
const TEXT: u32 = 12;

/// The distance between grid lines for values up to `highest`: 1, 2 or 5 times a power of ten,
/// giving at most five intervals (a highest value of 231 gives 50: 0, 50, 100, 150, 200, 250).
pub fn tick_step(highest: u64) -> u64 {
    let raw = highest.div_ceil(5).max(1);
    let mut power = 1u64;
    while power.saturating_mul(10) <= raw {
        power *= 10;
    }
    [1, 2, 5, 10]
        .iter()
        .map(|m| power.saturating_mul(*m))
        .find(|step| *step >= raw)
        .unwrap_or(power.saturating_mul(10))
}

/// The top of the value axis: the first round tick at or above `highest`, and the step.
fn axis(highest: u64) -> (u64, u64) {
    let step = tick_step(highest);
    (highest.div_ceil(step).max(1) * step, step)
}

/// Whether `year` is a leap year in the Gregorian calendar.
fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Whether `YYYY-MM-DD` (or a longer timestamp starting so) is the last day of its month.
fn is_month_end(day: &str) -> bool {
    let (Some(year), Some(month), Some(date)) = (
        day.get(..4).and_then(|y| y.parse::<i32>().ok()),
        day.get(5..7).and_then(|m| m.parse::<u8>().ok()),
        day.get(8..10).and_then(|d| d.parse::<u8>().ok()),
    ) else {
        return false;
    };
    let last = match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    date == last
}

/// Which of a record's months (`YYYY-MM`, in order) it covers only in part: the first when the
/// record starts after the month's first day, the last when it ends before the month's last day.
/// `first` and `last` are the record's first and last days (or timestamps starting with one).
pub fn partial_months(months: &[&str], first: &str, last: &str) -> Vec<bool> {
    let count = months.len();
    months
        .iter()
        .enumerate()
        .map(|(index, month)| {
            let starts_late = index == 0
                && first.get(..7) == Some(*month)
                && first.get(8..10).is_some_and(|d| d != "01");
            let ends_early =
                index + 1 == count && last.get(..7) == Some(*month) && !is_month_end(last);
            starts_late || ends_early
        })
        .collect()
}

/// A number written with one decimal (`56.0`), as chart coordinates are.
#[derive(Debug, Clone, Copy)]
struct Tenths(f64);

impl std::fmt::Display for Tenths {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:.1}", self.0)
    }
}

/// One line of a [`line`] chart.
#[derive(Debug, Clone)]
pub struct Series {
    /// What the line counts, for the legend and the tooltips.
    pub name: String,
    /// One value per label.
    pub values: Vec<u64>,
}

/// A line chart over labelled points (dates), with a legend under it.
pub fn line(title: &str, labels: &[String], series: &[Series]) -> Markup {
    const WIDTH: f64 = 720.0;
    const HEIGHT: f64 = 260.0;
    const LEFT: f64 = 56.0;
    const RIGHT: f64 = 12.0;
    const TOP: f64 = 12.0;
    const BOTTOM: f64 = 40.0;
    let legend = 22.0 * series.len() as f64;
    let highest = series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .max()
        .unwrap_or(0);
    let (max, step) = axis(highest);
    let plot_width = WIDTH - LEFT - RIGHT;
    let plot_height = HEIGHT - TOP - BOTTOM;
    let x_of = |index: usize| {
        if labels.len() <= 1 {
            LEFT + plot_width / 2.0
        } else {
            LEFT + plot_width * index as f64 / (labels.len() - 1) as f64
        }
    };
    let y_of = |value: u64| TOP + plot_height * (1.0 - value as f64 / max as f64);
    // At most eight x labels, evenly spaced, first and last included; the first and last keep
    // inside the chart.
    let every = labels.len().div_ceil(8).max(1);
    let shown = labels
        .iter()
        .enumerate()
        .filter(|(index, _)| index % every == 0 || index + 1 == labels.len());
    let anchor = |index: usize| {
        if labels.len() > 1 && index == 0 {
            "start"
        } else if labels.len() > 1 && index + 1 == labels.len() {
            "end"
        } else {
            "middle"
        }
    };
    let points = |values: &[u64]| {
        let mut points = String::new();
        for (index, value) in values.iter().enumerate() {
            if index > 0 {
                points.push(' ');
            }
            let _ = write!(points, "{:.1},{:.1}", x_of(index), y_of(*value));
        }
        points
    };
    svg(
        title,
        WIDTH,
        HEIGHT + legend,
        html! {
            (grid(max, step, LEFT, WIDTH - RIGHT, &y_of))
            @for (index, label) in shown {
                text x=(Tenths(x_of(index))) y=(HEIGHT - BOTTOM + 17.0) font-size=(TEXT) text-anchor=(anchor(index)) { (label) }
            }
            @for (number, line) in series.iter().enumerate() {
                @let colour = SERIES[number % SERIES.len()];
                polyline fill="none" stroke=(colour) stroke-width="2.5" points=(points(&line.values)) {
                    title { (line.name) }
                }
                @for (index, value) in line.values.iter().enumerate() {
                    circle cx=(Tenths(x_of(index))) cy=(Tenths(y_of(*value))) r="3" fill=(colour) {
                        title { (line.name) ", " (labels.get(index).map_or("", String::as_str)) ": " (count(*value)) }
                    }
                }
                @let y = HEIGHT + 22.0 * number as f64;
                rect x=(LEFT) y=(Tenths(y - 4.0)) width="14" height="4" fill=(colour) {}
                text x=(LEFT + 20.0) y=(Tenths(y + 1.0)) font-size=(TEXT) { (line.name) }
            }
        },
    )
}

/// One column of a [`columns`] chart.
#[derive(Debug, Clone)]
pub struct Column {
    /// The period (`2025-03`).
    pub label: String,
    /// Its count.
    pub value: u64,
    /// Whether the data covers the period only in part: the column is drawn lighter and its
    /// label carries a `*`.
    pub partial: bool,
}

/// A time series as vertical columns, one per period, with round grid values.
pub fn columns(title: &str, columns: &[Column]) -> Markup {
    const WIDTH: f64 = 720.0;
    const HEIGHT: f64 = 240.0;
    const LEFT: f64 = 56.0;
    const RIGHT: f64 = 12.0;
    const TOP: f64 = 12.0;
    const BOTTOM: f64 = 40.0;
    let highest = columns.iter().map(|c| c.value).max().unwrap_or(0);
    let (max, step) = axis(highest);
    let plot_width = WIDTH - LEFT - RIGHT;
    let plot_height = HEIGHT - TOP - BOTTOM;
    let y_of = |value: u64| TOP + plot_height * (1.0 - value as f64 / max as f64);
    let slot = plot_width / columns.len().max(1) as f64;
    // Labels at most every 80 px, so that `2025-03*` never overlaps its neighbour.
    let every = (80.0 / slot).ceil().max(1.0) as usize;
    svg(
        title,
        WIDTH,
        HEIGHT,
        html! {
            (grid(max, step, LEFT, WIDTH - RIGHT, &y_of))
            @for (index, column) in columns.iter().enumerate() {
                @let x = LEFT + slot * index as f64;
                @let top = y_of(column.value);
                rect x=(Tenths(x + slot * 0.1)) y=(Tenths(top)) width=(Tenths((slot * 0.8).max(1.0))) height=(Tenths(TOP + plot_height - top)) fill=(if column.partial { PARTIAL_FILL } else { SERIES[0] }) {
                    title {
                        (column.label) ": " (count(column.value))
                        @if column.partial { " (part of the period only)" }
                    }
                }
                @if index % every == 0 {
                    text x=(Tenths(x + slot / 2.0)) y=(Tenths(HEIGHT - BOTTOM + 17.0)) font-size=(TEXT) text-anchor="middle" {
                        (column.label)
                        @if column.partial { "*" }
                    }
                }
            }
        },
    )
}

/// One bar of a [`bars`] chart.
#[derive(Debug, Clone)]
pub struct Bar {
    /// What the bar counts, in plain words.
    pub label: String,
    /// Its count.
    pub value: u64,
    /// Where the bar links (the list filtered to it), if anywhere.
    pub href: Option<String>,
}

/// Horizontal bars in the order given (largest first, as a ranking), each with its value.
pub fn bars(title: &str, bars: &[Bar]) -> Markup {
    const WIDTH: f64 = 720.0;
    const LABEL: f64 = 250.0;
    const ROW: f64 = 22.0;
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1);
    let height = ROW * bars.len() as f64 + 4.0;
    let bar = |index: usize, bar: &Bar| {
        let y = ROW * index as f64;
        let width = (WIDTH - LABEL - 70.0) * bar.value as f64 / max as f64;
        let short: Option<String> = (bar.label.chars().count() > 38)
            .then(|| bar.label.chars().take(37).chain(['…']).collect());
        html! {
            g {
                title { (bar.label) ": " (count(bar.value)) }
                text x=(LABEL - 6.0) y=(Tenths(y + 15.0)) font-size=(TEXT) text-anchor="end" { (short.as_deref().unwrap_or(&bar.label)) }
                rect x=(LABEL) y=(Tenths(y + 3.0)) width=(Tenths(width)) height=(ROW - 6.0) fill=(SERIES[0]) {}
                text x=(Tenths(LABEL + width + 6.0)) y=(Tenths(y + 15.0)) font-size=(TEXT) { (count(bar.value)) }
            }
        }
    };
    svg(
        title,
        WIDTH,
        height,
        html! {
            @for (index, item) in bars.iter().enumerate() {
                @match &item.href {
                    Some(href) => a href=(href) { (bar(index, item)) },
                    None => (bar(index, item)),
                }
            }
        },
    )
}

/// [`columns`], appended to a page written into a string.
pub fn column_chart(out: &mut String, title: &str, items: &[Column]) {
    out.push_str(&columns(title, items).0);
}

/// [`bars`], appended to a page written into a string.
pub fn bar_chart(out: &mut String, title: &str, items: &[Bar]) {
    out.push_str(&bars(title, items).0);
}

/// A chart's `<svg>` element: its natural size as `width` and `height` (a page's stylesheet may
/// scale it), and its title for screen readers. SVG elements are closed explicitly
/// (`<rect></rect>`): in an HTML page an unclosed one would hold everything after it.
fn svg(title: &str, width: f64, height: f64, content: Markup) -> Markup {
    html! {
        svg role="img" aria-label=(title) viewBox={ "0 0 " (width) " " (height) } width=(width) height=(height) xmlns="http://www.w3.org/2000/svg" {
            title { (title) }
            (content)
        }
    }
}

/// Grid lines with their values, from 0 to `max` every `step`.
fn grid(max: u64, step: u64, left: f64, right: f64, y_of: &dyn Fn(u64) -> f64) -> Markup {
    let step = usize::try_from(step).unwrap_or(usize::MAX);
    html! {
        @for value in (0..=max).step_by(step) {
            @let y = y_of(value);
            line x1=(left) y1=(Tenths(y)) x2=(right) y2=(Tenths(y)) stroke="#ddd" {}
            text x=(left - 6.0) y=(Tenths(y + 4.0)) font-size=(TEXT) text-anchor="end" { (count(value)) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_lines_fall_on_round_values() {
        for (highest, step) in [
            (0, 1),
            (1, 1),
            (3, 1),
            (7, 2),
            (231, 50),
            (200, 50),
            (1_000, 200),
            (1_001, 500),
            (77_000, 20_000),
        ] {
            let got = tick_step(highest);
            assert_eq!(got, step, "highest {highest}");
            let (top, _) = axis(highest);
            assert!(
                top >= highest && top / got <= 5,
                "highest {highest}: {top} / {got}"
            );
        }
        let mut out = String::new();
        out.push_str(
            &line(
                "t",
                &["a".to_string(), "b".to_string()],
                &[Series {
                    name: "n".to_string(),
                    values: vec![0, 231],
                }],
            )
            .0,
        );
        for label in [">0<", ">50<", ">150<", ">250<"] {
            assert!(out.contains(label), "{label} in {out}");
        }
        assert!(!out.contains(">231<") && !out.contains(">77<"));
        out.clear();
        out.push_str(
            &columns(
                "m",
                &[Column {
                    label: "2025-01".into(),
                    value: 231,
                    partial: false,
                }],
            )
            .0,
        );
        assert!(out.contains(">250<") && !out.contains(">231<"), "{out}");
    }

    #[test]
    fn no_chart_text_is_smaller_than_twelve_pixels() {
        let mut out = String::new();
        out.push_str(
            &line(
                "t",
                &["2025-01-01".into(), "2025-02-01".into()],
                &[Series {
                    name: "n".into(),
                    values: vec![3, 4],
                }],
            )
            .0,
        );
        out.push_str(
            &columns(
                "c",
                &[Column {
                    label: "2025-01".into(),
                    value: 3,
                    partial: true,
                }],
            )
            .0,
        );
        out.push_str(
            &bars(
                "b",
                &[Bar {
                    label: "x".into(),
                    value: 3,
                    href: None,
                }],
            )
            .0,
        );
        let sizes: Vec<u32> = out
            .split("font-size=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next()?.parse().ok())
            .collect();
        assert!(sizes.len() > 8, "{out}");
        assert!(sizes.iter().all(|size| *size >= 12), "{sizes:?}");
    }

    #[test]
    fn partial_months_are_the_first_and_last_the_record_covers_in_part() {
        let months = ["2025-01", "2025-02", "2025-03"];
        assert_eq!(
            partial_months(&months, "2025-01-01T00:00:00Z", "2025-03-09T12:00:00Z"),
            [false, false, true]
        );
        assert_eq!(
            partial_months(&months, "2025-01-15", "2025-03-31"),
            [true, false, false]
        );
        assert_eq!(
            partial_months(&["2024-02"], "2024-02-01", "2024-02-29"),
            [false]
        );
        assert_eq!(
            partial_months(&["2023-02"], "2023-02-01", "2023-02-28"),
            [false]
        );
        assert_eq!(
            partial_months(&["2024-02"], "2024-02-01", "2024-02-28"),
            [true]
        );
        // A partial column is drawn lighter, and its label says so.
        let mut out = String::new();
        out.push_str(
            &columns(
                "m",
                &[
                    Column {
                        label: "2025-02".into(),
                        value: 4_000,
                        partial: false,
                    },
                    Column {
                        label: "2025-03".into(),
                        value: 2_000,
                        partial: true,
                    },
                ],
            )
            .0,
        );
        assert!(out.contains(">2025-03*<"), "{out}");
        assert!(out.contains(&format!(
            "fill=\"{PARTIAL_FILL}\"><title>2025-03: 2,000 (part"
        )));
    }

    #[test]
    fn charts_escape_their_labels() {
        let mut out = String::new();
        out.push_str(
            &bars(
                "a <b>",
                &[Bar {
                    label: "<x>".into(),
                    value: 3,
                    href: Some("/a?b=1&c=<".into()),
                }],
            )
            .0,
        );
        assert!(!out.contains("<x>") && !out.contains("<b>"));
        assert!(out.contains("&lt;x&gt;") && out.contains("href=\"/a?b=1&amp;c=&lt;\""));
        out.clear();
        out.push_str(
            &line(
                "t",
                &["2025-01-01".into()],
                &[Series {
                    name: "<s>".into(),
                    values: vec![1],
                }],
            )
            .0,
        );
        assert!(!out.contains("<s>"));
    }
}
