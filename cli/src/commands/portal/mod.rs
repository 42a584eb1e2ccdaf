//! `list-accounts`, `list-account-roles` and `get-role-credentials`: the SSO portal's
//! operations as `aws sso` has them, options, pagination, output and errors alike, with one
//! extension: without `--access-token`, the profile's cached token is sent (refreshed first
//! when due, as `token` does), so that a signed-in user never handles the token.
//!
//! - [`request`]: the core's requests from the members.
//! - [`paginate`](mod@paginate): the AWS CLI's automatic pagination, `--max-items` and `--starting-token`.
//!
//! The members, skeletons and output shapes are the operation commands' (`operation`), made
//! from the model tables.

mod paginate;
mod request;

use serde_json::{Map, Value};
use sso_oidc::Secret;
use sso_oidc::portal::Endpoint;
use sso_oidc_cli_output::{Document, Format, Object, Query};
use sso_oidc_ureq::Client;

use crate::args::{CacheArgs, Color, GlobalArgs, OperationArgs, SessionArgs, Skeleton};
use crate::commands::operation::{self, call, input};
use crate::commands::token::valid_token;
use crate::context::{Context, Env};
use crate::error::CliError;
use crate::model::{OperationSpec, Paginator};
use crate::terminal::output::render;
use crate::terminal::prompt::err;

use paginate::{Next, Pager, inject};

/// What the AWS CLI prints for a `--max-items` of 0 or less.
const NON_POSITIVE_MAX_ITEMS: &str =
    "warning: Non-positive values for --max-items may result in undefined behavior.\n";

/// A portal command: its skeleton, or its calls, printed in the chosen format.
///
/// # Errors
/// As the AWS CLI fails: bad options or paging options, a `--query` or output format that
/// cannot be used, no region, the service's refusal or no answer; and ours: no
/// `--access-token` and no cached token to send instead.
pub(crate) fn main(
    spec: &'static OperationSpec,
    args: &OperationArgs,
    global: GlobalArgs,
    env: Env,
) -> Result<(), CliError> {
    if args.skeleton == Some(Skeleton::Input) {
        let skeleton = operation::skeleton(spec, Skeleton::Input);
        return render(&skeleton, spec.name, Format::Json, None, Color::Off, &env);
    }
    let query = global
        .query
        .as_deref()
        .map(Query::parse)
        .transpose()
        .map_err(CliError::failure)?;
    let context = Context::load(global, env)?;
    let format = context.output()?;
    let out = Output {
        spec,
        format,
        query: query.as_ref(),
        context: &context,
    };
    if let Some(which) = args.skeleton {
        operation::check(spec, args)?;
        return out.print(&operation::skeleton(spec, which));
    }
    let paginator = paginator(spec, args, context.global().no_paginate)?;
    if args.paging.max_items.is_some_and(|n| n <= 0) {
        err(NON_POSITIVE_MAX_ITEMS);
    }
    let mut members = input::merged(spec, args)?;
    let mut portal = Portal {
        spec,
        endpoint: context.portal_endpoint()?,
        client: context.portal_client()?,
        policy: context.retry_policy()?,
        context: &context,
        token: None,
    };
    match paginator {
        None => {
            let body = portal.call(&mut members)?;
            out.print(&operation::output_members(spec, &body))
        }
        Some(paginator) => paginate(portal, paginator, args, members, &out),
    }
}

/// The paginator to page with: the operation's, unless `--no-paginate`, or the model's own
/// paging members on the command line (`--next-token`, `--max-results`), turn it off.
///
/// # Errors
/// Paging options without pagination, in the AWS CLI's words.
fn paginator(
    spec: &OperationSpec,
    args: &OperationArgs,
    no_paginate: bool,
) -> Result<Option<Paginator>, CliError> {
    let Some(paginator) = spec.paginator else {
        return Ok(None);
    };
    let by_hand = [paginator.input_token, paginator.limit_key]
        .iter()
        .any(|name| args.members.contains_key(*name));
    if !no_paginate && !by_hand {
        return Ok(Some(paginator));
    }
    // As the AWS CLI tests them: a value of 0 or "" counts as not given.
    let paging = &args.paging;
    let given: Vec<&str> = [
        (
            paging
                .starting_token
                .as_deref()
                .is_some_and(|t| !t.is_empty()),
            "--starting-token",
        ),
        (paging.page_size.is_some_and(|n| n != 0), "--page-size"),
        (paging.max_items.is_some_and(|n| n != 0), "--max-items"),
    ]
    .into_iter()
    .filter_map(|(given, name)| given.then_some(name))
    .collect();
    if given.is_empty() {
        Ok(None)
    } else {
        Err(CliError::failure(format!(
            "Error during pagination: Cannot specify --no-paginate along with pagination arguments: {}",
            given.join(", ")
        )))
    }
}

/// Calls every page, and prints them as the AWS CLI does: text a page at a time as they come,
/// json and table all pages merged into one list, once they are all in; `NextToken` last when
/// `--max-items` cut the output short.
fn paginate(
    mut portal: Portal<'_>,
    paginator: Paginator,
    args: &OperationArgs,
    mut members: Map<String, Value>,
    out: &Output<'_>,
) -> Result<(), CliError> {
    let mut pager = Pager::new(paginator, &args.paging)?;
    pager.start(&mut members);
    let key = paginator.result_key;
    let mut merged: Option<Vec<Document>> = None;
    loop {
        let body = portal.call(&mut members)?;
        let page = operation::output_members(portal.spec, &body);
        let items = match &page {
            Document::Object(page) => match page.get(key) {
                Some(Document::Array(items)) => Some(items.clone()),
                _ => None,
            },
            _ => None,
        };
        let next = body.get(paginator.output_token).and_then(Value::as_str);
        let (items, next) = pager.handle(items, next)?;
        if out.format == Format::Text {
            let items = items.map_or(Document::Null, Document::from);
            out.print(&Document::from(Object::new().with(key, items)))?;
        } else if let Some(items) = items {
            merged.get_or_insert_with(Vec::new).extend(items);
        }
        match next {
            Next::Page(token) => inject(&mut members, &token),
            Next::Done => break,
        }
    }
    let resume = pager.resume_token();
    if out.format == Format::Text {
        return match resume {
            Some(token) => out.print(&Document::from(
                Object::new().with("NextToken", Object::new().with("NextToken", token)),
            )),
            None => Ok(()),
        };
    }
    let result = Object::new()
        .with_some(key, merged)
        .with_some("NextToken", resume);
    out.print(&Document::from(result))
}

/// The calls of one command: where they go, and the access token they carry.
struct Portal<'a> {
    spec: &'static OperationSpec,
    endpoint: Endpoint,
    client: Client,
    policy: sso_oidc::RetryPolicy,
    context: &'a Context,
    /// The access token, once known.
    token: Option<Secret>,
}

impl Portal<'_> {
    /// Checks the members as botocore does before each call, then makes it; the response's
    /// members.
    fn call(&mut self, members: &mut Map<String, Value>) -> Result<Map<String, Value>, CliError> {
        input::validate(self.spec, members)?;
        let token = match members.get("accessToken").and_then(Value::as_str) {
            Some(given) => Secret::from(given),
            None => self.cached_token()?,
        };
        let call = request::call(self.spec, members, &token, &self.endpoint, self.policy)?;
        call::run(&self.client, self.spec.name, call)
    }

    /// The profile's cached token, read (and refreshed when due) once per command.
    fn cached_token(&mut self) -> Result<Secret, CliError> {
        if let Some(token) = &self.token {
            return Ok(token.clone());
        }
        let token = valid_token(&SessionArgs::default(), &CacheArgs::default(), self.context)
            .map_err(|error| {
                error.after("Without --access-token, the profile's cached SSO token is sent. ")
            })?
            .access_token;
        self.token = Some(token.clone());
        Ok(token)
    }
}

/// Where and how the output goes.
struct Output<'a> {
    spec: &'static OperationSpec,
    format: Format,
    query: Option<&'a Query>,
    context: &'a Context,
}

impl Output<'_> {
    fn print(&self, document: &Document) -> Result<(), CliError> {
        render(
            document,
            self.spec.name,
            self.format,
            self.query,
            self.context.global().color,
            self.context.env(),
        )
    }
}
