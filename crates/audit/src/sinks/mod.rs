//! Output sinks. The pipeline pushes events into every sink it is given, in input order; a sink
//! says whether it wants every event or only the findings. Counting, findings CSV, rejects CSV,
//! summary JSON, the HTML report, the store and Parquet are all sinks, wired together by the
//! caller in one place (the CLI's `audit` command).

use crate::aggregate::Summary;
use crate::error::AuditError;
use crate::event::Event;
use crate::process::{Reject, Tables};

pub mod files;
#[cfg(feature = "parquet")]
pub mod parquet;
pub mod store;

pub use files::{FindingsCsv, RejectsCsv, ReportHtml, SummaryJson};
pub use store::StoreSink;

/// A consumer of audit events.
pub trait Sink {
    /// A short name for messages (`findings.csv`, `store`).
    fn name(&self) -> &str;

    /// True to receive every event; false (the default) to receive only findings.
    fn wants_every_event(&self) -> bool {
        false
    }

    /// Takes one event (a finding, or every event when [`Sink::wants_every_event`]), in input
    /// order; an error stops the run.
    fn event(&mut self, event: &Event<'_>, tables: &Tables) -> Result<(), AuditError>;

    /// Takes one row that could not be read as a search; ignored unless the sink wants it.
    fn reject(&mut self, _reject: &Reject, _tables: &Tables) -> Result<(), AuditError> {
        Ok(())
    }

    /// Called once after the last event, with the summary of the run.
    fn finish(&mut self, summary: &Summary, tables: &Tables) -> Result<(), AuditError>;
}

/// Counting is a sink too, for callers that drive events themselves; the pipeline counts in its
/// workers and merges.
impl Sink for crate::aggregate::Aggregates {
    fn name(&self) -> &str {
        "counts"
    }

    fn wants_every_event(&self) -> bool {
        true
    }

    fn event(&mut self, event: &Event<'_>, _tables: &Tables) -> Result<(), AuditError> {
        self.count(event, event.flags.is_finding());
        Ok(())
    }

    fn finish(&mut self, _summary: &Summary, _tables: &Tables) -> Result<(), AuditError> {
        Ok(())
    }
}
