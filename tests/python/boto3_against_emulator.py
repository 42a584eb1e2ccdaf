"""boto3's sso-oidc client against the emulator: every error must come back as the modelled
exception class, with the model's status and the emulator's error and error_description.

Reads a JSON spec on stdin: {"main": URL, "expired": URL, "failing": URL}, three emulators
(the second answers expiresIn 0, the third injects InternalServerError on every request).
Asserts, then prints a JSON report: one object per case, for the Rust test to check again.
"""

import json
import sys
import time
import urllib.parse
import urllib.request

import boto3
import botocore.exceptions
from botocore.config import Config

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
REFRESH_GRANT = "refresh_token"
START_URL = "https://d-1234567890.awsapps.com/start"

spec = json.load(sys.stdin)
report = []


def client(url, **config):
    config.setdefault("retries", {"total_max_attempts": 1})
    # Without validation, boto3 sends what a test asks, so the service's own checks are reached.
    config.setdefault("parameter_validation", False)
    return boto3.client(
        "sso-oidc", region_name="us-east-1", endpoint_url=url, config=Config(**config)
    )


def expect(case, c, exception, call, **kwargs):
    """Calls c.<call>(**kwargs) and requires c.exceptions.<exception>."""
    modelled = getattr(c.exceptions, exception)
    try:
        getattr(c, call)(**kwargs)
    except modelled as e:
        response = e.response
        report.append(
            {
                "case": case,
                "class": type(e).__name__,
                "code": response["Error"]["Code"],
                "status": response["ResponseMetadata"]["HTTPStatusCode"],
                "error": response.get("error"),
                "error_description": response.get("error_description"),
                "retry_attempts": response["ResponseMetadata"].get("RetryAttempts"),
            }
        )
        return
    except botocore.exceptions.ClientError as e:
        raise AssertionError(f"{case}: {type(e).__name__} {e.response}, not {exception}")
    raise AssertionError(f"{case}: {call} succeeded, expected {exception}")


def decide(url, user_code, action):
    """Allows or denies on the verification page, as a person would."""
    form = urllib.parse.urlencode({"user_code": user_code, "action": action}).encode()
    with urllib.request.urlopen(url + "/device", data=form) as page:
        assert page.status == 200, page.status


main = client(spec["main"])
registered = main.register_client(clientName="boto3", clientType="public")
cid, secret = registered["clientId"], registered["clientSecret"]
device = main.start_device_authorization(clientId=cid, clientSecret=secret, startUrl=START_URL)
assert device["interval"] == 1 and device["expiresIn"] == 600, device
assert device["verificationUriComplete"].startswith(spec["main"] + "/device?user_code="), device
poll = dict(clientId=cid, clientSecret=secret, grantType=DEVICE_GRANT, deviceCode=device["deviceCode"])

expect("pending", main, "AuthorizationPendingException", "create_token", **poll)
decide(spec["main"], device["userCode"], "approve")
time.sleep(1.2)  # more than the 1 s interval, so that this poll is not too fast
token = main.create_token(**poll)
assert token["tokenType"] == "Bearer" and token["expiresIn"] == 28800, token
expect("used_device_code", main, "InvalidGrantException", "create_token", **poll)

refreshed = main.create_token(
    clientId=cid, clientSecret=secret, grantType=REFRESH_GRANT, refreshToken=token["refreshToken"]
)
assert refreshed["accessToken"] != token["accessToken"]
expect(
    "spent_refresh_token", main, "InvalidGrantException", "create_token",
    clientId=cid, clientSecret=secret, grantType=REFRESH_GRANT, refreshToken=token["refreshToken"],
)

denied = main.start_device_authorization(clientId=cid, clientSecret=secret, startUrl=START_URL)
poll = dict(clientId=cid, clientSecret=secret, grantType=DEVICE_GRANT, deviceCode=denied["deviceCode"])
expect("pending_again", main, "AuthorizationPendingException", "create_token", **poll)
# At once again: sooner than the 1 s interval.
expect("slow_down", main, "SlowDownException", "create_token", **poll)
decide(spec["main"], denied["userCode"], "deny")
expect("denied", main, "AccessDeniedException", "create_token", **poll)
expect(
    "wrong_secret", main, "InvalidClientException", "start_device_authorization",
    clientId=cid, clientSecret="not-the-secret", startUrl=START_URL,
)
expect(
    "missing_member", main, "InvalidRequestException", "start_device_authorization",
    clientId=cid, clientSecret=secret,
)
expect("blank_member", main, "InvalidRequestException", "register_client", clientName="  ", clientType="public")
expect(
    "confidential_client", main, "InvalidClientMetadataException", "register_client",
    clientName="boto3", clientType="confidential",
)
expect(
    "password_grant", main, "UnsupportedGrantTypeException", "create_token",
    clientId=cid, clientSecret=secret, grantType="password",
)

expired = client(spec["expired"])
registered = expired.register_client(clientName="boto3", clientType="public")
cid, secret = registered["clientId"], registered["clientSecret"]
device = expired.start_device_authorization(clientId=cid, clientSecret=secret, startUrl=START_URL)
expect(
    "expired", expired, "ExpiredTokenException", "create_token",
    clientId=cid, clientSecret=secret, grantType=DEVICE_GRANT, deviceCode=device["deviceCode"],
)

# With botocore's standard retries: the 500 is retried, three attempts in all.
failing = client(spec["failing"], retries={"mode": "standard", "total_max_attempts": 3})
expect("internal_server", failing, "InternalServerException", "register_client", clientName="b", clientType="public")

json.dump(report, sys.stdout)
