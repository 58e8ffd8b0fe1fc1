//! Synthetic Flock network audits for the demo, the tests and the benchmark.
//!
//! `remit demo gen-audit --rows N --seed S --out FILE` writes what a California agency's network
//! audit looks like: other agencies' searches of its cameras over a year, in the 13-column layout
//! Flock exports. The mix is modelled on the real logs in `../shared/data/alpr`: reasons drawn
//! from the most common real ones (with their spellings, case numbers and typos), search types
//! and network counts as in Okaloosa's audit, and searching agencies written the way Flock writes
//! them ("El Cajon CA PD", "Tombstone Marshals Office (AZ)", "... \[Federal\]"), mostly in-state
//! with a long tail of out-of-state agencies. A few immigration searches by out-of-state and
//! federal agencies are planted at fixed, seed-determined places so that an audit must find them.
//!
//! Same seed, same file: the generator uses its own small PRNG (SplitMix64), not the clock.

use std::io::Write;

/// SplitMix64: tiny, fast, and good enough to draw synthetic rows.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed`: the same seed gives the same numbers.
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }

    /// The next number, uniform over all 64-bit values.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n.max(1))) >> 64) as u64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1_u64 << 53) as f64 <= p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// A table to draw from by weight.
struct Weighted<T> {
    items: Vec<(T, u64)>,
    total: u64,
}

impl<T: Copy> Weighted<T> {
    fn new(items: &[(T, u64)]) -> Weighted<T> {
        let mut total = 0;
        let mut cumulative = Vec::with_capacity(items.len());
        for &(item, weight) in items {
            total += weight;
            cumulative.push((item, total));
        }
        Weighted {
            items: cumulative,
            total,
        }
    }

    fn draw(&self, rng: &mut Rng) -> T {
        let x = rng.below(self.total);
        let i = self.items.partition_point(|&(_, c)| c <= x);
        self.items[i.min(self.items.len() - 1)].0
    }
}

/// The 13 columns of Flock's network audit export.
pub const HEADER: &str = "Name,Org Name,Total Networks Searched,Total Devices Searched,Time Frame,License Plate,Reason,Case #,Filters,Search Time,Search Type,Text Prompt,Moderation";

/// Reasons and their weights, from the most common reasons of the real logs (Okaloosa,
/// Eugene, San Mateo and the transparency-portal audits), spellings kept.
const REASONS: &[(&str, u64)] = &[
    ("Investigation", 900),
    ("investigation", 700),
    ("inv", 450),
    ("Inv", 200),
    ("INVESTIGATION", 300),
    ("Criminal Investigation", 350),
    ("Patrol Investigation", 200),
    ("invest", 150),
    ("investigative", 60),
    ("Suspicious Vehicle", 300),
    ("suspect vehicle", 250),
    ("Suspect", 80),
    ("Property Crime", 450),
    ("Person Crime", 400),
    ("UUV", 350),
    ("stolen vehicle", 300),
    ("Stolen", 150),
    ("STOLEN VEHICLE", 60),
    ("stolen plate", 40),
    ("warrant", 300),
    ("Warrant", 250),
    ("WARRANT", 120),
    ("warrants", 200),
    ("wanted person", 120),
    ("bolo", 250),
    ("BOLO", 60),
    ("theft", 250),
    ("Theft", 60),
    ("retail theft", 40),
    ("10851", 120),
    ("10851(a)CVC", 60),
    ("211PC", 80),
    ("459 PC", 60),
    ("245(a)(2)PC", 50),
    ("burglary", 60),
    ("robbery", 50),
    ("agg assault", 50),
    ("hit and run", 80),
    ("narcotics investigation", 70),
    ("Narcotics", 40),
    ("fraud", 50),
    ("Credit Card Fraud", 20),
    ("missing person", 90),
    ("Missing Person / AMBER", 20),
    ("welfare check", 90),
    ("suicidal subject", 30),
    ("Traffic Investigation", 70),
    ("reckless", 30),
    ("DUI", 20),
    ("flee elude", 40),
    ("shooting", 25),
    ("Active case", 60),
    ("Info", 30),
    ("intel", 30),
    ("Locate", 40),
    ("Call for service", 25),
    ("patrol", 60),
    ("Agency Assist", 40),
    ("Daytime search for best result", 40),
    ("training", 20),
    ("Administrative Test", 15),
    ("Test", 10),
    ("", 180),
];

/// Searching agencies as Flock writes them, with weights (the owner's neighbours search most).
const IN_STATE: &[(&str, u64)] = &[
    ("San Diego CA PD", 900),
    ("San Diego County CA SO", 800),
    ("Chula Vista CA PD", 500),
    ("La Mesa CA PD", 350),
    ("Escondido CA PD", 300),
    ("Oceanside CA PD", 300),
    ("Carlsbad CA PD", 250),
    ("National City CA PD", 200),
    ("Santee CA PD", 150),
    ("Riverside County CA SO", 250),
    ("Riverside CA PD", 150),
    ("Los Angeles County CA SO", 300),
    ("Long Beach CA PD", 120),
    ("Orange County CA SO", 200),
    ("Anaheim CA PD", 120),
    ("Irvine CA PD", 100),
    ("Santa Ana CA PD", 100),
    ("San Bernardino County CA SO", 120),
    ("Imperial County CA SO", 80),
    ("El Centro CA PD", 60),
    ("California Highway Patrol", 150),
    ("Fresno CA PD", 50),
    ("Bakersfield CA PD", 50),
    ("Sacramento County CA SO", 40),
    ("Coronado PD ( CA)", 40),
    ("Murrieta CA PD", 40),
    ("Temecula CA PD", 30),
];

const OUT_OF_STATE: &[(&str, u64)] = &[
    ("Tombstone Marshals Office (AZ)", 40),
    ("Arizona Department of Public Safety", 120),
    ("Maricopa County AZ SO", 150),
    ("Phoenix AZ PD", 120),
    ("Yuma AZ PD", 90),
    ("Pima County AZ SO", 80),
    ("Las Vegas Metropolitan NV PD", 90),
    ("Henderson NV PD", 40),
    ("Houston TX PD", 100),
    ("Harris County TX SO", 90),
    ("El Paso TX PD", 60),
    ("Marshall TX PD", 20),
    ("Texas Department of Public Safety", 50),
    ("Okaloosa County FL SO", 30),
    ("Polk County FL SO", 30),
    ("Cobb County GA PD", 25),
    ("Aurora CO PD", 25),
    ("Ada County ID SO", 15),
    ("Bend OR PD", 10),
    ("Auburn WA PD", 10),
    ("Brookhaven GA PD", 10),
    ("Mount Prospect IL PD", 8),
];

const FEDERAL: &[(&str, u64)] = &[
    ("U.S. Border Patrol [Federal]", 30),
    ("HSI San Diego [Federal]", 15),
    ("FBI San Diego [Federal]", 10),
    (
        "US Marshals Service Southern District of California [Federal]",
        8,
    ),
];

/// Planted immigration searches: (agency, reason).
const PLANTED: &[(&str, &str)] = &[
    ("Tombstone Marshals Office (AZ)", "immigration"),
    ("Harris County TX SO", "ICE assist"),
    ("U.S. Border Patrol [Federal]", "Border Patrol request"),
    (
        "Maricopa County AZ SO",
        "Immigration (Federal Partner Request)",
    ),
    ("HSI San Diego [Federal]", "ICE ERO target vehicle"),
    ("Polk County FL SO", "287(g) task force"),
    ("Texas Department of Public Safety", "deportation"),
    ("Yuma AZ PD", "illegal alien"),
];

const SURNAMES: &[&str] = &[
    "Garcia",
    "Smith",
    "Johnson",
    "Nguyen",
    "Martinez",
    "Brown",
    "Lopez",
    "Davis",
    "Kim",
    "Hernandez",
    "Miller",
    "Wilson",
    "Anderson",
    "Taylor",
    "Thomas",
    "Moore",
    "Jackson",
    "Lee",
    "Perez",
    "White",
    "Harris",
    "Clark",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Torres",
    "Hill",
    "Flores",
    "Green",
    "Adams",
    "Nelson",
    "Baker",
    "Hall",
];

const MAKES: &[&str] = &[
    "Toyota",
    "Honda",
    "Ford",
    "Chevrolet",
    "Nissan",
    "Tesla",
    "Kia",
];
const COLORS: &[&str] = &["Black", "White", "Silver", "Gray", "Red", "Blue"];
const PROMPTS: &[&str] = &[
    "white pickup with ladder rack",
    "red sedan, damaged rear bumper",
    "black SUV with roof box",
    "silver minivan with bike rack",
];

/// How many rows a generated file with `rows` rows has planted.
pub fn planted_count(rows: u64) -> u64 {
    if rows < 40 {
        0
    } else {
        (PLANTED.len() as u64).min(rows / 40)
    }
}

fn write_field(out: &mut Vec<u8>, field: &str) {
    if field.contains([',', '"', '\n', '\r']) {
        out.push(b'"');
        for byte in field.bytes() {
            if byte == b'"' {
                out.push(b'"');
            }
            out.push(byte);
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(field.as_bytes());
    }
}

/// `11/14/2025, 09:53:36 AM UTC`, as Flock's audit exports write times.
fn flock_time(out: &mut Vec<u8>, seconds: i64) {
    let days = seconds.div_euclid(86_400);
    let rest = seconds.rem_euclid(86_400);
    let date = remit_law::Date::from_days_since_epoch(days);
    let hour = rest / 3600;
    let (hour12, half) = match hour {
        0 => (12, "AM"),
        1..=11 => (hour, "AM"),
        12 => (12, "PM"),
        _ => (hour - 12, "PM"),
    };
    let _ = write!(
        out,
        "{:02}/{:02}/{}, {:02}:{:02}:{:02} {half} UTC",
        date.month(),
        date.day(),
        date.year(),
        hour12,
        (rest / 60) % 60,
        rest % 60
    );
}

/// A typing slip: a dropped or doubled letter, as in the real logs ("investagtion").
fn typo(rng: &mut Rng, reason: &str) -> String {
    let chars: Vec<char> = reason.chars().collect();
    if chars.len() < 4 {
        return reason.to_string();
    }
    let at = 1 + rng.below(chars.len() as u64 - 2) as usize;
    let mut out: String = chars[..at].iter().collect();
    if rng.chance(0.5) {
        out.extend(&chars[at + 1..]);
    } else {
        out.push(chars[at]);
        out.extend(&chars[at..]);
    }
    out
}

/// The share of searches by agencies outside the owner's state (out-of-state and federal) that
/// [`generate`] writes, in thousandths: 14%, as in the real network audits.
pub const DEFAULT_OUT_OF_STATE: u32 = 140;

/// Federal agencies' share of all searches, in thousandths (part of the out-of-state share).
const FEDERAL_SHARE: u32 = 4;

/// Writes a synthetic network audit of `rows` searches to `out`, 14% of them by agencies outside
/// the state.
pub fn generate(rows: u64, seed: u64, out: &mut dyn Write) -> std::io::Result<()> {
    generate_with_share(rows, seed, DEFAULT_OUT_OF_STATE, out)
}

/// Writes a synthetic network audit of `rows` searches to `out`, with `out_of_state` thousandths
/// of them (at most 1000) by agencies outside the state: federal agencies take 4 in a thousand
/// of all searches (or the whole share when it is smaller), other states' agencies the rest. The
/// default share gives the same file as [`generate`].
pub fn generate_with_share(
    rows: u64,
    seed: u64,
    out_of_state: u32,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let outside = u64::from(out_of_state.min(1000));
    let in_state_below = 1000 - outside;
    let federal_from = 1000 - outside.min(u64::from(FEDERAL_SHARE));
    let mut rng = Rng::new(seed);
    let reasons = Weighted::new(REASONS);
    let in_state = Weighted::new(IN_STATE);
    let out_of_state = Weighted::new(OUT_OF_STATE);
    let federal = Weighted::new(FEDERAL);
    // A year of searches from 2025-01-01, in time order, busier by day than by night.
    let start = remit_law::Date::new(2025, 1, 1).map_or(0, |d| d.days_since_epoch()) * 86_400;
    let span = 365 * 86_400_u64;
    let step = (span / rows.max(1)).max(1);
    let planted = planted_count(rows);
    let planted_rows: Vec<u64> = (0..planted)
        .map(|i| (i * 2 + 1) * rows / (planted * 2 + 1))
        .collect();
    let mut line = Vec::with_capacity(1 << 16);
    line.extend_from_slice(HEADER.as_bytes());
    line.push(b'\n');
    let mut reason_buffer = String::new();
    for row in 0..rows {
        let time = start + (row * step) as i64 + rng.below(step) as i64;
        let planted_index = planted_rows.iter().position(|&r| r == row);
        let org = match planted_index {
            Some(i) => PLANTED[i].0,
            None => {
                let x = rng.below(1000);
                if x < in_state_below {
                    in_state.draw(&mut rng)
                } else if x < federal_from {
                    out_of_state.draw(&mut rng)
                } else {
                    federal.draw(&mut rng)
                }
            }
        };
        reason_buffer.clear();
        match planted_index {
            Some(i) => reason_buffer.push_str(PLANTED[i].1),
            None => {
                let x = rng.below(1000);
                if x < 25 {
                    let _ = std::fmt::Write::write_fmt(
                        &mut reason_buffer,
                        format_args!("25-{:06}", rng.below(1_000_000)),
                    );
                } else if x < 35 {
                    let _ = std::fmt::Write::write_fmt(
                        &mut reason_buffer,
                        format_args!("Investigation, 25{:05}", rng.below(100_000)),
                    );
                } else if x < 50 {
                    let base = reasons.draw(&mut rng);
                    reason_buffer.push_str(&typo(&mut rng, base));
                } else {
                    reason_buffer.push_str(reasons.draw(&mut rng));
                }
            }
        }
        let search_type = match rng.below(100) {
            0..=74 => "lookup",
            75..=94 => "search",
            95..=97 => "freeform",
            98 => "visual",
            _ => "multiGeo",
        };
        let wide = rng.chance(0.5);
        let networks = if wide { 800 + rng.below(500) } else { 1 };
        let devices = if wide {
            15_000 + rng.below(10_000)
        } else {
            100 + rng.below(20)
        };

        // Name
        let initial = (b'A' + rng.below(26) as u8) as char;
        let _ = write!(line, "{initial}. {}", rng.pick(SURNAMES));
        line.push(b',');
        write_field(&mut line, org);
        let _ = write!(line, ",{networks},{devices},\"");
        flock_time(&mut line, time - 7 * 86_400);
        line.extend_from_slice(b" - ");
        flock_time(&mut line, time);
        line.extend_from_slice(b"\",");
        // License Plate: lookups name one.
        if search_type == "lookup" {
            let _ = write!(
                line,
                "{}{}{}{}{:03}",
                1 + rng.below(9),
                (b'A' + rng.below(26) as u8) as char,
                (b'A' + rng.below(26) as u8) as char,
                (b'A' + rng.below(26) as u8) as char,
                rng.below(1000)
            );
        }
        line.push(b',');
        write_field(&mut line, &reason_buffer);
        line.push(b',');
        if rng.chance(0.45) {
            let _ = write!(line, "25-{:06}", rng.below(1_000_000));
        }
        line.push(b',');
        if search_type == "search" && rng.chance(0.3) {
            let _ = write!(
                line,
                "\"Make: {}, Color: {}\"",
                rng.pick(MAKES),
                rng.pick(COLORS)
            );
        }
        line.extend_from_slice(b",\"");
        flock_time(&mut line, time);
        line.extend_from_slice(b"\",");
        line.extend_from_slice(search_type.as_bytes());
        line.push(b',');
        if search_type == "freeform" {
            let prompt = rng.pick(PROMPTS);
            if rng.chance(0.05) {
                // An officer pressed Enter in the prompt: a newline inside a quoted field.
                write_field(&mut line, &format!("{prompt}\nnear the mall"));
            } else {
                write_field(&mut line, prompt);
            }
            line.extend_from_slice(b",allow");
        } else {
            line.push(b',');
        }
        line.push(b'\n');
        if line.len() > 60_000 {
            out.write_all(&line)?;
            line.clear();
        }
    }
    out.write_all(&line)?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_file() {
        let mut a = Vec::new();
        let mut b = Vec::new();
        let mut c = Vec::new();
        generate(500, 7, &mut a).unwrap();
        generate(500, 7, &mut b).unwrap();
        generate(500, 8, &mut c).unwrap();
        assert_eq!(a, b);
        assert_ne!(a, c);
        let text = String::from_utf8(a).unwrap();
        assert!(text.starts_with(HEADER));
        assert!(text.contains("immigration"));
    }

    #[test]
    fn out_of_state_share_moves_the_mix_and_keeps_the_default_file() {
        let mut default = Vec::new();
        let mut same = Vec::new();
        generate(2000, 3, &mut default).unwrap();
        generate_with_share(2000, 3, DEFAULT_OUT_OF_STATE, &mut same).unwrap();
        assert_eq!(default, same);
        // Searching agencies outside California: the organisation column ends with another
        // state's code or says federal.
        let outside = |bytes: &[u8]| {
            let text = String::from_utf8(bytes.to_vec()).unwrap();
            let in_state: std::collections::HashSet<&str> =
                IN_STATE.iter().map(|(name, _)| *name).collect();
            text.lines()
                .skip(1)
                .filter(|line| line.contains(" UTC\",") && !line.starts_with(' '))
                .filter(|line| {
                    let org = line.split(',').nth(1).unwrap_or("");
                    !in_state.contains(org.trim_matches('"'))
                })
                .count()
        };
        let mut sixty = Vec::new();
        let mut none = Vec::new();
        let mut all = Vec::new();
        generate_with_share(2000, 3, 600, &mut sixty).unwrap();
        generate_with_share(2000, 3, 0, &mut none).unwrap();
        generate_with_share(2000, 3, 1000, &mut all).unwrap();
        let (fourteen, sixty) = (outside(&default), outside(&sixty));
        assert!((200..380).contains(&fourteen), "{fourteen}");
        assert!((1080..1320).contains(&sixty), "{sixty}");
        // Only the planted searches are outside the state at 0%; all of them at 100%.
        assert_eq!(outside(&none), planted_count(2000) as usize);
        assert!(outside(&all) >= 1990, "{}", outside(&all));
    }

    #[test]
    fn rng_is_spread() {
        let mut rng = Rng::new(1);
        let mut counts = [0_u32; 10];
        for _ in 0..10_000 {
            counts[rng.below(10) as usize] += 1;
        }
        assert!(
            counts.iter().all(|&c| (900..1100).contains(&c)),
            "{counts:?}"
        );
    }
}
