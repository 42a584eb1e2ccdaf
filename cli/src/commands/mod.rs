//! The commands, one module each.
//!
//! - [`operation`]: `register-client`, `start-device-authorization` and `create-token`, as
//!   `aws sso-oidc` has them.
//! - [`portal`]: `list-accounts`, `list-account-roles` and `get-role-credentials`, as `aws
//!   sso` has them.
//! - [`login`]: the device flow, and the cache files it writes on success only.
//! - [`token`], [`logout`], [`sessions`]: reading and refreshing a cached token, signing out,
//!   and listing the cached sign-ins; [`token_files`]: the token files they find.
//! - [`export_credentials`]: a profile's role credentials, for `credential_process` or a
//!   shell.
//! - [`emulator`]: the local service behind `login --emulator` and `emulator`.
//! - [`configure`]: `configure sso`, a profile and its sso-session written to the config file.

pub(crate) mod configure;
pub(crate) mod emulator;
pub(crate) mod export_credentials;
pub(crate) mod login;
pub(crate) mod logout;
pub(crate) mod operation;
pub(crate) mod portal;
pub(crate) mod sessions;
pub(crate) mod token;
pub(crate) mod token_files;
