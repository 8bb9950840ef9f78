# A net that is not gross less contributions and tax, header adjusted, signed again.
sed 's/net="5907.92"/net="5997.92"/' "$PAYROLL_XML" >"$TMP/t.xml"
fix_header "$TMP/t.xml" "$TMP/t2.xml"
resign "$TMP/t2.xml" "$OUT"
