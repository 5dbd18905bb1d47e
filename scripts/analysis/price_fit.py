"""The fit of the price process, from a results file of the default
scenario: fan charts of coke and the Shandong anode price against the
recorded points, and, over the stochastic years (after the history), the
share of calm years (anode max/min <= 1.1 within the year) and of years
with a coke rise of 54 % or more within the year, with the monthly
log-return autocorrelation.  Figures for docs/model.md.

    python3 price_fit.py RESULTS.h5 [OUT.png]"""
import os
import sys

import h5py
import numpy as np

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TENDERS = {(2024, 3): 3878, (2024, 12): 3747, (2025, 1): 4025, (2025, 3): 5066, (2025, 9): 4832}


def history():
    pts = {}
    with open(os.path.join(ROOT, "scenarios", "china-2024", "price_history.csv")) as f:
        for line in f:
            if line.startswith("#") or line.startswith("month"):
                continue
            m, item, price = line.split(",")[:3]
            pts.setdefault(item, []).append((int(m[:4]), int(m[5:7]), float(price)))
    return pts


def main():
    path = sys.argv[1]
    out = sys.argv[2] if len(sys.argv) > 2 else "price-fit.png"
    with h5py.File(path, "r") as f:
        coke = f["coke_price"][:, 0].astype(float)
        names = [n.decode() for n in f["region_name"][:]]
        anode = f["anode_price"][:, 0, :, names.index("Shandong")].astype(float)
        t0 = f["time"].attrs["units"].decode() if isinstance(f["time"].attrs["units"], bytes) else f["time"].attrs["units"]
    y0, m0 = int(t0.split()[2][:4]), int(t0.split()[2][5:7])
    T = coke.shape[1]
    yr = np.array([y0 + (m0 - 1 + k) // 12 + ((m0 - 1 + k) % 12) / 12 for k in range(T)])
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.2))
    for ax, series, name in ((axes[0], coke, "calcined coke (CNY/t)"), (axes[1], anode, "Shandong anode ex-works (CNY/t)")):
        q = np.percentile(series, [5, 25, 50, 75, 95], axis=0)
        ax.fill_between(yr, q[0], q[4], alpha=0.2, color="C0", label="5-95 %")
        ax.fill_between(yr, q[1], q[3], alpha=0.35, color="C0", label="25-75 %")
        ax.plot(yr, q[2], color="C0", label="median")
        ax.set_title(name)
        ax.set_xlabel("year")
    pts = history()
    base = coke[0, :12].mean() / np.exp(np.mean(np.log([p for _, _, p in pts["coke"][:2]])))
    axes[0].plot([y + (m - 1) / 12 for y, m, _ in pts["coke"]], [p * base for _, _, p in pts["coke"]], "ko",
                 label="history (scaled to the suppliers' 2024 level)")
    axes[1].plot([y + (m - 1) / 12 for (y, m) in TENDERS], list(TENDERS.values()), "rs", label="SMM tender (check)")
    for ax in axes[:2]:
        ax.legend(fontsize=7)
    # Yearly statistics after the history (from 2026).
    first = next(k for k in range(T) if yr[k] >= 2026)
    ya = anode[:, first:first + 12 * ((T - first) // 12)].reshape(anode.shape[0], -1, 12)
    yc = coke[:, first:first + 12 * ((T - first) // 12)].reshape(coke.shape[0], -1, 12)
    calm = ya.max(axis=2) / ya.min(axis=2)
    rise = (yc / np.minimum.accumulate(yc, axis=2)).max(axis=2)
    lr = np.diff(np.log(coke[:, first:]), axis=1)
    ac = np.mean([np.corrcoef(r[:-1], r[1:])[0, 1] for r in lr if r.std() > 0])
    ax = axes[2]
    ax.hist(calm.ravel(), bins=np.linspace(1, 2, 41), alpha=0.6, label=f"anode max/min: {100 * (calm <= 1.1).mean():.0f} % calm (<= 1.1)")
    ax.hist(rise.ravel(), bins=np.linspace(1, 2, 41), alpha=0.6,
            label=f"coke rise in a year: {100 * (rise >= 1.54).mean():.0f} % >= +54 %")
    ax.axvline(1.1, color="C0", ls=":")
    ax.axvline(1.54, color="C1", ls=":")
    ax.set_title(f"years 2026 on (returns' lag-1 autocorrelation {ac:.2f})")
    ax.set_xlabel("within-year ratio")
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(out, dpi=90)
    print(f"calm years {100 * (calm <= 1.1).mean():.1f} %, coke +54 % years {100 * (rise >= 1.54).mean():.1f} %, "
          f"lag-1 autocorrelation {ac:.2f}; figure {out}")


if __name__ == "__main__":
    main()
