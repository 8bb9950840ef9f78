# The last 100 bytes cut off.
size=$(wc -c <"$CONTRACT_PDF")
head -c $((size - 100)) "$CONTRACT_PDF" >"$OUT"
