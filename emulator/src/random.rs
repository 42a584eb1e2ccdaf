//! Codes and tokens from a seeded sequence: reproducible in tests, and not for real secrets.

/// RFC 8628 6.1's user-code alphabet: consonants only, so that no code spells a word, and
/// none of the letters people confuse.
const USER_CODE_ALPHABET: &[u8] = b"BCDFGHJKLMNPQRSTVWXZ";

const TOKEN_ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// SplitMix64.
#[derive(Clone, Debug)]
pub(crate) struct Random(u64);

impl Random {
    pub(crate) const fn new(seed: u64) -> Self {
        Self(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn pick(&mut self, alphabet: &[u8]) -> char {
        // The modulo bias over 2^64 is far below anything a test could see.
        char::from(alphabet[(self.next() % alphabet.len() as u64) as usize])
    }

    /// A user code like `GPNW-SHFH`.
    pub(crate) fn user_code(&mut self) -> String {
        let mut code: String = (0..4).map(|_| self.pick(USER_CODE_ALPHABET)).collect();
        code.push('-');
        code.extend((0..4).map(|_| self.pick(USER_CODE_ALPHABET)));
        code
    }

    /// `prefix` and `len` letters and digits.
    pub(crate) fn token(&mut self, prefix: &str, len: usize) -> String {
        let mut token = prefix.to_owned();
        token.extend((0..len).map(|_| self.pick(TOKEN_ALPHABET)));
        token
    }

    /// `prefix` and `len` capital letters and digits, like an access key id.
    pub(crate) fn key_id(&mut self, prefix: &str, len: usize) -> String {
        let mut id = prefix.to_owned();
        id.extend((0..len).map(|_| self.pick(&TOKEN_ALPHABET[..26])));
        id
    }

    /// A request id shaped like the service's (a UUID).
    pub(crate) fn request_id(&mut self) -> String {
        let (a, b) = (self.next(), self.next());
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            0x8000 | (b >> 48) & 0x3fff,
            b & 0xffff_ffff_ffff
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_have_the_services_shape() {
        let mut random = Random::new(1);
        for _ in 0..200 {
            let code = random.user_code();
            assert_eq!(code.len(), 9);
            assert_eq!(&code[4..5], "-");
            assert!(
                code.bytes()
                    .filter(|b| *b != b'-')
                    .all(|b| USER_CODE_ALPHABET.contains(&b)),
                "{code}"
            );
            let id = random.request_id();
            let groups: Vec<usize> = id.split('-').map(str::len).collect();
            assert_eq!(groups, [8, 4, 4, 4, 12], "{id}");
        }
        assert_eq!(
            Random::new(7).token("aoa", 5),
            Random::new(7).token("aoa", 5)
        );
        assert_ne!(Random::new(7).token("", 20), Random::new(8).token("", 20));
    }
}
