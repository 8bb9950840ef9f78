# The driver of the catalogue of bad inputs (tests/bad/CATALOGUE), sourced by tests/cli/bad*.sh.
# It says which script runs which case (by the file name's prefix), builds each case's input
# (a copy of the file, or the output of a recipe), restores the script's database before every
# case, runs the command under a time limit, and checks the exit code, the message and that
# the database is unchanged. It holds no cases and no command lines itself: each script
# defines case_base (which saved database a case starts from) and case_run (the command).
. "$SRCDIR/tests/cli/lib.sh"
BAD="$SRCDIR/tests/bad"
# A case that runs longer than this hangs. Checkers like valgrind run far slower.
BAD_TIMEOUT=${BAD_TIMEOUT:-20}
[ -n "${SB_TEST_WRAPPER:-}" ] && BAD_TIMEOUT=300

# kind_of FILE: the script that runs the case (bad.sh checks that every line has one).
kind_of() {
  case "$1" in
    div-* | flags-* | emp-*) echo org ;;
    policy-* | posts-* | apps-* | written-* | interview-* | outcome-*) echo round ;;
    staff-*) echo staff ;;
    pay-* | eval-* | qual-* | ded-* | prior-*) echo pay ;;
    contract-* | payroll-*) echo signed ;;
    *) echo "" ;;
  esac
}

# catalogue: the case lines (comments and blank lines dropped), "file|code|message".
catalogue() { grep -v '^#' "$BAD/CATALOGUE" | grep -v '^[[:space:]]*$'; }

# save_base NAME: keep the current database as the start of some cases.
save_base() { cp "$SHUANGBAI_DB" "$TMP/base-$1.db"; dbsum "$TMP/base-$1.db" >"$TMP/base-$1.sum"; }

# bad_sb ARGS...: like sb, under the time limit and with no terminal to read from.
bad_sb() {
  timeout "$BAD_TIMEOUT" ${SB_TEST_WRAPPER:-} "$SB" "$@" </dev/null >"$TMP/out" 2>"$TMP/err"
  rc=$?
  out=$(cat "$TMP/out")
  err=$(head -c 4000 "$TMP/err")
}

# run_catalogue KIND: run every case of KIND; the message must also name the input file. A
# file NAME.sh is a recipe: it is sourced in a subshell with $OUT set to $TMP/cases/NAME (which
# it must write) and whatever the script exported; the command then reads NAME. Any other file
# is copied to $TMP/cases/ first.
run_catalogue() {
  kind=$1
  ran=0
  want=0
  mkdir -p "$TMP/cases"
  catalogue >"$TMP/catalogue"
  while IFS='|' read -r file code msg <&3; do
    [ "$(kind_of "$file")" = "$kind" ] || continue
    want=$((want + 1))
    name=${file%.sh}
    path="$TMP/cases/$name"
    rm -f "$path"
    if [ "$name" != "$file" ]; then
      (OUT="$path"; . "$BAD/$file") >"$TMP/recipe.log" 2>&1
      if [ ! -f "$path" ]; then fail "$file: the recipe made no input" "$(cat "$TMP/recipe.log")"; continue; fi
    elif [ -f "$BAD/$file" ]; then
      cp "$BAD/$file" "$path"
    else
      fail "$file: no such file in tests/bad"; continue
    fi
    base=$(case_base "$name")
    cp "$TMP/base-$base.db" "$SHUANGBAI_DB"
    rm -f "$SHUANGBAI_DB-wal" "$SHUANGBAI_DB-shm" "$SHUANGBAI_DB-journal"
    before=$(cat "$TMP/base-$base.sum")
    ran=$((ran + 1))
    case_run "$name" "$path"
    if [ "$rc" -eq 124 ]; then fail "$file: finishes within ${BAD_TIMEOUT}s" "it hangs"; continue; fi
    if [ "$rc" -ne "$code" ]; then fail "$file: exit $code" "exit $rc: $err"; continue; fi
    case "$err" in
      *Sanitizer* | *"runtime error"* | *"Invalid read"* | *"Invalid write"*) fail "$file: no memory error" "$err"; continue ;;
    esac
    case "$err" in *"$msg"*) ;; *) fail "$file: message" "got: $err" "want: $msg"; continue ;; esac
    case "$err" in "shuangbai: "*"$name"*) ;; *) fail "$file: one message naming the file" "got: $err"; continue ;; esac
    # a byte-identical file with no write-ahead log left is unchanged without a dump
    if [ -s "$SHUANGBAI_DB-wal" ] || ! cmp -s "$TMP/base-$base.db" "$SHUANGBAI_DB"; then
      if [ "$(dbsum)" != "$before" ]; then fail "$file: database unchanged"; continue; fi
    fi
    pass "$file: exit $code, '$msg', nothing changed"
  done 3<"$TMP/catalogue"
  expect_eq "every $kind case of the catalogue ran" "$ran of $want" "$want of $want"
  [ "$want" -gt 0 ] || fail "the catalogue has $kind cases"
}
