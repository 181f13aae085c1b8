//! Paths kept in temporary files and read back in order: what regen and check keep
//! of every generated file they pass, so that neither holds a path a file.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Seek, SeekFrom, Write};

/// How many bytes of paths are gathered and sorted in memory before they go to a
/// temporary file of their own.
const RUN_BYTES: usize = 128 << 10;

/// Paths, each a line, gathered in any order.
#[derive(Default)]
pub struct PathLog {
    /// The paths not yet in a temporary file.
    run: Vec<String>,
    run_bytes: usize,
    /// Temporary files of paths, each sorted.
    runs: Vec<File>,
    len: usize,
}

impl PathLog {
    pub fn push(&mut self, path: &str) -> io::Result<()> {
        if path.contains('\n') {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("a path with a line break: {path:?}"),
            ));
        }
        self.run_bytes += path.len() + std::mem::size_of::<String>();
        self.run.push(path.to_owned());
        self.len += 1;
        if self.run_bytes >= RUN_BYTES {
            self.spill()?;
        }
        Ok(())
    }

    pub fn len(&self) -> usize {
        self.len
    }

    fn spill(&mut self) -> io::Result<()> {
        self.run.sort_unstable();
        let mut out = BufWriter::new(tempfile::tempfile()?);
        for path in self.run.drain(..) {
            out.write_all(path.as_bytes())?;
            out.write_all(b"\n")?;
        }
        let mut file = out.into_inner().map_err(io::IntoInnerError::into_error)?;
        file.seek(SeekFrom::Start(0))?;
        self.runs.push(file);
        self.run_bytes = 0;
        Ok(())
    }

    /// Every path pushed, in byte order.
    pub fn sorted(mut self) -> io::Result<Sorted> {
        self.run.sort_unstable();
        let mut sorted = Sorted {
            files: self.runs.into_iter().map(BufReader::new).collect(),
            memory: self.run.into_iter(),
            heads: BinaryHeap::new(),
        };
        for source in 0..=sorted.files.len() {
            sorted.refill(source)?;
        }
        Ok(sorted)
    }
}

/// The paths of a [`PathLog`] in byte order: its sorted runs merged.
pub struct Sorted {
    files: Vec<BufReader<File>>,
    /// The run that never left memory, the source after `files`.
    memory: std::vec::IntoIter<String>,
    /// Each source's next path.
    heads: BinaryHeap<Reverse<(String, usize)>>,
}

impl Sorted {
    fn refill(&mut self, source: usize) -> io::Result<()> {
        let next = match self.files.get_mut(source) {
            Some(file) => {
                let mut line = String::new();
                match file.read_line(&mut line)? {
                    0 => None,
                    _ => Some(line.trim_end_matches('\n').to_owned()),
                }
            }
            None => self.memory.next(),
        };
        if let Some(path) = next {
            self.heads.push(Reverse((path, source)));
        }
        Ok(())
    }
}

impl Iterator for Sorted {
    type Item = io::Result<String>;

    fn next(&mut self) -> Option<Self::Item> {
        let Reverse((path, source)) = self.heads.pop()?;
        Some(self.refill(source).map(|()| path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_come_back_in_byte_order_across_runs() {
        for count in [0, 1, 10, 30_000] {
            let mut log = PathLog::default();
            let mut paths: Vec<String> = (0..count)
                .map(|i: u64| {
                    let n = i.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 40;
                    format!("data/doc-{}/{n}.en-us.json", n % 7)
                })
                .collect();
            for path in &paths {
                log.push(path).unwrap();
            }
            assert_eq!(log.len(), count as usize);
            if count == 30_000 {
                assert!(log.runs.len() > 2, "{} runs", log.runs.len());
            }
            paths.sort();
            let back: Vec<String> = log.sorted().unwrap().map(Result::unwrap).collect();
            assert_eq!(back, paths);
        }
        let mut log = PathLog::default();
        assert!(log.push("a\nb").is_err());
    }
}
