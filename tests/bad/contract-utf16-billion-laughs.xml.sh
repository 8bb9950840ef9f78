# The same entity bomb in UTF-16, where the bytes "<!DOCTYPE" do not occur.
(OUT="$OUT.8"; . "$BAD/contract-billion-laughs.xml.sh")
sed '1s/UTF-8/UTF-16/' "$OUT.8" | iconv -f UTF-8 -t UTF-16 >"$OUT"
rm -f "$OUT.8"
