//! The US map's shapes: every state and county (with the territories, and Alaska and Hawaii in
//! insets), read from the compact copy of the Census boundaries in `assets/us-map.txt`, and a
//! lookup of counties by the names agency lists give them.
//!
//! The copy is built by `tools/geo/simplify.py` from `../shared/data/geo`: projected, rounded to
//! tenths of a pixel and simplified so that neighbouring counties keep one shared border. Each
//! place is a line `S fips name` or `C fips name`, followed by one `R` line per ring: the first
//! point, then the step to each next point. The map is read once, on first use.

use std::collections::HashMap;
// Writing to a `String` cannot fail: the results of `write!` below are dropped.
use std::fmt::Write as _;
use std::sync::OnceLock;

/// The compact map, built into the binary.
const MAP: &str = include_str!("../assets/us-map.txt");

/// Each state's and territory's two-letter code and Census FIPS code.
pub const STATE_FIPS: &[(&str, &str)] = &[
    ("AL", "01"),
    ("AK", "02"),
    ("AZ", "04"),
    ("AR", "05"),
    ("CA", "06"),
    ("CO", "08"),
    ("CT", "09"),
    ("DE", "10"),
    ("DC", "11"),
    ("FL", "12"),
    ("GA", "13"),
    ("HI", "15"),
    ("ID", "16"),
    ("IL", "17"),
    ("IN", "18"),
    ("IA", "19"),
    ("KS", "20"),
    ("KY", "21"),
    ("LA", "22"),
    ("ME", "23"),
    ("MD", "24"),
    ("MA", "25"),
    ("MI", "26"),
    ("MN", "27"),
    ("MS", "28"),
    ("MO", "29"),
    ("MT", "30"),
    ("NE", "31"),
    ("NV", "32"),
    ("NH", "33"),
    ("NJ", "34"),
    ("NM", "35"),
    ("NY", "36"),
    ("NC", "37"),
    ("ND", "38"),
    ("OH", "39"),
    ("OK", "40"),
    ("OR", "41"),
    ("PA", "42"),
    ("RI", "44"),
    ("SC", "45"),
    ("SD", "46"),
    ("TN", "47"),
    ("TX", "48"),
    ("UT", "49"),
    ("VT", "50"),
    ("VA", "51"),
    ("WA", "53"),
    ("WV", "54"),
    ("WI", "55"),
    ("WY", "56"),
    ("AS", "60"),
    ("GU", "66"),
    ("MP", "69"),
    ("PR", "72"),
    ("VI", "78"),
];

/// The FIPS code of a state's two-letter code.
pub fn state_fips(code: &str) -> Option<&'static str> {
    STATE_FIPS
        .iter()
        .find(|(c, _)| c.eq_ignore_ascii_case(code))
        .map(|(_, f)| *f)
}

/// The two-letter code of a state's FIPS code.
pub fn state_code(fips: &str) -> Option<&'static str> {
    STATE_FIPS.iter().find(|(_, f)| *f == fips).map(|(c, _)| *c)
}

/// A state or county: its FIPS code, name and rings.
#[derive(Debug, Clone)]
pub struct Place {
    pub fips: String,
    pub name: String,
    /// Each ring as written in the file: the first point, then steps.
    rings: Vec<Vec<i32>>,
    /// Smallest x and y, largest x and y.
    pub bounds: [i32; 4],
}

impl Place {
    /// The place's outline as SVG path data in the map's units (one subpath per ring, drawn
    /// even-odd so that holes stay holes).
    pub fn write_path(&self, out: &mut String) {
        for ring in &self.rings {
            let mut numbers = ring.iter();
            let (Some(x), Some(y)) = (numbers.next(), numbers.next()) else {
                continue;
            };
            let _ = write!(out, "M{x} {y}l");
            let mut first = true;
            for number in numbers {
                if !first && *number >= 0 {
                    out.push(' ');
                }
                let _ = write!(out, "{number}");
                first = false;
            }
            out.push('z');
        }
    }

    /// As [`Place::write_path`], in units of `step` map units (a coarser map, drawn inside a
    /// `scale(step)`): points that round onto the one before are left out.
    pub fn write_path_scaled(&self, out: &mut String, step: i32) {
        if step <= 1 {
            self.write_path(out);
            return;
        }
        let round = |value: i32| (value + step / 2).div_euclid(step);
        for ring in &self.rings {
            let mut points = ring.chunks_exact(2);
            let Some(first) = points.next() else {
                continue;
            };
            let (mut x, mut y) = (first[0], first[1]);
            let (mut last_x, mut last_y) = (round(x), round(y));
            let _ = write!(out, "M{last_x} {last_y}l");
            let mut written = 0;
            for pair in points {
                x += pair[0];
                y += pair[1];
                let (next_x, next_y) = (round(x), round(y));
                if (next_x, next_y) == (last_x, last_y) {
                    continue;
                }
                let (dx, dy) = (next_x - last_x, next_y - last_y);
                if written > 0 && dx >= 0 {
                    out.push(' ');
                }
                let _ = write!(out, "{dx}");
                if dy >= 0 {
                    out.push(' ');
                }
                let _ = write!(out, "{dy}");
                written += 1;
                (last_x, last_y) = (next_x, next_y);
            }
            if written == 0 {
                // A ring smaller than a step: a dot of one step, so that it still shows.
                out.push_str("1 0");
            }
            out.push('z');
        }
    }

    /// How many rings the place has.
    #[cfg(test)]
    pub fn rings(&self) -> usize {
        self.rings.len()
    }

    /// The two-digit FIPS code of the state the place lies in.
    pub fn state_fips(&self) -> &str {
        self.fips.get(..2).unwrap_or("")
    }
}

/// The whole map.
#[derive(Debug)]
pub struct UsMap {
    /// The map's size, in its units (tenths of a pixel).
    pub width: i32,
    pub height: i32,
    pub states: Vec<Place>,
    pub counties: Vec<Place>,
    /// `(state FIPS, name key)` to the counties of that name (indexes into `counties`).
    names: HashMap<(String, String), Vec<usize>>,
}

/// A line of the map that cannot be read.
#[derive(Debug, Clone, thiserror::Error)]
#[error("the map `assets/us-map.txt`, line {line}: {message}")]
pub struct GeoError {
    pub line: usize,
    pub message: String,
}

/// The map built into the binary, read on first use.
pub fn us_map() -> Result<&'static UsMap, &'static GeoError> {
    static MAP_ONCE: OnceLock<Result<UsMap, GeoError>> = OnceLock::new();
    MAP_ONCE.get_or_init(|| parse(MAP)).as_ref()
}

/// Reads a map in the format above.
pub fn parse(text: &str) -> Result<UsMap, GeoError> {
    let mut width = None;
    let mut height = 0;
    let mut states: Vec<Place> = Vec::new();
    let mut counties: Vec<Place> = Vec::new();
    // Which list the rings being read belong to: true for counties.
    let mut current: Option<bool> = None;
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        let error = |message: String| GeoError {
            line: number,
            message,
        };
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (tag, rest) = line.split_once(' ').unwrap_or((line, ""));
        match tag {
            "W" => {
                let mut parts = rest.split(' ').map(str::parse::<i32>);
                match (parts.next(), parts.next()) {
                    (Some(Ok(w)), Some(Ok(h))) if w > 0 && h > 0 => {
                        width = Some(w);
                        height = h;
                    }
                    _ => {
                        return Err(error(format!(
                            "`W` needs a width and a height, not `{rest}`"
                        )));
                    }
                }
            }
            "S" | "C" => {
                let (fips, name) = rest.split_once(' ').unwrap_or((rest, ""));
                let digits = if tag == "S" { 2 } else { 5 };
                if fips.len() != digits || !fips.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(error(format!("`{fips}` is not a {digits}-digit FIPS code")));
                }
                if name.is_empty() {
                    return Err(error(format!("place `{fips}` has no name")));
                }
                let place = Place {
                    fips: fips.to_string(),
                    name: name.to_string(),
                    rings: Vec::new(),
                    bounds: [i32::MAX, i32::MAX, i32::MIN, i32::MIN],
                };
                if tag == "S" {
                    states.push(place);
                    current = Some(false);
                } else {
                    counties.push(place);
                    current = Some(true);
                }
            }
            "R" => {
                let place = match current {
                    Some(true) => counties.last_mut(),
                    Some(false) => states.last_mut(),
                    None => None,
                }
                .ok_or_else(|| error("a ring before any place".to_string()))?;
                let numbers = rest
                    .split(' ')
                    .map(|n| n.parse::<i32>())
                    .collect::<Result<Vec<i32>, _>>()
                    .map_err(|_| error("a ring holds something other than whole numbers".into()))?;
                if numbers.len() < 6 || numbers.len() % 2 != 0 {
                    return Err(error(format!(
                        "a ring needs pairs of numbers for at least three points, not {}",
                        numbers.len()
                    )));
                }
                let (mut x, mut y) = (0i32, 0i32);
                for (step, pair) in numbers.chunks_exact(2).enumerate() {
                    if step == 0 {
                        (x, y) = (pair[0], pair[1]);
                    } else {
                        x = x.saturating_add(pair[0]);
                        y = y.saturating_add(pair[1]);
                    }
                    place.bounds[0] = place.bounds[0].min(x);
                    place.bounds[1] = place.bounds[1].min(y);
                    place.bounds[2] = place.bounds[2].max(x);
                    place.bounds[3] = place.bounds[3].max(y);
                }
                place.rings.push(numbers);
            }
            other => return Err(error(format!("unknown line kind `{other}`"))),
        }
    }
    let width = width.ok_or(GeoError {
        line: 0,
        message: "no `W` line gives the map's size".to_string(),
    })?;
    if let Some(place) = states.iter().chain(&counties).find(|p| p.rings.is_empty()) {
        return Err(GeoError {
            line: 0,
            message: format!("place `{}` ({}) has no ring", place.fips, place.name),
        });
    }
    let mut names: HashMap<(String, String), Vec<usize>> = HashMap::new();
    for (index, county) in counties.iter().enumerate() {
        names
            .entry((county.state_fips().to_string(), name_key(&county.name)))
            .or_default()
            .push(index);
    }
    Ok(UsMap {
        width,
        height,
        states,
        counties,
        names,
    })
}

/// A county name reduced to what every list spells alike: upper case letters and digits only,
/// `Saint` as `ST`, without the word for a county (`County`, `Parish`, `Borough`, ...).
fn name_key(name: &str) -> String {
    let upper = name.to_uppercase().replace(['.', '\'', '-', ','], " ");
    let mut words: Vec<&str> = upper.split_whitespace().collect();
    for suffix in [
        &["CITY", "AND", "BOROUGH"][..],
        &["CENSUS", "AREA"],
        &["COUNTY"],
        &["PARISH"],
        &["BOROUGH"],
        &["MUNICIPALITY"],
        &["MUNICIPIO"],
    ] {
        if words.len() > suffix.len() && words.ends_with(suffix) {
            words.truncate(words.len() - suffix.len());
            break;
        }
    }
    words
        .iter()
        .map(|w| match *w {
            "SAINT" => "ST",
            "SAINTE" => "STE",
            other => other,
        })
        .collect::<String>()
}

impl UsMap {
    /// The state with this FIPS code.
    pub fn state(&self, fips: &str) -> Option<&Place> {
        self.states.iter().find(|s| s.fips == fips)
    }

    /// The county with this FIPS code.
    pub fn county(&self, fips: &str) -> Option<&Place> {
        self.counties.iter().find(|c| c.fips == fips)
    }

    /// The counties of a state.
    pub fn counties_of<'a>(&'a self, state_fips: &'a str) -> impl Iterator<Item = &'a Place> {
        self.counties
            .iter()
            .filter(move |c| c.state_fips() == state_fips)
    }

    /// The county a list names in a state (`Harris County`, `HARRIS`, `ST CLAIR`, `RICHMOND
    /// CITY`). Where a county and an independent city share a name (Baltimore, St. Louis,
    /// Richmond), `city` at the end of the name picks the city (FIPS 500 and above), else the
    /// county. `None` when no county of the state has the name.
    pub fn find_county(&self, state_code: &str, name: &str) -> Option<&Place> {
        let state = state_fips(state_code)?;
        let key = name_key(name);
        let lookup = |key: &str| self.names.get(&(state.to_string(), key.to_string()));
        let is_city = |place: &&Place| place.fips.get(2..).is_some_and(|code| code >= "500");
        if let Some(found) = lookup(&key) {
            // `Charles City` is a county's whole name; a name held twice is the county.
            let places: Vec<&Place> = found.iter().filter_map(|i| self.counties.get(*i)).collect();
            return places
                .iter()
                .find(|p| !is_city(p))
                .or_else(|| places.first())
                .copied();
        }
        let base = key.strip_suffix("CITY")?;
        let found = lookup(base)?;
        let places: Vec<&Place> = found.iter().filter_map(|i| self.counties.get(*i)).collect();
        places
            .iter()
            .find(|p| is_city(p))
            .or_else(|| places.first())
            .copied()
    }
}

/// Whether `xml` is well-formed XML of the kind written here: every element closed in order,
/// attributes double-quoted, text and values with no bare `<` or `&`; `Err` says where not.
#[cfg(test)]
pub(crate) fn well_formed(xml: &str) -> Result<(), String> {
    fn text(part: &str, at: usize) -> Result<(), String> {
        if part.contains('<') {
            return Err(format!("a `<` in text at byte {at}"));
        }
        for (index, _) in part.match_indices('&') {
            let entity = &part[index..];
            let known = ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;", "&apos;"];
            if !known.iter().any(|k| entity.starts_with(k)) {
                return Err(format!("a bare `&` at byte {}", at + index));
            }
        }
        Ok(())
    }
    let mut stack: Vec<&str> = Vec::new();
    let mut at = 0;
    while let Some(open) = xml[at..].find('<').map(|o| o + at) {
        text(&xml[at..open], at)?;
        let close = xml[open..]
            .find('>')
            .map(|c| c + open)
            .ok_or(format!("a tag at byte {open} is not closed"))?;
        let tag = &xml[open + 1..close];
        if let Some(name) = tag.strip_prefix('/') {
            match stack.pop() {
                Some(opened) if opened == name => {}
                other => return Err(format!("`</{name}>` at byte {open} closes {other:?}")),
            }
        } else {
            let self_closing = tag.ends_with('/');
            let tag = tag.trim_end_matches('/');
            let name_end = tag.find(char::is_whitespace).unwrap_or(tag.len());
            let name = &tag[..name_end];
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                return Err(format!("a bad element name `{name}` at byte {open}"));
            }
            let mut attributes = tag[name_end..].trim_start();
            while !attributes.is_empty() {
                let (attribute, rest) = attributes
                    .split_once("=\"")
                    .ok_or(format!("an attribute without a quoted value in `<{tag}>`"))?;
                if attribute.is_empty() || attribute.contains(char::is_whitespace) {
                    return Err(format!("a bad attribute name `{attribute}` in `<{name}>`"));
                }
                let (value, rest) = rest
                    .split_once('"')
                    .ok_or(format!("an unclosed value of `{attribute}` in `<{name}>`"))?;
                text(value, open)?;
                attributes = rest.trim_start();
            }
            if !self_closing {
                stack.push(name);
            }
        }
        at = close + 1;
    }
    text(&xml[at..], at)?;
    match stack.last() {
        Some(open) => Err(format!("`<{open}>` is never closed")),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_map_holds_every_state_and_county() {
        let map = us_map().unwrap();
        assert_eq!(map.states.len(), 56);
        assert_eq!(map.counties.len(), 3231);
        for (code, fips) in STATE_FIPS {
            let state = map.state(fips).unwrap_or_else(|| panic!("{code}"));
            assert!(map.counties_of(fips).count() > 0, "{code}");
            let [x0, y0, x1, y1] = state.bounds;
            assert!(0 <= x0 && x0 < x1 && x1 <= map.width, "{code}");
            assert!(0 <= y0 && y0 < y1 && y1 <= map.height, "{code}");
        }
        // Harris County lies inside Texas.
        let texas = map.state("48").unwrap().bounds;
        let harris = map.county("48201").unwrap();
        assert_eq!(harris.name, "Harris");
        assert!(harris.bounds[0] >= texas[0] && harris.bounds[2] <= texas[2]);
    }

    #[test]
    fn counties_are_found_by_the_names_lists_give_them() {
        let map = us_map().unwrap();
        let fips = |state: &str, name: &str| map.find_county(state, name).map(|p| p.fips.clone());
        assert_eq!(fips("TX", "Harris County").as_deref(), Some("48201"));
        assert_eq!(fips("TX", "HARRIS").as_deref(), Some("48201"));
        assert_eq!(fips("FL", "Miami-Dade County").as_deref(), Some("12086"));
        assert_eq!(fips("FL", "MIAMI-DADE").as_deref(), Some("12086"));
        assert_eq!(fips("AL", "ST CLAIR").as_deref(), Some("01115"));
        assert_eq!(fips("FL", "Saint Lucie County").as_deref(), Some("12111"));
        assert_eq!(fips("LA", "Jefferson Parish").as_deref(), Some("22051"));
        assert_eq!(fips("AK", "FAIRBANKS NORTH STAR").as_deref(), Some("02090"));
        // A county and an independent city of one name.
        assert_eq!(fips("MD", "BALTIMORE").as_deref(), Some("24005"));
        assert_eq!(fips("MD", "BALTIMORE CITY").as_deref(), Some("24510"));
        assert_eq!(fips("VA", "CHARLES CITY").as_deref(), Some("51036"));
        assert_eq!(fips("TX", "Nowhere County"), None);
        assert_eq!(fips("XX", "Harris"), None);
    }

    #[test]
    fn paths_are_relative_steps_and_bad_lines_are_named() {
        let map = parse(
            "# a map\nW 100 50\nS 48 Texas\nR 10 10 5 0 0 5 -5 0\nC 48201 Harris\nR 1 1 1 0 0 1\n",
        )
        .unwrap();
        let mut path = String::new();
        map.states[0].write_path(&mut path);
        assert_eq!(path, "M10 10l5 0 0 5-5 0z");
        // Coarser: in steps of 5, rounding each point, repeats left out.
        path.clear();
        map.states[0].write_path_scaled(&mut path, 5);
        assert_eq!(path, "M2 2l1 0 0 1-1 0z");
        path.clear();
        map.counties[0].write_path_scaled(&mut path, 5);
        assert_eq!(path, "M0 0l1 0z");
        assert_eq!(map.states[0].bounds, [10, 10, 15, 15]);
        let error = parse("W 100 50\nC 48201 Harris\nR 1 1 x 0\n").unwrap_err();
        assert_eq!(error.line, 3);
        assert!(error.to_string().contains("line 3"), "{error}");
        assert!(
            parse("W 100 50\nC 4820 Harris\n")
                .unwrap_err()
                .message
                .contains("FIPS")
        );
        assert!(
            parse("W 100 50\nC 48201 Harris\n")
                .unwrap_err()
                .message
                .contains("no ring")
        );
        assert!(
            parse("S 48 Texas\nR 1 1 1 0 0 1\n")
                .unwrap_err()
                .message
                .contains("`W`")
        );
    }
}
