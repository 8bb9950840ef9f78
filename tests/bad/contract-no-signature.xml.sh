# The signature removed.
tr '\n' '\001' <"$CONTRACT_XML" | sed 's|<ds:Signature .*</ds:Signature>||' | tr '\001' '\n' >"$OUT"
