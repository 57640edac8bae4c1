//! `talkfeed serve`: the output folder over HTTP on 127.0.0.1, to try
//! subscriptions and the subscribe page locally. It sends the Content-Types
//! calendar and feed clients expect, `ETag` and `Last-Modified` with
//! `304 Not Modified` for conditional requests (as a real host should), and
//! answers `HEAD`. Only files under the output folder are served; hidden
//! files (the lock) and any path with `..` are not.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use tiny_http::{Header, Method, Request, Response, Server, StatusCode};

/// The Content-Type of a file served from the output folder.
pub fn content_type(path: &Path) -> &'static str {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    match (name, path.extension().and_then(|e| e.to_str()).unwrap_or("")) {
        ("rss.xml", _) => "application/rss+xml",
        ("atom.xml", _) => "application/atom+xml",
        ("feed.json", _) => "application/feed+json",
        (_, "ics") => "text/calendar; charset=utf-8",
        (_, "html") => "text/html; charset=utf-8",
        (_, "xml") => "application/xml",
        (_, "json") => "application/json",
        (_, "css") => "text/css",
        (_, "js") => "text/javascript",
        (_, "png") => "image/png",
        (_, "jpg" | "jpeg") => "image/jpeg",
        (_, "svg") => "image/svg+xml",
        _ => "application/octet-stream",
    }
}

/// The file under `root` that the request path `raw` names, if any:
/// percent-decoded, `/` and folders meaning their `index.html`, and nothing
/// outside `root` or hidden.
pub fn resolve(root: &Path, raw: &str) -> Option<PathBuf> {
    let path = raw.split(['?', '#']).next().unwrap_or("");
    let mut file = root.to_path_buf();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        let segment = percent_encoding::percent_decode_str(segment).decode_utf8().ok()?;
        if segment.starts_with('.') || segment.contains(['/', '\\', '\0']) {
            return None;
        }
        file.push(segment.as_ref());
    }
    if file.is_dir() {
        file.push("index.html");
    }
    file.is_file().then_some(file)
}

/// The strong validator of a file: its length and modification time.
fn etag(len: u64, modified: SystemTime) -> String {
    let nanos = modified.duration_since(SystemTime::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    format!("\"{len:x}-{nanos:x}\"")
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("header names and values are ASCII")
}

/// Answers one request from the files under `root`.
pub fn respond(root: &Path, request: Request) -> io::Result<()> {
    let head = *request.method() == Method::Head;
    if !head && *request.method() != Method::Get {
        let response = Response::from_string("only GET and HEAD\n")
            .with_status_code(405)
            .with_header(header("Allow", "GET, HEAD"));
        return request.respond(response);
    }
    let Some(file) = resolve(root, request.url()) else {
        return request.respond(Response::from_string("not found\n").with_status_code(404));
    };
    let meta = std::fs::metadata(&file)?;
    let modified = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
    let tag = etag(meta.len(), modified);
    let last_modified = httpdate::fmt_http_date(modified);
    let request_header = |name: &'static str| {
        request.headers().iter().find(|h| h.field.equiv(name)).map(|h| h.value.as_str().to_string())
    };
    // If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2).
    let not_modified = match request_header("If-None-Match") {
        Some(tags) => tags.split(',').any(|t| t.trim() == tag || t.trim() == "*"),
        None => request_header("If-Modified-Since")
            .and_then(|since| httpdate::parse_http_date(&since).ok())
            .is_some_and(|since| modified.duration_since(since).map_or(true, |d| d < Duration::from_secs(1))),
    };
    let headers = [
        header("ETag", &tag),
        header("Last-Modified", &last_modified),
        header("Content-Type", content_type(&file)),
        header("Cache-Control", "no-cache"),
    ];
    if not_modified {
        let mut response = Response::empty(StatusCode(304));
        for h in headers {
            response.add_header(h);
        }
        return request.respond(response);
    }
    let mut response = if head {
        Response::new(StatusCode(200), Vec::new(), io::empty(), Some(meta.len() as usize), None).boxed()
    } else {
        Response::from_file(std::fs::File::open(&file)?).boxed()
    };
    for h in headers {
        response.add_header(h);
    }
    request.respond(response)
}

/// Serves `root` on 127.0.0.1:`port` (0 picks a free port) until killed,
/// printing the address to `log`. With `changed`, calls `rebuild` whenever
/// it reports a change (debounced).
pub fn serve(
    root: &Path,
    port: u16,
    changed: Option<std::sync::mpsc::Receiver<()>>,
    rebuild: &mut dyn FnMut(),
    log: &mut dyn Write,
) -> io::Result<()> {
    let server = Server::http(("127.0.0.1", port)).map_err(io::Error::other)?;
    let address = server.server_addr().to_ip().map(|a| a.to_string()).unwrap_or_default();
    writeln!(log, "talkfeed: serving {} on http://{address}/ (Ctrl-C to stop)", root.display())?;
    loop {
        if let Some(request) = server.recv_timeout(Duration::from_millis(200))?
            && let Err(e) = respond(root, request)
        {
            writeln!(log, "talkfeed: request failed: {e}")?;
        }
        if let Some(rx) = &changed
            && rx.try_recv().is_ok()
        {
            // Editors save in bursts: wait for quiet, then rebuild once.
            std::thread::sleep(Duration::from_millis(300));
            while rx.try_recv().is_ok() {}
            rebuild();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types() {
        assert_eq!(content_type(Path::new("out/talks.ics")), "text/calendar; charset=utf-8");
        assert_eq!(content_type(Path::new("out/rss.xml")), "application/rss+xml");
        assert_eq!(content_type(Path::new("out/atom.xml")), "application/atom+xml");
        assert_eq!(content_type(Path::new("out/feed.json")), "application/feed+json");
        assert_eq!(content_type(Path::new("out/index.html")), "text/html; charset=utf-8");
    }

    #[test]
    fn paths_stay_inside_and_visible() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("talks")).unwrap();
        std::fs::write(dir.path().join("index.html"), "x").unwrap();
        std::fs::write(dir.path().join("talks/a b.ics"), "x").unwrap();
        std::fs::write(dir.path().join(".talkfeed.lock"), "").unwrap();
        assert_eq!(resolve(dir.path(), "/"), Some(dir.path().join("index.html")));
        assert_eq!(resolve(dir.path(), "/talks/a%20b.ics?x=1"), Some(dir.path().join("talks/a b.ics")));
        assert_eq!(resolve(dir.path(), "/../etc/passwd"), None);
        assert_eq!(resolve(dir.path(), "/%2e%2e/etc/passwd"), None);
        assert_eq!(resolve(dir.path(), "/talks%2f..%2f..%2fx"), None);
        assert_eq!(resolve(dir.path(), "/.talkfeed.lock"), None);
        assert_eq!(resolve(dir.path(), "/missing.ics"), None);
    }
}
