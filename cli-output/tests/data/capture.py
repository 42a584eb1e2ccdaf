"""Regenerates the golden files under cli-output/tests/data/golden/ with the real AWS CLI.

    python3 cli-output/tests/data/capture.py       (from the workspace root, with awscli importable)

For each document in documents/ (an operation's response, members in the service model's
order, as botocore parses it) and each of its queries below, in the three formats, writes
golden/<document>/<query>.<format> with what `aws sso-oidc <operation> --output <format>
[--query <query>]` prints on standard output, and <...>.<format>.err with what it prints on
standard error when it fails (exit status 255). golden/queries.json names the queries.
cli-output/tests/golden.rs checks render() against these files, without Python.
"""
import json
import os
import shutil

import awscli

from oracle import run

HERE = os.path.dirname(os.path.abspath(__file__))

COMMON = {
    "none": None,
    "identity": "@",
    "missing": "missing",
    "empty-string": "`\"\"`",
    "empty-object": "`{}`",
    "empty-list": "`[]`",
    "zero": "`0`",
    "false": "`false`",
    "values": "*",
    "keys": "keys(@)",
    "to-string": "to_string(@)",
    "literal-object": "`{\"b\": 1, \"a\": [\"x\", 2.5, null, true]}`",
    "bad-incomplete": "[",
    "bad-token": "foo]",
    "bad-lexer": "foo = bar",
}

DOCUMENTS = {
    "start_device_authorization": ("StartDeviceAuthorization", {
        "device-code": "deviceCode",
        "multi-list": "[userCode, interval]",
        "multi-hash": "{b: userCode, a: interval}",
        "multi-hash-nested": "{z: {y: verificationUri, x: expiresIn}, w: [deviceCode]}",
        "list-of-objects": "[{code: userCode, every: interval}, {code: deviceCode, every: expiresIn}]",
        "mixed-list": "[@, deviceCode]",
        "sum": "sum([expiresIn, interval])",
        "avg": "avg([expiresIn, interval])",
        "type-error": "abs(userCode)",
        "unknown-function": "nope(@)",
    }),
    "register_client": ("RegisterClient", {
        "client-id": "clientId",
        "expiry": "{expires: clientSecretExpiresAt, issued: clientIdIssuedAt}",
    }),
    "create_token": ("CreateToken", {
        "access-token": "accessToken",
        "pair": "[accessToken, expiresIn]",
    }),
    "create_token_with_iam": ("CreateTokenWithIAM", {
        "scope": "scope",
        "details": "awsAdditionalDetails",
        "scope-objects": "scope[].{name: @}",
    }),
    "nested": ("Nested", {
        "items": "items",
        "first": "items[0]",
        "filtered": "items[?a == 'y']",
        "lists": "lists",
        "without-lists": "{name: name, items: items, deep: deep, empty: empty, count: count}",
        "merge": "merge(deep, `{\"c\": 3, \"b\": 4}`)",
    }),
    "unicode": ("Unicode", {
        "wide": "wide",
        "pair": "{wide: wide, accents: accents}",
    }),
}

FORMATS = ["json", "text", "table"]


def main():
    golden = os.path.join(HERE, "golden")
    shutil.rmtree(golden, ignore_errors=True)
    os.makedirs(golden)
    queries = {}
    for name, (operation, own) in DOCUMENTS.items():
        with open(os.path.join(HERE, "documents", name + ".json"), encoding="utf-8") as f:
            document_text = f.read()
        os.makedirs(os.path.join(golden, name))
        for slug, query in {**COMMON, **own}.items():
            queries.setdefault(name, {})[slug] = query
            for fmt in FORMATS:
                # A fresh parse each time: the formatters may change what they are given.
                case = {"document": json.loads(document_text), "operation": operation,
                        "format": fmt, "query": query}
                result = run(case)
                path = os.path.join(golden, name, "%s.%s" % (slug, fmt))
                with open(path, "w", encoding="utf-8", newline="") as f:
                    f.write(result["stdout"])
                if result["error"] is not None:
                    with open(path + ".err", "w", encoding="utf-8", newline="") as f:
                        f.write(result["error"])
    with open(os.path.join(golden, "queries.json"), "w", encoding="utf-8") as f:
        json.dump({"awscli": awscli.__version__,
                   "documents": {name: {"operation": DOCUMENTS[name][0], "queries": q}
                                 for name, q in queries.items()}},
                  f, indent=2, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
