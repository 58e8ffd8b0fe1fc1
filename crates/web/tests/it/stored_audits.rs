//! Runs stored as `remit audit` stores them (`remit_audit::sinks::store::audit_into`) are
//! listed at `/audits` and drawn at `/audits/{run id}` by the same report code as the demo's,
//! with the same summary and findings the pipeline gives for the file.

use axum::http::StatusCode;
use remit_audit::remit_store::Store;
use remit_audit::sinks::files::FINDINGS_HEADER;
use remit_audit::sinks::store::SCHEMA;
use remit_web::{AppState, Options};

use crate::common::{assert_error_envelope, assert_ok_envelope, audit_oracle, corpus, facet, get};

const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/demo/alpr/network-audit-sample.csv"
);
const OWNER: &str = "Sample City CA PD";

/// A folder removed when dropped.
struct TempDir(std::path::PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The sample log audited into a new store as `remit audit` does, and the app over that store;
/// the run's id in the store.
fn stored_state(name: &str) -> (AppState, TempDir, i64) {
    let dir = TempDir(
        std::env::temp_dir().join(format!("remit-web-stored-{name}-{}", std::process::id())),
    );
    let _ = std::fs::remove_dir_all(&dir.0);
    store_run(dir, std::path::Path::new(SAMPLE), OWNER)
}

/// `input` audited for `owner` into a new store in `dir`, and the app over that store.
fn store_run(dir: TempDir, input: &std::path::Path, owner: &str) -> (AppState, TempDir, i64) {
    let mut store =
        Store::open(&dir.0.join("remit.db")).unwrap_or_else(|e| panic!("cannot open a store: {e}"));
    let corpus = corpus();
    let (run_id, _) = remit_web::audit_into_store(
        &mut store,
        &[input.to_path_buf()],
        Some(owner.to_string()),
        &corpus,
        None,
        None,
        &mut [],
    )
    .unwrap_or_else(|e| panic!("cannot store the audit: {e}"));
    let state = AppState::new(corpus, Some(store), Options::default());
    (state, dir, run_id)
}

fn column(name: &str) -> usize {
    FINDINGS_HEADER
        .iter()
        .position(|c| *c == name)
        .unwrap_or_else(|| panic!("no column `{name}`"))
}

#[tokio::test]
async fn a_stored_run_is_listed_and_reported_as_the_pipeline_said() {
    let (state, _dir, run_id) = stored_state("report");
    let (summary, findings) = audit_oracle(SAMPLE, OWNER, None);
    let total = findings.len();
    assert!(total > 0);

    // The list.
    let list = assert_ok_envelope("/audits.json", &get(&state, "/audits.json").await);
    let entries = list.as_array().unwrap_or_else(|| panic!("not a list"));
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["id"], run_id.to_string());
    assert_eq!(entries[0]["demo"], false);
    assert_eq!(entries[0]["events"], summary.events);
    assert_eq!(entries[0]["findings"], total);
    assert_eq!(
        entries[0]["owner"],
        summary.owner.as_ref().map_or("", |o| &o.name)
    );
    let page = format!("/audits/{run_id}");
    assert_eq!(entries[0]["page"], page.as_str());
    let html = get(&state, "/audits").await;
    assert_eq!(html.status, StatusCode::OK);
    assert!(
        html.body.contains(&format!("href=\"{page}\"")),
        "{}",
        html.body
    );
    let (header, rows) = get(&state, "/audits.csv").await.csv();
    assert_eq!(header.last().map(String::as_str), Some("demo"));
    assert_eq!(rows.len(), 1);

    // The report: the pipeline's summary, and its findings.
    let uri = format!("/audits/{run_id}.json?size=1000");
    let data = assert_ok_envelope(&uri, &get(&state, &uri).await);
    let expected = serde_json::to_string(&summary).unwrap_or_default();
    let expected: serde_json::Value = serde_json::from_str(&expected).unwrap_or_default();
    assert_eq!(data["summary"], expected);
    assert_eq!(data["findings_total"], total);
    assert_eq!(data["findings_matching"], findings.len());
    let shown = data["findings"]
        .as_array()
        .unwrap_or_else(|| panic!("no findings"));
    assert_eq!(shown.len(), findings.len());
    for (got, want) in shown.iter().zip(&findings) {
        for name in [
            "file",
            "line",
            "time_utc",
            "searcher",
            "reason",
            "verdict",
            "citations",
        ] {
            assert_eq!(got[column(name)], want[column(name)].as_str(), "`{name}`");
        }
        assert!(!got[column("file")].as_str().unwrap_or("/").contains('/'));
    }

    // Filters and facets, as for a report held in memory.
    let immigration = findings
        .iter()
        .filter(|f| {
            f[column("categories")]
                .split(';')
                .any(|c| c == "immigration")
        })
        .count();
    assert!(immigration > 0);
    let uri = format!("/audits/{run_id}.json?category=immigration&size=1000");
    let data = assert_ok_envelope(&uri, &get(&state, &uri).await);
    assert_eq!(data["findings_matching"], immigration);
    assert_eq!(data["facets"]["category"]["immigration"], immigration);
    let (header, rows) = get(
        &state,
        &format!("/audits/{run_id}.csv?category=immigration"),
    )
    .await
    .csv();
    assert_eq!(header, FINDINGS_HEADER);
    assert_eq!(rows.len(), immigration);
    for row in &rows {
        for hidden in [&row[column("user")], &row[column("plate")]] {
            assert!(hidden.is_empty() || hidden == "[redacted]", "{hidden}");
        }
    }

    // The page: charts, the law's citations, the findings, and its twins.
    let html = get(&state, &page).await;
    assert_eq!(html.status, StatusCode::OK);
    assert!(
        html.link().contains(&format!("{page}.json")),
        "{}",
        html.link()
    );
    assert!(html.body.contains("<svg"));
    assert!(html.body.contains("id=\"findings\""));
    assert!(html.body.contains(OWNER) || html.body.contains("Sample City"));
    for decision in &summary.decisions {
        for rule in &decision.determining {
            assert!(
                html.body.contains(&format!("/rules/{}", rule.id)),
                "{}",
                rule.id
            );
        }
    }
}

/// A stored run with many findings: its page, facets and CSV cover every finding, read from the
/// store as they are asked for.
#[tokio::test]
async fn a_big_stored_run_is_reported_whole() {
    let dir =
        TempDir(std::env::temp_dir().join(format!("remit-web-stored-big-{}", std::process::id())));
    let _ = std::fs::remove_dir_all(&dir.0);
    std::fs::create_dir_all(&dir.0).unwrap_or_else(|e| panic!("{e}"));
    let input = dir.0.join("network.csv");
    let mut bytes = Vec::new();
    remit_audit::demo::generate(160_000, 3, &mut bytes).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(&input, bytes).unwrap_or_else(|e| panic!("{e}"));
    let (state, _dir, run_id) = store_run(dir, &input, "El Cajon CA PD");
    let uri = format!("/audits/{run_id}.json?size=1000");
    let data = assert_ok_envelope(&uri, &get(&state, &uri).await);
    let total = data["findings_total"].as_u64().unwrap_or(0);
    assert!(total > 20_000, "{total}");
    assert_eq!(data["findings_matching"], total);
    let (verdicts, counted) = facet(&data, "verdict");
    assert_eq!(counted, total);
    assert_eq!(data["findings"].as_array().map(Vec::len), Some(1000));
    assert_eq!(
        data["next"],
        format!("/audits/{run_id}.json?offset=1000&size=1000")
    );

    // The last page, by a filter: the pages end where the matching findings do.
    let forbidden = verdicts["must_not"].as_u64().unwrap_or(0);
    assert!(forbidden > 20_000, "{forbidden}");
    let offset = forbidden - 10;
    let uri = format!("/audits/{run_id}.json?verdict=must_not&offset={offset}&size=1000");
    let data = assert_ok_envelope(&uri, &get(&state, &uri).await);
    assert_eq!(data["findings_matching"], forbidden);
    assert_eq!(data["findings"].as_array().map(Vec::len), Some(10));
    assert!(data["next"].is_null());

    // Every finding is in the CSV, and the page counts them all.
    let (_, rows) = get(&state, &format!("/audits/{run_id}.csv")).await.csv();
    assert_eq!(rows.len() as u64, total);
    let html = get(&state, &format!("/audits/{run_id}")).await;
    assert!(html.body.contains(&format!(
        "{} findings match; the CSV has all of them",
        remit_web::html::count(total)
    )));
    // The page gives the findings a hundred at a time, and its `offset` is read (issue 17).
    assert!(html.body.contains(&format!(
        "Showing 1–100 of {}",
        remit_web::html::count(total)
    )));
    assert!(html.body.contains("offset=100#findings"));
    let later = get(&state, &format!("/audits/{run_id}?offset=100")).await;
    assert!(later.body.contains(&format!(
        "Showing 101–200 of {}",
        remit_web::html::count(total)
    )));
    assert!(later.body.contains("rel=\"prev\""));
}

#[tokio::test]
async fn a_run_the_store_does_not_hold_is_the_error_envelope() {
    let (state, _dir, run_id) = stored_state("missing");
    for uri in [
        format!("/audits/{}.json", run_id + 1),
        format!("/audits/{}.csv", run_id + 1),
        "/audits/-1.json".to_string(),
    ] {
        assert_error_envelope(&uri, &get(&state, &uri).await, StatusCode::NOT_FOUND);
    }
    let uri = format!("/audits/{run_id}.json?size=5000");
    assert_error_envelope(&uri, &get(&state, &uri).await, StatusCode::BAD_REQUEST);
}

/// A store whose audit tables an earlier version made is brought up to date when served (its
/// runs would otherwise be hidden); a store without them is not given them.
#[test]
fn serving_upgrades_the_tables_a_store_has() {
    let dir = TempDir(
        std::env::temp_dir().join(format!("remit-web-stored-upgrade-{}", std::process::id())),
    );
    let _ = std::fs::remove_dir_all(&dir.0);
    std::fs::create_dir_all(&dir.0).unwrap_or_else(|e| panic!("{e}"));
    let old = dir.0.join("old.db");
    let mut store = Store::open(&old).unwrap_or_else(|e| panic!("{e}"));
    let earlier = remit_audit::remit_store::Schema {
        component: SCHEMA.component,
        migrations: &SCHEMA.migrations[..2],
    };
    store.migrate(&earlier).unwrap_or_else(|e| panic!("{e}"));
    drop(store);
    let bare = dir.0.join("bare.db");
    drop(Store::open(&bare).unwrap_or_else(|e| panic!("{e}")));

    let served = remit_web::open_existing_store(Some(&old))
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("no store"));
    assert_eq!(
        served.schema_version(SCHEMA.component).ok().flatten(),
        Some(SCHEMA.latest())
    );
    let served = remit_web::open_existing_store(Some(&bare))
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("no store"));
    assert_eq!(served.schema_version(SCHEMA.component).ok().flatten(), None);
}
