//! Context: dated facts with sources that help a reader but are not rules.
//!
//! Two kinds live in `context.toml` files: **listings** (a government list naming places, such as
//! the Department of Justice's August 2025 list of "sanctuary jurisdictions", which has no legal
//! effect by itself) and **figures** (dated counts, such as the number of 287(g) agreements). An
//! answer shows the listings naming the place or a division containing it, and the figures for
//! the action asked about, dated on or before the question's date. Neither ever changes a verdict.

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::jurisdiction::Jurisdiction;
use crate::rule::{Provenance, Source};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawContextFile {
    #[serde(default, rename = "listing")]
    pub listings: Vec<toml::Spanned<RawListing>>,
    #[serde(default, rename = "figure")]
    pub figures: Vec<toml::Spanned<RawFigure>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawListing {
    pub id: String,
    pub title: String,
    pub date: toml::value::Datetime,
    pub summary: String,
    pub provenance: Provenance,
    pub sources: Vec<Source>,
    #[serde(default)]
    pub note: Option<String>,
    pub members: Vec<String>,
    #[serde(default)]
    pub member_notes: std::collections::BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFigure {
    pub id: String,
    pub jurisdiction: String,
    pub date: toml::value::Datetime,
    pub statement: String,
    #[serde(default, deserialize_with = "crate::rule::one_or_many")]
    pub actions: Vec<String>,
    pub provenance: Provenance,
    pub source: Source,
}

/// A list naming places.
#[derive(Clone, Debug, Serialize)]
pub struct Listing {
    /// Stable identifier of the listing in the corpus.
    pub id: String,
    /// The list's title as its publisher gives it.
    pub title: String,
    /// The day the list was published.
    pub date: Date,
    /// One neutral sentence saying what the list is and what effect it has.
    pub summary: String,
    /// How well the listing is established.
    pub provenance: Provenance,
    /// Where a reader can check the list.
    pub sources: Vec<Source>,
    /// Anything a reader should know that does not fit the summary; `None` when there is nothing.
    pub note: Option<String>,
    /// The divisions the list names.
    pub members: Vec<Jurisdiction>,
    /// Notes on single entries, keyed by the division's OCD id (e.g. a listed county disputing it).
    pub member_notes: std::collections::BTreeMap<String, String>,
}

/// A dated figure with its source.
#[derive(Clone, Debug, Serialize)]
pub struct Figure {
    /// Stable identifier of the figure in the corpus.
    pub id: String,
    /// The division the figure is about.
    pub jurisdiction: Jurisdiction,
    /// The day the figure was true of.
    pub date: Date,
    /// The figure as one sentence, e.g. how many 287(g) agreements were in force.
    pub statement: String,
    /// The actions the figure concerns, as vocabulary names; an answer shows it for these actions.
    pub actions: Vec<String>,
    /// How well the figure is established.
    pub provenance: Provenance,
    /// Where a reader can check the figure.
    pub source: Source,
}

/// A listing as shown with an answer: which of the place's divisions it names.
#[derive(Clone, Debug, Serialize)]
pub struct ListingMatch {
    /// Stable identifier of the listing in the corpus.
    pub id: String,
    /// The list's title as its publisher gives it.
    pub title: String,
    /// The day the list was published.
    pub date: Date,
    /// One neutral sentence saying what the list is and what effect it has.
    pub summary: String,
    /// How well the listing is established.
    pub provenance: Provenance,
    /// Where a reader can check the list.
    pub sources: Vec<Source>,
    /// Anything a reader should know that does not fit the summary; `None` when there is nothing.
    pub note: Option<String>,
    /// The divisions of the place's chain that the listing names.
    pub names: Vec<String>,
    /// Notes on those entries (e.g. a listed county disputing its listing).
    pub entry_notes: Vec<String>,
}

impl Listing {
    /// The listing as it bears on a place, if it names the place or a division containing it.
    pub fn matching(&self, place: &Jurisdiction, within: &[Jurisdiction]) -> Option<ListingMatch> {
        let names: Vec<String> = self
            .members
            .iter()
            .filter(|m| m.contains(place) || within.iter().any(|w| m.contains(w)))
            .map(|m| m.to_string())
            .collect();
        if names.is_empty() {
            return None;
        }
        let entry_notes = names
            .iter()
            .filter_map(|n| self.member_notes.get(n).cloned())
            .collect();
        Some(ListingMatch {
            id: self.id.clone(),
            title: self.title.clone(),
            date: self.date,
            summary: self.summary.clone(),
            provenance: self.provenance,
            sources: self.sources.clone(),
            note: self.note.clone(),
            names,
            entry_notes,
        })
    }
}
