#!/usr/bin/env python3
"""FCN inference, swift-fcn against ONNX Runtime, on the same machine in one run.

What it does, in order:
1. Writes random FCN weights (VGG16 backbone, Berkeley voc-fcn{8,16,32}s layout) to a
   safetensors file with its own small writer (independent of swift-fcn's) and a random
   preprocessed input to a .npy file.
2. Builds the same network as an ONNX graph from those weights. Shapes and crop offsets are
   computed here independently (Caffe arithmetic: pad 100, ceil-mode pooling, crops 5/9/31).
3. Runs ONNX Runtime (CPU, MLAS) and swift-fcn's release build, each in its own process, with
   the same thread count; each warms up, then times the forward pass several times.
4. Prints both medians and their ratio, both processes' peak RSS and their ratio, the maximum
   absolute error relative to ONNX Runtime's largest score, and per-pixel argmax agreement.

Only numpy, onnx and onnxruntime are needed (the wrapper script installs them if missing).

With --precision bf16 (a CPU with AVX512-BF16 or AMX) it times instead, in interleaved rounds
(each round: ONNX Runtime f32, OpenVINO bf16, swift-fcn bf16, swift-fcn f32, each in a fresh
process that warms up and then times --runs passes): swift-fcn with `--precision bf16` against
OpenVINO with INFERENCE_PRECISION_HINT=bf16, with ONNX Runtime f32 as the common reference of
time and of accuracy. It prints the per-round ratios and their medians, both bf16 engines' error
and argmax agreement against f32, and what OpenVINO says it compiled: its precision hint and the
runtime precision of its convolution nodes (whether it really ran bf16). Needs openvino too.
"""
import argparse, json, os, resource, struct, subprocess, sys, tempfile, time

import numpy as np

MEAN_ABS_INPUT = 64.0
VGG_BLOCKS = [(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)]


# ---------------------------------------------------------------- the network, as a list
def conv_out(n, k, s, p):
    return (n + 2 * p - k) // s + 1


def pool_out(n, k=2, s=2, p=0):
    # Caffe ceil mode: the last window may hang over the edge.
    out = -(-(n + 2 * p - k) // s) + 1
    if p > 0 and (out - 1) * s >= n + p:
        out -= 1
    return out


def deconv_out(n, k, s):
    return s * (n - 1) + k


def bilinear(channels, k):
    f = (k + 1) // 2
    c = f - 1 if k % 2 == 1 else f - 0.5
    og = np.ogrid[:k, :k]
    filt = (1 - abs(og[0] - c) / f) * (1 - abs(og[1] - c) / f)
    w = np.zeros((channels, channels, k, k), np.float32)
    for i in range(channels):
        w[i, i] = filt
    return w


def make_weights(arch, classes, rng):
    """Random weights with He scaling so activations neither vanish nor explode."""
    w = {}
    cin = 3
    for b, (width, n) in enumerate(VGG_BLOCKS, 1):
        for i in range(1, n + 1):
            name = f"conv{b}_{i}"
            w[name + ".weight"] = (rng.standard_normal((width, cin, 3, 3)) * np.sqrt(2 / (cin * 9))).astype(np.float32)
            w[name + ".bias"] = (rng.standard_normal(width) * 0.01).astype(np.float32)
            cin = width
    w["fc6.weight"] = (rng.standard_normal((4096, 512, 7, 7)) * np.sqrt(2 / (512 * 49))).astype(np.float32)
    w["fc6.bias"] = np.zeros(4096, np.float32)
    w["fc7.weight"] = (rng.standard_normal((4096, 4096, 1, 1)) * np.sqrt(2 / 4096)).astype(np.float32)
    w["fc7.bias"] = np.zeros(4096, np.float32)
    w["score_fr.weight"] = (rng.standard_normal((classes, 4096, 1, 1)) * np.sqrt(1 / 4096)).astype(np.float32)
    w["score_fr.bias"] = np.zeros(classes, np.float32)
    if arch == "fcn32s":
        w["upscore.weight"] = bilinear(classes, 64)
    else:
        w["upscore2.weight"] = bilinear(classes, 4)
        w["score_pool4.weight"] = (rng.standard_normal((classes, 512, 1, 1)) * np.sqrt(1 / 512)).astype(np.float32)
        w["score_pool4.bias"] = np.zeros(classes, np.float32)
        if arch == "fcn16s":
            w["upscore16.weight"] = bilinear(classes, 32)
        else:
            w["upscore_pool4.weight"] = bilinear(classes, 4)
            w["score_pool3.weight"] = (rng.standard_normal((classes, 256, 1, 1)) * np.sqrt(1 / 256)).astype(np.float32)
            w["score_pool3.bias"] = np.zeros(classes, np.float32)
            w["upscore8.weight"] = bilinear(classes, 16)
    return w


def write_safetensors(path, tensors):
    header, offset, blobs = {}, 0, []
    for name in sorted(tensors):
        a = np.ascontiguousarray(tensors[name], dtype="<f4")
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [offset, offset + a.nbytes]}
        offset += a.nbytes
        blobs.append(a)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for a in blobs:
            f.write(a.tobytes())


def build_onnx(arch, weights, h, w, classes):
    import onnx
    from onnx import helper, numpy_helper, TensorProto
    nodes, inits = [], []
    for name, a in weights.items():
        inits.append(numpy_helper.from_array(a, name))

    def conv(x, name, k, pad, relu=True):
        ins = [x, name + ".weight", name + ".bias"]
        nodes.append(helper.make_node("Conv", ins, [name], kernel_shape=[k, k], pads=[pad] * 4, name=name))
        if relu:
            nodes.append(helper.make_node("Relu", [name], [name + "_r"]))
            return name + "_r"
        return name

    def pool(x, name):
        nodes.append(helper.make_node("MaxPool", [x], [name], kernel_shape=[2, 2], strides=[2, 2], ceil_mode=1))
        return name

    def deconv(x, name, k, s):
        nodes.append(helper.make_node("ConvTranspose", [x, name + ".weight"], [name], kernel_shape=[k, k], strides=[s, s]))
        return name

    def crop(x, name, off, size):
        st = numpy_helper.from_array(np.array([off, off], np.int64), name + "_st")
        en = numpy_helper.from_array(np.array([off + size[0], off + size[1]], np.int64), name + "_en")
        ax = numpy_helper.from_array(np.array([2, 3], np.int64), name + "_ax")
        inits.extend([st, en, ax])
        nodes.append(helper.make_node("Slice", [x, name + "_st", name + "_en", name + "_ax"], [name]))
        return name

    def add(a, b, name):
        nodes.append(helper.make_node("Add", [a, b], [name]))
        return name

    x, size = "data", (h, w)
    feats = {}
    for b, (_, n) in enumerate(VGG_BLOCKS, 1):
        for i in range(1, n + 1):
            pad = 100 if (b, i) == (1, 1) else 1
            x = conv(x, f"conv{b}_{i}", 3, pad)
            size = tuple(conv_out(s, 3, 1, pad) for s in size)
        x = pool(x, f"pool{b}")
        size = tuple(pool_out(s) for s in size)
        feats[b] = (x, size)
    x = conv(x, "fc6", 7, 0); size = tuple(conv_out(s, 7, 1, 0) for s in size)
    x = conv(x, "fc7", 1, 0)
    x = conv(x, "score_fr", 1, 0, relu=False)
    if arch == "fcn32s":
        x = deconv(x, "upscore", 64, 32)
        x = crop(x, "score", 19, (h, w))
    else:
        x = deconv(x, "upscore2", 4, 2); size = tuple(deconv_out(s, 4, 2) for s in size)
        p4 = conv(feats[4][0], "score_pool4", 1, 0, relu=False)
        x = add(x, crop(p4, "score_pool4c", 5, size), "fuse_pool4")
        if arch == "fcn16s":
            x = deconv(x, "upscore16", 32, 16)
            x = crop(x, "score", 27, (h, w))
        else:
            x = deconv(x, "upscore_pool4", 4, 2); size = tuple(deconv_out(s, 4, 2) for s in size)
            p3 = conv(feats[3][0], "score_pool3", 1, 0, relu=False)
            x = add(x, crop(p3, "score_pool3c", 9, size), "fuse_pool3")
            x = deconv(x, "upscore8", 16, 8)
            x = crop(x, "score", 31, (h, w))
    graph = helper.make_graph(
        nodes, arch, [helper.make_tensor_value_info("data", TensorProto.FLOAT, [1, 3, h, w])],
        [helper.make_tensor_value_info(x, TensorProto.FLOAT, [1, classes, h, w])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    return model


# ---------------------------------------------------------------- workers and timing
def ort_worker(args):
    import onnxruntime as ort
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = args.threads
    opts.inter_op_num_threads = 1
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    sess = ort.InferenceSession(args.model, opts, providers=["CPUExecutionProvider"])
    x = np.load(args.input)
    out = sess.run(None, {"data": x})[0]          # warm-up
    times = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        out = sess.run(None, {"data": x})[0]
        times.append(time.perf_counter() - t0)
    np.save(args.output, out)
    print(json.dumps({"forwardSeconds": times}))


def ov_worker(args):
    """OpenVINO on the CPU with the bf16 precision hint, one stream, --threads threads."""
    import openvino as ov
    core = ov.Core()
    config = {"INFERENCE_PRECISION_HINT": "bf16", "INFERENCE_NUM_THREADS": args.threads,
              "NUM_STREAMS": 1, "PERFORMANCE_HINT": "LATENCY"}
    compiled = core.compile_model(core.read_model(args.model), "CPU", config)
    request = compiled.create_infer_request()
    x = np.load(args.input)
    out = request.infer({0: x})[compiled.output(0)]          # warm-up
    times = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        out = request.infer({0: x})[compiled.output(0)]
        times.append(time.perf_counter() - t0)
    np.save(args.output, np.asarray(out, dtype=np.float32))
    # What it compiled: the hint it kept, and each convolution node's runtime precision.
    precisions = {}
    for op in compiled.get_runtime_model().get_ops():
        info = op.get_rt_info()
        def field(key):
            return info[key].astype(str) if key in info else "?"
        if field("layerType") in ("Convolution", "Deconvolution"):
            key = f"{field('layerType')} {field('runtimePrecision')} ({field('primitiveType')})"
            precisions[key] = precisions.get(key, 0) + 1
    print(json.dumps({"forwardSeconds": times, "hint": compiled.get_property("INFERENCE_PRECISION_HINT").to_string(),
                      "convolutionPrecisions": precisions}))


def measure(cmd):
    """Runs cmd in a child of a fresh interpreter so ru_maxrss belongs to cmd alone."""
    probe = (
        "import resource,subprocess,sys,json;"
        "p=subprocess.run(sys.argv[1:],capture_output=True,text=True);"
        "r=resource.getrusage(resource.RUSAGE_CHILDREN);"
        "print(json.dumps({'rc':p.returncode,'out':p.stdout,'err':p.stderr[-4000:],'maxrssKiB':r.ru_maxrss}))"
    )
    res = json.loads(subprocess.run([sys.executable, "-c", probe] + cmd, capture_output=True, text=True, check=True).stdout)
    if res["rc"] != 0:
        sys.exit(f"command failed ({res['rc']}): {' '.join(cmd)}\n{res['err']}")
    return res["out"], res["maxrssKiB"] / 1024.0


def last_json_line(text):
    for line in reversed(text.strip().splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    sys.exit("no timing line in output:\n" + text[-2000:])


def compare_outputs(ref_path, ours_path):
    """Max |ours − ref| relative to max |ref|, and the fraction of pixels whose arg-max class agrees."""
    ref, ours = np.load(ref_path), np.load(ours_path)
    if ref.shape != ours.shape:
        sys.exit(f"shape mismatch: onnxruntime {ref.shape}, swift-fcn {ours.shape}")
    rel = float(np.abs(ours - ref).max() / np.abs(ref).max())
    agree = float((ours.argmax(1) == ref.argmax(1)).mean())
    return rel, agree


def add_network_arguments(ap):
    """The job both benchmark scripts time: which FCN, on what input size, with how many threads."""
    ap.add_argument("--arch", default="fcn8s", choices=["fcn8s", "fcn16s", "fcn32s"])
    ap.add_argument("--height", type=int, default=500)
    ap.add_argument("--width", type=int, default=500)
    ap.add_argument("--classes", type=int, default=21)
    ap.add_argument("--threads", type=int, default=2)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_network_arguments(ap)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--fcn", default=".build/release/fcn", help="the swift-fcn binary")
    ap.add_argument("--workdir", default=None)
    ap.add_argument("--precision", default="f32", choices=["f32", "bf16"],
                    help="bf16: swift-fcn bf16 against OpenVINO bf16, ONNX Runtime f32 as reference (see above)")
    ap.add_argument("--rounds", type=int, default=3, help="interleaved rounds of the bf16 comparison")
    ap.add_argument("--ort-worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--ov-worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--model"); ap.add_argument("--input"); ap.add_argument("--output")
    args = ap.parse_args()
    if args.ort_worker:
        return ort_worker(args)
    if args.ov_worker:
        return ov_worker(args)

    work = args.workdir or tempfile.mkdtemp(prefix="fcn-bench-")
    os.makedirs(work, exist_ok=True)
    rng = np.random.default_rng(0)
    weights = make_weights(args.arch, args.classes, rng)
    wpath, xpath = os.path.join(work, "weights.safetensors"), os.path.join(work, "input.npy")
    mpath = os.path.join(work, "model.onnx")
    write_safetensors(wpath, weights)
    x = rng.uniform(-MEAN_ABS_INPUT * 2, MEAN_ABS_INPUT * 2, (1, 3, args.height, args.width)).astype(np.float32)
    np.save(xpath, x)
    import onnx
    onnx.save(build_onnx(args.arch, weights, args.height, args.width, args.classes), mpath)
    del weights

    if args.precision == "bf16":
        return bench_bf16(args, work, wpath, xpath, mpath)
    ref_out, swift_out = os.path.join(work, "ort.npy"), os.path.join(work, "swift.npy")
    ort_text, ort_rss = measure([sys.executable, os.path.abspath(__file__), "--ort-worker", "--model", mpath,
                                 "--input", xpath, "--output", ref_out, "--threads", str(args.threads),
                                 "--runs", str(args.runs)])
    swift_text, swift_rss = measure([args.fcn, "segment", "--arch", args.arch, "--weights", wpath,
                                     "--classes", str(args.classes), "--input", xpath, "--logits", swift_out,
                                     "--threads", str(args.threads), "--repeat", str(args.runs), "--timing-json"])
    ort_t = float(np.median(last_json_line(ort_text)["forwardSeconds"]))
    swift_t = float(np.median(last_json_line(swift_text)["forwardSeconds"]))
    rel, agree = compare_outputs(ref_out, swift_out)
    print(f"{args.arch} {args.height}x{args.width}, {args.classes} classes, {args.threads} threads, median of {args.runs}")
    print(f"  forward   swift-fcn {swift_t*1000:9.1f} ms   onnxruntime {ort_t*1000:9.1f} ms   ratio {swift_t/ort_t:.3f}")
    print(f"  peak RSS  swift-fcn {swift_rss:9.1f} MiB  onnxruntime {ort_rss:9.1f} MiB  ratio {swift_rss/ort_rss:.3f}")
    print(f"  max |ours - ref| / max |ref| = {rel:.2e}   argmax agreement {agree*100:.3f}%")
    print(json.dumps({"arch": args.arch, "height": args.height, "width": args.width, "timeRatio": swift_t / ort_t,
                      "swiftSeconds": swift_t, "ortSeconds": ort_t, "swiftPeakMiB": swift_rss, "ortPeakMiB": ort_rss,
                      "memoryRatio": swift_rss / ort_rss, "relativeError": rel, "argmaxAgreement": agree}))


def bench_bf16(args, work, wpath, xpath, mpath):
    """Interleaved rounds: ORT f32, OpenVINO bf16, swift-fcn bf16, swift-fcn f32 (see the docstring)."""
    def out(name):
        return os.path.join(work, name + ".npy")

    def swift(precision):
        return [args.fcn, "segment", "--arch", args.arch, "--weights", wpath, "--classes", str(args.classes),
                "--input", xpath, "--logits", out("swift-" + precision), "--threads", str(args.threads),
                "--repeat", str(args.runs), "--timing-json", "--precision", precision]

    worker = [sys.executable, os.path.abspath(__file__), "--model", mpath, "--input", xpath,
              "--threads", str(args.threads), "--runs", str(args.runs)]
    engines = {
        "ort-f32": worker + ["--ort-worker", "--output", out("ort-f32")],
        "openvino-bf16": worker + ["--ov-worker", "--output", out("openvino-bf16")],
        "swift-bf16": swift("bf16"),
        "swift-f32": swift("f32"),
    }
    times = {name: [] for name in engines}          # per round: the median of the process's passes
    fastest = {name: [] for name in engines}        # per round: its fastest pass (less disturbed by other load)
    peaks = {name: 0.0 for name in engines}
    ov_info = None
    for r in range(args.rounds):
        for name, cmd in engines.items():
            text, rss = measure(cmd)
            line = last_json_line(text)
            times[name].append(float(np.median(line["forwardSeconds"])))
            fastest[name].append(float(np.min(line["forwardSeconds"])))
            peaks[name] = max(peaks[name], rss)
            if name == "openvino-bf16":
                ov_info = line
        print(f"round {r + 1}: " + "  ".join(f"{n} {times[n][-1]*1000:.1f} ms" for n in engines), flush=True)
    med = {n: float(np.median(t)) for n, t in times.items()}

    def ratio(a, b, table=times):
        return float(np.median([x / y for x, y in zip(table[a], table[b])]))

    print(f"{args.arch} {args.height}x{args.width}, {args.classes} classes, {args.threads} threads, "
          f"{args.rounds} interleaved rounds of {args.runs} timed passes (medians)")
    for n in engines:
        print(f"  {n:14s} {med[n]*1000:9.1f} ms (fastest {min(fastest[n])*1000:9.1f})   peak RSS {peaks[n]:8.1f} MiB   "
              f"time / ORT f32 {ratio(n, 'ort-f32'):.3f} (by fastest passes {ratio(n, 'ort-f32', fastest):.3f})")
    print(f"  swift-fcn bf16 / OpenVINO bf16 time: {ratio('swift-bf16', 'openvino-bf16'):.3f} "
          f"(by fastest passes {ratio('swift-bf16', 'openvino-bf16', fastest):.3f})   "
          f"swift-fcn bf16 / swift-fcn f32: {ratio('swift-bf16', 'swift-f32'):.3f} "
          f"(by fastest {ratio('swift-bf16', 'swift-f32', fastest):.3f})")
    accuracy = {}
    for n in ["openvino-bf16", "swift-bf16", "swift-f32"]:
        rel, agree = compare_outputs(out("ort-f32"), out(n))
        accuracy[n] = {"relativeError": rel, "argmaxAgreement": agree}
        print(f"  {n:14s} against ORT f32: max |diff| / max |ref| = {rel:.2e}   argmax agreement {agree*100:.3f}%")
    print(f"  OpenVINO compiled with INFERENCE_PRECISION_HINT={ov_info['hint']}; "
          f"convolution nodes by runtime precision: {ov_info['convolutionPrecisions']}")
    print(json.dumps({"arch": args.arch, "height": args.height, "width": args.width, "threads": args.threads,
                      "rounds": args.rounds, "medianSeconds": med, "peakMiB": peaks,
                      "ratios": {"swiftBF16/openvinoBF16": ratio("swift-bf16", "openvino-bf16"),
                                 "swiftBF16/ortF32": ratio("swift-bf16", "ort-f32"),
                                 "openvinoBF16/ortF32": ratio("openvino-bf16", "ort-f32"),
                                 "swiftF32/ortF32": ratio("swift-f32", "ort-f32"),
                                 "swiftBF16/swiftF32": ratio("swift-bf16", "swift-f32")},
                      "ratiosByFastestPass": {"swiftBF16/openvinoBF16": ratio("swift-bf16", "openvino-bf16", fastest),
                                              "swiftBF16/ortF32": ratio("swift-bf16", "ort-f32", fastest),
                                              "openvinoBF16/ortF32": ratio("openvino-bf16", "ort-f32", fastest),
                                              "swiftF32/ortF32": ratio("swift-f32", "ort-f32", fastest)},
                      "perRoundSeconds": times,
                      "accuracy": accuracy, "openvino": {"hint": ov_info["hint"],
                                                         "convolutionPrecisions": ov_info["convolutionPrecisions"]}}))


if __name__ == "__main__":
    main()
