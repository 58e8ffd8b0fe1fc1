//! `remit serve` as a user runs it: the real binary, listening on a free loopback port, read
//! over real HTTP.

#![expect(
    clippy::panic,
    reason = "test helpers stop the test on a bad setup or an unreadable reply"
)]

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

mod common;

/// A running server, stopped when dropped.
struct Server {
    child: Child,
    address: String,
    _home: TempDir,
}

impl Drop for Server {
    /// Stops the server as a user would (SIGTERM, so that the demo removes its folder), and
    /// kills it if it has not stopped within five seconds.
    fn drop(&mut self) {
        if cfg!(unix) {
            let _ = Command::new("kill")
                .args(["-TERM", &self.child.id().to_string()])
                .status();
            for _ in 0..50 {
                if matches!(self.child.try_wait(), Ok(Some(_))) {
                    return;
                }
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A folder removed when dropped, used as the data directory so that no real store is found.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let path =
            std::env::temp_dir().join(format!("remit-serve-test-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", path.display()));
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The binary with `home` as its data home and its `HOME`.
fn remit(home: &TempDir) -> Command {
    let mut command = common::with_data_home(&home.0);
    command.env("HOME", &home.0);
    command
}

/// Starts `remit serve --port 0 ARGS` and waits for the line with its address.
fn start(name: &str, args: &[&str]) -> Server {
    let home = TempDir::new(name);
    let mut child = remit(&home)
        .args(["serve", "--port", "0"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start remit: {e}"));
    let stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .unwrap_or_else(|e| panic!("cannot read the server's first line: {e}"));
    let address = line
        .strip_prefix("remit: serving on http://")
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
        .to_string();
    Server {
        child,
        address,
        _home: home,
    }
}

/// GET over HTTP/1.1: the status code, the headers (lowercased) and the body.
fn get(address: &str, path: &str) -> (u16, String, String) {
    let mut stream =
        TcpStream::connect(address).unwrap_or_else(|e| panic!("cannot connect to {address}: {e}"));
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap_or_else(|e| panic!("cannot send: {e}"));
    let mut reply = String::new();
    stream
        .read_to_string(&mut reply)
        .unwrap_or_else(|e| panic!("cannot read: {e}"));
    let (head, body) = reply
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("no header end in {reply:?}"));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {head:?}"));
    (status, head.to_lowercase(), body.to_string())
}

fn json(body: &str) -> serde_json::Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"))
}

#[test]
fn serves_the_law_pages_on_loopback_without_a_store() {
    let server = start("plain", &[]);
    assert!(
        server.address.starts_with("127.0.0.1:"),
        "{}",
        server.address
    );
    let (status, head, body) = get(&server.address, "/-/health.json");
    assert_eq!(status, 200);
    assert!(head.contains("content-type: application/json"));
    let health = json(&body);
    assert_eq!(health["ok"], true);
    assert_eq!(health["data"]["store"], "none");
    let (status, head, body) = get(
        &server.address,
        "/ask?where=CA&date=2026-01-15&actor=local_police&action=share_alpr_data&counterparty=out_of_state_agency",
    );
    assert_eq!(status, 200);
    assert!(head.contains("link: </ask.json?where=ca&date=2026-01-15"));
    assert!(body.contains("class=\"verdict v-must_not\""));
    let (status, _, body) = get(&server.address, "/nope.json");
    assert_eq!(status, 404);
    assert_eq!(json(&body)["ok"], false);
}

#[test]
fn serves_a_store_with_the_directory_imported_into_it() {
    let folder = TempDir::new("stored-directory-store");
    let db = folder.0.join("county.db");
    let washington = folder.0.join("washington.csv");
    std::fs::write(
        &washington,
        "ori,pub_agency_name,state_abbr,agency_type_name,population\n\
         WA0171300,Renton,WA,City,105251\nWA0172300,Tukwila,WA,City,21610\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let sheets = common::fixture("registry", "sample");
    for args in [
        ["registry", "import", sheets.to_str().unwrap_or_default()],
        [
            "agencies",
            "import",
            washington.to_str().unwrap_or_default(),
        ],
    ] {
        let output = common::output(remit(&folder).arg("--db").arg(&db).args(args));
        assert!(output.status.success(), "{}", common::stderr(&output));
    }
    // The default store of the server's own data home has no directory: the served store's is
    // the one the rates are measured against.
    let server = start(
        "stored-directory",
        &["--db", db.to_str().unwrap_or_default()],
    );
    let (status, _, body) = get(&server.address, "/287g.json");
    assert_eq!(status, 200);
    let label = json(&body)["data"]["directory"].to_string();
    assert!(
        label.contains("washington.csv, as imported into the store (")
            && label.contains(" agencies)"),
        "{label}"
    );
}

#[test]
fn the_demo_serves_a_populated_store() {
    let server = start("demo", &["--demo", "--quiet"]);
    let (status, _, body) = get(&server.address, "/.json");
    assert_eq!(status, 200);
    let overview = json(&body);
    assert_eq!(overview["data"]["demo"], true);
    let (_, _, body) = get(&server.address, "/-/health.json");
    assert_eq!(json(&body)["data"]["store"], "ok");
}

#[test]
fn a_missing_database_is_an_error_with_advice() {
    let home = TempDir::new("missing");
    let missing = home.0.join("nothing-here.db");
    let output = remit(&home)
        .args(["--db"])
        .arg(&missing)
        .args(["serve", "--port", "0"])
        .output()
        .unwrap_or_else(|e| panic!("cannot run remit: {e}"));
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("error: cannot open the store: no database at"),
        "{stderr}"
    );
    assert!(stderr.contains("no database at"), "{stderr}");
    assert!(stderr.contains("help: "), "{stderr}");
    assert!(!missing.exists(), "serving must not create a database");
}

#[test]
fn demo_and_db_together_are_refused() {
    let home = TempDir::new("both");
    let output = remit(&home)
        .args(["--db", "x.db", "serve", "--demo", "--port", "0"])
        .output()
        .unwrap_or_else(|e| panic!("cannot run remit: {e}"));
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("`--demo` and `--db` cannot be used together"),
        "{stderr}"
    );
}

#[test]
fn a_port_in_use_is_an_error_with_advice() {
    let server = start("busy", &[]);
    let port = server
        .address
        .rsplit(':')
        .next()
        .unwrap_or_default()
        .to_string();
    let home = TempDir::new("busy2");
    let output = remit(&home)
        .args(["serve", "--port", &port])
        .output()
        .unwrap_or_else(|e| panic!("cannot run remit: {e}"));
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("the server could not start"), "{stderr}");
    assert!(stderr.contains("--port"), "{stderr}");
}

#[test]
#[cfg(unix)]
fn the_demo_removes_its_store_when_stopped() {
    let mut server = start("stop", &["--demo"]);
    let (status, _, _) = get(&server.address, "/-/health.json");
    assert_eq!(status, 200);
    // SIGTERM, as a service manager or a test harness stops it.
    let killed = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap_or_else(|e| panic!("cannot run kill: {e}"));
    assert!(killed.success());
    let exit = server
        .child
        .wait()
        .unwrap_or_else(|e| panic!("cannot wait for the server: {e}"));
    assert!(exit.success(), "{exit:?}");
    let mut stderr = String::new();
    server
        .child
        .stderr
        .take()
        .unwrap_or_else(|| panic!("no stderr"))
        .read_to_string(&mut stderr)
        .unwrap_or_else(|e| panic!("cannot read stderr: {e}"));
    let folder = stderr
        .split('`')
        .nth(1)
        .unwrap_or_else(|| panic!("no demo folder named in {stderr:?}"));
    assert!(
        !std::path::Path::new(folder).exists(),
        "the demo folder `{folder}` is left behind"
    );
}
