//! The SSO portal's three operations the command line offers, as `aws sso` has them:
//! `ListAccounts` and `ListAccountRoles` (paginated) and `GetRoleCredentials`. Tests check them
//! against the portal's model and paginators (`core/tests/reference/sso/`).

use super::Kind::{Number, String as Text, Structure, Structures};
use super::{Member, OperationSpec, Paginator, member};

const ACCESS_TOKEN: Member = member(
    "accessToken",
    "access-token",
    Text,
    true,
    "The access token from a sign-in [default: the profile's cached token, refreshed when \
     due, as `sso-oidc token` prints it; the AWS CLI requires it].",
);

const NEXT_TOKEN: Member = member(
    "nextToken",
    "next-token",
    Text,
    false,
    "The nextToken of an earlier page; turns automatic pagination off.",
);

const MAX_RESULTS: Member = member(
    "maxResults",
    "max-results",
    Number,
    false,
    "The most items a page may hold; turns automatic pagination off.",
)
.at_least(1);

const ACCOUNT_ID: Member = member(
    "accountId",
    "account-id",
    Text,
    true,
    "The id of the AWS account, e.g. 123456789012.",
);

/// The paginators of `paginators-1.json`: both list operations page the same way.
const fn paginator(result_key: &'static str) -> Option<Paginator> {
    Some(Paginator {
        input_token: "nextToken",
        output_token: "nextToken",
        limit_key: "maxResults",
        result_key,
    })
}

/// `ListAccounts`.
pub(crate) const LIST_ACCOUNTS: OperationSpec = OperationSpec {
    name: "ListAccounts",
    command: "list-accounts",
    input: &[NEXT_TOKEN, MAX_RESULTS, ACCESS_TOKEN],
    output: &[
        member("nextToken", "", Text, false, ""),
        member(
            "accountList",
            "",
            Structures(&[
                member("accountId", "", Text, false, ""),
                member("accountName", "", Text, false, ""),
                member("emailAddress", "", Text, false, ""),
            ]),
            false,
            "",
        ),
    ],
    paginator: paginator("accountList"),
    defaulted: &["accessToken"],
};

/// `ListAccountRoles`.
pub(crate) const LIST_ACCOUNT_ROLES: OperationSpec = OperationSpec {
    name: "ListAccountRoles",
    command: "list-account-roles",
    input: &[NEXT_TOKEN, MAX_RESULTS, ACCESS_TOKEN, ACCOUNT_ID],
    output: &[
        member("nextToken", "", Text, false, ""),
        member(
            "roleList",
            "",
            Structures(&[
                member("roleName", "", Text, false, ""),
                member("accountId", "", Text, false, ""),
            ]),
            false,
            "",
        ),
    ],
    paginator: paginator("roleList"),
    defaulted: &["accessToken"],
};

/// `GetRoleCredentials`.
pub(crate) const GET_ROLE_CREDENTIALS: OperationSpec = OperationSpec {
    name: "GetRoleCredentials",
    command: "get-role-credentials",
    input: &[
        member(
            "roleName",
            "role-name",
            Text,
            true,
            "The name of the role, as list-account-roles lists it.",
        ),
        ACCOUNT_ID,
        ACCESS_TOKEN,
    ],
    output: &[member(
        "roleCredentials",
        "",
        Structure(&[
            member("accessKeyId", "", Text, false, ""),
            member("secretAccessKey", "", Text, false, ""),
            member("sessionToken", "", Text, false, ""),
            member("expiration", "", Number, false, ""),
        ]),
        false,
        "",
    )],
    paginator: None,
    defaulted: &["accessToken"],
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::tests::agrees_with;
    use serde_json::Value;

    const SPECS: [&OperationSpec; 3] = [&LIST_ACCOUNTS, &LIST_ACCOUNT_ROLES, &GET_ROLE_CREDENTIALS];

    #[test]
    fn the_tables_are_the_model() {
        agrees_with(
            include_str!("../../../core/tests/reference/sso/service-2.json"),
            &SPECS,
        );
    }

    #[test]
    fn the_paginators_are_the_model() {
        let paginators: Value = serde_json::from_str(include_str!(
            "../../../core/tests/reference/sso/paginators-1.json"
        ))
        .unwrap();
        let paginators = paginators["pagination"].as_object().unwrap();
        for spec in SPECS {
            let Some(ours) = spec.paginator else {
                assert!(!paginators.contains_key(spec.name), "{}", spec.name);
                continue;
            };
            let theirs = &paginators[spec.name];
            assert_eq!(theirs["input_token"], ours.input_token, "{}", spec.name);
            assert_eq!(theirs["output_token"], ours.output_token, "{}", spec.name);
            assert_eq!(theirs["limit_key"], ours.limit_key, "{}", spec.name);
            assert_eq!(theirs["result_key"], ours.result_key, "{}", spec.name);
            assert_eq!(theirs.as_object().unwrap().len(), 4, "{}", spec.name);
        }
    }

    #[test]
    fn only_required_members_are_defaulted() {
        for spec in SPECS {
            for name in spec.defaulted {
                assert!(spec.input.iter().any(|m| m.name == *name && m.required));
            }
        }
    }
}
