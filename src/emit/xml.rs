//! What XML 1.0 cannot hold. `rss` and `atom_syndication` write control
//! characters and U+FFFE/U+FFFF as they are, which makes the document not
//! well-formed (and no escape can carry them: `&#1;` is forbidden too).
//! Every XML output is written through [`WellFormed`], which drops them.
//! Text the crates put into CDATA sections (RSS `description` and
//! `content:encoded`) must be cleaned before, with [`xml_chars`]: dropping
//! a character after the crate has split `]]>` for CDATA can join a `]]`
//! and a `>` into a `]]>` that ends the section early.

use std::io::{self, Write};

/// A writer that passes UTF-8 through, minus the characters XML 1.0
/// forbids (`Char`, §2.2): C0 controls other than tab, LF and CR, and
/// U+FFFE and U+FFFF (encoded `EF BF BE` and `EF BF BF`, which may arrive
/// split across writes).
pub struct WellFormed<W: Write> {
    inner: W,
    /// Bytes of a possible `EF BF BE/BF` held back from the last write.
    pending: Vec<u8>,
}

impl<W: Write> WellFormed<W> {
    /// Wraps `inner`.
    pub fn new(inner: W) -> WellFormed<W> {
        WellFormed { inner, pending: Vec::new() }
    }

    /// Writes what is held back and returns the inner writer.
    pub fn finish(mut self) -> io::Result<W> {
        let pending = std::mem::take(&mut self.pending);
        self.inner.write_all(&pending)?;
        Ok(self.inner)
    }
}

/// `text` without the characters XML 1.0 forbids.
pub fn xml_chars(text: String) -> String {
    let forbidden = |c: char| (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}');
    if text.contains(forbidden) { text.replace(forbidden, "") } else { text }
}

fn forbidden_byte(b: u8) -> bool {
    b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')
}

impl<W: Write> Write for WellFormed<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        // Almost all text has nothing to drop: pass it through untouched.
        if self.pending.is_empty() && !buf.iter().any(|&b| forbidden_byte(b) || b == 0xEF) {
            self.inner.write_all(buf)?;
            return Ok(buf.len());
        }
        let mut data = std::mem::take(&mut self.pending);
        data.extend_from_slice(buf);
        let mut clean = Vec::with_capacity(data.len());
        let mut i = 0;
        while i < data.len() {
            let b = data[i];
            if b == 0xEF {
                match (data.get(i + 1), data.get(i + 2)) {
                    (Some(0xBF), Some(0xBE | 0xBF)) => {
                        i += 3;
                        continue;
                    }
                    // Not complete yet: keep for the next write.
                    (None, _) | (Some(0xBF), None) => {
                        self.pending.extend_from_slice(&data[i..]);
                        break;
                    }
                    _ => {}
                }
            }
            if !forbidden_byte(b) {
                clean.push(b);
            }
            i += 1;
        }
        self.inner.write_all(&clean)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// A writer that writes Atom's UTC times with `Z`: `atom_syndication`
/// writes every time with chrono's `to_rfc3339`, which spells UTC
/// `+00:00`. Only the text of `<updated>` and `<published>` can end in
/// `+00:00</updated>` (text content has its `<` escaped), so replacing
/// that sequence changes nothing else. Small writes are gathered into
/// blocks; the tail of each block that could begin a split sequence waits
/// for the next write.
pub struct ZuluTimes<W: Write> {
    inner: W,
    buffer: Vec<u8>,
}

const ZULU: [(&[u8], &[u8]); 2] = [(b"+00:00</updated>", b"Z</updated>"), (b"+00:00</published>", b"Z</published>")];
/// The longest pattern, less one: what may be held back.
const ZULU_TAIL: usize = 18 - 1;

impl<W: Write> ZuluTimes<W> {
    /// Wraps `inner`.
    pub fn new(inner: W) -> ZuluTimes<W> {
        ZuluTimes { inner, buffer: Vec::with_capacity(1 << 13) }
    }

    /// Writes everything held and returns the inner writer.
    pub fn finish(mut self) -> io::Result<W> {
        self.drain(0)?;
        Ok(self.inner)
    }

    /// Replaces the patterns in the buffer and writes all of it but the
    /// last `keep` bytes, a run between two patterns at a time.
    fn drain(&mut self, keep: usize) -> io::Result<()> {
        let end = self.buffer.len().saturating_sub(keep);
        let (mut i, mut start) = (0, 0);
        while let Some(at) = memchr::memchr(b'+', &self.buffer[i..end]).map(|p| i + p) {
            match ZULU.iter().find(|(from, _)| self.buffer[at..].starts_with(from)) {
                Some((from, to)) => {
                    self.inner.write_all(&self.buffer[start..at])?;
                    self.inner.write_all(to)?;
                    i = at + from.len();
                    start = i;
                    if i >= end {
                        break;
                    }
                }
                None => i = at + 1,
            }
        }
        let done = i.max(end);
        self.inner.write_all(&self.buffer[start..done])?;
        self.buffer.drain(..done);
        Ok(())
    }
}

impl<W: Write> Write for ZuluTimes<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.buffer.extend_from_slice(buf);
        if self.buffer.len() >= 1 << 13 {
            self.drain(ZULU_TAIL)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_times_get_a_z_and_nothing_else_changes() {
        let text = "<updated>2024-01-02T03:04:05+00:00</updated><published>2024-01-02T03:04:05+00:00</published>\
                    <title>+00:00&lt;/updated&gt; stays</title><updated>2024-01-02T03:04:05+01:00</updated>";
        let want = "<updated>2024-01-02T03:04:05Z</updated><published>2024-01-02T03:04:05Z</published>\
                    <title>+00:00&lt;/updated&gt; stays</title><updated>2024-01-02T03:04:05+01:00</updated>";
        let bytes = text.as_bytes();
        for cut in 0..bytes.len() {
            let mut w = ZuluTimes::new(Vec::new());
            w.write_all(&bytes[..cut]).unwrap();
            w.write_all(&bytes[cut..]).unwrap();
            assert_eq!(String::from_utf8(w.finish().unwrap()).unwrap(), want, "cut at {cut}");
        }
        // Past the block size, in many small writes.
        let long = text.repeat(300);
        let mut w = ZuluTimes::new(Vec::new());
        for chunk in long.as_bytes().chunks(7) {
            w.write_all(chunk).unwrap();
        }
        assert_eq!(String::from_utf8(w.finish().unwrap()).unwrap(), want.repeat(300));
    }

    fn through(parts: &[&[u8]]) -> Vec<u8> {
        let mut w = WellFormed::new(Vec::new());
        for p in parts {
            w.write_all(p).unwrap();
        }
        w.finish().unwrap()
    }

    #[test]
    fn forbidden_characters_are_removed() {
        let text = "a\u{1}b\u{FFFE}c\u{FFFF}d\te\u{1F389}\u{FFFD}f\n";
        assert_eq!(through(&[text.as_bytes()]), "abcd\te\u{1F389}\u{FFFD}f\n".as_bytes());
    }

    #[test]
    fn cleaning_before_cdata_keeps_the_section_closed() {
        assert_eq!(xml_chars(String::from("]]\u{1}>\u{FFFF}ok")), "]]>ok");
        assert_eq!(xml_chars(String::from("plain")), "plain");
    }

    #[test]
    fn sequences_split_across_writes() {
        let bytes = "x\u{FFFF}y\u{EFBF}z".as_bytes();
        for cut in 0..bytes.len() {
            let out = through(&[&bytes[..cut], &bytes[cut..]]);
            assert_eq!(String::from_utf8(out).unwrap(), "xy\u{EFBF}z", "cut at {cut}");
        }
    }
}
