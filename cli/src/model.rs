//! The service model's view of the three operations: each member's name, option, type and
//! whether it is required, in the model's order (the order the AWS CLI prints them in).
//! A test checks this table against `reference/sso-oidc/service-2.json`.

/// A member's type, as far as the command line cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A string.
    String,
    /// A list of strings.
    List,
    /// A whole number (`integer` or `long` in the model).
    Number,
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
};

#[cfg(test)]
mod tests {
    use super::*;
    use indexmap::IndexMap;
    use serde::Deserialize;

    /// The parts of the service model this table mirrors, members in the file's order.
    #[derive(Deserialize)]
    struct Model {
        operations: IndexMap<String, Operation>,
        shapes: IndexMap<String, Shape>,
    }

    #[derive(Deserialize)]
    struct Operation {
        input: Target,
        output: Target,
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

    #[test]
    fn the_table_is_the_model() {
        let model: Model =
            serde_json::from_str(include_str!("../../reference/sso-oidc/service-2.json")).unwrap();
        for spec in [&REGISTER_CLIENT, &START_DEVICE_AUTHORIZATION, &CREATE_TOKEN] {
            let operation = &model.operations[spec.name];
            for (side, target, members) in [
                ("input", &operation.input, spec.input),
                ("output", &operation.output, spec.output),
            ] {
                let shape = &model.shapes[&target.shape];
                let names: Vec<&str> = shape.members.keys().map(String::as_str).collect();
                let ours: Vec<&str> = members.iter().map(|m| m.name).collect();
                assert_eq!(
                    ours, names,
                    "{} {side}: names in the model's order",
                    spec.name
                );
                for member in members {
                    let required = shape.required.iter().any(|r| r == member.name);
                    assert_eq!(member.required, required, "{}", member.name);
                    let kind = match model.shapes[&shape.members[member.name].shape]
                        .kind
                        .as_str()
                    {
                        "string" => Kind::String,
                        "list" => Kind::List,
                        "integer" | "long" => Kind::Number,
                        other => panic!("{}: {other}", member.name),
                    };
                    assert_eq!(member.kind, kind, "{}", member.name);
                    if side == "input" {
                        assert_eq!(member.option, option(member.name));
                    }
                }
            }
        }
    }
}
