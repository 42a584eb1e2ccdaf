"""What the AWS CLI prints for a response: its own formatters, run on given documents.

Reads a JSON list of cases from standard input, each
    {"document": <any JSON>, "operation": "StartDeviceAuthorization",
     "format": "json" | "text" | "table", "query": "<JMESPath>" | null, "width": 80}
and writes a JSON list of results, each
    {"stdout": "<what the AWS CLI prints on standard output>",
     "error": "<the message it prints on standard error, exiting 255>" | null}.

This is the `aws` command's path for an operation's output: `--query` compiled as
awscli.customizations.globalargs does, then awscli.formatter's formatter for `--output`, with
`--color off` and a terminal `width` columns wide. Exceptions are reported as
awscli.clidriver's main() reports them. Used by cli-output/tests/matches_aws_cli.rs and by
capture.py.
"""
import argparse
import io
import json
import sys

import jmespath
from awscli import formatter, table


def run(case):
    query = case.get("query")
    compiled = None
    if query is not None:
        try:
            compiled = jmespath.compile(query)
        except Exception as e:
            return {"stdout": "", "error": "Bad value for --query %s: %s" % (query, e)}
    width = case.get("width", 80)
    table.determine_terminal_width = lambda default_width=80: width
    args = argparse.Namespace(query=compiled, color="off", output=case["format"])
    out = io.StringIO()
    try:
        fmt = formatter.get_formatter(case["format"], args)
        fmt(case["operation"], case["document"], stream=out)
    except Exception as e:
        return {"stdout": out.getvalue(), "error": str(e)}
    return {"stdout": out.getvalue(), "error": None}


def main():
    cases = json.load(sys.stdin)
    json.dump([run(case) for case in cases], sys.stdout)


if __name__ == "__main__":
    main()
