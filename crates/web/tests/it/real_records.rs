//! The 287(g) and sharing pages on real records (issue 17): ICE's sheets, the FBI agency
//! directory, Okaloosa County's organisation export and El Cajon's transparency portal. A long
//! sharing list is paged (every recipient on exactly one page), federal recipients come first and
//! in full, each recipient that held a 287(g) agreement on the list's date is marked, and every
//! link leads somewhere; the 287(g) page speaks plain words on data the demo does not have.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use axum::http::StatusCode;
use remit_web::{AppState, Options};

use crate::common::{assert_ok_envelope, corpus, get, shared_data};

/// Rows a page of a list shows: on a phone, each is two to four lines of text.
const PAGE: usize = 25;

/// A store with ICE's sheets of 18 and 19 July 2025 (participating and pending), linked to the
/// FBI directory, and the Okaloosa and El Cajon lists checked against the law with the same
/// directory; the app over it, with the directory.
fn real_state(root: &Path, folder: &remit_web::demo::Folder) -> AppState {
    let directory = remit_agencies::Directory::from_fbi_csv(&root.join("agencies/fbi-lee.csv"))
        .unwrap_or_else(|e| panic!("the FBI directory does not load: {e}"));
    let corpus = corpus();
    let mut store =
        remit_store::Store::open(&folder.path().join("remit.db")).unwrap_or_else(|e| panic!("{e}"));
    {
        let mut registry =
            remit_registry::Registry::open(&mut store).unwrap_or_else(|e| panic!("{e}"));
        for folder in ["sheets_20250718_151752", "sheets_20250719_151637"] {
            let folder = root.join("287g/ice-sheets").join(folder);
            let mut sheets: Vec<PathBuf> = std::fs::read_dir(&folder)
                .unwrap_or_else(|e| panic!("{}: {e}", folder.display()))
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .collect();
            sheets.sort();
            for sheet in &sheets {
                registry
                    .import(sheet, remit_registry::ImportOptions::default())
                    .unwrap_or_else(|e| panic!("{}: {e}", sheet.display()));
            }
        }
        let mut linker =
            remit_registry::DirectoryLinker::with_source(directory.clone(), "fbi".to_string());
        registry
            .refresh(&mut linker)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    {
        let mut sharing =
            remit_sharing::Sharing::open(&mut store).unwrap_or_else(|e| panic!("{e}"));
        let today = "2026-12-07".parse().unwrap_or_else(|e| panic!("{e}"));
        let lists = [
            (
                root.join("alpr/okaloosa-fl/sharing-agencies.csv"),
                Some("Okaloosa County FL SO".to_string()),
                Some("2025-12-08".parse().unwrap_or_else(|e| panic!("{e}"))),
            ),
            (
                root.join("alpr/transparency-portals/-el-cajon-pd-ca__2026-04-29.json"),
                None,
                None,
            ),
        ];
        for (path, owner, date) in lists {
            sharing
                .import(
                    &path,
                    &remit_sharing::ReadOptions {
                        owner,
                        date,
                        sheet: None,
                        direction: None,
                        today,
                    },
                )
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        }
        let mut checker =
            remit_sharing::Checker::new(&corpus, remit_agencies::Resolver::new(directory.clone()));
        sharing
            .refresh(&mut checker, "fbi")
            .unwrap_or_else(|e| panic!("{e}"));
    }
    AppState::new(corpus, Some(store), Options::default()).with_directory(directory)
}

/// The rows of the table that follows `marker` in `html` (up to the table's end), as their text.
fn rows_after(html: &str, marker: &str) -> Vec<String> {
    let Some(start) = html.find(marker) else {
        return Vec::new();
    };
    let rest = &html[start..];
    let table = &rest[..rest.find("</table>").unwrap_or(rest.len())];
    table
        .split("<tr>")
        .skip(2) // before the first row, and the heading row
        .map(|row| {
            let mut text = String::new();
            let mut inside = false;
            for c in row.chars() {
                match c {
                    '<' => inside = true,
                    '>' => {
                        inside = false;
                        text.push(' ');
                    }
                    _ if !inside => text.push(c),
                    _ => {}
                }
            }
            text.split_whitespace().collect::<Vec<_>>().join(" ")
        })
        .collect()
}

/// The list's line number: the last cell of an edge's row.
fn line_of(row: &str) -> String {
    row.rsplit(' ').next().unwrap_or("").to_string()
}

#[tokio::test]
async fn regression_issue_17_long_sharing_lists_are_paged_federal_first_and_marked_for_287g() {
    let Some(root) = shared_data() else { return };
    let folder = remit_web::demo::Folder::create().unwrap_or_else(|e| panic!("{e}"));
    let state = real_state(&root, &folder);

    for owner in ["Okaloosa County FL SO", "El Cajon CA PD"] {
        let path = format!("/sharing/{}", owner.replace(' ', "%20"));
        let reply = get(&state, &path).await;
        // The page of a name form answers at the owner's own address.
        let page_url = match reply.status {
            StatusCode::SEE_OTHER => reply
                .headers
                .get("location")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_else(|| panic!("{path}: a redirect without a location"))
                .to_string(),
            _ => path.clone(),
        };
        let report = assert_ok_envelope(
            &format!("{page_url}.json"),
            &get(&state, &format!("{page_url}.json")).await,
        );
        let edges = report["edges"].as_array().cloned().unwrap_or_default();
        assert!(edges.len() > 500, "{owner}: {} edges", edges.len());
        let html = get(&state, &page_url).await;
        assert_eq!(html.status, StatusCode::OK, "{page_url}");
        let html = html.body;

        // Federal recipients first, in full and not folded: before the charts and the
        // forbidden edges, as many as the report has.
        let federal: Vec<&serde_json::Value> = edges
            .iter()
            .filter(|edge| edge["group"] == "federal")
            .collect();
        let section = html
            .find("<h2 id=\"federal\">")
            .unwrap_or_else(|| panic!("{owner}: no federal section"));
        assert!(
            html.contains(&format!(
                "<h2 id=\"federal\">Federal recipients ({})</h2>",
                federal.len()
            )),
            "{owner}"
        );
        assert!(section < html.find("<h2 id=\"recipients\">").unwrap_or(0));
        assert!(section < html.find("Recipients by class").unwrap_or(0));
        let shown_federal = rows_after(&html, "<h2 id=\"federal\">");
        if federal.is_empty() {
            assert!(html.contains("None: the list names no federal agency."));
        } else {
            assert_eq!(shown_federal.len(), federal.len(), "{owner}");
            let before = &html[..section];
            assert_eq!(
                before.matches("<details").count(),
                before.matches("</details>").count(),
                "{owner}: the federal recipients are folded"
            );
        }

        // Every recipient, a page at a time: each on exactly one page, the page of a list of
        // hundreds a small one.
        let mut lines = Vec::new();
        let mut offset = 0;
        let mut pages = 0;
        loop {
            let url = if offset == 0 {
                page_url.clone()
            } else {
                format!("{page_url}?offset={offset}")
            };
            let body = get(&state, &url).await.body;
            assert!(
                body.len() < 200 * 1024,
                "{url}: {} bytes for one page",
                body.len()
            );
            let rows = rows_after(&body, "<h2 id=\"recipients\">");
            assert!(rows.len() <= PAGE, "{url}: {} rows", rows.len());
            lines.extend(rows.iter().map(|row| line_of(row)));
            pages += 1;
            let next = format!("?offset={}#recipients", offset + PAGE);
            if !body.contains(&next.replace('&', "&amp;")) {
                assert!(
                    body.contains(&format!(
                        "of {}",
                        remit_web::html::count(edges.len() as u64)
                    )),
                    "{url}: the pager does not give the total"
                );
                break;
            }
            offset += PAGE;
        }
        assert_eq!(pages, edges.len().div_ceil(PAGE), "{owner}");
        let mut expected: Vec<String> = edges.iter().map(|e| e["line"].to_string()).collect();
        expected.sort();
        lines.sort();
        assert_eq!(
            lines, expected,
            "{owner}: not every recipient is on one page"
        );

        // The forbidden edges: the first few, and all of them a page at a time.
        let flagged = report["flagged"].as_array().map_or(0, Vec::len);
        if flagged > PAGE {
            assert!(html.contains("?show=forbidden#recipients"), "{owner}");
            let body = get(&state, &format!("{page_url}?show=forbidden"))
                .await
                .body;
            assert!(
                body.contains(&format!(
                    "of {}</span>",
                    remit_web::html::count(flagged as u64)
                )),
                "{owner}: the forbidden list does not hold the {flagged} forbidden edges"
            );
            let rows = rows_after(&body, "<h2 id=\"recipients\">");
            assert_eq!(rows.len(), PAGE);
            assert!(
                rows.iter().all(|row| row.starts_with("must not")),
                "{rows:?}"
            );
        }

        // The federal ones lead the first page of the list.
        let first = rows_after(&html, "<h2 id=\"recipients\">");
        for (row, federal_row) in first.iter().zip(&shown_federal) {
            assert_eq!(row, federal_row, "{owner}");
        }
    }

    // Okaloosa (Florida) shares with Florida sheriffs that held 287(g) agreements on the list's
    // date: each recipient whose ORI is on ICE's participating sheet as of that day is marked,
    // and the list of them holds exactly the marked ones.
    let reply = get(&state, "/sharing/Okaloosa%20County%20FL%20SO").await;
    let page_url = reply
        .headers
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map_or_else(
            || "/sharing/Okaloosa%20County%20FL%20SO".to_string(),
            str::to_string,
        );
    let report = assert_ok_envelope("okaloosa", &get(&state, &format!("{page_url}.json")).await);
    let day = remit_registry::Day::parse_iso("2025-12-08").unwrap_or_else(|| panic!("a date"));
    let folder_store = remit_store::Store::open(&folder.path().join("remit.db"));
    let mut direct = folder_store.unwrap_or_else(|e| panic!("{e}"));
    let active: BTreeSet<String> = remit_registry::Registry::open(&mut direct)
        .and_then(|r| r.export(Some(day), &remit_registry::Filter::default()))
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .filter(|row| row.status == "active")
        .filter_map(|row| row.ori)
        .collect();
    let held: Vec<String> = report["edges"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter(|edge| {
            edge["recipient_ori"]
                .as_str()
                .is_some_and(|ori| active.contains(ori))
        })
        .map(|edge| edge["line"].to_string())
        .collect();
    assert!(
        held.len() >= 10,
        "only {} of Okaloosa's recipients held an agreement",
        held.len()
    );
    let mut marked = Vec::new();
    let mut offset = 0;
    loop {
        let url = format!("{page_url}?show=287g&offset={offset}");
        let body = get(&state, &url).await.body;
        let rows = rows_after(&body, "<h2 id=\"recipients\">");
        assert!(
            rows.iter().all(|row| row.contains("287(g)")),
            "{url}: an unmarked row in the list of 287(g) recipients"
        );
        marked.extend(rows.iter().map(|row| line_of(row)));
        if rows.len() < PAGE {
            break;
        }
        offset += PAGE;
    }
    for line in &held {
        assert!(
            marked.contains(line),
            "line {line}: held an agreement and is not marked"
        );
    }
    let page = get(&state, &page_url).await.body;
    assert!(page.contains(&format!(
        "{} recipients held a 287(g) agreement with ICE or had one pending on 2025-12-08 (ICE's sheets as of 2025-07-1",
        marked.len()
    )));
    // The agencies whose data reaches Okaloosa (hundreds, by its own list): a page at a time, and
    // every one linked goes to a page that answers; one with no list of its own goes to its
    // agency page, and its code on `/sharing/` is not sent to another agency's list.
    let section = &page[page
        .find("<h2 id=\"inbound\">")
        .unwrap_or_else(|| panic!("no inbound section"))..];
    let rows = rows_after(section, "<h2 id=\"inbound\">");
    assert_eq!(rows.len(), PAGE, "{rows:?}");
    assert!(section.contains(&format!("?inbound_offset={PAGE}#inbound")));
    let links: BTreeSet<String> = section[..section.find("</table>").unwrap_or(0)]
        .split("href=\"")
        .skip(1)
        .filter_map(|part| Some(part[..part.find('"')?].replace("&amp;", "&")))
        .filter(|link| link.starts_with('/'))
        .collect();
    assert!(links.len() > 10, "{links:?}");
    // A dozen of them: each agency page joins every record of the store, slow in a debug build.
    for link in links.iter().take(12) {
        assert_eq!(get(&state, link).await.status, StatusCode::OK, "{link}");
        if let Some(ori) = link.strip_prefix("/agencies/") {
            let reply = get(&state, &format!("/sharing/{ori}")).await;
            assert_eq!(reply.status, StatusCode::NOT_FOUND, "/sharing/{ori}");
            assert!(
                reply.body.contains(&format!("/agencies/{ori}")),
                "{}",
                reply.body
            );
        }
    }
    let second = get(&state, &format!("{page_url}?inbound_offset={PAGE}"))
        .await
        .body;
    let next_rows = rows_after(
        &second[second.find("<h2 id=\"inbound\">").unwrap_or(0)..],
        "<h2 id=\"inbound\">",
    );
    assert_eq!(next_rows.len(), PAGE);
    assert_ne!(next_rows, rows);

    // An unknown list asked for is a clear error, not an empty page.
    let reply = get(&state, &format!("{page_url}?show=everything")).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
}

/// ICE's real sheets list state agencies (departments of corrections, highway patrols), which
/// the demo's do not: their kind reads as words on every 287(g) page, and the maps and the
/// per-county table show no internal word either.
#[tokio::test]
async fn regression_issue_17_the_287g_pages_on_real_sheets_speak_plain_words() {
    let Some(root) = shared_data() else { return };
    let folder = remit_web::demo::Folder::create().unwrap_or_else(|e| panic!("{e}"));
    let state = real_state(&root, &folder);
    let data = assert_ok_envelope("/287g.json", &get(&state, "/287g.json").await);
    assert!(
        data["by_type"]["state_agency"].as_u64().unwrap_or(0) > 10,
        "{}",
        data["by_type"]
    );
    for uri in [
        "/287g",
        "/287g?state=AZ",
        "/287g?q=department+of+corrections",
    ] {
        let reply = get(&state, uri).await;
        assert_eq!(reply.status, StatusCode::OK, "{uri}");
        // What a reader sees: the page without its closed "Technical details".
        let mut shown = reply.body.clone();
        while let Some(start) = shown.find("<details class=\"technical\">") {
            let end = shown[start..]
                .find("</details>")
                .map_or(shown.len(), |end| start + end + "</details>".len());
            shown.replace_range(start..end, "");
        }
        assert!(
            !shown.contains("state_agency"),
            "{uri} shows `state_agency`"
        );
    }
    let page = get(&state, "/287g?q=department+of+corrections").await.body;
    assert!(page.contains("<td>state agency</td>"));
    assert!(page.contains("<tr><td>state agency</td><td class=\"n\">"));
}

/// The text a reader sees on a page, without markup, program words (`code`), closed technical
/// details, and what is marked as kept in English (`lang="en"`) on a Spanish page.
fn seen_text(html: &str) -> String {
    let mut text = html.to_string();
    for (open, close) in [
        ("<details class=\"technical\">", "</details>"),
        ("<code>", "</code>"),
        (" lang=\"en\"", "</"),
    ] {
        while let Some(start) = text.find(open) {
            let start = text[..start]
                .rfind('<')
                .filter(|_| open.starts_with(' '))
                .unwrap_or(start);
            let end = text[start + open.len()..]
                .find(close)
                .map_or(text.len(), |end| start + open.len() + end);
            text.replace_range(start..end, " ");
        }
    }
    let mut out = String::new();
    let mut inside = false;
    for c in text.chars() {
        match c {
            '<' => inside = true,
            '>' => {
                inside = false;
                out.push(' ');
            }
            _ if !inside => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
}

/// How many times `words` occurs in `text` not as part of a longer word (`Federal` is not in
/// `Federales`).
fn words_in(text: &str, words: &str) -> usize {
    let letter = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    text.match_indices(words)
        .filter(|(at, _)| {
            !letter(text[..*at].chars().next_back())
                && !letter(text[at + words.len()..].chars().next())
        })
        .count()
}

/// The sharing and 287(g) pages in Spanish (issue 22): each answers 200 as a Spanish page, and
/// the sharing pages show none of their English interface strings.
#[tokio::test]
async fn regression_issue_22_the_records_pages_answer_in_spanish() {
    let (state, _folder, _direct) = crate::common::demo_state();
    let tables = remit_web::i18n::tables();
    let sharing: Vec<&(&str, &str, &str)> = tables
        .iter()
        .filter(|(name, _)| *name == "sharing")
        .flat_map(|(_, entries)| entries)
        .collect();
    assert!(
        sharing.len() > 50,
        "the sharing pages' words are not registered"
    );
    let mut checked = 0;
    let mut found = Vec::new();
    for page in [
        "/sharing",
        "/sharing?state=CA",
        "/sharing/Sample%20City%20CA%20PD",
        "/sharing/Sample%20City%20CA%20PD?show=forbidden",
        "/287g",
        "/287g?state=FL",
        "/agencies/FL/Bay%20County%20Sample%20Sheriff%27s%20Office",
    ] {
        let reply = get(&state, &format!("/es{page}")).await;
        assert_eq!(reply.status, StatusCode::OK, "/es{page}");
        assert!(reply.body.contains("<html lang=\"es\">"), "/es{page}");
        if !page.starts_with("/sharing") {
            continue;
        }
        let english = seen_text(&get(&state, page).await.body);
        let spanish = seen_text(&reply.body);
        for (field, en, es) in &sharing {
            for (en, es) in en.split('|').zip(es.split('|')) {
                let en = en.trim();
                // Words of three letters or fewer (`yes`, `Rule`) are checked as part of
                // longer strings; a name both languages share is not English.
                if en == es.trim() || en.len() < 5 || words_in(&english, en) == 0 {
                    continue;
                }
                checked += 1;
                // Data that reads the same in both languages (`HSI San Diego [Federal]`, as a
                // list writes it) is on both pages; the interface's words only on the English.
                if words_in(&spanish, en) >= words_in(&english, en) {
                    found.push(format!("/es{page}: `{en}` ({field})"));
                }
            }
        }
    }
    assert!(checked > 40, "only {checked} strings were checked");
    assert!(
        found.is_empty(),
        "English on Spanish pages:\n{}",
        found.join("\n")
    );
    // Numbers and dates as Spanish writes them.
    let page = get(&state, "/es/sharing/Sample%20City%20CA%20PD")
        .await
        .body;
    assert!(page.contains("1 de diciembre de 2025"), "no Spanish date");
    assert!(page.contains("Destinatarios federales (2)"));
}
