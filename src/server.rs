//! `talkfeed serve`: the output folder over HTTP on 127.0.0.1, to try
//! subscriptions and the subscribe page locally. It sends the Content-Types
//! calendar and feed clients expect, `ETag` and `Last-Modified` with
//! `304 Not Modified` for conditional requests (as a real host should), and
//! answers `HEAD`.
//!
//! It is reachable from the machine's browser, so it defends itself as a
//! small server on a shared machine must:
//!
//! * only regular files whose real path (links resolved) is inside the
//!   output folder are served; hidden files and `..` are not;
//! * only requests addressed to it (`Host: 127.0.0.1:PORT`, `localhost:PORT`,
//!   `[::1]:PORT`) are answered, so a page of another site cannot read it
//!   through DNS rebinding;
//! * a fixed number of workers answers requests, each connection closes
//!   after its answer, a request head must arrive whole within
//!   [`Limits::head_timeout`] and be at most [`MAX_HEAD`] bytes, and a whole
//!   answer must be read within [`Limits::response_timeout`], so idle,
//!   trickling or slowly reading clients cannot hold it; a connection that
//!   waits for a worker longer than [`Limits::queue_wait`] (or finds the
//!   queue full) gets `503`; when the process runs out of file descriptors it
//!   waits and goes on serving the others, never exits;
//! * with `--watch`, rebuilds run on a thread of their own: the server goes
//!   on answering while the site is built again.
//!
//! The request head is parsed with `httparse`, the parser hyper uses.

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime};

/// The largest request head read: a GET for a file needs far less.
pub const MAX_HEAD: usize = 16 * 1024;

/// How the server bounds its clients.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Requests answered at the same time.
    pub workers: usize,
    /// Connections waiting for a worker before new ones get `503`.
    pub queue: usize,
    /// The time a client has to send its whole request head.
    pub head_timeout: Duration,
    /// The time an answer may take to write, whole (a client that reads
    /// slowly, or stops reading).
    pub response_timeout: Duration,
    /// The time a connection may wait for a worker before it gets `503`.
    pub queue_wait: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            workers: 8,
            queue: 32,
            head_timeout: Duration::from_secs(10),
            response_timeout: Duration::from_secs(60),
            queue_wait: Duration::from_secs(2),
        }
    }
}

/// The Content-Type of a file served from the output folder: talkfeed's
/// own by the table of formats, others by their extension.
pub fn content_type(path: &Path) -> &'static str {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if let Some(media_type) = crate::emit::formats::media_type(name) {
        return media_type;
    }
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "xml" => "application/xml",
        "json" => "application/json",
        "css" => "text/css",
        "js" => "text/javascript",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "svg" => "image/svg+xml",
        _ => "application/octet-stream",
    }
}

/// The file under `root` (its canonical path) that the request path `raw`
/// names, if any: percent-decoded, `/` and folders meaning their
/// `index.html`, nothing hidden, and only a regular file whose real path is
/// inside `root` (a link that leads out of it is not followed).
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
    let mut real = std::fs::canonicalize(&file).ok()?;
    if real.is_dir() {
        real = std::fs::canonicalize(real.join("index.html")).ok()?;
    }
    let regular = std::fs::metadata(&real).is_ok_and(|m| m.file_type().is_file());
    (regular && real.starts_with(root)).then_some(real)
}

/// The strong validator of a file: its length and modification time.
fn etag(len: u64, modified: SystemTime) -> String {
    let nanos = modified.duration_since(SystemTime::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    format!("\"{len:x}-{nanos:x}\"")
}

/// One parsed request head.
#[derive(Debug)]
struct Request {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// An answer: status, headers, and the body (a file, or text).
struct Answer {
    status: u16,
    reason: &'static str,
    headers: Vec<(&'static str, String)>,
    body: Body,
}

enum Body {
    Empty { length: u64 },
    Text(&'static str),
    File(std::fs::File, u64),
}

impl Answer {
    fn text(status: u16, reason: &'static str, text: &'static str) -> Answer {
        Answer { status, reason, headers: Vec::new(), body: Body::Text(text) }
    }
}

/// Whether `host` (a `Host` header) names this server on `port`.
fn host_allowed(host: &str, port: u16) -> bool {
    let host = host.trim().to_ascii_lowercase();
    let names = ["127.0.0.1", "localhost", "[::1]"];
    names.iter().any(|n| host == format!("{n}:{port}") || (port == 80 && host == *n))
}

/// The answer to `request` from the files under `root` (canonical).
fn answer(root: &Path, port: u16, request: &Request) -> Answer {
    match request.header("Host") {
        Some(host) if host_allowed(host, port) => {}
        _ => return Answer::text(421, "Misdirected Request", "this server answers only for 127.0.0.1 and localhost\n"),
    }
    let head = request.method == "HEAD";
    if !head && request.method != "GET" {
        let mut a = Answer::text(405, "Method Not Allowed", "only GET and HEAD\n");
        a.headers.push(("Allow", String::from("GET, HEAD")));
        return a;
    }
    let Some(file) = resolve(root, &request.path) else {
        return Answer::text(404, "Not Found", "not found\n");
    };
    let Ok(opened) = std::fs::File::open(&file) else {
        return Answer::text(404, "Not Found", "not found\n");
    };
    let Ok(meta) = opened.metadata() else {
        return Answer::text(404, "Not Found", "not found\n");
    };
    let modified = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
    let tag = etag(meta.len(), modified);
    // If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2); a date
    // in the future is not a valid validator (§13.1.3): ignored.
    let not_modified = match request.header("If-None-Match") {
        Some(tags) => tags.split(',').any(|t| t.trim() == tag || t.trim() == "*"),
        None => request
            .header("If-Modified-Since")
            .and_then(|since| httpdate::parse_http_date(since).ok())
            .filter(|since| *since <= SystemTime::now())
            .is_some_and(|since| modified.duration_since(since).map_or(true, |d| d < Duration::from_secs(1))),
    };
    let headers = vec![
        ("ETag", tag),
        ("Last-Modified", httpdate::fmt_http_date(modified)),
        ("Content-Type", content_type(&file).to_string()),
        ("Cache-Control", String::from("no-cache")),
    ];
    if not_modified {
        return Answer { status: 304, reason: "Not Modified", headers, body: Body::Empty { length: 0 } };
    }
    let body = if head { Body::Empty { length: meta.len() } } else { Body::File(opened, meta.len()) };
    Answer { status: 200, reason: "OK", headers, body }
}

/// Writes `answer`, whole within `deadline`, and closes the connection.
fn send(stream: &mut TcpStream, answer: Answer, head_only: bool, deadline: Instant) -> io::Result<()> {
    let length = match &answer.body {
        Body::Empty { length } => *length,
        Body::Text(t) => t.len() as u64,
        Body::File(_, len) => *len,
    };
    let mut head = format!("HTTP/1.1 {} {}\r\n", answer.status, answer.reason);
    for (name, value) in &answer.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if answer.status != 304 {
        head.push_str(&format!("Content-Length: {length}\r\n"));
    }
    head.push_str("Connection: close\r\n\r\n");
    let mut out = Deadline { stream, deadline };
    out.write_all(head.as_bytes())?;
    if !head_only {
        match answer.body {
            Body::Empty { .. } => {}
            Body::Text(t) => out.write_all(t.as_bytes())?,
            Body::File(mut f, len) => {
                io::copy(&mut (&mut f).take(len), &mut out)?;
            }
        }
    }
    out.flush()
}

/// A stream every write to which must be done by `deadline`: the time a
/// whole answer may take, however slowly the client reads.
struct Deadline<'a> {
    stream: &'a mut TcpStream,
    deadline: Instant,
}

impl Write for Deadline<'_> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let left = self.deadline.checked_duration_since(Instant::now()).filter(|d| !d.is_zero());
        let left = left.ok_or_else(|| io::Error::new(io::ErrorKind::TimedOut, "the answer took too long"))?;
        self.stream.set_write_timeout(Some(left))?;
        // Small pieces, so a client that reads a little at a time cannot
        // stretch one write to the whole deadline and beyond.
        self.stream.write(&data[..data.len().min(64 * 1024)])
    }
    fn flush(&mut self) -> io::Result<()> {
        self.stream.flush()
    }
}

/// Reads one request head, whole, within `deadline`; `None` when the client
/// is too slow, sends too much or closes.
fn read_head(stream: &mut TcpStream, deadline: Instant) -> Result<Request, u16> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 2048];
    loop {
        let left = deadline.checked_duration_since(Instant::now()).filter(|d| !d.is_zero()).ok_or(408u16)?;
        stream.set_read_timeout(Some(left)).map_err(|_| 400u16)?;
        let n = stream.read(&mut chunk).map_err(|_| 408u16)?;
        if n == 0 {
            return Err(400);
        }
        buf.extend_from_slice(&chunk[..n]);
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut request = httparse::Request::new(&mut headers);
        match request.parse(&buf) {
            Ok(httparse::Status::Complete(_)) => {
                return Ok(Request {
                    method: request.method.unwrap_or("").to_string(),
                    path: request.path.unwrap_or("/").to_string(),
                    headers: request
                        .headers
                        .iter()
                        .map(|h| (h.name.to_string(), String::from_utf8_lossy(h.value).into_owned()))
                        .collect(),
                });
            }
            Ok(httparse::Status::Partial) if buf.len() < MAX_HEAD => {}
            Ok(httparse::Status::Partial) => return Err(431),
            Err(httparse::Error::TooManyHeaders) => return Err(431),
            Err(_) => return Err(400),
        }
    }
}

/// Answers one connection: one request, then close.
fn handle(root: &Path, port: u16, mut stream: TcpStream, limits: Limits) {
    let answer = match read_head(&mut stream, Instant::now() + limits.head_timeout) {
        Ok(request) => {
            let head_only = request.method == "HEAD";
            let answer = answer(root, port, &request);
            let _ = send(&mut stream, answer, head_only, Instant::now() + limits.response_timeout);
            return;
        }
        Err(408) => Answer::text(408, "Request Timeout", "the request head took too long\n"),
        Err(431) => Answer::text(431, "Request Header Fields Too Large", "the request head is too large\n"),
        Err(_) => Answer::text(400, "Bad Request", "not an HTTP request\n"),
    };
    let _ = send(&mut stream, answer, false, Instant::now() + limits.response_timeout);
}

/// Tells a connection the server is busy, without waiting on it.
fn busy(mut stream: TcpStream) {
    let answer = Answer::text(503, "Service Unavailable", "busy, try again\n");
    let _ = send(&mut stream, answer, false, Instant::now() + Duration::from_millis(200));
}

/// Connections waiting for a worker, with the time each arrived.
#[derive(Default)]
struct Queue {
    waiting: std::sync::Mutex<std::collections::VecDeque<(TcpStream, Instant)>>,
    ready: std::sync::Condvar,
}

impl Queue {
    /// Adds `stream`, or gives it back when `limit` connections wait.
    fn push(&self, stream: TcpStream, limit: usize) -> Result<(), TcpStream> {
        let mut waiting = self.waiting.lock().unwrap_or_else(|e| e.into_inner());
        if waiting.len() >= limit {
            return Err(stream);
        }
        waiting.push_back((stream, Instant::now()));
        self.ready.notify_one();
        Ok(())
    }

    /// The next connection, waiting for one.
    fn pop(&self) -> TcpStream {
        let mut waiting = self.waiting.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if let Some((stream, _)) = waiting.pop_front() {
                return stream;
            }
            waiting = self.ready.wait(waiting).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// Takes out the connections that have waited longer than `wait`.
    fn expired(&self, wait: Duration) -> Vec<TcpStream> {
        let mut waiting = self.waiting.lock().unwrap_or_else(|e| e.into_inner());
        let mut out = Vec::new();
        while waiting.front().is_some_and(|(_, since)| since.elapsed() > wait) {
            out.extend(waiting.pop_front().map(|(s, _)| s));
        }
        out
    }
}

/// Whether an accept error means the process is out of file descriptors
/// (or the system of memory for sockets): a reason to wait, not to stop.
fn out_of_resources(e: &io::Error) -> bool {
    #[cfg(unix)]
    {
        matches!(e.raw_os_error(), Some(libc::EMFILE | libc::ENFILE | libc::ENOBUFS | libc::ENOMEM))
    }
    #[cfg(not(unix))]
    {
        let _ = e;
        false
    }
}

/// Serves `root` on 127.0.0.1:`port` (0 picks a free port) until killed,
/// printing the address to `log`. With `changed`, calls `rebuild` whenever
/// it reports a change (debounced), on a thread of its own.
pub fn serve(
    root: &Path,
    port: u16,
    changed: Option<mpsc::Receiver<()>>,
    rebuild: &mut (dyn FnMut() + Send),
    log: &mut dyn Write,
) -> io::Result<()> {
    serve_with(root, port, Limits::default(), changed, rebuild, log)
}

/// [`serve`] with `limits`.
pub fn serve_with(
    root: &Path,
    port: u16,
    limits: Limits,
    changed: Option<mpsc::Receiver<()>>,
    rebuild: &mut (dyn FnMut() + Send),
    log: &mut dyn Write,
) -> io::Result<()> {
    let root = std::fs::canonicalize(root)?;
    let listener = TcpListener::bind(("127.0.0.1", port))?;
    listener.set_nonblocking(true)?;
    let port = listener.local_addr()?.port();
    writeln!(log, "talkfeed: serving {} on http://127.0.0.1:{port}/ (Ctrl-C to stop)", root.display())?;

    let queue = std::sync::Arc::new(Queue::default());
    for _ in 0..limits.workers.max(1) {
        let queue = queue.clone();
        let root = root.clone();
        std::thread::spawn(move || {
            loop {
                handle(&root, port, queue.pop(), limits);
            }
        });
    }
    std::thread::scope(|scope| {
        if let Some(rx) = changed {
            scope.spawn(move || {
                // Editors save in bursts: wait for quiet, then rebuild once.
                while rx.recv().is_ok() {
                    std::thread::sleep(Duration::from_millis(300));
                    while rx.try_recv().is_ok() {}
                    rebuild();
                }
            });
        }
        accept(&listener, &queue, limits, log)
    })
}

/// Accepts connections for the workers until an error writing to `log`.
fn accept(listener: &TcpListener, queue: &Queue, limits: Limits, log: &mut dyn Write) -> io::Result<()> {
    let mut last_warning: Option<Instant> = None;
    loop {
        match listener.accept() {
            Ok((stream, _)) => {
                let _ = stream.set_nonblocking(false);
                // Every worker is busy and the queue is full: say so at
                // once rather than queue without bound.
                if let Err(stream) = queue.push(stream, limits.queue) {
                    busy(stream);
                }
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => std::thread::sleep(Duration::from_millis(20)),
            Err(e) if out_of_resources(&e) => {
                if last_warning.is_none_or(|t| t.elapsed() > Duration::from_secs(10)) {
                    writeln!(log, "talkfeed: cannot accept a connection ({e}); serving the others")?;
                    last_warning = Some(Instant::now());
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(e) => writeln!(log, "talkfeed: a connection failed: {e}")?,
        }
        // Nobody waits for a worker longer than `queue_wait`.
        for stream in queue.expired(limits.queue_wait) {
            busy(stream);
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
        let root = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::create_dir_all(root.join("talks")).unwrap();
        std::fs::write(root.join("index.html"), "x").unwrap();
        std::fs::write(root.join("talks/a b.ics"), "x").unwrap();
        std::fs::write(root.join(".hidden"), "").unwrap();
        assert_eq!(resolve(&root, "/"), Some(root.join("index.html")));
        assert_eq!(resolve(&root, "/talks/a%20b.ics?x=1"), Some(root.join("talks/a b.ics")));
        assert_eq!(resolve(&root, "/../etc/passwd"), None);
        assert_eq!(resolve(&root, "/%2e%2e/etc/passwd"), None);
        assert_eq!(resolve(&root, "/talks%2f..%2f..%2fx"), None);
        assert_eq!(resolve(&root, "/.hidden"), None);
        assert_eq!(resolve(&root, "/missing.ics"), None);
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("/etc/passwd", root.join("passwd.ics")).unwrap();
            std::os::unix::fs::symlink("/etc", root.join("etc")).unwrap();
            std::os::unix::fs::symlink(root.join("index.html"), root.join("same.html")).unwrap();
            assert_eq!(resolve(&root, "/passwd.ics"), None, "a link out of the folder");
            assert_eq!(resolve(&root, "/etc/passwd"), None);
            assert_eq!(resolve(&root, "/same.html"), Some(root.join("index.html")), "a link inside it is fine");
        }
    }

    #[test]
    fn only_requests_for_this_server_are_answered() {
        assert!(host_allowed("127.0.0.1:1414", 1414));
        assert!(host_allowed("LOCALHOST:1414", 1414));
        assert!(host_allowed("[::1]:1414", 1414));
        assert!(host_allowed("localhost", 80));
        assert!(!host_allowed("localhost", 1414));
        assert!(!host_allowed("evil.example:1414", 1414));
        assert!(!host_allowed("127.0.0.1:1415", 1414));
        assert!(!host_allowed("127.0.0.1.evil.example:1414", 1414));
    }
}
