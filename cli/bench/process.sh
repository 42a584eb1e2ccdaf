#!/usr/bin/env bash
# One whole `start-device-authorization` process against the local emulator: sso-oidc against
# the AWS CLI, in the same run, median wall time by hyperfine.
#
#   cli/bench/process.sh [AWS]     # AWS: the aws command to compare with (default: aws on PATH)
#
# Needs hyperfine (apt-get install hyperfine) and the AWS CLI (pip install awscli). Only
# loopback is used: the AWS CLI is pointed at the emulator with --endpoint-url, and its config
# sets cli_follow_urlparam = false so that it does not fetch the start URL.
set -euo pipefail
cd "$(dirname "$0")/../.."
AWS=${1:-aws}
command -v hyperfine >/dev/null || { echo "hyperfine is missing: apt-get install hyperfine" >&2; exit 1; }
command -v "$AWS" >/dev/null || { echo "$AWS is missing: pip install awscli" >&2; exit 1; }

cargo build --release -q -p sso-oidc-cli -p sso-oidc-emulator
work=$(mktemp -d)
trap 'kill $emulator 2>/dev/null || true; rm -rf "$work"' EXIT
target/release/sso-oidc-emulator --port 0 --quiet >"$work/url" &
emulator=$!
for _ in $(seq 50); do [ -s "$work/url" ] && break; sleep 0.1; done
url=$(head -n1 "$work/url")

export HOME=$work AWS_CONFIG_FILE=$work/config AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_PAGER=
printf '[default]\ncli_follow_urlparam = false\nregion = us-east-1\n' >"$AWS_CONFIG_FILE"
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE

registration=$(target/release/sso-oidc register-client --client-name bench --client-type public \
    --endpoint-url "$url" --output text --query '[clientId, clientSecret]')
id=$(cut -f1 <<<"$registration")
secret=$(cut -f2 <<<"$registration")
args="start-device-authorization --client-id $id --client-secret $secret \
--start-url https://d-1234567890.awsapps.com/start --endpoint-url $url"

echo "machine: $(nproc) cores, $(uname -sr); $("$AWS" --version 2>&1); $(target/release/sso-oidc --version)"
# -N: no shell in between, so a few-millisecond process is timed as it is.
hyperfine -N --warmup 3 --runs "${RUNS:-30}" --export-markdown "$work/result.md" \
    --export-json "$work/result.json" \
    -n sso-oidc "target/release/sso-oidc $args" \
    -n "aws sso-oidc" "$AWS sso-oidc $args --no-sign-request"
cat "$work/result.md"
python3 - "$work/result.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(f"median {r['command']}: {r['median'] * 1000:.1f} ms")
PY
