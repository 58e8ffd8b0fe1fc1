//! The whole app through its router (`tower::ServiceExt::oneshot`), on the real corpus: every
//! route in HTML, JSON and CSV, the one JSON envelope on success and failure, and the content of
//! the pages checked against what the law engine and the store answer directly.

#![expect(
    clippy::panic,
    reason = "test helpers stop the test on a bad setup or an unreadable reply"
)]

mod audits;
mod common;
mod compliance;
mod csv_export;
mod dashboard;
mod envelope;
mod law;
mod readers;
mod real_records;
mod redaction;
mod registry;
mod security;
mod sharing;
mod spanish;
mod spanish_crawl;
mod stored_audits;
mod templates;
mod upload;
