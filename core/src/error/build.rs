//! Errors in what the caller asked for, found before anything is sent.

/// The caller gave input that cannot make a valid request: a required member is missing or
/// blank, a URL is malformed, or the endpoint settings contradict each other.
///
/// Member names are the service model's (`clientId`, `startUrl`, ...), which are also the keys
/// in the JSON request body.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// A member the request needs was not set.
    #[error("missing required member `{member}`")]
    MissingMember {
        /// The model's name for the member.
        member: &'static str,
    },
    /// A member was set to an empty or all-white-space value.
    #[error("member `{member}` must not be blank")]
    BlankMember {
        /// The model's name for the member.
        member: &'static str,
    },
    /// A member was set to a value of the wrong form.
    #[error("member `{member}` is invalid: {reason}")]
    InvalidMember {
        /// The model's name for the member.
        member: &'static str,
        /// What was wrong with it.
        reason: &'static str,
    },
    /// Neither a region nor an endpoint URL was given.
    #[error("missing region: set a region such as us-east-1, or an endpoint URL")]
    MissingRegion,
    /// The region cannot stand in a host name.
    #[error(
        "invalid region {region:?}: a region is a DNS label of letters, digits and hyphens, such as us-east-1"
    )]
    InvalidRegion {
        /// The region as given (shortened when very long).
        region: String,
    },
    /// The custom endpoint URL is not an absolute `http` or `https` URL the client can use.
    #[error("invalid endpoint URL: {reason}")]
    InvalidEndpointUrl {
        /// What was wrong with it; the URL itself is not repeated, as it may hold credentials.
        reason: &'static str,
    },
    /// A custom endpoint URL was combined with FIPS, which only resolved endpoints provide.
    #[error("a custom endpoint URL cannot be combined with FIPS")]
    CustomEndpointWithFips,
    /// A custom endpoint URL was combined with dual-stack, which only resolved endpoints provide.
    #[error("a custom endpoint URL cannot be combined with dual-stack")]
    CustomEndpointWithDualStack,
}
