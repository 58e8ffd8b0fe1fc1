//! Charts drawn on the server as inline SVG: a US tile-grid map, line charts and bar charts.
//!
//! No script and no library: every chart is a few dozen elements written here, with a `<title>`
//! for screen readers and, on the pages, the same numbers in a table beside it. The map is a
//! tile grid (one equal square per state, placed roughly where the state lies), which shows every
//! state at the same size instead of letting Alaska and Texas dominate; it is not geography.

use crate::html::{count, e, push};

/// Column and row of each state's tile, 12 columns by 8 rows.
pub const TILES: &[(&str, u8, u8)] = &[
    ("AK", 0, 0),
    ("ME", 11, 0),
    ("VT", 10, 1),
    ("NH", 11, 1),
    ("WA", 1, 2),
    ("ID", 2, 2),
    ("MT", 3, 2),
    ("ND", 4, 2),
    ("MN", 5, 2),
    ("IL", 6, 2),
    ("WI", 7, 2),
    ("MI", 8, 2),
    ("NY", 9, 2),
    ("RI", 10, 2),
    ("MA", 11, 2),
    ("OR", 1, 3),
    ("NV", 2, 3),
    ("WY", 3, 3),
    ("SD", 4, 3),
    ("IA", 5, 3),
    ("IN", 6, 3),
    ("OH", 7, 3),
    ("PA", 8, 3),
    ("NJ", 9, 3),
    ("CT", 10, 3),
    ("CA", 1, 4),
    ("UT", 2, 4),
    ("CO", 3, 4),
    ("NE", 4, 4),
    ("MO", 5, 4),
    ("KY", 6, 4),
    ("WV", 7, 4),
    ("VA", 8, 4),
    ("MD", 9, 4),
    ("DE", 10, 4),
    ("AZ", 2, 5),
    ("NM", 3, 5),
    ("KS", 4, 5),
    ("AR", 5, 5),
    ("TN", 6, 5),
    ("NC", 7, 5),
    ("SC", 8, 5),
    ("DC", 9, 5),
    ("OK", 4, 6),
    ("LA", 5, 6),
    ("MS", 6, 6),
    ("AL", 7, 6),
    ("GA", 8, 6),
    ("HI", 0, 7),
    ("TX", 4, 7),
    ("FL", 9, 7),
];

/// Sequential fill colours, light to dark, and the text colour that reads on each.
const SCALE: &[(&str, &str)] = &[
    ("#f1f3f4", "#333"),
    ("#c6dbef", "#1b1b1b"),
    ("#6baed6", "#1b1b1b"),
    ("#2171b5", "#fff"),
    ("#08306b", "#fff"),
];

/// Distinct line colours that stay apart for common colour blindness (Okabe-Ito).
pub const SERIES: &[&str] = &[
    "#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000",
];

/// The class of a value: 0 for zero, else 1..=4 by quarters of the maximum.
fn bucket(value: u64, max: u64) -> usize {
    if value == 0 || max == 0 {
        return 0;
    }
    let quarter = (value * 4).div_ceil(max);
    usize::try_from(quarter.clamp(1, 4)).unwrap_or(4)
}

/// One state on the map.
#[derive(Debug, Clone)]
pub struct MapValue {
    pub state: &'static str,
    pub name: &'static str,
    pub value: u64,
    /// Where the tile links.
    pub href: Option<String>,
}

/// The tile-grid map. `label` names the quantity (`agreements`).
pub fn tile_map(out: &mut String, title: &str, label: &str, values: &[MapValue]) {
    const SIZE: u32 = 46;
    const GAP: u32 = 4;
    let max = values.iter().map(|v| v.value).max().unwrap_or(0);
    let width = 12 * (SIZE + GAP);
    let height = 8 * (SIZE + GAP) + 40;
    push!(
        out,
        "<svg role=\"img\" aria-labelledby=\"map-title\" viewBox=\"0 0 {width} {height}\" width=\"100%\" style=\"max-width:{width}px\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"map-title\">{}</title>",
        e(title)
    );
    for (state, column, row) in TILES {
        let Some(value) = values.iter().find(|v| v.state == *state) else {
            continue;
        };
        let x = u32::from(*column) * (SIZE + GAP);
        let y = u32::from(*row) * (SIZE + GAP);
        let (fill, ink) = SCALE[bucket(value.value, max)];
        if let Some(href) = &value.href {
            push!(out, "<a href=\"{}\">", e(href));
        }
        push!(
            out,
            "<g><title>{}: {} {}</title><rect x=\"{x}\" y=\"{y}\" width=\"{SIZE}\" height=\"{SIZE}\" rx=\"3\" fill=\"{fill}\" stroke=\"#888\" stroke-width=\"0.5\"/>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"700\" fill=\"{ink}\">{state}</text>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"12\" fill=\"{ink}\">{}</text></g>",
            e(value.name),
            count(value.value),
            e(label),
            x + SIZE / 2,
            y + 19,
            x + SIZE / 2,
            y + 36,
            count(value.value)
        );
        if value.href.is_some() {
            out.push_str("</a>");
        }
    }
    // Legend: the five classes with their ranges.
    let legend_y = 8 * (SIZE + GAP) + 8;
    let mut x = 0;
    for (index, (fill, _)) in SCALE.iter().enumerate() {
        let text = match index {
            0 => "0".to_string(),
            _ if max == 0 => continue,
            _ => {
                let low = (max * (index as u64 - 1)) / 4 + 1;
                let high = (max * index as u64) / 4;
                if low >= high {
                    count(high)
                } else {
                    format!("{}–{}", count(low), count(high))
                }
            }
        };
        push!(
            out,
            "<rect x=\"{x}\" y=\"{legend_y}\" width=\"16\" height=\"16\" fill=\"{fill}\" stroke=\"#888\" stroke-width=\"0.5\"/><text x=\"{}\" y=\"{}\" font-size=\"12\">{}</text>",
            x + 20,
            legend_y + 13,
            e(&text)
        );
        x += 110;
    }
    out.push_str("</svg>");
}

/// One line of a line chart.
#[derive(Debug, Clone)]
pub struct Series {
    pub name: String,
    pub values: Vec<u64>,
}

/// A line chart over labelled points (dates), with a legend.
pub fn line_chart(out: &mut String, title: &str, labels: &[String], series: &[Series]) {
    const WIDTH: f64 = 720.0;
    const HEIGHT: f64 = 260.0;
    const LEFT: f64 = 52.0;
    const RIGHT: f64 = 12.0;
    const TOP: f64 = 12.0;
    const BOTTOM: f64 = 40.0;
    let legend = 22.0 * series.len() as f64;
    let highest = series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .max()
        .unwrap_or(0);
    let step = tick_step(highest);
    // The axis ends on the first round tick at or above the highest value.
    let max = highest.div_ceil(step).max(1) * step;
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
    push!(
        out,
        "<svg role=\"img\" aria-label=\"{}\" viewBox=\"0 0 {WIDTH} {}\" width=\"100%\" style=\"max-width:{WIDTH}px\" xmlns=\"http://www.w3.org/2000/svg\"><title>{}</title>",
        e(title),
        HEIGHT + legend,
        e(title)
    );
    // Grid lines on round values (1, 2 or 5 times a power of ten), about four of them.
    for value in (0..=max).step_by(usize::try_from(step).unwrap_or(usize::MAX)) {
        let y = y_of(value);
        push!(
            out,
            "<line x1=\"{LEFT}\" y1=\"{y:.1}\" x2=\"{}\" y2=\"{y:.1}\" stroke=\"#ddd\"/><text x=\"{}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"end\">{}</text>",
            WIDTH - RIGHT,
            LEFT - 6.0,
            y + 4.0,
            count(value)
        );
    }
    // At most eight x labels, evenly spaced, first and last included.
    let every = labels.len().div_ceil(8).max(1);
    for (index, label) in labels.iter().enumerate() {
        if index % every != 0 && index + 1 != labels.len() {
            continue;
        }
        // The first and last labels keep inside the chart.
        let anchor = if labels.len() > 1 && index == 0 {
            "start"
        } else if labels.len() > 1 && index + 1 == labels.len() {
            "end"
        } else {
            "middle"
        };
        push!(
            out,
            "<text x=\"{:.1}\" y=\"{}\" font-size=\"11\" text-anchor=\"{anchor}\">{}</text>",
            x_of(index),
            HEIGHT - BOTTOM + 16.0,
            e(label)
        );
    }
    for (number, line) in series.iter().enumerate() {
        let colour = SERIES[number % SERIES.len()];
        let points: Vec<String> = line
            .values
            .iter()
            .enumerate()
            .map(|(i, v)| format!("{:.1},{:.1}", x_of(i), y_of(*v)))
            .collect();
        push!(
            out,
            "<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2.5\" points=\"{}\"><title>{}</title></polyline>",
            points.join(" "),
            e(&line.name)
        );
        for (i, v) in line.values.iter().enumerate() {
            push!(
                out,
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\" fill=\"{colour}\"><title>{}, {}: {}</title></circle>",
                x_of(i),
                y_of(*v),
                e(&line.name),
                e(labels.get(i).map_or("", String::as_str)),
                count(*v)
            );
        }
        let y = HEIGHT + 22.0 * number as f64;
        push!(
            out,
            "<rect x=\"{LEFT}\" y=\"{:.1}\" width=\"14\" height=\"4\" fill=\"{colour}\"/><text x=\"{}\" y=\"{:.1}\" font-size=\"12\">{}</text>",
            y - 4.0,
            LEFT + 20.0,
            y + 1.0,
            e(&line.name)
        );
    }
    out.push_str("</svg>");
}

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

/// One bar of a bar chart.
#[derive(Debug, Clone)]
pub struct Bar {
    pub label: String,
    pub value: u64,
    pub href: Option<String>,
}

/// Horizontal bars, largest first as given, with their values.
pub fn bar_chart(out: &mut String, title: &str, bars: &[Bar]) {
    const WIDTH: f64 = 720.0;
    const LABEL: f64 = 250.0;
    const ROW: f64 = 22.0;
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1);
    let height = ROW * bars.len() as f64 + 4.0;
    push!(
        out,
        "<svg role=\"img\" aria-label=\"{}\" viewBox=\"0 0 {WIDTH} {height}\" width=\"100%\" style=\"max-width:{WIDTH}px\" xmlns=\"http://www.w3.org/2000/svg\"><title>{}</title>",
        e(title),
        e(title)
    );
    for (index, bar) in bars.iter().enumerate() {
        let y = ROW * index as f64;
        let width = (WIDTH - LABEL - 70.0) * bar.value as f64 / max as f64;
        let label: String = if bar.label.chars().count() > 38 {
            let short: String = bar.label.chars().take(37).collect();
            format!("{short}…")
        } else {
            bar.label.clone()
        };
        if let Some(href) = &bar.href {
            push!(out, "<a href=\"{}\">", e(href));
        }
        push!(
            out,
            "<g><title>{}: {}</title><text x=\"{}\" y=\"{:.1}\" font-size=\"12\" text-anchor=\"end\">{}</text><rect x=\"{LABEL}\" y=\"{:.1}\" width=\"{width:.1}\" height=\"{}\" fill=\"{}\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\">{}</text></g>",
            e(&bar.label),
            count(bar.value),
            LABEL - 6.0,
            y + 15.0,
            e(&label),
            y + 3.0,
            ROW - 6.0,
            SERIES[0],
            LABEL + width + 6.0,
            y + 15.0,
            count(bar.value)
        );
        if bar.href.is_some() {
            out.push_str("</a>");
        }
    }
    out.push_str("</svg>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_and_dc_has_one_tile_in_its_own_place() {
        assert_eq!(TILES.len(), 51);
        for (index, (state, column, row)) in TILES.iter().enumerate() {
            assert!(*column < 12 && *row < 8, "{state}");
            for (other, c, r) in &TILES[index + 1..] {
                assert_ne!(state, other);
                assert!((column, row) != (c, r), "{state} and {other} share a tile");
            }
        }
    }

    #[test]
    fn buckets_split_the_range_in_quarters() {
        assert_eq!(bucket(0, 100), 0);
        assert_eq!(bucket(1, 100), 1);
        assert_eq!(bucket(25, 100), 1);
        assert_eq!(bucket(26, 100), 2);
        assert_eq!(bucket(100, 100), 4);
        assert_eq!(bucket(5, 0), 0);
    }

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
            let top = highest.div_ceil(got).max(1) * got;
            assert!(
                top >= highest && top / got <= 5,
                "highest {highest}: {top} / {got}"
            );
        }
        let mut out = String::new();
        line_chart(
            &mut out,
            "t",
            &["a".to_string(), "b".to_string()],
            &[Series {
                name: "n".to_string(),
                values: vec![0, 231],
            }],
        );
        for label in [">0<", ">50<", ">150<", ">250<"] {
            assert!(out.contains(label), "{label} in {out}");
        }
        assert!(!out.contains(">231<") && !out.contains(">77<"));
    }

    #[test]
    fn charts_escape_their_labels() {
        let mut out = String::new();
        bar_chart(
            &mut out,
            "a <b>",
            &[Bar {
                label: "<x>".into(),
                value: 3,
                href: None,
            }],
        );
        assert!(!out.contains("<x>"));
        assert!(out.contains("&lt;x&gt;"));
        out.clear();
        line_chart(
            &mut out,
            "t",
            &["2025-01-01".into()],
            &[Series {
                name: "<s>".into(),
                values: vec![1],
            }],
        );
        assert!(!out.contains("<s>"));
    }
}
