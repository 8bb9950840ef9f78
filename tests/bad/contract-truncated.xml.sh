# The contract cut off in the middle.
head -c 1500 "$CONTRACT_XML" >"$OUT"
