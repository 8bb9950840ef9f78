#!/bin/sh
# Fault simulation for the org commands: fail the Nth allocation / SQLite step / hash call /
# file operation in turn during a whole command (SHUANGBAI_FAULT=KIND:N, fault_loop in lib.sh),
# until the command no longer reaches N. Each failing run must exit 1 with a message and leave
# the database exactly as it was; under `make check-valgrind` each run is also checked for
# leaks. The other areas have their own tests/cli/faults-<area>.sh.
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

sb init
fault_loop alloc 400 1 "org import" org import "$TMP/div.csv"
fault_loop step 400 1 "org import" org import "$TMP/div.csv"
fault_loop crypto 50 1 "org import" org import "$TMP/div.csv"
sb org import "$TMP/div.csv"
fault_loop step 200 1 "org stations" org stations
fault_loop alloc 400 1 "org flags" org flags "$TMP/flags.csv"
fault_loop step 200 1 "org flags" org flags "$TMP/flags.csv"
finish
