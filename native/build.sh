#!/usr/bin/env bash
# Maven's generate-resources step for the native parts: configures (once) and builds CMakeLists.txt in
# TARGET/cmake. Incremental: an unchanged tree is a no-op. A missing cmake is reported in kernels.status and is
# not an error (the Java build and the CPU backend do not need it); a failing compile is an error.
# Usage: native/build.sh TARGET_DIR
set -euo pipefail
target="$1"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
res="$target/classes/dev/ser4j/cuda"
mkdir -p "$res" "$target/native"
if ! command -v cmake >/dev/null 2>&1; then
    echo "not built: cmake was not installed when ser4j was built, so neither the CUDA kernels nor the host math library were compiled (apt-get install cmake)" > "$res/kernels.status"
    echo "[ser4j native] cmake not found: skipping the CUDA kernels and the host math library" >&2
    exit 0
fi
build="$target/cmake"
if [ ! -f "$build/CMakeCache.txt" ]; then
    gen=()
    command -v ninja >/dev/null 2>&1 && gen=(-G Ninja)
    cmake -S "$root" -B "$build" "${gen[@]}" -DSER4J_RESOURCE_DIR="$res" -DSER4J_NATIVE_DIR="$target/native" >"$target/cmake-configure.log" 2>&1 \
        || { cat "$target/cmake-configure.log" >&2; exit 1; }
fi
cmake --build "$build" >"$target/cmake-build.log" 2>&1 || { cat "$target/cmake-build.log" >&2; exit 1; }
echo "[ser4j native] $(cat "$res/kernels.status")" >&2
