# One byte changed inside the signed range.
cp "$CONTRACT_PDF" "$OUT"
printf 'Z' | dd of="$OUT" bs=1 seek=2000 conv=notrunc 2>/dev/null
