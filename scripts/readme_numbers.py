#!/usr/bin/env python3
"""Regenerates the README's generated blocks from the committed JSON results, so that no number
in them is typed by hand. A block sits between `<!-- BEGIN generated: NAME -->` and
`<!-- END generated: NAME -->`; NAME says what fills it:

  experiments   one row per experiment arm: mean IU per seed, mean, spread, beside the paper
                (Figures/data/experiments/*.json, written by scripts/run-experiments)
  held-out      the shipped FCN-8s on the independently drawn world, per image size × object
                scale (Figures/data/held-out/fcn8s.json, written by `fcn evaluate --held-out --json`)

Usage: python3 scripts/readme_numbers.py [--check]   (--check: exit 1 if the README is stale)
"""
import glob, json, os, re, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ORDER = ["table2", "fusion", "at-once-scales", "sampling", "training-choices", "drawing"]


def pct(x):
    return "—" if x is None else f"{100 * x:.1f}"


def experiments_block():
    files = {os.path.basename(p)[:-5]: p for p in glob.glob(os.path.join(ROOT, "Figures/data/experiments/*.json"))}
    if not files:
        return "_No experiment has been run yet: `bash scripts/run-experiments`._"
    lines = []
    for name in sorted(files, key=lambda n: ORDER.index(n) if n in ORDER else 99):
        r = json.load(open(files[name]))
        seeds = r["seeds"]
        lines += [f"**{r['title']}** (`fcn experiment {name}`; {r['validationCount']} validation scenes of {r['sceneSize']}²)", "",
                  "| arm | " + " | ".join(f"seed {s}" for s in seeds) + " | mean IU | spread | held out | train s |",
                  "|---|" + "---:|" * (len(seeds) + 4)]
        for row in r["rows"]:
            by = {o["seed"]: o for o in row["outcomes"]}
            ius = [o["meanIU"] for o in row["outcomes"]]
            mean = sum(ius) / len(ius) if ius else None
            spread = (max(ius) - min(ius)) if ius else None
            secs = sum(o["seconds"] for o in row["outcomes"]) / max(1, len(row["outcomes"]))
            held = [o["heldOutMeanIU"] for o in row["outcomes"] if o.get("heldOutMeanIU") is not None]
            lines.append(f"| {row['name']} | " + " | ".join(pct(by[s]["meanIU"]) if s in by else "—" for s in seeds)
                         + f" | **{pct(mean)}** | {pct(spread)} | {pct(sum(held) / len(held)) if held else '—'} | {secs:.0f} |")
        lines += ["", f"Paper: {r['paper']}", ""]
    return "\n".join(lines).rstrip()


def held_out_block():
    path = os.path.join(ROOT, "Figures/data/held-out/fcn8s.json")
    if not os.path.exists(path):
        return "_Not measured yet: `fcn evaluate --stage fcn8s --held-out --json Figures/data/held-out/fcn8s.json`._"
    r = json.load(open(path))
    sizes, scales = [], []
    for s in r["scenes"]:
        name = f"{s['size']['width']}×{s['size']['height']}"
        if name not in sizes: sizes.append(name)
        if s["scale"] not in scales: scales.append(s["scale"])
    lines = ["| image \\ object radius | " + " | ".join(scales) + " | all |", "|---|" + "---:|" * (len(scales) + 1)]
    for size in sizes:
        lines.append(f"| {size} | " + " | ".join(pct(r["meanIUByCell"].get(f"{size}/{sc}")) for sc in scales)
                     + f" | **{pct(r['meanIUBySize'][size])}** |")
    lines.append("| all | " + " | ".join(pct(r["meanIUByScale"][sc]) for sc in scales) + f" | **{pct(r['meanIU'])}** |")
    worst = min(r["scenes"], key=lambda s: s["meanIU"])
    lines += ["", f"{len(r['scenes'])} scenes ({r['scenesPerCell']} per cell, seed {r['seed']}); worst scene {pct(worst['meanIU'])} "
              f"({worst['size']['width']}×{worst['size']['height']}, {worst['scale']} objects, {worst['background']} background, "
              f"{worst['fill']} shapes). IU by class: "
              + ", ".join(f"{k} {pct(v)}" for k, v in sorted(r["iuByClass"].items(), key=lambda kv: kv[0]))]
    return "\n".join(lines)


BLOCKS = {"experiments": experiments_block, "held-out": held_out_block}


def main():
    path = os.path.join(ROOT, "README.md")
    text = open(path, encoding="utf-8").read()
    new = text
    for name, make in BLOCKS.items():
        pattern = re.compile(r"(<!-- BEGIN generated: %s -->\n)(?:.*?\n)?(<!-- END generated: %s -->)" % (re.escape(name), re.escape(name)), re.S)
        new = pattern.sub(lambda m: m.group(1) + make() + "\n" + m.group(2), new)
    if "--check" in sys.argv:
        if new != text:
            print("README.md: a generated block is stale; run python3 scripts/readme_numbers.py", file=sys.stderr)
            sys.exit(1)
        return
    if new != text:
        open(path, "w", encoding="utf-8").write(new)
        print("README.md: generated blocks updated")


if __name__ == "__main__":
    main()
