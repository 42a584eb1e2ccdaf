//! One cached sign-in as `sessions` shows it: who it is for, and how long its access token and
//! its refresh are good for; never a token, a client secret or a client id.

use std::time::{Duration, SystemTime};

use sso_oidc::{CachedToken, format_time};
use sso_oidc_cli_output::{Document, Object};

use super::config::Known;

/// One token file's sign-in.
#[derive(Debug)]
pub(super) struct Entry {
    /// The sso-session name, else the start URL: what to sort by.
    pub(super) session: Option<String>,
    /// The region.
    pub(super) region: Option<String>,
    /// The token file's name.
    pub(super) file_name: String,
    document: Object,
}

impl Entry {
    /// The sign-in of the token file `file_name` at `now`, with what the config file says
    /// about it (`known`, when it names the file).
    pub(super) fn new(
        file_name: String,
        token: &CachedToken,
        known: Option<&Known>,
        now: SystemTime,
    ) -> Self {
        let known = known.cloned().unwrap_or_default();
        let start_url = token.start_url.clone().or(known.start_url.clone());
        let session = known
            .cache_key()
            .map(str::to_owned)
            .or_else(|| start_url.clone());
        let region = token.region.clone().or(known.region.clone());
        let refreshable = token.refreshable(now).is_ok();
        let refresh_until = token.registration_expires_at.filter(|_| refreshable);
        let profiles: Vec<Document> = known.profiles.into_iter().map(Document::from).collect();
        let document = Object::new()
            .with("session", nullable(session.clone()))
            .with("startUrl", nullable(start_url))
            .with("region", nullable(region.clone()))
            .with("profiles", profiles)
            .with("expiresAt", format_time(token.expires_at))
            .with("expiresIn", left(token.expires_at, now))
            .with("expired", token.is_expired(now))
            .with("refreshable", refreshable)
            .with("refreshableUntil", nullable(refresh_until.map(format_time)))
            .with(
                "refreshableFor",
                nullable(refresh_until.map(|until| left(until, now))),
            )
            .with("cacheFile", file_name.as_str());
        Self {
            session,
            region,
            file_name,
            document,
        }
    }

    /// What `sessions` prints of it.
    pub(super) fn into_document(self) -> Document {
        Document::from(self.document)
    }
}

fn nullable(value: Option<String>) -> Document {
    value.map_or(Document::Null, Document::from)
}

/// How long from `now` until `at`, for a person: `89d 23h`, `7h 59m`, `14m`, `42s`, rounded
/// down; `expired` once it has passed.
fn left(at: SystemTime, now: SystemTime) -> String {
    match at.duration_since(now) {
        Ok(left) if !left.is_zero() => human(left),
        _ => "expired".to_owned(),
    }
}

fn human(duration: Duration) -> String {
    let seconds = duration.as_secs();
    let (days, hours, minutes) = (
        seconds / 86_400,
        seconds % 86_400 / 3_600,
        seconds % 3_600 / 60,
    );
    if days > 0 {
        format!("{days}d {hours}h")
    } else if hours > 0 {
        format!("{hours}h {minutes}m")
    } else if minutes > 0 {
        format!("{minutes}m")
    } else {
        format!("{seconds}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sso_oidc::Secret;
    use std::time::UNIX_EPOCH;

    fn now() -> SystemTime {
        // 2023-11-14T22:13:20Z
        UNIX_EPOCH + Duration::from_secs(1_700_000_000)
    }

    fn json(entry: Entry) -> serde_json::Value {
        let text = sso_oidc_cli_output::render(
            &entry.into_document(),
            &sso_oidc_cli_output::Options::new(sso_oidc_cli_output::Format::Json, "Sessions"),
        )
        .unwrap();
        serde_json::from_str(&text).unwrap()
    }

    #[test]
    fn durations_for_people() {
        assert_eq!(human(Duration::from_secs(42)), "42s");
        assert_eq!(human(Duration::from_secs(14 * 60 + 59)), "14m");
        assert_eq!(human(Duration::from_secs(8 * 3600 - 1)), "7h 59m");
        assert_eq!(human(Duration::from_secs(90 * 86_400 - 1)), "89d 23h");
        assert_eq!(left(now(), now()), "expired");
        assert_eq!(left(now() - Duration::from_secs(1), now()), "expired");
        assert_eq!(left(now() + Duration::from_millis(500), now()), "0s");
    }

    #[test]
    fn a_refreshable_session_from_the_config_file() {
        let mut token = CachedToken::new(
            Secret::from("the-access-token"),
            now() + Duration::from_secs(3600),
        );
        token.region = Some("us-east-1".into());
        token.client_id = Some("the-client-id".into());
        token.client_secret = Some(Secret::from("the-client-secret"));
        token.registration_expires_at = Some(now() + Duration::from_secs(90 * 86_400));
        token.refresh_token = Some(Secret::from("the-refresh-token"));
        let known = Known {
            sso_session: Some("main".into()),
            start_url: Some("https://d-1.awsapps.com/start".into()),
            region: Some("eu-west-1".into()),
            profiles: ["dev".to_owned(), "ops".to_owned()].into(),
        };
        let entry = Entry::new("f.json".into(), &token, Some(&known), now());
        assert_eq!(entry.session.as_deref(), Some("main"));
        assert_eq!(
            entry.region.as_deref(),
            Some("us-east-1"),
            "the record's first"
        );
        let value = json(entry);
        assert_eq!(
            value,
            serde_json::json!({
                "session": "main",
                "startUrl": "https://d-1.awsapps.com/start",
                "region": "us-east-1",
                "profiles": ["dev", "ops"],
                "expiresAt": "2023-11-14T23:13:20Z",
                "expiresIn": "1h 0m",
                "expired": false,
                "refreshable": true,
                "refreshableUntil": "2024-02-12T22:13:20Z",
                "refreshableFor": "90d 0h",
                "cacheFile": "f.json",
            })
        );
        let text = value.to_string();
        for secret in [
            "the-access-token",
            "the-client-secret",
            "the-refresh-token",
            "the-client-id",
        ] {
            assert!(!text.contains(secret), "{secret}");
        }
    }

    #[test]
    fn an_expired_token_nobody_configured() {
        let mut token = CachedToken::new(Secret::from("a"), now() - Duration::from_secs(60));
        token.start_url = Some("https://d-2.awsapps.com/start".into());
        // Everything a refresh needs but the refresh token.
        token.client_id = Some("c".into());
        token.client_secret = Some(Secret::from("s"));
        token.registration_expires_at = Some(now() + Duration::from_secs(86_400));
        let entry = Entry::new("g.json".into(), &token, None, now());
        assert_eq!(
            entry.session.as_deref(),
            Some("https://d-2.awsapps.com/start")
        );
        assert_eq!(
            json(entry),
            serde_json::json!({
                "session": "https://d-2.awsapps.com/start",
                "startUrl": "https://d-2.awsapps.com/start",
                "region": null,
                "profiles": [],
                "expiresAt": "2023-11-14T22:12:20Z",
                "expiresIn": "expired",
                "expired": true,
                "refreshable": false,
                "refreshableUntil": null,
                "refreshableFor": null,
                "cacheFile": "g.json",
            })
        );
    }
}
