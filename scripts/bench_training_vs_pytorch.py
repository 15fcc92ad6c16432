#!/usr/bin/env python3
"""One training step of the shipped VGG-mini FCN, swift-fcn against PyTorch CPU, in one run.

A step is forward + per-pixel softmax cross-entropy (void = 255 ignored, summed over the pixels)
+ backward + SGD with momentum, on one 128x128 synthetic scene, the stage's learning rules
(biases at twice the rate without decay, conv1_1's raw-pixel rule, fixed bilinear upsampling).

What it does, in order:
1. Runs `fcn-profile train-step --export DIR` once: swift-fcn writes the shipped weights of the
   stage, the scene and its labels, its score map, its loss, every parameter gradient and the
   weights after one SGD step from zero momentum, with its crop offsets and learning rules.
2. Builds the same network in PyTorch from that weights file. The layer list is written here
   (VGG-mini: the sizes come from the file's metadata and tensor shapes) and the crop offsets
   are computed here independently, with Caffe's coordinate-map arithmetic (`coord_map.py`);
   they must equal swift-fcn's.
3. Parity: runs one PyTorch step on the same input and prints the maximum relative difference
   (max |ours - torch| / max |torch|) of the scores, the loss, every gradient and every updated
   weight. This is what makes the network "identical".
4. Timing: `--rounds` rounds, each a fresh swift-fcn process then a fresh PyTorch process (same
   thread count), each warming up then timing `--steps` steps on the fixed scene. Prints every
   round, then the ratio swift/torch of the medians of the round medians and of the minima. The
   swift process also times `StageTrainer.advance()` (which also draws the scene and counts the
   arg-max hits); that ratio is printed too.

PyTorch is optional: without it (and without --install) the script says so, still checks and
times swift-fcn, and exits 0. `--install` installs it with pip; see install_torch() for what
works on a machine that can reach only PyPI.
"""
import argparse, json, os, shutil, statistics, struct, subprocess, sys, tempfile, time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


# ---------------------------------------------------------------- installing torch
def have_torch():
    try:
        import torch  # noqa: F401
        return True
    except Exception:
        return False


def pip(*args):
    cmd = [sys.executable, "-m", "pip", "install", "-q", *args]
    r = subprocess.run(cmd)
    if r.returncode != 0:   # Debian's "externally managed" Python refuses without this flag
        r = subprocess.run(cmd + ["--break-system-packages"])
    return r.returncode == 0


def install_torch():
    """`pip install torch` from PyPI, with its dependencies.

    PyPI's Linux x86-64 torch wheel (540 MB) is the CUDA build; it pulls ~3 GB of nvidia-* and
    cuda-toolkit packages that a CPU run never uses. Installing it without them does not work:
    with `pip install --no-deps torch` plus its pure-Python dependencies (filelock,
    typing-extensions, sympy, networkx, jinja2, fsspec), `import torch` fails in
    `_load_global_deps` (libcudart.so.13 not found, then libcublasLt) — torch 2.15.0, CPython
    3.11, 2026-12-02. Only PyPI is reachable on the machines this was written on (no
    download.pytorch.org CPU wheels), so the full install (~3 min at 19 MB/s, 4.2 GB on disk) it is.
    """
    print("installing torch from PyPI with its dependencies (the CUDA build: ~3.5 GB of downloads; see install_torch())", flush=True)
    pip("torch")
    return have_torch()


# ---------------------------------------------------------------- files
def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n])
    meta = header.pop("__metadata__", {})
    out = {}
    for name, h in header.items():
        assert h["dtype"] == "F32", (name, h["dtype"])
        a, b = h["data_offsets"]
        out[name] = np.frombuffer(data[8 + n + a:8 + n + b], dtype="<f4").reshape(h["shape"]).copy()
    return out, meta


# ---------------------------------------------------------------- the network, independently
def conv_center_map(k, s, p):
    """Caffe coord_map for Convolution/Pooling: top = a*bottom + b (window centres)."""
    return 1.0 / s, (p - (k - 1) / 2.0) / s


def deconv_center_map(k, s, p=0):
    return float(s), (k - 1) / 2.0 - p


def compose(m1, m2):   # first m1 then m2
    return m2[0] * m1[0], m2[0] * m1[1] + m2[1]


def crop_offset(from_map, to_map):
    """Offset of a Crop of blob A (map from_map) to blob B's size (map to_map), both data -> blob."""
    a = to_map[0] / from_map[0]
    b = to_map[1] - a * from_map[1]
    assert abs(a - 1) < 1e-9, a
    assert b <= 1e-9, b
    return int(-round(b))


def vgg_mini_plan(meta, weights, head):
    """The FCN as a list of ops, with Caffe's shapes and crop offsets computed here."""
    widths = [int(v) for v in meta["widths"].split(",")]
    depths = [int(v) for v in meta["convolutions_per_block"].split(",")]
    ops, maps = [], {"data": (1.0, 0.0)}

    def conv(name, bottom, pad, relu=True):
        k = weights[name + ".weight"].shape[2]
        ops.append(("conv", name, bottom, pad, relu))
        maps[name] = compose(maps[bottom], conv_center_map(k, 1, pad))
        return name

    def pool(name, bottom):
        ops.append(("pool", name, bottom))
        maps[name] = compose(maps[bottom], conv_center_map(2, 2, 0))
        return name

    def deconv(name, bottom):
        w = weights[name + ".weight"]
        k = w.shape[2]
        s = {4: 2, 16: 8, 32: 16, 64: 32}[k]
        ops.append(("deconv", name, bottom, s))
        maps[name] = compose(maps[bottom], deconv_center_map(k, s))
        return name

    def crop(name, bottom, reference):
        off = crop_offset(maps[bottom], maps[reference])
        ops.append(("crop", name, bottom, reference, off))
        maps[name] = maps[reference]
        return name, off

    x = "data"
    for b, (width, n) in enumerate(zip(widths, depths), 1):
        for i in range(1, n + 1):
            x = conv(f"conv{b}_{i}", x, 100 if (b, i) == (1, 1) else 1)
        x = pool(f"pool{b}", x)
    x = conv("fc6", x, 0)
    x = conv("fc7", x, 0)
    x = conv("score_fr", x, 0, relu=False)
    offsets = {}
    if head == "fcn32s":
        x = deconv("upscore", x)
    else:
        x = deconv("upscore2", x)
        p4 = conv("score_pool4", "pool4", 0, relu=False)
        c, offsets["score_pool4c"] = crop("score_pool4c", p4, x)
        ops.append(("add", "fuse_pool4", x, c)); maps["fuse_pool4"] = maps[x]; x = "fuse_pool4"
        if head == "fcn16s":
            x = deconv("upscore16", x)
        else:
            x = deconv("upscore_pool4", x)
            p3 = conv("score_pool3", "pool3", 0, relu=False)
            c, offsets["score_pool3c"] = crop("score_pool3c", p3, x)
            ops.append(("add", "fuse_pool3", x, c)); maps["fuse_pool3"] = maps[x]; x = "fuse_pool3"
            x = deconv("upscore8", x)
    _, offsets["score"] = crop("score", x, "data")
    return ops, offsets


def build_torch(ops, weights, rules, learning_rate, momentum, weight_decay):
    import torch
    import torch.nn.functional as F

    params = {n: torch.nn.Parameter(torch.from_numpy(a.copy()), requires_grad=rules[n][0] != 0) for n, a in weights.items()}

    def forward(data):
        blobs = {"data": data}
        for op in ops:
            kind, name = op[0], op[1]
            if kind == "conv":
                _, _, bottom, pad, relu = op
                y = F.conv2d(blobs[bottom], params[name + ".weight"], params[name + ".bias"], padding=pad)
                blobs[name] = F.relu(y) if relu else y
            elif kind == "pool":
                blobs[name] = F.max_pool2d(blobs[op[2]], 2, 2, ceil_mode=True)
            elif kind == "deconv":
                blobs[name] = F.conv_transpose2d(blobs[op[2]], params[name + ".weight"], stride=op[3])
            elif kind == "crop":
                _, _, bottom, reference, off = op
                h, w = blobs[reference].shape[2:]
                blobs[name] = blobs[bottom][:, :, off:off + h, off:off + w]
            elif kind == "add":
                blobs[name] = blobs[op[2]] + blobs[op[3]]
        return blobs["score"]

    # Caffe's rule v = mu*v + lr*m_lr*(g + wd*m_decay*w), w -= v equals torch's SGD with a group
    # per (m_lr, m_decay) for a constant learning rate (torch keeps lr outside the buffer).
    groups = {}
    for n, p in params.items():
        lr_mult, decay_mult = rules[n]
        if lr_mult == 0:
            continue
        groups.setdefault((lr_mult, decay_mult), []).append(p)
    optimizer = torch.optim.SGD([{"params": ps, "lr": learning_rate * m, "weight_decay": weight_decay * d}
                                 for (m, d), ps in groups.items()], lr=learning_rate, momentum=momentum)
    return params, forward, optimizer


def torch_setup(export_dir, threads):
    import torch
    import torch.nn.functional as F
    torch.set_num_threads(threads)
    ref = json.load(open(os.path.join(export_dir, "reference.json")))
    weights, meta = read_safetensors(os.path.join(export_dir, "weights.safetensors"))
    head = {"fcn32s-fixed": "fcn32s"}.get(ref["stage"], ref["stage"])
    wmeta = read_safetensors(os.path.join(ROOT, "Sources/FCN/Resources/Models", ref["stage"] + ".safetensors"))[1]
    ops, offsets = vgg_mini_plan(wmeta, weights, head)
    params, forward, optimizer = build_torch(ops, weights, ref["rules"], ref["learningRate"], ref["momentum"], ref["weightDecay"])
    x = torch.from_numpy(np.load(os.path.join(export_dir, "input.npy")).astype(np.float32))
    t = torch.from_numpy(np.load(os.path.join(export_dir, "labels.npy"))[:, 0].astype(np.int64))   # [N, H, W]
    ignore = int(ref["ignoreLabel"])
    reduction = "mean" if ref["averagesLoss"] else "sum"

    def step():
        optimizer.zero_grad(set_to_none=True)
        scores = forward(x)
        loss = F.cross_entropy(scores, t, ignore_index=ignore, reduction=reduction)
        loss.backward()
        optimizer.step()
        return scores, loss

    return ref, offsets, params, step


# ---------------------------------------------------------------- parity
def rel(a, b):
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-30))


def parity(export_dir, threads):
    import torch
    ref, offsets, params, step = torch_setup(export_dir, threads)
    ours_offsets = {k: v[0] for k, v in ref["cropOffsets"].items()}
    print(f"crop offsets: computed here {offsets}, swift-fcn {ours_offsets}"
          + ("  (equal)" if offsets == ours_offsets else "  ** DIFFERENT **"))
    before = {n: p.detach().clone() for n, p in params.items()}
    scores, loss = step()
    grads = {n: p.grad.numpy() for n, p in params.items() if p.grad is not None}
    ours_grads = read_safetensors(os.path.join(export_dir, "gradients.safetensors"))[0]
    ours_updated = read_safetensors(os.path.join(export_dir, "updated.safetensors"))[0]
    ours_scores = np.load(os.path.join(export_dir, "scores.npy"))
    s = scores.detach().numpy()
    print(f"scores {list(s.shape)}: max rel diff {rel(ours_scores, s):.2e}; "
          f"argmax agreement {100 * np.mean(ours_scores.argmax(1) == s.argmax(1)):.4f} %")
    print(f"loss: swift-fcn {ref['loss']:.6f}, torch {loss.item():.6f}, rel diff {abs(ref['loss'] - loss.item()) / abs(loss.item()):.2e}")
    # Updated weights: compared in units in the last place (ulp) of the weight, and the update
    # w1 - w0 of each side relative to torch's (that difference of two float32 numbers carries
    # the rounding of w1, so a few 1e-4 there is float32, not a different rule).
    worst_g = worst_w = worst_u = (0.0, "")
    print(f"{'parameter':22} {'|grad| torch':>13} {'grad rel diff':>14} {'w1 diff (ulp)':>14} {'update rel diff':>16}")
    for n in sorted(grads):
        g = grads[n]
        dg = rel(ours_grads[n], g)
        w0 = before[n].numpy()
        ours_w1, torch_w1 = ours_updated[n], params[n].detach().numpy()
        dw = float(np.max(np.abs(ours_w1.astype(np.float64) - torch_w1) / np.spacing(np.maximum(np.abs(w0), np.abs(torch_w1)))))
        du = rel(ours_w1 - w0, torch_w1 - w0)
        worst_g, worst_w, worst_u = max(worst_g, (dg, n)), max(worst_w, (dw, n)), max(worst_u, (du, n))
        print(f"{n:22} {np.linalg.norm(g):13.4e} {dg:14.2e} {dw:14.1f} {du:16.2e}")
    frozen = sorted(set(ours_grads) - set(grads))
    for n in frozen:
        assert np.array_equal(ours_updated[n], before[n].numpy()), n
    print(f"frozen (not updated by either): {', '.join(frozen)}")
    print(f"max rel diff of the gradients {worst_g[0]:.2e} ({worst_g[1]}); updated weights differ by at most "
          f"{worst_w[0]:.0f} ulp ({worst_w[1]}), the updates w1 - w0 by {worst_u[0]:.2e} ({worst_u[1]})")
    return offsets == ours_offsets, worst_g[0], worst_w[0]


# ---------------------------------------------------------------- timing
def torch_worker(args):
    ref, _, _, step = torch_setup(args.torch_worker, args.threads)
    times = []
    for k in range(args.warmup + args.steps):
        start = time.perf_counter()
        step()
        t = time.perf_counter() - start
        if k >= args.warmup:
            times.append(t)
    import torch
    print(json.dumps({"stepSeconds": times, "torch": torch.__version__, "threads": torch.get_num_threads()}))


def last_json_line(text):
    for line in reversed(text.strip().splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise RuntimeError("no JSON line in output:\n" + text)


def run(cmd, quiet=True):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        sys.stderr.write(r.stderr)
        raise SystemExit(f"failed: {' '.join(cmd)}")
    if not quiet:
        sys.stderr.write(r.stderr)
    return last_json_line(r.stdout)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--stage", default="fcn8s", choices=["fcn32s-fixed", "fcn32s", "fcn16s", "fcn8s"])
    ap.add_argument("--size", type=int, default=128)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--steps", type=int, default=20, help="timed steps per process")
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--fcn-profile", default=os.path.join(ROOT, ".build/release/fcn-profile"))
    ap.add_argument("--install", action="store_true", help="pip-install torch if it is missing (also: FCN_INSTALL_TORCH=1)")
    ap.add_argument("--breakdown", action="store_true", help="finally print swift-fcn's per-layer breakdown and steps/s of every stage")
    ap.add_argument("--keep", action="store_true", help="keep the exported files (printed directory)")
    ap.add_argument("--torch-worker", metavar="DIR", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.torch_worker:
        return torch_worker(args)

    torch_ok = have_torch()
    if not torch_ok and (args.install or os.environ.get("FCN_INSTALL_TORCH") == "1"):
        torch_ok = install_torch()
    if not torch_ok:
        print("SKIPPED the PyTorch side: torch is not installed (run with --install, or FCN_INSTALL_TORCH=1). "
              "Timing swift-fcn alone.", flush=True)

    export_dir = tempfile.mkdtemp(prefix="fcn-train-parity-")
    base = [args.fcn_profile, "train-step", "--stage", args.stage, "--size", str(args.size), "--threads", str(args.threads)]
    run(base + ["--export", export_dir, "--steps", "1", "--warmup", "0", "--no-breakdown", "--no-advance", "--json"])
    print(f"swift-fcn exported the weights, scene, gradients and updated weights to {export_dir}")
    if torch_ok:
        import torch
        print(f"PyTorch {torch.__version__}, {args.threads} threads; {args.stage}, one {args.size}x{args.size} scene")
        parity(export_dir, args.threads)

    swift_cmd = base + ["--steps", str(args.steps), "--warmup", str(args.warmup), "--json", "--no-breakdown"]
    torch_cmd = [sys.executable, os.path.abspath(__file__), "--torch-worker", export_dir, "--threads", str(args.threads),
                 "--steps", str(args.steps), "--warmup", str(args.warmup)]
    rows = []
    print(f"\n{args.rounds} interleaved rounds, {args.steps} timed steps per process after {args.warmup} warm-up steps (ms):")
    print(f"{'round':>5} {'swift min':>10} {'swift med':>10} {'advance med':>12} {'torch min':>10} {'torch med':>10} {'ratio med':>10}")
    for r in range(args.rounds):
        s = run(swift_cmd)
        t = run(torch_cmd) if torch_ok else None
        row = {"swift": s["stepSeconds"], "advance": s["advanceSeconds"], "torch": t["stepSeconds"] if t else None}
        rows.append(row)
        sm, smed, amed = min(row["swift"]), statistics.median(row["swift"]), statistics.median(row["advance"])
        if t:
            tm, tmed = min(row["torch"]), statistics.median(row["torch"])
            print(f"{r + 1:5} {sm * 1e3:10.2f} {smed * 1e3:10.2f} {amed * 1e3:12.2f} {tm * 1e3:10.2f} {tmed * 1e3:10.2f} {smed / tmed:10.3f}", flush=True)
        else:
            print(f"{r + 1:5} {sm * 1e3:10.2f} {smed * 1e3:10.2f} {amed * 1e3:12.2f}", flush=True)

    def summary(key, reducer):
        return [reducer(row[key]) for row in rows]
    s_med, s_min = statistics.median(summary("swift", statistics.median)), min(summary("swift", min))
    a_med = statistics.median(summary("advance", statistics.median))
    print(f"\nswift-fcn step: median of round medians {s_med * 1e3:.2f} ms, min {s_min * 1e3:.2f} ms; "
          f"StageTrainer.advance() {a_med * 1e3:.2f} ms")
    if torch_ok:
        t_med, t_min = statistics.median(summary("torch", statistics.median)), min(summary("torch", min))
        per_round = [statistics.median(row["swift"]) / statistics.median(row["torch"]) for row in rows]
        print(f"PyTorch step:   median of round medians {t_med * 1e3:.2f} ms, min {t_min * 1e3:.2f} ms")
        print(f"ratio swift/torch (one training step, {args.stage}, {args.size}x{args.size}, {args.threads} threads): "
              f"median {s_med / t_med:.3f}, min {s_min / t_min:.3f} (per round: {', '.join(f'{v:.3f}' for v in per_round)}; "
              f"range {min(per_round):.3f}-{max(per_round):.3f}); with scene generation (advance): {a_med / t_med:.3f}")
    if not args.keep:
        shutil.rmtree(export_dir, ignore_errors=True)
    if args.breakdown:
        print("\nswift-fcn breakdown (fcn-profile train-step --stages):", flush=True)
        subprocess.run(base + ["--steps", str(args.steps), "--warmup", str(args.warmup), "--stages"])


if __name__ == "__main__":
    main()
