#!/bin/sh
# House rule: no sprintf, strcpy, strcat, strtok, atoi, sscanf, gets in src/ (STYLE.md).
. "$SRCDIR/tests/cli/lib.sh"
hits=$(grep -rnE '\b(sprintf|vsprintf|strcpy|strcat|strtok|atoi|atol|sscanf|gets)[[:space:]]*\(' "$SRCDIR/src" | grep -v '^\s*/\?\*' || true)
if [ -z "$hits" ]; then pass "no banned function in src/"; else fail "no banned function in src/" "$hits"; fi
fl=$(grep -rnE '\b(float|double)\b' "$SRCDIR/src/lib/money.c" || true)
if [ -z "$fl" ]; then pass "no floating point in the money area"; else fail "no floating point in the money area" "$fl"; fi
finish
