//! Bounded output: the last bytes of a child's streams, read on threads of their own so that a
//! child printing gigabytes neither blocks on a full pipe nor exhausts memory.

use std::io::Read;
use std::thread;

/// How much of each stream is kept: enough for a compiler error or a pytest summary, small
/// enough that a child printing gigabytes cannot exhaust memory.
pub const TAIL_BYTES: usize = 64 * 1024;

/// The end of `text`, at most `limit` bytes, cut on a character boundary.
pub fn tail_str(text: &str, limit: usize) -> &str {
    if text.len() <= limit {
        return text;
    }
    let mut start = text.len() - limit;
    while !text.is_char_boundary(start) {
        start += 1;
    }
    &text[start..]
}

/// The last `limit` bytes of a stream; the count of bytes dropped before them.
#[derive(Debug)]
pub struct Tail {
    limit: usize,
    bytes: Vec<u8>,
    dropped: u64,
}

impl Tail {
    pub fn new(limit: usize) -> Tail {
        Tail {
            limit,
            bytes: Vec::new(),
            dropped: 0,
        }
    }

    pub fn push(&mut self, chunk: &[u8]) {
        self.bytes.extend_from_slice(chunk);
        // Trim only when twice the limit is reached, so trimming costs O(1) per byte overall.
        if self.bytes.len() > self.limit.saturating_mul(2) {
            self.trim();
        }
    }

    fn trim(&mut self) {
        if self.bytes.len() > self.limit {
            let cut = self.bytes.len() - self.limit;
            self.bytes.drain(..cut);
            self.dropped += cut as u64;
        }
    }

    /// The kept bytes as text (invalid UTF-8 becomes U+FFFD), preceded by a line saying how
    /// many bytes were dropped, if any were.
    pub fn finish(mut self) -> String {
        self.trim();
        let mut text = String::from_utf8_lossy(&self.bytes).into_owned();
        if self.dropped > 0 {
            text.insert_str(0, &format!("[... {} bytes not kept ...]\n", self.dropped));
        }
        text
    }
}

/// A thread reading one stream to its end.
pub(super) type TailReader = Option<thread::JoinHandle<String>>;

/// Starts reading `stream` (if there is one), keeping its last `limit` bytes.
pub(super) fn read_tail(stream: Option<impl Read + Send + 'static>, limit: usize) -> TailReader {
    let mut stream = stream?;
    Some(thread::spawn(move || {
        let mut tail = Tail::new(limit);
        let mut buffer = [0_u8; 16 * 1024];
        loop {
            match stream.read(&mut buffer) {
                Ok(0) => break,
                Ok(read) => tail.push(&buffer[..read]),
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(_) => break,
            }
        }
        tail.finish()
    }))
}

/// What the reader kept, once the stream has ended.
pub(super) fn join_tail(reader: TailReader) -> String {
    reader
        .and_then(|handle| handle.join().ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tail_keeps_the_end_and_counts_the_rest() {
        let mut tail = Tail::new(4);
        tail.push(b"0123");
        tail.push(b"4567");
        tail.push(b"89");
        assert_eq!(tail.finish(), "[... 6 bytes not kept ...]\n6789");
    }

    #[test]
    fn tail_decodes_invalid_utf8_lossily() {
        let mut tail = Tail::new(64);
        tail.push(b"ok \xff\xfe done");
        assert_eq!(tail.finish(), "ok \u{fffd}\u{fffd} done");
    }

    #[test]
    fn tail_str_cuts_on_char_boundary() {
        assert_eq!(tail_str("héllo", 4), "llo");
        assert_eq!(tail_str("abc", 10), "abc");
    }
}
