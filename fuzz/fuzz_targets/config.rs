#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| sso_oidc_tests::fuzz::config(data));
