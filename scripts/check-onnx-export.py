#!/usr/bin/env python3
"""ONNX export parity: `fcn convert W.safetensors M.onnx` run by ONNX Runtime against
`fcn segment --weights W --input x.npy --logits y.npy` on the same preprocessed input.

What it does, for each network:
1. Writes weights: the shipped VGG-mini stages (Sources/FCN/Resources/Models) with their tensor
   names, shapes and metadata kept and every value replaced by seeded random numbers (He
   scaling, so scores neither vanish nor explode), plus the shipped trained FCN-8s as it is,
   plus the tiny FCN-8s-at-once .caffemodel test fixture (the Caffe input path).
2. Exports it with `fcn convert … .onnx` (one file for every input size: H and W are dynamic).
3. For two input sizes (odd ones, so that Caffe's ceil-mode pooling and the derived crop
   offsets matter), runs ONNX Runtime (CPU) and `fcn segment --logits` on the same random
   input and prints the maximum absolute difference relative to the largest score.
The check passes when every relative difference is at most 1e-4 (the issue's tolerance) and
the class maps (argmax) agree.

Only numpy and onnxruntime are needed; they are installed with pip if missing.
    python3 scripts/check-onnx-export.py [--fcn .build/debug/fcn]
"""
import argparse, json, os, struct, subprocess, sys, tempfile

try:
    import numpy as np
    import onnxruntime as ort
except ImportError:
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "numpy", "onnxruntime"], check=True)
    import numpy as np
    import onnxruntime as ort

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODELS = os.path.join(ROOT, "Sources", "FCN", "Resources", "Models")
TOLERANCE = 1e-4
SIZES = [(67, 93), (128, 101)]


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    metadata = header.pop("__metadata__", {})
    tensors = {}
    for name, info in header.items():
        assert info["dtype"] == "F32", (path, name, info["dtype"])
        a, b = info["data_offsets"]
        tensors[name] = np.frombuffer(data[a:b], "<f4").reshape(info["shape"])
    return tensors, metadata


def write_safetensors(path, tensors, metadata):
    header, offset, blobs = {}, 0, []
    for name in sorted(tensors):
        a = np.ascontiguousarray(tensors[name], dtype="<f4")
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [offset, offset + a.nbytes]}
        offset += a.nbytes
        blobs.append(a)
    header["__metadata__"] = metadata
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for a in blobs:
            f.write(a.tobytes())


def randomised(tensors, rng):
    out = {}
    for name, t in tensors.items():
        fan_in = int(np.prod(t.shape[1:])) if t.ndim > 1 else 1
        scale = np.sqrt(2.0 / fan_in) if t.ndim > 1 else 0.1
        out[name] = (rng.standard_normal(t.shape) * scale).astype(np.float32)
    return out


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr}")
    return p


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--fcn", default=os.path.join(ROOT, ".build", "debug", "fcn"), help="the fcn binary")
    args = ap.parse_args()
    rng = np.random.default_rng(17)
    cases = [(f"random {stage}", stage, True) for stage in ["fcn32s", "fcn16s", "fcn8s", "fcn8s-atonce"]]
    cases.append(("shipped fcn8s", "fcn8s", False))
    cases.append(("caffemodel atonce", os.path.join(ROOT, "Tests", "FCNTests", "Models", "Fixtures", "tiny_fcn8s_atonce.caffemodel"), False))
    worst, failures = 0.0, 0
    with tempfile.TemporaryDirectory(prefix="fcn-onnx-") as tmp:
        for label, stage, random in cases:
            if stage.endswith(".caffemodel"):
                weights = stage                                    # read as it is
            else:
                tensors, metadata = read_safetensors(os.path.join(MODELS, stage + ".safetensors"))
                weights = os.path.join(tmp, label.replace(" ", "-") + ".safetensors")
                write_safetensors(weights, randomised(tensors, rng) if random else tensors, metadata)
            model = os.path.join(tmp, label.replace(" ", "-") + ".onnx")
            run([args.fcn, "convert", weights, model])
            session = ort.InferenceSession(model, providers=["CPUExecutionProvider"])
            for h, w in SIZES:
                x = (rng.standard_normal((1, 3, h, w)) * 64).astype(np.float32)   # a preprocessed image's range
                xpath, ypath = os.path.join(tmp, "x.npy"), os.path.join(tmp, "y.npy")
                np.save(xpath, x)
                if os.path.exists(ypath):
                    os.remove(ypath)
                run([args.fcn, "segment", "--weights", weights, "--input", xpath, "--logits", ypath])
                ours = np.load(ypath)
                theirs = session.run(None, {"data": x})[0]
                if ours.shape != theirs.shape:
                    print(f"FAIL {label} {h}×{w}: shapes {ours.shape} (fcn) vs {theirs.shape} (ONNX Runtime)")
                    failures += 1
                    continue
                rel = float(np.abs(ours - theirs).max() / max(np.abs(theirs).max(), 1e-30))
                agree = float((ours.argmax(1) == theirs.argmax(1)).mean())
                ok = rel <= TOLERANCE
                worst = max(worst, rel)
                failures += 0 if ok else 1
                print(f"{'ok  ' if ok else 'FAIL'} {label:20s} {h:3d}×{w:<3d} scores {list(theirs.shape)}  "
                      f"max |fcn − ORT| / max |ORT| = {rel:.2e}  argmax agreement {agree:.4f}")
    print(f"worst relative difference {worst:.2e} (tolerance {TOLERANCE:.0e}); {failures} failure(s)")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
