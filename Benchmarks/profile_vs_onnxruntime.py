#!/usr/bin/env python3
"""Per-layer profile of swift-fcn's FCN forward pass, next to ONNX Runtime, in one run.

Reuses scripts/bench_vs_onnxruntime.py (weights writer, ONNX graph builder, ORT worker and the
fresh-process peak-RSS probe) but runs Benchmarks' `fcn-profile` instead of the `fcn` CLI, so
that it also prints the per-layer table. Weights, input and ONNX model are cached in --workdir
(regenerated only when missing), and the two engines are run alternately --rounds times so that
a busy machine slows both alike; the ratios are of the medians.

    swift build -c release --product fcn-profile      # in the repository root
    python3 profile_vs_onnxruntime.py --rounds 3 --runs 3
"""
import argparse, json, os, sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "scripts"))
import bench_vs_onnxruntime as bench  # noqa: E402


def prepare(args, work):
    wpath, xpath, mpath = (os.path.join(work, n) for n in ("weights.safetensors", "input.npy", "model.onnx"))
    if not all(os.path.exists(p) for p in (wpath, xpath, mpath)):
        import onnx
        rng = np.random.default_rng(0)
        weights = bench.make_weights(args.arch, args.classes, rng)
        bench.write_safetensors(wpath, weights)
        x = rng.uniform(-bench.MEAN_ABS_INPUT * 2, bench.MEAN_ABS_INPUT * 2,
                        (1, 3, args.height, args.width)).astype(np.float32)
        np.save(xpath, x)
        onnx.save(bench.build_onnx(args.arch, weights, args.height, args.width, args.classes), mpath)
    return wpath, xpath, mpath


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    bench.add_network_arguments(ap)
    ap.add_argument("--runs", type=int, default=3, help="timed forward passes per process")
    ap.add_argument("--rounds", type=int, default=1, help="processes per engine, alternating")
    ap.add_argument("--profile", default=os.path.join(HERE, "..", ".build", "release", "fcn-profile"))
    ap.add_argument("--workdir", default=None)
    ap.add_argument("--skip-ort", action="store_true", help="time swift-fcn only")
    ap.add_argument("extra", nargs="*", help="more fcn-profile options (after --), e.g. --kernels portable")
    args = ap.parse_args()

    work = args.workdir or f"/tmp/fcn-profile-{args.arch}-{args.height}x{args.width}"
    os.makedirs(work, exist_ok=True)
    wpath, xpath, mpath = prepare(args, work)
    ref_out, swift_out = os.path.join(work, "ort.npy"), os.path.join(work, "swift.npy")

    ort_t, ort_rss, sw_t, sw_rss = [], [], [], []
    for r in range(args.rounds):
        if not args.skip_ort:
            text, rss = bench.measure([sys.executable, bench.__file__, "--ort-worker", "--model", mpath, "--input", xpath,
                                       "--output", ref_out, "--threads", str(args.threads), "--runs", str(args.runs)])
            ort_t.append(float(np.median(bench.last_json_line(text)["forwardSeconds"]))); ort_rss.append(rss)
        cmd = [args.profile, "--arch", args.arch, "--weights", wpath, "--classes", str(args.classes), "--input", xpath,
               "--logits", swift_out, "--threads", str(args.threads), "--repeat", str(args.runs), "--timing-json"]
        # measure() returns stdout only: merge the per-layer table (stderr) into it. `exec` keeps
        # the shell out of the measured process tree's peak.
        text, rss = bench.measure(["sh", "-c", 'exec "$0" "$@" 2>&1', *(cmd + args.extra)])
        for line in text.splitlines():
            if not line.startswith("{"):
                print(line, file=sys.stderr)
        sw_t.append(float(np.median(bench.last_json_line(text)["forwardSeconds"]))); sw_rss.append(rss)

    print(f"{args.arch} {args.height}x{args.width}, {args.threads} threads, {args.rounds} rounds x {args.runs} runs, "
          f"cores {os.cpu_count()}, load {os.getloadavg()[0]:.1f}")
    st, sr = float(np.median(sw_t)), float(np.median(sw_rss))
    print(f"  swift-fcn   forward {st*1000:8.1f} ms (rounds: {', '.join(f'{t*1000:.0f}' for t in sw_t)})   peak RSS {sr:7.1f} MiB")
    if ort_t:
        ot, orr = float(np.median(ort_t)), float(np.median(ort_rss))
        print(f"  onnxruntime forward {ot*1000:8.1f} ms (rounds: {', '.join(f'{t*1000:.0f}' for t in ort_t)})   peak RSS {orr:7.1f} MiB")
        print(f"  ratio       time {st/ot:.3f}   memory {sr/orr:.3f}")
        rel, agree = bench.compare_outputs(ref_out, swift_out)
        print(f"  max |ours - ref| / max |ref| = {rel:.2e}   argmax agreement {agree*100:.3f}%")
        print(json.dumps({"arch": args.arch, "height": args.height, "width": args.width, "timeRatio": st / ot,
                          "memoryRatio": sr / orr, "relativeError": rel, "argmaxAgreement": agree,
                          "swiftSeconds": st, "ortSeconds": ot, "swiftPeakMiB": sr, "ortPeakMiB": orr}))


if __name__ == "__main__":
    main()
