//! What sort of body a name is: police department, sheriff, marshal, prosecutor, state patrol,
//! university, school, transit, tribal, corrections, fire, business...
//!
//! A name says its kind with a word or an abbreviation (`PD`, `SO`, `Sheriff's Office`,
//! `Marshals Office`, `DA`, `DPS`, `ISD`). Several may appear in one name (`Stanford University
//! Department of Public Safety`, `Cypress Fairbanks ISD (TX) PD`); the body that runs the police
//! decides, so each phrase has a rank and the highest wins.

use serde::Serialize;

/// The kind of agency a name describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AgencyKind {
    /// A city or town police department.
    PoliceDepartment,
    /// A sheriff's office.
    Sheriff,
    /// A marshal's office.
    Marshal,
    /// A constable's office.
    Constable,
    /// A prosecutor's office (district attorney, state's attorney).
    Prosecutor,
    /// A state attorney general's office.
    AttorneyGeneral,
    /// A state police or highway patrol.
    StatePolice,
    /// Another state agency (a department of public safety, of revenue, ...).
    StateAgency,
    /// A university or college police department.
    University,
    /// A school district police department.
    School,
    /// A transit police department.
    Transit,
    /// An airport police department.
    Airport,
    /// A tribal police department.
    Tribal,
    /// A corrections department or jail.
    Corrections,
    /// A probation or parole department.
    Probation,
    /// A fire department or fire marshal.
    Fire,
    /// A task force.
    TaskForce,
    /// An intelligence or fusion center.
    IntelligenceCenter,
    /// A parks department or park police.
    Parks,
    /// A city or county government that is not its police.
    LocalGovernment,
    /// A hospital police department.
    Hospital,
    /// A railroad police department.
    Railroad,
    /// A homeowners' association.
    HomeownersAssociation,
    /// A business.
    Business,
    /// A federal agency.
    FederalAgency,
    /// A military police or installation.
    Military,
}

impl AgencyKind {
    /// The word used in JSON and in `Resolution::kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            AgencyKind::PoliceDepartment => "police_department",
            AgencyKind::Sheriff => "sheriff",
            AgencyKind::Marshal => "marshal",
            AgencyKind::Constable => "constable",
            AgencyKind::Prosecutor => "prosecutor",
            AgencyKind::AttorneyGeneral => "attorney_general",
            AgencyKind::StatePolice => "state_police",
            AgencyKind::StateAgency => "state_agency",
            AgencyKind::University => "university",
            AgencyKind::School => "school",
            AgencyKind::Transit => "transit",
            AgencyKind::Airport => "airport",
            AgencyKind::Tribal => "tribal",
            AgencyKind::Corrections => "corrections",
            AgencyKind::Probation => "probation",
            AgencyKind::Fire => "fire",
            AgencyKind::TaskForce => "task_force",
            AgencyKind::IntelligenceCenter => "intelligence_center",
            AgencyKind::Parks => "parks",
            AgencyKind::LocalGovernment => "local_government",
            AgencyKind::Hospital => "hospital",
            AgencyKind::Railroad => "railroad",
            AgencyKind::HomeownersAssociation => "homeowners_association",
            AgencyKind::Business => "business",
            AgencyKind::FederalAgency => "federal_agency",
            AgencyKind::Military => "military",
        }
    }

    /// Reads the word [`AgencyKind::as_str`] writes.
    pub fn from_word(word: &str) -> Option<AgencyKind> {
        ALL.iter().copied().find(|k| k.as_str() == word)
    }

    /// A readable label for names Remit composes (`El Cajon Police Department`).
    pub fn label(self) -> &'static str {
        match self {
            AgencyKind::PoliceDepartment => "Police Department",
            AgencyKind::Sheriff => "Sheriff's Office",
            AgencyKind::Marshal => "Marshal's Office",
            AgencyKind::Constable => "Constable",
            AgencyKind::Prosecutor => "District Attorney",
            AgencyKind::AttorneyGeneral => "Attorney General",
            AgencyKind::StatePolice => "State Police",
            AgencyKind::StateAgency => "State Agency",
            AgencyKind::University => "University Police",
            AgencyKind::School => "School Police",
            AgencyKind::Transit => "Transit Police",
            AgencyKind::Airport => "Airport Police",
            AgencyKind::Tribal => "Tribal Police",
            AgencyKind::Corrections => "Corrections",
            AgencyKind::Probation => "Probation Department",
            AgencyKind::Fire => "Fire Department",
            AgencyKind::TaskForce => "Task Force",
            AgencyKind::IntelligenceCenter => "Intelligence Center",
            AgencyKind::Parks => "Parks Department",
            AgencyKind::LocalGovernment => "Local Government",
            AgencyKind::Hospital => "Hospital Police",
            AgencyKind::Railroad => "Railroad Police",
            AgencyKind::HomeownersAssociation => "Homeowners Association",
            AgencyKind::Business => "Business",
            AgencyKind::FederalAgency => "Federal Agency",
            AgencyKind::Military => "Military",
        }
    }

    /// Kinds that name the body owning the police (a university, a school district, a tribe),
    /// whose words belong in the name when it is matched against the directory. The others
    /// (`PD`, `Sheriff's Office`) name the police role and are left out of the match key.
    pub(crate) fn is_host(self) -> bool {
        matches!(
            self,
            AgencyKind::University
                | AgencyKind::School
                | AgencyKind::Transit
                | AgencyKind::Airport
                | AgencyKind::Tribal
                | AgencyKind::Hospital
                | AgencyKind::Railroad
                | AgencyKind::Parks
        )
    }
}

const ALL: &[AgencyKind] = &[
    AgencyKind::PoliceDepartment,
    AgencyKind::Sheriff,
    AgencyKind::Marshal,
    AgencyKind::Constable,
    AgencyKind::Prosecutor,
    AgencyKind::AttorneyGeneral,
    AgencyKind::StatePolice,
    AgencyKind::StateAgency,
    AgencyKind::University,
    AgencyKind::School,
    AgencyKind::Transit,
    AgencyKind::Airport,
    AgencyKind::Tribal,
    AgencyKind::Corrections,
    AgencyKind::Probation,
    AgencyKind::Fire,
    AgencyKind::TaskForce,
    AgencyKind::IntelligenceCenter,
    AgencyKind::Parks,
    AgencyKind::LocalGovernment,
    AgencyKind::Hospital,
    AgencyKind::Railroad,
    AgencyKind::HomeownersAssociation,
    AgencyKind::Business,
    AgencyKind::FederalAgency,
    AgencyKind::Military,
];

/// One way a name says its kind: a phrase of canonical words (see `text::canonical`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Phrase {
    pub words: &'static str,
    pub kind: AgencyKind,
    /// Higher wins when a name has several kinds.
    pub rank: u8,
    /// The phrase names the police role (`police department`, `sheriff office`) rather than the
    /// place or the host body, so its words are dropped from the directory match key.
    pub role: bool,
}

const fn role(words: &'static str, kind: AgencyKind, rank: u8) -> Phrase {
    Phrase {
        words,
        kind,
        rank,
        role: true,
    }
}

const fn host(words: &'static str, kind: AgencyKind, rank: u8) -> Phrase {
    Phrase {
        words,
        kind,
        rank,
        role: false,
    }
}

use AgencyKind as K;

/// Every phrase, longest first within a kind so that `police department` is taken whole.
/// Ranks: a business marker over everything; then the host bodies (tribe, university, school,
/// transit...), then the specialised roles, then plain police; local government last.
pub(crate) const PHRASES: &[Phrase] = &[
    // Private bodies: a legal form or a residential association settles it.
    host("llc", K::Business, 100),
    host("inc", K::Business, 100),
    host("incorporated", K::Business, 100),
    host("corp", K::Business, 100),
    host("corporation", K::Business, 100),
    host("ltd", K::Business, 100),
    host("credit union", K::Business, 100),
    host("walmart", K::Business, 100),
    host("home depot", K::Business, 100),
    host("lowes", K::Business, 100),
    host("apartments", K::Business, 99),
    host("missing and exploited children", K::Business, 99),
    host("apartment homes", K::Business, 99),
    host("hoa", K::HomeownersAssociation, 100),
    host("homeowners association", K::HomeownersAssociation, 100),
    host("homeowners", K::HomeownersAssociation, 99),
    host("community association", K::HomeownersAssociation, 100),
    host("residents association", K::HomeownersAssociation, 100),
    host("master association", K::HomeownersAssociation, 100),
    host("property owners association", K::HomeownersAssociation, 100),
    host("condominium", K::HomeownersAssociation, 99),
    host("condominiums", K::HomeownersAssociation, 99),
    host("association", K::HomeownersAssociation, 60),
    // Host bodies.
    host("tribal", K::Tribal, 90),
    host("tribe", K::Tribal, 90),
    host("tribes", K::Tribal, 90),
    host("rancheria", K::Tribal, 90),
    host("band of", K::Tribal, 90),
    host("pueblo of", K::Tribal, 90),
    host("indians", K::Tribal, 90),
    host("nation", K::Tribal, 88),
    host("lighthorse", K::Tribal, 90),
    host("university", K::University, 85),
    host("college", K::University, 85),
    role("campus police department", K::University, 84),
    role("campus police", K::University, 84),
    role("campus pd", K::University, 84),
    role("campus safety", K::University, 84),
    role("campus", K::University, 84),
    host("polytechnic", K::University, 85),
    host("tech", K::University, 85),
    host("cal state", K::University, 85),
    host("cal poly", K::University, 85),
    host("cal maritime", K::University, 85),
    host("institute of technology", K::University, 85),
    host("independent school district", K::School, 84),
    host("unified school district", K::School, 84),
    host("school district", K::School, 84),
    host("school", K::School, 83),
    host("public school", K::School, 84),
    host("isd", K::School, 84),
    host("cisd", K::School, 84),
    host("usd", K::School, 84),
    host("board of education", K::School, 84),
    host("rapid transit", K::Transit, 80),
    host("transit", K::Transit, 80),
    host("transportation authority", K::Transit, 80),
    host("metro transit", K::Transit, 80),
    host("airport", K::Airport, 78),
    host("hospital", K::Hospital, 77),
    host("health system", K::Hospital, 77),
    host("healthcare system", K::Hospital, 77),
    host("health and hospital", K::Hospital, 77),
    host("medical center", K::Hospital, 77),
    host("railroad", K::Railroad, 76),
    host("railway", K::Railroad, 76),
    // Roles with their own rules.
    role("department of corrections", K::Corrections, 75),
    role("corrections", K::Corrections, 75),
    role("correction", K::Corrections, 75),
    role("correctional", K::Corrections, 75),
    role("detention center", K::Corrections, 75),
    role("detention", K::Corrections, 74),
    role("jail", K::Corrections, 75),
    role("probation department", K::Probation, 74),
    role("probation", K::Probation, 74),
    role("parole", K::Probation, 74),
    role("district attorney office", K::Prosecutor, 72),
    role("district attorney", K::Prosecutor, 72),
    role("district attorneys general", K::Prosecutor, 72),
    role("da office", K::Prosecutor, 72),
    role("da", K::Prosecutor, 72),
    role("prosecutor office", K::Prosecutor, 72),
    role("prosecutor", K::Prosecutor, 72),
    role("state attorney office", K::Prosecutor, 72),
    role("state attorney", K::Prosecutor, 72),
    role("states attorney office", K::Prosecutor, 72),
    role("states attorney", K::Prosecutor, 72),
    role("county attorney office", K::Prosecutor, 72),
    role("county attorney", K::Prosecutor, 72),
    role("commonwealth attorney", K::Prosecutor, 72),
    role("commonwealths attorney", K::Prosecutor, 72),
    role("solicitor", K::Prosecutor, 71),
    role("attorney general office", K::AttorneyGeneral, 71),
    role("attorney general", K::AttorneyGeneral, 71),
    role("office of the attorney general", K::AttorneyGeneral, 71),
    role("fire department", K::Fire, 70),
    role("fire authority", K::Fire, 70),
    role("fire district", K::Fire, 70),
    role("fire marshal", K::Fire, 70),
    role("fire", K::Fire, 70),
    role("arson", K::Fire, 70),
    role("fd", K::Fire, 70),
    role("state highway patrol", K::StatePolice, 66),
    role("highway safety patrol", K::StatePolice, 66),
    role("highway patrol", K::StatePolice, 65),
    role("state patrol", K::StatePolice, 65),
    role("state police department", K::StatePolice, 66),
    role("state police", K::StatePolice, 65),
    role("state troopers", K::StatePolice, 65),
    role("state trooper", K::StatePolice, 65),
    role("sheriff office", K::Sheriff, 60),
    role("sheriff department", K::Sheriff, 60),
    role("sheriff", K::Sheriff, 60),
    role("so", K::Sheriff, 60),
    role("marshal office", K::Marshal, 58),
    role("marshal", K::Marshal, 58),
    role("constable office", K::Constable, 57),
    role("office of constable", K::Constable, 57),
    role("constable", K::Constable, 57),
    role("drug task force", K::TaskForce, 55),
    role("narcotics task force", K::TaskForce, 55),
    role("task force", K::TaskForce, 55),
    role("major crimes unit", K::TaskForce, 55),
    role("dtf", K::TaskForce, 55),
    role("auto theft task force", K::TaskForce, 55),
    role("auto theft", K::TaskForce, 55),
    role("anti gang", K::TaskForce, 55),
    role("gang task force", K::TaskForce, 55),
    role("major case unit", K::TaskForce, 55),
    role("major case squad", K::TaskForce, 55),
    role("major case", K::TaskForce, 55),
    role("narcotics team", K::TaskForce, 55),
    role("narcotics unit", K::TaskForce, 55),
    role("counter narcotics", K::TaskForce, 55),
    role("narcotics", K::TaskForce, 54),
    role("special investigations", K::TaskForce, 54),
    role("investigations bureau", K::TaskForce, 54),
    role("fusion center", K::IntelligenceCenter, 54),
    role("information analysis center", K::IntelligenceCenter, 54),
    role("crime analysis center network", K::IntelligenceCenter, 54),
    role("crime analysis center", K::IntelligenceCenter, 54),
    role("intelligence center", K::IntelligenceCenter, 54),
    role("information network", K::IntelligenceCenter, 53),
    role("police services department", K::PoliceDepartment, 50),
    role("police department", K::PoliceDepartment, 50),
    role("police services", K::PoliceDepartment, 50),
    role("police", K::PoliceDepartment, 50),
    role("pd", K::PoliceDepartment, 50),
    role("department of public safety", K::PoliceDepartment, 50),
    role("public safety department", K::PoliceDepartment, 50),
    role("public safety", K::PoliceDepartment, 49),
    role("dps", K::PoliceDepartment, 50),
    role("law enforcement", K::PoliceDepartment, 45),
    host("public safety dispatch", K::LocalGovernment, 52),
    host("communications center", K::LocalGovernment, 52),
    host("emergency communications", K::LocalGovernment, 52),
    host("dispatch", K::LocalGovernment, 52),
    host("911", K::LocalGovernment, 52),
    host("emergency management", K::LocalGovernment, 52),
    host("park district", K::Parks, 40),
    host("forest preserve", K::Parks, 40),
    host("parks and recreation", K::Parks, 40),
    host("state parks", K::Parks, 41),
    host("state park", K::Parks, 41),
    host("parks", K::Parks, 40),
    host("recreation", K::Parks, 40),
    role("pr", K::Parks, 40),
    host("conservation", K::StateAgency, 35),
    host("fish and wildlife", K::StateAgency, 35),
    host("fish and game", K::StateAgency, 35),
    host("natural resources", K::StateAgency, 35),
    host("motor vehicles", K::StateAgency, 35),
    host("dmv", K::StateAgency, 35),
    host("military department", K::StateAgency, 35),
    host("national guard", K::StateAgency, 35),
    host("bureau of investigation", K::StateAgency, 35),
    host("department of justice", K::StateAgency, 35),
    host("doj", K::StateAgency, 35),
    host("department of", K::StateAgency, 30),
    host("bureau of", K::StateAgency, 30),
    host("division of", K::StateAgency, 30),
    host("human services", K::LocalGovernment, 25),
    host("board of county commissioners", K::LocalGovernment, 25),
    host("county commission", K::LocalGovernment, 25),
    host("city council", K::LocalGovernment, 25),
    host("code enforcement", K::LocalGovernment, 25),
    host("public works", K::LocalGovernment, 25),
    host("housing authority", K::LocalGovernment, 25),
    host("code compliance", K::LocalGovernment, 25),
    host("management district", K::LocalGovernment, 25),
    host("redevelopment authority", K::LocalGovernment, 25),
    host("municipal utility district", K::LocalGovernment, 25),
    host("mud", K::LocalGovernment, 25),
    host("utility district", K::LocalGovernment, 25),
    host("water district", K::LocalGovernment, 25),
    host("improvement district", K::LocalGovernment, 25),
    host("pid", K::LocalGovernment, 25),
    host("community services district", K::LocalGovernment, 25),
    host("criminal justice authority", K::LocalGovernment, 25),
    host("precinct", K::LocalGovernment, 20),
    // Words that make a name a business when nothing else says what it is.
    host("company", K::Business, 15),
    host("companies", K::Business, 15),
    host("towing", K::Business, 15),
    host("auctioneers", K::Business, 15),
    host("management", K::Business, 15),
    host("lodge", K::Business, 15),
    host("farm", K::Business, 15),
    host("farms", K::Business, 15),
    host("properties", K::Business, 15),
    host("property group", K::Business, 15),
    host("realty", K::Business, 15),
    host("hotel", K::Business, 15),
    host("resort", K::Business, 15),
    host("storage", K::Business, 15),
    host("corporate", K::Business, 15),
    host("holdings", K::Business, 15),
    host("insurance", K::Business, 15),
    host("shopping center", K::Business, 15),
    host("country club", K::Business, 15),
    host("yacht club", K::Business, 15),
    host("tennis club", K::Business, 15),
    host("cemetery", K::Business, 15),
    host("mortuary", K::Business, 15),
    host("autobody", K::Business, 15),
    host("neighborhood watch", K::HomeownersAssociation, 15),
    host("neighborhood", K::HomeownersAssociation, 15),
    host("estates", K::HomeownersAssociation, 15),
];

/// Words written before `college` or `university` that make them part of a place name
/// (`College Park GA PD`, `University City MO PD`), not a campus.
pub(crate) const PLACE_AFTER_CAMPUS_WORD: &[&str] = &[
    "park", "place", "station", "city", "heights", "hill", "grove", "corner", "point",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip() {
        for kind in ALL {
            assert_eq!(AgencyKind::from_word(kind.as_str()), Some(*kind));
        }
    }
}
