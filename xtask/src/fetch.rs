//! `cargo xtask fetch`: refresh `sources/` from the live pages without ever losing data.
//!
//! Each upstream in the manifest is fetched with a conditional GET. A download is
//! ingested before it is accepted and rejected, with its reason, when it is not a
//! 2xx, has the wrong content type, is an HTML page where Markdown was expected, is
//! truncated or oversized, cannot be ingested, or lost more than half of the
//! previous revision's codes. Accepted pages become new source files; the manifest
//! is rewritten last, atomically, so a crash at any point leaves `sources/`
//! consistent. Unchanged pages (304, or the same digest) write nothing.

use std::collections::BTreeSet;
use std::fs;
use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{bail, Context};
use errcat::manifest::{Manifest, SourceEntry, Upstream};
use errcat::model::Format;
use errcat::regen;

pub struct Options {
    pub documents: Vec<String>,
    pub locales: Vec<String>,
    pub dry_run: bool,
    /// Points the whole fetch at a mirror: its scheme and host replace each URL's.
    pub base_url: Option<String>,
    pub timeout: Duration,
    pub attempts: u32,
    pub retry_base: Duration,
    pub max_bytes: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            documents: Vec::new(),
            locales: Vec::new(),
            dry_run: false,
            base_url: std::env::var("ERRCAT_MIRROR")
                .ok()
                .filter(|s| !s.is_empty()),
            timeout: Duration::from_secs(30),
            attempts: 4,
            retry_base: Duration::from_millis(500),
            max_bytes: 8 << 20,
        }
    }
}

const USER_AGENT: &str = concat!(
    "errcat-fetch/",
    env!("CARGO_PKG_VERSION"),
    " (+errcat: reconciled catalogue of Microsoft identity error codes)"
);

/// What became of one upstream.
#[derive(Debug)]
pub enum Outcome {
    Unchanged,
    Added(SourceEntry),
    Rejected(String),
}

/// Runs the fetch; returns the exit status.
pub fn run(root: &Path, options: &Options) -> anyhow::Result<bool> {
    let mut manifest = regen::read_manifest(root)?;
    let client = client(&manifest, options)?;
    let selected: Vec<usize> = (0..manifest.upstreams.len())
        .filter(|&i| {
            let u = &manifest.upstreams[i];
            (options.documents.is_empty() || options.documents.contains(&u.document))
                && (options.locales.is_empty() || options.locales.contains(&u.locale))
        })
        .collect();
    if selected.is_empty() {
        bail!("no upstream in the manifest matches the --document and --locale given");
    }
    let progress = Progress::new(selected.len() as u64);
    let today = today();
    let mut rejected = Vec::new();
    let mut changed = false;
    for &i in &selected {
        let upstream = manifest.upstreams[i].clone();
        let label = format!("{} {}", upstream.document, upstream.locale);
        progress.start(&label);
        let outcome = fetch_one(root, &manifest, &upstream, &client, options, &today);
        match outcome {
            Ok((Outcome::Added(entry), fetched)) => {
                progress.line(&format!(
                    "{label}: new revision {} -> sources/{}",
                    entry.revision, entry.file
                ));
                if !options.dry_run {
                    let path = root.join(regen::SOURCES).join(&entry.file);
                    write_atomic(&path, &fetched.body)?;
                    manifest.sources.push(entry);
                    manifest.upstreams[i].etag = fetched.etag;
                    manifest.upstreams[i].last_modified = fetched.last_modified;
                    changed = true;
                }
            }
            Ok((Outcome::Unchanged, validators)) => {
                progress.line(&format!("{label}: unchanged"));
                if !options.dry_run
                    && (validators.etag.is_some() || validators.last_modified.is_some())
                {
                    let up = &mut manifest.upstreams[i];
                    if up.etag != validators.etag || up.last_modified != validators.last_modified {
                        up.etag = validators.etag;
                        up.last_modified = validators.last_modified;
                        changed = true;
                    }
                }
            }
            Ok((Outcome::Rejected(reason), _)) | Err(FetchError(reason)) => {
                progress.line(&format!("{label}: rejected: {reason}"));
                rejected.push(format!("{label} ({}): {reason}", upstream.url));
            }
        }
        progress.inc();
    }
    progress.finish();
    if changed {
        manifest.validate().context("the updated manifest")?;
        let path = root.join(regen::SOURCES).join(errcat::manifest::FILE_NAME);
        write_atomic(&path, manifest.to_yaml().as_bytes())?;
    }
    if !rejected.is_empty() {
        eprintln!("rejected, nothing written for them:");
        for r in &rejected {
            eprintln!("  {r}");
        }
        return Ok(false);
    }
    Ok(true)
}

/// A failure that rejects one upstream.
pub struct FetchError(String);

/// The body and validators a response carried.
pub struct Fetched {
    body: Vec<u8>,
    etag: Option<String>,
    last_modified: Option<String>,
}

fn fetch_one(
    root: &Path,
    manifest: &Manifest,
    upstream: &Upstream,
    client: &reqwest::blocking::Client,
    options: &Options,
    today: &str,
) -> Result<(Outcome, Fetched), FetchError> {
    let url = effective_url(&upstream.url, options.base_url.as_deref()).map_err(FetchError)?;
    let fetched = get(client, &url, upstream, options)?;
    let Some(fetched) = fetched else {
        let none = Fetched {
            body: Vec::new(),
            etag: upstream.etag.clone(),
            last_modified: upstream.last_modified.clone(),
        };
        return Ok((Outcome::Unchanged, none));
    };
    let previous = manifest
        .sources
        .iter()
        .rfind(|s| s.document == upstream.document && s.locale == upstream.locale);
    let digest = regen::content_digest(&fetched.body);
    if previous.is_some_and(|p| p.sha256 == digest) {
        return Ok((Outcome::Unchanged, fetched));
    }
    let outcome = accept(
        root,
        manifest,
        upstream,
        previous,
        &fetched.body,
        &digest,
        &url,
        today,
    );
    Ok((outcome, fetched))
}

/// Ingests a download and decides whether it may become a new revision.
#[allow(clippy::too_many_arguments)]
fn accept(
    root: &Path,
    manifest: &Manifest,
    upstream: &Upstream,
    previous: Option<&SourceEntry>,
    body: &[u8],
    digest: &str,
    url: &str,
    today: &str,
) -> Outcome {
    if upstream.format == Format::Markdown && looks_like_html(body) {
        return Outcome::Rejected(
            "an HTML page (an error or sign-in page?) where Markdown was expected".to_owned(),
        );
    }
    let mut source = errcat::Source::new(&upstream.document, "fetched", url);
    source.format = Some(upstream.format);
    source.locale = Some(upstream.locale.clone());
    let revision = match errcat::ingest_bytes(body, source) {
        Ok(revision) => revision,
        Err(e) => return Outcome::Rejected(format!("cannot be ingested: {e}")),
    };
    if let Some(previous) = previous {
        let before = regen::ingest_source(root, previous)
            .map(|r| codes(&r))
            .unwrap_or_default();
        let after = codes(&revision);
        if after.len() * 2 < before.len() {
            return Outcome::Rejected(format!(
                "it lists {} codes where {} listed {}: more than half were lost",
                after.len(),
                previous.revision,
                before.len()
            ));
        }
    }
    let date = revision
        .metadata
        .get("ms.date")
        .and_then(|v| v.as_str())
        .and_then(iso_date);
    let date_moved = date.is_some() && date.as_deref() != previous.and_then(|p| p.date.as_deref());
    let base = if date_moved {
        date.clone().unwrap_or_else(|| today.to_owned())
    } else {
        today.to_owned()
    };
    let taken: BTreeSet<&str> = manifest
        .sources
        .iter()
        .filter(|s| s.document == upstream.document && s.locale == upstream.locale)
        .map(|s| s.revision.as_str())
        .collect();
    let mut label = base.clone();
    let mut n = 2;
    while taken.contains(label.as_str()) {
        label = format!("{base}-{n}");
        n += 1;
    }
    let ext = match upstream.format {
        Format::Markdown => "md",
        Format::Html => "html",
        Format::Legacy => "txt",
    };
    Outcome::Added(SourceEntry {
        document: upstream.document.clone(),
        revision: label.clone(),
        locale: upstream.locale.clone(),
        format: upstream.format,
        file: format!("{}/{label}.{}.{ext}", upstream.document, upstream.locale),
        date,
        url: Some(url.to_owned()),
        sha256: digest.to_owned(),
        fetched: Some(now_rfc3339()),
        note: None,
    })
}

fn codes(revision: &errcat::Revision) -> BTreeSet<String> {
    revision.entries.iter().map(|e| e.code.clone()).collect()
}

fn looks_like_html(body: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&body[..body.len().min(1024)]).to_ascii_lowercase();
    let head = head.trim_start_matches('\u{feff}').trim_start();
    head.starts_with("<!doctype html") || head.starts_with("<html") || head.contains("<form")
}

/// `05/05/2018` or `2018-05-05` → `2018-05-05`; None for anything that is not a
/// day of the calendar (`13/05/2018`, a day first), which the manifest refuses.
fn iso_date(value: &str) -> Option<String> {
    let value = value.trim();
    let number = |s: &str, most: usize| {
        (1..=most).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    let iso = |y: &str, m: &str, d: &str| {
        (y.len() == 4 && number(y, 4) && number(m, 2) && number(d, 2))
            .then(|| format!("{y}-{m:0>2}-{d:0>2}"))
    };
    let mut date = None;
    if let Some(head) = value.get(..10) {
        if let [y, m, d] = head.split('-').collect::<Vec<_>>()[..] {
            date = iso(y, m, d);
        }
    }
    if date.is_none() {
        if let [m, d, y] = value.split('/').collect::<Vec<_>>()[..] {
            date = iso(y, m, d);
        }
    }
    date.filter(|d| errcat::manifest::is_calendar_date(d))
}

/// The URL to fetch: the upstream's, or its path on the mirror.
fn effective_url(url: &str, base: Option<&str>) -> Result<String, String> {
    let Some(base) = base else {
        return Ok(url.to_owned());
    };
    let parsed = reqwest::Url::parse(url).map_err(|e| format!("bad upstream URL {url}: {e}"))?;
    let mut mirrored =
        reqwest::Url::parse(base).map_err(|e| format!("bad mirror URL {base}: {e}"))?;
    let prefix = mirrored.path().trim_end_matches('/').to_owned();
    mirrored.set_path(&format!("{prefix}{}", parsed.path()));
    mirrored.set_query(parsed.query());
    Ok(mirrored.to_string())
}

fn host_of(url: &str) -> Option<String> {
    reqwest::Url::parse(url).ok()?.host_str().map(str::to_owned)
}

fn client(manifest: &Manifest, options: &Options) -> anyhow::Result<reqwest::blocking::Client> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut allowed: BTreeSet<String> = manifest.allowed_hosts.iter().cloned().collect();
    allowed.extend(manifest.upstreams.iter().filter_map(|u| host_of(&u.url)));
    if let Some(base) = &options.base_url {
        allowed.extend(host_of(base));
    }
    let policy = reqwest::redirect::Policy::custom(move |attempt| {
        let host = attempt.url().host_str().unwrap_or_default().to_owned();
        if attempt.previous().len() >= 5 {
            let last = attempt.url().to_string();
            attempt.error(format!("more than 5 redirects, the last to {last}"))
        } else if allowed.contains(&host) {
            attempt.follow()
        } else {
            attempt.error(format!(
                "redirect to {host}, a host the manifest does not allow"
            ))
        }
    });
    reqwest::blocking::Client::builder()
        .user_agent(USER_AGENT)
        .timeout(options.timeout)
        .connect_timeout(options.timeout)
        .redirect(policy)
        .build()
        .context("building the HTTP client")
}

/// One GET with retries: `None` for 304 Not Modified.
fn get(
    client: &reqwest::blocking::Client,
    url: &str,
    upstream: &Upstream,
    options: &Options,
) -> Result<Option<Fetched>, FetchError> {
    let mut jitter = Jitter::new();
    let mut last_error = String::new();
    for attempt in 0..options.attempts.max(1) {
        let mut request = client.get(url);
        if let Some(etag) = &upstream.etag {
            request = request.header(reqwest::header::IF_NONE_MATCH, etag);
        }
        if let Some(modified) = &upstream.last_modified {
            request = request.header(reqwest::header::IF_MODIFIED_SINCE, modified);
        }
        let wait = match request.send() {
            Ok(response) => {
                let status = response.status();
                if status == reqwest::StatusCode::NOT_MODIFIED {
                    return Ok(None);
                }
                if status.is_success() {
                    return read(response, upstream, options).map(Some);
                }
                last_error = format!("HTTP {status}");
                if !(status.is_server_error() || status == reqwest::StatusCode::TOO_MANY_REQUESTS) {
                    return Err(FetchError(last_error));
                }
                retry_after(&response)
            }
            Err(e) if e.is_timeout() || e.is_connect() || e.is_request() && !e.is_redirect() => {
                last_error = describe(&e);
                None
            }
            Err(e) => return Err(FetchError(describe(&e))),
        };
        if attempt + 1 < options.attempts {
            let backoff = options.retry_base * 2u32.saturating_pow(attempt);
            let delay = wait.unwrap_or_else(|| backoff + jitter.up_to(backoff / 2));
            std::thread::sleep(delay.min(Duration::from_secs(120)));
        }
    }
    Err(FetchError(format!(
        "{last_error}, after {} attempts",
        options.attempts.max(1)
    )))
}

fn describe(e: &reqwest::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    if e.is_timeout() {
        format!("timed out ({text})")
    } else {
        text
    }
}

/// `Retry-After` in seconds; an HTTP date falls back to the backoff.
fn retry_after(response: &reqwest::blocking::Response) -> Option<Duration> {
    let value = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?;
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// Reads a successful body within the size cap, checking type and length.
fn read(
    response: reqwest::blocking::Response,
    upstream: &Upstream,
    options: &Options,
) -> Result<Fetched, FetchError> {
    let header = |name: reqwest::header::HeaderName| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let content_type = header(reqwest::header::CONTENT_TYPE).unwrap_or_default();
    let etag = header(reqwest::header::ETAG);
    let last_modified = header(reqwest::header::LAST_MODIFIED);
    let mime = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let expected: &[&str] = match upstream.format {
        Format::Markdown => &["text/plain", "text/markdown", "text/x-markdown"],
        Format::Html => &["text/html", "application/xhtml+xml"],
        Format::Legacy => &["text/plain"],
    };
    if !expected.contains(&mime.as_str()) {
        return Err(FetchError(format!(
            "content type `{content_type}` where {} was expected",
            expected.join(" or ")
        )));
    }
    if let Some(length) = response.content_length() {
        if length > options.max_bytes {
            return Err(FetchError(format!(
                "{length} bytes, over the {} byte cap",
                options.max_bytes
            )));
        }
    }
    let mut body = Vec::new();
    response
        .take(options.max_bytes + 1)
        .read_to_end(&mut body)
        .map_err(|e| FetchError(format!("truncated body: {e}")))?;
    if body.len() as u64 > options.max_bytes {
        return Err(FetchError(format!(
            "more than the {} byte cap",
            options.max_bytes
        )));
    }
    Ok(Fetched {
        body,
        etag,
        last_modified,
    })
}

/// Writes a file beside its target, then renames it into place.
fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).with_context(|| parent.display().to_string())?;
    }
    let mut temp = path.as_os_str().to_owned();
    temp.push(".fetch-tmp");
    let temp = PathBuf::from(temp);
    fs::write(&temp, bytes).with_context(|| temp.display().to_string())?;
    fs::rename(&temp, path).with_context(|| path.display().to_string())
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian.
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

fn today() -> String {
    let (y, m, d) = civil(now_secs().div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

fn now_rfc3339() -> String {
    let secs = now_secs();
    let (y, m, d) = civil(secs.div_euclid(86_400));
    let rest = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// Jitter for backoff: xorshift seeded from the clock. Not for anything secret.
struct Jitter(u64);

impl Jitter {
    fn new() -> Self {
        let seed = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0x9E37_79B9, |d| d.as_nanos() as u64);
        Jitter(seed | 1)
    }

    fn up_to(&mut self, max: Duration) -> Duration {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        let nanos = max.as_nanos() as u64;
        Duration::from_nanos(if nanos == 0 { 0 } else { self.0 % nanos })
    }
}

/// A progress bar on a terminal; plain lines in CI or when piped.
struct Progress(Option<indicatif::ProgressBar>);

impl Progress {
    fn new(total: u64) -> Self {
        let plain = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
            || !std::io::stderr().is_terminal();
        Progress((!plain).then(|| indicatif::ProgressBar::new(total)))
    }

    fn start(&self, label: &str) {
        if let Some(bar) = &self.0 {
            bar.set_message(label.to_owned());
        }
    }

    fn line(&self, text: &str) {
        match &self.0 {
            Some(bar) => bar.println(text),
            None => println!("{text}"),
        }
    }

    fn inc(&self) {
        if let Some(bar) = &self.0 {
            bar.inc(1);
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil(0), (1970, 1, 1));
        assert_eq!(civil(17_656), (2018, 5, 5));
        assert_eq!(civil(20_414), (2025, 11, 22));
    }

    #[test]
    fn ms_dates_become_iso() {
        assert_eq!(iso_date("05/05/2018").as_deref(), Some("2018-05-05"));
        assert_eq!(
            iso_date("2023-12-12T00:00:00Z").as_deref(),
            Some("2023-12-12")
        );
        assert_eq!(iso_date("soon"), None);
        // A day first, or a day no month has, is no date at all.
        assert_eq!(iso_date("13/05/2018"), None);
        assert_eq!(iso_date("2018-02-30"), None);
        assert_eq!(iso_date("2/29/2024").as_deref(), Some("2024-02-29"));
    }

    #[test]
    fn mirrors_keep_the_path() {
        assert_eq!(
            effective_url(
                "https://raw.example/a/b.md?x=1",
                Some("http://127.0.0.1:8080/m")
            )
            .unwrap(),
            "http://127.0.0.1:8080/m/a/b.md?x=1"
        );
    }
}
