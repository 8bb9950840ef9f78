# Base, gross and net raised alike (the arithmetic holds), header adjusted, signed again: only
# the registry's payroll shows the change.
sed 's/base="7000.00" contract="\([^"]*\)" days="31" gross="7000.00"\(.*\)net="5907.92"/base="7100.00" contract="\1" days="31" gross="7100.00"\2net="6007.92"/' "$PAYROLL_XML" >"$TMP/t.xml"
fix_header "$TMP/t.xml" "$TMP/t2.xml"
resign "$TMP/t2.xml" "$OUT"
