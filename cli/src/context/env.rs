//! The environment, read once.

use std::path::PathBuf;

use sso_oidc_ureq::Environment;

/// The environment, read once at start (tests pass their own): the same snapshot the
/// transport reads its CA bundle and proxies from.
#[derive(Clone, Default)]
pub(crate) struct Env {
    vars: Environment,
}

impl std::fmt::Debug for Env {
    /// The variables' names only: values such as `AWS_SECRET_ACCESS_KEY`'s are secrets.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.vars.fmt(f)
    }
}

impl Env {
    /// The process's environment.
    pub(crate) fn from_process() -> Self {
        Self {
            vars: Environment::from_process(),
        }
    }

    /// An environment with just these variables.
    #[cfg(test)]
    pub(crate) fn of(vars: &[(&str, &str)]) -> Self {
        Self {
            vars: vars.iter().copied().collect(),
        }
    }

    /// A variable's value, when set and not blank.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.vars.get(name)
    }

    /// The snapshot, for the transport.
    pub(crate) fn environment(&self) -> &Environment {
        &self.vars
    }

    /// The home folder (`HOME`, or `USERPROFILE` on Windows).
    pub(crate) fn home(&self) -> Option<PathBuf> {
        self.vars.home()
    }

    /// `path` with a leading `~` replaced by the home folder.
    pub(crate) fn expand(&self, path: &str) -> PathBuf {
        self.vars.expand(path)
    }
}
