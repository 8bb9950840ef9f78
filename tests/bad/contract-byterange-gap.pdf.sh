# /ByteRange rewritten (same length) so that its first range stops short of /Contents.
python3 - "$CONTRACT_PDF" "$OUT" <<'PY'
import re, sys
d = open(sys.argv[1], 'rb').read()
m = re.search(rb'/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]', d)
s = m.group(0)
i = m.start(2) - m.start()
v = str(int(m.group(2)) - 2).encode().rjust(len(m.group(2)))
s = s[:i] + v + s[i + len(m.group(2)):]
open(sys.argv[2], 'wb').write(d[:m.start()] + s + d[m.end():])
PY
