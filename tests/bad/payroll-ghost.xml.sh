# A ghost worker: a line for a person with no contract (a valid ID number), header adjusted,
# signed again with the township's own key.
awk '/<line .*黄国华/ { l = $0; sub(/id-number="[0-9X]*"/, "id-number=\"110101199003070038\"", l); sub(/name="[^"]*"/, "name=\"赵六\"", l); print l } { print }' "$PAYROLL_XML" >"$TMP/t.xml"
fix_header "$TMP/t.xml" "$TMP/t2.xml"
resign "$TMP/t2.xml" "$OUT"
