//! How well the corpus is read against its sources: the checks `remit rules check` makes beyond
//! loading (every rule dated, quoted, reviewed and tied to the act that made it), and the
//! per-jurisdiction counts of `remit rules review`.
//!
//! A rule that fails these checks still loads and still answers: a corpus being edited stays
//! usable. `remit rules check` refuses it, and the built-in corpus is tested to pass.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::corpus::{Corpus, Diagnostic};
use crate::date::Date;
use crate::rule::{Provenance, Rule};

/// A quote is the operative words, not the section: past this many words it is refused.
pub const QUOTE_MAX_WORDS: usize = 75;

/// A review older than this many days is reported as due.
pub const REVIEW_DUE_DAYS: i64 = 365;

/// What is missing from one rule, in the words `rules check` uses.
pub fn rule_problems(rule: &Rule) -> Vec<(String, Option<String>)> {
    let mut problems = Vec::new();
    if rule.effective_from.is_none() && rule.effective_not_before.is_none() {
        problems.push((
            "the rule has no start date".to_string(),
            Some("give `effective = { from = YYYY-MM-DD }`; if the date cannot be found, `effective = { not_before = YYYY-MM-DD, reason = \"...\" }` with the earliest day it can have been in force".to_string()),
        ));
    }
    let first = rule.versions.first();
    let original_enacted = first.map_or(&rule.enacted, |v| &v.enacted);
    if original_enacted.is_none() {
        problems.push((
            "the rule does not say what made it (`enacted`)".to_string(),
            Some("give `enacted = { citation = \"...\", date = YYYY-MM-DD }`: the session law, ordinance, order or decision".to_string()),
        ));
    }
    let original_quote = first.map_or(&rule.quote, |v| &v.quote);
    quote_problems(original_quote.as_deref(), "", &mut problems);
    if rule.legacy_status {
        problems.push((
            "the status is in the older `status`/`status_since`/`status_note` form".to_string(),
            Some(
                "write it as `history = [{ date, status, event, court, case, source }]`"
                    .to_string(),
            ),
        ));
    }
    if rule.reviewed.is_none() {
        problems.push((
            "the rule has no review date (`reviewed`)".to_string(),
            Some("the day it was last read against its source".to_string()),
        ));
    }
    for (n, version) in rule.versions.iter().enumerate().skip(1) {
        let field = format!("version {} of {}: ", n + 1, rule.versions.len());
        if version.enacted.is_none() {
            problems.push((
                format!("{field}no `enacted`: the act that amended the provision"),
                None,
            ));
        }
        quote_problems(version.quote.as_deref(), &field, &mut problems);
    }
    problems
}

fn quote_problems(quote: Option<&str>, field: &str, problems: &mut Vec<(String, Option<String>)>) {
    match quote {
        None => problems.push((
            format!("{field}no `quote`"),
            Some("quote the operative words the encoding rests on, verbatim, in at most about 50 words".to_string()),
        )),
        Some(q) if q.trim().is_empty() => problems.push((format!("{field}the quote is empty"), None)),
        Some(q) if q.split_whitespace().count() > QUOTE_MAX_WORDS => problems.push((
            format!(
                "{field}the quote has {} words; quote only the operative words (at most {QUOTE_MAX_WORDS})",
                q.split_whitespace().count()
            ),
            Some("elide with `...`".to_string()),
        )),
        Some(_) => {}
    }
}

impl Corpus {
    /// Every rule's review problems, as diagnostics with file, line and rule id.
    pub fn review_problems(&self) -> Vec<Diagnostic> {
        let mut diagnostics = Vec::new();
        for rule in self.rules() {
            for (message, help) in rule_problems(rule) {
                diagnostics.push(Diagnostic {
                    file: rule.location.file.clone(),
                    line: Some(rule.location.line),
                    rule: Some(rule.id.clone()),
                    message,
                    help,
                });
            }
        }
        diagnostics
    }

    /// The review report on `today`.
    pub fn review(&self, today: Date) -> ReviewReport {
        let mut by_jurisdiction: BTreeMap<String, JurisdictionReview> = BTreeMap::new();
        let mut totals = ReviewCounts::default();
        for rule in self.rules() {
            let entry = by_jurisdiction
                .entry(rule.jurisdiction.to_string())
                .or_insert_with(|| JurisdictionReview {
                    jurisdiction: rule.jurisdiction.to_string(),
                    name: rule.jurisdiction.label(),
                    counts: ReviewCounts::default(),
                    needs_work: Vec::new(),
                });
            let mut flags = Vec::new();
            let due = rule
                .reviewed
                .is_some_and(|r| today.days_since_epoch() - r.days_since_epoch() > REVIEW_DUE_DAYS);
            for counts in [&mut entry.counts, &mut totals] {
                counts.rules += 1;
                match rule.provenance {
                    Provenance::Primary => counts.primary += 1,
                    Provenance::Secondary => counts.secondary += 1,
                    Provenance::Unverified => counts.unverified += 1,
                }
                counts.without_quote += usize::from(rule.quote.is_none());
                counts.start_unknown += usize::from(
                    rule.effective_from.is_none() && rule.effective_not_before.is_some(),
                );
                counts.without_start += usize::from(rule.start().is_none());
                counts.without_enacted += usize::from(rule.enacted.is_none());
                counts.never_reviewed += usize::from(rule.reviewed.is_none());
                counts.review_due += usize::from(due);
                counts.with_history += usize::from(!rule.history.is_empty());
                counts.amended += usize::from(!rule.versions.is_empty());
            }
            if rule.quote.is_none() {
                flags.push("no quote");
            }
            if rule.start().is_none() {
                flags.push("no start date");
            } else if rule.effective_from.is_none() {
                flags.push("start date unknown");
            }
            match &rule.enacted {
                None => flags.push("no enacting act"),
                Some(enacted) if enacted.date.is_none() => flags.push("enacting date unknown"),
                Some(_) => {}
            }
            if rule.reviewed.is_none() {
                flags.push("never reviewed");
            } else if due {
                flags.push("reviewed over a year ago");
            }
            match rule.provenance {
                Provenance::Primary => {}
                Provenance::Secondary => flags.push("secondary source"),
                Provenance::Unverified => flags.push("unverified"),
            }
            if !flags.is_empty() {
                entry.needs_work.push(RuleFlags {
                    id: rule.id.clone(),
                    flags,
                });
            }
        }
        ReviewReport {
            as_of: today.to_string(),
            review_due_days: REVIEW_DUE_DAYS,
            totals,
            jurisdictions: by_jurisdiction.into_values().collect(),
        }
    }
}

/// Counts of rules by how well they are read against their sources.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ReviewCounts {
    /// How many rules were counted.
    pub rules: usize,
    /// Rules read in an official code, court opinion or government page.
    pub primary: usize,
    /// Rules read in a reputable summary.
    pub secondary: usize,
    /// Rules reported but not confirmed.
    pub unverified: usize,
    /// Rules with no quote of their source's words.
    pub without_quote: usize,
    /// Rules applied from the earliest possible day because their start date is unknown.
    pub start_unknown: usize,
    /// Rules with neither a start date nor an earliest possible day.
    pub without_start: usize,
    /// Rules that do not say what act made them.
    pub without_enacted: usize,
    /// Rules with no review date.
    pub never_reviewed: usize,
    /// Reviewed more than [`REVIEW_DUE_DAYS`] days before the report's date.
    pub review_due: usize,
    /// Rules with a court or status history.
    pub with_history: usize,
    /// Rules with more than one text by date.
    pub amended: usize,
}

/// One rule that needs a reviewer's attention, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RuleFlags {
    /// The rule's id.
    pub id: String,
    /// What needs attention, in plain words (e.g. `no quote`, `reviewed over a year ago`).
    pub flags: Vec<&'static str>,
}

/// One jurisdiction's counts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct JurisdictionReview {
    /// The jurisdiction's OCD id.
    pub jurisdiction: String,
    /// The jurisdiction's name for people.
    pub name: String,
    /// The counts for the jurisdiction's own rules.
    pub counts: ReviewCounts,
    /// The jurisdiction's rules that need a reviewer's attention; empty when none do.
    pub needs_work: Vec<RuleFlags>,
}

/// `remit rules review`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReviewReport {
    /// The date of the report, as `YYYY-MM-DD`.
    pub as_of: String,
    /// The age in days past which a review is reported as due ([`REVIEW_DUE_DAYS`]).
    pub review_due_days: i64,
    /// The counts over the whole corpus.
    pub totals: ReviewCounts,
    /// One entry per jurisdiction that has rules, in OCD id order.
    pub jurisdictions: Vec<JurisdictionReview>,
}
