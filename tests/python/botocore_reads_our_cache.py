"""Reads the cache files the Rust test wrote, as botocore and the AWS CLI v2 read them.

Input (stdin, JSON): {"dir", "start_url", "sessions": [...], "record": {...},
"registration_keys": [{"startUrl", "region", "scopes", "session_name"}, ...]}, where the
record's times are seconds from the Unix epoch.

Output (stdout, JSON): what botocore's SSOTokenLoader loaded for each session name and for the
start URL alone (a legacy profile), the record as the AWS CLI v2 would write it, the
registration cache keys as the AWS CLI v2 computes them, and the registration files read back
through botocore's JSONFileCache under those keys.

Exit status 3 when botocore cannot be imported, so the test can tell that from a failure.
"""

import datetime
import hashlib
import json
import sys

try:
    from botocore.utils import JSONFileCache, SSOTokenLoader, parse_timestamp
except ImportError as error:
    print(f"cannot import botocore: {error}", file=sys.stderr)
    sys.exit(3)

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def aws_cli_v2_dumps(obj):
    # awscli's _sso_json_dumps: json.dumps with UTC datetimes as strftime('%Y-%m-%dT%H:%M:%SZ').
    return json.dumps(obj, default=lambda d: d.strftime('%Y-%m-%dT%H:%M:%SZ'))


def registration_cache_key(start_url, region, scopes, session_name):
    # awscli's SSOTokenFetcher._registration_cache_key.
    args = {
        'tool': 'botocore',
        'startUrl': start_url,
        'region': region,
        'scopes': scopes,
        'session_name': session_name,
    }
    cache_args = json.dumps(args, sort_keys=True).encode('utf-8')
    return hashlib.sha1(cache_args).hexdigest()


def loaded(token):
    return {
        'token': token,
        'expiresAt': parse_timestamp(token['expiresAt']).timestamp(),
        'registrationExpiresAt': parse_timestamp(token['registrationExpiresAt']).timestamp(),
    }


def main():
    spec = json.load(sys.stdin)
    cache = JSONFileCache(spec['dir'])
    loader = SSOTokenLoader(cache)

    # Built in the order awscli's SSOTokenFetcher builds it (the input's key order is not kept).
    given = spec['record']
    record = {
        'startUrl': given['startUrl'],
        'region': given['region'],
        'accessToken': given['accessToken'],
        'expiresAt': EPOCH + datetime.timedelta(seconds=given['expiresAt']),
        'clientId': given['clientId'],
        'clientSecret': given['clientSecret'],
        'registrationExpiresAt': EPOCH + datetime.timedelta(seconds=given['registrationExpiresAt']),
        'refreshToken': given['refreshToken'],
    }

    keys = [
        registration_cache_key(a['startUrl'], a['region'], a['scopes'], a['session_name'])
        for a in spec['registration_keys']
    ]
    print(json.dumps({
        'by_session': {
            name: loaded(loader(spec['start_url'], session_name=name)) for name in spec['sessions']
        },
        'by_start_url': loaded(loader(spec['start_url'])),
        'aws_cli_v2_bytes': aws_cli_v2_dumps(record),
        'registration_keys': keys,
        'registrations': [cache[key] if key in cache else None for key in keys],
    }))


main()
