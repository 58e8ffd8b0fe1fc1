//! The registry's tables.
//!
//! Two layers. What the sheets said, written once per import and never changed: snapshots, their
//! rows (raw cells beside parsed values) and their data-quality issues. What follows from all
//! snapshots together, rebuilt by `history::refresh` whenever the set of snapshots changes:
//! agencies (identity across renames, directory link), agreements (agency + support model, with
//! first and last seen), and listings (which agreement each snapshot lists). The second layer can
//! always be thrown away and rebuilt from the first.

use remit_store::{Migration, Schema};

/// The registry's migrations, applied by [`crate::Registry::open`].
pub const SCHEMA: Schema = Schema {
    component: "registry",
    migrations: &[
        Migration {
            version: 1,
            name: "snapshots, rows, issues, agencies, agreements, listings",
            sql: "
CREATE TABLE registry_snapshots (
    id INTEGER PRIMARY KEY,
    import_id INTEGER NOT NULL UNIQUE REFERENCES imports(id),
    kind TEXT NOT NULL CHECK (kind IN ('participating', 'pending')),
    taken_day TEXT NOT NULL,
    taken_period TEXT NOT NULL CHECK (taken_period IN ('', 'am', 'pm')),
    period_rank INTEGER NOT NULL,
    -- The file's folder and name: orders two sheets that claim the same time (archives name
    -- their folders by download time).
    source_name TEXT NOT NULL,
    time_from TEXT NOT NULL CHECK (time_from IN ('file_name', 'option')),
    sheet_name TEXT,
    layout TEXT NOT NULL,
    rows INTEGER NOT NULL,
    agreements INTEGER NOT NULL,
    agencies INTEGER NOT NULL,
    empty_rows INTEGER NOT NULL
);
CREATE INDEX registry_snapshots_order
    ON registry_snapshots (kind, taken_day, period_rank, source_name);

CREATE TABLE registry_rows (
    id INTEGER PRIMARY KEY,
    snapshot_id INTEGER NOT NULL REFERENCES registry_snapshots(id),
    row INTEGER NOT NULL,
    state_raw TEXT NOT NULL,
    state TEXT,
    agency_raw TEXT NOT NULL,
    agency TEXT,
    agency_key TEXT,
    agency_type_raw TEXT,
    agency_type TEXT,
    county TEXT,
    support_raw TEXT NOT NULL,
    model TEXT,
    signed_raw TEXT,
    signed TEXT,
    moa TEXT,
    addendum TEXT,
    counted INTEGER NOT NULL CHECK (counted IN (0, 1))
);
CREATE INDEX registry_rows_snapshot ON registry_rows (snapshot_id);

CREATE TABLE registry_issues (
    id INTEGER PRIMARY KEY,
    -- 'sheet': found reading one file; 'history': found comparing snapshots (rebuilt).
    origin TEXT NOT NULL CHECK (origin IN ('sheet', 'history')),
    import_id INTEGER REFERENCES imports(id),
    snapshot_id INTEGER REFERENCES registry_snapshots(id),
    source_path TEXT,
    row INTEGER,
    column_name TEXT,
    kind TEXT NOT NULL,
    severity TEXT NOT NULL CHECK (severity IN ('note', 'warning', 'error')),
    value TEXT,
    message TEXT NOT NULL
);
CREATE INDEX registry_issues_kind ON registry_issues (kind);

CREATE TABLE registry_agencies (
    id INTEGER PRIMARY KEY,
    state TEXT NOT NULL,
    name TEXT NOT NULL,
    agency_type TEXT,
    county TEXT,
    ori TEXT,
    directory_name TEXT,
    link_confidence REAL,
    link_reasons TEXT
);

CREATE TABLE registry_agency_names (
    agency_id INTEGER NOT NULL REFERENCES registry_agencies(id),
    key TEXT NOT NULL,
    name TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    -- 'first': the agency's earliest key; 'renamed': linked to it by the history rule.
    link TEXT NOT NULL CHECK (link IN ('first', 'renamed')),
    evidence TEXT,
    PRIMARY KEY (agency_id, key, name)
);

CREATE TABLE registry_agreements (
    id INTEGER PRIMARY KEY,
    agency_id INTEGER NOT NULL REFERENCES registry_agencies(id),
    state TEXT NOT NULL,
    model TEXT NOT NULL,
    signed TEXT,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    first_active TEXT,
    last_active TEXT,
    first_pending TEXT,
    last_pending TEXT,
    status TEXT NOT NULL CHECK (status IN ('active', 'pending', 'removed')),
    UNIQUE (agency_id, model)
);
CREATE INDEX registry_agreements_state ON registry_agreements (state, model);

CREATE TABLE registry_listings (
    snapshot_id INTEGER NOT NULL REFERENCES registry_snapshots(id),
    agreement_id INTEGER NOT NULL REFERENCES registry_agreements(id),
    row_id INTEGER NOT NULL REFERENCES registry_rows(id),
    PRIMARY KEY (snapshot_id, agreement_id)
) WITHOUT ROWID;
CREATE INDEX registry_listings_agreement ON registry_listings (agreement_id);

-- What the derived layer was built from, to notice when it is stale.
CREATE TABLE registry_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
",
        },
        Migration {
            version: 2,
            name: "MOA index documents and links; recorded changes",
            sql: "
-- The agreements index: one row per posted MOA document (what the index said, kept as read),
-- written once per import of the index. A second source beside the sheets, never mixed into them.
CREATE TABLE registry_moa_documents (
    id INTEGER PRIMARY KEY,
    import_id INTEGER NOT NULL REFERENCES imports(id),
    index_key TEXT NOT NULL,
    state TEXT,
    name TEXT NOT NULL,
    agency_key TEXT NOT NULL,
    model_raw TEXT,
    model TEXT,
    -- 'index': the index gave it; 'file_name': read from the document's file name.
    model_from TEXT CHECK (model_from IN ('index', 'file_name')),
    -- The archive snapshot in which the document first appeared: posted by then.
    posted_snapshot TEXT NOT NULL,
    posted TEXT NOT NULL,
    file_date_raw TEXT,
    file_date TEXT,
    file_name TEXT NOT NULL,
    url TEXT NOT NULL,
    sha TEXT
);
CREATE INDEX registry_moa_documents_posted ON registry_moa_documents (posted);

CREATE TABLE registry_moa_issues (
    id INTEGER PRIMARY KEY,
    import_id INTEGER NOT NULL REFERENCES imports(id),
    index_key TEXT,
    kind TEXT NOT NULL,
    severity TEXT NOT NULL CHECK (severity IN ('note', 'warning', 'error')),
    value TEXT,
    message TEXT NOT NULL
);

-- Each index agency's link to the registry's agencies and to the directory. Derived: rebuilt
-- with the registry's agencies (their ids change on every refresh).
CREATE TABLE registry_moa_links (
    state TEXT NOT NULL,
    agency_key TEXT NOT NULL,
    agency_id INTEGER,
    -- 'sheet_name': the same identity key as a name in ICE's sheets; 'directory': the same
    -- directory agency; 'none'.
    method TEXT NOT NULL,
    ori TEXT,
    directory_name TEXT,
    confidence REAL NOT NULL,
    reasons TEXT NOT NULL,
    PRIMARY KEY (state, agency_key)
) WITHOUT ROWID;

-- Changes between consecutive participating sheets, as `remit watch` publishes them. Written
-- once per pair of sheets; sheets are never rewritten, so a change keeps its id.
CREATE TABLE registry_changes (
    id INTEGER PRIMARY KEY,
    from_snapshot INTEGER NOT NULL REFERENCES registry_snapshots(id),
    to_snapshot INTEGER NOT NULL REFERENCES registry_snapshots(id),
    taken TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('added', 'removed', 'renamed', 'model_changed')),
    state TEXT NOT NULL,
    agency TEXT NOT NULL,
    agency_key TEXT NOT NULL,
    model TEXT,
    previous TEXT,
    signed TEXT,
    UNIQUE (to_snapshot, kind, state, agency_key, model)
);
CREATE INDEX registry_changes_state ON registry_changes (state, id);

CREATE TABLE registry_change_runs (
    to_snapshot INTEGER PRIMARY KEY REFERENCES registry_snapshots(id),
    from_snapshot INTEGER NOT NULL,
    recorded_at TEXT NOT NULL,
    changes INTEGER NOT NULL
);
",
        },
    ],
};
