//! `talkfeed serve`: the real binary on a free port, spoken to over a raw
//! TCP socket so the test sees exactly the status line and headers a
//! calendar client would.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};

use crate::util::{NOW, root};

/// Kills the server when the test ends, passed or not.
struct Server {
    child: Child,
    address: String,
    /// What it printed after it started listening.
    log: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Server {
    /// How many builds it reported since it started listening.
    fn builds(&self) -> usize {
        self.log.lock().unwrap().matches(" written, ").count()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(out: &std::path::Path) -> Server {
    start_with(out, &[])
}

fn start_with(out: &std::path::Path, extra: &[&std::ffi::OsStr]) -> Server {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("talkfeed"))
        .args(["--now", NOW, "serve", "--port", "0", "--base-url", "https://talks.example.org/", "--out"])
        .arg(out)
        .args(extra)
        .current_dir(root())
        .env_remove("TZ")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    let address = loop {
        line.clear();
        assert!(stderr.read_line(&mut line).unwrap() > 0, "serve exited before listening");
        if let Some(rest) = line.split("on http://").nth(1) {
            break rest.split('/').next().unwrap().to_string();
        }
    };
    // Keep draining stderr so the server never blocks on a full pipe.
    let log = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let sink = log.clone();
    std::thread::spawn(move || {
        let mut line = String::new();
        while stderr.read_line(&mut line).is_ok_and(|n| n > 0) {
            sink.lock().unwrap().push_str(&line);
            line.clear();
        }
    });
    Server { child, address, log }
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

fn request(server: &Server, method: &str, path: &str, extra: &[(&str, &str)]) -> Reply {
    let mut stream = TcpStream::connect(&server.address).unwrap();
    let mut text = format!("{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n", server.address);
    for (name, value) in extra {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text.push_str("\r\n");
    stream.write_all(text.as_bytes()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a header block");
    let head = String::from_utf8(raw[..split].to_vec()).unwrap();
    let mut lines = head.split("\r\n");
    let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    let headers = lines
        .map(|l| {
            let (n, v) = l.split_once(':').unwrap();
            (n.trim().to_string(), v.trim().to_string())
        })
        .collect();
    Reply { status, headers, body: raw[split + 4..].to_vec() }
}

#[test]
fn serves_every_output_with_its_content_type() {
    let out = tempfile::tempdir().unwrap();
    let server = start(out.path());
    for (path, content_type, file) in [
        ("/talks.ics", "text/calendar; charset=utf-8", "talks.ics"),
        ("/upcoming.ics", "text/calendar; charset=utf-8", "upcoming.ics"),
        ("/rss.xml", "application/rss+xml", "rss.xml"),
        ("/atom.xml", "application/atom+xml", "atom.xml"),
        ("/feed.json", "application/feed+json", "feed.json"),
        ("/", "text/html; charset=utf-8", "index.html"),
        ("/index.html?utm=x", "text/html; charset=utf-8", "index.html"),
    ] {
        let reply = request(&server, "GET", path, &[]);
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.header("Content-Type"), Some(content_type), "{path}");
        assert_eq!(reply.body, std::fs::read(out.path().join(file)).unwrap(), "{path}");
    }
    let talk = std::fs::read_dir(out.path().join("talks")).unwrap().next().unwrap().unwrap().file_name();
    let reply = request(&server, "GET", &format!("/talks/{}", talk.to_str().unwrap()), &[]);
    assert_eq!((reply.status, reply.header("Content-Type")), (200, Some("text/calendar; charset=utf-8")));
}

#[test]
fn conditional_requests_get_304_and_head_no_body() {
    let out = tempfile::tempdir().unwrap();
    let server = start(out.path());
    let first = request(&server, "GET", "/talks.ics", &[]);
    let etag = first.header("ETag").expect("an ETag").to_string();
    let modified = first.header("Last-Modified").expect("a Last-Modified").to_string();

    let by_tag = request(&server, "GET", "/talks.ics", &[("If-None-Match", &etag)]);
    assert_eq!(by_tag.status, 304);
    assert!(by_tag.body.is_empty());
    assert_eq!(by_tag.header("ETag"), Some(etag.as_str()));

    let by_date = request(&server, "GET", "/talks.ics", &[("If-Modified-Since", &modified)]);
    assert_eq!(by_date.status, 304);

    // A different tag means the client's copy is stale, whatever its date.
    let stale =
        request(&server, "GET", "/talks.ics", &[("If-None-Match", "\"0-0\""), ("If-Modified-Since", &modified)]);
    assert_eq!(stale.status, 200);
    assert_eq!(stale.body, first.body);

    let old = request(&server, "GET", "/talks.ics", &[("If-Modified-Since", "Sat, 01 Jan 2000 00:00:00 GMT")]);
    assert_eq!(old.status, 200);

    let head = request(&server, "HEAD", "/talks.ics", &[]);
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(head.header("Content-Length"), Some(first.body.len().to_string().as_str()));
    assert_eq!(head.header("ETag"), Some(etag.as_str()));
}

#[test]
fn nothing_outside_the_output_folder_or_hidden_is_served() {
    let out = tempfile::tempdir().unwrap();
    let server = start(out.path());
    std::fs::write(out.path().join(".secret"), "no").unwrap();
    for path in ["/../Cargo.toml", "/%2e%2e/Cargo.toml", "/talks/..%2f..%2fCargo.toml", "/.secret", "/missing.ics"] {
        assert_eq!(request(&server, "GET", path, &[]).status, 404, "{path}");
    }
    assert_eq!(request(&server, "POST", "/talks.ics", &[("Content-Length", "0")]).status, 405);
}

#[test]
fn watch_rebuilds_when_a_talk_changes() {
    let site = tempfile::tempdir().unwrap();
    let page = site.path().join("content/talk/a/index.md");
    std::fs::create_dir_all(page.parent().unwrap()).unwrap();
    std::fs::write(&page, "---\ntitle: First title\nevent: Meetup\ndate: 2026-05-01\n---\n").unwrap();
    let out = site.path().join("out");
    let server = start_with(&out, &["--watch".as_ref(), "--site".as_ref(), site.path().as_os_str()]);
    let feed = || String::from_utf8(request(&server, "GET", "/feed.json", &[]).body).unwrap();
    assert!(feed().contains("First title"));
    // Reading the pages is not a change: no rebuild without a save.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert_eq!(server.builds(), 0, "rebuilt without a change: {}", server.log.lock().unwrap());

    std::fs::write(&page, "---\ntitle: Second title\nevent: Meetup\ndate: 2026-05-01\n---\n").unwrap();
    // The rebuild follows the save after a short debounce; allow a slow
    // machine plenty of time, but stop as soon as it is there.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !feed().contains("Second title") {
        assert!(std::time::Instant::now() < deadline, "no rebuild after the page changed: {}", feed());
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    // One save, one rebuild (two if the save arrived in two bursts), no loop.
    std::thread::sleep(std::time::Duration::from_millis(1000));
    assert!(matches!(server.builds(), 1 | 2), "{}", server.log.lock().unwrap());
}

#[test]
fn only_requests_addressed_to_it_are_answered() {
    let out = tempfile::tempdir().unwrap();
    let server = start(out.path());
    // DNS rebinding: a page of another site reaching the port by a name of its own.
    let port = server.address.rsplit(':').next().unwrap();
    for host in [format!("evil.example:{port}"), String::from("127.0.0.1"), format!("127.0.0.1:{}", 1)] {
        let reply = request_with_host(&server, &host, "/talks.ics");
        assert_eq!(reply.status, 421, "{host}");
        assert!(!String::from_utf8_lossy(&reply.body).contains("BEGIN:VCALENDAR"));
    }
    assert_eq!(request_with_host(&server, &format!("localhost:{port}"), "/talks.ics").status, 200);
}

#[cfg(unix)]
#[test]
fn links_out_of_the_output_folder_are_not_served() {
    let out = tempfile::tempdir().unwrap();
    let server = start(out.path());
    std::os::unix::fs::symlink("/etc/passwd", out.path().join("passwd.ics")).unwrap();
    std::os::unix::fs::symlink("/etc", out.path().join("etc")).unwrap();
    assert_eq!(request(&server, "GET", "/passwd.ics", &[]).status, 404);
    assert_eq!(request(&server, "GET", "/etc/passwd", &[]).status, 404);
}

#[test]
fn a_future_if_modified_since_is_ignored() {
    let out = tempfile::tempdir().unwrap();
    let server = start(out.path());
    // RFC 9110 §13.1.3: a date after the server's clock is no validator.
    let reply = request(&server, "GET", "/talks.ics", &[("If-Modified-Since", "Fri, 01 Jan 2100 00:00:00 GMT")]);
    assert_eq!(reply.status, 200);
    assert!(!reply.body.is_empty());
}

fn request_with_host(server: &Server, host: &str, path: &str) -> Reply {
    let mut stream = TcpStream::connect(&server.address).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text.split(' ').nth(1).unwrap().parse().unwrap();
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b.as_bytes().to_vec()).unwrap_or_default();
    Reply { status, headers: Vec::new(), body }
}

/// Idle and trickling clients are timed out; the others are served.
#[test]
fn idle_and_slow_clients_cannot_hold_the_server() {
    use std::time::{Duration, Instant};
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("index.html"), "hello").unwrap();
    let limits = talkfeed::server::Limits {
        workers: 2,
        queue: 4,
        head_timeout: Duration::from_millis(600),
        response_timeout: Duration::from_secs(2),
        queue_wait: Duration::from_secs(2),
    };
    let address = serve_in_thread(dir.path(), limits);
    let get = || -> Option<String> {
        let mut s = TcpStream::connect(&address).ok()?;
        s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
        write!(s, "GET / HTTP/1.1\r\nHost: {address}\r\n\r\n").ok()?;
        let mut raw = String::new();
        s.read_to_string(&mut raw).ok()?;
        Some(raw)
    };
    // Twenty idle connections: more than the workers and the queue.
    let idle: Vec<TcpStream> = (0..20).map(|_| TcpStream::connect(&address).unwrap()).collect();
    // A trickling client: a byte every 100 ms, never a whole head.
    let trickle_address = address.clone();
    let trickle = std::thread::spawn(move || {
        let mut s = TcpStream::connect(&trickle_address).unwrap();
        let started = Instant::now();
        for b in
            b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".iter()
        {
            if s.write_all(&[*b]).is_err() {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        started.elapsed()
    });
    // The server cuts the trickle off (408) long before it would finish.
    let held = trickle.join().unwrap();
    assert!(held < Duration::from_secs(5), "a trickling client held a worker for {held:?}");
    // Within a few head timeouts every idle connection is closed, and a
    // normal request is answered.
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if let Some(reply) = get()
            && reply.starts_with("HTTP/1.1 200")
        {
            assert!(reply.ends_with("hello"));
            break;
        }
        assert!(Instant::now() < deadline, "no answer while idle clients wait");
        std::thread::sleep(Duration::from_millis(100));
    }
    drop(idle);
}

/// Serves `root` with `limits` on a thread of its own; returns its address.
fn serve_in_thread(root: &std::path::Path, limits: talkfeed::server::Limits) -> String {
    let root = root.to_path_buf();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        // The address is printed first; pass it on.
        struct Tell(std::sync::mpsc::Sender<String>, Vec<u8>);
        impl Write for Tell {
            fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
                self.1.extend_from_slice(b);
                if self.1.contains(&b'\n')
                    && let Some(line) = String::from_utf8_lossy(&self.1).lines().next()
                    && let Some(rest) = line.split("on http://").nth(1)
                {
                    let _ = self.0.send(rest.split('/').next().unwrap().to_string());
                }
                Ok(b.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let mut tell = Tell(tx, Vec::new());
        let _ = talkfeed::server::serve_with(&root, 0, limits, None, &mut || {}, &mut tell);
    });
    rx.recv_timeout(std::time::Duration::from_secs(10)).unwrap()
}

/// A rebuild, however long it takes, runs beside the server: requests are
/// answered meanwhile.
#[test]
fn a_long_rebuild_does_not_stop_the_answers() {
    use std::time::{Duration, Instant};
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("index.html"), "hello").unwrap();
    let root = dir.path().to_path_buf();
    let (changed, rx) = std::sync::mpsc::channel();
    let (started_tx, started) = std::sync::mpsc::channel();
    let (address_tx, address) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut rebuild = move || {
            let _ = started_tx.send(());
            std::thread::sleep(Duration::from_secs(30));
        };
        let mut log = Vec::new();
        struct Tell<'a>(&'a std::sync::mpsc::Sender<String>, &'a mut Vec<u8>);
        impl Write for Tell<'_> {
            fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
                self.1.extend_from_slice(b);
                if self.1.contains(&b'\n')
                    && let Some(rest) = String::from_utf8_lossy(self.1).split("on http://").nth(1)
                {
                    let _ = self.0.send(rest.split('/').next().unwrap().to_string());
                }
                Ok(b.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let limits = talkfeed::server::Limits::default();
        let _ =
            talkfeed::server::serve_with(&root, 0, limits, Some(rx), &mut rebuild, &mut Tell(&address_tx, &mut log));
    });
    let address = address.recv_timeout(Duration::from_secs(10)).unwrap();
    changed.send(()).unwrap();
    started.recv_timeout(Duration::from_secs(10)).expect("the rebuild starts");
    let at = Instant::now();
    let mut s = TcpStream::connect(&address).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(s, "GET / HTTP/1.1\r\nHost: {address}\r\n\r\n").unwrap();
    let mut raw = String::new();
    let _ = s.read_to_string(&mut raw);
    assert!(raw.starts_with("HTTP/1.1 200") && raw.ends_with("hello"), "{raw:?} after {:?}", at.elapsed());
}

/// Clients that read a large file slowly (or not at all) hold a worker for
/// the response deadline at most, and while every worker is held, a new
/// request is told `503` within the queue wait instead of no answer.
#[test]
fn slow_readers_cannot_freeze_the_server() {
    use std::time::{Duration, Instant};
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("atom.xml"), vec![b'x'; 16 << 20]).unwrap();
    std::fs::write(dir.path().join("index.html"), "hello").unwrap();
    let limits = talkfeed::server::Limits {
        workers: 2,
        queue: 8,
        head_timeout: Duration::from_secs(2),
        response_timeout: Duration::from_secs(3),
        queue_wait: Duration::from_millis(500),
    };
    let address = serve_in_thread(dir.path(), limits);
    // Two readers that ask for the large file and never read it: one per worker.
    let slow: Vec<TcpStream> = (0..2)
        .map(|_| {
            let mut s = TcpStream::connect(&address).unwrap();
            write!(s, "GET /atom.xml HTTP/1.1\r\nHost: {address}\r\n\r\n").unwrap();
            s
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let get = || -> (String, Duration) {
        let started = Instant::now();
        let mut s = TcpStream::connect(&address).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        write!(s, "GET / HTTP/1.1\r\nHost: {address}\r\n\r\n").unwrap();
        let mut raw = String::new();
        let _ = s.read_to_string(&mut raw);
        (raw, started.elapsed())
    };
    let (busy, waited) = get();
    assert!(busy.starts_with("HTTP/1.1 503"), "{busy:?} after {waited:?}");
    assert!(waited < Duration::from_secs(2), "told after {waited:?}");
    // The response deadline frees the workers: then requests are served.
    std::thread::sleep(Duration::from_secs(3));
    let (reply, _) = get();
    assert!(reply.starts_with("HTTP/1.1 200") && reply.ends_with("hello"), "{reply:?}");
    drop(slow);
}

/// Out of file descriptors: the server says so and goes on serving; it
/// never exits.
#[cfg(unix)]
#[test]
fn running_out_of_descriptors_does_not_stop_the_server() {
    let out = tempfile::tempdir().unwrap();
    // Build first, then serve with a small descriptor limit.
    crate::util::talkfeed()
        .args(["--base-url", "https://talks.example.org/", "--out"])
        .arg(out.path())
        .assert()
        .success();
    let bin = assert_cmd::cargo::cargo_bin("talkfeed");
    let script = format!(
        "ulimit -n 48; exec '{}' --now {NOW} serve --port 0 --base-url https://talks.example.org/ --out '{}'",
        bin.display(),
        out.path().display()
    );
    let mut child = std::process::Command::new("sh")
        .args(["-c", &script])
        .current_dir(root())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    let address = loop {
        line.clear();
        assert!(stderr.read_line(&mut line).unwrap() > 0, "serve exited before listening");
        if let Some(rest) = line.split("on http://").nth(1) {
            break rest.split('/').next().unwrap().to_string();
        }
    };
    std::thread::spawn(move || while stderr.read_line(&mut String::new()).is_ok_and(|n| n > 0) {});
    let server = Server { child, address, log: Default::default() };
    // More connections than the process has descriptors.
    let flood: Vec<TcpStream> = (0..80).filter_map(|_| TcpStream::connect(&server.address).ok()).collect();
    std::thread::sleep(std::time::Duration::from_millis(500));
    drop(flood);
    let mut server = server;
    assert!(server.child.try_wait().unwrap().is_none(), "the server exited");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let ok = std::panic::catch_unwind(|| request(&server, "GET", "/talks.ics", &[]).status == 200).unwrap_or(false);
        if ok {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "no answer after the flood");
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
}
