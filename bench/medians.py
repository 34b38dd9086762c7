"""Medians of the rows bench/lib.sh's run() wrote, the ratios against nginx with the min..max of the ratios paired
round by round (the k-th run of a target against the k-th run of nginx at the same connection count, which ran next
to it), and of B to A with --ab, or of each target to the one before it with --steps (gateway-steps.sh).

usage: medians.py RESULTS_TSV TARGET... [--ab | --steps]
"""
import statistics as st
import sys

args = [a for a in sys.argv[1:] if a not in ("--ab", "--steps")]
ab = "--ab" in sys.argv
steps = "--steps" in sys.argv
rows = [line.rstrip("\n").split("\t") for line in open(args[0])]
targets = args[1:]
REQS, P50, P99, CPU, BCPU = 2, 3, 4, 5, 6


def values(name, c, i):
    return [float(r[i]) for r in rows if r[0] == name and r[1] == c]


def med(name, c, i):
    v = values(name, c, i)
    return st.median(v) if v else float("nan")


def paired(a, b, c, i):
    """min, max of a/b over the runs paired in order (same round)."""
    ratios = [x / y for x, y in zip(values(a, c, i), values(b, c, i)) if y]
    return (min(ratios), max(ratios)) if ratios else (float("nan"), float("nan"))


conns = sorted({r[1] for r in rows}, key=int)
rounds = max([len(values(t, c, REQS)) for t in targets for c in conns] + [1])
print("\nmedians (%d rounds)" % rounds)
print("%-8s %6s %10s %8s %8s %11s %15s" % ("target", "conns", "req/s", "p50ms", "p99ms", "cpu-us/req", "backend-us/req"))
for c in conns:
    for name in targets:
        if values(name, c, REQS):
            print("%-8s %6s %10.0f %8.2f %8.2f %11.1f %15.1f" % (name, c, med(name, c, REQS), med(name, c, P50),
                                                                med(name, c, P99), med(name, c, CPU), med(name, c, BCPU)))
print()
if steps:
    chain = [t for t in targets if t not in ("nginx", "direct")]
    for c in conns:
        for prev, name in zip(chain, chain[1:]):
            lo, hi = paired(name, prev, c, REQS)
            clo, chi = paired(name, prev, c, CPU)
            print("%-8s/%-8s at %4s conns: req/s %.2fx (%.2f..%.2f)   cpu-us/req %.2fx (%.2f..%.2f)   p99 %.2fx" % (
                name, prev, c, med(name, c, REQS) / med(prev, c, REQS), lo, hi,
                med(name, c, CPU) / med(prev, c, CPU), clo, chi, med(name, c, P99) / med(prev, c, P99)))
    print()
for c in conns:
    if ab:
        print("B/A at %4s: req/s %.2fx  cpu %.2fx   B/nginx req/s %.2fx cpu %.2fx" % (c,
              med("gwB", c, REQS) / med("gateway", c, REQS), med("gwB", c, CPU) / med("gateway", c, CPU),
              med("gwB", c, REQS) / med("nginx", c, REQS), med("gwB", c, CPU) / med("nginx", c, CPU)))
    for name in [t for t in targets if t not in ("nginx", "direct", "gwB")]:
        if not values(name, c, REQS) or not values("nginx", c, REQS):
            continue
        lo, hi = paired(name, "nginx", c, REQS)
        plo, phi = paired(name, "nginx", c, P99)
        print("%-8s/nginx at %4s conns: req/s %.2fx (%.2f..%.2f)   p99 %.2fx (%.2f..%.2f)   cpu-us/req %.2fx" % (
            name, c, med(name, c, REQS) / med("nginx", c, REQS), lo, hi, med(name, c, P99) / med("nginx", c, P99),
            plo, phi, med(name, c, CPU) / med("nginx", c, CPU)))
    if "gateway" in targets and "haproxy" in targets and values("haproxy", c, REQS):
        lo, hi = paired("gateway", "haproxy", c, REQS)
        print("gateway/haproxy at %4s conns: req/s %.2fx (%.2f..%.2f)" % (
            c, med("gateway", c, REQS) / med("haproxy", c, REQS), lo, hi))
