#!/usr/bin/env bash
# Side by side: `./ser4j bench --json`, then the same workloads through Debian's PyTorch (bench/pytorch_bench.py),
# then one table (measure | ser4j | PyTorch | ratio | target | met) with date and machine. Run on demand, not in CI.
#
#   bench/compare-pytorch.sh [--quick] [--out DIR] [-- PYTORCH_BENCH_OPTIONS...]
#
# --quick      passed to `ser4j bench` (192 utterances, fewer repetitions) and to pytorch_bench.py
# --out DIR    where the results go (default runs/bench-<date>-<time>/): ser4j.json, ser4j.log, ser4j-load.json,
#              workload.json, pytorch-check.txt, pytorch.json, table.txt, table.md
# after --      options for bench/pytorch_bench.py (e.g. --passes 5, --audio-conv separate)
#
# Environment: PYTHON (default /usr/bin/python3, Debian's, with python3-torch); OMP_WAIT_POLICY (if unset: PASSIVE
# when other processes kept >= 0.2 CPUs busy during ser4j's run, since GNU OpenMP's default spin-waiting collapses
# when the cores are shared; otherwise OpenMP's default); tcmalloc is preloaded when Debian's
# libtcmalloc_minimal.so.4 is installed (apt-get install libtcmalloc-minimal4).
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
PY="${PYTHON:-/usr/bin/python3}"
BENCH="$ROOT/bench/pytorch_bench.py"

say() { echo "compare-pytorch: $*" >&2; }
die() { say "$*"; exit 1; }
usage() { sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

QUICK=()
OUT=""
EXTRA=()
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) QUICK=(--quick) ;;
        --out) [ $# -ge 2 ] || die "--out needs a directory."; OUT="$2"; shift ;;
        --out=*) OUT="${1#--out=}" ;;
        -h|--help) usage; exit 0 ;;
        --) shift; EXTRA=("$@"); break ;;
        *) die "unknown option $1 (see bench/compare-pytorch.sh --help)." ;;
    esac
    shift
done

cd "$ROOT"
[ -x "$PY" ] || command -v "$PY" >/dev/null 2>&1 || die "no Python 3 at $PY; install Debian's PyTorch with: apt-get install python3-torch"
"$PY" -c 'import torch, numpy' >/dev/null 2>&1 \
    || die "Debian's PyTorch is not installed for $PY (import torch failed); install it with: apt-get install python3-torch"

OUT="${OUT:-runs/bench-$(date +%Y-%m-%d-%H%M%S)}"
mkdir -p "$OUT" || die "cannot create the output directory $OUT."

# --- 1. ser4j ---------------------------------------------------------------------------------------------------
# Build first (the launcher builds on first use; its output must not end up in the JSON).
say "building ser4j if needed ..."
./ser4j --version >&2 || die "ser4j could not be built or started (see the output above)."
say "running ./ser4j bench --json${QUICK[*]:+ ${QUICK[*]}} ..."
set +e
"$PY" "$BENCH" --exec "$OUT/ser4j.json" ./ser4j bench --json "${QUICK[@]}" >"$OUT/ser4j-load.json" 2> >(tee "$OUT/ser4j.log" >&2)
rc=$?
set -e
wait 2>/dev/null || true
[ "$rc" = 0 ] || die "./ser4j bench failed (exit $rc); its output is in $OUT/ser4j.log."
"$PY" -c 'import json, sys; d = json.load(open(sys.argv[1])); assert "train" in d and "latency_ms" in d' "$OUT/ser4j.json" 2>/dev/null \
    || die "./ser4j bench did not print the expected JSON (see $OUT/ser4j.json and $OUT/ser4j.log)."

# --- 2. the very workload ser4j used (utterance lengths, labels, token ids, batch compositions) -----------------
JAVA=""
for cand in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
    [ -n "$cand" ] && [ -x "$cand/bin/java" ] || continue
    v=$("$cand/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9][0-9]*\).*/\1/p' | head -n 1)
    if [ "${v:-0}" -ge 22 ]; then JAVA="$cand/bin/java"; break; fi
done
WORKLOAD=()
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
cat >"$TMP/WorkloadDump.java" <<'EOF'
import dev.ser4j.core.ModelConfig;
import dev.ser4j.core.Variant;
import dev.ser4j.model.Batcher;
import dev.ser4j.model.Example;
import dev.ser4j.model.FeatureNormalizer;

import java.util.*;

/** Prints, as JSON, the utterances (frames, label, tokens) and the batches `ser4j bench` trains and infers on. */
public class WorkloadDump {
    public static void main(String[] args) throws Exception {
        boolean quick = args.length > 0 && args[0].equals("--quick");
        ModelConfig cfg = ModelConfig.of(Variant.MSCNN_SPU_ATT, 4000, true);
        int n = quick ? 192 : 640;                                   // as BenchCommand
        List<Example> examples = dev.ser4j.perf.Workloads.examples(cfg, n, 11L);
        Map<Example, Integer> index = new IdentityHashMap<>();
        for (int i = 0; i < examples.size(); i++) index.put(examples.get(i), i);
        List<List<Example>> bucketed = new Batcher(cfg, FeatureNormalizer.identity(cfg.audioDim())).epoch(examples, 64, 5);
        List<Example> shuffled = new ArrayList<>(examples);
        Collections.shuffle(shuffled, new Random(5));
        List<List<Example>> padded = new ArrayList<>();
        for (int i = 0; i < shuffled.size(); i += 64) padded.add(shuffled.subList(i, Math.min(shuffled.size(), i + 64)));
        StringBuilder s = new StringBuilder("{\"source\": \"ser4j's own: Workloads.examples, Batcher.epoch\", \"n\": " + n + ", \"utterances\": [");
        for (int i = 0; i < examples.size(); i++) {
            Example e = examples.get(i);
            s.append(i > 0 ? ", " : "").append("{\"frames\": ").append(e.frames()).append(", \"label\": ").append(e.label())
                    .append(", \"tokens\": ").append(Arrays.toString(e.tokens())).append('}');
        }
        for (String name : List.of("bucketed", "padded")) {
            s.append("], \"").append(name).append("\": [");
            List<List<Example>> batches = name.equals("bucketed") ? bucketed : padded;
            for (int b = 0; b < batches.size(); b++) {
                s.append(b > 0 ? ", " : "").append('[');
                for (int j = 0; j < batches.get(b).size(); j++) s.append(j > 0 ? ", " : "").append(index.get(batches.get(b).get(j)));
                s.append(']');
            }
        }
        System.out.println(s.append("]}"));
    }
}
EOF
if [ -n "$JAVA" ] && "$JAVA" -cp "cli/target/ser4j-cli.jar:cli/target/lib/*" "$TMP/WorkloadDump.java" "${QUICK[@]}" >"$OUT/workload.json" 2>"$TMP/dump.err" \
        && "$PY" -c 'import json, sys; json.load(open(sys.argv[1]))["bucketed"]' "$OUT/workload.json" 2>/dev/null; then
    WORKLOAD=(--workload "$OUT/workload.json")
    say "PyTorch gets ser4j's exact utterances and batches ($OUT/workload.json)"
else
    rm -f "$OUT/workload.json"
    say "could not read ser4j's workload ($(head -c 200 "$TMP/dump.err" 2>/dev/null | head -n 1)); PyTorch draws the same distributions with numpy instead"
fi

# --- 3. PyTorch --------------------------------------------------------------------------------------------------
PRELOAD=""
for lib in /usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4 /usr/lib/*/libtcmalloc_minimal.so.4; do
    if [ -e "$lib" ]; then PRELOAD="$lib"; break; fi
done
[ -n "$PRELOAD" ] || say "tcmalloc not installed (apt-get install libtcmalloc-minimal4): PyTorch runs with glibc malloc"
if [ -z "${OMP_WAIT_POLICY:-}" ]; then
    if "$PY" -c 'import json, sys; sys.exit(0 if (json.load(open(sys.argv[1])).get("other_processes_cpus") or 0) >= 0.2 else 1)' "$OUT/ser4j-load.json" 2>/dev/null; then
        export OMP_WAIT_POLICY=PASSIVE
        say "other processes are using the CPUs: OMP_WAIT_POLICY=PASSIVE for PyTorch (spin-waiting threads would stall each other)"
    fi
fi
"$PY" -W ignore "$BENCH" --check >"$OUT/pytorch-check.txt" 2>&1 \
    || die "bench/pytorch_bench.py --check failed: its model no longer computes make_golden.py's function (see $OUT/pytorch-check.txt)."
say "running bench/pytorch_bench.py${QUICK[*]:+ ${QUICK[*]}}${EXTRA[*]:+ ${EXTRA[*]}} (its model checked against make_golden.py) ..."
LD_PRELOAD="${PRELOAD}${LD_PRELOAD:+:$LD_PRELOAD}" "$PY" "$BENCH" "${QUICK[@]}" "${WORKLOAD[@]}" --out "$OUT/pytorch.json" "${EXTRA[@]}" >/dev/null \
    || die "the PyTorch benchmark failed (see its output above)."

# --- 4. the table ------------------------------------------------------------------------------------------------
echo
"$PY" "$BENCH" --compare "$OUT/ser4j.json" "$OUT/pytorch.json" --ser4j-load "$OUT/ser4j-load.json" --markdown "$OUT/table.md" \
    | tee "$OUT/table.txt"
echo
say "results in $OUT/ (ser4j.json, pytorch.json, table.txt, table.md)"
