# The contract of one township signed again with another township's (valid) key.
resign "$CONTRACT_XML" "$OUT" "$T2"
