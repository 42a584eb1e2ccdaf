//! PKCE (RFC 7636) and `state` from caller-supplied random bytes: the core draws none.

use crate::secret::Secret;

/// How many random bytes [`AuthCodeFlow::new`](crate::AuthCodeFlow::new) takes: 64 for the
/// code verifier, then 16 for `state`.
pub const AUTH_CODE_RANDOM_BYTES: usize = 80;

/// The verifier's characters: 64 of RFC 7636's 66 unreserved ones (all but `.` and `~`), so
/// that the low 6 bits of each random byte pick one without bias. 64 characters of 6 bits
/// each hold 384 bits, past the 256 bits RFC 7636 section 7.1 asks for.
const VERIFIER_ALPHABET: &[u8; 64] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// The code verifier for 64 random bytes: 64 characters (the AWS CLI's length).
pub(crate) fn verifier(bytes: &[u8; 64]) -> Secret {
    let chars: String = bytes
        .iter()
        .map(|b| char::from(VERIFIER_ALPHABET[usize::from(b & 63)]))
        .collect();
    Secret::new(chars)
}

/// The S256 code challenge: base64url(SHA-256(verifier)) without padding (RFC 7636 4.2).
pub(crate) fn challenge(verifier: &str) -> String {
    base64url(&hmac_sha256::Hash::hash(verifier.as_bytes()))
}

/// A random (version 4) UUID from 16 random bytes, formatted as the AWS CLI's `uuid.uuid4()`.
pub(crate) fn state(bytes: &[u8; 16]) -> String {
    let mut b = *bytes;
    b[6] = (b[6] & 0x0f) | 0x40; // version 4
    b[8] = (b[8] & 0x3f) | 0x80; // variant 1 (RFC 9562)
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// Whether `a` and `b` are equal, in time that depends on their lengths only: a redirect's
/// `state` is compared without telling a guesser how much of it was right.
pub(crate) fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(diff) == 0
}

/// Base64url without padding (RFC 4648 section 5).
fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_challenge_of_rfc_7636_appendix_b() {
        assert_eq!(
            challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn base64url_of_rfc_4648_vectors() {
        let cases: [(&[u8], &str); 7] = [
            (b"", ""),
            (b"f", "Zg"),
            (b"fo", "Zm8"),
            (b"foo", "Zm9v"),
            (b"foob", "Zm9vYg"),
            (b"fooba", "Zm9vYmE"),
            (b"\xfb\xff\xbf", "-_-_"),
        ];
        for (input, output) in cases {
            assert_eq!(base64url(input), output);
        }
    }

    #[test]
    fn the_verifier_uses_every_byte_without_bias() {
        let bytes: [u8; 64] = std::array::from_fn(|i| (i * 4) as u8 | 0xc0);
        let v = verifier(&bytes);
        assert_eq!(v.expose().len(), 64);
        // The high bits are dropped: byte i and byte i + 64 (mod 256) give the same character.
        assert_eq!(
            v.expose().as_str(),
            String::from_utf8(
                VERIFIER_ALPHABET
                    .iter()
                    .step_by(4)
                    .cycle()
                    .take(64)
                    .copied()
                    .collect()
            )
            .unwrap()
        );
        assert!(
            verifier(&[0xff; 64])
                .expose()
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || b"-._~".contains(&c))
        );
        assert_eq!(challenge(verifier(&[0; 64]).expose()).len(), 43);
    }

    #[test]
    fn state_is_a_version_4_uuid() {
        assert_eq!(state(&[0; 16]), "00000000-0000-4000-8000-000000000000");
        assert_eq!(state(&[0xff; 16]), "ffffffff-ffff-4fff-bfff-ffffffffffff");
    }

    #[test]
    fn same_compares_whole_strings() {
        assert!(same(b"abc", b"abc"));
        assert!(!same(b"abc", b"abd"));
        assert!(!same(b"abc", b"ab"));
        assert!(same(b"", b""));
    }
}
