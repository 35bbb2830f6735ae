#!/usr/bin/env bash
# ./ser4j bundle --out DIR: the GPU check as a self-contained folder for a machine without a JDK, Maven or network
# (this workplace's GPU machines: an NVIDIA driver, CUDA 13, Python with PyTorch and its CUDA wheels, at most 64 MiB
# carried in together with the repository). The launcher builds ser4j first and calls this with --jdk.
#
#   DIR/jre/           a jlink-ed Java runtime: the modules jdeps finds in the jars below, less the optional ones
#                      (printed, with the reason for each)
#   DIR/lib/           ser4j.jar (the library, the CUDA kernels' fatbin inside), ser4j-cli.jar, picocli, Jackson:
#                      run on the class path with main dev.ser4j.cli.DeviceMain (info, gpu-check)
#   DIR/pytorch/       bench/pytorch_bench.py and src/test/python/make_golden.py (for its --check)
#   DIR/gpu-check.sh   the check: bash DIR/gpu-check.sh [SECONDS] [OUT_DIR] (see that script)
#   DIR/MANIFEST.txt   the commit, the JDK, the modules, the kernels and every file's size
#
# Prints the sizes (du) and fails (exit 1) when the bundle and the repository's files together pass 64 MiB.
# Options: --out DIR (required; an existing DIR must be empty or an earlier bundle), --jdk JDK_HOME.
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
LIMIT=$((64 * 1024 * 1024))
say() { echo "bundle: $*" >&2; }
die() { say "$*"; exit 1; }

OUT="" JDK="${JAVA_HOME:-}"
while [ $# -gt 0 ]; do
    case "$1" in
        --out) [ $# -ge 2 ] || { say "--out needs a folder"; exit 2; }; OUT="$2"; shift ;;
        --out=*) OUT="${1#--out=}" ;;
        --jdk) [ $# -ge 2 ] || { say "--jdk needs a folder"; exit 2; }; JDK="$2"; shift ;;
        -h|--help) sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) say "unknown option $1 (usage: ./ser4j bundle --out DIR)"; exit 2 ;;
    esac
    shift
done
[ -n "$OUT" ] || { say "--out DIR is required (e.g. ./ser4j bundle --out .device/)"; exit 2; }
[ -n "$JDK" ] && [ -x "$JDK/bin/jlink" ] && [ -x "$JDK/bin/jdeps" ] || die "no JDK with jlink and jdeps (got '${JDK}'); run this through ./ser4j bundle"
FEATURE=$("$JDK/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9][0-9]*\).*/\1/p' | head -n 1)

# --- what goes in -----------------------------------------------------------------------------------------------
LIBDIR="$ROOT/cli/target/lib"
CLI_JAR="$ROOT/cli/target/ser4j-cli.jar"
LIB_JAR=$(ls "$LIBDIR"/ser4j-[0-9]*.jar 2>/dev/null | head -n 1 || true)
[ -f "$CLI_JAR" ] && [ -n "$LIB_JAR" ] || die "ser4j is not built (no $CLI_JAR or library jar in $LIBDIR); run ./ser4j bundle, which builds first"
JARS=("$LIB_JAR" "$CLI_JAR")
for pattern in 'picocli-*.jar' 'jackson-core-*.jar' 'jackson-databind-*.jar' 'jackson-annotations-*.jar'; do
    jar=$(ls "$LIBDIR"/$pattern 2>/dev/null | head -n 1 || true)
    [ -n "$jar" ] || die "no $pattern in $LIBDIR (the command line's dependencies)"
    JARS+=("$jar")
done
# Not bundled: commons-math3 (only the cross-validation reports' statistics use it), XChart, PDFBox, progressbar,
# JLine (plots and progress bars of the other commands). The class path run never loads their classes.

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
KERNELS=$("$JDK/bin/jar" tf "$LIB_JAR" | grep -c '^dev/ser4j/cuda/ser4j_kernels.fatbin$' || true)
STATUS=$(cd "$TMP" && "$JDK/bin/jar" xf "$LIB_JAR" dev/ser4j/cuda/kernels.status 2>/dev/null && cat dev/ser4j/cuda/kernels.status 2>/dev/null \
    || echo "no build status in the jar")
if [ "$KERNELS" != 1 ]; then
    say "WARNING: the library jar has no CUDA kernels ($STATUS): the bundle's gpu-check will say so; build where nvcc is installed"
fi

# --- the folder ---------------------------------------------------------------------------------------------------
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
case "$OUT" in "$ROOT"|/) die "--out $OUT would replace the repository or the root";; esac
if [ -n "$(ls -A "$OUT")" ] && [ ! -f "$OUT/MANIFEST.txt" ]; then
    die "$OUT is not empty and holds no earlier bundle (no MANIFEST.txt); give an empty or new folder"
fi
find "$OUT" -mindepth 1 -maxdepth 1 -exec rm -rf {} +
echo "ser4j device bundle: incomplete (bundle.sh did not finish)" >"$OUT/MANIFEST.txt"   # marks the folder as ours
mkdir -p "$OUT/lib" "$OUT/pytorch"
cp "${JARS[@]}" "$OUT/lib/"
cp "$ROOT/bench/pytorch_bench.py" "$ROOT/src/test/python/make_golden.py" "$OUT/pytorch/"
cp "$ROOT/bench/device/gpu-check.sh" "$OUT/gpu-check.sh"
chmod +x "$OUT/gpu-check.sh"

# --- the Java modules: jdeps on the bundled jars, less what only optional code needs -------------------------------
# jdeps -s lists, for each module of the bundled jars, the modules its classes refer to (resolved against all of the
# command line's dependencies). Some JDK modules are referred to only by code the check never runs; left out:
declare -A OPTIONAL=(
    [java.desktop]="java.awt and java.beans: the command line's report figures (dev.ser4j.cli) and Jackson's optional java.beans annotations"
    [java.xml]="Jackson's optional DOM (org.w3c.dom) serializers"
    [java.sql]="Jackson's optional java.sql date types (requires static)"
    [jdk.incubator.vector]="ser4j's optional Vector API MFCC (requires static, off unless --add-modules); the check computes no MFCC"
)
SUMMARY=$("$JDK/bin/jdeps" -s --ignore-missing-deps --multi-release "$FEATURE" --module-path "$LIBDIR" "${JARS[@]}" 2>&1) \
    || die "jdeps failed: $SUMMARY"
USES=$(echo "$SUMMARY" | awk '$2 == "->" && $3 ~ /^(java|jdk)\./ { print $1 " -> " $3 }' | sort -u)
FOUND=$(echo "$USES" | awk '{ print $3 }' | sort -u | paste -sd, -)
[[ ",$FOUND," == *,java.base,* ]] || die "jdeps found no Java modules (it printed: $SUMMARY)"
MODULES="" DROPPED=()
for m in ${FOUND//,/ }; do
    if [ -n "${OPTIONAL[$m]:-}" ]; then DROPPED+=("$m: ${OPTIONAL[$m]}"); else MODULES="${MODULES:+$MODULES,}$m"; fi
done
say "jdeps -s on the bundled jars: $FOUND ($(echo "$USES" | paste -sd ';' - | sed 's/;/; /g'))"
for d in "${DROPPED[@]}"; do say "  left out $d"; done
say "jlink --add-modules $MODULES"
"$JDK/bin/jlink" --add-modules "$MODULES" --strip-debug --no-header-files --no-man-pages --compress zip-9 --output "$OUT/jre" \
    || die "jlink failed"
"$OUT/jre/bin/java" -version >/dev/null 2>&1 || die "the jlink-ed runtime does not start"

# --- manifest and sizes -------------------------------------------------------------------------------------------
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "not a git checkout")
[ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ] && COMMIT="$COMMIT (with uncommitted changes)"
{
    echo "ser4j device bundle, made $(date -u +%Y-%m-%dT%H:%M:%SZ) from commit $COMMIT"
    echo "JDK: $("$JDK/bin/java" -version 2>&1 | head -n 2 | tail -n 1)"
    echo "jdeps -s found: $FOUND"
    echo "$USES" | sed 's/^/  /'
    for d in "${DROPPED[@]}"; do echo "left out $d"; done
    echo "jlink: --add-modules $MODULES --strip-debug --no-header-files --no-man-pages --compress zip-9"
    echo "CUDA kernels: $([ "$KERNELS" = 1 ] && echo "ser4j_kernels.fatbin in lib/$(basename "$LIB_JAR")" || echo "MISSING") ($STATUS)"
    echo "run: bash gpu-check.sh [SECONDS, default 480] [OUT_DIR]"
    echo
    echo "bytes  file"
    (cd "$OUT" && find . -type f -printf '%s  %P\n' | sort -rn)
} >"$OUT/MANIFEST.txt"

bundle_bytes=$(du -sb "$OUT" | cut -f1)
# what travels with the repository: tracked files and untracked ones git does not ignore (the bundle excluded when
# it lies inside the checkout), and a shared/ folder of the checkout
repo_bytes=0
if git -C "$ROOT" rev-parse --git-dir >/dev/null 2>&1; then
    rel=""
    case "$OUT/" in "$ROOT"/*) rel="${OUT#"$ROOT"/}" ;; esac
    repo_bytes=$(cd "$ROOT" && git ls-files -z -co --exclude-standard | { if [ -n "$rel" ]; then grep -zv "^$rel/" || true; else cat; fi; } \
        | du -cb --files0-from=- 2>/dev/null | tail -n 1 | cut -f1)
    if [ -n "$rel" ] && ! git -C "$ROOT" check-ignore -q "$rel/MANIFEST.txt"; then
        say "note: $rel/ is not ignored by git: it travels with the repository anyway"
    fi
    [ -d "$ROOT/shared" ] && repo_bytes=$((repo_bytes + $(du -sb "$ROOT/shared" | cut -f1)))
fi
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
echo "Device bundle in $OUT:"
(cd "$OUT" && du -sh jre lib pytorch gpu-check.sh MANIFEST.txt | sed 's/^/  /')
echo "  largest files:"
(cd "$OUT" && find . -type f -printf '%s %P\n' | sort -rn | head -n 6 | awk '{ printf "    %7.1f MiB  %s\n", $1 / 1048576, $2 }')
total=$((bundle_bytes + repo_bytes))
echo "Size: bundle $(mib "$bundle_bytes") + repository $(mib "$repo_bytes") = $(mib "$total") of the 64 MiB a device run may carry"
if [ "$total" -gt "$LIMIT" ]; then
    say "too big: $(mib "$total") is over 64 MiB"
    exit 1
fi
echo "On the device machine: bash ${OUT#"$ROOT"/}/gpu-check.sh 480 \$OUT  (carry the bundle: it is ignored by git)"
