#!/usr/bin/env bash
# Builds a libFuzzer target (csv or codes) against RegistryCore's sources and runs it for a set
# time: bash fuzz/run.sh codes 60   (a crash leaves crash-* files and exits non-zero)
set -euo pipefail
cd "$(dirname "$0")/.."
target="${1:?usage: fuzz/run.sh csv|codes SECONDS}"
seconds="${2:-60}"
swift build --target RegistryCore >/dev/null   # generates the embedded tables the sources need
embedded=$(find .build/plugins/outputs -path '*RegistryCore*' -name 'Embedded+RegistryCore.swift' | head -1)
mkdir -p .build/fuzz/corpus-"$target"
# RegistryCore is compiled in, as one module with the target, instrumented for coverage.
swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name FuzzTarget \
  $(find Sources/RegistryCore -name '*.swift') "$embedded" "fuzz/$target.swift" -o ".build/fuzz/$target"
".build/fuzz/$target" -max_total_time="$seconds" -max_len=4096 ".build/fuzz/corpus-$target" samples
