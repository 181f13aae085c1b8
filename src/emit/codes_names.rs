//! How the name table hashes and compares names: one text, compiled into the
//! generator and written into the generated crate as its `names.rs`, so that the
//! two cannot disagree.

/// A hash of the ASCII upper-case bytes, eight at a time: the name table's key,
/// whose top bits pick its bucket.
pub(crate) fn name_hash(name: &str) -> u64 {
    upper_words(name.as_bytes()).fold(name.len() as u64, |hash, word| {
        (hash.rotate_left(26) ^ word).wrapping_mul(0x9e37_79b9_7f4a_7c15)
    })
}

/// The number that `digits` write as a sign-in error's number (`50126` of
/// `AADSTS50126`): decimal digits with no leading zero that fit in 32 bits. Digits a
/// number would not write (`050126`) give none, so that only the name finds a code
/// spelled so.
pub(crate) fn sign_in_number(digits: &str) -> Option<u32> {
    let canonical = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'));
    canonical.then(|| digits.parse().ok()).flatten()
}

/// The sign-in table's key for a sign-in error's number (`50126` of `AADSTS50126`):
/// the number spread over the top bits, which pick its bucket.
pub(crate) fn sign_in_key(number: u32) -> u64 {
    u64::from(number).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// `bytes` upper-cased, as little-endian words, the last padded with zeros.
pub(crate) fn upper_words(bytes: &[u8]) -> impl Iterator<Item = u64> + '_ {
    let chunks = bytes.chunks_exact(8);
    let rest = chunks.remainder().len();
    let last = match bytes.len().checked_sub(8) {
        _ if rest == 0 => None,
        // The last eight bytes, less those already read.
        Some(from) => Some(word(&bytes[from..]) >> (8 * (8 - rest))),
        None => Some(bytes.iter().rev().fold(0, |w, &b| w << 8 | u64::from(b))),
    };
    chunks.map(word).chain(last).map(upper8)
}

/// Eight bytes as a little-endian word.
pub(crate) fn word(bytes: &[u8]) -> u64 {
    let mut word = [0; 8];
    word.copy_from_slice(bytes);
    u64::from_le_bytes(word)
}

/// `to_ascii_uppercase` on eight bytes at once.
pub(crate) fn upper8(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = ONES * 0x80;
    // With each byte's high bit set, subtracting leaves it set where the byte is at
    // least `a`, and where it is past `z`; bytes of 0x80 and up are not letters.
    let from_a = (word | HIGH).wrapping_sub(ONES * 0x61);
    let past_z = (word | HIGH).wrapping_sub(ONES * 0x7b);
    let lower = from_a & !past_z & !word & HIGH;
    word ^ (lower >> 2)
}
