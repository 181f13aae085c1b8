//! Output too large to hold: text appended to an anonymous temporary file as it is
//! rendered, in any order, and read back as a file laid out by a list of pieces.

use std::fs::File;
use std::io::{self, BufRead, BufWriter, Read, Seek, SeekFrom, Write};
use std::ops::Range;

use super::Digest;

/// An anonymous temporary file that text is appended to; it is gone when dropped.
pub struct Spill {
    file: BufWriter<File>,
    len: u64,
}

impl Spill {
    pub fn new() -> io::Result<Self> {
        Ok(Spill {
            file: BufWriter::with_capacity(1 << 16, tempfile::tempfile()?),
            len: 0,
        })
    }

    /// Appends `text`; the range it occupies.
    pub fn push(&mut self, text: &str) -> io::Result<Range<u64>> {
        self.push_bytes(text.as_bytes())
    }

    /// Appends `texts` with `separator` between them; the range they fill together.
    pub fn join<T: AsRef<str>>(
        &mut self,
        texts: impl IntoIterator<Item = T>,
        separator: &str,
    ) -> io::Result<Range<u64>> {
        let start = self.len;
        for (i, text) in texts.into_iter().enumerate() {
            if i > 0 {
                self.push(separator)?;
            }
            self.push(text.as_ref())?;
        }
        Ok(start..self.len)
    }

    /// Appends `bytes`; the range they occupy.
    pub fn push_bytes(&mut self, bytes: &[u8]) -> io::Result<Range<u64>> {
        self.file.write_all(bytes)?;
        let start = self.len;
        self.len += bytes.len() as u64;
        Ok(start..self.len)
    }

    /// Appends what `ranges` of `from` hold, in their order, with `separator`
    /// between them; the range they fill together. Appending to `from` goes on
    /// where it left off.
    pub fn join_from(
        &mut self,
        from: &mut Spill,
        ranges: impl IntoIterator<Item = Range<u64>>,
        separator: &str,
    ) -> io::Result<Range<u64>> {
        let start = self.len;
        let mut first = true;
        from.read_back(ranges, |text| {
            if !first {
                self.push(separator)?;
            }
            first = false;
            self.push_bytes(text).map(drop)
        })?;
        Ok(start..self.len)
    }

    /// Reads back what `range` holds. Appending goes on where it left off.
    pub fn read(&mut self, range: Range<u64>) -> io::Result<Vec<u8>> {
        let mut bytes = Vec::new();
        self.read_back([range], |text| {
            bytes.extend_from_slice(text);
            Ok(())
        })?;
        Ok(bytes)
    }

    /// Reads back what `range` holds a line at a time, handing each line, without
    /// its line ending, to `each`. Appending goes on where it left off.
    pub fn read_lines(
        &mut self,
        range: Range<u64>,
        mut each: impl FnMut(&[u8]) -> io::Result<()>,
    ) -> io::Result<()> {
        self.reading(|file| {
            file.seek(SeekFrom::Start(range.start))?;
            let mut lines = io::BufReader::new(file.take(range.end - range.start));
            let mut line = Vec::new();
            while lines.read_until(b'\n', &mut line)? > 0 {
                if line.last() == Some(&b'\n') {
                    line.pop();
                }
                each(&line)?;
                line.clear();
            }
            Ok(())
        })
    }

    /// Reads back what `ranges` hold, one at a time, in their order, handing each
    /// to `each`.
    fn read_back(
        &mut self,
        ranges: impl IntoIterator<Item = Range<u64>>,
        mut each: impl FnMut(&[u8]) -> io::Result<()>,
    ) -> io::Result<()> {
        let mut buf = Vec::new();
        self.reading(|file| {
            for range in ranges {
                buf.resize((range.end - range.start) as usize, 0);
                file.seek(SeekFrom::Start(range.start))?;
                file.read_exact(&mut buf)?;
                each(&buf)?;
            }
            Ok(())
        })
    }

    /// Runs `read` on the file, with everything appended so far in it, then goes
    /// back to the end, whatever happened, so that what is appended next lands there.
    fn reading(&mut self, read: impl FnOnce(&mut File) -> io::Result<()>) -> io::Result<()> {
        self.file.flush()?;
        let file = self.file.get_mut();
        let read = read(file);
        file.seek(SeekFrom::Start(self.len))?;
        read
    }

    /// Done appending: the file to read pieces from.
    pub fn finish(self) -> io::Result<File> {
        self.file
            .into_inner()
            .map_err(io::IntoInnerError::into_error)
    }
}

/// A piece of an output file: text in memory, or a range of the spill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    /// Text known beforehand, such as a separator: held without an allocation.
    Static(&'static str),
    Spilled(Range<u64>),
}

/// A file as pieces, read in order. Without a spill, only text pieces can be read.
pub struct Pieces<'f> {
    file: Option<&'f File>,
    /// Taken one at a time, so that pieces borrowed from a list that is kept are
    /// copied one at a time too.
    pieces: Box<dyn Iterator<Item = Piece> + 'f>,
    current: Option<Piece>,
    at: u64,
}

impl<'f> Pieces<'f> {
    pub fn new<I>(file: Option<&'f File>, pieces: I) -> Self
    where
        I: IntoIterator<Item = Piece>,
        I::IntoIter: 'f,
    {
        Pieces {
            file,
            pieces: Box::new(pieces.into_iter()),
            current: None,
            at: 0,
        }
    }

    /// SHA-256 of everything the pieces hold.
    pub fn digest(file: Option<&File>, pieces: &[Piece]) -> io::Result<Digest> {
        use sha2::Digest as _;
        let mut hasher = sha2::Sha256::new();
        let pieces = Pieces::new(file, pieces.iter().cloned());
        io::copy(
            &mut io::BufReader::with_capacity(1 << 16, pieces),
            &mut hasher,
        )?;
        Ok(hasher.finalize().into())
    }
}

impl Read for Pieces<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            let piece = match &self.current {
                Some(piece) => piece,
                None => match self.pieces.next() {
                    Some(piece) => {
                        self.at = 0;
                        self.current.insert(piece)
                    }
                    None => return Ok(0),
                },
            };
            let n = match piece {
                Piece::Text(text) => copy_from(text, self.at, buf),
                Piece::Static(text) => copy_from(text, self.at, buf),
                Piece::Spilled(range) => {
                    let left = range.end - range.start - self.at;
                    let n = left.min(buf.len() as u64) as usize;
                    let Some(mut file) = self.file else {
                        return Err(io::Error::other("a spilled piece without its spill"));
                    };
                    file.seek(SeekFrom::Start(range.start + self.at))?;
                    file.read_exact(&mut buf[..n])?;
                    n
                }
            };
            if n == 0 {
                self.current = None;
                continue;
            }
            self.at += n as u64;
            return Ok(n);
        }
    }
}

/// Copies what `buf` holds of `text` from `at` on; how much.
fn copy_from(text: &str, at: u64, buf: &mut [u8]) -> usize {
    let rest = &text.as_bytes()[at as usize..];
    let n = rest.len().min(buf.len());
    buf[..n].copy_from_slice(&rest[..n]);
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_copied_from_another_spill_leave_it_appending_at_its_end() {
        let mut from = Spill::new().unwrap();
        let a = from.push("alpha").unwrap();
        let b = from.push("beta").unwrap();
        let mut to = Spill::new().unwrap();
        let head = to.push("<").unwrap();
        let joined = to
            .join_from(&mut from, [b.clone(), a.clone()], ", ")
            .unwrap();
        // Still buffered in `from` when it is read back next.
        let c = from.push("gamma").unwrap();
        let again = to.join_from(&mut from, [c, a], "").unwrap();
        assert_eq!((head.end, joined.start), (1, 1));
        let (to, from) = (to.finish().unwrap(), from.finish().unwrap());
        let read = |file: &File, pieces: Vec<Piece>| {
            let mut text = String::new();
            Pieces::new(Some(file), pieces)
                .read_to_string(&mut text)
                .unwrap();
            text
        };
        assert_eq!(read(&from, vec![Piece::Spilled(0..14)]), "alphabetagamma");
        assert_eq!(read(&to, vec![Piece::Spilled(joined)]), "beta, alpha");
        assert_eq!(read(&to, vec![Piece::Spilled(again)]), "gammaalpha");
    }

    #[test]
    fn a_range_read_back_leaves_the_spill_appending_at_its_end() {
        let mut spill = Spill::new().unwrap();
        let a = spill.push("alpha").unwrap();
        let b = spill.push("beta").unwrap();
        assert_eq!(spill.read(a).unwrap(), b"alpha");
        let c = spill.push("gamma").unwrap();
        assert_eq!(spill.read(b).unwrap(), b"beta");
        assert_eq!(spill.read(c.clone()).unwrap(), b"gamma");
        assert_eq!(c, 9..14);
        let mut file = spill.finish().unwrap();
        let mut text = String::new();
        file.seek(SeekFrom::Start(0)).unwrap();
        file.read_to_string(&mut text).unwrap();
        assert_eq!(text, "alphabetagamma");
    }

    #[test]
    fn lines_read_back_are_the_ranges_own_and_leave_the_spill_appending_at_its_end() {
        let mut spill = Spill::new().unwrap();
        spill.push("before\n").unwrap();
        let long = "λ".repeat(10_000);
        let lines = spill
            .join(["one", "", long.as_str(), "last"], "\n")
            .unwrap();
        spill.push("\nafter").unwrap();
        let mut read = Vec::new();
        spill
            .read_lines(lines.clone(), |line| {
                read.push(String::from_utf8(line.to_vec()).unwrap());
                Ok(())
            })
            .unwrap();
        assert_eq!(read, ["one", "", long.as_str(), "last"]);
        let end = spill.push("!").unwrap();
        assert_eq!(end.start, lines.end + "\nafter".len() as u64);
        let failed = spill.read_lines(lines, |_| Err(io::Error::other("stop")));
        assert_eq!(failed.unwrap_err().to_string(), "stop");
        assert_eq!(spill.push("?").unwrap().start, end.end);
    }

    #[test]
    fn pieces_read_back_in_their_own_order() {
        let mut spill = Spill::new().unwrap();
        let a = spill.push("alpha ").unwrap();
        let empty = spill.push("").unwrap();
        let b = spill.push(&"β".repeat(40_000)).unwrap();
        let file = spill.finish().unwrap();
        let pieces = vec![
            Piece::Spilled(b.clone()),
            Piece::Text("[".to_owned()),
            Piece::Spilled(empty),
            Piece::Text(String::new()),
            Piece::Spilled(a),
            Piece::Static(""),
            Piece::Text("]".to_owned()),
            Piece::Static(" ωμέγα"),
        ];
        let mut text = String::new();
        Pieces::new(Some(&file), pieces.clone())
            .read_to_string(&mut text)
            .unwrap();
        let expected = format!("{}[alpha ] ωμέγα", "β".repeat(40_000));
        assert_eq!(text, expected);
        assert_eq!(
            Pieces::digest(Some(&file), &pieces).unwrap(),
            super::super::digest(&expected)
        );
    }
}
