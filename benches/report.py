#!/usr/bin/env python3
"""Turns one `cargo bench` run's criterion estimates into BENCHMARKS.md's
tables (median time of each implementation over the baseline's, with the
spread from criterion's 95% confidence intervals) and two SVG charts for the
batching and GSO groups. Only ratios between neighbours of one run are
printed, never an absolute time.

    python3 benches/report.py [target/criterion] [--svg docs] [--interleaved FILE]

FILE holds the output of `instr ratios` (benches/instr.rs): interleaved
ratios to libc for groups 1-5, added to those groups' tables as a column.

Standard library only (no matplotlib): the charts are written by hand.
"""

import json
import os
import sys

# Group -> baseline row, in the order the tables list the groups.
GROUPS = [
    ("udp-connected", "libc"),
    ("udp-unconnected-typed", "libc"),
    ("udp-unconnected-raw", "libc"),
    ("unix-dgram", "libc"),
    ("tcp-rr", "libc"),
    ("tcp-bulk", "libc"),
    ("udp-batch", "libc-single"),
    ("udp-gso", "libc-single"),
    ("text-ntop-v4", "glibc"),
    ("text-ntop-v6", "glibc"),
    ("text-pton-v4", "glibc"),
    ("text-pton-v6", "glibc"),
]

ORDER = ["zerosock", "libc", "std", "rustix", "socket2", "nix", "glibc", "core"]


def load(root):
    """{group: {function: (median, low, high)}} from criterion's files."""
    out = {}
    for group in sorted(os.listdir(root)):
        gdir = os.path.join(root, group)
        if not os.path.isdir(gdir):
            continue
        for fn in sorted(os.listdir(gdir)):
            est = os.path.join(gdir, fn, "new", "estimates.json")
            bench = os.path.join(gdir, fn, "new", "benchmark.json")
            if not os.path.exists(est) or not os.path.exists(bench):
                continue
            with open(bench) as f:
                meta = json.load(f)
            with open(est) as f:
                median = json.load(f)["median"]
            ci = median["confidence_interval"]
            out.setdefault(meta["group_id"], {})[meta["function_id"]] = (
                median["point_estimate"],
                ci["lower_bound"],
                ci["upper_bound"],
            )
    return out


def sort_key(name):
    base = name.split("-")[0]
    return (ORDER.index(base) if base in ORDER else len(ORDER), name)


def ratios(rows, base):
    """[(name, ratio, low, high)]: time over the baseline's; the spread pairs
    each end of one interval with the opposite end of the other."""
    b, bl, bh = rows[base]
    return [
        (name, m / b, lo / bh, hi / bl)
        for name, (m, lo, hi) in sorted(rows.items(), key=lambda kv: sort_key(kv[0]))
    ]


def load_interleaved(path):
    """{group: {impl: (median, q1, q3, lo, hi, rounds)}} from `instr ratios`."""
    out = {}
    with open(path) as f:
        for line in f:
            w = line.split()
            if len(w) == 10 and w[2] == "median":
                q1, q3 = w[5].split("-")
                lo, hi = w[7].split("-")
                out.setdefault(w[0], {})[w[1]] = (float(w[3]), float(q1), float(q3), float(lo), float(hi), int(w[9]))
    return out


def table(data, inter):
    lines = []
    for group, base in GROUPS:
        if group not in data or base not in data[group]:
            continue
        il = inter.get(group, {})
        lines.append(f"\n#### {group} (time ÷ {base}; lower is faster)\n")
        if il:
            rounds = next(iter(il.values()))[5]
            lines.append(
                f"| implementation | interleaved: median ratio | quartiles over {rounds} rounds "
                "| criterion: median ratio | 95% CI |"
            )
            lines.append("| --- | ---: | --- | ---: | --- |")
        else:
            lines.append("| implementation | median ratio | 95% CI of the ratio |")
            lines.append("| --- | ---: | --- |")
        for name, r, lo, hi in ratios(data[group], base):
            if il:
                m, q1, q3 = il[name][:3] if name in il else (float("nan"),) * 3
                lines.append(f"| {name} | {m:.3f} | {q1:.3f} – {q3:.3f} | {r:.3f} | {lo:.3f} – {hi:.3f} |")
            else:
                lines.append(f"| {name} | {r:.3f} | {lo:.3f} – {hi:.3f} |")
    return "\n".join(lines)


def svg_chart(title, subtitle, rows, path):
    """A horizontal bar chart of speed-ups (baseline time / row time) with
    whiskers for the spread."""
    bar_h, gap, left, right, top = 22, 10, 150, 70, 56
    width = 680
    plot_w = width - left - right
    vmax = max(1.0 / lo for _, _, lo, _ in rows) * 1.08
    height = top + len(rows) * (bar_h + gap) + 40

    def x(v):
        return left + plot_w * v / vmax

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="10" y="20" font-size="15" font-weight="bold">{title}</text>',
        f'<text x="10" y="38" fill="#555">{subtitle}</text>',
    ]
    # Grid lines at whole multiples.
    step = 1 if vmax < 12 else 2 if vmax < 24 else 5
    v = 0
    while v <= vmax:
        out.append(f'<line x1="{x(v):.1f}" y1="{top - 6}" x2="{x(v):.1f}" y2="{height - 30}" stroke="#ddd"/>')
        out.append(f'<text x="{x(v):.1f}" y="{height - 14}" text-anchor="middle" fill="#555">{v}×</text>')
        v += step
    for i, (name, r, lo, hi) in enumerate(rows):
        y = top + i * (bar_h + gap)
        speed, s_lo, s_hi = 1 / r, 1 / hi, 1 / lo
        colour = "#2b6cb0" if name.startswith("zerosock") else "#a0aec0"
        out.append(f'<text x="{left - 8}" y="{y + bar_h * 0.7:.1f}" text-anchor="end">{name}</text>')
        out.append(f'<rect x="{left}" y="{y}" width="{x(speed) - left:.1f}" height="{bar_h}" fill="{colour}"/>')
        cy = y + bar_h / 2
        out.append(f'<line x1="{x(s_lo):.1f}" y1="{cy}" x2="{x(s_hi):.1f}" y2="{cy}" stroke="black"/>')
        for s in (s_lo, s_hi):
            out.append(f'<line x1="{x(s):.1f}" y1="{cy - 5}" x2="{x(s):.1f}" y2="{cy + 5}" stroke="black"/>')
        out.append(f'<text x="{x(max(speed, s_hi)) + 6:.1f}" y="{y + bar_h * 0.7:.1f}">{speed:.2f}×</text>')
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def main(argv):
    root, svg_dir, inter = "target/criterion", None, {}
    args = list(argv)
    while args:
        a = args.pop(0)
        if a == "--svg":
            svg_dir = args.pop(0)
        elif a == "--interleaved":
            inter = load_interleaved(args.pop(0))
        else:
            root = a
    data = load(root)
    print(table(data, inter))
    if svg_dir:
        os.makedirs(svg_dir, exist_ok=True)
        charts = [
            ("udp-batch", "libc-single", "bench-batch.svg",
             "32 datagrams of 64 B: batched vs single calls",
             "throughput relative to 32 × libc send+recv (higher is better)"),
            ("udp-gso", "libc-single", "bench-gso.svg",
             "44,800 B as 32 × 1400 B segments: GSO/GRO vs per-datagram",
             "throughput relative to 32 × libc send+recv (higher is better)"),
        ]
        for group, base, name, title, subtitle in charts:
            if group in data and base in data[group]:
                svg_chart(title, subtitle, ratios(data[group], base), os.path.join(svg_dir, name))


if __name__ == "__main__":
    main(sys.argv[1:])
