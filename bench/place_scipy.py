"""Solve bench/place's expanded cost matrices with scipy.optimize.linear_sum_assignment and
print the comparison table (markdown) with the placement driver's results. Not a test."""
import os
import sys
import time

import numpy as np
from scipy.optimize import linear_sum_assignment


def main(out):
    rows = []
    with open(os.path.join(out, "results.txt")) as f:
        for line in f:
            parts = line.split()
            r = {"pool": parts[0]}
            for p in parts[1:]:
                k, v = p.split("=")
                r[k] = v
            rows.append(r)
    print("| pool | applicants | seats | groups x classes (arcs) | merit total km | merit s "
          "| distance total km | distance s | scipy total km | scipy s | scipy / distance |")
    print("| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    bad = solved = 0
    for r in rows:
        path = os.path.join(out, r["pool"] + ".costs")
        st = sv = ratio = "-"
        if os.path.exists(path):
            with open(path) as f:
                f.readline()
                cost = np.loadtxt(f, dtype=np.int64, ndmin=2)
            best = None
            for _ in range(5):  # best of five, as the C driver does
                t0 = time.perf_counter()
                ri, ci = linear_sum_assignment(cost)
                t1 = time.perf_counter()
                best = t1 - t0 if best is None else min(best, t1 - t0)
            total = int(cost[ri, ci].sum())
            st = "%.1f" % (total / 10)
            sv = "%.4f" % best
            ratio = "%.1f" % (best / max(float(r["distance_s"]), 1e-6))
            solved += 1
            if total != int(r["distance_total"]):
                bad += 1
                st += " (DIFFERS)"
        print("| %s | %s | %s | %s x %s (%s) | %.1f | %.4f | %.1f | %.4f | %s | %s | %s |" % (
            r["pool"], r["apps"], r["seats"], r["groups"], r["classes"], r["arcs"],
            int(r["merit_total"]) / 10, float(r["merit_s"]), int(r["distance_total"]) / 10,
            float(r["distance_s"]), st, sv, ratio))
    if bad:
        print("\n%d pool(s) where the totals differ" % bad)
        sys.exit(1)
    print("\nTotals: the distance method's total equals scipy's optimum on all %d pools scipy solved."
          % solved)


main(sys.argv[1])
