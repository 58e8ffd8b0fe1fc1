//! Reading a sheet file (XLSX, XLS, ODS or CSV) into header and cells.
//!
//! The workbook is read from the bytes already hashed for the import log, so what is imported is
//! exactly what was hashed. Cells keep their type (a SIGNED date is a date, `7/72025` is text)
//! because the row parser reports what each cell was, not what it should have been.

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Reader};

use crate::day::Day;
use crate::error::RegistryError;

/// One cell, as the file gave it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    /// A date-formatted cell: the day, and whether it carried a time of day.
    Date(Day),
    /// An Excel error value such as `#N/A`.
    Error(String),
}

impl Cell {
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(text) => text.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as text, as a spreadsheet shows it (dates as `YYYY-MM-DD`).
    pub fn display(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(text) => text.clone(),
            Cell::Number(number) if number.fract() == 0.0 && number.abs() < 1e15 => {
                format!("{}", *number as i64)
            }
            Cell::Number(number) => number.to_string(),
            Cell::Date(day) => day.to_string(),
            Cell::Error(error) => error.clone(),
        }
    }
}

/// The cells of a sheet's used range, with their position in the sheet.
#[derive(Debug)]
pub struct Table {
    /// 1-based sheet row of `rows[0]`.
    pub first_row: u32,
    /// 0-based sheet column of each row's first cell.
    pub first_column: u32,
    pub rows: Vec<Vec<Cell>>,
    /// The worksheet read (`None` for CSV).
    pub sheet_name: Option<String>,
    /// Whether cells carry types (a workbook), so that a date typed as text is worth a note.
    pub typed: bool,
    /// The sheet's declared extent (XLSX `<dimension>`), 1-based last row and 0-based last
    /// column, when it reaches past the cells that hold values: spreadsheet programs show
    /// those empty rows and columns.
    pub declared_end: Option<(u32, u32)>,
}

impl Table {
    /// 0-based sheet column just past the used range.
    pub fn used_column_end(&self) -> u32 {
        self.first_column + self.rows.iter().map(Vec::len).max().unwrap_or(0) as u32
    }

    /// 1-based sheet row just past the used range.
    pub fn used_row_end(&self) -> u32 {
        self.first_row + self.rows.len() as u32
    }
}

/// Reads `content` (the bytes of `path`) by its extension.
pub fn read_table(path: &Path, content: &[u8]) -> Result<Table, RegistryError> {
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "csv" => read_csv(path, content),
        "xlsx" | "xlsm" | "xls" | "ods" => read_workbook(path, content),
        _ => Err(RegistryError::UnsupportedFile {
            path: path.to_path_buf(),
        }),
    }
}

fn read_workbook(path: &Path, content: &[u8]) -> Result<Table, RegistryError> {
    let unreadable = |message: String| RegistryError::Unreadable {
        path: path.to_path_buf(),
        message,
    };
    let limits = remit_store::limits::Limits::get();
    remit_store::limits::check_workbook(Cursor::new(content), &limits).map_err(unreadable)?;
    let mut workbook = calamine::open_workbook_auto_from_rs(Cursor::new(content))
        .map_err(|e| unreadable(e.to_string()))?;
    // ICE's workbooks have one sheet; a workbook with several is read from the first whose
    // header the parser recognises, so that a cover sheet does not hide the data.
    let names = workbook.sheet_names();
    let mut first = None;
    for name in &names {
        let range = workbook
            .worksheet_range(name)
            .map_err(|e| unreadable(format!("worksheet `{name}`: {e}")))?;
        let (rows, columns) = range.get_size();
        remit_store::limits::check_sheet(name, rows, columns, &limits).map_err(unreadable)?;
        let mut table = range_to_table(&range, name);
        if let calamine::Sheets::Xlsx(xlsx) = &mut workbook {
            if let Ok(reader) = xlsx.worksheet_cells_reader(name) {
                let declared = reader.dimensions();
                table.declared_end = Some((declared.end.0 + 1, declared.end.1));
            }
        }
        if crate::parse::find_header(&table).is_some() {
            return Ok(table);
        }
        first.get_or_insert(table);
    }
    first.ok_or_else(|| unreadable("the workbook has no worksheet".to_string()))
}

fn range_to_table(range: &calamine::Range<Data>, name: &str) -> Table {
    let (first_row, first_column) = range.start().unwrap_or((0, 0));
    let rows = range
        .rows()
        .map(|row| row.iter().map(convert).collect())
        .collect();
    Table {
        first_row: first_row + 1,
        first_column,
        rows,
        sheet_name: Some(name.to_string()),
        typed: true,
        declared_end: None,
    }
}

fn convert(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(text) => Cell::Text(text.clone()),
        Data::Int(number) => Cell::Number(*number as f64),
        Data::Float(number) => Cell::Number(*number),
        Data::Bool(value) => Cell::Text(value.to_string()),
        Data::DateTime(datetime) if datetime.is_datetime() => {
            let (year, month, day, ..) = datetime.to_ymd_hms_milli();
            match Day::new(i32::from(year), month, day) {
                Some(day) => Cell::Date(day),
                None => Cell::Number(datetime.as_f64()),
            }
        }
        Data::DateTime(datetime) => Cell::Number(datetime.as_f64()),
        Data::DateTimeIso(text) | Data::DurationIso(text) => Cell::Text(text.clone()),
        Data::Error(error) => Cell::Error(error.to_string()),
    }
}

fn read_csv(path: &Path, content: &[u8]) -> Result<Table, RegistryError> {
    // A UTF-8 byte-order mark, as spreadsheet programs write, is not part of the first header.
    let content = content.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(content);
    let limits = remit_store::limits::Limits::get();
    let too_large = |e: remit_store::limits::Exceeded| RegistryError::Unreadable {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    remit_store::limits::check_lines(content, &limits).map_err(too_large)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(content);
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|error| RegistryError::Unreadable {
            path: path.to_path_buf(),
            message: match error.position() {
                Some(position) => format!("line {}: {error}", position.line()),
                None => error.to_string(),
            },
        })?;
        let line = record.position().map_or(0, |p| p.line());
        remit_store::limits::check_record(line, record.iter().map(str::as_bytes), &limits)
            .map_err(too_large)?;
        rows.push(
            record
                .iter()
                .map(|field| {
                    if field.is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(field.to_string())
                    }
                })
                .collect(),
        );
    }
    Ok(Table {
        first_row: 1,
        first_column: 0,
        rows,
        sheet_name: None,
        typed: false,
        declared_end: None,
    })
}

/// `A`, `B`, ..., `Z`, `AA`, ... for a 0-based column index.
pub fn column_letter(index: u32) -> String {
    let mut index = index + 1;
    let mut letters = Vec::new();
    while index > 0 {
        let remainder = (index - 1) % 26;
        letters.push(char::from(b'A' + remainder as u8));
        index = (index - 1) / 26;
    }
    letters.iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_columns_like_a_spreadsheet() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(7), "H");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
    }

    #[test]
    fn csv_rows_keep_their_line_numbers_and_blank_fields() {
        let table = read_table(
            Path::new("x.csv"),
            b"\xEF\xBB\xBFSTATE,LAW ENFORCEMENT AGENCY\nGEORGIA,\"Cobb County Sheriff's Office\"\n,\n",
        )
        .unwrap();
        assert_eq!(table.rows.len(), 3);
        assert_eq!(table.rows[0][0], Cell::Text("STATE".into()));
        assert_eq!(table.rows[2][0], Cell::Empty);
    }

    #[test]
    fn unsupported_extensions_are_refused() {
        let error = read_table(Path::new("x.pdf"), b"").unwrap_err();
        assert!(error.to_string().contains("x.pdf"));
    }
}
