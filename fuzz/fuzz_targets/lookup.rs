//! Any string as a spelling: no panic, and a code found is found again by its own name.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(spelling) = std::str::from_utf8(data) {
        if let Some(code) = errcat_codes::lookup(spelling) {
            assert_eq!(errcat_codes::lookup(code.code()), Some(code));
        }
    }
});
