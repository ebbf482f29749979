#!/bin/sh
# Builds examples/wordfreq.c into examples/wordfreq.wasm (committed) with Debian's clang-16 and
# wasi-libc. Compiles with -g -O2 but links without -O: a linking -O makes clang run wasm-opt,
# which drops the DWARF that wtrace's source-level debugging needs.
# Needs: apt-get install clang-16 lld-16 wasi-libc libclang-rt-16-dev-wasm32
set -eu
cd "$(dirname "$0")/.."
if ! command -v clang-16 >/dev/null 2>&1 || [ ! -f /usr/lib/wasm32-wasi/libc.a ]; then
  echo "build.sh: needs clang-16 and wasi-libc; apt-get install clang-16 lld-16 wasi-libc libclang-rt-16-dev-wasm32" >&2
  exit 1
fi
flags="--target=wasm32-wasi --sysroot=/usr -g -fdebug-prefix-map=$(pwd)=."
clang-16 $flags -O2 -Wall -c examples/wordfreq.c -o examples/wordfreq.o
clang-16 $flags examples/wordfreq.o -o examples/wordfreq.wasm
rm -f examples/wordfreq.o
echo "built examples/wordfreq.wasm ($(wc -c < examples/wordfreq.wasm) bytes)"
