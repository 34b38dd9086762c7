"""Medians of the rows bench/lib.sh's run() wrote, and the ratios against nginx (and of B to A with --ab).

usage: medians.py RESULTS_TSV TARGET... [--ab]
"""
import statistics as st
import sys

args = [a for a in sys.argv[1:] if a != "--ab"]
ab = "--ab" in sys.argv
rows = [line.rstrip("\n").split("\t") for line in open(args[0])]
targets = args[1:]


def med(name, c, i):
    v = [float(r[i]) for r in rows if r[0] == name and r[1] == c]
    return st.median(v) if v else float("nan")


conns = sorted({r[1] for r in rows}, key=int)
print("\nmedians (%s rounds)" % max(1, len([r for r in rows if r[0] == "gateway"]) // max(1, len(conns))))
print("%-8s %6s %10s %8s %8s %11s %15s" % ("target", "conns", "req/s", "p50ms", "p99ms", "cpu-us/req", "backend-us/req"))
for name in targets:
    for c in conns:
        print("%-8s %6s %10.0f %8.2f %8.2f %11.1f %15.1f" % (name, c, med(name, c, 2), med(name, c, 3), med(name, c, 4),
                                                            med(name, c, 5), med(name, c, 6)))
print()
for c in conns:
    if ab:
        print("B/A at %4s: req/s %.2fx  cpu %.2fx   B/nginx req/s %.2fx cpu %.2fx" % (c,
              med("gwB", c, 2) / med("gateway", c, 2), med("gwB", c, 5) / med("gateway", c, 5),
              med("gwB", c, 2) / med("nginx", c, 2), med("gwB", c, 5) / med("nginx", c, 5)))
    for name in [t for t in targets if t not in ("nginx", "direct", "gwB")]:
        print("%s/nginx at %4s connections: req/s %.2fx   p99 %.2fx   cpu-us/req %.2fx" % (name, c,
              med(name, c, 2) / med("nginx", c, 2), med(name, c, 4) / med("nginx", c, 4),
              med(name, c, 5) / med("nginx", c, 5)))
