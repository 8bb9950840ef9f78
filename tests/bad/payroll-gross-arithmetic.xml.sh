# A gross that is not base + allowances + arrears, signed again.
sed 's/arrears="0.00" base="7000.00"/arrears="0.00" base="7100.00"/' "$PAYROLL_XML" >"$TMP/t.xml"
fix_header "$TMP/t.xml" "$TMP/t2.xml"
resign "$TMP/t2.xml" "$OUT"
