//! Charts drawn on the server as inline SVG: the line, column and bar charts of remit-html (the
//! one chart module of the workspace, shared with the audit's HTML report) and a US tile-grid map.
//!
//! No script and no library: every chart is a few dozen elements, with a `<title>` for screen
//! readers and, on the pages, the same numbers in a table beside it. The map is a
//! tile grid (one equal square per state, placed roughly where the state lies), which shows every
//! state at the same size instead of letting Alaska and Texas dominate; it is not geography.

pub use remit_html::chart::{Bar, SERIES, Series, bars, line, partial_months};

use maud::{Markup, html};

use crate::html::count;

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

/// The tile-grid map as markup (a maud template, so that every name and label in it is
/// escaped). SVG elements are closed explicitly (`<rect></rect>`): in an HTML page an unclosed
/// one would hold everything after it.
pub fn tile_grid(title: &str, label: &str, values: &[MapValue]) -> Markup {
    const SIZE: u32 = 46;
    const GAP: u32 = 4;
    let max = values.iter().map(|v| v.value).max().unwrap_or(0);
    let width = 12 * (SIZE + GAP);
    let height = 8 * (SIZE + GAP) + 40;
    let tiles: Vec<(&MapValue, u32, u32)> = TILES
        .iter()
        .filter_map(|(state, column, row)| {
            let value = values.iter().find(|v| v.state == *state)?;
            Some((
                value,
                u32::from(*column) * (SIZE + GAP),
                u32::from(*row) * (SIZE + GAP),
            ))
        })
        .collect();
    // The legend: the five classes with their ranges.
    let legend_y = 8 * (SIZE + GAP) + 8;
    let classes: Vec<(&str, String)> = SCALE
        .iter()
        .enumerate()
        .filter_map(|(index, (fill, _))| {
            let text = match index {
                0 => "0".to_string(),
                _ if max == 0 => return None,
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
            Some((*fill, text))
        })
        .collect();
    let tile = |value: &MapValue, x: u32, y: u32| {
        let (fill, ink) = SCALE[bucket(value.value, max)];
        html! {
            g {
                title { (value.name) ": " (count(value.value)) " " (label) }
                rect x=(x) y=(y) width=(SIZE) height=(SIZE) rx="3" fill=(fill) stroke="#888" stroke-width="0.5" {}
                text x=(x + SIZE / 2) y=(y + 19) text-anchor="middle" font-size="13" font-weight="700" fill=(ink) { (value.state) }
                text x=(x + SIZE / 2) y=(y + 36) text-anchor="middle" font-size="12" fill=(ink) { (count(value.value)) }
            }
        }
    };
    html! {
        svg role="img" aria-labelledby="map-title" viewBox={ "0 0 " (width) " " (height) } width=(width) height=(height) xmlns="http://www.w3.org/2000/svg" {
            title #map-title { (title) }
            @for (value, x, y) in &tiles {
                @match &value.href {
                    Some(href) => a href=(href) { (tile(value, *x, *y)) },
                    None => (tile(value, *x, *y)),
                }
            }
            @for (index, (fill, text)) in classes.iter().enumerate() {
                @let x = index as u32 * 110;
                rect x=(x) y=(legend_y) width="16" height="16" fill=(fill) stroke="#888" stroke-width="0.5" {}
                text x=(x + 20) y=(legend_y + 13) font-size="12" { (text) }
            }
        }
    }
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
}
