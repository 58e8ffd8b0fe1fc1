//! Schema migrations, counted per component.
//!
//! A component (the store itself, the registry, the audit pipeline, ...) declares its tables as
//! an ordered list of SQL scripts numbered 1, 2, 3, .... Applying brings the database from the
//! version it records to the newest: all pending scripts run in one transaction, each recorded in
//! `schema_migrations`, so a failure leaves the previous schema intact. A migration, once
//! released, is never edited: a change is a new migration.

use std::path::Path;

use rusqlite::OptionalExtension;

use crate::{Store, StoreError};

/// One step of a component's schema.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    /// 1 for the first migration, then consecutive.
    pub version: u32,
    /// A short label, recorded with the version.
    pub name: &'static str,
    /// One or more SQL statements.
    pub sql: &'static str,
}

/// The ordered migrations of one component.
#[derive(Debug, Clone, Copy)]
pub struct Schema {
    /// A stable name, e.g. `registry`.
    pub component: &'static str,
    /// The migrations, numbered 1, 2, 3, ... in order.
    pub migrations: &'static [Migration],
}

impl Schema {
    /// The version this code expects.
    pub fn latest(&self) -> u32 {
        self.migrations.last().map_or(0, |m| m.version)
    }

    fn check_order(&self) -> Result<(), StoreError> {
        for (position, migration) in self.migrations.iter().enumerate() {
            if migration.version as usize != position + 1 {
                return Err(StoreError::MigrationOrder {
                    component: self.component.to_string(),
                    version: migration.version,
                    position: position + 1,
                });
            }
        }
        Ok(())
    }
}

const BOOTSTRAP: &str = "CREATE TABLE IF NOT EXISTS schema_migrations (
    component TEXT NOT NULL,
    version INTEGER NOT NULL,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (component, version)
);";

impl Store {
    /// Brings `schema` up to date and returns the versions applied now (empty when it was
    /// already current). Refuses a database whose recorded version is newer than `schema`.
    pub fn migrate(&mut self, schema: &Schema) -> Result<Vec<u32>, StoreError> {
        schema.check_order()?;
        let latest = schema.latest();
        // Read outside a write transaction first: a current schema (the common case) costs one
        // query and never takes the write lock, and a read-only store is judged without one.
        let recorded = self.schema_version(schema.component)?;
        if let Some(found) = recorded.filter(|found| *found > latest) {
            return Err(StoreError::SchemaTooNew {
                component: schema.component.to_string(),
                found,
                known: latest,
            });
        }
        if recorded == Some(latest) {
            return Ok(Vec::new());
        }
        if self.is_read_only() {
            return Err(StoreError::ReadOnlyUpgrade {
                path: self.path().map(Path::to_path_buf).unwrap_or_default(),
                component: schema.component.to_string(),
                found: recorded.unwrap_or(0),
                known: latest,
            });
        }
        self.transaction(|transaction| {
            transaction.execute_batch(BOOTSTRAP)?;
            let current: u32 = transaction.query_row(
                "SELECT COALESCE(MAX(version), 0) FROM schema_migrations WHERE component = ?1",
                [schema.component],
                |row| row.get(0),
            )?;
            if current > latest {
                return Err(StoreError::SchemaTooNew {
                    component: schema.component.to_string(),
                    found: current,
                    known: latest,
                });
            }
            let mut applied = Vec::new();
            for migration in schema.migrations.iter().filter(|m| m.version > current) {
                let failed = |source| StoreError::Migration {
                    component: schema.component.to_string(),
                    version: migration.version,
                    name: migration.name.to_string(),
                    source,
                };
                transaction.execute_batch(migration.sql).map_err(failed)?;
                transaction
                    .execute(
                        "INSERT INTO schema_migrations (component, version, name) VALUES (?1, ?2, ?3)",
                        rusqlite::params![schema.component, migration.version, migration.name],
                    )
                    .map_err(failed)?;
                applied.push(migration.version);
            }
            Ok(applied)
        })
    }

    /// The recorded schema version of `component` (`None` when it has none yet).
    pub fn schema_version(&self, component: &str) -> Result<Option<u32>, StoreError> {
        let exists: bool = self.connection.query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations')",
            [],
            |row| row.get(0),
        )?;
        if !exists {
            return Ok(None);
        }
        Ok(self
            .connection
            .query_row(
                "SELECT MAX(version) FROM schema_migrations WHERE component = ?1",
                [component],
                |row| row.get::<_, Option<u32>>(0),
            )
            .optional()?
            .flatten())
    }
}
