# Writes PNG and JPEG fixtures with encoders independent of the library under test:
# PNGs by hand (zlib + the PNG spec), JPEGs with libjpeg-turbo's cjpeg (apt: libjpeg-turbo-progs).
#   cd Tests/FCNTests/Formats/Fixtures && python3 make_image_fixtures.py
import struct, subprocess, zlib

def png(name, width, height, depth, colour, rows, palette=None, trns=None):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + row for row in rows)  # filter type 0 (None) on every row
    body = chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0))
    if palette: body += chunk(b"PLTE", bytes(c for rgb in palette for c in rgb))
    if trns: body += chunk(b"tRNS", trns)
    body += chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    open(name, "wb").write(b"\x89PNG\r\n\x1a\n" + body)

# 3×2 grey + alpha, 16 bits per sample: grey values 0x1234, 0xABCD, 0xFFFF / 0, 0x8000, 0x00FF.
grey = [[0x1234, 0xABCD, 0xFFFF], [0x0000, 0x8000, 0x00FF]]
png("grey_alpha16_3x2.png", 3, 2, 16, 4, [b"".join(struct.pack(">HH", g, 0x7777) for g in row) for row in grey])
# 5×2 palette, 4 bits per index, 3 entries, indices 0 1 2 1 0 / 2 2 0 0 1 (rows padded to whole bytes).
indices = [[0, 1, 2, 1, 0], [2, 2, 0, 0, 1]]
pack4 = lambda row: bytes((row[i] << 4) | (row[i + 1] if i + 1 < len(row) else 0) for i in range(0, len(row), 2))
png("palette4_5x2.png", 5, 2, 4, 3, [pack4(r) for r in indices], palette=[(255, 0, 0), (0, 128, 0), (10, 20, 30)], trns=b"\x00")
# 2×2 RGBA, 8 bits: the alpha channel must be dropped.
png("rgba8_2x2.png", 2, 2, 8, 6, [bytes([1, 2, 3, 0, 4, 5, 6, 255]), bytes([7, 8, 9, 128, 250, 251, 252, 1])])

# 5×5 RGB, 8 bits, Adam7-interlaced: pixel (x, y) = (40x, 40y, 7x + 11y). Each of the seven passes
# is a small image of its own, stored one after the other (PNG spec §8.2).
def adam7(width, height, pixel):
    passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
    return [b"".join(pixel(x, y) for x in range(x0, width, dx)) for x0, y0, dx, dy in passes
            for y in range(y0, height, dy) if x0 < width]
rows = adam7(5, 5, lambda x, y: bytes([40 * x, 40 * y, 7 * x + 11 * y]))
raw = b"".join(b"\x00" + r for r in rows)
def chunk(kind, data): return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
open("interlaced_rgb8_5x5.png", "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 5, 5, 8, 2, 0, 0, 1))
    + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))

# 16×8 colour JPEG: two flat 8×8 blocks, (200, 30, 40) and (20, 100, 220); 4:4:4, quality 100.
left, right = bytes([200, 30, 40]) * 8, bytes([20, 100, 220]) * 8
open("blocks.ppm", "wb").write(b"P6 16 8 255\n" + (left + right) * 8)
subprocess.run("cjpeg -quality 100 -sample 1x1 blocks.ppm > blocks_16x8.jpg", shell=True, check=True)
subprocess.run("cjpeg -quality 100 -grayscale blocks.ppm > blocks_grey_16x8.jpg", shell=True, check=True)
subprocess.run("rm blocks.ppm", shell=True, check=True)
