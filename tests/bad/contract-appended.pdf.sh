# Bytes appended after the signature.
{ cat "$CONTRACT_PDF"; printf '%% appended after signing\n'; } >"$OUT"
