//! The geographic maps of the 287(g) and coverage pages: states and counties with their real
//! shapes (from `crate::geo`), shaded by classes that are quartiles of the places that have any
//! (so that one large place does not turn every other one pale), each place a link with a
//! tooltip, the state being looked at outlined, and a key giving each class's range in HTML; the
//! pages write the same numbers in a table beside each map.

use crate::components::{KeyClass, map_key};
use crate::geo::{Place, UsMap};
use crate::i18n::count;
use maud::{Markup, Render, html};

/// Sequential fill colours, light to dark, and the text colour that reads on each; the first is
/// for zero.
const SCALE: &[(&str, &str)] = &[
    ("#f1f3f4", "#333"),
    ("#c6dbef", "#1b1b1b"),
    ("#6baed6", "#1b1b1b"),
    ("#2171b5", "#fff"),
    ("#08306b", "#fff"),
];

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
pub(crate) fn class(value: u64, bounds: &[u64]) -> usize {
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

/// One place on a geographic map, by FIPS code.
#[derive(Debug, Clone)]
pub struct Shade {
    pub fips: String,
    pub value: u64,
    /// What a pointer over the place shows (`Harris, TX: 3 agreements`).
    pub label: String,
    pub href: Option<String>,
}

/// What a geographic map shows.
#[derive(Debug)]
pub struct MapView<'a> {
    /// The map's title (`<title>`) and its longer description (`<desc>`).
    pub title: &'a str,
    pub description: &'a str,
    /// Counties (true) or states.
    pub counties: bool,
    /// Only this state (FIPS), zoomed to fill the map.
    pub focus: Option<&'a str>,
    /// A state (FIPS) outlined.
    pub selected: Option<&'a str>,
    /// An id for the map's elements, unique on the page.
    pub id: &'a str,
}

/// The class bounds of a map's values, to pass to [`key`].
pub fn shade_bounds(shades: &[Shade]) -> Vec<u64> {
    quantile_bounds(&shades.iter().map(|s| s.value).collect::<Vec<_>>())
}

/// Path data written straight into the page by a function: only letters, digits, spaces and
/// minus signs, so nothing in it needs escaping, and the largest part of a map is never copied.
struct PathData<F>(F);

impl<F: Fn(&mut String)> Render for PathData<F> {
    fn render_to(&self, buffer: &mut String) {
        (self.0)(buffer);
    }
}

/// One place's outline as path data, at `step` (see [`Place::write_path_scaled`]).
fn place_path(place: &Place, step: i32) -> PathData<impl Fn(&mut String) + '_> {
    PathData(move |out: &mut String| place.write_path_scaled(out, step))
}

/// A geographic choropleth of states or counties. Places without a [`Shade`] (or with zero) are
/// drawn with the zero colour and no link. The legend is written by [`key`], in HTML, so that
/// it stays readable however small the map is drawn. SVG elements are closed explicitly
/// (`<path></path>`): in an HTML page an unclosed one would hold everything after it.
///
/// The national county map stays small enough to send with the page: the states are drawn as
/// the background, at half-pixel precision, and only the counties that have any value are drawn
/// over them. A state's county map draws every county of the state at full precision.
pub fn geo_map(map: &UsMap, view: &MapView<'_>, shades: &[Shade]) -> Markup {
    let bounds = shade_bounds(shades);
    let by_fips: std::collections::HashMap<&str, &Shade> = shades
        .iter()
        .filter(|s| s.value > 0 || !view.counties)
        .map(|s| (s.fips.as_str(), s))
        .collect();
    let focus = view.focus.and_then(|state| map.state(state));
    // Half a pixel on the national map; the full precision on a state's.
    let step = if focus.is_some() { 1 } else { 5 };
    let (x0, y0, x1, y1) = match focus {
        Some(state) => {
            // The state's counties may reach past its own simplified outline (the Keys).
            let [x0, y0, x1, y1] = map.counties_of(&state.fips).fold(state.bounds, |b, c| {
                [
                    b[0].min(c.bounds[0]),
                    b[1].min(c.bounds[1]),
                    b[2].max(c.bounds[2]),
                    b[3].max(c.bounds[3]),
                ]
            });
            let pad = ((x1 - x0).max(y1 - y0) / 40).max(4);
            (x0 - pad, y0 - pad, x1 + pad, y1 + pad)
        }
        None => (0, 0, map.width, map.height),
    };
    let (width, height) = (x1 - x0, y1 - y0);
    // Drawn at most 720 pixels wide, and never taller than 560 (a tall state keeps its shape).
    let max_width = (i64::from(width) * 560 / i64::from(height.max(1))).clamp(240, 720);
    let max_height = max_width * i64::from(height) / i64::from(width.max(1));
    let zero = SCALE[0].0;
    // The national map is drawn at a fifth of the precision and scaled back up.
    let scale = (step != 1).then(|| format!("scale({step})"));
    let path = |place| place_path(place, step);
    // What lies under the places drawn one by one: the states (national county map), or the
    // focused state's counties that have nothing, as one path.
    let ground = PathData(|out: &mut String| match focus {
        None => {
            for state in &map.states {
                state.write_path_scaled(out, step);
            }
        }
        Some(state) => {
            for county in map.counties_of(&state.fips) {
                if !by_fips.contains_key(county.fips.as_str()) {
                    county.write_path_scaled(out, step);
                }
            }
        }
    });
    // State borders over the counties (the focused state's alone when zoomed).
    let borders = PathData(|out: &mut String| match focus {
        Some(state) => state.write_path_scaled(out, step),
        None => {
            for state in &map.states {
                state.write_path_scaled(out, step);
            }
        }
    });
    let layer: Vec<&Place> = match (view.counties, focus) {
        (true, Some(state)) => map.counties_of(&state.fips).collect(),
        (true, None) => map.counties.iter().collect(),
        (false, Some(state)) => vec![state],
        (false, None) => map.states.iter().collect(),
    };
    let selected = view.selected.and_then(|s| map.state(s));
    html! {
        svg.geo id=(view.id) role="img" aria-labelledby={ (view.id) "-title " (view.id) "-desc" } viewBox={ (x0) " " (y0) " " (width) " " (height) } width=(max_width) height=(max_height) xmlns="http://www.w3.org/2000/svg" {
            title id={ (view.id) "-title" } { (view.title) }
            desc id={ (view.id) "-desc" } { (view.description) }
            @if view.counties {
                g fill=(zero) stroke="#fff" stroke-width="0.6" fill-rule="evenodd" transform=[scale.as_deref()] {
                    path d=(ground) {}
                }
            }
            g stroke="#fff" stroke-width="0.6" stroke-linejoin="round" fill-rule="evenodd" transform=[scale.as_deref()] {
                @for place in layer {
                    @match by_fips.get(place.fips.as_str()) {
                        None => {
                            @if !view.counties {
                                path data-fips=(place.fips) fill=(zero) d=(path(place)) {}
                            }
                        }
                        Some(shade) => {
                            @let fill = SCALE[class(shade.value, &bounds)].0;
                            @if let Some(href) = &shade.href {
                                a href=(href) {
                                    path data-fips=(place.fips) data-value=(shade.value) fill=(fill) d=(path(place)) {
                                        title { (shade.label) }
                                    }
                                }
                            } @else {
                                path data-fips=(place.fips) data-value=(shade.value) fill=(fill) d=(path(place)) {
                                    title { (shade.label) }
                                }
                            }
                        }
                    }
                }
            }
            // Neither the borders nor the selected state's outline takes the pointer from the
            // places below.
            @if view.counties {
                g fill="none" stroke="#666" stroke-width="0.8" pointer-events="none" transform=[scale.as_deref()] {
                    path d=(borders) {}
                }
            }
            @if let Some(state) = selected {
                g fill="none" stroke="#f2a900" stroke-width="3" pointer-events="none" transform=[scale.as_deref()] {
                    path d=(path(state)) {}
                }
            }
        }
    }
}

/// The key of a map's classes, as an HTML list: a swatch and the range of each class. `label`
/// is the quantity, singular and plural (`("agreement", "agreements")`).
pub fn key(bounds: &[u64], label: (&str, &str)) -> maud::Markup {
    key_with(bounds, label, &|value| count(value))
}

/// The key of a map whose values are hundredths (a rate such as 3.25 per million is shaded as
/// 325): each range written with two decimals.
pub fn key_of_hundredths(bounds: &[u64], label: (&str, &str)) -> maud::Markup {
    // The decimal point as the language writes it (`3.25` / `3,25`).
    let point = crate::i18n::pick(".", ",");
    key_with(bounds, label, &|value| {
        format!("{}{point}{:02}", count(value / 100), value % 100)
    })
}

/// The key of a map's classes, each bound written by `format`.
fn key_with(bounds: &[u64], label: (&str, &str), format: &dyn Fn(u64) -> String) -> maud::Markup {
    let mut classes = vec![KeyClass {
        shade: 0,
        label: "0".to_string(),
    }];
    let mut low = 1;
    for bound in bounds {
        let text = if low >= *bound {
            format(*bound)
        } else {
            format!("{}–{}", format(low), format(*bound))
        };
        classes.push(KeyClass {
            shade: class(*bound, bounds),
            label: text,
        });
        low = bound + 1;
    }
    // The words after each range: "1 agreement", "2–5 agreements".
    let classes: Vec<KeyClass> = classes
        .into_iter()
        .map(|class| KeyClass {
            label: format!(
                "{} {}",
                class.label,
                if class.label == "1" { label.0 } else { label.1 }
            ),
            ..class
        })
        .collect();
    map_key(label.1, &classes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_map_is_well_formed_svg() {
        let map = crate::geo::us_map().unwrap();
        let shades: Vec<Shade> = map
            .counties
            .iter()
            .step_by(7)
            .enumerate()
            .map(|(index, county)| Shade {
                fips: county.fips.clone(),
                value: index as u64 % 9,
                label: format!("{} & <co>: {index}", county.name),
                href: Some(format!("/287g?county={}&x=\"1\"", county.fips)),
            })
            .collect();
        for (counties, focus, selected) in [
            (true, None, None),
            (true, Some("48"), None),
            (true, Some("02"), None),
            (false, None, Some("12")),
            (false, Some("15"), None),
        ] {
            let view = MapView {
                title: "A <title> & more",
                description: "d \"quoted\"",
                counties,
                focus,
                selected,
                id: "m",
            };
            let out = geo_map(map, &view, &shades).into_string();
            assert!(
                out.starts_with("<svg ") && out.contains("xmlns=\"http://www.w3.org/2000/svg\"")
            );
            if let Err(problem) = crate::geo::well_formed(&out) {
                panic!("{counties} {focus:?}: {problem}");
            }
        }
        let out = key(&[1, 4, 9], ("agreement", "agreements")).into_string();
        crate::geo::well_formed(&out).unwrap();
        // The checker itself finds what is wrong.
        assert!(crate::geo::well_formed("<svg><g></svg>").is_err());
        assert!(crate::geo::well_formed("<svg a=\"1\">x & y</svg>").is_err());
        assert!(crate::geo::well_formed("<svg a=1></svg>").is_err());
        assert!(crate::geo::well_formed("<svg><path d=\"M0 0\"/></svg>").is_ok());
    }

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
    fn a_geographic_map_shades_links_and_titles_its_places() {
        let map = crate::geo::us_map().unwrap();
        let shades = vec![
            Shade {
                fips: "48201".into(),
                value: 7,
                label: "Harris, TX: 7 agreements".into(),
                href: Some("/287g?county=48201&a=<b>".into()),
            },
            Shade {
                fips: "48113".into(),
                value: 1,
                label: "Dallas, TX: 1 agreements".into(),
                href: None,
            },
        ];
        let view = MapView {
            title: "Agreements <per> county",
            description: "d",
            counties: true,
            focus: Some("48"),
            selected: None,
            id: "m",
        };
        let out = geo_map(map, &view, &shades).into_string();
        // Texas's counties only: the two with agreements one by one, shaded, titled and one
        // linked; the others together as the ground, one subpath per ring.
        assert_eq!(out.matches("<path data-fips=").count(), 2);
        let others: usize = map
            .counties_of("48")
            .filter(|c| c.fips != "48201" && c.fips != "48113")
            .map(crate::geo::Place::rings)
            .sum();
        let ground = out
            .split("<path d=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        assert_eq!(ground.matches('M').count(), others);
        assert!(!out.contains("data-fips=\"06037\""));
        assert!(out.contains("<a href=\"/287g?county=48201&amp;a=&lt;b&gt;\"><path data-fips=\"48201\" data-value=\"7\" fill=\"#08306b\" d=\"M"), "{out}");
        assert!(out.contains("<title>Harris, TX: 7 agreements</title>"));
        // Two distinct values: two classes, on the darker colours.
        assert!(
            out.contains("data-fips=\"48113\" data-value=\"1\" fill=\"#2171b5\""),
            "{out}"
        );
        assert!(out.contains("Agreements &lt;per&gt; county"));
        // The view box is Texas's, not the country's.
        let texas = map.state("48").unwrap().bounds;
        assert!(!out.contains(&format!("viewBox=\"0 0 {} {}\"", map.width, map.height)));
        assert!(out.contains(&format!(
            "viewBox=\"{} ",
            texas[0] - (texas[2] - texas[0]).max(texas[3] - texas[1]) / 40
        )));
        let keys = key(&shade_bounds(&shades), ("agreement", "agreements")).into_string();
        assert!(
            keys.contains("0 agreements") && keys.contains("7 agreements"),
            "{keys}"
        );
        assert!(keys.contains(" 1 agreement</li>"), "{keys}");
    }
}
