"""boto3's sso client (the SSO portal) against the emulator: its four operations succeed, its
paginators follow every page, and every modelled error comes back as the modelled exception
class with the model's status.

Reads a JSON spec on stdin: {"main": URL, "throttled": URL}, two emulators that approve each
sign-in at once (the second answers every ListAccounts with TooManyRequestsException). Signs
in with boto3's sso-oidc client, asserts, then prints a JSON report for the Rust test to check
again: {"credentials": ..., "accounts": [...], "account_pages": N, "roles": [...],
"errors": [one object per case]}.
"""

import json
import sys
import time

import boto3
import botocore.exceptions
from botocore.config import Config

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
START_URL = "https://d-1234567890.awsapps.com/start"
DEV = "111122223333"

spec = json.load(sys.stdin)
report = {"errors": []}


def config(**config):
    config.setdefault("retries", {"total_max_attempts": 1})
    # Without validation, boto3 sends what a test asks, so the service's own checks are reached.
    config.setdefault("parameter_validation", False)
    return Config(**config)


def portal(url, **kwargs):
    return boto3.client("sso", region_name="us-east-1", endpoint_url=url, config=config(**kwargs))


def sign_in(url):
    """The access token of a device-flow sign-in at an emulator that approves at once."""
    oidc = boto3.client("sso-oidc", region_name="us-east-1", endpoint_url=url, config=config())
    registered = oidc.register_client(clientName="boto3", clientType="public")
    cid, secret = registered["clientId"], registered["clientSecret"]
    device = oidc.start_device_authorization(clientId=cid, clientSecret=secret, startUrl=START_URL)
    for _ in range(10):
        try:
            token = oidc.create_token(
                clientId=cid, clientSecret=secret, grantType=DEVICE_GRANT,
                deviceCode=device["deviceCode"],
            )
            return token["accessToken"]
        except (oidc.exceptions.AuthorizationPendingException, oidc.exceptions.SlowDownException):
            time.sleep(1.2)
    raise AssertionError("the emulator never approved")


def expect(case, c, exception, call, **kwargs):
    """Calls c.<call>(**kwargs) and requires c.exceptions.<exception> (or, for a shape the
    model does not list, a plain ClientError with that code)."""
    modelled = getattr(c.exceptions, exception, botocore.exceptions.ClientError)
    try:
        getattr(c, call)(**kwargs)
    except modelled as e:
        response = e.response
        if modelled is botocore.exceptions.ClientError:
            assert response["Error"]["Code"] == exception, response
        report["errors"].append(
            {
                "case": case,
                "class": type(e).__name__,
                "code": response["Error"]["Code"],
                "status": response["ResponseMetadata"]["HTTPStatusCode"],
                "message": response["Error"].get("Message"),
                "retry_attempts": response["ResponseMetadata"].get("RetryAttempts"),
            }
        )
        return
    except botocore.exceptions.ClientError as e:
        raise AssertionError(f"{case}: {type(e).__name__} {e.response}, not {exception}")
    raise AssertionError(f"{case}: {call} succeeded, expected {exception}")


main = portal(spec["main"])
token = sign_in(spec["main"])

credentials = main.get_role_credentials(roleName="ReadOnly", accountId=DEV, accessToken=token)
assert credentials["ResponseMetadata"]["HTTPStatusCode"] == 200, credentials
role = credentials["roleCredentials"]
assert sorted(role) == ["accessKeyId", "expiration", "secretAccessKey", "sessionToken"], role
assert isinstance(role["expiration"], int), role
report["credentials"] = {
    "accessKeyId": role["accessKeyId"],
    "secret_length": len(role["secretAccessKey"]),
    "session_token_length": len(role["sessionToken"]),
    "expires_in": role["expiration"] / 1000 - time.time(),
}

pages = list(
    main.get_paginator("list_accounts").paginate(
        accessToken=token, PaginationConfig={"PageSize": 2}
    )
)
report["account_pages"] = len(pages)
report["accounts"] = [a["accountId"] for page in pages for a in page["accountList"]]

role_pages = list(
    main.get_paginator("list_account_roles").paginate(
        accessToken=token, accountId="000000000003", PaginationConfig={"PageSize": 1}
    )
)
report["role_pages"] = len(role_pages)
report["roles"] = [r["roleName"] for page in role_pages for r in page["roleList"]]

expect(
    "unknown_token", main, "UnauthorizedException", "list_accounts",
    accessToken="aoaNotATokenTheEmulatorIssued",
)
expect(
    "unknown_account", main, "ResourceNotFoundException", "list_account_roles",
    accessToken=token, accountId="999999999999",
)
expect("bad_next_token", main, "InvalidRequestException", "list_accounts", accessToken=token, nextToken="bogus")
expect("bad_max_results", main, "InvalidRequestException", "list_accounts", accessToken=token, maxResults=0)
# Not in the model: what the real portal answers for a role the user may not take.
expect(
    "unassigned_role", main, "ForbiddenException", "get_role_credentials",
    roleName="Admin", accountId="000000000001", accessToken=token,
)

logout = main.logout(accessToken=token)
assert logout["ResponseMetadata"]["HTTPStatusCode"] == 200, logout
expect(
    "logged_out", main, "UnauthorizedException", "get_role_credentials",
    roleName="ReadOnly", accountId=DEV, accessToken=token,
)
expect("logged_out_again", main, "UnauthorizedException", "logout", accessToken=token)

throttled_token = sign_in(spec["throttled"])
throttled = portal(spec["throttled"])
expect("throttled", throttled, "TooManyRequestsException", "list_accounts", accessToken=throttled_token)
# With botocore's standard retries: the 429 is retried, three attempts in all.
retrying = portal(spec["throttled"], retries={"mode": "standard", "total_max_attempts": 3})
expect(
    "throttled_retried", retrying, "TooManyRequestsException", "list_accounts",
    accessToken=throttled_token,
)

json.dump(report, sys.stdout)
