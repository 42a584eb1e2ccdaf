//! `configure sso`: what `aws configure sso` does, in its order, with every answer also an
//! option so that a script can run it.
//!
//! 1. [`session`]: the sso-session (reused when the file has it; else its start URL, region
//!    and scopes), or the legacy format.
//! 2. [`token`]: a sign-in, `login`'s own (or a cached token that will do).
//! 3. [`list`] and [`choose`]: the account, then the role, from the portal's lists.
//! 4. The profile's default region, output format and name ([`ask`], checked by [`check`]).
//! 5. [`write`](mod@write): the profile and the session, set in the config file with the
//!    core's editor, which keeps every other byte; then the AWS CLI's closing words.

mod ask;
mod check;
mod choose;
mod list;
#[cfg(test)]
mod script;
mod session;
mod token;
mod write;

use std::io::IsTerminal;

use crate::args::{ConfigureSsoArgs, GlobalArgs};
use crate::context::{Context, Env, read_text, write_text};
use crate::error::CliError;
use crate::terminal::prompt;

use ask::{Asker, Question, Stdio, Terminal, invalid};

/// Runs `configure sso`.
///
/// # Errors
/// A config file that cannot be read, parsed or written; an answer refused or missing; a
/// sign-in that failed; the portal's refusal; the end of the input. Nothing is written then.
pub(crate) fn sso(args: &ConfigureSsoArgs, global: GlobalArgs, env: Env) -> Result<(), CliError> {
    let context = Context::load_to_write(global, env)?;
    check_options(args, &context)?;
    let text = read_text(context.config_path())?;
    let mut stdio = Stdio;
    let terminal = std::io::stdin()
        .is_terminal()
        .then_some(&mut stdio as &mut dyn Terminal);
    let mut asker = Asker::new(terminal);

    let answers = session::ask(&mut asker, args, &text, context.profile())?;
    let token = token::token(args, &context, &answers)?;
    let portal = context.portal_endpoint_in(answers.sign_in.sso_region())?;
    let client = context.portal_client_at(portal)?;
    let mut stdout = std::io::stdout();
    let chosen =
        list::account_and_role(&mut asker, &mut stdout, &client, &token.access_token, args)?;

    let region = asker.ask(
        &Question::optional("Default client Region", "--region", check::region)
            .current(context.setting("region")),
        context.global().region.as_deref(),
    )?;
    let output = asker.ask(
        &Question::optional(
            "CLI default output format (json if not specified)",
            "--output",
            check::output,
        )
        .current(context.setting("output")),
        context.global().output.map(|format| format.as_str()),
    )?;
    let profile = match context.named_profile() {
        Some(name) => name.trim().to_owned(),
        None => {
            let default = chosen
                .as_ref()
                .map(|(account, role)| format!("{role}-{account}"));
            let question = Question::required("Profile name", "--profile", check::profile_name)
                .current(default.as_deref());
            asker.ask(&question, None)?.unwrap_or_default()
        }
    };

    let mut settings = answers.profile.clone();
    if let Some((account, role)) = &chosen {
        settings.push(("sso_account_id", account.clone()));
        settings.push(("sso_role_name", role.clone()));
    }
    settings.extend(region.map(|r| ("region", r)));
    settings.extend(output.map(|o| ("output", o)));
    let changes = write::Changes {
        profile: &profile,
        profile_settings: &settings,
        session: answers
            .sign_in
            .session_name()
            .map(|name| (name, answers.session.as_slice())),
    };
    // Read again: the file may have changed while the questions were answered.
    let text = write::apply(&read_text(context.config_path())?, &changes)?;
    write_text(context.config_path(), &text)?;
    prompt::out(&write::conclusion(&profile, chosen.is_some()));
    Ok(())
}

/// Checks the options that answer questions before anything is asked or signed in to, so a
/// mistyped one costs no sign-in.
fn check_options(args: &ConfigureSsoArgs, context: &Context) -> Result<(), CliError> {
    let global = context.global();
    let options = [
        (
            "--sso-start-url",
            args.sso_start_url.as_deref(),
            check::start_url as fn(&str) -> _,
        ),
        ("--sso-region", args.sso_region.as_deref(), check::region),
        (
            "--sso-registration-scopes",
            args.sso_registration_scopes.as_deref(),
            check::scopes,
        ),
        (
            "--sso-session",
            args.sso_session.as_deref(),
            check::session_name,
        ),
        ("--account-id", args.account_id.as_deref(), check::any),
        ("--role-name", args.role_name.as_deref(), check::any),
        ("--region", global.region.as_deref(), check::region),
    ];
    for (option, value, check) in options {
        if let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) {
            check(value).map_err(|refusal| invalid(option, refusal))?;
        }
    }
    // The profile is not asked for once named, so it cannot be left empty.
    match context.named_profile().map(str::trim) {
        Some("") => Err(invalid("--profile", "A value is required")),
        Some(name) => check::profile_name(name).map_err(|refusal| invalid("--profile", refusal)),
        None => Ok(()),
    }
}
