//! The audit pages against remit-audit's own pipeline on the same self-made sample log.

use axum::http::StatusCode;
use remit_app::RegistryAgreements;
use remit_audit::sinks::files::FINDINGS_HEADER;
use remit_web::html::e;

use crate::common::{assert_error_envelope, assert_ok_envelope, audit_oracle, demo_state, get};

const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/demo/alpr/network-audit-sample.csv"
);

fn column(name: &str) -> usize {
    FINDINGS_HEADER
        .iter()
        .position(|c| *c == name)
        .unwrap_or_else(|| panic!("no column `{name}`"))
}

#[tokio::test]
async fn the_report_is_the_pipelines_summary() {
    let (state, _folder, mut direct) = demo_state();
    // The demo flags searchers that held a 287(g) agreement, from its sample sheets.
    let agreements = RegistryAgreements::load(&mut direct).unwrap();
    let (summary, findings) = audit_oracle(SAMPLE, "Sample City CA PD", Some(&agreements));
    assert_eq!(summary.events, 362);
    let total = findings.len();
    let uri = "/audits/demo-network-audit.json";
    let data = assert_ok_envelope(uri, &get(&state, uri).await);
    // Through text, as the page sends it (an f32 confidence reads back as written).
    let mut expected: serde_json::Value =
        serde_json::from_str(&serde_json::to_string(&summary).unwrap()).unwrap();
    let mut shown = data["summary"].clone();
    // The demo audits a copy of the file in its own folder: only the path differs.
    for value in [&mut expected, &mut shown] {
        for file in value["files"].as_array_mut().unwrap() {
            file["path"] = serde_json::Value::Null;
        }
    }
    assert_eq!(shown, expected);
    assert_eq!(data["findings_total"], total);
    assert_eq!(data["summary"]["by_flag"]["searcher_287g"], 2);
    assert_eq!(data["columns"], serde_json::json!(FINDINGS_HEADER));
    let list = assert_ok_envelope("/audits.json", &get(&state, "/audits.json").await);
    assert_eq!(list[0]["id"], "demo-network-audit");
    assert_eq!(list[0]["demo"], true);
    assert_eq!(list[0]["events"], 362);
    assert_eq!(
        list[0]["owner"],
        summary.owner.as_ref().unwrap().name.as_str()
    );
    // The demo's audits are runs in the demo store; a run's id leads to its named report.
    let runs = remit_audit::query::runs(&direct).unwrap();
    assert_eq!(runs.len(), 2);
    let sample = runs.iter().find(|r| r.events == 362).unwrap();
    assert_eq!(sample.findings as usize, total);
    let uri = format!("/audits/{}.json", sample.id);
    let data = assert_ok_envelope(&uri, &get(&state, &uri).await);
    assert_eq!(data["id"], "demo-network-audit");
    assert_eq!(list.as_array().unwrap().len(), 2, "each run listed once");
}

#[tokio::test]
async fn who_searched_for_immigration_reasons() {
    let (state, _folder, _direct) = demo_state();
    let (_, findings) = audit_oracle(SAMPLE, "Sample City CA PD", None);
    let immigration: Vec<&[String; 23]> = findings
        .iter()
        .filter(|f| {
            f[column("categories")]
                .split(';')
                .any(|c| c == "immigration")
        })
        .collect();
    assert_eq!(
        immigration.len(),
        5,
        "the sample plants five immigration reasons"
    );
    let uri = "/audits/demo-network-audit.json?category=immigration";
    let data = assert_ok_envelope(uri, &get(&state, uri).await);
    assert_eq!(data["findings_matching"], immigration.len());
    assert_eq!(data["filters"]["category"], "immigration");
    for (shown, expected) in data["findings"]
        .as_array()
        .unwrap()
        .iter()
        .zip(&immigration)
    {
        assert_eq!(shown[column("line")], expected[column("line")].as_str());
        assert_eq!(
            shown[column("searcher")],
            expected[column("searcher")].as_str()
        );
    }
    // The report page answers the question at the top, with every searcher named.
    let page = get(&state, "/audits/demo-network-audit").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Searches for immigration reasons"));
    // The law's questions are named in the vocabulary's phrases.
    assert!(
        page.body.contains(
            "<td>a state or local agency of another state</td><td>a criminal investigation</td>"
        ),
        "{}",
        page.body
    );
    // The flags are counted with what they mean: the sample's two searches by an agency that
    // held a 287(g) agreement among them.
    assert!(
        page.body.contains(
            "<tr><td>searcher held a 287(g) agreement that day</td><td class=\"n\">2</td><td>yes</td><td>the searcher held a 287(g) agreement"
        ),
        "{}",
        page.body
    );
    // (An apostrophe may be written as it is or as `&#39;`: both are escaped HTML.)
    let text = page.body.replace("&#39;", "'");
    for finding in &immigration {
        assert!(
            text.contains(
                &e(&finding[column("searcher")])
                    .to_string()
                    .replace("&#39;", "'")
            )
        );
    }
    assert!(page.body.contains("<svg"), "the report has charts");
    // Facets combine: immigration searches by federal searchers.
    let uri = "/audits/demo-network-audit.csv?category=immigration&searcher_class=federal";
    let (headers, rows) = get(&state, uri).await.csv();
    assert_eq!(headers, FINDINGS_HEADER);
    let federal = immigration
        .iter()
        .filter(|f| f[column("searcher_class")] == "federal")
        .count();
    assert!(federal > 0);
    assert_eq!(rows.len(), federal);
    assert!(
        rows.iter()
            .all(|r| r[column("searcher_class")] == "federal")
    );
}

#[tokio::test]
async fn facets_count_the_findings_and_filters_combine() {
    let (state, _folder, _direct) = demo_state();
    let all = assert_ok_envelope(
        "/audits/demo-network-audit.json",
        &get(&state, "/audits/demo-network-audit.json").await,
    );
    let total = all["findings_matching"].as_u64().unwrap();
    let by_verdict = all["facets"]["verdict"].as_object().unwrap();
    assert_eq!(
        by_verdict
            .values()
            .map(|v| v.as_u64().unwrap())
            .sum::<u64>(),
        total
    );
    for (verdict, number) in by_verdict {
        let uri = format!("/audits/demo-network-audit.json?verdict={verdict}&size=1000");
        let data = assert_ok_envelope(&uri, &get(&state, &uri).await);
        assert_eq!(data["findings_matching"], *number);
        assert!(
            data["findings"]
                .as_array()
                .unwrap()
                .iter()
                .all(|f| f[column("verdict")] == verdict.as_str())
        );
    }
    let by_state = all["facets"]["searcher_state"].as_object().unwrap();
    let texas = by_state["TX"].as_u64().unwrap();
    let (_, rows) = get(&state, "/audits/demo-network-audit.csv?searcher_state=TX")
        .await
        .csv();
    assert_eq!(rows.len() as u64, texas);
    // Pages of findings.
    let data = assert_ok_envelope(
        "/audits/demo-network-audit.json?size=10",
        &get(&state, "/audits/demo-network-audit.json?size=10").await,
    );
    assert_eq!(data["findings"].as_array().unwrap().len(), 10);
    assert_eq!(
        data["next"],
        "/audits/demo-network-audit.json?offset=10&size=10"
    );
}

#[tokio::test]
async fn officer_names_and_plates_are_redacted() {
    let (state, _folder, _direct) = demo_state();
    let (_, rows) = get(&state, "/audits/demo-network-audit.csv").await.csv();
    assert!(!rows.is_empty());
    for row in &rows {
        for name in ["user", "plate"] {
            let value = &row[column(name)];
            assert!(value.is_empty() || value == "[redacted]", "{name}: {value}");
        }
    }
    // No user name or plate of the log appears on the page or in its JSON.
    let mut reader = csv::Reader::from_path(SAMPLE).unwrap();
    let mut secrets = std::collections::BTreeSet::new();
    for record in reader.records() {
        let record = record.unwrap();
        for value in [&record[0], &record[5]] {
            if !value.is_empty() {
                secrets.insert(value.to_string());
            }
        }
    }
    assert!(secrets.len() > 10);
    for uri in [
        "/audits/demo-network-audit",
        "/audits/demo-network-audit.json?size=1000",
    ] {
        let page = get(&state, uri).await;
        for secret in &secrets {
            assert!(
                !page.body.contains(secret.as_str()),
                "`{uri}` shows `{secret}`"
            );
        }
    }
}

#[tokio::test]
async fn audit_failures_are_the_error_envelope() {
    let (state, _folder, _direct) = demo_state();
    for (uri, status) in [
        ("/audits/nope.json", StatusCode::NOT_FOUND),
        ("/audits/nope.csv", StatusCode::NOT_FOUND),
        (
            "/audits/demo-network-audit.json?size=5000",
            StatusCode::BAD_REQUEST,
        ),
        (
            "/audits/demo-network-audit.json?offset=x",
            StatusCode::BAD_REQUEST,
        ),
    ] {
        assert_error_envelope(uri, &get(&state, uri).await, status);
    }
}

#[tokio::test]
async fn the_demo_also_audits_a_generated_log_with_planted_immigration_searches() {
    let (state, _folder, _direct) = demo_state();
    let uri = "/audits/demo-generated-network-audit.json?category=immigration&size=1000";
    let data = assert_ok_envelope(uri, &get(&state, uri).await);
    assert_eq!(data["summary"]["events"], 20_000);
    let planted = remit_audit::demo::planted_count(20_000);
    assert!(planted > 0);
    let immigration = data["findings_matching"].as_u64().unwrap();
    assert!(
        immigration >= planted,
        "{immigration} immigration findings, {planted} planted"
    );
    // The planted out-of-state ones are forbidden sharing under California law.
    let out_of_state_forbidden = data["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f[column("counterparty")] == "out_of_state_agency")
        .filter(|f| f[column("verdict")] == "must_not")
        .count();
    assert!(out_of_state_forbidden > 0);
}
