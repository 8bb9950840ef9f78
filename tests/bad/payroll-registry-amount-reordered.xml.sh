# As payroll-registry-amount, with the two lines in the other order: found by search rather
# than by merging the file with the registry's order.
sed 's/base="7000.00" contract="\([^"]*\)" days="31" gross="7000.00"\(.*\)net="5907.92"/base="7100.00" contract="\1" days="31" gross="7100.00"\2net="6007.92"/' "$PAYROLL_XML" |
  awk '/^<line / { lines[n++] = $0; next } n && !done { for (i = n - 1; i >= 0; i--) print lines[i]; done = 1 } { print }' >"$TMP/t.xml"
fix_header "$TMP/t.xml" "$TMP/t2.xml"
resign "$TMP/t2.xml" "$OUT"
