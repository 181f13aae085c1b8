//! Any bytes, read as a legacy source: no panic, no hang, and every row of every
//! code table kept as a condition or a diagnostic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut source = errcat::Source::new("d", "r", "d/r.en-us.x");
    source.format = Some(errcat::Format::Legacy);
    if let Ok(revision) = errcat::ingest_bytes(data, source) {
        assert!(revision.lost_rows().is_empty(), "rows vanished: {:?}", revision.lost_rows());
    }
});
