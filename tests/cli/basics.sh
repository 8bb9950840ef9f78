#!/bin/sh
# The command's contract: --help and --version everywhere, exit codes 0/1/2, init.
. "$SRCDIR/tests/cli/lib.sh"

sb --version
expect_rc "--version exits 0" 0
expect_out "--version prints the version" "shuangbai 0."
sb --help
expect_rc "--help exits 0" 0
expect_out "--help lists verbs" "Verbs:"
sb
expect_rc "no verb is a usage error" 2
sb frobnicate
expect_rc "unknown verb is a usage error" 2
expect_err "unknown verb named" "unknown verb 'frobnicate'"
sb --bogus init
expect_rc "unknown global option is a usage error" 2
for verb in init org audit demo; do
  sb "$verb" --help
  expect_rc "$verb --help exits 0" 0
  expect_out "$verb --help shows usage" "usage: shuangbai"
done
sb org coverage
expect_rc "a missing registry is a data error" 1
expect_err "and says to run init" "run 'shuangbai init' first"
sb init
expect_rc "init exits 0" 0
expect_out "init reports the schema" "ready (schema"
[ -f "$SHUANGBAI_DB" ] && pass "init creates the file" || fail "init creates the file"
sb init extra
expect_rc "init with an argument is a usage error" 2
sb org import
expect_rc "org import without a file is a usage error" 2
sb org coverage --format xml
expect_rc "a bad --format is a usage error" 2
sb org nothing
expect_rc "unknown org command is a usage error" 2
finish
