# A real zip bomb: the roster with a sheet part of 600 MiB of blanks packed into about 600 KB.
# It is refused by the size its directory entry gives, before anything is unpacked.
python3 - "$SRCDIR/tests/data/staff-roster.xlsx" "$OUT" <<'PY'
import sys, zipfile, zlib
src = zipfile.ZipFile(sys.argv[1])
out = zipfile.ZipFile(sys.argv[2], 'w', zipfile.ZIP_DEFLATED)
for n in src.namelist():
    if n != 'xl/worksheets/sheet1.xml':
        out.writestr(n, src.read(n))
with out.open('xl/worksheets/sheet1.xml', 'w', force_zip64=True) as f:
    block = b' ' * (1 << 20)
    for i in range(600):
        f.write(block)
out.close()
PY
