"""Reads config files as botocore reads them, and resolves their profiles as botocore's SSO
token and credential providers do.

Input (stdin, JSON): {"dir": a folder to write into, "files": [text, ...]}.

Output (stdout, JSON): for each file, in order, either {"error": "..."} when botocore refuses
to parse it, or {"profiles", "sso_sessions", "services"} (each section's settings, raw values)
and, per profile, "token" (what SSOTokenProvider._load_sso_config gives: a dict, null, or
{"error": ...}) and "credentials" (the same for SSOProvider._load_sso_config).

Exit status 3 when botocore cannot be imported, so the test can tell that from a failure.
"""

import json
import os
import sys

try:
    from botocore import configloader
    from botocore.credentials import SSOProvider
    from botocore.exceptions import BotoCoreError
    from botocore.tokens import SSOTokenProvider
except ImportError as error:
    print(f"cannot import botocore: {error}", file=sys.stderr)
    sys.exit(3)


class Session:
    """What SSOTokenProvider asks of a botocore session."""

    def __init__(self, full_config, profile):
        self.full_config = full_config
        self._profile = profile

    def get_config_variable(self, name):
        return self._profile if name == "profile" else None


def outcome(load):
    try:
        return load()
    except BotoCoreError as error:
        return {"error": str(error)}


def read(path):
    try:
        raw = configloader.raw_config_parse(path, parse_subsections=False)
    except BotoCoreError as error:
        return {"error": str(error)}
    full = configloader.build_profile_map(raw)
    result = {key: full[key] for key in ("profiles", "sso_sessions", "services")}
    result["token"] = {}
    result["credentials"] = {}
    for name in full["profiles"]:
        token = SSOTokenProvider(Session(full, name), cache={}, profile_name=name)
        result["token"][name] = outcome(token._load_sso_config)
        credentials = SSOProvider(
            load_config=lambda: full,
            client_creator=None,
            profile_name=name,
            cache={},
            token_cache={},
        )
        result["credentials"][name] = outcome(credentials._load_sso_config)
    return result


def main():
    spec = json.load(sys.stdin)
    results = []
    for i, text in enumerate(spec["files"]):
        path = os.path.join(spec["dir"], f"config-{i}")
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        results.append(read(path))
    json.dump(results, sys.stdout)


main()
