#!/bin/sh
# bench/round: a whole recruitment round on generated data, timed step by step beside the
# sqlite3 shell's `.import` of the same application CSV (the cost of merely loading it).
#   bench/round/run.sh APPLICATIONS POSTS [BUILDDIR]   e.g. 100000 2000 build
# Prints one line per step and the ratios; nothing here is a test.
set -eu
N=${1:-100000}
P=${2:-2000}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=$(cd "${3:-$top/build}" && pwd)
SB="$build/src/shuangbai"
SQLITE3=${SQLITE3:-sqlite3}
work=${TMPDIR:-/tmp}/sb-bench-round-$N
rm -rf "$work"
mkdir -p "$work"
export SHUANGBAI_DB="$work/r.db" SHUANGBAI_TODAY=2026-11-29 SHUANGBAI_ACTOR=bench

python3 "$here/gen.py" base "$N" "$P" "$top/data/divisions/guangdong.csv" "$work"
"$SB" init >/dev/null
"$SB" org import "$top/data/divisions/guangdong.csv" >/dev/null
"$SB" round create B --policy "$top/forms/policy-guangdong.xml" >/dev/null
"$SB" round posts B "$work/posts.csv" >/dev/null

# Wall time and CPU time (user + system) of each step: on a shared machine the CPU time is the
# steadier measure, and the ratios below use it.
timed() { # timed NAME COMMAND...: sets w_NAME and c_NAME
  name=$1; shift
  /usr/bin/time -f '%e %U %S' -o "$work/time" "$@" >/dev/null
  read -r wall user sys <"$work/time"
  eval "w_$name=$wall; c_$name=$(echo "$user + $sys" | bc)"
  printf '%-10s wall %8.2f s   cpu %8.2f s\n' "$name" "$wall" "$(echo "$user + $sys" | bc)"
}
step() { name=$1; shift; timed "$name" "$SB" round "$@"; }

timed import "$SQLITE3" "$work/import.db" ".import --csv $work/applications.csv applications"
t_import=$c_import

step apply apply B "$work/applications.csv"
step screen screen B
"$SQLITE3" "$SHUANGBAI_DB" "SELECT app_no FROM round_app WHERE round_code = 'B' AND eligible = 1" |
  python3 "$here/gen.py" written sw >"$work/written.csv"
step written written B "$work/written.csv"
step shortlist shortlist B
"$SQLITE3" "$SHUANGBAI_DB" "SELECT a.app_no || '|' || CASE p.pool WHEN '' THEN p.post_id ELSE p.pool END FROM round_app a JOIN round_post p ON p.round_code = a.round_code AND p.post_id = a.post_id WHERE a.round_code = 'B' AND a.shortlisted = 1" |
  python3 "$here/gen.py" interview >"$work/interview.csv"
step interview interview B "$work/interview.csv"
step rank rank B

total=$(echo "$c_apply + $c_screen + $c_written + $c_shortlist + $c_interview + $c_rank" | bc)
wtotal=$(echo "$w_apply + $w_screen + $w_written + $w_shortlist + $w_interview + $w_rank" | bc)
printf '%-10s wall %8.2f s   cpu %8.2f s\n' total "$wtotal" "$total"
for s in apply screen written shortlist interview rank; do
  eval "c=\$c_$s"
  printf 'ratio %-9s / import (cpu): %.2f\n' "$s" "$(echo "$c / $t_import" | bc -l)"
done
printf 'ratio total / import (cpu): %.2f   (wall: %.2f)\n' "$(echo "$total / $t_import" | bc -l)" \
  "$(echo "$wtotal / $w_import" | bc -l)"
printf 'rows: %s applications, %s written, %s interview\n' "$N" \
  "$(($(wc -l <"$work/written.csv") - 1))" "$(($(wc -l <"$work/interview.csv") - 1))"
"$SB" round show B | sed -n '6,11p'
rm -rf "$work"
