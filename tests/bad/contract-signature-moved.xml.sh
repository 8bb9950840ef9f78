# Signature wrapping: the signature moved into a child element, with a forged contract beside it.
tr '\n' '\001' <"$CONTRACT_XML" | sed 's|\(<ds:Signature .*</ds:Signature>\)|<extra>\1</extra>|' | tr '\001' '\n' >"$OUT"
