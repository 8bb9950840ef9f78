#!/usr/bin/python3
# Build, at `make` time, the TrueType fonts that the PDF area embeds, from fonts of Debian
# packages: the CJK glyphs of Droid Sans Fallback (fonts-droid-fallback, Apache-2.0) and the
# Latin, Greek, Cyrillic and symbol glyphs of DejaVu Sans (fonts-dejavu-core), which Droid
# Sans Fallback lacks. It is not for choosing what a document says: whatever these fonts map
# is exactly what the library accepts, and everything else is refused.
#
# Why the fonts are rebuilt rather than used as shipped (see doc/internals/pdf.md):
# - libharu 2.3.0 reads a composite glyph's component index as a signed 16-bit number, so in
#   a font of more than 32,767 glyphs composites come out blank: every glyph is decomposed
#   into a simple one here, and no output font has more than 32,767 glyphs.
# - libharu drops characters outside the Basic Multilingual Plane: only BMP characters are
#   kept, and a character whose glyph has no outline (other than the spaces) is left out.
# - libharu writes a CIDToGIDMap of the whole BMP and the /W widths of every mapped character
#   into each document, whatever it uses. To keep documents small the characters are split
#   into several fonts, which the library loads into a document only when it draws one of
#   their characters: font 0 holds the Latin letters and what GB 2312 encodes (its 6,763
#   hanzi and 682 symbols); fonts 1, 2, ... hold the rest, CHUNK characters each in code
#   point order, so that a rare character in a name costs a few kilobytes, not a whole font.
# - Glyphs are numbered in character order and .notdef is one em wide, so the ideographs
#   share the default width and need no /W entry. Hinting, layout and vertical tables are
#   dropped (libharu uses none); libharu insists on cvt/fpgm/prep, so minimal ones are written.
#
# usage: prepare-font.py OUTDIR CJK_FONT[:INDEX] LATIN_FONT[:INDEX]
# writes OUTDIR/shuangbai-00.ttf, shuangbai-01.ttf, ... (numbered without gaps)
# Needs python3-fonttools (Debian) only.
import array
import os
import struct
import sys

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.pens.transformPen import TransformPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable
from fontTools.ttLib.tables.DefaultTable import DefaultTable
from fontTools.ttLib.tables.ttProgram import Program

UPEM = 256  # Droid Sans Fallback's own; DejaVu Sans (2048) is scaled to it

# Characters that are meant to draw nothing.
SPACES = {0x20, 0xA0, 0x3000} | set(range(0x2000, 0x200B))

# Blocks taken from the Latin font first (the CJK font has nearly none of them).
# Latin-1, Latin Extended-A, the pinyin vowels with tone marks and the tone marks.
LATIN = [(0x0020, 0x007E), (0x00A0, 0x017F), (0x01CD, 0x01DC), (0x02C6, 0x02DD)]
# Blocks taken from the CJK font first, else from the Latin font: punctuation and symbols
# are drawn the Chinese way (full-width quotes, dashes, ellipsis) where the CJK font can.
SYMBOLS = [(0x0391, 0x03C9), (0x0401, 0x0451), (0x2000, 0x206F), (0x2070, 0x27BF), (0x2E80, 0x2FDF), (0x3000, 0x312F),
           (0x3190, 0x31FF), (0x3200, 0x33FF), (0xFE10, 0xFE1F), (0xFE30, 0xFE6F),
           (0xFF00, 0xFFEF)]
# Ideographs, CJK font only. Hangul, kana beyond the CJK punctuation block and other
# scripts are not kept.
IDEOGRAPHS = [(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)]


def inside(cp, ranges):
    return any(a <= cp <= b for a, b in ranges)


def load(spec):
    index = 0
    if ":" in spec and spec.rsplit(":", 1)[1].isdigit():
        spec, idx = spec.rsplit(":", 1)
        index = int(idx)
    font = TTFont(spec, fontNumber=index)
    if "glyf" not in font:
        sys.exit("%s: not a TrueType (glyf) font; libharu cannot embed CFF fonts" % spec)
    return font


def encodable(cp, codec):
    try:
        chr(cp).encode(codec)
        return True
    except UnicodeEncodeError:
        return False


CHUNK = 1536
GAP = int(os.environ.get("SB_FONT_GAP", "64"))


def cmap_format4(mapping, gap):
    """A cmap table with one format 4 subtable (Windows Unicode BMP) of few segments.

    libharu looks characters up by scanning the segments one by one, for each of the 65,536
    code points when it builds a document's CIDToGIDMap; fontTools writes one segment per run
    of consecutive characters (thousands for GB 2312's scattered hanzi, 0.15 s per
    document). Here a segment spans gaps of up to `gap` unmapped characters, which then map
    to glyph 0 through the glyph index array.
    """
    cps = sorted(mapping)
    segs = []
    for cp in cps:
        if segs and cp - segs[-1][1] <= gap:
            segs[-1][1] = cp
        else:
            segs.append([cp, cp])
    segs.append([0xFFFF, 0xFFFF])
    n = len(segs)
    ends, starts, deltas, offsets, array_ = [], [], [], [], []
    for i, (a, b) in enumerate(segs):
        ends.append(b)
        starts.append(a)
        if a == 0xFFFF:
            deltas.append(1)
            offsets.append(0)
            continue
        full = all(c in mapping for c in range(a, b + 1))
        if full and len({mapping[c] - c for c in range(a, b + 1)}) == 1:
            deltas.append((mapping[a] - a) & 0xFFFF)
            offsets.append(0)
        else:
            deltas.append(0)
            # idRangeOffset counts bytes from this entry to the segment's first array entry
            offsets.append(2 * (n - i) + 2 * len(array_))
            array_.extend(mapping.get(c, 0) for c in range(a, b + 1))
    search = 2 ** (n.bit_length() - 1)
    body = struct.pack(">HHHH", 2 * n, 2 * search, search.bit_length() - 1, 2 * n - 2 * search)
    body += struct.pack(">%dH" % n, *ends) + b"\0\0" + struct.pack(">%dH" % n, *starts)
    body += struct.pack(">%dH" % n, *deltas) + struct.pack(">%dH" % n, *offsets)
    body += struct.pack(">%dH" % len(array_), *array_)
    sub = struct.pack(">HHH", 4, 6 + len(body), 0) + body
    if len(sub) > 0xFFFF:
        sys.exit("cmap subtable too large: lower the gap")
    table = DefaultTable("cmap")
    table.data = struct.pack(">HHHHI", 0, 1, 3, 1, 12) + sub
    return table


def common(cp):
    return inside(cp, LATIN) or encodable(cp, "gb2312")


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: prepare-font.py OUTDIR CJK_FONT[:INDEX] LATIN_FONT[:INDEX]")
    outdir = sys.argv[1]
    cjk, latin = load(sys.argv[2]), load(sys.argv[3])
    sources = []
    for font in (cjk, latin):
        sources.append({
            "font": font,
            "cmap": font.getBestCmap(),
            "set": font.getGlyphSet(),
            "scale": UPEM / font["head"].unitsPerEm,
        })

    def pick(cp):
        order = (1, 0) if inside(cp, LATIN) else (0, 1) if inside(cp, SYMBOLS) else (0,)
        if not inside(cp, LATIN + SYMBOLS + IDEOGRAPHS):
            return None
        for i in order:
            s = sources[i]
            name = s["cmap"].get(cp)
            if name is None or name == ".notdef":
                continue
            return i, name
        return None

    def outline(src, name):
        rec = DecomposingRecordingPen(src["set"])
        src["set"][name].draw(rec)
        pen = TTGlyphPen(None)
        k = src["scale"]
        rec.replay(TransformPen(pen, (k, 0, 0, k, 0, 0)) if k != 1 else pen)
        return pen.glyph(), round(src["set"][name].width * k)

    first, rest = [], []
    for cp in range(0x20, 0x10000):
        got = pick(cp)
        if got is None:
            continue
        glyph, width = outline(sources[got[0]], got[1])
        if cp not in SPACES and glyph.numberOfContours == 0:
            continue
        (first if common(cp) else rest).append((cp, glyph, width))
    tiers = {0: first}
    for i in range(0, len(rest), CHUNK):
        tiers[1 + i // CHUNK] = rest[i:i + CHUNK]

    hhea = cjk["hhea"]
    for t, chars in tiers.items():
        notdef = TTGlyphPen(None)
        # A hollow box for .notdef, never drawn: the library refuses unmapped characters.
        for (x0, y0, x1, y1) in ((20, -30, 236, 226), (36, -14, 220, 210)):
            notdef.moveTo((x0, y0))
            pts = [(x0, y1), (x1, y1), (x1, y0)] if x0 == 20 else [(x1, y0), (x1, y1), (x0, y1)]
            for p in pts:
                notdef.lineTo(p)
            notdef.closePath()
        order = [".notdef"] + ["u%04X" % cp for cp, _, _ in chars]
        glyphs = {".notdef": notdef.glyph()}
        metrics = {".notdef": (UPEM, 20)}
        cmap = {}
        for cp, glyph, width in chars:
            name = "u%04X" % cp
            glyphs[name] = glyph
            glyph.recalcBounds(None)
            metrics[name] = (width, getattr(glyph, "xMin", 0))
            cmap[cp] = name
        fb = FontBuilder(UPEM, isTTF=True)
        fb.setupGlyphOrder(order)
        fb.setupCharacterMap(cmap)
        fb.setupGlyf(glyphs)
        fb.setupHorizontalMetrics(metrics)
        fb.setupHorizontalHeader(ascent=hhea.ascent, descent=hhea.descent)
        family = "ShuangbaiSans%02d" % t
        fb.setupNameTable({"familyName": family, "styleName": "Regular",
                           "psName": family,
                           "copyright": "Glyphs of Droid Sans Fallback (Apache-2.0) and "
                                        "DejaVu Sans (Bitstream Vera licence), modified"})
        fb.setupOS2(sTypoAscender=hhea.ascent, sTypoDescender=hhea.descent,
                    usWinAscent=hhea.ascent, usWinDescent=-hhea.descent)
        fb.setupPost(keepGlyphNames=False)
        font = fb.font
        # prep is the last table libharu writes when it subsets a font, and it then seeks to
        # each table's start: an empty prep puts that seek at the very end of its buffer,
        # which libharu 2.3.0's memory stream refuses when the subset is a whole number of
        # 4 KiB chunks ("libharu error 0x1033"). PUSHB[0] 0, POP: a program doing nothing.
        for tag, code in (("fpgm", b""), ("prep", b"\xb0\x00\x21")):
            table = newTable(tag)
            table.program = Program()
            table.program.fromBytecode(code)
            font[tag] = table
        cvt = newTable("cvt ")
        cvt.values = array.array("h", [0])
        font["cvt "] = cvt
        gid = {name: i for i, name in enumerate(order)}
        font["cmap"] = cmap_format4({cp: gid[name] for cp, name in cmap.items()}, GAP)
        if len(order) > 32767:
            sys.exit("tier %d: %d glyphs, more than libharu handles" % (t, len(order)))
        path = os.path.join(outdir, "shuangbai-%02d.ttf" % t)
        font.save(path + ".tmp")
        os.replace(path + ".tmp", path)


main()
