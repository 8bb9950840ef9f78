# An amount that is not a number, signed again: the schema refuses it.
sed 's/tax="3.90"/tax="3,90"/' "$PAYROLL_XML" >"$TMP/t.xml"
resign "$TMP/t.xml" "$OUT"
