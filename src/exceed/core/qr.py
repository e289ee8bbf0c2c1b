"""QR codes for posters: survey links, playbook situations (segno renders both SVG and PNG without extra dependencies)."""

import io

import segno


def qr_code(url: str, *, kind: str, scale: int = 10, scalable: bool = False) -> bytes:
    """``scalable``: an SVG with a viewBox and no fixed size, which the page's CSS sizes (the poster:
    120 mm on paper, the screen's width on a phone)."""
    code = segno.make(url, error="m")
    buffer = io.BytesIO()
    if kind == "svg":
        code.save(buffer, kind="svg", scale=scale, border=2, xmldecl=False, svgns=True, title=url, omitsize=scalable)
    else:
        code.save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()
