//! Layouts: which column holds what, detected from a file's header.
//!
//! Four Flock layouts and one Vigilant layout are known (docs/audit.md shows each header):
//!
//! | layout | tell-tale columns |
//! |---|---|
//! | Flock network audit | `Name, Org Name, ..., License Plate, Reason, Case #, ..., Search Time` |
//! | Flock organization audit | `Search Time` without a searching-user-and-plate pair, e.g. Okaloosa's `ID, Org_Name, ..., Time_Frame_Start, ..., Search_Time` |
//! | Flock portal audit (cameras) | `id, userId, searchDate, cameraCount, reason` |
//! | Flock portal audit (networks) | `id, userId, searchDate, networkCount, reason` (+ `caseNumber`, `offenseType`) |
//! | Vigilant audit | `Reason, DateTime` |
//!
//! Anything else can be read with a mapping (`--map time=When,org=Agency,reason=Why`).
//! Sharing lists (`Name, State, Type`; `Organization Name, Networks Shared With Me, ...`) are
//! recognised so that they can be skipped with a clear word instead of failing.

use remit_store::limits::quote;
use std::fmt;

use crate::error::AuditError;

/// A field of a normalised event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    /// When the search ran.
    Time,
    /// The agency (organization) that searched.
    Searcher,
    /// The reason the officer typed.
    Reason,
    /// The offence type some portal audits give; read as the reason when the reason is empty.
    Offense,
    /// The case or incident number.
    Case,
    /// The officer (user) who searched.
    User,
    /// The plate searched for.
    Plate,
    /// How many networks the search covered.
    Networks,
    /// How many devices (cameras) the search covered.
    Devices,
    /// The kind of search, as the log names it.
    SearchType,
    /// The moderation status some logs give a search.
    Moderation,
    /// The log's own id for the search.
    Id,
}

impl Field {
    /// How many fields there are.
    pub const COUNT: usize = 12;

    /// Every field, in index order.
    pub const ALL: [Field; Field::COUNT] = [
        Field::Time,
        Field::Searcher,
        Field::Reason,
        Field::Offense,
        Field::Case,
        Field::User,
        Field::Plate,
        Field::Networks,
        Field::Devices,
        Field::SearchType,
        Field::Moderation,
        Field::Id,
    ];

    /// The name used in `--map`.
    pub fn name(self) -> &'static str {
        match self {
            Field::Time => "time",
            Field::Searcher => "org",
            Field::Reason => "reason",
            Field::Offense => "offense",
            Field::Case => "case",
            Field::User => "user",
            Field::Plate => "plate",
            Field::Networks => "networks",
            Field::Devices => "devices",
            Field::SearchType => "type",
            Field::Moderation => "moderation",
            Field::Id => "id",
        }
    }

    fn from_name(name: &str) -> Option<Field> {
        match name {
            "searcher" | "agency" | "organization" => Some(Field::Searcher),
            "search_type" => Some(Field::SearchType),
            "case_number" => Some(Field::Case),
            _ => Field::ALL.into_iter().find(|f| f.name() == name),
        }
    }

    /// Header names (normalised: lowercase letters and digits only) that mean this field.
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Field::Time => &[
                "searchtime",
                "searchdate",
                "searchdatetime",
                "datetime",
                "timestamp",
                "searchedat",
                "createdat",
                "time",
                "date",
            ],
            Field::Searcher => &[
                "orgname",
                "organizationname",
                "organization",
                "agency",
                "agencyname",
                "searchingagency",
                "org",
            ],
            Field::Reason => &["reason", "searchreason", "purpose"],
            Field::Offense => &["offensetype", "offense"],
            Field::Case => &["case", "casenumber", "caseno", "casenum", "incidentnumber"],
            Field::User => &["name", "userid", "user", "username", "officer"],
            Field::Plate => &["licenseplate", "plate", "platenumber"],
            Field::Networks => &["totalnetworkssearched", "networkcount", "networks"],
            Field::Devices => &[
                "totaldevicessearched",
                "cameracount",
                "devicecount",
                "devices",
                "cameras",
            ],
            Field::SearchType => &["searchtype"],
            Field::Moderation => &["moderation"],
            Field::Id => &["id", "searchid"],
        }
    }
}

/// The known layouts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LayoutKind {
    /// A Flock network audit: other agencies' searches of one agency's data.
    FlockNetworkAudit,
    /// A Flock organization audit: the organization's own users' searches.
    FlockOrganizationAudit,
    /// A Flock transparency-portal audit (CSV), by camera or network count.
    FlockPortalAudit,
    /// A Vigilant audit (`Reason, DateTime`).
    VigilantAudit,
    /// A transparency-portal archive (JSON) holding a portal audit.
    TransparencyPortal,
    /// Columns given by `--map`.
    Mapped,
}

impl LayoutKind {
    /// The layout's stable name, as in summaries and the store.
    pub fn name(self) -> &'static str {
        match self {
            LayoutKind::FlockNetworkAudit => "flock_network_audit",
            LayoutKind::FlockOrganizationAudit => "flock_organization_audit",
            LayoutKind::FlockPortalAudit => "flock_portal_audit",
            LayoutKind::VigilantAudit => "vigilant_audit",
            LayoutKind::TransparencyPortal => "transparency_portal",
            LayoutKind::Mapped => "mapped",
        }
    }

    /// In a network audit the searchers are other agencies; in the others, the owner's own
    /// users searched.
    pub fn searches_are_by_owner(self) -> bool {
        !matches!(self, LayoutKind::FlockNetworkAudit | LayoutKind::Mapped)
    }
}

impl fmt::Display for LayoutKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Column indices for each field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    /// Which layout it is.
    pub kind: LayoutKind,
    /// The column index of each field, indexed by field (`None` when the file lacks it).
    pub columns: [Option<usize>; Field::COUNT],
    /// The number of columns in the header.
    pub width: usize,
    /// The header as written, for messages.
    pub header: Vec<String>,
}

/// What a header turned out to be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Detected {
    /// A search log, with its layout.
    SearchLog(Box<Layout>),
    /// A file Remit knows but that holds no searches (a sharing list).
    NotASearchLog(&'static str),
    /// A header no layout or mapping fits.
    Unknown,
}

/// `Org_Name` and `Org Name` and `org-name` all become `orgname`.
pub fn normalise(name: &str) -> String {
    name.trim_start_matches('\u{feff}')
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// A user's `--map`: field -> column name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Mapping(pub Vec<(Field, String)>);

impl Mapping {
    /// Reads `time=Search Time,org=Agency`.
    pub fn parse(text: &str) -> Result<Mapping, AuditError> {
        let mut pairs = Vec::new();
        for part in text.split(',').filter(|p| !p.trim().is_empty()) {
            let Some((field, column)) = part.split_once('=') else {
                return Err(AuditError::Map {
                    message: format!("`{}` is not `field=column`", quote(part.trim())),
                });
            };
            let Some(field) = Field::from_name(field.trim()) else {
                return Err(AuditError::Map {
                    message: format!("unknown field `{}`", quote(field.trim())),
                });
            };
            pairs.push((field, column.trim().to_string()));
        }
        Ok(Mapping(pairs))
    }

    /// Whether the mapping names no field.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Layout {
    /// The column index of `field` (`None` when the file lacks it).
    pub fn column(&self, field: Field) -> Option<usize> {
        self.columns[field as usize]
    }

    /// Whether the file has a column for `field`.
    pub fn has(&self, field: Field) -> bool {
        self.column(field).is_some()
    }

    /// Detects the layout of a header, then applies the user's mapping over it.
    pub fn detect(header: &[String], mapping: &Mapping) -> Result<Detected, String> {
        let names: Vec<String> = header.iter().map(|h| normalise(h)).collect();
        let has = |name: &str| names.iter().any(|n| n == name);

        if has("networkssharedwithme") || has("networksimsharing") {
            return Ok(Detected::NotASearchLog("a Flock sharing list"));
        }
        let non_empty: Vec<&String> = names.iter().filter(|n| !n.is_empty()).collect();
        if non_empty.len() <= 3
            && (has("organizationname") || (has("name") && has("state")))
            && !names
                .iter()
                .any(|n| Field::Time.aliases().contains(&n.as_str()))
        {
            return Ok(Detected::NotASearchLog("a sharing list"));
        }

        let mut columns = [None; Field::COUNT];
        for field in Field::ALL {
            // The first alias that a column carries wins, so `searchtime` beats `date`.
            columns[field as usize] = field
                .aliases()
                .iter()
                .find_map(|alias| names.iter().position(|n| n == alias));
        }
        let mut layout = Layout {
            kind: LayoutKind::Mapped,
            columns,
            width: header.len(),
            header: header.to_vec(),
        };
        let kind = if has("searchtime") && layout.has(Field::Searcher) && has("licenseplate") {
            Some(LayoutKind::FlockNetworkAudit)
        } else if has("searchtime") {
            Some(LayoutKind::FlockOrganizationAudit)
        } else if has("searchdate") && (has("cameracount") || has("networkcount")) {
            Some(LayoutKind::FlockPortalAudit)
        } else if has("datetime") && has("reason") && non_empty.len() == 2 {
            Some(LayoutKind::VigilantAudit)
        } else {
            None
        };
        // In a portal or Vigilant audit, `name`-like columns do not exist; the user column is
        // `userId`. In the organization audit the owner's users searched.
        for (field, column) in &mapping.0 {
            let wanted = normalise(column);
            match names.iter().position(|n| *n == wanted) {
                Some(i) => layout.columns[*field as usize] = Some(i),
                None => {
                    let column = quote(column);
                    return Err(format!(
                        "`--map {}={column}`: the header has no column `{column}`; it has {}",
                        field.name(),
                        quote_list(header)
                    ));
                }
            }
        }
        match (kind, mapping.is_empty()) {
            (Some(kind), _) => layout.kind = kind,
            (None, false) => layout.kind = LayoutKind::Mapped,
            (None, true) => return Ok(Detected::Unknown),
        }
        if !layout.has(Field::Time) {
            return Err(format!(
                "no column holds the search time; the header has {}",
                quote_list(header)
            ));
        }
        Ok(Detected::SearchLog(Box::new(layout)))
    }
}

/// The header's columns for a message: the first 20, each cut to a short prefix.
fn quote_list(header: &[String]) -> String {
    const SHOWN: usize = 20;
    let mut list = header
        .iter()
        .take(SHOWN)
        .map(|h| format!("`{}`", quote(h.trim_start_matches('\u{feff}'))))
        .collect::<Vec<_>>()
        .join(", ");
    if header.len() > SHOWN {
        list.push_str(&format!(" and {} more", header.len() - SHOWN));
    }
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detect(header: &str) -> Detected {
        let header: Vec<String> = header.split(',').map(str::to_string).collect();
        Layout::detect(&header, &Mapping::default()).unwrap()
    }

    fn kind(header: &str) -> Option<LayoutKind> {
        match detect(header) {
            Detected::SearchLog(layout) => Some(layout.kind),
            _ => None,
        }
    }

    #[test]
    fn the_known_layouts() {
        assert_eq!(
            kind(
                "Name,Org Name,Total Networks Searched,Total Devices Searched,Time Frame,License Plate,Reason,Case #,Filters,Search Time,Search Type,Text Prompt,Moderation"
            ),
            Some(LayoutKind::FlockNetworkAudit)
        );
        assert_eq!(
            kind(
                "ID,Org_Name,Total_Networks_Searched,Total_Devices_Searched,Time_Frame_Start,Time_Frame_End,Reason,Search_Time,Search_Type,Moderation"
            ),
            Some(LayoutKind::FlockOrganizationAudit)
        );
        assert_eq!(
            kind("id,userId,searchDate,cameraCount,reason"),
            Some(LayoutKind::FlockPortalAudit)
        );
        assert_eq!(
            kind("\u{feff}id,userId,searchDate,networkCount,reason"),
            Some(LayoutKind::FlockPortalAudit)
        );
        assert_eq!(kind("Reason,DateTime"), Some(LayoutKind::VigilantAudit));
    }

    #[test]
    fn network_audit_columns() {
        let Detected::SearchLog(layout) = detect(
            "Name,Org Name,Total Networks Searched,Total Devices Searched,Time Frame,License Plate,Reason,Case #,Filters,Search Time,Search Type,Text Prompt,Moderation",
        ) else {
            panic!("not detected")
        };
        assert_eq!(layout.column(Field::User), Some(0));
        assert_eq!(layout.column(Field::Searcher), Some(1));
        assert_eq!(layout.column(Field::Case), Some(7));
        assert_eq!(layout.column(Field::Time), Some(9));
        assert_eq!(layout.column(Field::Plate), Some(5));
    }

    #[test]
    fn sharing_lists_are_recognised() {
        assert!(matches!(
            detect("Name,State,Type"),
            Detected::NotASearchLog(_)
        ));
        assert!(matches!(
            detect("Page,Organization Name,Networks Shared With Me,Networks I'm Sharing"),
            Detected::NotASearchLog(_)
        ));
        assert!(matches!(
            detect("ORGANIZATION NAME"),
            Detected::NotASearchLog(_)
        ));
    }

    #[test]
    fn mapping_reads_other_headers() {
        let header: Vec<String> = ["When", "Agency Name", "Why"].map(str::to_string).to_vec();
        assert_eq!(
            Layout::detect(&header, &Mapping::default()).unwrap(),
            Detected::Unknown
        );
        let mapping = Mapping::parse("time=When,org=Agency Name,reason=Why").unwrap();
        let Detected::SearchLog(layout) = Layout::detect(&header, &mapping).unwrap() else {
            panic!("not detected")
        };
        assert_eq!(layout.kind, LayoutKind::Mapped);
        assert_eq!(layout.column(Field::Reason), Some(2));
        let bad = Mapping::parse("time=Nope").unwrap();
        let err = Layout::detect(&header, &bad).unwrap_err();
        assert!(err.contains("no column `Nope`"), "{err}");
        assert!(Mapping::parse("when=When").is_err());
        assert!(Mapping::parse("time").is_err());
    }
}
