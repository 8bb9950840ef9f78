# Two signatures: the valid one and a copy of it.
tr '\n' '\001' <"$CONTRACT_XML" | sed 's|\(<ds:Signature .*</ds:Signature>\)|\1\1|' | tr '\001' '\n' >"$OUT"
