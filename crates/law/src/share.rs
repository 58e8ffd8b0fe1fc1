//! The one law question about data sharing: may this owner share plate-reader data with that
//! searcher, for this purpose, on this date?
//!
//! The audit pipeline asks it of every distinct (searcher, purpose, day) in a search log; the
//! sharing lists ask it of every owner-to-recipient edge. Both ask it here, so the question is
//! put to the engine one way, and a determining rule is cited one way ([`RuleCitation`]).

use serde::{Deserialize, Serialize};

use crate::corpus::Corpus;
use crate::date::Date;
use crate::engine::{Decision, Question, QuestionError, QuestionInput};
use crate::rule::{Provenance, Rule};

/// The action of the question: sharing automated license plate reader data.
pub const SHARE_PLATE_DATA: &str = "share_alpr_data";

/// Who shares with whom, where, why and when.
#[derive(Debug, Clone, Copy)]
pub struct SharingQuestion<'a> {
    /// The place whose rules bind the owner (its city or county when known, else its state).
    pub place: &'a str,
    /// The owner as the law's actor (`local_police`, `sheriff`, ...).
    pub actor: &'a str,
    /// The recipient relative to the owner (`out_of_state_agency`, `ice`, ...).
    pub counterparty: &'a str,
    /// The purpose the search gives, when it gives one.
    pub purpose: Option<&'a str>,
    /// The day of the search or of the list.
    pub date: Date,
}

impl Corpus {
    /// Decides whether the owner may share plate-reader data with the recipient: the question
    /// as the engine read it, and its decision. Errors are the engine's reasons for refusing
    /// the question (an unknown place or word).
    pub fn may_share_plate_data(
        &self,
        sharing: &SharingQuestion<'_>,
    ) -> Result<(Question, Decision), Vec<QuestionError>> {
        let input = QuestionInput {
            place: sharing.place.to_string(),
            date: Some(sharing.date.to_string()),
            actor: sharing.actor.to_string(),
            action: SHARE_PLATE_DATA.to_string(),
            counterparty: Some(sharing.counterparty.to_string()),
            purpose: sharing.purpose.map(str::to_string),
            facts: Vec::new(),
        };
        let question = self.question(&input)?;
        let decision = self.decide(&question);
        Ok((question, decision))
    }
}

/// A rule that decided a question, as a finding, a stored run or a report cites it: enough to
/// find the source. The full citation of an answer is [`crate::Citation`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleCitation {
    /// The rule's id.
    pub id: String,
    /// The source's citation (`Cal. Civ. Code 1798.90.55(b)`).
    pub citation: String,
    /// Where to read the source.
    pub url: String,
    /// `primary`, `secondary` or `unverified`.
    pub provenance: String,
    /// Further sources the rule cites (an interpreting bulletin, ...).
    #[serde(default)]
    pub also: Vec<String>,
}

impl RuleCitation {
    /// The citation of `rule`.
    pub fn of(rule: &Rule) -> RuleCitation {
        RuleCitation {
            id: rule.id.clone(),
            citation: rule.source.citation.clone(),
            url: rule.source.url.clone(),
            provenance: match rule.provenance {
                Provenance::Primary => "primary",
                Provenance::Secondary => "secondary",
                Provenance::Unverified => "unverified",
            }
            .to_string(),
            also: rule.also_cites.iter().map(|s| s.citation.clone()).collect(),
        }
    }
}
