#!/usr/bin/env bash
# Predictions per second of `./ser4j spark predict --master local[2]` against `./ser4j predict --manifest` on the same
# manifest, alternating RUNS times (the machine may be busy: medians), their fixed costs (the same commands on a one-row
# manifest: JVM, Spark session, model, writing), and where a prediction's time goes on one core (PredictCost.java).
#   bench/spark/spark-predict.sh MODEL.safetensors MANIFEST [RUNS (default 3)] [MASTER (default local[2])]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
MODEL="$(readlink -f "$1")"; MANIFEST="$(readlink -f "$2")"; RUNS="${3:-3}"; MASTER="${4:-local[2]}"
WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT
cd "$ROOT"
./ser4j spark --version >/dev/null 2>&1          # build first, outside the timings
JDK=""                                           # PredictCost.java needs a JDK >= 22 (as the launcher finds one)
for cand in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
    [ -n "$cand" ] && [ -x "$cand/bin/java" ] || continue
    v=$("$cand/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9][0-9]*\).*/\1/p' | head -n 1)
    [ "${v:-0}" -ge 22 ] && { JDK="$cand"; break; }
done

now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

head -n 2 "$MANIFEST" | sed "s#\t\([^/\t][^\t]*\.wav\)\$#\t$(dirname "$MANIFEST")/\1#" >"$WORK/one.tsv"
N=$(($(wc -l <"$MANIFEST") - 1))
for i in $(seq 1 "$RUNS"); do
    t=$(now); ./ser4j predict --model "$MODEL" --manifest "$MANIFEST" --out "$WORK/local$i.json" --backend cpu 2>"$WORK/local$i.log"
    echo "$(now) - $t" | bc >>"$WORK/local.s"
    t=$(now); ./ser4j spark predict --master "$MASTER" --model "$MODEL" --manifest "$MANIFEST" --out "$WORK/spark$i" --format jsonl 2>"$WORK/spark$i.log"
    echo "$(now) - $t" | bc >>"$WORK/spark.s"
    sed -n 's/.* in \([0-9.]*\) s (.*Spark started in \([0-9.]*\) s.*/\1 \2/p' "$WORK/spark$i.log" >>"$WORK/spark.inner"
    echo "run $i: local $(tail -n 1 "$WORK/local.s") s, spark $(tail -n 1 "$WORK/spark.s") s (inside: $(tail -n 1 "$WORK/spark.inner"))  [load $(cut -d' ' -f1 /proc/loadavg)]"
done
t=$(now); ./ser4j predict --model "$MODEL" --manifest "$WORK/one.tsv" --out "$WORK/one.json" --backend cpu 2>/dev/null; one_local=$(echo "$(now) - $t" | bc)
t=$(now); ./ser4j spark predict --master "$MASTER" --model "$MODEL" --manifest "$WORK/one.tsv" --out "$WORK/one" 2>/dev/null; one_spark=$(echo "$(now) - $t" | bc)

L=$(median <"$WORK/local.s"); S=$(median <"$WORK/spark.s")
SI=$(cut -d' ' -f1 "$WORK/spark.inner" | median); SS=$(cut -d' ' -f2 "$WORK/spark.inner" | median)
printf '\n%d utterances, %d runs each, medians of wall time (%s, %d cores, load average now %s):\n' "$N" "$RUNS" "$(date -u +%F)" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '  ./ser4j predict --manifest          %7.1f s  %6.1f utterances/s   (one row: %.1f s)\n' "$L" "$(echo "$N / $L" | bc -l)" "$one_local"
printf '  ./ser4j spark predict --master %s %5.1f s  %6.1f utterances/s   (one row: %.1f s; inside the command: %.1f s, of which starting Spark %.1f s)\n' \
    "$MASTER" "$S" "$(echo "$N / $S" | bc -l)" "$one_spark" "$SI" "$SS"
printf '  without the fixed costs (one-row runs): local %.1f utterances/s, spark %.1f utterances/s\n' \
    "$(echo "$N / ($L - $one_local)" | bc -l)" "$(echo "$N / ($S - $one_spark)" | bc -l)"
python3 - "$WORK/local1.json" "$WORK/spark1" <<'PY' || true
import glob, json, sys
loc = {p['id']: p for p in json.load(open(sys.argv[1]))['predictions']}
got = {}
for f in glob.glob(sys.argv[2] + '/part-*.json'):
    for line in open(f):
        o = json.loads(line); got[o['id']] = o
d = max(abs(p - got[k]['probabilities'][c]) for k, v in loc.items() for c, p in v['probabilities'].items())
print(f"  the same predictions: {sum(got[k]['label'] == v['label'] for k, v in loc.items())} of {len(loc)} labels equal, probabilities within {d:.1e}")
PY
echo
echo "On one core (OPENBLAS_NUM_THREADS=1, -XX:ActiveProcessorCount=1):"
OPENBLAS_NUM_THREADS=1 "$JDK/bin/java" -XX:ActiveProcessorCount=1 --enable-native-access=ALL-UNNAMED \
    -cp "$ROOT/spark/target/ser4j-spark.jar:$ROOT/spark/target/lib/*" "$ROOT/bench/spark/PredictCost.java" "$MODEL" "$MANIFEST" | sed 's/^/  /'
