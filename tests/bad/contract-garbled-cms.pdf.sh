# The CMS signature in /Contents overwritten with zeros (hex '0'), keeping every length.
python3 - "$CONTRACT_PDF" "$OUT" <<'PY'
import re, sys
d = open(sys.argv[1], 'rb').read()
m = re.search(rb'/Contents\s*<([0-9A-Fa-f]+)>', d)
open(sys.argv[2], 'wb').write(d[:m.start(1)] + b'0' * len(m.group(1)) + d[m.end(1):])
PY
