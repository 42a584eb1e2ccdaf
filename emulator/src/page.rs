//! The pages a person sees: the verification page, where a person sees the user code and
//! allows or denies access, like the IAM Identity Center portal's device page; and the index
//! at `/`, which says what this is.

use sso_oidc::Operation;

/// The page's look: small, readable, no scripts and nothing fetched from elsewhere.
const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:0;background:#f2f3f3;color:#16191f}\
main{max-width:28rem;margin:4rem auto;padding:2rem;background:#fff;border-radius:8px;\
box-shadow:0 1px 4px rgba(0,0,0,.15)}h1{font-size:1.4rem;margin-top:0}\
.code{font:700 2rem ui-monospace,monospace;letter-spacing:.15em;text-align:center;\
padding:.75rem;border:1px dashed #879596;border-radius:4px}\
button{font-size:1rem;padding:.6rem 1.2rem;margin:.5rem .5rem 0 0;border-radius:4px;\
border:1px solid #545b64;background:#fff;cursor:pointer}\
button.primary{background:#ec7211;border-color:#ec7211;color:#fff}\
input{font:1.2rem ui-monospace,monospace;padding:.4rem;width:10rem;text-transform:uppercase}\
.note{color:#545b64;font-size:.9rem}h2{font-size:1.05rem;margin:1.5rem 0 .5rem}\
ul{padding-left:1.2rem}code,pre{font-family:ui-monospace,monospace;font-size:.85rem}\
pre{background:#f2f3f3;padding:.5rem;border-radius:4px;overflow-x:auto}";

/// The start URL the index's example signs in to: made up, under `.invalid` (RFC 2606), as
/// `sso-oidc login --emulator`'s.
const EXAMPLE_START_URL: &str = "https://emulator.invalid/start";

/// A whole page with this title and body.
fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title} - SSO OIDC emulator</title>\n<style>{STYLE}</style>\n</head>\n\
         <body>\n<main>\n<h1 id=\"title\">{title}</h1>\n{body}\n\
         <p class=\"note\">A local emulator of AWS IAM Identity Center sign-in, for tests and demos.</p>\n\
         </main>\n</body>\n</html>\n",
        title = escape(title),
    )
}

/// The index at `/`: what this is, its pages, the operations it answers, and how to point a
/// client at `base_url`.
pub(crate) fn index(base_url: &str) -> String {
    let base = escape(base_url);
    let operations: String = Operation::ALL
        .iter()
        .map(|op| {
            format!(
                "<li><code>POST {}</code>: {}</li>\n",
                escape(op.path()),
                escape(op.name())
            )
        })
        .collect();
    let portal: String = Operation::PORTAL
        .iter()
        .map(|op| {
            format!(
                "<li><code>{} {}</code>: {}</li>\n",
                op.method(),
                escape(op.path()),
                escape(op.name())
            )
        })
        .collect();
    let https = if base_url.starts_with("https:") {
        "<p>It serves HTTPS with a test CA of its own: give clients the CA file it wrote, \
         too (<code>--ca-bundle FILE</code>).</p>\n"
    } else {
        ""
    };
    page(
        "A local SSO OIDC service",
        &format!(
            "<p>A local emulator of AWS IAM Identity Center's SSO OIDC service, for tests and \
             demos. It is not AWS: no account is involved, and nothing it issues works \
             anywhere else.</p>\n\
             <h2>Pages</h2>\n<ul>\n<li><a id=\"device\" href=\"/device\">Verification page</a>: \
             enter the code a device shows, then allow or deny its sign-in.</li>\n</ul>\n\
             <h2>Operations</h2>\n<ul id=\"operations\">\n{operations}\
             <li><code>GET /authorize</code>: the authorization-code grant's approval page \
             (with PKCE; the query the AWS CLI sends)</li>\n</ul>\n\
             <h2>SSO portal</h2>\n<p>The portal's operations answer on the same port, for \
             the access tokens issued here (header <code>x-amz-sso_bearer_token</code>):</p>\n\
             <ul id=\"portal\">\n{portal}</ul>\n\
             <h2>Use it</h2>\n<p>Give a client <code id=\"endpoint\">{base}</code> as its \
             endpoint (<code>--endpoint-url</code>), with any region:</p>\n\
             <pre>aws sso-oidc register-client --client-name demo --client-type public \\\n    \
             --endpoint-url {base} --region us-east-1</pre>\n\
             <pre>sso-oidc login --start-url {EXAMPLE_START_URL} --region us-east-1 \\\n    \
             --endpoint-url {base} --cache-dir /tmp/sso-oidc-demo</pre>\n{https}"
        ),
    )
}

/// Asks for a user code; `problem` says what was wrong with the last one.
pub(crate) fn enter_code(problem: Option<&str>) -> String {
    let problem = problem.map_or_else(String::new, |p| {
        format!("<p id=\"message\" role=\"alert\">{}</p>\n", escape(p))
    });
    page(
        "Authorize request",
        &format!(
            "{problem}<p>Enter the code shown on your device.</p>\n\
             <form method=\"get\" action=\"/device\">\n\
             <input id=\"user_code\" name=\"user_code\" autocomplete=\"off\" autofocus \
             placeholder=\"XXXX-XXXX\">\n\
             <button class=\"primary\" type=\"submit\" id=\"next\">Next</button>\n</form>"
        ),
    )
}

/// Shows the code of a pending authorization with buttons to allow or deny it.
pub(crate) fn confirm(user_code: &str, start_url: &str) -> String {
    let code = escape(user_code);
    page(
        "Authorize request",
        &format!(
            "<p>A device is asking to sign in to <b id=\"start_url\">{start_url}</b>. \
             Allow it only if this code matches the one on your device.</p>\n\
             <p class=\"code\" id=\"user-code\">{code}</p>\n\
             <form method=\"post\" action=\"/device\">\n\
             <input type=\"hidden\" name=\"user_code\" value=\"{code}\">\n\
             <button class=\"primary\" type=\"submit\" name=\"action\" value=\"approve\" \
             id=\"approve\">Allow access</button>\n\
             <button type=\"submit\" name=\"action\" value=\"deny\" id=\"deny\">Deny access</button>\n\
             </form>",
            start_url = escape(start_url),
        ),
    )
}

/// An application's authorization request (`GET /authorize`): who asks, for what, with
/// buttons to allow or deny it. `request` is the id the form sends back.
pub(crate) fn approve(
    request: &str,
    client_name: &str,
    scopes: &[String],
    start_url: Option<&str>,
) -> String {
    let scopes: String = scopes
        .iter()
        .map(|scope| format!("<li><code>{}</code></li>\n", escape(scope)))
        .collect();
    let scopes = if scopes.is_empty() {
        "<p id=\"scopes\">No scopes.</p>\n".to_owned()
    } else {
        format!("<p>It asks for these scopes:</p>\n<ul id=\"scopes\">\n{scopes}</ul>\n")
    };
    let start_url = start_url.map_or_else(String::new, |url| {
        format!(
            "<p>Start URL: <b id=\"start_url\">{}</b></p>\n",
            escape(url)
        )
    });
    page(
        "Authorize request",
        &format!(
            "<p>The application <b id=\"client_name\">{client}</b> is asking to sign in. \
             Allow it only if you started this sign-in.</p>\n{start_url}{scopes}\
             <form method=\"post\" action=\"/authorize\">\n\
             <input type=\"hidden\" name=\"request\" value=\"{request}\">\n\
             <button class=\"primary\" type=\"submit\" name=\"action\" value=\"approve\" \
             id=\"approve\">Allow access</button>\n\
             <button type=\"submit\" name=\"action\" value=\"deny\" id=\"deny\">Deny access</button>\n\
             </form>",
            client = escape(client_name),
            request = escape(request),
        ),
    )
}

/// Says how it ended: `title` and a sentence.
pub(crate) fn outcome(title: &str, message: &str) -> String {
    page(title, &format!("<p id=\"message\">{}</p>", escape(message)))
}

/// `text` with HTML's special characters escaped, for element text and quoted attributes.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_links_the_verification_page_and_names_the_endpoint() {
        let html = index("http://127.0.0.1:8080");
        assert!(
            html.contains("<a id=\"device\" href=\"/device\">"),
            "{html}"
        );
        assert!(html.contains("<code>POST /client/register</code>: RegisterClient"));
        assert!(html.contains("<code>POST /device_authorization</code>: StartDeviceAuthorization"));
        assert!(html.contains("<code>POST /token</code>: CreateToken"));
        assert!(html.contains("--endpoint-url http://127.0.0.1:8080 --region us-east-1"));
        assert!(html.contains("It is not AWS"));
        assert!(!html.contains("--ca-bundle"));
        assert!(index("https://127.0.0.1:8443").contains("--ca-bundle FILE"));
    }

    #[test]
    fn text_from_the_request_cannot_become_markup() {
        let html = enter_code(Some("no code <script>alert('x')</script> & \"more\""));
        assert!(html.contains(
            "no code &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;more&quot;"
        ));
        assert!(!html.contains("<script>"));
        let html = confirm("AB\"CD", "https://x/<start>");
        assert!(html.contains("value=\"AB&quot;CD\""));
        assert!(html.contains("https://x/&lt;start&gt;"));
        let html = approve(
            "id\"",
            "<b>me</b>",
            &["a<b".to_owned()],
            Some("https://x/<start>"),
        );
        assert!(html.contains("value=\"id&quot;\""));
        assert!(html.contains("&lt;b&gt;me&lt;/b&gt;"));
        assert!(html.contains("<code>a&lt;b</code>"));
        assert!(html.contains("https://x/&lt;start&gt;"));
    }
}
