//! "Searched and found none": where a jurisdiction's law was searched on a question family and
//! nothing was found (`searched.toml` in its folder). An answer with no rule then says the law was
//! searched, where and when, instead of a bare "no rule" a reader cannot tell from "never looked";
//! `rules coverage` shows each state as encoded, searched-none or not yet reviewed per family.

use serde::{Deserialize, Serialize};

use crate::corpus::{Corpus, Diagnostic, SourceFile, line_of};
use crate::date::Date;
use crate::jurisdiction::{Jurisdiction, STATES};
use crate::rule::toml_date;

/// One search record.
#[derive(Clone, Debug, Serialize)]
pub struct Searched {
    /// The division whose law was searched.
    pub jurisdiction: Jurisdiction,
    /// Question families (ids of `guide.toml`'s sections) with no law found.
    pub families: Vec<String>,
    /// The day the search was made.
    pub date: Date,
    /// Where the search looked (codes, session laws, opinions).
    pub sources: Vec<String>,
    /// The search terms used.
    pub terms: Vec<String>,
    /// What was found: a sentence.
    pub found: String,
    /// Anything a reader should know about the search; `None` when there is nothing.
    pub note: Option<String>,
    /// The `searched.toml` file, relative to the corpus root.
    pub file: String,
    /// The record's line in that file, counted from 1.
    pub line: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    jurisdiction: String,
    #[serde(rename = "searched", default)]
    records: Vec<toml::Spanned<RawRecord>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRecord {
    families: Vec<String>,
    date: toml::value::Datetime,
    sources: Vec<String>,
    #[serde(default)]
    terms: Vec<String>,
    found: String,
    #[serde(default)]
    note: Option<String>,
}

/// Reads one `searched.toml`, reporting each problem with its line. `families` are the known
/// family ids.
pub(crate) fn load_searched(
    file: &SourceFile,
    families: &[String],
    out: &mut Vec<Searched>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut problem = |line: Option<usize>, message: String, help: Option<String>| {
        diagnostics.push(Diagnostic {
            file: file.path.clone(),
            line,
            rule: None,
            message,
            help,
        });
    };
    let parsed: RawFile = match toml::from_str(&file.text) {
        Ok(p) => p,
        Err(e) => {
            problem(
                e.span().map(|s| line_of(&file.text, s.start)),
                e.message().to_string(),
                None,
            );
            return;
        }
    };
    let jurisdiction = match Jurisdiction::parse_ocd(&parsed.jurisdiction) {
        Ok(j) => j,
        Err(e) => {
            problem(Some(1), e.to_string(), Some(e.help()));
            return;
        }
    };
    let lines = crate::corpus::Lines::new(&file.text);
    for spanned in parsed.records {
        let line = lines.line(spanned.span().start);
        let raw = spanned.into_inner();
        let date = match toml_date(&raw.date) {
            Ok(d) => d,
            Err(message) => {
                problem(Some(line), format!("`date`: {message}"), None);
                continue;
            }
        };
        for family in &raw.families {
            if !families.contains(family) {
                problem(
                    Some(line),
                    format!("`{family}` is not a question family"),
                    Some(format!(
                        "families are the section ids of guide.toml: {}",
                        families.join(", ")
                    )),
                );
            }
        }
        if raw.families.is_empty() {
            problem(Some(line), "`families` names none".to_string(), None);
        }
        if raw.sources.iter().all(|s| s.trim().is_empty()) {
            problem(
                Some(line),
                "`sources` must say where the law was searched".to_string(),
                None,
            );
        }
        if raw.found.trim().is_empty() {
            problem(
                Some(line),
                "`found` must say what the search found".to_string(),
                None,
            );
        }
        out.push(Searched {
            jurisdiction: jurisdiction.clone(),
            families: raw.families,
            date,
            sources: raw.sources,
            terms: raw.terms,
            found: raw.found,
            note: raw.note,
            file: file.path.clone(),
            line,
        });
    }
}

/// A search record an answer cites: the law of this division was searched on the question's
/// family and found silent.
#[derive(Clone, Debug, Serialize)]
pub struct SearchedNote {
    /// The OCD id of the division searched.
    pub jurisdiction: String,
    /// That division's name as a sentence states it.
    pub name: String,
    /// The question family searched (a section id of `guide.toml`).
    pub family: String,
    /// The day the search was made, as `YYYY-MM-DD`.
    pub date: String,
    /// Where the search looked (codes, session laws, opinions).
    pub sources: Vec<String>,
    /// What was found, as a sentence.
    pub found: String,
}

/// Where a jurisdiction stands on one question family.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FamilyStatus {
    /// The corpus has rules of this jurisdiction on the family.
    Encoded,
    /// The law was searched and nothing was found.
    SearchedNone,
    /// Neither.
    NotYetReviewed,
}

impl FamilyStatus {
    /// The status in plain words, e.g. `searched, none found`.
    pub fn label(self) -> &'static str {
        match self {
            FamilyStatus::Encoded => "encoded",
            FamilyStatus::SearchedNone => "searched, none found",
            FamilyStatus::NotYetReviewed => "not yet reviewed",
        }
    }
}

/// One state's (or territory's) row of the national table.
#[derive(Clone, Debug, Serialize)]
pub struct StateCoverage {
    /// The two-letter postal code, e.g. `TX`.
    pub code: String,
    /// The state's or territory's name.
    pub name: String,
    /// Its OCD id.
    pub jurisdiction: String,
    /// How many rules of exactly this jurisdiction the corpus holds.
    pub rules: usize,
    /// Per family id, in `guide.toml` order.
    pub families: Vec<(String, FamilyStatus)>,
    /// The newest review or search date among the state's rules and records.
    pub last_review: Option<String>,
}

impl Corpus {
    /// The question family of an action: the `guide.toml` section that lists it.
    pub fn family_of(&self, action: &str) -> Option<&str> {
        let id = self.vocabulary.action(action).ok()?;
        self.family_of_action(id)
    }

    /// As [`Corpus::family_of`], by the action's index.
    pub(crate) fn family_of_action(&self, action: crate::vocabulary::ActionId) -> Option<&str> {
        self.guide
            .iter()
            .find(|s| s.questions.iter().any(|q| q.action == action))
            .map(|s| s.id.as_str())
    }

    /// Whether a rule is on an action of `family`.
    fn rule_in_family(&self, rule: &crate::rule::Rule, family: &str) -> bool {
        rule.compiled
            .actions
            .iter()
            .any(|&a| self.family_of_action(a) == Some(family))
    }

    /// The question families, in order.
    pub fn families(&self) -> Vec<(String, String)> {
        self.guide
            .iter()
            .map(|s| (s.id.clone(), s.title.clone()))
            .collect()
    }

    /// Every search record.
    pub fn searched(&self) -> &[Searched] {
        &self.searched
    }

    /// The search records that say the law of `place` (or a division containing it) is silent
    /// on the action's family.
    pub(crate) fn searched_notes(
        &self,
        place: &Jurisdiction,
        within: &[Jurisdiction],
        action: &str,
    ) -> Vec<SearchedNote> {
        let Some(family) = self.family_of(action) else {
            return Vec::new();
        };
        self.searched
            .iter()
            .filter(|s| {
                s.families.iter().any(|f| f == family)
                    && (s.jurisdiction.contains(place)
                        || within.iter().any(|w| s.jurisdiction.contains(w)))
            })
            .map(|s| SearchedNote {
                jurisdiction: s.jurisdiction.to_string(),
                name: s.jurisdiction.phrase(),
                family: family.to_string(),
                date: s.date.to_string(),
                sources: s.sources.clone(),
                found: s.found.clone(),
            })
            .collect()
    }

    /// Each state, DC and territory by question family: encoded, searched-none, or not yet
    /// reviewed.
    pub fn family_coverage(&self) -> Vec<StateCoverage> {
        let families = self.families();
        let mut out = Vec::new();
        for (code, name, kind) in STATES {
            let id = format!(
                "{}/{}:{}",
                crate::jurisdiction::UNITED_STATES,
                kind,
                code.to_ascii_lowercase()
            );
            let Ok(jurisdiction) = Jurisdiction::parse_ocd(&id) else {
                continue;
            };
            let rules: Vec<_> = self
                .rules
                .iter()
                .filter(|r| r.jurisdiction == jurisdiction)
                .collect();
            let mut last: Option<Date> = rules.iter().filter_map(|r| r.reviewed).max();
            let records: Vec<&Searched> = self
                .searched
                .iter()
                .filter(|s| s.jurisdiction == jurisdiction)
                .collect();
            if let Some(newest) = records.iter().map(|s| s.date).max() {
                last = Some(last.map_or(newest, |l| l.max(newest)));
            }
            let statuses = families
                .iter()
                .map(|(family, _)| {
                    let encoded = rules.iter().any(|r| self.rule_in_family(r, family));
                    let status = if encoded {
                        FamilyStatus::Encoded
                    } else if records.iter().any(|s| s.families.contains(family)) {
                        FamilyStatus::SearchedNone
                    } else {
                        FamilyStatus::NotYetReviewed
                    };
                    (family.clone(), status)
                })
                .collect();
            out.push(StateCoverage {
                code: (*code).to_string(),
                name: (*name).to_string(),
                jurisdiction: id,
                rules: rules.len(),
                families: statuses,
                last_review: last.map(|d| d.to_string()),
            });
        }
        out
    }

    /// Search records that claim a family where the jurisdiction has rules on it.
    pub(crate) fn searched_conflicts(&self) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for record in &self.searched {
            for family in &record.families {
                if let Some(rule) = self.rules.iter().find(|r| {
                    r.jurisdiction == record.jurisdiction && self.rule_in_family(r, family)
                }) {
                    out.push(Diagnostic {
                        file: record.file.clone(),
                        line: Some(record.line),
                        rule: None,
                        message: format!(
                            "family `{family}` is recorded as searched with none found, but rule `{}` of the same jurisdiction is on it",
                            rule.id
                        ),
                        help: Some("list only the families with no law found".to_string()),
                    });
                }
            }
        }
        out
    }
}
