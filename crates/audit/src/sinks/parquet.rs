//! `events.parquet`: every normalised event, for analysts (feature `parquet`, off by default:
//! arrow and parquet take minutes to build and the default build stays lean).

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::builder::{StringBuilder, TimestampSecondBuilder, UInt32Builder, UInt64Builder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;

use crate::aggregate::Summary;
use crate::error::AuditError;
use crate::event::{Event, text};
use crate::process::Tables;
use crate::sinks::Sink;
use crate::sinks::files::REDACTED;

const BATCH: usize = 65_536;

struct Builders {
    file: StringBuilder,
    line: UInt64Builder,
    time: TimestampSecondBuilder,
    searcher: StringBuilder,
    searcher_state: StringBuilder,
    searcher_class: StringBuilder,
    counterparty: StringBuilder,
    reason: StringBuilder,
    category: StringBuilder,
    purpose: StringBuilder,
    case_number: StringBuilder,
    user: StringBuilder,
    plate: StringBuilder,
    networks: UInt32Builder,
    devices: UInt32Builder,
    search_type: StringBuilder,
    verdict: StringBuilder,
    flags: StringBuilder,
    rows: usize,
}

impl Builders {
    fn new() -> Builders {
        Builders {
            file: StringBuilder::new(),
            line: UInt64Builder::new(),
            time: TimestampSecondBuilder::new().with_timezone("UTC"),
            searcher: StringBuilder::new(),
            searcher_state: StringBuilder::new(),
            searcher_class: StringBuilder::new(),
            counterparty: StringBuilder::new(),
            reason: StringBuilder::new(),
            category: StringBuilder::new(),
            purpose: StringBuilder::new(),
            case_number: StringBuilder::new(),
            user: StringBuilder::new(),
            plate: StringBuilder::new(),
            networks: UInt32Builder::new(),
            devices: UInt32Builder::new(),
            search_type: StringBuilder::new(),
            verdict: StringBuilder::new(),
            flags: StringBuilder::new(),
            rows: 0,
        }
    }

    fn finish(&mut self, schema: &Arc<Schema>) -> Result<RecordBatch, arrow_schema::ArrowError> {
        self.rows = 0;
        let columns: Vec<ArrayRef> = vec![
            Arc::new(self.file.finish()),
            Arc::new(self.line.finish()),
            Arc::new(self.time.finish()),
            Arc::new(self.searcher.finish()),
            Arc::new(self.searcher_state.finish()),
            Arc::new(self.searcher_class.finish()),
            Arc::new(self.counterparty.finish()),
            Arc::new(self.reason.finish()),
            Arc::new(self.category.finish()),
            Arc::new(self.purpose.finish()),
            Arc::new(self.case_number.finish()),
            Arc::new(self.user.finish()),
            Arc::new(self.plate.finish()),
            Arc::new(self.networks.finish()),
            Arc::new(self.devices.finish()),
            Arc::new(self.search_type.finish()),
            Arc::new(self.verdict.finish()),
            Arc::new(self.flags.finish()),
        ];
        RecordBatch::try_new(Arc::clone(schema), columns)
    }
}

/// Writes every event to `events.parquet` (zstd).
pub struct ParquetSink {
    path: PathBuf,
    partial: PathBuf,
    writer: Option<ArrowWriter<File>>,
    schema: Arc<Schema>,
    builders: Builders,
    redact: bool,
}

impl std::fmt::Debug for ParquetSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ParquetSink")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

fn parquet_error(path: &Path, e: impl std::fmt::Display) -> AuditError {
    AuditError::output(format!("`{}`", path.display()), e)
}

impl ParquetSink {
    /// Starts `events.parquet` in `dir` (written as `events.parquet.partial` until the run
    /// ends); `redact` masks officer names and plates.
    pub fn create(dir: &Path, redact: bool) -> Result<ParquetSink, AuditError> {
        let path = dir.join("events.parquet");
        let partial = dir.join("events.parquet.partial");
        let text = |name: &str| Field::new(name, DataType::Utf8, true);
        let schema = Arc::new(Schema::new(vec![
            text("file"),
            Field::new("line", DataType::UInt64, false),
            Field::new(
                "time_utc",
                DataType::Timestamp(TimeUnit::Second, Some("UTC".into())),
                false,
            ),
            text("searcher"),
            text("searcher_state"),
            text("searcher_class"),
            text("counterparty"),
            text("reason"),
            text("category"),
            text("purpose"),
            text("case_number"),
            text("user"),
            text("plate"),
            Field::new("networks", DataType::UInt32, true),
            Field::new("devices", DataType::UInt32, true),
            text("search_type"),
            text("verdict"),
            text("flags"),
        ]));
        let file = File::create(&partial).map_err(|e| AuditError::io(&partial, e))?;
        let properties = WriterProperties::builder()
            .set_compression(Compression::ZSTD(ZstdLevel::default()))
            .build();
        let writer = ArrowWriter::try_new(file, Arc::clone(&schema), Some(properties))
            .map_err(|e| parquet_error(&path, e))?;
        Ok(ParquetSink {
            path,
            partial,
            writer: Some(writer),
            schema,
            builders: Builders::new(),
            redact,
        })
    }

    fn flush(&mut self) -> Result<(), AuditError> {
        if self.builders.rows == 0 {
            return Ok(());
        }
        let batch = self
            .builders
            .finish(&self.schema)
            .map_err(|e| parquet_error(&self.path, e))?;
        if let Some(writer) = self.writer.as_mut() {
            writer
                .write(&batch)
                .map_err(|e| parquet_error(&self.path, e))?;
        }
        Ok(())
    }
}

impl Sink for ParquetSink {
    fn name(&self) -> &str {
        "events.parquet"
    }

    fn wants_every_event(&self) -> bool {
        true
    }

    fn event(&mut self, event: &Event<'_>, tables: &Tables) -> Result<(), AuditError> {
        let b = &mut self.builders;
        let searcher = tables.searcher(event.searcher);
        let reason = tables.reason(event.reason);
        b.file.append_option(
            tables
                .files
                .get(event.file as usize)
                .map(|f| f.path.as_str()),
        );
        b.line.append_value(event.line);
        b.time.append_value(event.time);
        b.searcher.append_value(&searcher.party.name);
        b.searcher_state
            .append_option(searcher.party.state.as_deref());
        b.searcher_class.append_value(if searcher.own {
            "own"
        } else {
            searcher.party.class.name()
        });
        b.counterparty
            .append_option(searcher.counterparty.as_deref());
        b.reason.append_value(text(event.reason_text));
        b.category.append_value(event.category.name());
        b.purpose.append_value(&reason.classification.purpose);
        b.case_number.append_value(text(event.case_number));
        for (builder, value) in [(&mut b.user, event.user), (&mut b.plate, event.plate)] {
            if self.redact && !value.is_empty() {
                builder.append_value(REDACTED);
            } else {
                builder.append_value(text(value));
            }
        }
        b.networks.append_option(event.networks);
        b.devices.append_option(event.devices);
        b.search_type.append_option(
            tables
                .search_types
                .get(event.search_type as usize)
                .map(String::as_str),
        );
        b.verdict.append_value(tables.verdict_name(event.outcome));
        b.flags.append_value(event.flags.names());
        b.rows += 1;
        if b.rows >= BATCH {
            self.flush()?;
        }
        Ok(())
    }

    fn finish(&mut self, _summary: &Summary, _tables: &Tables) -> Result<(), AuditError> {
        self.flush()?;
        if let Some(writer) = self.writer.take() {
            writer.close().map_err(|e| parquet_error(&self.path, e))?;
        }
        std::fs::rename(&self.partial, &self.path).map_err(|e| AuditError::io(&self.path, e))
    }
}
