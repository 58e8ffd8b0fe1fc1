//! Checking edges: the recipient's group and counterparty relative to the owner, the owner's
//! actor and place, and the law engine's verdict with its rules, on the built-in corpus and the
//! built-in directory sample.

#![expect(
    clippy::unwrap_used,
    reason = "test helpers stop the test on a bad setup"
)]

use remit_agencies::{Directory, Resolver};
use remit_law::{Corpus, Date, Scenarios, Verdict};
use remit_sharing::{Checker, Group};

fn corpus() -> Corpus {
    Corpus::embedded_with(Scenarios::Skip).unwrap()
}

fn date(text: &str) -> Date {
    text.parse().unwrap()
}

/// The group, counterparty, verdict word and determining rules for `owner` sharing with
/// `recipient` (both as written) on `on`.
fn check(
    checker: &mut Checker<'_>,
    owner: &str,
    recipient: &str,
    on: &str,
) -> (Group, Option<String>, String, Vec<String>, Option<String>) {
    let owner = checker.party(owner, None, None);
    let recipient = checker.party(recipient, None, owner.state.as_deref());
    let result = checker.check(&owner, &recipient, date(on));
    (
        result.group,
        result.counterparty.clone(),
        result.verdict_word().to_string(),
        result
            .decision
            .as_ref()
            .map(|d| d.determining.clone())
            .unwrap_or_default(),
        result.note,
    )
}

#[test]
fn california_owners_may_share_in_state_and_must_not_share_out_of_state_or_federal() {
    let corpus = corpus();
    let mut checker = Checker::new(&corpus, Resolver::new(Directory::builtin()));
    let on = "2026-04-29";
    let owner = "El Cajon PD ( CA)";

    let (group, counterparty, verdict, rules, _) =
        check(&mut checker, owner, "San Diego CA PD", on);
    assert_eq!(group, Group::InState);
    assert_eq!(counterparty.as_deref(), Some("in_state_agency"));
    assert_eq!(verdict, "may");
    assert_eq!(rules, ["us-ca/civ-1798.90.55-b-public-agency"]);

    let (group, counterparty, verdict, rules, _) = check(&mut checker, owner, "Acworth GA PD", on);
    assert_eq!(group, Group::OutOfState);
    assert_eq!(counterparty.as_deref(), Some("out_of_state_agency"));
    assert_eq!(verdict, "must_not");
    assert_eq!(rules, ["us-ca/civ-1798.90.55-b-out-of-state"]);

    let (group, counterparty, verdict, rules, _) =
        check(&mut checker, owner, "U.S. Border Patrol [Federal]", on);
    assert_eq!(group, Group::Federal);
    assert_eq!(counterparty.as_deref(), Some("border_patrol"));
    assert_eq!(verdict, "must_not");
    assert_eq!(rules, ["us-ca/civ-1798.90.55-b-out-of-state"]);

    let (group, counterparty, verdict, rules, _) =
        check(&mut checker, owner, "Home Depot Corporation", on);
    assert_eq!(group, Group::Private);
    assert_eq!(counterparty.as_deref(), Some("private_entity"));
    assert_eq!(verdict, "must_not");
    assert_eq!(rules, ["us-ca/civ-1798.90.55-b"]);

    // The rule cites the statute, with the Attorney General's bulletin beside it.
    let rule = &checker.rules()["us-ca/civ-1798.90.55-b-out-of-state"];
    assert!(rule.citation.contains("1798.90.55(b)"));
    assert!(
        rule.also_cites
            .iter()
            .any(|s| s.citation.contains("Bulletin 2023-DLE-06"))
    );
}

#[test]
fn what_cannot_be_told_is_never_guessed() {
    let corpus = corpus();
    let mut checker = Checker::new(&corpus, Resolver::new(Directory::builtin()));
    let on = "2026-04-29";
    let owner = "El Cajon PD ( CA)";

    let (group, counterparty, verdict, _, note) =
        check(&mut checker, owner, "Decommissioned Org", on);
    assert_eq!(
        (group, counterparty, verdict.as_str()),
        (Group::Unknown, None, "unchecked")
    );
    assert!(note.unwrap_or_default().contains("not guessed"));

    // A neighbourhood the resolver takes for a private customer, at confidence 0.5: a guess.
    let (group, _, verdict, _, note) = check(&mut checker, owner, "Sky Ranch (CA)", on);
    assert_eq!((group, verdict.as_str()), (Group::Unknown, "unchecked"));
    assert!(note.unwrap_or_default().contains("guess"));

    // A local agency whose state no word gives and the sample directory cannot settle.
    let (group, _, verdict, _, note) = check(
        &mut checker,
        owner,
        "Fort Collins Police Services (FCPS)",
        on,
    );
    assert_eq!((group, verdict.as_str()), (Group::Unknown, "unchecked"));
    assert!(note.is_some());

    // The owner on its own list.
    let (group, _, verdict, _, note) = check(&mut checker, owner, "El Cajon CA PD", on);
    assert_eq!((group, verdict.as_str()), (Group::InState, "unchecked"));
    assert_eq!(note.as_deref(), Some("the owner itself"));

    // Owners the law does not bind as state or local agencies are not checked.
    let (_, _, verdict, _, note) = check(&mut checker, "NCRIC", "Acworth GA PD", on);
    assert_eq!(verdict, "unchecked");
    assert!(note.unwrap_or_default().starts_with("owner not checked"));
    let (_, _, verdict, _, note) = check(
        &mut checker,
        "Blue Lake Rancheria CA Tribal PD",
        "Acworth GA PD",
        on,
    );
    assert_eq!(verdict, "unchecked");
    assert!(note.unwrap_or_default().contains("tribal"));
}

#[test]
fn a_federal_agency_the_file_does_not_know_is_checked_as_federal_other() {
    let corpus = corpus();
    let mut checker = Checker::new(&corpus, Resolver::new(Directory::builtin()));
    let owner = checker.party("El Cajon PD ( CA)", None, None);
    let recipient = checker.party("Some Bureau of Something [Federal]", None, Some("CA"));
    let result = checker.check(&owner, &recipient, date("2026-04-29"));
    assert_eq!(result.group, Group::Federal);
    assert_eq!(result.counterparty.as_deref(), Some("federal_other"));
    assert_eq!(result.verdict_word(), "must_not");
    assert!(result.note.unwrap_or_default().contains("federal_other"));
}

#[test]
fn owners_are_checked_as_their_actor_under_their_place() {
    let corpus = corpus();
    let mut checker = Checker::new(&corpus, Resolver::new(Directory::builtin()));
    let police = checker.party("Los Angeles CA PD", None, None);
    assert_eq!(police.actor, Some("local_police"));
    assert_eq!(
        police.place.as_ref().map(|p| p.as_str()),
        Some("ocd-division/country:us/state:ca/place:los_angeles")
    );
    let sheriff = checker.party("Los Angeles County CA SD", None, None);
    assert_eq!(sheriff.actor, Some("sheriff"));
    assert_eq!(
        sheriff.place.as_ref().map(|p| p.as_str()),
        Some("ocd-division/country:us/state:ca/county:los_angeles")
    );
    let patrol = checker.party("California Highway Patrol", None, None);
    assert_eq!(patrol.actor, Some("state_police"));

    // The city's ordinance binds the city's police, not the county's sheriff: sharing with
    // ICE is forbidden to both by the state, and to the police by the city too.
    let ice = checker.party("ICE ERO [Federal]", None, Some("CA"));
    assert_eq!(ice.counterparty.as_deref(), Some("ice_ero"));
    let on = date("2026-04-29");
    let by_police = checker.check(&police, &ice, on);
    let by_sheriff = checker.check(&sheriff, &ice, on);
    let police_rules = &by_police.decision.as_ref().unwrap().determining;
    let sheriff_rules = &by_sheriff.decision.as_ref().unwrap().determining;
    assert!(police_rules.contains(&"us-ca-los_angeles/sanctuary-ordinance-data".to_string()));
    assert!(police_rules.contains(&"us-ca/civ-1798.90.55-b-out-of-state".to_string()));
    assert_eq!(sheriff_rules, &["us-ca/civ-1798.90.55-b-out-of-state"]);
    // The city's rule is contested: the decision says so.
    assert!(!by_police.decision.as_ref().unwrap().caveats.is_empty());
}

#[test]
fn other_states_answer_under_their_own_law() {
    let corpus = corpus();
    let mut checker = Checker::new(&corpus, Resolver::new(Directory::builtin()));
    let on = "2026-04-25";
    // Illinois: out-of-state sharing needs a written declaration, which a list cannot show.
    let (group, _, verdict, rules, _) = check(&mut checker, "Hillside IL PD", "Beaumont CA PD", on);
    assert_eq!(group, Group::OutOfState);
    assert_eq!(verdict, "must_not");
    assert_eq!(rules, ["us-il/625ilcs-5-2-130-declaration"]);
    let hillside = checker.party("Hillside IL PD", None, None);
    let beaumont = checker.party("Beaumont CA PD", None, Some("IL"));
    let decision = checker
        .check(&hillside, &beaumont, date(on))
        .decision
        .unwrap();
    assert!(
        decision
            .caveats
            .iter()
            .any(|c| c.contains("written declaration"))
    );
    // Oregon: the corpus has no rule on sharing plate-reader data, and says so.
    let (_, _, verdict, rules, _) = check(&mut checker, "Eugene OR PD", "Boise ID PD", on);
    assert_eq!(verdict, Verdict::NoRule.name());
    assert!(rules.is_empty());
}

#[test]
fn decisions_are_made_once_per_distinct_question() {
    let corpus = corpus();
    let mut checker = Checker::new(&corpus, Resolver::new(Directory::builtin()));
    let owner = checker.party("El Cajon PD ( CA)", None, None);
    let on = date("2026-04-29");
    for name in [
        "Acworth GA PD",
        "Ada County ID SO",
        "Adrian MI PD",
        "Boise ID PD",
    ] {
        let recipient = checker.party(name, None, Some("CA"));
        assert_eq!(
            checker.check(&owner, &recipient, on).verdict_word(),
            "must_not"
        );
    }
    assert_eq!(checker.decisions(), 1);
    let recipient = checker.party("San Diego CA PD", None, Some("CA"));
    checker.check(&owner, &recipient, on);
    checker.check(&owner, &recipient, date("2026-04-30"));
    assert_eq!(checker.decisions(), 3);
}

#[test]
fn the_date_decides_which_rules_are_in_force() {
    let corpus = corpus();
    let mut checker = Checker::new(&corpus, Resolver::new(Directory::builtin()));
    // SB 34 took effect on 2016-01-01: before it, the corpus has nothing on this.
    let (_, _, before, _, _) = check(
        &mut checker,
        "El Cajon PD ( CA)",
        "Acworth GA PD",
        "2015-06-01",
    );
    let (_, _, after, _, _) = check(
        &mut checker,
        "El Cajon PD ( CA)",
        "Acworth GA PD",
        "2016-01-01",
    );
    assert_eq!(before, "no_rule");
    assert_eq!(after, "must_not");
}
