# An incremental update after the signature (a new object, xref and trailer), the way an
# editor would change a signed PDF.
size=$(wc -c <"$CONTRACT_PDF")
{ cat "$CONTRACT_PDF"; printf '99 0 obj\n<< /Type /Annot /Subtype /Text /Contents (changed) >>\nendobj\n'
  printf 'xref\n99 1\n%010d 00000 n \ntrailer\n<< /Size 100 >>\nstartxref\n%d\n%%%%EOF\n' "$size" "$((size + 70))"; } >"$OUT"
