# An unknown /SubFilter (same length) in the signature dictionary.
sed 's|/ETSI.CAdES.detached|/ETSI.CAdES.detachex|' "$CONTRACT_PDF" >"$OUT"
