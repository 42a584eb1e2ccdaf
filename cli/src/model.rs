//! The service models' view of the operations: each member's name, option, type and whether
//! it is required, in the model's order (the order the AWS CLI prints them in). SSO OIDC's
//! three are here, the SSO portal's in [`portal`]. Tests check these tables against
//! `reference/sso-oidc/service-2.json` and `reference/sso/` (paginators included).

mod portal;

pub(crate) use portal::{GET_ROLE_CREDENTIALS, LIST_ACCOUNT_ROLES, LIST_ACCOUNTS};

/// A member's type, as far as the command line cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A string.
    String,
    /// A list of strings.
    List,
    /// A whole number (`integer` or `long` in the model).
    Number,
    /// A structure with these members (outputs only).
    Structure(&'static [Member]),
    /// A list of structures with these members (outputs only).
    Structures(&'static [Member]),
}

/// One member of an input or output shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Member {
    /// The member's name on the wire, e.g. `clientName`.
    pub(crate) name: &'static str,
    /// The command-line option, without `--`, e.g. `client-name`.
    pub(crate) option: &'static str,
    /// Its type.
    pub(crate) kind: Kind,
    /// Whether the input shape requires it.
    pub(crate) required: bool,
    /// The help text.
    pub(crate) help: &'static str,
    /// The smallest value the model allows a number (botocore checks it before sending; a
    /// string's length is not checked).
    pub(crate) min: Option<i64>,
}

/// One operation: its name and its input and output members.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct OperationSpec {
    /// The operation's name in the model, e.g. `RegisterClient` (the table title).
    pub(crate) name: &'static str,
    /// The command, e.g. `register-client`.
    pub(crate) command: &'static str,
    /// The request's members.
    pub(crate) input: &'static [Member],
    /// The response's members.
    pub(crate) output: &'static [Member],
    /// How the AWS CLI pages through the operation (`paginators-1.json`); `None` when it does
    /// not.
    pub(crate) paginator: Option<Paginator>,
    /// Members the model requires that the command line may leave out, because the command
    /// finds them itself (the portal's `accessToken`: the profile's cached token).
    pub(crate) defaulted: &'static [&'static str],
}

impl OperationSpec {
    /// Whether the command line requires `member`: the model requires it, and the command
    /// cannot find it by itself.
    pub(crate) fn requires(&self, member: &Member) -> bool {
        member.required && !self.defaulted.contains(&member.name)
    }
}

/// An operation's paginator, as `paginators-1.json` describes it: the AWS CLI calls the
/// operation again with each page's `output_token` as its `input_token`, and merges the pages'
/// `result_key` lists into one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Paginator {
    /// The request member that asks for the next page, e.g. `nextToken`.
    pub(crate) input_token: &'static str,
    /// The response member that holds the next page's token, e.g. `nextToken`.
    pub(crate) output_token: &'static str,
    /// The request member that sets a page's size (`--page-size`), e.g. `maxResults`.
    pub(crate) limit_key: &'static str,
    /// The response member that holds the page's items, e.g. `accountList`.
    pub(crate) result_key: &'static str,
}

const fn member(
    name: &'static str,
    option: &'static str,
    kind: Kind,
    required: bool,
    help: &'static str,
) -> Member {
    Member {
        name,
        option,
        kind,
        required,
        help,
        min: None,
    }
}

impl Member {
    /// The member with the model's smallest value.
    const fn at_least(self, min: i64) -> Self {
        Self {
            min: Some(min),
            ..self
        }
    }
}

use Kind::{List, Number, String as Text};

/// `RegisterClient`.
pub(crate) const REGISTER_CLIENT: OperationSpec = OperationSpec {
    name: "RegisterClient",
    command: "register-client",
    input: &[
        member(
            "clientName",
            "client-name",
            Text,
            true,
            "The name of the client to register.",
        ),
        member(
            "clientType",
            "client-type",
            Text,
            true,
            "The type of client; the service accepts only `public`.",
        ),
        member(
            "scopes",
            "scopes",
            List,
            false,
            "The scopes the client may ask for.",
        ),
        member(
            "redirectUris",
            "redirect-uris",
            List,
            false,
            "Where the authorization-code grant may redirect to.",
        ),
        member(
            "grantTypes",
            "grant-types",
            List,
            false,
            "The grant types the client may use.",
        ),
        member(
            "issuerUrl",
            "issuer-url",
            Text,
            false,
            "The IAM Identity Center trusted token issuer URL.",
        ),
        member(
            "entitledApplicationArn",
            "entitled-application-arn",
            Text,
            false,
            "The application the client may reach.",
        ),
    ],
    output: &[
        member("clientId", "", Text, false, ""),
        member("clientSecret", "", Text, false, ""),
        member("clientIdIssuedAt", "", Number, false, ""),
        member("clientSecretExpiresAt", "", Number, false, ""),
        member("authorizationEndpoint", "", Text, false, ""),
        member("tokenEndpoint", "", Text, false, ""),
    ],
    paginator: None,
    defaulted: &[],
};

/// `StartDeviceAuthorization`.
pub(crate) const START_DEVICE_AUTHORIZATION: OperationSpec = OperationSpec {
    name: "StartDeviceAuthorization",
    command: "start-device-authorization",
    input: &[
        member(
            "clientId",
            "client-id",
            Text,
            true,
            "The client id from register-client.",
        ),
        member(
            "clientSecret",
            "client-secret",
            Text,
            true,
            "The client secret from register-client.",
        ),
        member(
            "startUrl",
            "start-url",
            Text,
            true,
            "The start URL of the AWS access portal (never fetched).",
        ),
    ],
    output: &[
        member("deviceCode", "", Text, false, ""),
        member("userCode", "", Text, false, ""),
        member("verificationUri", "", Text, false, ""),
        member("verificationUriComplete", "", Text, false, ""),
        member("expiresIn", "", Number, false, ""),
        member("interval", "", Number, false, ""),
    ],
    paginator: None,
    defaulted: &[],
};

/// `CreateToken`.
pub(crate) const CREATE_TOKEN: OperationSpec = OperationSpec {
    name: "CreateToken",
    command: "create-token",
    input: &[
        member(
            "clientId",
            "client-id",
            Text,
            true,
            "The client id from register-client.",
        ),
        member(
            "clientSecret",
            "client-secret",
            Text,
            true,
            "The client secret from register-client.",
        ),
        member(
            "grantType",
            "grant-type",
            Text,
            true,
            "The grant, e.g. urn:ietf:params:oauth:grant-type:device_code or refresh_token.",
        ),
        member(
            "deviceCode",
            "device-code",
            Text,
            false,
            "The device code from start-device-authorization.",
        ),
        member(
            "code",
            "code",
            Text,
            false,
            "The authorization code, for the authorization_code grant.",
        ),
        member(
            "refreshToken",
            "refresh-token",
            Text,
            false,
            "The refresh token, for the refresh_token grant.",
        ),
        member("scope", "scope", List, false, "The scopes to ask for."),
        member(
            "redirectUri",
            "redirect-uri",
            Text,
            false,
            "The redirect URI of the authorization-code grant.",
        ),
        member(
            "codeVerifier",
            "code-verifier",
            Text,
            false,
            "The PKCE code verifier of the authorization-code grant.",
        ),
    ],
    output: &[
        member("accessToken", "", Text, false, ""),
        member("tokenType", "", Text, false, ""),
        member("expiresIn", "", Number, false, ""),
        member("refreshToken", "", Text, false, ""),
        member("idToken", "", Text, false, ""),
    ],
    paginator: None,
    defaulted: &[],
};

#[cfg(test)]
mod tests {
    use super::*;
    use indexmap::IndexMap;
    use serde::Deserialize;

    /// The parts of a service model these tables mirror, members in the file's order.
    #[derive(Deserialize)]
    struct Model {
        operations: IndexMap<String, Operation>,
        shapes: IndexMap<String, Shape>,
    }

    #[derive(Deserialize)]
    struct Operation {
        input: Target,
        /// None for an operation without output (the portal's Logout).
        output: Option<Target>,
    }

    #[derive(Deserialize)]
    struct Target {
        shape: String,
    }

    #[derive(Deserialize)]
    struct Shape {
        #[serde(rename = "type")]
        kind: String,
        #[serde(default)]
        members: IndexMap<String, Target>,
        #[serde(default)]
        required: Vec<String>,
        /// A list's item.
        member: Option<Target>,
        min: Option<i64>,
    }

    /// The option the AWS CLI makes of a member name: `clientName` → `client-name`.
    fn option(name: &str) -> String {
        name.chars().fold(String::new(), |mut out, c| {
            if c.is_ascii_uppercase() {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
            out
        })
    }

    /// Checks that each table has the members of its operation in `model` (a
    /// `service-2.json`), in its order, with their types, nested structures included.
    pub(super) fn agrees_with(model: &str, specs: &[&OperationSpec]) {
        let model: Model = serde_json::from_str(model).unwrap();
        for spec in specs {
            let operation = &model.operations[spec.name];
            let input = &model.shapes[&operation.input.shape];
            same_members(&model, input, spec.input, &format!("{} input", spec.name));
            for member in spec.input {
                assert_eq!(member.option, option(member.name), "{}", member.name);
                let required = input.required.iter().any(|r| r == member.name);
                assert_eq!(member.required, required, "{}", member.name);
            }
            let output = &model.shapes[&operation.output.as_ref().unwrap().shape];
            same_members(
                &model,
                output,
                spec.output,
                &format!("{} output", spec.name),
            );
        }
    }

    fn same_members(model: &Model, shape: &Shape, members: &[Member], what: &str) {
        let names: Vec<&str> = shape.members.keys().map(String::as_str).collect();
        let ours: Vec<&str> = members.iter().map(|m| m.name).collect();
        assert_eq!(ours, names, "{what}: names in the model's order");
        for member in members {
            let target = &model.shapes[&shape.members[member.name].shape];
            let what = format!("{what} {}", member.name);
            if member.kind == Kind::Number {
                assert_eq!(member.min, target.min, "{what}: min");
            }
            match (target.kind.as_str(), member.kind) {
                ("string", Kind::String) | ("integer" | "long", Kind::Number) => {}
                ("list", Kind::List) => {
                    let item = &model.shapes[&target.member.as_ref().unwrap().shape];
                    assert_eq!(item.kind, "string", "{what}");
                }
                ("list", Kind::Structures(fields)) => {
                    let item = &model.shapes[&target.member.as_ref().unwrap().shape];
                    assert_eq!(item.kind, "structure", "{what}");
                    same_members(model, item, fields, &what);
                }
                ("structure", Kind::Structure(fields)) => {
                    same_members(model, target, fields, &what)
                }
                (theirs, ours) => panic!("{what}: {theirs} in the model, {ours:?} here"),
            }
        }
    }

    #[test]
    fn the_tables_are_the_model() {
        agrees_with(
            include_str!("../../reference/sso-oidc/service-2.json"),
            &[&REGISTER_CLIENT, &START_DEVICE_AUTHORIZATION, &CREATE_TOKEN],
        );
    }
}
