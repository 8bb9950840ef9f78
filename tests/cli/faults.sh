#!/bin/sh
# Fault simulation: fail the Nth allocation / SQLite step / hash call in turn during a whole
# command (SHUANGBAI_FAULT=KIND:N), until the command no longer reaches N. Each failing run must
# exit 1 with a message and leave the database exactly as it was; under `make check-valgrind`
# each run is also checked for leaks.
. "$SRCDIR/tests/cli/lib.sh"

cat > "$TMP/div.csv" <<'CSV'
code,name,level,parent,lon,lat
440000000000,广东省,province,,113.7,23.0
440100000000,广州市,prefecture,440000000000,113.4,23.1
440103000000,荔湾区,county,440100000000,113.2,23.1
440103001000,沙面街道,township,440103000000,,
440103001001,沙面社区,village,440103001000,,
440103002000,岭南街道,township,440103000000,,
440103002001,岭南社区,village,440103002000,,
CSV
printf 'code,flag\n440103000000,remote\n' > "$TMP/flags.csv"

# fault_loop KIND MAX DESC CMD...: runs CMD with the Nth KIND call failing, N = 1, 2, ...
fault_loop() {
  kind=$1; max=$2; desc=$3; shift 3
  cp "$SHUANGBAI_DB" "$TMP/base.db"
  base=$(dbsum)
  k=1; bad=0; fired=0
  while [ $k -le "$max" ]; do
    cp "$TMP/base.db" "$SHUANGBAI_DB"; rm -f "$SHUANGBAI_DB-wal" "$SHUANGBAI_DB-shm"
    SHUANGBAI_FAULT="$kind:$k" ${SB_TEST_WRAPPER:-} "$SB" "$@" >"$TMP/out" 2>"$TMP/err"
    r=$?
    if [ $r -eq 0 ]; then break; fi
    fired=$((fired + 1))
    if [ $r -ne 1 ] || ! grep -q '^shuangbai: ' "$TMP/err" || [ "$(dbsum)" != "$base" ]; then
      bad=$((bad + 1))
      [ $bad -le 3 ] && echo "# $kind:$k exit $r: $(cat "$TMP/err") (db $( [ "$(dbsum)" = "$base" ] && echo same || echo CHANGED))"
    fi
    k=$((k + 1))
  done
  if [ $bad -eq 0 ] && [ $fired -gt 0 ] && [ $k -le "$max" ]; then
    pass "$desc: $fired injected $kind faults each exit 1 with the database unchanged"
  else
    fail "$desc: injected $kind faults" "bad=$bad fired=$fired last N=$k"
  fi
  cp "$TMP/base.db" "$SHUANGBAI_DB"; rm -f "$SHUANGBAI_DB-wal" "$SHUANGBAI_DB-shm"
}

sb init
fault_loop alloc 400 "org import" org import "$TMP/div.csv"
fault_loop step 400 "org import" org import "$TMP/div.csv"
fault_loop crypto 50 "org import" org import "$TMP/div.csv"
sb org import "$TMP/div.csv"
fault_loop step 200 "org stations" org stations
fault_loop alloc 400 "org flags" org flags "$TMP/flags.csv"
fault_loop step 200 "org flags" org flags "$TMP/flags.csv"
finish
