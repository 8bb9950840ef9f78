# One worker paid twice: a line copied, header adjusted, signed again.
awk '/<line .*黄国华/ { print } { print }' "$PAYROLL_XML" >"$TMP/t.xml"
fix_header "$TMP/t.xml" "$TMP/t2.xml"
resign "$TMP/t2.xml" "$OUT"
