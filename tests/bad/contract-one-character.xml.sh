# One character of the worker's name changed after signing.
sed 's/<name>陈志强</<name>陈志弘</' "$CONTRACT_XML" >"$OUT"
