//! The environment variables a client reads, from one source a caller can hand in.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

/// A snapshot of environment variables: where a [`ClientBuilder`](crate::ClientBuilder) reads
/// `AWS_CA_BUNDLE`, `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY` (each also in lower
/// case, which wins).
///
/// By default a builder takes [`Environment::from_process`] when it builds. A program that has
/// read its environment once (a command line) hands that in with
/// [`ClientBuilder::environment`](crate::ClientBuilder::environment), so every setting comes
/// from the same snapshot; a test hands in its own variables without touching the process's
/// environment (which other threads read at the same time).
///
/// ```
/// use sso_oidc_transport::Environment;
///
/// let env = Environment::from_iter([("HTTPS_PROXY", "http://proxy:3128"), ("NO_PROXY", "  ")]);
/// assert_eq!(env.get("HTTPS_PROXY"), Some("http://proxy:3128"));
/// assert_eq!(env.get("NO_PROXY"), None, "blank is unset");
/// ```
///
/// Cheap to clone. `Debug` shows the variables' names only: values such as
/// `AWS_SECRET_ACCESS_KEY`'s are secrets.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Environment {
    vars: Arc<BTreeMap<String, String>>,
}

impl Environment {
    /// The process's environment, now. Variables whose name or value is not valid Unicode are
    /// left out.
    pub fn from_process() -> Self {
        std::env::vars_os()
            .filter_map(|(name, value)| Some((name.into_string().ok()?, value.into_string().ok()?)))
            .collect()
    }

    /// A variable's value, trimmed, when it is set and not blank.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars
            .get(name)
            .map(|value| value.trim())
            .filter(|value| !value.is_empty())
    }

    /// The home folder: `HOME`, else `USERPROFILE` (Windows), when set and not blank.
    pub fn home(&self) -> Option<PathBuf> {
        self.get("HOME")
            .or_else(|| self.get("USERPROFILE"))
            .map(PathBuf::from)
    }

    /// `path` with a leading `~` (alone, or before a separator) replaced by the
    /// [home folder](Self::home), as Python's `os.path.expanduser` does for the AWS CLI's
    /// paths; any other path as it is, and this one too when there is no home.
    ///
    /// ```
    /// use sso_oidc_transport::Environment;
    /// use std::path::Path;
    ///
    /// let env = Environment::from_iter([("HOME", "/home/me")]);
    /// assert_eq!(env.expand("~/.aws/config"), Path::new("/home/me/.aws/config"));
    /// assert_eq!(env.expand("~other/config"), Path::new("~other/config"));
    /// ```
    pub fn expand(&self, path: &str) -> PathBuf {
        match (path.strip_prefix('~'), self.home()) {
            (Some(rest), Some(home)) if rest.is_empty() || rest.starts_with(['/', '\\']) => {
                home.join(rest.trim_start_matches(['/', '\\']))
            }
            _ => PathBuf::from(path),
        }
    }

    /// The first of `names` that is set and not blank, with its name.
    pub(crate) fn first<'a>(&self, names: &[&'a str]) -> Option<(&'a str, &str)> {
        names
            .iter()
            .find_map(|&name| self.get(name).map(|value| (name, value)))
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for Environment {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(vars: I) -> Self {
        Self {
            vars: Arc::new(
                vars.into_iter()
                    .map(|(name, value)| (name.into(), value.into()))
                    .collect(),
            ),
        }
    }
}

impl fmt::Debug for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.vars.keys()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_is_unset_and_debug_shows_names_only() {
        let env = Environment::from_iter([("A", " x "), ("B", ""), ("SECRET", "hunter2")]);
        assert_eq!(env.get("A"), Some("x"));
        assert_eq!(env.get("B"), None);
        assert_eq!(env.get("C"), None);
        assert_eq!(env.first(&["B", "C", "A"]), Some(("A", "x")));
        let debug = format!("{env:?}");
        assert!(
            debug.contains("SECRET") && !debug.contains("hunter2"),
            "{debug}"
        );
    }

    #[test]
    fn the_process_environment_is_read() {
        // PATH is set wherever cargo runs tests.
        assert!(Environment::from_process().get("PATH").is_some());
    }
}
