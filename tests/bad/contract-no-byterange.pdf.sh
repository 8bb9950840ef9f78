# The signature dictionary's /ByteRange renamed: an unsigned PDF.
sed 's|/ByteRange|/ByteRangX|' "$CONTRACT_PDF" >"$OUT"
