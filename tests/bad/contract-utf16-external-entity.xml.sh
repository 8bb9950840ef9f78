# The external entity in UTF-16.
(OUT="$OUT.8"; . "$BAD/contract-external-entity.xml.sh")
sed '1s/UTF-8/UTF-16/' "$OUT.8" | iconv -f UTF-8 -t UTF-16 >"$OUT"
rm -f "$OUT.8"
