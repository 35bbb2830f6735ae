#!/usr/bin/env bash
# The ser4j GPU check, from a bundle made by `./ser4j bundle --out DIR` (README, "CUDA backend"); needs no JDK:
#
#     bash DIR/gpu-check.sh [SECONDS] [OUT_DIR]
#
# SECONDS (default 480) limits the whole run. OUT_DIR (default ./gpu-check-out) receives at most 8 files:
#   gpu-check.log      everything printed below         info.txt          ser4j info: Java, CUDA, driver, GPU, libraries
#   parity.txt         the CPU-vs-CUDA parity table      ser4j-gpu.json    ser4j's GPU benchmark
#   workload.json      its utterances and batches        pytorch-gpu.json  PyTorch + cuDNN on the same batches
#   table.txt, table.md  ser4j beside PyTorch
# Steps: the bundled Java runtime starts; PyTorch is looked for (SER4J_PYTHON, /opt/torch/.venv/bin/python3, python3
# on PATH, /usr/bin/python3) and its model checked against make_golden.py; the nvidia/*/lib folders of its CUDA wheels
# go on LD_LIBRARY_PATH; `ser4j info`. With a usable GPU: `ser4j gpu-check` (op parity, whole-model twins, the
# benchmark), the same batches through PyTorch on the GPU, the table. Without one: the check harness runs on the CPU
# (gpu-check --dry-run, to show that the bundle runs it), and the last line says why a GPU is needed.
# Exit status: 0 every check passed; 1 a parity check failed, or a step broke or ran out of time; 2 bad arguments;
# 3 no usable GPU here (last line: "gpu-check: a GPU is needed: <why>").
set -uo pipefail

B="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
LIMIT="${1:-480}"
OUT="${2:-$PWD/gpu-check-out}"
EXIT_NO_GPU=3
case "$LIMIT" in
    ''|*[!0-9]*) echo "gpu-check: SECONDS must be a whole number (got '$LIMIT'); usage: bash $0 [SECONDS] [OUT_DIR]" >&2; exit 2 ;;
esac
mkdir -p "$OUT" 2>/dev/null && OUT="$(cd "$OUT" && pwd)" || { echo "gpu-check: cannot create the folder $OUT" >&2; exit 2; }

exec > >(tee "$OUT/gpu-check.log") 2>&1
TEE=$!
finish() {       # exit status; waits for the log to be written
    exec >&- 2>&-
    wait "$TEE" 2>/dev/null
    exit "$1"
}
say() { echo "gpu-check: $*"; }
left() { echo $((LIMIT - SECONDS)); }
upto() { local l; l=$(left); echo $(( $1 < l ? $1 : (l > 10 ? l : 10) )); }   # $1 seconds, or what is left
export PYTHONUNBUFFERED=1 SER4J_DEBUG=1      # Python's output as it comes; ser4j's stack traces into the log

echo "ser4j GPU check: bundle $B, time limit $LIMIT s, output in $OUT"
[ -f "$B/MANIFEST.txt" ] && head -n 1 "$B/MANIFEST.txt"

# --- 1. the bundled Java runtime ----------------------------------------------------------------------------------
JAVA="$B/jre/bin/java"
for f in "$B"/jre/bin/* "$B/jre/lib/jspawnhelper" "$B/jre/lib/jexec"; do   # in case a copy lost the exec bits
    [ -f "$f" ] && [ ! -x "$f" ] && chmod +x "$f"
done
if ! version=$("$JAVA" -version 2>&1); then
    say "the bundled Java runtime does not start: $(echo "$version" | head -n 1)"
    finish 1
fi
echo "Java runtime:    $(echo "$version" | sed -n 2p)"
SER4J=("$JAVA" --enable-native-access=ALL-UNNAMED -cp "$B/lib/*" dev.ser4j.cli.DeviceMain)

# --- 2. Python and PyTorch ----------------------------------------------------------------------------------------
BENCH="$B/pytorch/pytorch_bench.py"
PY="" TORCH_GPU=0
for cand in "${SER4J_PYTHON:-}" /opt/torch/.venv/bin/python3 "$(command -v python3 2>/dev/null)" /usr/bin/python3; do
    [ -n "$cand" ] && [ -x "$cand" ] || continue
    if "$cand" -c 'import torch, numpy' >/dev/null 2>&1; then PY="$cand"; break; fi
done
if [ -n "$PY" ]; then
    line=$(timeout "$(upto 120)" "$PY" "$BENCH" --gpu-info 2>&1) && TORCH_GPU=1
    echo "PyTorch:         $(echo "$line" | tail -n 1) ($PY)"
else
    echo "PyTorch:         none: no python3 here imports torch and numpy (tried SER4J_PYTHON, /opt/torch/.venv/bin/python3, python3 on PATH, /usr/bin/python3)"
fi

# --- 3. the CUDA libraries of PyTorch's wheels --------------------------------------------------------------------
# ser4j finds them itself (LibraryFinder); on LD_LIBRARY_PATH, cuDNN's own loading of its parts and of NVRTC finds them too.
WHEELS=""
ASK="${PY:-$(command -v python3 2>/dev/null)}"
if [ -n "$ASK" ]; then
    while IFS= read -r site; do
        for d in "$site"/nvidia/*/lib; do
            [ -d "$d" ] && WHEELS="${WHEELS:+$WHEELS:}$d"
        done
    done < <(timeout 30 "$ASK" -c 'import site; print("\n".join(site.getsitepackages() + [site.getusersitepackages()]))' 2>/dev/null)
fi
if [ -n "$WHEELS" ]; then
    export LD_LIBRARY_PATH="$WHEELS${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    echo "CUDA wheels:     ${WHEELS//:/ } (put on LD_LIBRARY_PATH)"
else
    echo "CUDA wheels:     none (no nvidia/*/lib in the site-packages of ${ASK:-any python3})"
fi

# --- 4. what ser4j finds ------------------------------------------------------------------------------------------
echo
timeout "$(upto 120)" "${SER4J[@]}" info >"$OUT/info.txt" 2>&1
rc=$?
cat "$OUT/info.txt"
[ "$rc" = 0 ] || { say "ser4j info failed (exit $rc)"; finish 1; }
AUTO=$(sed -n 's/^--backend auto: *//p' "$OUT/info.txt")

# --- 5. PyTorch's model is the model ------------------------------------------------------------------------------
if [ -n "$PY" ]; then
    echo
    echo "PyTorch's model against make_golden.py's (float64, on the CPU):"
    timeout "$(upto $((LIMIT / 5)))" "$PY" -W ignore "$BENCH" --check || say "WARNING: pytorch_bench.py --check failed: PyTorch's figures below would be of another function"
fi

# --- 6. no usable GPU: show that the bundle runs the check, and say why ----------------------------------------------
if [ "$AUTO" != cuda ]; then
    why="${AUTO#cpu, because }"
    [ -n "$why" ] || why="ser4j info did not say which backend it would take (see $OUT/info.txt)"
    echo
    echo "The check harness on the CPU (gpu-check --dry-run: the CPU backend in place of CUDA, a tiny workload):"
    dry="$(mktemp -d)"     # its files too (JSON written by the bundled runtime), then thrown away
    timeout -k 5 "$(( $(left) > 60 ? $(left) : 60 ))" "${SER4J[@]}" gpu-check --dry-run --out "$dry" >"$dry/stdout" 2>&1
    rc=$?
    if [ "$rc" != 0 ] || [ ! -s "$dry/ser4j-gpu.json" ] || [ ! -s "$dry/workload.json" ]; then
        tail -n 15 "$dry/stdout"
        rm -rf "$dry"
        say "the dry run failed (exit $rc): this bundle cannot run the check"
        finish 1
    fi
    echo "  $(grep -E '^[0-9]+ checks, [0-9]+ failed' "$dry/stdout") (CPU against CPU); benchmark: $(grep -c 'utterances/s\|(ms)' "$dry/stdout") measures; parity.txt, ser4j-gpu.json and workload.json written"
    rm -rf "$dry"
    echo "gpu-check: a GPU is needed: $why"
    finish "$EXIT_NO_GPU"
fi

# --- 7. the GPU: parity, ser4j's benchmark, PyTorch on the same batches, the table -----------------------------------
QUICK=()
[ "$LIMIT" -lt 300 ] && QUICK=(--quick)
echo
echo "== ser4j on the GPU: op parity, whole-model twins, benchmark (${QUICK[*]:-full}; $(left) s left) =="
budget=$(( $(left) * 55 / 100 ))
timeout -k 10 "$budget" "${SER4J[@]}" gpu-check --out "$OUT" "${QUICK[@]}"
rc=$?
if [ -f "$OUT/parity.txt" ]; then parity="$(tail -n 1 "$OUT/parity.txt")"; else parity="no parity table"; fi
case "$rc" in
    0) parity="every parity check passed ($parity)" ;;
    124|137) parity="ser4j gpu-check ran out of its $budget s ($parity)" ;;
    *) parity="ser4j gpu-check exited $rc: $parity" ;;
esac
[ -f "$OUT/ser4j-gpu.json" ] || parity="$parity; ser4j's benchmark did not finish (see the log)"
status=$([ "$rc" = 0 ] && echo 0 || echo 1)

torch="PyTorch not run"
if [ "$TORCH_GPU" != 1 ]; then
    torch="PyTorch not run: no PyTorch with a usable GPU here"
elif [ ! -f "$OUT/workload.json" ]; then
    torch="PyTorch not run: ser4j wrote no workload.json"
elif [ "$(left)" -lt 40 ]; then
    torch="PyTorch not run: only $(left) s left"
else
    echo
    echo "== PyTorch + cuDNN on the same batches ($(left) s left) =="
    timeout -k 10 "$(( $(left) - 15 ))" "$PY" -W ignore "$BENCH" --device cuda --workload "$OUT/workload.json" \
        --out "$OUT/pytorch-gpu.json" "${QUICK[@]}" >/dev/null
    prc=$?
    case "$prc" in
        0) torch="PyTorch ran" ;;
        124|137) torch="PyTorch ran out of time" ;;
        *) torch="PyTorch failed (exit $prc)" ;;
    esac
fi
if [ -f "$OUT/ser4j-gpu.json" ] && [ -f "$OUT/pytorch-gpu.json" ]; then
    echo
    "$PY" "$BENCH" --compare-gpu "$OUT/ser4j-gpu.json" "$OUT/pytorch-gpu.json" --markdown "$OUT/table.md" >"$OUT/table.txt" 2>&1
    cat "$OUT/table.txt"
fi
echo
echo "gpu-check: $parity; $torch; $SECONDS s; files: $(cd "$OUT" && ls | tr '\n' ' ')"
finish "$status"
