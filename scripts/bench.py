#!/usr/bin/env python3
"""anodesim benchmarks (called by scripts/bench).

    scripts/bench [PART ...] [--replications N] [--json]

Parts: engine, scenario, scaling, memory, merge, sweep, size, world (default: all).  Figures
only: nothing fails on a slow machine.  Targets (2-core machine) are shown
next to the figures:
  scenario  default scenario, 10,000 replications 2024-2032, results written: <= 60 s with 2 threads
  scaling   OpenMP efficiency 1 -> 2 threads >= 95 %
  memory    peak RSS at 10,000 replications within 5 % of that at 100
  size      time per replication-day linear in network size (log-log slope <= 1.1, 100 -> 10,000 nodes)
  writing   writing results <= 10 % of wall time
  world     a replication of world-2024 <= 3x one of china-2024 (results written, 2 threads)
"""
import argparse
import json
import math
import os
import subprocess
import statistics
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "build", "anodesim")
SCEN = os.path.join(ROOT, "scenarios", "china-2024", "scenario.yaml")
WORLD = os.path.join(ROOT, "scenarios", "world-2024", "scenario.yaml")


def run(args, rss=False):
    """Run anodesim with --json; returns (summary dict, peak RSS in MiB)."""
    cmd = ["/usr/bin/time", "-f", "%M", BIN] + args + ["--json", "-q"]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"bench: {' '.join(args)} failed: {p.stderr.strip()}")
    peak_kib = int(p.stderr.strip().splitlines()[-1])
    return json.loads(p.stdout), peak_kib / 1024.0


def timed(args, what):
    """Wall seconds of anodesim with args (commands that print no summary)."""
    p = subprocess.run(["/usr/bin/time", "-f", "%e", BIN] + args, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"bench: {what} failed: {p.stderr.strip()}")
    return float(p.stderr.strip().splitlines()[-1])


class Bench:
    def __init__(self, reps, tmp):
        self.reps, self.tmp, self.rows, self.cache = reps, tmp, [], {}

    def add(self, part, name, value, unit, target=""):
        self.rows.append({"part": part, "name": name, "value": value, "unit": unit, "target": target})

    def full_run(self, reps, threads=2, output=True, summary_only=False):
        key = (reps, threads, output, summary_only)
        if key not in self.cache:
            args = ["run", SCEN, "-r", str(reps), "-t", str(threads)]
            if output:
                # (--force: the summary-only and the full run share a name)
                args += ["--force", "-o", os.path.join(self.tmp, f"bench-{reps}-{threads}.h5")]
                if summary_only:
                    args.append("--summary-only")
            self.cache[key] = run(args)
        return self.cache[key]

    def engine(self):
        out = subprocess.run([os.path.join(ROOT, "build", "anodesim-bench"), "--json"], capture_output=True,
                             text=True, check=True).stdout
        for r in json.loads(out):
            if "events_per_s" in r:
                self.add("engine", r["bench"], r["events_per_s"] / 1e6, "M events/s",
                         ">= 30 (mm1, one core)" if r["bench"].startswith("mm1 1e6") else "")
            if "efficiency" in r:
                self.add("engine", "per-thread throughput, 2 threads vs 1", 100 * r["efficiency"], "%", ">= 90")

    def scenario(self):
        res, peak = self.full_run(self.reps)
        wall, events = res["wall_s"], res["events"]
        self.add("scenario", f"{self.reps} replications, 2 threads, results written", wall, "s",
                 "<= 60 for 10,000" if self.reps == 10000 else f"scaled: {wall * 10000 / self.reps:.0f} s for 10,000")
        self.add("scenario", "replications per second", self.reps / wall, "1/s")
        self.add("scenario", "milliseconds per replication (wall, 2 threads)", 1000 * wall / self.reps, "ms")
        self.add("scenario", "events per second", events / wall / 1e6, "M/s")
        self.add("scenario", "peak resident memory", peak, "MiB")
        # The consumer writes each replication and folds what is not
        # folded in parts, one replication at a time: on many cores this
        # serial step, not the simulation, caps the throughput.
        serial = res.get("consumer_s", 0.0) / self.reps
        self.add("scenario", "serial consumer time per replication", 1000 * serial, "ms")
        cpu = 2 * wall / self.reps   # (2 threads busy: CPU seconds per replication)
        self.add("scenario", "serial consumer share of a replication's CPU", 100 * serial / cpu, "%", "<= 2")
        if serial > 0:
            self.add("scenario", "throughput ceiling set by it, any thread count", 1 / serial, "1/s")
        bare, _ = self.full_run(self.reps, output=False)
        share = max(0.0, 1 - bare["wall_s"] / wall)
        self.add("scenario", "share of wall time spent on results (vs no output)", 100 * share, "%", "<= 10")

    def scaling(self):
        # Runs of a few seconds on a shared machine vary by 10 %: three
        # interleaved pairs, the median of each thread count.
        n = max(50, min(self.reps, 400))
        args = ["run", SCEN, "-r", str(n)]
        walls = {1: [], 2: []}
        for _ in range(3):
            for t in (1, 2):
                walls[t].append(run(args + ["-t", str(t)])[0]["wall_s"])
        one, two = statistics.median(walls[1]), statistics.median(walls[2])
        eff = one / two / 2
        self.add("scaling", f"{n} replications: 1 thread (median of 3)", one, "s")
        self.add("scaling", f"{n} replications: 2 threads (median of 3)", two, "s")
        self.add("scaling", "OpenMP efficiency 1 -> 2 threads", 100 * eff, "%", ">= 95")

    def memory(self):
        _, small = self.full_run(100)
        _, large = self.full_run(self.reps)
        self.add("memory", "peak RSS, 100 replications", small, "MiB")
        self.add("memory", f"peak RSS, {self.reps} replications", large, "MiB")
        self.add("memory", "growth", 100 * (large / small - 1), "%", "<= 5")

    def merge(self):
        # Job arrays write shards and merge them at the end: that merge is
        # serial I/O plus the summaries, so it must keep up with a sweep.
        n = max(100, min(self.reps, 2000))
        out = os.path.join(self.tmp, "merge.h5")
        for k in (0, 1):   # (a shard prints where it wrote, not a summary)
            subprocess.run([BIN, "run", SCEN, "-r", str(n), "-t", "2", "--shard", f"{k}/2", "--force", "-o", out, "-q"],
                           check=True, capture_output=True)
        shards = [os.path.join(self.tmp, f"merge.shard-{k}-of-2.h5") for k in (0, 1)]
        merged = os.path.join(self.tmp, "merged.h5")
        wall = timed(["merge", "-t", "2", "-q", "--force", "-o", merged] + shards, "merge")
        self.add("merge", f"merge 2 shards, {n} replications, 2 threads", wall, "s")
        self.add("merge", "replications merged per second", n / wall, "1/s")

    def sweep(self):
        # Sweeps of many points with few replications each: every point's
        # summaries are written by the serial consumer, so on many cores
        # the consumer's time per point caps the points per second.
        spec = os.path.join(ROOT, "scenarios", "sweeps", "lhs-supply-chain.yaml")
        out = os.path.join(self.tmp, "sweep.h5")
        res, _ = run(["sweep", spec, "-t", "2", "--force", "-o", out])
        points, reps = res["points"], res["replications"]   # (replications per point)
        wall, serial = res["wall_s"], res.get("consumer_s", 0.0) / points
        self.add("sweep", f"LHS sweep, {points} points x {reps} replications, 2 threads", wall, "s")
        self.add("sweep", "milliseconds per point (wall, 2 threads)", 1000 * wall / points, "ms")
        self.add("sweep", "serial consumer time per point", 1000 * serial, "ms")
        if serial > 0:
            self.add("sweep", "point ceiling set by it, any thread count", 1 / serial, "1/s")

    def size(self):
        # Three interleaved rounds, the median of each size: single runs on
        # a shared machine vary by 10-15 %, which moves the slope by 0.03.
        sizes = ((100, 400), (1000, 40), (10000, 2))
        runs = {n: [] for n, _ in sizes}
        for n, _ in sizes:
            d = os.path.join(self.tmp, f"gen{n}")
            subprocess.run([BIN, "generate", "--nodes", str(n), "-o", d], check=True, capture_output=True)
        days = 3 * 365 + 1    # 2024-2026
        for _ in range(3):
            for n, reps in sizes:
                # Enough replications that each size runs for a second or
                # more: a run of milliseconds measures start-up and timers.
                res, peak = run(["run", os.path.join(self.tmp, f"gen{n}", "scenario.yaml"), "-r", str(reps), "-t", "1"])
                runs[n].append((res["wall_s"] / (reps * days), res["events"] / reps / days, peak))
        pts = []
        for n, _ in sizes:
            per = statistics.median(r[0] for r in runs[n])
            pts.append((n, per))
            self.add("size", f"{n} nodes: time per replication-day (median of 3)", per * 1e6, "us",
                     f"{runs[n][0][1]:.0f} events per day, peak {max(r[2] for r in runs[n]):.0f} MiB")
        slope = math.log(pts[-1][1] / pts[0][1]) / math.log(pts[-1][0] / pts[0][0])
        self.add("size", "log-log slope, 100 -> 10,000 nodes", slope, "", "<= 1.1")
        # Setup (reading the tables, routing through the network) comes
        # once per process, outside the times above: each shard pays it.
        for n, _ in sizes:
            spec = os.path.join(self.tmp, f"gen{n}", "scenario.yaml")
            setup = timed(["validate", spec], f"validate of the {n}-node network")
            self.add("size", f"{n} nodes: setup (anodesim validate)", setup, "s")

    def world(self):
        # The world scenario against China's, in three interleaved pairs
        # (the median of each): the cost of a replication, and the memory
        # a thread adds (peak RSS at 2 threads less that at 1).
        n = max(50, min(self.reps, 1000))
        walls = {SCEN: [], WORLD: []}
        for _ in range(3):
            for spec in (SCEN, WORLD):
                out = os.path.join(self.tmp, "world-bench.h5")
                walls[spec].append(run(["run", spec, "-r", str(n), "-t", "2", "--force", "-o", out])[0]["wall_s"])
        peaks = {}
        for spec in (SCEN, WORLD):
            peaks[(spec, 1)] = run(["run", spec, "-r", "50", "-t", "1"])[1]
            peaks[(spec, 2)] = run(["run", spec, "-r", "50", "-t", "2"])[1]
        china, world = statistics.median(walls[SCEN]), statistics.median(walls[WORLD])
        self.add("world", f"china-2024: ms per replication ({n}, 2 threads, median of 3)", 1000 * china / n, "ms")
        self.add("world", f"world-2024: ms per replication ({n}, 2 threads, median of 3)", 1000 * world / n, "ms")
        self.add("world", "world / china, per replication", world / china, "x", "<= 3")
        for spec, name in ((SCEN, "china-2024"), (WORLD, "world-2024")):
            self.add("world", f"{name}: memory per thread (peak RSS 2 threads - 1)",
                     peaks[(spec, 2)] - peaks[(spec, 1)], "MiB")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("parts", nargs="*", default=[])
    ap.add_argument("--replications", type=int, default=10000)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    parts = a.parts or ["engine", "scenario", "scaling", "memory", "merge", "sweep", "size", "world"]
    with tempfile.TemporaryDirectory() as tmp:
        b = Bench(a.replications, tmp)
        for p in parts:
            if not hasattr(b, p):
                sys.exit(f"bench: unknown part '{p}' (expected engine, scenario, scaling, memory, merge, sweep, size, world)")
            getattr(b, p)()
    if a.json:
        print(json.dumps(b.rows, indent=1))
        return
    print(f"{'part':9} {'measure':58} {'value':>12} {'unit':12} target")
    for r in b.rows:
        print(f"{r['part']:9} {r['name']:58} {r['value']:12.3f} {r['unit']:12} {r['target']}")


if __name__ == "__main__":
    main()
