//! `cargo xtask fetch` against a real HTTP server on 127.0.0.1 serving recorded
//! pages with scripted faults. Each test asserts what was written and what was not.

use std::fs;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tiny_http::{Header, Response, Server, StatusCode};

mod common;

const PAGE: &str = "/MicrosoftDocs/docs/pin.md";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

fn recorded() -> String {
    fs::read_to_string(workspace().join("sources/windows-hello-pin-errors/2018-05-05.en-us.md"))
        .unwrap()
}

/// A later revision: its ms.date moved, a mitigation reworded, a code added.
fn next_revision() -> String {
    recorded()
        .replace("ms.date: 05/05/2018", "ms.date: 06/01/2019")
        .replace(
            "| 0x801C0003 | User is not authorized to enroll.                                  | Check if the user has permission to perform the operation. |",
            "| 0x801C0003 | User is not authorized to enroll.                                  | Ask an administrator to grant the user permission to enroll. |\n| 0x801C0020 | A brand new code.                                                  | Retry. |",
        )
}

/// One scripted reply; `nth` counts the requests seen so far (from 0).
type Script = dyn Fn(usize, &tiny_http::Request) -> Reply + Send + Sync;

enum Reply {
    Send {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: Vec<u8>,
    },
    /// Declares more bytes than it sends, then closes.
    Truncated(Vec<u8>),
    /// Answers after a pause.
    Slow(Duration),
}

fn ok(body: &str) -> Reply {
    Reply::Send {
        status: 200,
        headers: vec![("Content-Type", "text/plain; charset=utf-8".to_owned())],
        body: body.as_bytes().to_vec(),
    }
}

fn status(code: u16) -> Reply {
    Reply::Send {
        status: code,
        headers: vec![("Content-Type", "text/plain".to_owned())],
        body: b"no".to_vec(),
    }
}

/// When each request came, with its headers (names lower-cased).
type Seen = Arc<Mutex<Vec<(Instant, Vec<(String, String)>)>>>;

struct Fixture {
    root: tempfile::TempDir,
    base: String,
    seen: Seen,
    server: Arc<Server>,
}

impl Drop for Fixture {
    fn drop(&mut self) {
        self.server.unblock();
    }
}

/// A dataset with one revision of one page, and a server that answers by `script`.
fn fixture(
    script: impl Fn(usize, &tiny_http::Request) -> Reply + Send + Sync + 'static,
) -> Fixture {
    let root = tempfile::tempdir().unwrap();
    let sources = root.path().join("sources");
    fs::create_dir_all(sources.join("pin")).unwrap();
    let text = recorded();
    fs::write(sources.join("pin/2018-05-05.en-us.md"), &text).unwrap();
    let manifest = format!(
        "upstreams:\n- document: pin\n  locale: en-us\n  format: markdown\n  url: https://raw.githubusercontent.com{PAGE}\n  etag: '\"v1\"'\n\
         sources:\n- document: pin\n  revision: 2018-05-05\n  locale: en-us\n  format: markdown\n  file: pin/2018-05-05.en-us.md\n  date: '2018-05-05'\n  url: null\n  sha256: {}\n",
        errcat::sha256_hex(text.as_bytes())
    );
    fs::write(sources.join("manifest.yaml"), manifest).unwrap();

    let server = Arc::new(Server::http("127.0.0.1:0").unwrap());
    let port = server.server_addr().to_ip().unwrap().port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let script: Arc<Script> = Arc::new(script);
    let (srv, log) = (Arc::clone(&server), Arc::clone(&seen));
    std::thread::spawn(move || {
        for (nth, request) in srv.incoming_requests().enumerate().take(50) {
            let headers = request
                .headers()
                .iter()
                .map(|h| {
                    (
                        h.field.to_string().to_ascii_lowercase(),
                        h.value.to_string(),
                    )
                })
                .collect();
            log.lock().unwrap().push((Instant::now(), headers));
            let script = Arc::clone(&script);
            std::thread::spawn(move || respond(script(nth, &request), request));
        }
    });
    Fixture {
        root,
        base: format!("http://127.0.0.1:{port}"),
        seen,
        server,
    }
}

fn respond(reply: Reply, request: tiny_http::Request) {
    let _ = match reply {
        Reply::Send {
            status,
            headers,
            body,
        } => {
            let mut response = Response::from_data(body).with_status_code(StatusCode(status));
            for (name, value) in headers {
                response.add_header(Header::from_bytes(name, value).unwrap());
            }
            request.respond(response)
        }
        Reply::Truncated(body) => {
            let declared = body.len() * 2;
            let response = Response::new(
                StatusCode(200),
                vec![
                    Header::from_bytes("Content-Type", "text/plain").unwrap(),
                    Header::from_bytes("Connection", "close").unwrap(),
                ],
                Cursor::new(body),
                Some(declared),
                None,
            );
            request.respond(response)
        }
        Reply::Slow(pause) => {
            std::thread::sleep(pause);
            request.respond(Response::from_string("late"))
        }
    };
}

impl Fixture {
    fn fetch(&self, extra: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_xtask"))
            .arg("--root")
            .arg(self.root.path())
            .args([
                "fetch",
                "--base-url",
                &self.base,
                "--timeout-secs",
                "1",
                "--attempts",
                "3",
                "--retry-base-ms",
                "20",
            ])
            .args(extra)
            .env("CI", "true")
            .env_remove("ERRCAT_MIRROR")
            .output()
            .unwrap()
    }

    fn sources(&self) -> Vec<(PathBuf, Vec<u8>)> {
        common::files_under(&self.root.path().join("sources"))
            .into_iter()
            .map(|path| {
                let bytes = fs::read(&path).unwrap();
                (path, bytes)
            })
            .collect()
    }

    fn requests(&self) -> usize {
        self.seen.lock().unwrap().len()
    }

    fn manifest(&self) -> errcat::manifest::Manifest {
        errcat::regen::read_manifest(self.root.path()).unwrap()
    }
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Asserts the fetch was rejected for `reason` and wrote nothing.
fn rejected(fx: &Fixture, extra: &[&str], reason: &str) {
    let before = fx.sources();
    let out = fx.fetch(extra);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(reason),
        "expected `{reason}` in:\n{}",
        stderr(&out)
    );
    assert_eq!(fx.sources(), before, "something was written");
}

#[test]
fn a_changed_page_becomes_a_new_revision_and_regen_shows_it() {
    let fx = fixture(|_, _| Reply::Send {
        status: 200,
        headers: vec![
            ("Content-Type", "text/plain; charset=utf-8".to_owned()),
            ("ETag", "\"v2\"".to_owned()),
            ("Last-Modified", "Sat, 01 Jun 2019 00:00:00 GMT".to_owned()),
        ],
        body: next_revision().into_bytes(),
    });
    let out = fx.fetch(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let written =
        fs::read_to_string(fx.root.path().join("sources/pin/2019-06-01.en-us.md")).unwrap();
    assert_eq!(written, next_revision());
    let manifest = fx.manifest();
    let entry = manifest.sources.last().unwrap();
    assert_eq!(entry.revision, "2019-06-01");
    assert_eq!(entry.date.as_deref(), Some("2019-06-01"));
    assert_eq!(entry.sha256, errcat::sha256_hex(next_revision().as_bytes()));
    assert_eq!(
        entry.url.as_deref(),
        Some(format!("{}{PAGE}", fx.base).as_str())
    );
    assert!(entry.fetched.as_deref().is_some_and(|t| t.ends_with('Z')));
    assert_eq!(manifest.upstreams[0].etag.as_deref(), Some("\"v2\""));
    assert_eq!(
        manifest.upstreams[0].last_modified.as_deref(),
        Some("Sat, 01 Jun 2019 00:00:00 GMT")
    );
    let seen = fx.seen.lock().unwrap();
    let headers = &seen[0].1;
    assert!(headers
        .iter()
        .any(|(k, v)| k == "if-none-match" && v == "\"v1\""));
    assert!(headers
        .iter()
        .any(|(k, v)| k == "user-agent" && v.starts_with("errcat-fetch/")));
    drop(seen);

    // fetch → regen: the changelog shows the new revision.
    let regen = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("--root")
        .arg(fx.root.path())
        .arg("regen")
        .output()
        .unwrap();
    assert!(regen.status.success(), "{}", stderr(&regen));
    let changelog = fs::read_to_string(fx.root.path().join("generated/CHANGELOG.md")).unwrap();
    assert!(
        changelog.contains("`2018-05-05` → `2019-06-01`"),
        "{changelog:.1500}"
    );
    assert!(changelog.contains("`0x801C0020`"));
    assert!(changelog.contains("**Mitigations changed** (1)"));

    // The same page again: nothing to write.
    let before = fx.sources();
    let again = fx.fetch(&[]);
    assert!(again.status.success());
    assert!(String::from_utf8_lossy(&again.stdout).contains("unchanged"));
    assert_eq!(fx.sources(), before);
}

#[test]
fn not_modified_writes_nothing() {
    let fx = fixture(|_, request| {
        let matches = request
            .headers()
            .iter()
            .any(|h| h.field.equiv("If-None-Match") && h.value.as_str() == "\"v1\"");
        if matches {
            status(304)
        } else {
            ok("unexpected")
        }
    });
    let before = fx.sources();
    let out = fx.fetch(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("unchanged"));
    assert_eq!(fx.sources(), before);
}

#[test]
fn a_server_error_is_retried() {
    let fx = fixture(|nth, _| {
        if nth == 0 {
            status(500)
        } else {
            ok(&next_revision())
        }
    });
    let out = fx.fetch(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(fx.requests(), 2);
    assert!(fx
        .root
        .path()
        .join("sources/pin/2019-06-01.en-us.md")
        .exists());
}

#[test]
fn too_many_requests_waits_as_long_as_retry_after_says() {
    let fx = fixture(|nth, _| {
        if nth == 0 {
            Reply::Send {
                status: 429,
                headers: vec![("Retry-After", "1".to_owned())],
                body: Vec::new(),
            }
        } else {
            ok(&next_revision())
        }
    });
    let out = fx.fetch(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let seen = fx.seen.lock().unwrap();
    assert_eq!(seen.len(), 2);
    // A lower bound only: the client must not come back before it was told to.
    assert!(seen[1].0.duration_since(seen[0].0) >= Duration::from_millis(950));
}

#[test]
fn a_page_that_never_answers_times_out_and_writes_nothing() {
    let fx = fixture(|_, _| Reply::Slow(Duration::from_millis(2500)));
    rejected(&fx, &["--attempts", "2"], "timed out");
    assert_eq!(fx.requests(), 2);
}

#[test]
fn a_truncated_body_is_rejected() {
    let fx = fixture(|_, _| Reply::Truncated(next_revision().into_bytes()));
    rejected(&fx, &["--attempts", "1"], "truncated body");
}

#[test]
fn not_found_is_rejected() {
    let fx = fixture(|_, _| status(404));
    rejected(&fx, &[], "HTTP 404");
    assert_eq!(fx.requests(), 1, "a 404 is not retried");
}

#[test]
fn a_redirect_to_a_host_the_manifest_does_not_allow_is_not_followed() {
    let fx = fixture(|_, _| Reply::Send {
        status: 302,
        headers: vec![("Location", "http://pages.invalid/phish.md".to_owned())],
        body: Vec::new(),
    });
    rejected(
        &fx,
        &[],
        "pages.invalid, a host the manifest does not allow",
    );
}

#[test]
fn an_oversized_body_is_rejected() {
    let fx = fixture(|_, _| ok(&next_revision()));
    rejected(&fx, &["--max-bytes", "1000"], "over the 1000 byte cap");
}

#[test]
fn an_html_sign_in_page_for_a_markdown_url_is_rejected() {
    let login = "<!DOCTYPE html><html><head><title>Sign in</title></head><body><form action=\"/login\"><input name=\"user\"></form></body></html>";
    let fx = fixture(move |_, _| ok(login));
    rejected(&fx, &[], "an HTML page");
    let fx = fixture(move |_, _| Reply::Send {
        status: 200,
        headers: vec![("Content-Type", "text/html; charset=utf-8".to_owned())],
        body: login.as_bytes().to_vec(),
    });
    rejected(&fx, &[], "content type `text/html; charset=utf-8`");
}

#[test]
fn a_revision_that_drops_most_of_its_codes_is_rejected() {
    let gutted = "---\ntitle: Windows Hello errors\nms.date: 07/01/2020\n---\n# Windows Hello errors during PIN creation\n\n## Error mitigations\n\n| Hex | Cause | Mitigation |\n|---|---|---|\n| 0x80090005 | NTE_BAD_DATA | Rejoin. |\n";
    let fx = fixture(move |_, _| ok(gutted));
    rejected(&fx, &[], "more than half were lost");
}

#[test]
fn dry_run_writes_nothing() {
    let fx = fixture(|_, _| ok(&next_revision()));
    let before = fx.sources();
    let out = fx.fetch(&["--dry-run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("new revision 2019-06-01"));
    assert_eq!(fx.sources(), before);
}
