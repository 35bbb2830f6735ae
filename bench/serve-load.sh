#!/usr/bin/env bash
# Load test of `./ser4j serve`: starts the service on a free port, drives it at concurrency 1, 8 and 32 (20 s each)
# with good WAVs of 2-6 s (raw and multipart) mixed with malformed, bad-parameter and oversized requests
# (dev.ser4j.bench.ServeLoad, the JDK's HttpClient), prints requests/s, p50/p99 latency, the count of each status,
# the 5xx count and the server's RSS over time, then stops the service with SIGTERM. Run on demand, not in CI.
#
#   bench/serve-load.sh [--model MODEL.safetensors] [--seconds 20] [--concurrency 1,8,32] [--heap 1g] [-- SERVE_OPTIONS...]
#
# --model        the model to serve (default: a seeded, untrained Audio-CNN from `./ser4j grad --init`; the cost of a
#                prediction does not depend on the weights)
# --seconds      how long each concurrency runs
# --concurrency  comma-separated client counts
# --heap         the service's -Xmx (default 1g), so that flat memory is visible against a fixed ceiling
# after --       options for ./ser4j serve (e.g. --instances 4, --max-queue 64)
#
# Exit status: 0 when no response was a 5xx and every request was answered; 1 otherwise; 2 for a usage error.
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
say() { echo "serve-load: $*" >&2; }
die() { say "$*"; exit 2; }
usage() { sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

MODEL=""
SECS=20
LEVELS=1,8,32
HEAP=1g
EXTRA=()
while [ $# -gt 0 ]; do
    case "$1" in
        --model) [ $# -ge 2 ] || die "--model needs a file."; MODEL="$2"; shift ;;
        --seconds) [ $# -ge 2 ] || die "--seconds needs a number."; SECS="$2"; shift ;;
        --concurrency) [ $# -ge 2 ] || die "--concurrency needs a list such as 1,8,32."; LEVELS="$2"; shift ;;
        --heap) [ $# -ge 2 ] || die "--heap needs a size such as 1g."; HEAP="$2"; shift ;;
        -h|--help) usage; exit 0 ;;
        --) shift; EXTRA=("$@"); break ;;
        *) die "unknown option $1 (see bench/serve-load.sh --help)." ;;
    esac
    shift
done

# the JDK the launcher would use (the benchmark jar is built for it): JAVA_HOME when >= 25, else the newest in /usr/lib/jvm
JAVA=""
for cand in "${JAVA_HOME:-}" $(ls -d /usr/lib/jvm/* 2>/dev/null | sort -V -r); do
    [ -n "$cand" ] && [ -x "$cand/bin/java" ] || continue
    v=$("$cand/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9][0-9]*\).*/\1/p' | head -n 1)
    if [ "${v:-0}" -ge 25 ]; then JAVA="$cand/bin/java"; break; fi
done
[ -n "$JAVA" ] || die "no JDK 25 found in JAVA_HOME or /usr/lib/jvm; install one (e.g. Temurin 25)."

WORK="$(mktemp -d)"
PID=""
cleanup() {
    if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then kill -TERM "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

say "building ser4j if needed ..."
"$ROOT/ser4j" --version >&2 || die "ser4j could not be built or started (see the output above)."
if [ -z "$MODEL" ]; then
    MODEL="$WORK/audio-cnn.safetensors"
    "$ROOT/ser4j" grad --init --seed 1 --variant audio-cnn --out "$MODEL" >&2
fi
[ -f "$MODEL" ] || die "no model at $MODEL."

SER4J_JAVA_OPTS="-Xmx$HEAP" "$ROOT/ser4j" serve --model "$MODEL" --port 0 "${EXTRA[@]}" 2>"$WORK/serve.log" &
PID=$!                                        # the launcher execs java: this is the service's own process
for _ in $(seq 1 600); do
    grep -q "on http://" "$WORK/serve.log" 2>/dev/null && break
    kill -0 "$PID" 2>/dev/null || { cat "$WORK/serve.log" >&2; die "the service did not start."; }
    sleep 0.2
done
URL=$(grep -o 'http://[0-9.]*:[0-9]*' "$WORK/serve.log" | head -n 1)
[ -n "$URL" ] || { cat "$WORK/serve.log" >&2; die "the service did not say where it listens."; }
grep -E "serving|warning" "$WORK/serve.log" >&2
MAXBODY=50
for ((i = 0; i < ${#EXTRA[@]}; i++)); do [ "${EXTRA[$i]}" = --max-body-mb ] && MAXBODY="${EXTRA[$((i + 1))]}"; done

set +e
"$JAVA" -cp "$ROOT/bench/target/ser4j-bench.jar:$ROOT/bench/target/lib/*" dev.ser4j.bench.ServeLoad --url "$URL" --pid "$PID" \
    --seconds "$SECS" --concurrency "$LEVELS" --max-body-mb "$MAXBODY"
rc=$?
set -e
kill -TERM "$PID"
wait "$PID" 2>/dev/null || true
PID=""
tail -n 2 "$WORK/serve.log" >&2
exit "$rc"
