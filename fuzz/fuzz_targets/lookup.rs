//! Any string as a spelling: no panic, a code found is found again by its own name,
//! and `lookup` answers with `lookup_all`'s first code.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(spelling) = std::str::from_utf8(data) {
        assert_eq!(
            errcat_codes::lookup_all(spelling).next(),
            errcat_codes::lookup(spelling)
        );
        if let Some(code) = errcat_codes::lookup(spelling) {
            assert_eq!(errcat_codes::lookup(code.code()), Some(code));
        }
    }
});
