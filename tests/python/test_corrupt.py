"""Crash-and-corrupt harness, in the spirit of SQLite's: an interrupted
run's partial file is damaged at random (a flipped byte anywhere, several
flipped bytes, a truncation) and resumed.  Every trial must end in one of
two ways:
  - resume succeeds and the final file equals an undamaged run's, or
  - resume refuses with a one-line message, exit 1 or 2, and the partial
    is kept (nothing finished is thrown away);
never a "complete" file that differs, never a crash or a hang.
   python3 test_corrupt.py ANODESIM SOURCE_DIR WORKDIR [TRIALS]"""
import os
import random
import shutil
import signal
import subprocess
import sys
import time

import h5py
import numpy as np

anodesim, src, work = sys.argv[1:4]
trials = int(sys.argv[4]) if len(sys.argv) > 4 else 24
os.makedirs(work, exist_ok=True)
scen = os.path.join(src, "scenarios", "china-2024", "scenario.yaml")
R = 400
args = [anodesim, "run", scen, "-q", "-r", str(R), "-t", "2", "--set", "run.end=2025-12-31"]
DATASETS = ["production", "shortage", "flow", "plant_production", "coke_price", "realization", "time",
            "replication_seed", "realization_done", "summary/production_mean", "summary/production_quantile"]
failed = 0


def check(ok, what):
    global failed
    if not ok:
        failed += 1
        print("FAIL:", what)


def fresh(path):
    for p in (path, path + ".partial"):
        if os.path.exists(p):
            os.remove(p)


ref = os.path.join(work, "ref.h5")
fresh(ref)
subprocess.run(args + ["-o", ref], check=True, stdout=subprocess.DEVNULL)
with h5py.File(ref, "r") as f:
    want = {d: f[d][...] for d in DATASETS}

# An interrupted run: SIGTERM once 20 replications are done (one thread:
# the run takes a few seconds on any machine).
base = os.path.join(work, "base.h5")
fresh(base)
p = subprocess.Popen(args + ["-t", "1", "-o", base], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
deadline = time.time() + 60
while time.time() < deadline:
    try:
        with h5py.File(base + ".partial", "r", locking=False) as f:
            if f["realization_done"][...].sum() >= 20:
                break
    except Exception:
        pass
    time.sleep(0.01)
p.send_signal(signal.SIGTERM)
p.wait()
check(os.path.exists(base + ".partial") and not os.path.exists(base), "an interrupted run left a partial")
pristine = open(base + ".partial", "rb").read()

rng = random.Random(20261201)
outcomes = {"repaired": 0, "refused": 0}
for t in range(trials):
    out = os.path.join(work, f"t{t}.h5")
    fresh(out)
    data = bytearray(pristine)
    kind = ("flip", "flips", "truncate")[t % 3]
    if kind == "truncate":
        data = data[: rng.randrange(len(data) // 4, len(data))]
        what = f"truncated to {len(data)} bytes"
    else:
        at = [rng.randrange(len(data)) for _ in range(1 if kind == "flip" else 3)]
        for a in at:
            data[a] ^= 1 << rng.randrange(8)
        what = f"bits flipped at {at}"
    with open(out + ".partial", "wb") as fh:
        fh.write(data)
    try:
        r = subprocess.run(args + ["-o", out, "--resume"], capture_output=True, text=True, timeout=300)
    except subprocess.TimeoutExpired:
        check(False, f"trial {t} ({what}): resume hangs")
        continue
    if r.returncode == 0:
        with h5py.File(out, "r") as f:
            bad = [d for d in DATASETS if not np.array_equal(f[d][...], want[d])]
        check(not bad, f"trial {t} ({what}): resume said complete but differs in {bad}")
        outcomes["repaired"] += 1
    else:
        lines = [l for l in r.stderr.splitlines() if l.strip()]
        check(r.returncode in (1, 2), f"trial {t} ({what}): exit {r.returncode} (a crash?) {r.stderr[-300:]}")
        check(os.path.exists(out + ".partial") and not os.path.exists(out),
              f"trial {t} ({what}): exit {r.returncode} but the partial is gone: {r.stderr[-600:]}")
        check(len(lines) >= 1, f"trial {t} ({what}): refused without a message")
        outcomes["refused"] += 1

print(f"corrupt: {trials} trials, {outcomes['repaired']} repaired to the undamaged result, "
      f"{outcomes['refused']} refused with the partial kept;", "ok" if failed == 0 else f"{failed} failed")
sys.exit(1 if failed else 0)
