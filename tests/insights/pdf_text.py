"""The text of a PDF written by fpdf2 with an embedded TrueType font.

Text drawn in an embedded font is stored as glyph numbers, not letters; the font's ToUnicode map
(``<glyph> <unicode>`` pairs) turns them back. Enough for our own reports; not a general parser.
"""

import re
import zlib


def _literal_strings(content: bytes):
    """Each ``(…) Tj`` string's bytes, PDF escapes undone."""
    i = 0
    while (start := content.find(b"(", i)) != -1:
        out, j, depth = bytearray(), start + 1, 1
        while j < len(content):
            byte = content[j]
            if byte == 0x5C:  # backslash
                following = content[j + 1]
                if 0x30 <= following <= 0x37:
                    digits = re.match(rb"[0-7]{1,3}", content[j + 1 : j + 4]).group()
                    out.append(int(digits, 8))
                    j += 1 + len(digits)
                    continue
                out.append({0x6E: 10, 0x72: 13, 0x74: 9, 0x62: 8, 0x66: 12}.get(following, following))
                j += 2
                continue
            if byte == 0x28:
                depth += 1
            elif byte == 0x29:
                depth -= 1
                if depth == 0:
                    break
            out.append(byte)
            j += 1
        if content[j + 1 : j + 5].strip().startswith(b"Tj"):
            yield bytes(out)
        i = j + 1


def _inflated(pdf: bytes) -> bytes:
    """Every compressed stream written out plainly, so a mailed (compressed) report reads too."""
    return re.sub(
        rb"/Filter /FlateDecode(.*?)stream\n(.*?)endstream",
        lambda match: match.group(1) + b"stream\n" + zlib.decompress(match.group(2)) + b"endstream",
        pdf,
        flags=re.S,
    )


def pdf_text(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF-"), "not a PDF"
    pdf = _inflated(pdf)
    glyphs: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", pdf, re.S):
        for glyph, code in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            glyphs[int(glyph, 16)] = bytes.fromhex(code.decode()).decode("utf-16-be")
    pieces = []
    for raw in _literal_strings(pdf):
        pieces.append(
            "".join(glyphs.get(int.from_bytes(raw[k : k + 2], "big"), "?") for k in range(0, len(raw) - 1, 2))
        )
    return "\n".join(pieces)
