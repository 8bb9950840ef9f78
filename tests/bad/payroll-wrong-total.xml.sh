# The header's net total one fen off the lines, signed again.
sed 's/net="11033.92" pension/net="11033.93" pension/' "$PAYROLL_XML" >"$TMP/t.xml"
resign "$TMP/t.xml" "$OUT"
