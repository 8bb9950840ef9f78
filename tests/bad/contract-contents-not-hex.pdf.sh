# A non-hex digit in the /Contents hex string (the CMS signature).
python3 - "$CONTRACT_PDF" "$OUT" <<'PY'
import re, sys
d = open(sys.argv[1], 'rb').read()
m = re.search(rb'/Contents\s*<', d)
i = m.end() + 10
open(sys.argv[2], 'wb').write(d[:i] + b'g' + d[i + 1:])
PY
