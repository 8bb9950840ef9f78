#!/bin/sh
# A short libFuzzer run of every fuzz target over its seed corpus (make fuzz runs long).
. "$SRCDIR/tests/cli/lib.sh"
[ -n "${SB_VALGRIND:-}" ] && skip_all "not under valgrind"
command -v clang >/dev/null 2>&1 || skip_all "clang not installed"
export SB_FUZZ_CA="$SRCDIR/tests/fuzz/ca.pem"
for t in csv policy xlsx signed xml-pay verify-payroll; do
  bin="$BUILDDIR/tests/fuzz/$t"
  if [ ! -x "$bin" ]; then (cd "$BUILDDIR" && make -s "tests/fuzz/$t" >/dev/null 2>&1); fi
  if [ ! -x "$bin" ]; then fail "fuzz target $t builds"; continue; fi
  mkdir -p "$TMP/$t"
  if "$bin" -runs=${FUZZ_RUNS:-3000} -max_len=4096 "$TMP/$t" "$SRCDIR/tests/fuzz/corpus/$t" >"$TMP/$t.log" 2>&1; then
    pass "fuzz $t: ${FUZZ_RUNS:-3000} runs without a crash"
  else
    fail "fuzz $t: ${FUZZ_RUNS:-3000} runs without a crash" "$(tail -20 "$TMP/$t.log")"
  fi
done
finish
