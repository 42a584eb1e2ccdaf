#!/usr/bin/env bash
# Whole `sso-oidc` processes, median wall time by hyperfine, each against `sso-oidc --version`:
#
#   version     sso-oidc --version: start-up and exit, the floor for every other row
#   token       sso-oidc token --sso-session bench, with a valid cached token (8 h left, so
#               no refresh and no request)
#   sda http    sso-oidc start-device-authorization against the local emulator over http
#   sda https   the same against a second emulator over HTTPS (its test CA via --ca-bundle)
#   aws sda     aws sso-oidc start-device-authorization against the http emulator, if there is
#               an AWS CLI (the command given, else `aws` on PATH; skipped without one)
#   export      sso-oidc export-credentials --profile bench, served from the credential cache
#               (~/.aws/cli/cache, filled once before the runs: no request)
#   boto proc   botocore resolving a profile whose credential_process is that command
#   boto sso    botocore's own SSO credential provider for the same profile (it caches in
#               memory only, so every process calls GetRoleCredentials at the http emulator)
#               The two botocore rows need a Python with botocore: $PYTHON, else python3;
#               skipped without one.
#
#   cli/bench/process.sh [AWS]     # ROUNDS=5 rounds of RUNS=30 runs by default
#
# Needs hyperfine (apt-get install hyperfine); the AWS CLI row needs the AWS CLI (pip install
# awscli). Only loopback is used: every endpoint is one of the two emulators, the AWS CLI is
# pointed at the http one with --endpoint-url, and its config sets cli_follow_urlparam = false
# so that it does not fetch the start URL. `token` is also pointed at the HTTPS emulator (it
# sends nothing with a valid token; if it ever did, the request would stay on loopback, and
# the script fails if the cached token changed). The platform's CA store is found as it is by
# default: SSL_CERT_FILE and SSL_CERT_DIR are unset.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v hyperfine >/dev/null || { echo "hyperfine is missing: apt-get install hyperfine" >&2; exit 1; }
if [ $# -gt 0 ]; then
    AWS=$1
    command -v "$AWS" >/dev/null || { echo "$AWS is missing: pip install awscli" >&2; exit 1; }
elif command -v aws >/dev/null; then
    AWS=aws
else
    AWS=
    echo "no aws on PATH: skipping the AWS CLI row (give one: cli/bench/process.sh /path/to/aws)" >&2
fi

cargo build --release -q -p sso-oidc-cli -p sso-oidc-emulator
bin=target/release/sso-oidc
work=$(mktemp -d)
emulators=()
trap 'kill "${emulators[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT
# An emulator in the background (not in a subshell, so that the trap can stop it); its URL
# (the first line of its stdout) in $work/$1.url.
start_emulator() {
    local name=$1
    shift
    target/release/sso-oidc-emulator --port 0 --quiet "$@" >"$work/$name.url" &
    emulators+=($!)
    for _ in $(seq 50); do [ -s "$work/$name.url" ] && break; sleep 0.1; done
}
# Approves each sign-in at the first poll, for the `login` that fills the token cache.
start_emulator http --approve-after-polls 0
start_emulator https --tls "$work/ca.pem"
url=$(head -n1 "$work/http.url")
tls_url=$(head -n1 "$work/https.url")
case "$url $tls_url" in
    http://127.0.0.1:*" https://127.0.0.1:"*) ;;
    *) echo "unexpected emulator URLs: $url $tls_url" >&2; exit 1 ;;
esac

export HOME=$work AWS_CONFIG_FILE=$work/config AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_PAGER=
start_url=https://d-1234567890.awsapps.com/start
printf '[default]\ncli_follow_urlparam = false\nregion = us-east-1\n\n[sso-session bench]\nsso_start_url = %s\nsso_region = us-east-1\n' \
    "$start_url" >"$AWS_CONFIG_FILE"
printf '\n[profile bench]\nsso_session = bench\nsso_account_id = 111122223333\nsso_role_name = ReadOnly\n' \
    >>"$AWS_CONFIG_FILE"
printf '\n[profile process]\ncredential_process = %s export-credentials --profile bench\n' \
    "$PWD/$bin" >>"$AWS_CONFIG_FILE"
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE AWS_CA_BUNDLE \
    AWS_ENDPOINT_URL AWS_ENDPOINT_URL_SSO_OIDC HTTPS_PROXY https_proxy HTTP_PROXY http_proxy \
    ALL_PROXY all_proxy SSL_CERT_FILE SSL_CERT_DIR

# The token cache, as a real sign-in writes it: ~/.aws/sso/cache under the temporary HOME,
# a token that lives 8 hours (the emulator's default).
"$bin" login --sso-session bench --endpoint-url "$url" --no-browser --use-device-code >"$work/login.out" 2>&1 \
    || { cat "$work/login.out" >&2; exit 1; }
token_file=$work/.aws/sso/cache/$(printf %s bench | sha1sum | cut -d' ' -f1).json
[ -s "$token_file" ] || { echo "login wrote no $token_file" >&2; exit 1; }
token_args="token --sso-session bench --endpoint-url $tls_url"
# The cached token as it is before the runs: a refresh would rewrite it.
"$bin" $token_args >"$work/token.out" 2>"$work/token.err"
[ ! -s "$work/token.err" ] || { cat "$work/token.err" >&2; exit 1; }
cp "$token_file" "$work/token.before"
# The portal is the http emulator for every process below (the credential cache is filled
# once here; the botocore SSO row asks it each time).
export AWS_ENDPOINT_URL_SSO=$url
"$bin" export-credentials --profile bench >"$work/export.out" 2>&1 \
    || { cat "$work/export.out" >&2; exit 1; }
credentials_file=$(ls "$work"/.aws/cli/cache/*.json)
cp "$credentials_file" "$work/credentials.before"
python=${PYTHON:-python3}
if ! "$python" -c 'import botocore' 2>/dev/null; then
    echo "no botocore for $python: skipping the botocore rows (give one: PYTHON=... $0)" >&2
    python=
fi

# One client registration on each emulator.
register() {
    "$bin" register-client --client-name bench --client-type public "$@" \
        --output text --query '[clientId, clientSecret]'
}
sda() {
    local registration
    registration=$(register "$@")
    echo "start-device-authorization --client-id $(cut -f1 <<<"$registration") \
--client-secret $(cut -f2 <<<"$registration") --start-url $start_url $*"
}
http_args=$(sda --endpoint-url "$url")
https_args=$(sda --endpoint-url "$tls_url" --ca-bundle "$work/ca.pem")

commands=(-n "version" "$bin --version"
    -n "token" "$bin $token_args"
    -n "sda http" "$bin $http_args"
    -n "sda https" "$bin $https_args")
if [ -n "$AWS" ]; then
    commands+=(-n "aws sda" "$AWS sso-oidc $http_args --no-sign-request")
fi
commands+=(-n "export" "$bin export-credentials --profile bench")
if [ -n "$python" ]; then
    boto="import botocore.session as s; s.Session(profile='%s').get_credentials().get_frozen_credentials()"
    # shellcheck disable=SC2059
    commands+=(-n "boto proc" "$python -c \"$(printf "$boto" process)\""
        -n "boto sso" "$python -c \"$(printf "$boto" bench)\"")
fi

echo "machine: $(nproc) cores, $(uname -sr); $($bin --version)${AWS:+; $("$AWS" --version 2>&1)}"
echo "load average before: $(cat /proc/loadavg)"
# ROUNDS rounds of RUNS runs each: the machine's speed drifts (a VM's steal time), and a ratio
# taken within one round is steadier than one between medians taken minutes apart.
rounds=${ROUNDS:-5}
for round in $(seq "$rounds"); do
    # -N: no shell in between, so a few-millisecond process is timed as it is.
    hyperfine -N --warmup 3 --runs "${RUNS:-30}" --style none \
        --export-json "$work/result-$round.json" "${commands[@]}" >/dev/null
done
echo "load average after: $(cat /proc/loadavg)"
cmp -s "$token_file" "$work/token.before" \
    || { echo "the cached token changed during the runs: token refreshed it" >&2; exit 1; }
cmp -s "$credentials_file" "$work/credentials.before" \
    || { echo "the cached credentials changed during the runs: export fetched new ones" >&2; exit 1; }

echo
python3 - "$work"/result-*.json <<'PY'
import json, statistics, sys
rounds = [json.load(open(path))["results"] for path in sys.argv[1:]]
names = [r["command"] for r in rounds[0]]
print(f"{len(rounds)} rounds of {len(rounds[0][0]['times'])} runs; per round, the median of each")
print("process and its ratio to --version's median; below, the median over the rounds.")
print()
print("| process | median (ms) | × --version | rounds (ms) |")
print("| --- | ---: | ---: | --- |")
for i, name in enumerate(names):
    medians = [r[i]["median"] * 1000 for r in rounds]
    ratios = [r[i]["median"] / r[0]["median"] for r in rounds]
    spread = " ".join(f"{m:.1f}" for m in medians)
    print(f"| {name} | {statistics.median(medians):.1f} | {statistics.median(ratios):.2f} | {spread} |")
PY
