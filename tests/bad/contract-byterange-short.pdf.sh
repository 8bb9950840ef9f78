# /ByteRange rewritten (same length) to leave the last 10 bytes of the file unsigned.
python3 - "$CONTRACT_PDF" "$OUT" <<'PY'
import re, sys
d = open(sys.argv[1], 'rb').read()
m = re.search(rb'/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]', d)
a, b, c, n = (int(x) for x in m.groups())
old = m.group(0)
new = old.replace(b' ' + m.group(4), b' ' + str(n - 10).encode().rjust(len(m.group(4))))
open(sys.argv[2], 'wb').write(d[:m.start()] + new + d[m.end():])
PY
