#!/usr/bin/env python3
"""browser_check.py — the checks scripts/test-browser makes on what headless chromium rendered.

  browser_check.py links PAGE.html DOM.html   every <img src> and local <a href> of the rendered
                                              DOM names a file that exists (relative to PAGE)
  browser_check.py blank SCREENSHOT.png       fails when the screenshot is (nearly) one colour

Standard library only (no Pillow): PNG decoding is zlib plus the five scanline filters.
"""
import html.parser, os, struct, sys, urllib.parse, zlib


class Refs(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.images, self.links = [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "img":
            self.images.append(a.get("src") or "")
        elif tag == "a" and a.get("href"):
            self.links.append(a["href"])


def local_target(page, ref):
    """The file `ref` points to from `page`, or None for a remote or in-page reference."""
    parsed = urllib.parse.urlparse(ref)
    if parsed.scheme in ("http", "https", "mailto", "data") or ref.startswith("#"):
        return None
    path = urllib.parse.unquote(parsed.path)
    if parsed.scheme == "file":
        return path
    return os.path.normpath(os.path.join(os.path.dirname(page), path))


def check_links(page, dom):
    refs = Refs()
    refs.feed(open(dom, encoding="utf-8", errors="replace").read())
    problems = []
    if not refs.images and "/Chapter" in page:
        problems.append("no <img> at all")
    for kind, refs_of_kind in (("image", refs.images), ("link", refs.links)):
        for ref in refs_of_kind:
            if kind == "image" and not ref:
                problems.append("an <img> without src")
                continue
            target = local_target(page, ref)
            if target is not None and not os.path.exists(target):
                problems.append(f"broken {kind} {ref} (no {target})")
    for p in problems:
        print(f"{page}: {p}", file=sys.stderr)
    print(f"{page}: {len(refs.images)} images, {len(refs.links)} links checked")
    return not problems


def png_pixels(path):
    """(width, height, rows of bytes, bytes per pixel) of an 8-bit non-interlaced PNG."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and interlace == 0, f"{path}: only 8-bit non-interlaced PNGs"
    bpp = {0: 1, 2: 3, 4: 2, 6: 4}[colour]
    raw, stride, rows, prev = zlib.decompress(idat), width * bpp, [], bytearray(width * bpp)
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1: line[i] = (line[i] + a) & 255
            elif f == 2: line[i] = (line[i] + b) & 255
            elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, rows, bpp


def check_blank(path):
    width, height, rows, bpp = png_pixels(path)
    background = rows[0][:bpp]
    step = max(1, height // 200)
    sampled = differing = 0
    for row in rows[::step]:
        for x in range(0, width, 4):
            sampled += 1
            if row[x * bpp:(x + 1) * bpp] != background:
                differing += 1
    fraction = differing / max(1, sampled)
    print(f"{path}: {width}×{height}, {100 * fraction:.1f}% of sampled pixels differ from the background")
    if fraction < 0.002:
        print(f"{path}: blank render (under 0.2% of pixels differ from the background)", file=sys.stderr)
        return False
    return True


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "links":
        sys.exit(0 if check_links(sys.argv[2], sys.argv[3]) else 1)
    if len(sys.argv) == 3 and sys.argv[1] == "blank":
        sys.exit(0 if check_blank(sys.argv[2]) else 1)
    print(__doc__, file=sys.stderr)
    sys.exit(2)
