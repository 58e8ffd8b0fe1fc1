//! From a sheet's cells to listings and data-quality issues.
//!
//! Every non-empty row is kept. A cell that cannot be read as what its column means (a SIGNED
//! date in year 5025, `7/72025`, a state called `UTAHJ`) is stored as it was, with an issue naming
//! the row, the column and the value; the parsed field is left empty or corrected, and the issue
//! says which. A row becomes an agreement listing only when its state, agency and support type
//! are known; otherwise its issue says it was not counted.

use std::collections::HashMap;
use std::path::Path;

use serde::Serialize;

use crate::day::{Day, SnapshotTime};
use crate::error::RegistryError;
use crate::names::agency_key;
use crate::sheet::{Cell, Table, column_letter};
use crate::states::{StateMatch, match_state};
use crate::vocab::{AgencyType, match_agency_type, match_model, slug};

/// Which list a sheet is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SheetKind {
    /// Agencies holding a signed agreement.
    Participating,
    /// Agencies whose request is pending.
    Pending,
}

impl SheetKind {
    /// The kind as stored and shown: `participating` or `pending`.
    pub fn as_str(self) -> &'static str {
        match self {
            SheetKind::Participating => "participating",
            SheetKind::Pending => "pending",
        }
    }

    /// Reads `participating` or `pending` (any case, surrounding spaces ignored); `None` for
    /// anything else.
    pub fn from_str_opt(text: &str) -> Option<SheetKind> {
        match text.trim().to_ascii_lowercase().as_str() {
            "participating" => Some(SheetKind::Participating),
            "pending" => Some(SheetKind::Pending),
            _ => None,
        }
    }
}

/// A column the registry reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    State,
    Agency,
    Type,
    County,
    SupportType,
    Signed,
    Moa,
    Addendum,
}

impl Field {
    /// The header ICE uses.
    pub fn header(self) -> &'static str {
        match self {
            Field::State => "STATE",
            Field::Agency => "LAW ENFORCEMENT AGENCY",
            Field::Type => "TYPE",
            Field::County => "COUNTY",
            Field::SupportType => "SUPPORT TYPE",
            Field::Signed => "SIGNED",
            Field::Moa => "MOA",
            Field::Addendum => "ADDENDUM",
        }
    }

    fn from_header(text: &str) -> Option<Field> {
        let cleaned = text.split_whitespace().collect::<Vec<_>>().join(" ");
        Some(match cleaned.to_uppercase().as_str() {
            "STATE" => Field::State,
            "LAW ENFORCEMENT AGENCY" | "AGENCY" | "AGENCY NAME" => Field::Agency,
            "TYPE" | "AGENCY TYPE" => Field::Type,
            "COUNTY" => Field::County,
            "SUPPORT TYPE" | "SUPPORT MODEL" | "MODEL" => Field::SupportType,
            "SIGNED" | "DATE SIGNED" | "SIGNED DATE" => Field::Signed,
            "MOA" => Field::Moa,
            "ADDENDUM" => Field::Addendum,
            _ => return None,
        })
    }
}

/// How serious an issue is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Cosmetic: nothing was lost or changed in meaning (stray spaces, empty columns).
    Note,
    /// A value was corrected or is doubtful; the correction is stated.
    Warning,
    /// A value could not be read and is missing from the parsed data (kept as raw text).
    Error,
}

impl Severity {
    /// The severity as stored and shown: `note`, `warning` or `error`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// Reads `note`, `warning` or `error` (exactly); `None` for anything else.
    pub fn from_str_opt(text: &str) -> Option<Severity> {
        match text {
            "note" => Some(Severity::Note),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

/// A data-quality issue found in a sheet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Issue {
    /// 1-based sheet row (`None` for the whole file).
    pub row: Option<u32>,
    /// The column's header and letter, e.g. `SIGNED (F)`.
    pub column: Option<String>,
    /// A stable slug, listed in docs/methodology.md#the-287g-registry.
    pub kind: &'static str,
    /// How much the issue matters: a note, a correction, or a value that could not be read.
    pub severity: Severity,
    /// The cell as it was.
    pub value: Option<String>,
    /// What is wrong, in plain words.
    pub message: String,
}

/// The header row: which column holds which field.
#[derive(Debug, Clone)]
pub struct Header {
    /// Index into `Table::rows`.
    pub index: usize,
    pub fields: Vec<(usize, Field)>,
    /// Named columns the registry does not read, with their names.
    pub unknown: Vec<(usize, String)>,
    /// Columns with an empty header cell.
    pub unnamed: Vec<usize>,
}

impl Header {
    fn column(&self, field: Field) -> Option<usize> {
        self.fields
            .iter()
            .find(|(_, f)| *f == field)
            .map(|(i, _)| *i)
    }

    /// The known headers in sheet order, e.g. `STATE|...|MOA|ADDENDUM`: the layout's identity.
    pub fn signature(&self) -> String {
        self.fields
            .iter()
            .map(|(_, field)| field.header())
            .collect::<Vec<_>>()
            .join("|")
    }
}

/// How many rows from the top to look for the header.
pub const HEADER_SEARCH_ROWS: usize = 20;

/// The first row naming the state, agency and support type columns.
pub fn find_header(table: &Table) -> Option<Header> {
    table
        .rows
        .iter()
        .take(HEADER_SEARCH_ROWS)
        .enumerate()
        .find_map(|(index, row)| {
            let mut header = Header {
                index,
                fields: Vec::new(),
                unknown: Vec::new(),
                unnamed: Vec::new(),
            };
            for (column, cell) in row.iter().enumerate() {
                let text = cell.display();
                match Field::from_header(&text) {
                    Some(field) if header.column(field).is_none() => {
                        header.fields.push((column, field));
                    }
                    _ if text.trim().is_empty() => header.unnamed.push(column),
                    _ => header.unknown.push((column, text.trim().to_string())),
                }
            }
            let has = |field| header.column(field).is_some();
            (has(Field::State) && has(Field::Agency) && has(Field::SupportType)).then_some(header)
        })
}

/// One data row, parsed. Raw values are kept beside parsed ones.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Listing {
    pub row: u32,
    pub state_raw: String,
    pub state: Option<&'static str>,
    pub agency_raw: String,
    /// Trimmed, inner spaces collapsed.
    pub agency: Option<String>,
    pub agency_key: Option<String>,
    pub agency_type_raw: Option<String>,
    pub agency_type: Option<String>,
    pub county: Option<String>,
    pub support_raw: String,
    pub model: Option<String>,
    pub signed_raw: Option<String>,
    pub signed: Option<Day>,
    pub moa: Option<String>,
    pub addendum: Option<String>,
    /// Whether this row lists an agreement (state, agency and model known, not a duplicate).
    pub counted: bool,
}

/// A parsed sheet.
#[derive(Debug)]
pub struct ParsedSheet {
    pub header: Header,
    pub listings: Vec<Listing>,
    pub issues: Vec<Issue>,
    pub empty_rows: usize,
}

/// The earliest plausible signing year: 287(g) was created by IIRIRA in 1996.
const FIRST_PLAUSIBLE_YEAR: i32 = 1996;

struct Context<'a> {
    table: &'a Table,
    header: &'a Header,
    issues: Vec<Issue>,
}

impl Context<'_> {
    fn column_name(&self, column: usize) -> String {
        let letter = column_letter(self.table.first_column + column as u32);
        let name = self
            .header
            .fields
            .iter()
            .find(|(i, _)| *i == column)
            .map(|(_, f)| f.header().to_string())
            .or_else(|| {
                self.header
                    .unknown
                    .iter()
                    .find(|(i, _)| *i == column)
                    .map(|(_, name)| name.clone())
            });
        match name {
            Some(name) => format!("{name} ({letter})"),
            None => format!("({letter})"),
        }
    }

    fn issue(
        &mut self,
        row: u32,
        column: usize,
        kind: &'static str,
        severity: Severity,
        value: Option<&str>,
        message: String,
    ) {
        self.issues.push(Issue {
            row: Some(row),
            column: Some(self.column_name(column)),
            kind,
            severity,
            value: value.map(str::to_string),
            message,
        });
    }

    /// A text field: trimmed, with stray spaces reported; `#N/A` and other error values read
    /// as missing and reported.
    fn text(&mut self, cells: &[Cell], row: u32, field: Field) -> Option<String> {
        let column = self.header.column(field)?;
        let cell = cells.get(column).unwrap_or(&Cell::Empty);
        let raw = match cell {
            Cell::Empty => return None,
            Cell::Error(error) => {
                self.issue(
                    row,
                    column,
                    "placeholder_value",
                    Severity::Note,
                    Some(error),
                    format!("`{error}` is a spreadsheet error value, read as empty"),
                );
                return None;
            }
            other => other.display(),
        };
        let normalised = raw
            .replace('\u{a0}', " ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if normalised.is_empty() {
            return None;
        }
        if normalised == "#N/A" || normalised == "N/A" {
            self.issue(
                row,
                column,
                "placeholder_value",
                Severity::Note,
                Some(&raw),
                format!("`{normalised}` is a placeholder, read as empty"),
            );
            return None;
        }
        if normalised != raw {
            self.issue(
                row,
                column,
                "stray_whitespace",
                Severity::Note,
                Some(&raw),
                "stray spaces removed".to_string(),
            );
        }
        Some(normalised)
    }

    fn missing(&mut self, row: u32, field: Field, severity: Severity, consequence: &str) {
        if let Some(column) = self.header.column(field) {
            self.issue(
                row,
                column,
                "missing_value",
                severity,
                None,
                format!("no {}{consequence}", field.header()),
            );
        }
    }
}

/// Parses the rows of `table` below its header.
pub fn parse_sheet(
    path: &Path,
    table: &Table,
    kind: SheetKind,
    taken: SnapshotTime,
) -> Result<ParsedSheet, RegistryError> {
    let header = find_header(table).ok_or_else(|| RegistryError::NoHeader {
        path: path.to_path_buf(),
        rows: HEADER_SEARCH_ROWS,
    })?;
    let mut context = Context {
        table,
        header: &header,
        issues: Vec::new(),
    };
    let mut listings = Vec::new();
    let mut empty_rows = Vec::new();
    let mut seen: HashMap<(&'static str, String, String), u32> = HashMap::new();
    let mut agencies_rows: HashMap<(&'static str, String), u32> = HashMap::new();

    for (index, cells) in table.rows.iter().enumerate().skip(header.index + 1) {
        let row = table.first_row + index as u32;
        if cells.iter().all(Cell::is_blank) {
            empty_rows.push(row);
            continue;
        }
        for &column in &header.unnamed {
            if let Some(cell) = cells.get(column).filter(|c| !c.is_blank()) {
                let value = cell.display();
                context.issue(
                    row,
                    column,
                    "value_without_header",
                    Severity::Warning,
                    Some(&value),
                    "a value in a column without a header, not read".to_string(),
                );
            }
        }
        let listing = parse_row(&mut context, cells, row, kind, taken);
        let mut listing = listing;
        if let (Some(state), Some(key), Some(model)) =
            (listing.state, &listing.agency_key, &listing.model)
        {
            match seen.get(&(state, key.clone(), model.clone())) {
                Some(first) => {
                    let column = header.column(Field::Agency).unwrap_or(0);
                    context.issue(
                        row,
                        column,
                        "duplicate_row",
                        Severity::Warning,
                        Some(&listing.agency_raw),
                        format!("the same agency and support type as row {first}; counted once"),
                    );
                }
                None => {
                    seen.insert((state, key.clone(), model.clone()), row);
                    *agencies_rows.entry((state, key.clone())).or_default() += 1;
                    listing.counted = true;
                }
            }
        }
        listings.push(listing);
    }

    let mut file_issues = Vec::new();
    // Unnamed columns in the used range, then those the sheet declares past it (formatted but
    // empty, which a spreadsheet program shows as blank columns).
    let mut unnamed: Vec<u32> = header
        .unnamed
        .iter()
        .map(|c| table.first_column + *c as u32)
        .collect();
    if let Some((_, last_column)) = table.declared_end {
        unnamed.extend(table.used_column_end()..=last_column);
    }
    if !unnamed.is_empty() {
        let letters: Vec<String> = unnamed.iter().map(|c| column_letter(*c)).collect();
        file_issues.push(Issue {
            row: None,
            column: Some(letters.join(", ")),
            kind: "unnamed_columns",
            severity: Severity::Note,
            value: None,
            message: format!(
                "{} column{} without a header ({}) ignored",
                letters.len(),
                if letters.len() == 1 { "" } else { "s" },
                span(&letters)
            ),
        });
    }
    for (column, name) in &header.unknown {
        file_issues.push(Issue {
            row: None,
            column: Some(format!(
                "{name} ({})",
                column_letter(table.first_column + *column as u32)
            )),
            kind: "unknown_column",
            severity: Severity::Warning,
            value: Some(name.clone()),
            message: format!("column `{name}` is not one remit reads; its values are not stored"),
        });
    }
    if let Some((last_row, _)) = table.declared_end {
        empty_rows.extend(table.used_row_end()..=last_row);
    }
    if let (Some(first), Some(last)) = (empty_rows.first(), empty_rows.last()) {
        file_issues.push(Issue {
            row: None,
            column: None,
            kind: "empty_rows",
            severity: Severity::Note,
            value: None,
            message: format!(
                "{} empty row{} skipped (rows {first} to {last})",
                empty_rows.len(),
                if empty_rows.len() == 1 { "" } else { "s" }
            ),
        });
    }
    let repeated = agencies_rows.values().filter(|rows| **rows > 1).count();
    if repeated > 0 {
        let counted = listings.iter().filter(|l| l.counted).count();
        file_issues.push(Issue {
            row: None,
            column: None,
            kind: "agency_on_several_rows",
            severity: Severity::Note,
            value: None,
            message: format!(
                "{repeated} agencies are listed on several rows, one per support type: {counted} agreements, {} agencies",
                agencies_rows.len()
            ),
        });
    }
    let mut issues = file_issues;
    issues.extend(context.issues);
    Ok(ParsedSheet {
        header,
        listings,
        issues,
        empty_rows: empty_rows.len(),
    })
}

fn span(letters: &[String]) -> String {
    match letters {
        [] => String::new(),
        [only] => only.clone(),
        [first, .., last] => format!("{first} to {last}"),
    }
}

fn parse_row(
    context: &mut Context<'_>,
    cells: &[Cell],
    row: u32,
    kind: SheetKind,
    taken: SnapshotTime,
) -> Listing {
    const NOT_COUNTED: &str = ": the row is kept but not counted as an agreement";
    let mut listing = Listing {
        row,
        ..Listing::default()
    };

    // STATE
    let state_raw = context.text(cells, row, Field::State);
    listing.state_raw = raw_text(cells, context.header.column(Field::State));
    match state_raw.as_deref().map(match_state) {
        None => context.missing(row, Field::State, Severity::Error, NOT_COUNTED),
        Some(StateMatch::Exact(code)) => listing.state = Some(code),
        Some(StateMatch::Corrected(code, name)) => {
            listing.state = Some(code);
            if let Some(column) = context.header.column(Field::State) {
                context.issue(
                    row,
                    column,
                    "state_corrected",
                    Severity::Warning,
                    state_raw.as_deref(),
                    format!("read as {name} ({code}), the only state one letter away"),
                );
            }
        }
        Some(StateMatch::Unknown) => {
            if let Some(column) = context.header.column(Field::State) {
                context.issue(
                    row,
                    column,
                    "unknown_state",
                    Severity::Error,
                    state_raw.as_deref(),
                    format!("not a US state or territory{NOT_COUNTED}"),
                );
            }
        }
    }

    // LAW ENFORCEMENT AGENCY
    listing.agency_raw = raw_text(cells, context.header.column(Field::Agency));
    listing.agency = context.text(cells, row, Field::Agency);
    match &listing.agency {
        Some(agency) => listing.agency_key = Some(agency_key(agency, listing.state)),
        None => context.missing(row, Field::Agency, Severity::Error, NOT_COUNTED),
    }

    // TYPE
    listing.agency_type_raw = context.text(cells, row, Field::Type);
    match listing.agency_type_raw.as_deref().map(match_agency_type) {
        None => context.missing(row, Field::Type, Severity::Warning, ""),
        Some(AgencyType::Standard(slug)) => listing.agency_type = Some(slug.to_string()),
        Some(AgencyType::Variant(slug)) => {
            listing.agency_type = Some(slug.to_string());
            if let Some(column) = context.header.column(Field::Type) {
                context.issue(
                    row,
                    column,
                    "nonstandard_value",
                    Severity::Note,
                    listing.agency_type_raw.as_deref(),
                    format!("read as `{slug}`"),
                );
            }
        }
        Some(AgencyType::Other(slug)) => {
            if let Some(column) = context.header.column(Field::Type) {
                context.issue(
                    row,
                    column,
                    "unknown_agency_type",
                    Severity::Warning,
                    listing.agency_type_raw.as_deref(),
                    format!("not County, Municipality or State Agency; kept as `{slug}`"),
                );
            }
            listing.agency_type = Some(slug);
        }
    }

    // COUNTY
    listing.county = context.text(cells, row, Field::County);
    if listing.county.is_none() && raw_text(cells, context.header.column(Field::County)).is_empty()
    {
        context.missing(row, Field::County, Severity::Note, "");
    }

    // SUPPORT TYPE
    listing.support_raw = raw_text(cells, context.header.column(Field::SupportType));
    match context.text(cells, row, Field::SupportType) {
        None => context.missing(row, Field::SupportType, Severity::Error, NOT_COUNTED),
        Some(text) => match match_model(&text) {
            Some(model) => listing.model = Some(model.slug.to_string()),
            None => {
                let slug = slug(&text);
                if let Some(column) = context.header.column(Field::SupportType) {
                    context.issue(
                        row,
                        column,
                        "unknown_support_type",
                        Severity::Warning,
                        Some(&text),
                        format!("not one of ICE's three models; kept as `{slug}`"),
                    );
                }
                listing.model = Some(slug);
            }
        },
    }

    // SIGNED
    if let Some(column) = context.header.column(Field::Signed) {
        let cell = cells.get(column).unwrap_or(&Cell::Empty);
        if !cell.is_blank() {
            listing.signed_raw = Some(cell.display());
        }
        listing.signed = signed_date(context, cell, row, column, taken);
        if cell.is_blank() && kind == SheetKind::Participating {
            context.missing(row, Field::Signed, Severity::Warning, "");
        }
    }

    listing.moa = context.text(cells, row, Field::Moa);
    listing.addendum = context.text(cells, row, Field::Addendum);
    listing
}

fn raw_text(cells: &[Cell], column: Option<usize>) -> String {
    column
        .and_then(|c| cells.get(c))
        .map(Cell::display)
        .unwrap_or_default()
}

fn signed_date(
    context: &mut Context<'_>,
    cell: &Cell,
    row: u32,
    column: usize,
    taken: SnapshotTime,
) -> Option<Day> {
    let value = cell.display();
    let read = match cell {
        Cell::Empty => return None,
        Cell::Date(day) => Some(*day),
        Cell::Text(text) if text.trim().is_empty() => return None,
        Cell::Text(text) => {
            let text = text.trim();
            let read = Day::parse_us(text).or_else(|| Day::parse_iso(text));
            if let Some(day) = read {
                if context.table.typed {
                    context.issue(
                        row,
                        column,
                        "date_as_text",
                        Severity::Note,
                        Some(&value),
                        format!("a date typed as text, read as {day}"),
                    );
                }
            }
            read
        }
        Cell::Number(_) | Cell::Error(_) => None,
    };
    let Some(day) = read else {
        context.issue(
            row,
            column,
            "not_a_date",
            Severity::Error,
            Some(&value),
            "not a date; the signing date is left empty".to_string(),
        );
        return None;
    };
    if day.year() < FIRST_PLAUSIBLE_YEAR || day.year() > taken.day.year() + 1 {
        context.issue(
            row,
            column,
            "implausible_date",
            Severity::Error,
            Some(&value),
            format!(
                "year {} is outside {FIRST_PLAUSIBLE_YEAR}..{}; the signing date is left empty",
                day.year(),
                taken.day.year()
            ),
        );
        return None;
    }
    if day > taken.day {
        context.issue(
            row,
            column,
            "signed_after_snapshot",
            Severity::Warning,
            Some(&value),
            format!("signed after the sheet's date ({})", taken.day),
        );
    }
    Some(day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }

    fn table(rows: Vec<Vec<Cell>>) -> Table {
        Table {
            first_row: 1,
            first_column: 0,
            rows,
            sheet_name: None,
            typed: true,
            declared_end: None,
        }
    }

    fn header_row(with_addendum: bool) -> Vec<Cell> {
        let mut row: Vec<Cell> = [
            "STATE",
            "LAW ENFORCEMENT AGENCY",
            "TYPE",
            "COUNTY",
            "SUPPORT TYPE",
            "SIGNED",
            "MOA",
        ]
        .iter()
        .map(|h| text(h))
        .collect();
        if with_addendum {
            row.push(text("ADDENDUM"));
        }
        row.push(Cell::Empty);
        row
    }

    fn taken() -> SnapshotTime {
        SnapshotTime::parse("2025-07-09am").unwrap()
    }

    #[test]
    fn reads_a_clean_row() {
        let sheet = parse_sheet(
            Path::new("t.xlsx"),
            &table(vec![
                header_row(true),
                vec![
                    text("GEORGIA"),
                    text("Cobb County Sheriff's Office"),
                    text("County"),
                    text("Cobb County"),
                    text("Task Force Model"),
                    Cell::Date(Day::new(2025, 6, 2).unwrap()),
                    text("link"),
                    Cell::Empty,
                ],
            ]),
            SheetKind::Participating,
            taken(),
        )
        .unwrap();
        let listing = &sheet.listings[0];
        assert_eq!(listing.row, 2);
        assert_eq!(listing.state, Some("GA"));
        assert_eq!(listing.model.as_deref(), Some("task_force"));
        assert_eq!(listing.signed, Day::new(2025, 6, 2));
        assert!(listing.counted);
        assert_eq!(
            sheet.header.signature(),
            "STATE|LAW ENFORCEMENT AGENCY|TYPE|COUNTY|SUPPORT TYPE|SIGNED|MOA|ADDENDUM"
        );
        // Only the unnamed trailing column is worth a note.
        assert_eq!(
            sheet.issues.iter().map(|i| i.kind).collect::<Vec<_>>(),
            vec!["unnamed_columns"]
        );
    }

    #[test]
    fn reports_each_bad_cell_with_row_and_column() {
        let sheet = parse_sheet(
            Path::new("t.xlsx"),
            &table(vec![
                header_row(false),
                vec![
                    text("UTAHJ"),
                    text("Utah County Sheriff's Office "),
                    text("Municipal"),
                    Cell::Error("#N/A".into()),
                    text("Task Force Model "),
                    text("7/72025"),
                    text("link"),
                ],
                vec![
                    text("ARKANSAS"),
                    text("Arkansas State Police Department"),
                    text("State Agency"),
                    text("Pulaski County"),
                    text("Task Force Model"),
                    Cell::Date(Day::new(5025, 7, 7).unwrap()),
                    text("link pending"),
                ],
                vec![Cell::Empty, text("  ")],
            ]),
            SheetKind::Participating,
            taken(),
        )
        .unwrap();
        let found: Vec<(Option<u32>, Option<&str>, &str)> = sheet
            .issues
            .iter()
            .map(|i| (i.row, i.column.as_deref(), i.kind))
            .collect();
        assert!(found.contains(&(Some(2), Some("STATE (A)"), "state_corrected")));
        assert!(found.contains(&(
            Some(2),
            Some("LAW ENFORCEMENT AGENCY (B)"),
            "stray_whitespace"
        )));
        assert!(found.contains(&(Some(2), Some("TYPE (C)"), "nonstandard_value")));
        assert!(found.contains(&(Some(2), Some("COUNTY (D)"), "placeholder_value")));
        assert!(found.contains(&(Some(2), Some("SUPPORT TYPE (E)"), "stray_whitespace")));
        assert!(found.contains(&(Some(2), Some("SIGNED (F)"), "not_a_date")));
        assert!(found.contains(&(Some(3), Some("SIGNED (F)"), "implausible_date")));
        assert!(found.contains(&(None, None, "empty_rows")));
        let implausible = sheet
            .issues
            .iter()
            .find(|i| i.kind == "implausible_date")
            .unwrap();
        assert_eq!(implausible.value.as_deref(), Some("5025-07-07"));
        // Both rows are still agreements, without a signing date.
        assert!(
            sheet
                .listings
                .iter()
                .all(|l| l.counted && l.signed.is_none())
        );
        assert_eq!(sheet.listings[0].state, Some("UT"));
        assert_eq!(sheet.listings[0].signed_raw.as_deref(), Some("7/72025"));
        assert_eq!(sheet.empty_rows, 1);
    }

    #[test]
    fn counts_a_duplicated_row_once() {
        let row = |signed| {
            vec![
                text("FLORIDA"),
                text("St. Cloud Police Department"),
                text("Municipality"),
                text("Osceola County"),
                text("Task Force Model"),
                Cell::Date(Day::new(2025, 4, signed).unwrap()),
                text("link"),
            ]
        };
        let sheet = parse_sheet(
            Path::new("t.xlsx"),
            &table(vec![header_row(false), row(15), row(14)]),
            SheetKind::Participating,
            taken(),
        )
        .unwrap();
        assert_eq!(sheet.listings.iter().filter(|l| l.counted).count(), 1);
        let duplicate = sheet
            .issues
            .iter()
            .find(|i| i.kind == "duplicate_row")
            .unwrap();
        assert_eq!(duplicate.row, Some(3));
        assert!(duplicate.message.contains("row 2"));
    }

    #[test]
    fn pending_sheets_have_no_signed_column() {
        let sheet = parse_sheet(
            Path::new("t.csv"),
            &table(vec![
                vec![
                    text("STATE"),
                    text("LAW ENFORCEMENT AGENCY"),
                    text("TYPE"),
                    text("COUNTY"),
                    text("SUPPORT TYPE"),
                ],
                vec![
                    text("ALABAMA"),
                    text("Madison County Sheriff's Office"),
                    text("County"),
                    text("Madison County"),
                    text("Task Force Model"),
                ],
            ]),
            SheetKind::Pending,
            taken(),
        )
        .unwrap();
        assert!(sheet.issues.is_empty(), "{:?}", sheet.issues);
        assert!(sheet.listings[0].counted);
    }

    #[test]
    fn a_sheet_without_the_needed_headers_is_an_error() {
        let error = parse_sheet(
            Path::new("notes.csv"),
            &table(vec![vec![text("NAME"), text("CITY")]]),
            SheetKind::Pending,
            taken(),
        )
        .unwrap_err();
        assert!(
            error
                .to_string()
                .contains("`notes.csv` has no 287(g) header row")
        );
        assert!(error.help().unwrap().contains("SUPPORT TYPE"));
    }
}
