# /ByteRange with a letter in a number.
python3 - "$CONTRACT_PDF" "$OUT" <<'PY'
import re, sys
d = open(sys.argv[1], 'rb').read()
m = re.search(rb'/ByteRange\s*\[\s*(\d+)\s+(\d+)', d)
i = m.start(2)
open(sys.argv[2], 'wb').write(d[:i] + b'x' + d[i + 1:])
PY
