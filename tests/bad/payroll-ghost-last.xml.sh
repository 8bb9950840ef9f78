# A ghost worker added after the last real line: the lines are then out of the registry's
# order, and the check that searches instead of merging must name it the same way.
awk 'NR == FNR { if (/<line /) last = FNR
                 if (/<line .*黄国华/) { l = $0; sub(/id-number="[0-9X]*"/, "id-number=\"110101199003070038\"", l); sub(/name="[^"]*"/, "name=\"赵六\"", l) }
                 next }
     { print } FNR == last { print l }' "$PAYROLL_XML" "$PAYROLL_XML" >"$TMP/t.xml"
fix_header "$TMP/t.xml" "$TMP/t2.xml"
resign "$TMP/t2.xml" "$OUT"
