//! A tiny HTTP/1.1 server on 127.0.0.1 for the fetch tests: fixed answers per path, including
//! the failures ICE's site can produce (404, an HTML error page, a cut download, a slow answer,
//! a server error then success). No network leaves the machine.

use std::collections::HashMap;
use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the server answers at a path.
#[derive(Debug, Clone)]
pub enum Answer {
    Ok {
        content_type: &'static str,
        body: Vec<u8>,
    },
    Status(u16),
    /// Announces the whole body's length, sends the first half, closes.
    Truncated(Vec<u8>),
    /// Waits, then answers.
    Slow(Duration, Vec<u8>),
    /// 503 on the first request, the body afterwards.
    FailOnce(Vec<u8>),
}

#[derive(Debug, Default)]
pub struct Log {
    pub requests: HashMap<String, u32>,
    pub user_agents: Vec<String>,
}

/// A running server; its thread ends with the test process.
#[derive(Debug, Clone)]
pub struct Server {
    pub base: String,
    routes: Arc<Mutex<HashMap<String, Answer>>>,
    pub log: Arc<Mutex<Log>>,
}

impl Server {
    pub fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let server = Server {
            base,
            routes: Arc::default(),
            log: Arc::default(),
        };
        let shared = server.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let shared = shared.clone();
                std::thread::spawn(move || shared.handle(stream));
            }
        });
        server
    }

    pub fn route(&self, path: &str, answer: Answer) {
        self.routes.lock().unwrap().insert(path.to_string(), answer);
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn requests(&self, path: &str) -> u32 {
        self.log
            .lock()
            .unwrap()
            .requests
            .get(path)
            .copied()
            .unwrap_or(0)
    }

    fn handle(&self, mut stream: TcpStream) {
        let mut request = Vec::new();
        let mut buffer = [0; 1024];
        while !request.windows(4).any(|w| w == b"\r\n\r\n") {
            match stream.read(&mut buffer) {
                Ok(0) | Err(_) => return,
                Ok(n) => request.extend_from_slice(&buffer[..n]),
            }
        }
        let text = String::from_utf8_lossy(&request).into_owned();
        let path = text.split(' ').nth(1).unwrap_or("/").to_string();
        let count = {
            let mut log = self.log.lock().unwrap();
            let agent = text
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .starts_with("user-agent:")
                        .then(|| l[11..].trim().to_string())
                })
                .unwrap_or_default();
            log.user_agents.push(agent);
            let count = log.requests.entry(path.clone()).or_default();
            *count += 1;
            *count
        };
        let answer = self.routes.lock().unwrap().get(&path).cloned();
        let send = |stream: &mut TcpStream,
                    status: &str,
                    content_type: &str,
                    body: &[u8],
                    length: usize| {
            let head = format!(
                "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n"
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(body);
            let _ = stream.flush();
        };
        match answer {
            None | Some(Answer::Status(404)) => {
                send(&mut stream, "404 Not Found", "text/plain", b"not found", 9)
            }
            Some(Answer::Status(code)) => send(
                &mut stream,
                &format!("{code} Error"),
                "text/plain",
                b"error",
                5,
            ),
            Some(Answer::Ok { content_type, body }) => {
                send(&mut stream, "200 OK", content_type, &body, body.len())
            }
            Some(Answer::Truncated(body)) => send(
                &mut stream,
                "200 OK",
                XLSX,
                &body[..body.len() / 2],
                body.len(),
            ),
            Some(Answer::Slow(wait, body)) => {
                std::thread::sleep(wait);
                send(&mut stream, "200 OK", XLSX, &body, body.len());
            }
            Some(Answer::FailOnce(body)) => {
                if count == 1 {
                    send(
                        &mut stream,
                        "503 Service Unavailable",
                        "text/plain",
                        b"busy",
                        4,
                    );
                } else {
                    send(&mut stream, "200 OK", XLSX, &body, body.len());
                }
            }
        }
        let _ = stream.shutdown(std::net::Shutdown::Both);
    }
}

pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A page in the shape of ICE's, linking the given workbooks with the given link texts.
pub fn page(links: &[(&str, &str)]) -> Answer {
    let mut html = String::from(
        "<!DOCTYPE html><html><head><title>Delegation of Immigration Authority Section 287(g)</title></head><body><nav><a href=\"/about\">About</a></nav><h2>Participating agencies</h2>",
    );
    for (href, text) in links {
        html.push_str(&format!(
            "<p><a class=\"usa-link\" href=\"{href}\">{text}</a></p>"
        ));
    }
    html.push_str("</body></html>");
    Answer::Ok {
        content_type: "text/html; charset=utf-8",
        body: html.into_bytes(),
    }
}
