//! The sheets' small vocabularies: 287(g) support models and agency types.

/// A 287(g) support model, as a stable slug plus ICE's label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Model {
    /// The stable code stored and used in filters and URLs.
    pub slug: &'static str,
    /// ICE's name for the model, as shown to users.
    pub label: &'static str,
    /// Short forms users type (`tfm`).
    pub abbreviation: &'static str,
}

/// The three models ICE lists.
pub const MODELS: &[Model] = &[
    Model {
        slug: "jail_enforcement",
        label: "Jail Enforcement Model",
        abbreviation: "jem",
    },
    Model {
        slug: "task_force",
        label: "Task Force Model",
        abbreviation: "tfm",
    },
    Model {
        slug: "warrant_service_officer",
        label: "Warrant Service Officer",
        abbreviation: "wso",
    },
];

fn words(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c == '_' || c == '-')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A SUPPORT TYPE cell: the known model, or `None`.
pub fn match_model(raw: &str) -> Option<&'static Model> {
    let cleaned = words(raw);
    MODELS.iter().find(|m| words(m.label) == cleaned)
}

/// A slug for a support type ICE may add later, so that its rows are kept (and reported).
pub fn slug(raw: &str) -> String {
    words(raw)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// A model as the user types it: slug, label, abbreviation, or the label without "model"
/// (`task-force`, `Task Force Model`, `TFM`, `jail enforcement`).
pub fn parse_model(text: &str) -> Option<&'static Model> {
    let cleaned = words(text);
    MODELS.iter().find(|m| {
        cleaned == words(m.slug)
            || cleaned == words(m.label)
            || cleaned == m.abbreviation
            || cleaned == words(m.label).trim_end_matches(" model")
    })
}

/// The label of a model slug (the slug itself for a model this code does not know).
pub fn model_label(slug: &str) -> &str {
    MODELS
        .iter()
        .find(|m| m.slug == slug)
        .map_or(slug, |m| m.label)
}

/// How a TYPE cell was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AgencyType {
    /// One of ICE's three labels.
    Standard(&'static str),
    /// A variant of one (`Municipal`): kept as the standard type, and reported.
    Variant(&'static str),
    /// Anything else, kept as a slug.
    Other(String),
}

/// The agency types ICE uses, as (slug, label).
pub const AGENCY_TYPES: &[(&str, &str)] = &[
    ("county", "County"),
    ("municipality", "Municipality"),
    ("state_agency", "State Agency"),
];

pub fn match_agency_type(raw: &str) -> AgencyType {
    let cleaned = words(raw);
    if let Some((slug, _)) = AGENCY_TYPES
        .iter()
        .find(|(_, label)| words(label) == cleaned)
    {
        return AgencyType::Standard(slug);
    }
    match cleaned.as_str() {
        "municipal" | "city" => AgencyType::Variant("municipality"),
        "state" => AgencyType::Variant("state_agency"),
        _ => AgencyType::Other(slug(raw)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_support_types_with_stray_spaces() {
        assert_eq!(match_model("Task Force Model ").unwrap().slug, "task_force");
        assert_eq!(
            match_model("Jail Enforcement Model").unwrap().slug,
            "jail_enforcement"
        );
        assert!(match_model("Task Force").is_none());
        assert_eq!(slug("Border  Support Model"), "border_support_model");
    }

    #[test]
    fn parses_user_input() {
        for text in [
            "task-force",
            "Task Force Model",
            "TFM",
            "task force",
            "task_force",
        ] {
            assert_eq!(parse_model(text).unwrap().slug, "task_force", "{text}");
        }
        assert_eq!(parse_model("wso").unwrap().slug, "warrant_service_officer");
        assert!(parse_model("force").is_none());
    }

    #[test]
    fn reads_agency_types() {
        assert_eq!(match_agency_type("County "), AgencyType::Standard("county"));
        assert_eq!(
            match_agency_type("State Agency"),
            AgencyType::Standard("state_agency")
        );
        assert_eq!(
            match_agency_type("Municipal"),
            AgencyType::Variant("municipality")
        );
        assert_eq!(
            match_agency_type("Tribal"),
            AgencyType::Other("tribal".into())
        );
    }
}
