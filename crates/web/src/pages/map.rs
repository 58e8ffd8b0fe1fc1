//! The 287(g) page's map: the tile grid of `svg.rs` with the territories added in a row of their
//! own, classes by quantiles of the states that have any (so that one large state does not turn
//! every other one pale), a legend giving each class's range, and the state being looked at
//! outlined.

use crate::html::{count, e, push};
use crate::svg::TILES;

/// The territories and where their tiles go: a row below the states.
const TERRITORIES: &[(&str, u8, u8)] = &[
    ("PR", 7, 8),
    ("VI", 8, 8),
    ("GU", 9, 8),
    ("MP", 10, 8),
    ("AS", 11, 8),
];

/// Sequential fill colours, light to dark, and the text colour that reads on each; the first is
/// for zero.
const SCALE: &[(&str, &str)] = &[
    ("#f1f3f4", "#333"),
    ("#c6dbef", "#1b1b1b"),
    ("#6baed6", "#1b1b1b"),
    ("#2171b5", "#fff"),
    ("#08306b", "#fff"),
];

/// One place on the map.
#[derive(Debug, Clone)]
pub struct Tile {
    pub code: &'static str,
    pub name: &'static str,
    pub value: u64,
    pub href: Option<String>,
}

/// The upper bound of each class above zero: quartiles of the non-zero values, without repeats
/// (few distinct values give fewer classes).
pub fn quantile_bounds(values: &[u64]) -> Vec<u64> {
    let mut nonzero: Vec<u64> = values.iter().copied().filter(|v| *v > 0).collect();
    nonzero.sort_unstable();
    let Some(&max) = nonzero.last() else {
        return Vec::new();
    };
    let mut bounds: Vec<u64> = (1..4)
        .map(|quarter| nonzero[(nonzero.len() * quarter).saturating_sub(1) / 4])
        .collect();
    bounds.push(max);
    bounds.dedup();
    bounds
}

/// The class of a value: 0 for zero, else the first class whose bound holds it.
fn class(value: u64, bounds: &[u64]) -> usize {
    if value == 0 {
        return 0;
    }
    let index = bounds
        .iter()
        .position(|b| value <= *b)
        .unwrap_or(bounds.len().saturating_sub(1));
    // Spread fewer classes over the darker colours, so that the top class is always darkest.
    let offset = SCALE.len() - 1 - bounds.len();
    index + 1 + offset
}

/// The map. `selected` is the code of the place being looked at, outlined.
pub fn tile_map(
    out: &mut String,
    title: &str,
    label: &str,
    tiles: &[Tile],
    selected: Option<&str>,
) {
    const SIZE: u32 = 46;
    const GAP: u32 = 4;
    let bounds = quantile_bounds(&tiles.iter().map(|t| t.value).collect::<Vec<_>>());
    let width = 12 * (SIZE + GAP);
    let height = 9 * (SIZE + GAP) + 40;
    push!(
        out,
        "<svg role=\"img\" aria-labelledby=\"map-title\" viewBox=\"0 0 {width} {height}\" width=\"100%\" style=\"max-width:{width}px\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"map-title\">{}</title>",
        e(title)
    );
    for (code, column, row) in TILES.iter().chain(TERRITORIES) {
        let Some(tile) = tiles.iter().find(|t| t.code == *code) else {
            continue;
        };
        let x = u32::from(*column) * (SIZE + GAP);
        let y = u32::from(*row) * (SIZE + GAP);
        let (fill, ink) = SCALE[class(tile.value, &bounds)];
        let (stroke, stroke_width) = if selected == Some(*code) {
            ("#f2a900", "4")
        } else {
            ("#888", "0.5")
        };
        if let Some(href) = &tile.href {
            push!(out, "<a href=\"{}\">", e(href));
        }
        push!(
            out,
            "<g><title>{}: {} {}</title><rect x=\"{x}\" y=\"{y}\" width=\"{SIZE}\" height=\"{SIZE}\" rx=\"3\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{stroke_width}\"/>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"700\" fill=\"{ink}\">{code}</text>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"12\" fill=\"{ink}\">{}</text></g>",
            e(tile.name),
            count(tile.value),
            e(label),
            x + SIZE / 2,
            y + 19,
            x + SIZE / 2,
            y + 36,
            count(tile.value)
        );
        if tile.href.is_some() {
            out.push_str("</a>");
        }
    }
    // Legend: zero, then each class with its range.
    let legend_y = 9 * (SIZE + GAP) + 8;
    let mut x = 0;
    let mut low = 1;
    let mut entries = vec![(SCALE[0].0, "0".to_string())];
    for bound in &bounds {
        let text = if low >= *bound {
            count(*bound)
        } else {
            format!("{}–{}", count(low), count(*bound))
        };
        entries.push((SCALE[class(*bound, &bounds)].0, text));
        low = bound + 1;
    }
    for (fill, text) in entries {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_are_quartiles_of_the_places_that_have_any() {
        // One large value does not push every other place into the palest class.
        let values = [0, 1, 1, 2, 2, 3, 4, 5, 6, 90];
        let bounds = quantile_bounds(&values);
        assert_eq!(bounds, vec![2, 3, 5, 90]);
        assert_eq!(class(0, &bounds), 0);
        assert_eq!(class(1, &bounds), 1);
        assert_eq!(class(3, &bounds), 2);
        assert_eq!(class(6, &bounds), 4);
        assert_eq!(class(90, &bounds), 4);
        // Few distinct values: fewer classes, the top one still darkest.
        let bounds = quantile_bounds(&[0, 7, 7, 7]);
        assert_eq!(bounds, vec![7]);
        assert_eq!(class(7, &bounds), 4);
        assert!(quantile_bounds(&[0, 0]).is_empty());
    }

    #[test]
    fn the_territories_are_drawn_and_the_selected_place_outlined() {
        let tiles: Vec<Tile> = ["TX", "PR", "GU"]
            .iter()
            .map(|code| Tile {
                code,
                name: code,
                value: 3,
                href: None,
            })
            .collect();
        let mut out = String::new();
        tile_map(&mut out, "t", "agreements", &tiles, Some("PR"));
        assert!(out.contains(">PR</text>") && out.contains(">GU</text>"));
        assert_eq!(out.matches("stroke=\"#f2a900\"").count(), 1);
    }
}
