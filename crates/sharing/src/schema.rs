//! The sharing tables.
//!
//! Two layers, as in the registry. What the lists said, written once per import and never
//! changed: lists, their entries (the names as written, with file line and field) and the issues
//! found reading them. What Remit concluded, rebuilt by `refresh` whenever the lists, the agency
//! directory or the law corpus change: parties (each distinct name resolved once), edges (one
//! per entry: data owner, recipient, the question put to the law and its verdict), decisions (one
//! per distinct question, with the determining rules) and the rules cited. The second layer can
//! always be thrown away and rebuilt from the first.

use remit_store::{Migration, Schema};

/// The sharing component's migrations: the lists as imported and the derived layer rebuilt by
/// `refresh`. Apply with `Store::migrate` before reading or writing the tables.
pub const SCHEMA: Schema = Schema {
    component: "sharing",
    migrations: &[Migration {
        version: 1,
        name: "lists, entries, issues, parties, decisions, rules, edges",
        sql: "
CREATE TABLE sharing_lists (
    id INTEGER PRIMARY KEY,
    import_id INTEGER NOT NULL UNIQUE REFERENCES imports(id),
    source_path TEXT NOT NULL,
    format TEXT NOT NULL
        CHECK (format IN ('portal', 'name_state_type', 'organization_sharing', 'names')),
    sheet TEXT,
    owner TEXT NOT NULL,
    owner_from TEXT NOT NULL
        CHECK (owner_from IN ('crawled_name', 'crawled_slug', 'option', 'column')),
    owner_state_hint TEXT,
    slug TEXT,
    list_date TEXT NOT NULL,
    date_from TEXT NOT NULL
        CHECK (date_from IN ('archived_date', 'crawled_at', 'file_name', 'option', 'import_day')),
    crawled_at TEXT,
    retention_days INTEGER,
    prohibited_uses TEXT,
    immigration_use_prohibited INTEGER NOT NULL CHECK (immigration_use_prohibited IN (0, 1)),
    camera_count INTEGER,
    searches_30d INTEGER,
    outbound INTEGER NOT NULL,
    inbound INTEGER NOT NULL
);

CREATE TABLE sharing_entries (
    id INTEGER PRIMARY KEY,
    list_id INTEGER NOT NULL REFERENCES sharing_lists(id),
    line INTEGER NOT NULL,
    field TEXT NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('outbound', 'inbound')),
    name TEXT NOT NULL,
    state_hint TEXT,
    type_hint TEXT
);
CREATE INDEX sharing_entries_list ON sharing_entries (list_id);

CREATE TABLE sharing_issues (
    id INTEGER PRIMARY KEY,
    list_id INTEGER NOT NULL REFERENCES sharing_lists(id),
    line INTEGER,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    severity TEXT NOT NULL CHECK (severity IN ('error', 'warning', 'note')),
    message TEXT NOT NULL
);
CREATE INDEX sharing_issues_list ON sharing_issues (list_id);

-- Derived: each distinct (name, state hint, home state) resolved once. `key` is the agency's
-- identity across name forms: its ORI or directory id, else class, state, kind and name.
CREATE TABLE sharing_parties (
    id INTEGER PRIMARY KEY,
    input TEXT NOT NULL,
    state_hint TEXT NOT NULL,
    home_state TEXT NOT NULL,
    key TEXT NOT NULL,
    name TEXT NOT NULL,
    ori TEXT,
    agency_id TEXT,
    state TEXT,
    class TEXT NOT NULL CHECK (class IN ('local', 'state', 'federal', 'private', 'unknown')),
    kind TEXT,
    counterparty TEXT,
    confidence REAL NOT NULL,
    reasons TEXT NOT NULL,
    -- As a data owner: the vocabulary actor and the place whose law binds it.
    actor TEXT,
    place TEXT,
    UNIQUE (input, state_hint, home_state)
);
CREATE INDEX sharing_parties_key ON sharing_parties (key);

-- Derived: whose list each list is.
CREATE TABLE sharing_list_owners (
    list_id INTEGER PRIMARY KEY REFERENCES sharing_lists(id),
    party_id INTEGER NOT NULL REFERENCES sharing_parties(id)
);
CREATE INDEX sharing_list_owners_party ON sharing_list_owners (party_id);

-- Derived: one per distinct question put to the law engine.
CREATE TABLE sharing_decisions (
    id INTEGER PRIMARY KEY,
    place TEXT NOT NULL,
    actor TEXT NOT NULL,
    counterparty TEXT NOT NULL,
    date TEXT NOT NULL,
    verdict TEXT NOT NULL CHECK (verdict IN ('must_not', 'must', 'may', 'conflict', 'no_rule')),
    headline TEXT NOT NULL,
    determining TEXT NOT NULL,
    caveats TEXT NOT NULL,
    UNIQUE (place, actor, counterparty, date)
);

-- Derived: the rules the decisions cite, with their sources.
CREATE TABLE sharing_rules (
    id TEXT PRIMARY KEY,
    citation TEXT NOT NULL,
    title TEXT NOT NULL,
    url TEXT NOT NULL,
    kind TEXT NOT NULL,
    provenance TEXT NOT NULL,
    status TEXT NOT NULL,
    jurisdiction TEXT NOT NULL,
    modality TEXT NOT NULL,
    summary TEXT NOT NULL,
    also_cites TEXT NOT NULL
) WITHOUT ROWID;

-- Derived: one edge per entry, from the data's owner to the party that may reach it.
CREATE TABLE sharing_edges (
    entry_id INTEGER PRIMARY KEY REFERENCES sharing_entries(id),
    list_id INTEGER NOT NULL REFERENCES sharing_lists(id),
    direction TEXT NOT NULL CHECK (direction IN ('outbound', 'inbound')),
    owner_party INTEGER NOT NULL REFERENCES sharing_parties(id),
    recipient_party INTEGER NOT NULL REFERENCES sharing_parties(id),
    date TEXT NOT NULL,
    grouping TEXT NOT NULL
        CHECK (grouping IN ('in_state', 'out_of_state', 'federal', 'private', 'unknown')),
    counterparty TEXT,
    decision_id INTEGER REFERENCES sharing_decisions(id),
    verdict TEXT NOT NULL
        CHECK (verdict IN ('must_not', 'must', 'may', 'conflict', 'no_rule', 'unchecked')),
    note TEXT
);
CREATE INDEX sharing_edges_owner ON sharing_edges (owner_party);
CREATE INDEX sharing_edges_recipient ON sharing_edges (recipient_party);
CREATE INDEX sharing_edges_list ON sharing_edges (list_id);

-- What the derived layer was built from, to notice when it is stale.
CREATE TABLE sharing_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
",
    }],
};
