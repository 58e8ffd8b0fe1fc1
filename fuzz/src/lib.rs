//! Helpers shared by the fuzz targets.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;

const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const RELATIONSHIPS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PACKAGE: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const TYPES: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml";

/// Builds an XLSX workbook with one sheet named `sheet_name` whose XML is `<worksheet>` around
/// `sheet_body` (`<sheetData>…</sheetData>` and whatever else the fuzzer makes of it), and a
/// shared strings part `<sst>` around `shared_strings` when that is not empty. The parts are
/// stored, not compressed, so that the fuzzer's bytes reach the XML reader as they are.
pub fn xlsx(sheet_name: &str, sheet_body: &[u8], shared_strings: &[u8]) -> Vec<u8> {
    let mut content_types = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="{TYPES}.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="{TYPES}.worksheet+xml"/>"#
    );
    let mut workbook_rels = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE}"><Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/>"#
    );
    if !shared_strings.is_empty() {
        content_types.push_str(&format!(
            r#"<Override PartName="/xl/sharedStrings.xml" ContentType="{TYPES}.sharedStrings+xml"/>"#
        ));
        workbook_rels.push_str(&format!(
            r#"<Relationship Id="rId2" Type="{RELATIONSHIPS}/sharedStrings" Target="sharedStrings.xml"/>"#
        ));
    }
    content_types.push_str("</Types>");
    workbook_rels.push_str("</Relationships>");
    let package_rels = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE}"><Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
    );
    let workbook = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}"><sheets><sheet name="{sheet_name}" sheetId="1" r:id="rId1"/></sheets></workbook>"#
    );
    let mut sheet =
        format!(r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">"#).into_bytes();
    sheet.extend_from_slice(sheet_body);
    sheet.extend_from_slice(b"</worksheet>");
    let mut strings =
        format!(r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">"#).into_bytes();
    strings.extend_from_slice(shared_strings);
    strings.extend_from_slice(b"</sst>");

    let mut parts: Vec<(&str, &[u8])> = vec![
        ("[Content_Types].xml", content_types.as_bytes()),
        ("_rels/.rels", package_rels.as_bytes()),
        ("xl/workbook.xml", workbook.as_bytes()),
        ("xl/_rels/workbook.xml.rels", workbook_rels.as_bytes()),
        ("xl/worksheets/sheet1.xml", &sheet),
    ];
    if !shared_strings.is_empty() {
        parts.push(("xl/sharedStrings.xml", &strings));
    }
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, data) in parts {
        // Writing into memory cannot fail; a failure would be a bug in this helper.
        writer.start_file(name, options).expect("zip entry");
        writer.write_all(data).expect("zip data");
    }
    writer.finish().expect("zip end").into_inner()
}

/// Splits `data` at its first NUL byte (the rest is empty when there is none).
pub fn split_nul(data: &[u8]) -> (&[u8], &[u8]) {
    match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[]),
    }
}
