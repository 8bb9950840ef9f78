#!/bin/sh
# Runs the registry cases of the catalogue of bad inputs (tests/bad/CATALOGUE: div- org
# import, flags- org flags, emp- org employers) through tests/cli/badlib.sh, and checks the
# catalogue itself: every line has three fields, a known kind and an existing file or recipe.
# The round, staff, pay and signed-document cases run in tests/cli/bad-*.sh.
. "$SRCDIR/tests/cli/badlib.sh"

# The registry every case starts from: both provinces' divisions, stations, one employer.
sb init
sb org import "$SRCDIR/data/divisions/guangdong.csv"
sb org import "$SRCDIR/data/divisions/inner-mongolia.csv"
sb org stations
save_base org

case_base() { echo org; }
case_run() {
  case "$1" in
    div-*) bad_sb org import "$2" ;;
    flags-*) bad_sb org flags "$2" ;;
    emp-*) bad_sb org employers "$2" ;;
  esac
}
run_catalogue org

# ---- the catalogue itself ----
catalogue >"$TMP/all"
bad_lines=$(awk -F'|' 'NF < 3 || $2 !~ /^[0-9]+$/ || $3 == ""' "$TMP/all")
expect_eq "every line is file|code|message" "$bad_lines" ""
orphans=""
while IFS='|' read -r file code msg; do
  [ -n "$(kind_of "$file")" ] || orphans="$orphans $file"
  [ -f "$BAD/$file" ] || orphans="$orphans $file(missing)"
done <"$TMP/all"
expect_eq "every case has a kind and a file" "$orphans" ""
dups=$(cut -d'|' -f1 "$TMP/all" | sort | uniq -d)
expect_eq "no file is listed twice" "$dups" ""
unlisted=""
for f in "$BAD"/*; do
  b=$(basename "$f")
  [ "$b" = CATALOGUE ] && continue
  grep -q "^$b|" "$TMP/all" || unlisted="$unlisted $b"
done
expect_eq "every file of tests/bad is a case" "$unlisted" ""
finish
