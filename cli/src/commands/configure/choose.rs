//! The account and the role, as `aws configure sso` chooses them from what the portal lists for
//! the token: the only one there is, taken and named; else one from a list, sorted and shown
//! as the AWS CLI shows them (here by number). `--account-id` and `--role-name` choose
//! without asking, among the same lists.
//!
//! What the AWS CLI prints about them goes to stdout, as it does; the list and the question go
//! to the terminal.

use std::io::Write;

use crate::commands::configure::ask::Asker;
use crate::error::CliError;

/// An account as the portal lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Account {
    /// `accountId`.
    pub(crate) id: String,
    /// `accountName`, which the portal may leave out.
    pub(crate) name: Option<String>,
    /// `emailAddress`, which the portal may leave out.
    pub(crate) email: Option<String>,
}

impl Account {
    /// The AWS CLI's `display_account`: `Name, email (id)`, with what is missing left out.
    pub(crate) fn label(&self) -> String {
        match (&self.name, &self.email) {
            (Some(name), Some(email)) => format!("{name}, {email} ({})", self.id),
            (Some(name), None) => format!("{name} ({})", self.id),
            (None, Some(email)) => format!("{email} ({})", self.id),
            (None, None) => self.id.clone(),
        }
    }

    /// The AWS CLI's `get_account_sorting_key`: accounts with a name or an email first, by the
    /// first of name, email and id, in lower case.
    fn sorting_key(&self) -> (bool, String) {
        let only_id = self.name.is_none() && self.email.is_none();
        let first = self
            .name
            .as_deref()
            .or(self.email.as_deref())
            .unwrap_or(&self.id);
        (only_id, first.to_lowercase())
    }
}

/// The account: `given` (one of `accounts`), the only one, or the person's choice.
///
/// # Errors
/// No accounts; `given` not among them; several and no terminal to choose on; the end of the
/// input.
pub(crate) fn account(
    asker: &mut Asker<'_>,
    out: &mut dyn Write,
    mut accounts: Vec<Account>,
    given: Option<&str>,
) -> Result<String, CliError> {
    if accounts.is_empty() {
        return Err(CliError::failure("No AWS accounts are available to you."));
    }
    accounts.sort_by_key(Account::sorting_key);
    let id = if let Some(given) = given.map(str::trim) {
        match accounts.iter().find(|a| a.id == given) {
            Some(account) => account.id.clone(),
            None => {
                return Err(CliError::failure(format!(
                    "The account {given} given with --account-id is not available to you; {}",
                    account_list(&accounts)
                )));
            }
        }
    } else if let [only] = accounts.as_slice() {
        say(
            out,
            &format!("The only AWS account available to you is: {}\n", only.id),
        );
        only.id.clone()
    } else {
        say(
            out,
            &format!(
                "There are {} AWS accounts available to you.\n",
                accounts.len()
            ),
        );
        if !asker.is_terminal() {
            return Err(CliError::failure(format!(
                "No account chosen: standard input is not a terminal, so choose one with \
                 --account-id; {}",
                account_list(&accounts)
            )));
        }
        let labels: Vec<String> = accounts.iter().map(Account::label).collect();
        let ids: Vec<&str> = accounts.iter().map(|a| a.id.as_str()).collect();
        let index = asker.pick("an account", "account ID", &labels, &ids)?;
        accounts[index].id.clone()
    };
    say(out, &format!("Using the account ID {id}\n"));
    Ok(id)
}

/// The role in `account`: `given` (one of `roles`), the only one, or the person's choice.
///
/// # Errors
/// As [`account`], with `--role-name`.
pub(crate) fn role(
    asker: &mut Asker<'_>,
    out: &mut dyn Write,
    account: &str,
    mut roles: Vec<String>,
    given: Option<&str>,
) -> Result<String, CliError> {
    if roles.is_empty() {
        return Err(CliError::failure(format!(
            "No roles are available for the account {account}"
        )));
    }
    roles.sort_by_key(|role| role.to_lowercase());
    let name = if let Some(given) = given.map(str::trim) {
        match roles.iter().find(|role| *role == given) {
            Some(role) => role.clone(),
            None => {
                return Err(CliError::failure(format!(
                    "The role {given} given with --role-name is not available to you in the \
                     account {account}; the roles are: {}",
                    roles.join(", ")
                )));
            }
        }
    } else if let [only] = roles.as_slice() {
        say(out, &format!("The only role available to you is: {only}\n"));
        only.clone()
    } else {
        say(
            out,
            &format!("There are {} roles available to you.\n", roles.len()),
        );
        if !asker.is_terminal() {
            return Err(CliError::failure(format!(
                "No role chosen: standard input is not a terminal, so choose one with \
                 --role-name; the roles are: {}",
                roles.join(", ")
            )));
        }
        let ids: Vec<&str> = roles.iter().map(String::as_str).collect();
        let index = asker.pick("a role", "role name", &roles, &ids)?;
        roles[index].clone()
    };
    say(out, &format!("Using the role name \"{name}\"\n"));
    Ok(name)
}

/// The accounts, for an error that asks for one of them.
fn account_list(accounts: &[Account]) -> String {
    let labels: Vec<String> = accounts.iter().map(Account::label).collect();
    format!("the accounts are: {}", labels.join("; "))
}

/// Writes what the AWS CLI prints; a closed stdout is not worth failing for.
fn say(out: &mut dyn Write, text: &str) {
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::configure::script::Script;

    fn account(id: &str, name: Option<&str>, email: Option<&str>) -> Account {
        Account {
            id: id.into(),
            name: name.map(Into::into),
            email: email.map(Into::into),
        }
    }

    fn text(out: Vec<u8>) -> String {
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn labels_and_order_as_the_aws_cli_shows_them() {
        let mut accounts = [
            account("999", None, None),
            account("333", None, Some("Zed@example.com")),
            account("222", Some("beta"), None),
            account("111", Some("Alpha"), Some("a@example.com")),
        ];
        accounts.sort_by_key(Account::sorting_key);
        let labels: Vec<String> = accounts.iter().map(Account::label).collect();
        assert_eq!(
            labels,
            [
                "Alpha, a@example.com (111)",
                "beta (222)",
                "Zed@example.com (333)",
                "999"
            ]
        );
    }

    #[test]
    fn the_only_account_and_role_are_taken_and_named() {
        let mut out = Vec::new();
        let mut asker = Asker::new(None);
        let accounts = vec![account("111122223333", Some("Dev"), None)];
        let id = super::account(&mut asker, &mut out, accounts, None).unwrap();
        assert_eq!(id, "111122223333");
        let role = role(&mut asker, &mut out, &id, vec!["ReadOnly".into()], None).unwrap();
        assert_eq!(role, "ReadOnly");
        assert_eq!(
            text(out),
            "The only AWS account available to you is: 111122223333\n\
             Using the account ID 111122223333\n\
             The only role available to you is: ReadOnly\n\
             Using the role name \"ReadOnly\"\n"
        );
    }

    #[test]
    fn several_are_listed_sorted_and_picked_by_number() {
        let mut out = Vec::new();
        let mut terminal = Script::new(&["2", "1"]);
        let mut asker = Asker::new(Some(&mut terminal));
        let accounts = vec![
            account("444455556666", Some("Production"), Some("prod@example.com")),
            account("111122223333", Some("Development"), Some("dev@example.com")),
        ];
        let id = super::account(&mut asker, &mut out, accounts, None).unwrap();
        assert_eq!(id, "444455556666", "the second in sorted order");
        let roles = vec!["ReadOnly".into(), "Admin".into()];
        let role = role(&mut asker, &mut out, &id, roles, None).unwrap();
        assert_eq!(role, "Admin", "the first in sorted order");
        assert_eq!(
            text(out),
            "There are 2 AWS accounts available to you.\n\
             Using the account ID 444455556666\n\
             There are 2 roles available to you.\n\
             Using the role name \"Admin\"\n"
        );
        assert_eq!(
            terminal.shown,
            "  1. Development, dev@example.com (111122223333)\n  \
             2. Production, prod@example.com (444455556666)\n\
             Choose an account [1-2]: \
             \x20 1. Admin\n  2. ReadOnly\n\
             Choose a role [1-2]: "
        );
    }

    #[test]
    fn options_choose_among_the_lists() {
        let mut out = Vec::new();
        let mut asker = Asker::new(None);
        let accounts = vec![
            account("111122223333", Some("Development"), None),
            account("444455556666", Some("Production"), None),
        ];
        let id = super::account(&mut asker, &mut out, accounts.clone(), Some("444455556666"));
        assert_eq!(id.unwrap(), "444455556666");
        let error = super::account(&mut asker, &mut out, accounts.clone(), Some("000000000000"))
            .unwrap_err();
        assert_eq!(
            error.message(),
            "The account 000000000000 given with --account-id is not available to you; the \
             accounts are: Development (111122223333); Production (444455556666)"
        );
        let error = super::account(&mut asker, &mut out, accounts, None).unwrap_err();
        assert!(
            error.message().starts_with(
                "No account chosen: standard input is not a terminal, so choose one with --account-id"
            ),
            "{}",
            error.message()
        );
        let roles = || vec!["ReadOnly".to_owned(), "Admin".to_owned()];
        assert_eq!(
            role(&mut asker, &mut out, "1", roles(), Some("Admin")).unwrap(),
            "Admin"
        );
        let error = role(&mut asker, &mut out, "1", roles(), Some("admin")).unwrap_err();
        assert!(error.message().contains("the roles are: Admin, ReadOnly"));
        let error = role(&mut asker, &mut out, "1", roles(), None).unwrap_err();
        assert!(
            error.message().contains("--role-name"),
            "{}",
            error.message()
        );
        let error = role(&mut asker, &mut out, "1", Vec::new(), None).unwrap_err();
        assert_eq!(error.message(), "No roles are available for the account 1");
        let error = super::account(&mut asker, &mut out, Vec::new(), None).unwrap_err();
        assert_eq!(error.message(), "No AWS accounts are available to you.");
    }
}
