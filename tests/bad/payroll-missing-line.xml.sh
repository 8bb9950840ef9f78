# A worker left out: one line removed, header adjusted, signed again.
grep -v '<line .*黄国华' "$PAYROLL_XML" >"$TMP/t.xml"
fix_header "$TMP/t.xml" "$TMP/t2.xml"
resign "$TMP/t2.xml" "$OUT"
