#!/usr/bin/env python3
"""Golden output for a tiny FCN-8s, computed by an implementation independent of swift-fcn.

Writes into Tests/FCNTests/Models/Fixtures/:
  tiny_fcn8s.safetensors      random fixed weights (VGG-shaped: widths 4,4,6,6,8, blocks of
                              2,2,3,3,3 convolutions, fc6 7x7 and fc7 8 wide, 5 classes),
                              pytorch-fcn names, F32, bilinear upsampling kernels included
  tiny_fcn8s_input.npy        a preprocessed input [1, 3, 37, 29] (float32)
  tiny_fcn8s_logits.npy       the expected `score` blob [1, 5, 37, 29] (float32)
  tiny_fcn8s_atonce.caffemodel  the same weights as Berkeley's FCN-8s-at-once .caffemodel
                              would hold them, encoded by protoc (independent of our decoder):
                              Convolution/Deconvolution layers with [weight, bias] blobs, blob-
                              less ReLU/Pooling/Crop/Eltwise layers, and the Scale layers
                              scale_pool4 / scale_pool3 whose one [C] blob is 0.01 / 0.0001

Everything below is plain numpy with Caffe semantics, written from the Caffe layer definitions,
not from the Swift code: zero-padded cross-correlation, max pooling with ceil rounding,
Deconvolution (each input pixel stamps the kernel, stride s), Crop with offsets derived by
composing each layer's coordinate map (Caffe's coord_map.py), which must give 5, 9 and 31.
Run from anywhere: python3 scripts/golden-fcn8s.py
"""
import json, os, struct, subprocess
from fractions import Fraction
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "Tests", "FCNTests", "Models", "Fixtures")
WIDTHS, DEPTHS, FC, CLASSES = [4, 4, 6, 6, 8], [2, 2, 3, 3, 3], 8, 5
H, W = 37, 29

# ------------------------------------------------------------------ layers (float64, [C, H, W])
def conv(x, w, b, pad):
    c, h, wd = x.shape
    o, _, kh, kw = w.shape
    xp = np.zeros((c, h + 2 * pad, wd + 2 * pad))
    xp[:, pad:pad + h, pad:pad + wd] = x
    oh, ow = h + 2 * pad - kh + 1, wd + 2 * pad - kw + 1
    y = np.zeros((o, oh, ow))
    for u in range(kh):
        for v in range(kw):
            y += np.einsum("oc,chw->ohw", w[:, :, u, v], xp[:, u:u + oh, v:v + ow])
    return y + b[:, None, None]

def relu(x):
    return np.maximum(x, 0)

def pool_ceil(x, k=2, s=2):
    c, h, w = x.shape
    oh, ow = -(-(h - k) // s) + 1, -(-(w - k) // s) + 1           # ceil rounding, no padding
    xp = np.full((c, (oh - 1) * s + k, (ow - 1) * s + k), -np.inf)
    xp[:, :h, :w] = x                                              # the last window hangs over
    y = np.full((c, oh, ow), -np.inf)
    for u in range(k):
        for v in range(k):
            y = np.maximum(y, xp[:, u:u + s * (oh - 1) + 1:s, v:v + s * (ow - 1) + 1:s])
    return y

def deconv(x, w, s):
    c, h, wd = x.shape
    _, o, k, _ = w.shape                                           # Caffe layout [C, O, K, K]
    y = np.zeros((o, s * (h - 1) + k, s * (wd - 1) + k))
    for u in range(k):
        for v in range(k):
            y[:, u:u + s * (h - 1) + 1:s, v:v + s * (wd - 1) + 1:s] += np.einsum("co,chw->ohw", w[:, :, u, v], x)
    return y

def crop(x, offset, h, w):
    return x[:, offset:offset + h, offset:offset + w]

def bilinear(channels, k):
    f = (k + 1) // 2
    centre = f - 1 if k % 2 == 1 else f - 0.5
    tent = 1 - np.abs(np.arange(k) - centre) / f
    w = np.zeros((channels, channels, k, k))
    for i in range(channels):
        w[i, i] = np.outer(tent, tent)
    return w

# ------------------------------------------------- coordinate maps: input x = a * blob y + b
def through_conv(m, k, s, p):           # output y samples input s*y + (k-1)/2 - p (window centre)
    a, b = m
    return (a * s, b + a * (Fraction(k - 1, 2) - p))

def through_deconv(m, k, s, p=0):       # the inverse of the convolution it transposes
    a, b = m
    return (a / s, b - a / s * (Fraction(k - 1, 2) - p))

def crop_offset(blob, reference):
    (a1, b1), (a2, b2) = blob, reference
    assert a1 == a2
    offset = (b2 - b1) / a1
    assert offset.denominator == 1 and offset >= 0
    return int(offset)

# ------------------------------------------------------------------------------- the network
def make_weights(rng):
    w, cin = {}, 3
    for blk, (width, depth) in enumerate(zip(WIDTHS, DEPTHS), 1):
        for i in range(1, depth + 1):
            name = f"conv{blk}_{i}"
            w[name + ".weight"] = rng.standard_normal((width, cin, 3, 3)) * np.sqrt(2 / (cin * 9))
            w[name + ".bias"] = rng.standard_normal(width) * 0.1
            cin = width
    w["fc6.weight"] = rng.standard_normal((FC, cin, 7, 7)) * np.sqrt(2 / (cin * 49))
    w["fc6.bias"] = rng.standard_normal(FC) * 0.1
    w["fc7.weight"] = rng.standard_normal((FC, FC, 1, 1)) * np.sqrt(2 / FC)
    w["fc7.bias"] = rng.standard_normal(FC) * 0.1
    for name, c in [("score_fr", FC), ("score_pool4", WIDTHS[3]), ("score_pool3", WIDTHS[2])]:
        w[name + ".weight"] = rng.standard_normal((CLASSES, c, 1, 1)) * np.sqrt(1 / c)
        w[name + ".bias"] = rng.standard_normal(CLASSES) * 0.1
    w["upscore2.weight"] = bilinear(CLASSES, 4)
    w["upscore_pool4.weight"] = bilinear(CLASSES, 4)
    w["upscore8.weight"] = bilinear(CLASSES, 16)
    return {k: v.astype(np.float32) for k, v in w.items()}

def forward(x, w):
    w = {k: v.astype(np.float64) for k, v in w.items()}
    m = (Fraction(1), Fraction(0))                                    # data
    maps, blobs = {}, {}
    for blk, depth in enumerate(DEPTHS, 1):
        for i in range(1, depth + 1):
            pad = 100 if (blk, i) == (1, 1) else 1
            x = relu(conv(x, w[f"conv{blk}_{i}.weight"], w[f"conv{blk}_{i}.bias"], pad))
            m = through_conv(m, 3, 1, pad)
        x = pool_ceil(x)
        m = through_conv(m, 2, 2, 0)
        blobs[f"pool{blk}"], maps[f"pool{blk}"] = x, m
    x = relu(conv(x, w["fc6.weight"], w["fc6.bias"], 0)); m = through_conv(m, 7, 1, 0)
    x = relu(conv(x, w["fc7.weight"], w["fc7.bias"], 0)); m = through_conv(m, 1, 1, 0)
    score_fr = conv(x, w["score_fr.weight"], w["score_fr.bias"], 0)
    up2 = deconv(score_fr, w["upscore2.weight"], 2); m_up2 = through_deconv(m, 4, 2)
    sp4 = conv(blobs["pool4"], w["score_pool4.weight"], w["score_pool4.bias"], 0)
    o4 = crop_offset(maps["pool4"], m_up2)
    fuse4 = up2 + crop(sp4, o4, *up2.shape[1:])
    upp4 = deconv(fuse4, w["upscore_pool4.weight"], 2); m_upp4 = through_deconv(m_up2, 4, 2)
    sp3 = conv(blobs["pool3"], w["score_pool3.weight"], w["score_pool3.bias"], 0)
    o3 = crop_offset(maps["pool3"], m_upp4)
    fuse3 = upp4 + crop(sp3, o3, *upp4.shape[1:])
    up8 = deconv(fuse3, w["upscore8.weight"], 8); m_up8 = through_deconv(m_upp4, 16, 8)
    o = crop_offset(m_up8, (Fraction(1), Fraction(0)))
    assert (o4, o3, o) == (5, 9, 31), (o4, o3, o)                      # Berkeley's voc-fcn8s offsets
    return crop(up8, o, H, W)

# --------------------------------------------------------------------------------- writers
def write_safetensors(path, tensors):
    header, offset, blobs = {}, 0, []
    for name in sorted(tensors):
        a = np.ascontiguousarray(tensors[name], dtype="<f4")
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [offset, offset + a.nbytes]}
        offset += a.nbytes
        blobs.append(a.tobytes())
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))

def write_caffemodel(path, weights):
    """Berkeley's layer order and types; blobs as `shape { dim … } data: …` text, then protoc."""
    def blob(a):
        dims = " ".join(f"dim: {d}" for d in a.shape)
        return "blobs { shape { " + dims + " } " + " ".join(f"data: {float(v)!r}" for v in a.ravel()) + " }"
    def layer(name, kind, *blobs):
        return f'layer {{ name: "{name}" type: "{kind}" ' + " ".join(blobs) + " }"
    def params(name, kind="Convolution"):
        return layer(name, kind, *[blob(weights[name + s]) for s in (".weight", ".bias") if name + s in weights])
    lines = ['name: "tiny-fcn8s-atonce"']
    for blk, depth in enumerate(DEPTHS, 1):
        for i in range(1, depth + 1):
            lines += [params(f"conv{blk}_{i}"), layer(f"relu{blk}_{i}", "ReLU")]
        lines.append(layer(f"pool{blk}", "Pooling"))
    for i in (6, 7):
        lines += [params(f"fc{i}"), layer(f"relu{i}", "ReLU"), layer(f"drop{i}", "Dropout")]
    lines += [params("score_fr"), params("upscore2", "Deconvolution"),
              layer("scale_pool4", "Scale", blob(np.full(WIDTHS[3], 0.01, np.float32))), params("score_pool4"),
              layer("score_pool4c", "Crop"), layer("fuse_pool4", "Eltwise"), params("upscore_pool4", "Deconvolution"),
              layer("scale_pool3", "Scale", blob(np.full(WIDTHS[2], 0.0001, np.float32))), params("score_pool3"),
              layer("score_pool3c", "Crop"), layer("fuse_pool3", "Eltwise"), params("upscore8", "Deconvolution"),
              layer("score", "Crop")]
    proto = os.path.join(HERE, "..", "Sources", "FCN", "Formats", "Caffe")
    # protoc is not installed for every user (scripts/install-system-deps): only this and the
    # other fixture scripts need it.
    subprocess.run(["bash", os.path.join(HERE, "install-system-deps"), "protobuf-compiler"], check=True)
    encoded = subprocess.run(["protoc", f"--proto_path={proto}", "--encode=caffe.NetParameter", "caffe_subset.proto"],
                             input="\n".join(lines).encode(), capture_output=True, check=True).stdout
    with open(path, "wb") as f:
        f.write(encoded)

def main():
    rng = np.random.default_rng(20150607)
    weights = make_weights(rng)
    x = (rng.uniform(-100, 100, (3, H, W))).astype(np.float32)        # a preprocessed image
    y = forward(x.astype(np.float64), weights)
    os.makedirs(OUT, exist_ok=True)
    write_safetensors(os.path.join(OUT, "tiny_fcn8s.safetensors"), weights)
    np.save(os.path.join(OUT, "tiny_fcn8s_input.npy"), x[None])
    np.save(os.path.join(OUT, "tiny_fcn8s_logits.npy"), y[None].astype(np.float32))
    write_caffemodel(os.path.join(OUT, "tiny_fcn8s_atonce.caffemodel"), weights)
    print("logits", y.shape, "max |y|", float(np.abs(y).max()), "offsets 5, 9, 31")

if __name__ == "__main__":
    main()
