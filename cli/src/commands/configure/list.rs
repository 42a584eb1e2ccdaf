//! The portal's lists for the token: every page of the accounts, then of the chosen account's
//! roles, each chosen from as [`choose`] does.

use std::io::Write;

use sso_oidc::Secret;
use sso_oidc::portal::{ErrorCode, ListAccountRoles, ListAccounts};
use sso_oidc_ureq::{Client, Error};

use crate::args::ConfigureSsoArgs;
use crate::commands::configure::ask::Asker;
use crate::commands::configure::choose::{self, Account};
use crate::commands::operation::call::failure;
use crate::error::CliError;

/// What the AWS CLI prints when the portal will not list accounts or roles for the token.
const SKIPPING: &str = "Unable to list AWS accounts and/or roles. Skipping configuring AWS \
    credential provider for profile.\n";

/// The account and role chosen; `None` when the portal refused the token
/// (`UnauthorizedException`) and neither was given as an option: the profile then gets
/// neither, as in the AWS CLI.
///
/// # Errors
/// Any other failure of the portal; a refusal when `--account-id` or `--role-name` was given;
/// what [`choose`] refuses.
pub(crate) fn account_and_role(
    asker: &mut Asker<'_>,
    out: &mut dyn Write,
    client: &Client,
    token: &Secret,
    args: &ConfigureSsoArgs,
) -> Result<Option<(String, String)>, CliError> {
    let given = args.account_id.is_some() || args.role_name.is_some();
    let first = ListAccounts::builder()
        .access_token(token.clone())
        .build()
        .map_err(CliError::failure)?;
    let accounts = match client.list_accounts_all(&first) {
        Ok(accounts) => accounts,
        Err(error) => return refused(out, given, "ListAccounts", error),
    };
    let accounts = accounts
        .into_iter()
        .map(|a| Account {
            id: a.account_id,
            name: a.account_name,
            email: a.email_address,
        })
        .collect();
    let account = choose::account(asker, out, accounts, args.account_id.as_deref())?;
    let first = ListAccountRoles::builder()
        .access_token(token.clone())
        .account_id(account.clone())
        .build()
        .map_err(CliError::failure)?;
    let roles = match client.list_account_roles_all(&first) {
        Ok(roles) => roles,
        Err(error) => return refused(out, given, "ListAccountRoles", error),
    };
    let roles = roles.into_iter().map(|r| r.role_name).collect();
    let role = choose::role(asker, out, &account, roles, args.role_name.as_deref())?;
    Ok(Some((account, role)))
}

/// A listing that failed: skipped, as the AWS CLI skips it, when the portal refused the token
/// and no option asked for an account or a role; else the failure.
fn refused<T>(
    out: &mut dyn Write,
    given: bool,
    operation: &str,
    error: Error,
) -> Result<Option<T>, CliError> {
    if !given && error.portal_code() == Some(ErrorCode::Unauthorized) {
        let _ = out.write_all(SKIPPING.as_bytes());
        Ok(None)
    } else {
        Err(failure(operation, &error))
    }
}
