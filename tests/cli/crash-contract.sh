#!/bin/sh
# Crash consistency of `contract issue` (the helpers and what they check: crashlib.sh):
# SIGKILL before SQLite steps and at random moments while a township's three contracts are
# numbered, rendered, signed and written beside another township's. After every kill, besides
# the file, the audit chain and "all before or all after": no named contract file without its
# row, and every row has its XML and PDF with the SHA-256 it records; the only other files
# are hidden temporaries (a kill before the commit leaves those of the uncommitted batch; one
# between the commit and the renames leaves the rows' documents under those names). Then the
# same command is run again, as a clerk would: it must finish the job (doc/contract.md) and
# leave the registry and the directory exactly as one uninterrupted run does, with no
# temporary file left. A kill between commit and renames is also made by hand.
. "$SRCDIR/tests/cli/lib.sh"
crash_steps_default=20
. "$SRCDIR/tests/cli/crashlib.sh"
export SHUANGBAI_PASSPHRASE='township secret'
PKI="$TMP/pki"
OUT="$TMP/contracts"
OUT0="$TMP/contracts-before"
mkdir -p "$OUT0"
T1=440103001000
T2=440103002000

liwan_registry "$bin" "$PKI" || fail "the Liwan registry"
"$bin" pki issue --dir "$PKI" --township $T1 >/dev/null
"$bin" pki issue --dir "$PKI" --township $T2 >/dev/null
"$bin" contract issue --township $T2 --key "$PKI/$T2.key" --cert "$PKI/$T2.pem" --out "$OUT0" >/dev/null
expect_eq "another township's contracts are in the directory" "$(ls "$OUT0" | wc -l | tr -d ' ')" 6
crash_base
crash_reset_more() { rm -rf "$OUT"; cp -a "$OUT0" "$OUT"; }
crash_cmd() { exec "$bin" contract issue --township $T1 --key "$PKI/$T1.key" --cert "$PKI/$T1.pem" --out "$OUT"; }

# files_check strict|kill: what is wrong between the rows and the directory (nothing: empty).
files_check() {
  "$SQLITE3" "$SHUANGBAI_DB" "SELECT number, xml_sha256, pdf_sha256 FROM contract_contract" >"$TMP/rows"
  while IFS='|' read -r num xs ps; do
    for ext in xml pdf; do
      if [ $ext = xml ]; then want=$xs; else want=$ps; fi
      f="$OUT/$num.$ext"; t="$OUT/.$num.$ext.tmp"
      if [ -f "$f" ]; then
        [ "$(sha256sum <"$f" | cut -c1-64)" = "$want" ] || echo "$num.$ext differs from its row;"
      elif [ "$1" = kill ] && [ -f "$t" ] && [ "$(sha256sum <"$t" | cut -c1-64)" = "$want" ]; then
        echo "$num.$ext" >>"$TMP/pending"
      else
        echo "contract $num has no $ext file;"
      fi
    done
  done <"$TMP/rows"
  for f in $(ls -A "$OUT"); do
    case "$f" in
      .*.tmp) [ "$1" = kill ] || echo "$f is left over;" ;;
      *.xml|*.pdf) grep -q "^${f%.*}|" "$TMP/rows" || echo "$f has no row;" ;;
      *) echo "$f should not be there;" ;;
    esac
  done
}
# After a kill: the files as they are, then, when the kill left temporary files, as the same
# command run again leaves them.
crash_files() {
  files_check kill
  case "$(ls -A "$OUT")" in
    *.tmp*)
      echo rerun >>"$TMP/reruns"
      ( crash_cmd ) >/dev/null 2>"$TMP/rerun.err" || echo "the rerun fails: $(cat "$TMP/rerun.err");"
      [ "$(crash_sum "$SHUANGBAI_DB")" = "$after" ] || echo "the rerun does not end as one whole run;"
      files_check strict ;;
  esac
}
rm -f "$TMP/reruns"
rm -f "$TMP/pending"
crash_main "contract issue"
expect_eq "no contract was found under its temporary name after a step kill or a random one" \
  "$(cat "$TMP/pending" 2>/dev/null | wc -l | tr -d ' ')" 0
reruns=$(cat "$TMP/reruns" 2>/dev/null | wc -l | tr -d ' ')
[ "$reruns" -gt 0 ] && pass "$reruns kills left temporary files; the next run removed them and issued the batch" ||
  fail "some kill leaves temporary files"

# A kill between the commit and the renames, made by hand from a whole run: the rows are
# committed, one contract's documents are still under their hidden names, and an older
# uncommitted batch left a temporary file. The next issue into the directory (for another
# township, nothing to do) completes the one and removes the other.
crash_reset
( crash_cmd ) >/dev/null 2>&1
c1="$T1-2026-000002"
mv "$OUT/$c1.xml" "$OUT/.$c1.xml.tmp"
mv "$OUT/$c1.pdf" "$OUT/.$c1.pdf.tmp"
echo junk >"$OUT/.$T1-2026-000009.pdf.tmp"
expect_eq "the state of a kill between commit and renames passes the check after a kill" "$(files_check kill)" ""
# A failing file operation during that recovery must never cost a recorded contract its
# documents: fail each in turn (SHUANGBAI_FAULT=io:N) until the issue succeeds.
cp -a "$OUT" "$TMP/killed-out"
cp "$SHUANGBAI_DB" "$TMP/killed.db"
N=0; lost=""; rc=1
while [ $rc -ne 0 ] && [ $N -lt 50 ]; do
  N=$((N + 1))
  rm -rf "$OUT"; cp -a "$TMP/killed-out" "$OUT"; cp "$TMP/killed.db" "$SHUANGBAI_DB"
  SHUANGBAI_FAULT="io:$N" "$bin" contract issue --township $T2 --key "$PKI/$T2.key" --cert "$PKI/$T2.pem" \
    --out "$OUT" >/dev/null 2>&1; rc=$?
  p=$(files_check kill)
  [ -z "$p" ] || lost="$lost io:$N: $p"
done
expect_eq "no recorded contract loses its documents when a file operation fails ($((N - 1)) faults)" "$lost" ""
rm -rf "$OUT"; cp -a "$TMP/killed-out" "$OUT"; cp "$TMP/killed.db" "$SHUANGBAI_DB"
sb contract issue --township $T2 --key "$PKI/$T2.key" --cert "$PKI/$T2.pem" --out "$OUT"
expect_rc "the next issue into the directory" 0
expect_out "has nothing to do" "0 contracts issued"
expect_eq "and leaves every row with its named files, nothing else" "$(files_check strict)" ""
sb contract verify "$OUT/$c1.xml" "$OUT/$c1.pdf" --ca "$PKI/ca.pem"
expect_rc "the recovered documents verify" 0
finish
