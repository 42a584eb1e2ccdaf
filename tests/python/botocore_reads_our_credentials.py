"""Gets credentials for SSO profiles with botocore's own SSO credential provider, given the
role-credential cache folder the Rust test wrote (as the AWS CLI v2 gives it
`~/.aws/cli/cache`), and with the portal out of reach: a cache hit is the only way to succeed.

Input (stdin, JSON): {"config_file", "cache_dir", "profiles": [...]}.

Output (stdout, JSON): for each profile, the credentials botocore resolved (access key,
secret key, token, expiry as seconds from the Unix epoch, account id) or the error it raised;
and the file names botocore's SSOCredentialFetcher would use for each profile's cache key.

Exit status 3 when botocore cannot be imported, so the test can tell that from a failure.
"""

import json
import os
import sys

try:
    import botocore.session
    from botocore.utils import JSONFileCache
except ImportError as error:
    print(f"cannot import botocore: {error}", file=sys.stderr)
    sys.exit(3)


def main():
    spec = json.load(sys.stdin)
    os.environ['AWS_CONFIG_FILE'] = spec['config_file']
    # Should botocore miss the cache, it would call the portal: here a closed loopback port.
    os.environ['AWS_ENDPOINT_URL_SSO'] = 'http://127.0.0.1:9'
    os.environ['AWS_ENDPOINT_URL_SSO_OIDC'] = 'http://127.0.0.1:9'
    os.environ['AWS_MAX_ATTEMPTS'] = '1'
    result = {}
    for profile in spec['profiles']:
        session = botocore.session.Session(profile=profile)
        chain = session.get_component('credential_provider')
        provider = chain.get_provider('sso')
        # What awscli.customizations.sso.inject_json_file_cache does for the AWS CLI v2.
        provider.cache = JSONFileCache(spec['cache_dir'])
        try:
            credentials = provider.load()
            frozen = credentials.get_frozen_credentials()
            result[profile] = {
                'access_key': frozen.access_key,
                'secret_key': frozen.secret_key,
                'token': frozen.token,
                'expiry': credentials._expiry_time.timestamp(),
                'account_id': getattr(frozen, 'account_id', None),
                'method': credentials.method,
            }
        except Exception as error:  # reported to the test, which names it
            result[profile] = {'error': f'{type(error).__name__}: {error}'}
    print(json.dumps(result))


main()
