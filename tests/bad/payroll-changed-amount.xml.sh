# One net amount changed after signing.
sed 's/net="5907.92"/net="5997.92"/' "$PAYROLL_XML" >"$OUT"
cmp -s "$PAYROLL_XML" "$OUT" && rm -f "$OUT"
