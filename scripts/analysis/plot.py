"""Plots of an anodesim results file (called by scripts/plot).

    python3 plot.py RESULTS.h5 [OUTPUT_DIR]

Writes, next to the results file unless OUTPUT_DIR is given:
  <name>-output.png    national anode output: median and p5-p95 / p25-p75 bands
  <name>-balance.png   yearly regional balance (production - consumption), mean
  <name>-shortage.png  national shortage and lost aluminium, bands
  <name>-flows.png     mean inter-regional anode flows of the first year
  <name>-prices.png    coke, pitch, anode and energy price bands
  <name>-inert.png     inert-anode share by region, when any region adopts
  <name>-market.png    a world run: market value in USD by year (bands), beside the
                       market report's figures, and by IAI region
  <name>-trade.png     a world run: China's exports by destination IAI region, and
                       the imports of each IAI region, yearly medians
  <name>-displaced.png a world run with inert anodes: carbon-anode demand displaced
                       by IAI region, and its share of the world's
and prints each path.
"""
import os
import sys

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import xarray as xr  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import anodesim_results as ar  # noqa: E402


def fan(ax, da, label, scale=1.0, color="C0"):
    """Bands of the across-replication distribution of `da` (realization, time)."""
    q = da.quantile([0.05, 0.25, 0.5, 0.75, 0.95], dim="realization") / scale
    t = da["time"].values
    ax.fill_between(t, q.sel(quantile=0.05), q.sel(quantile=0.95), color=color, alpha=0.2, label=f"{label} p5-p95")
    ax.fill_between(t, q.sel(quantile=0.25), q.sel(quantile=0.75), color=color, alpha=0.4, label="p25-p75")
    ax.plot(t, q.sel(quantile=0.5), color=color, label="median")


def annual_rate(da):
    """Monthly tonnes as an annual rate in Mt/yr, so months of 28 and 31 days
    compare: days in the year over days in the month (the model spreads a
    year's capacity over its days, so a fixed 365.25 made a dip in every
    leap year)."""
    t = da["time"].dt
    out = da / t.days_in_month * (365 + t.is_leap_year.astype(int)) / 1e6
    out.attrs = dict(da.attrs, units="Mt/yr")
    return out


def save(fig, path):
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    print(path)


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    path = argv[1]
    outdir = argv[2] if len(argv) > 2 else os.path.dirname(os.path.abspath(path))
    os.makedirs(outdir, exist_ok=True)
    base = os.path.join(outdir, os.path.splitext(os.path.basename(path))[0])
    ds = ar.open_results(path).isel(point=0)
    done = ds["realization_done"].values.astype(bool)
    ds = ds.isel(realization=np.nonzero(done)[0])
    name = ds.attrs.get("scenario_name", "")
    n = ds.sizes["realization"]

    fig, ax = plt.subplots(figsize=(9, 4.5))
    fan(ax, annual_rate(ar.national(ds, "production")), "output")
    fan(ax, annual_rate(ar.national(ds, "capacity")), "capacity", color="C7")
    ax.set_ylabel("anodes, Mt/yr (monthly rate)")
    ax.set_title(f"{name}: national anode output and capacity ({n} replications)")
    ax.legend(loc="lower left", fontsize=8)
    save(fig, base + "-output.png")

    bal = ar.yearly(ds["production"] - ds["consumption"]).mean("realization") / 1e6
    active = (abs(bal).max("year") > 0.05).values
    bal = bal.isel(region=np.nonzero(active)[0])
    fig, ax = plt.subplots(figsize=(10, 5))
    years = bal["year"].values
    width = 0.8 / max(len(years), 1)
    x = np.arange(bal.sizes["region"])
    for i, y in enumerate(years):
        ax.bar(x + i * width, bal.sel(year=y), width, label=str(y))
    ax.set_xticks(x + 0.4, bal["region"].values, rotation=60, ha="right")
    ax.axhline(0, color="k", lw=0.5)
    ax.set_ylabel("production - consumption, Mt/yr (mean)")
    ax.set_title(f"{name}: regional balance (positive ships out, negative receives)")
    ax.legend(fontsize=7, ncol=3)
    save(fig, base + "-balance.png")

    fig, ax = plt.subplots(figsize=(9, 4.5))
    fan(ax, annual_rate(ar.national(ds, "shortage")), "shortage", color="C3")
    ax.set_ylabel("anode shortage, Mt/yr (monthly rate)")
    ax.set_title(f"{name}: anode shortage at smelters")
    ax.legend(loc="upper left", fontsize=8)
    save(fig, base + "-shortage.png")

    if "fill_rate" in ds:
        # Service: fill rate, order lead time and the merchant share, national.
        demand = ar.national(ds, "demand")
        fill = 100 * (1 - ar.national(ds, "shortage") / demand.where(demand > 0))
        deliv = ar.national(ds, "deliveries")
        lead = (ds["order_lead_time"] * ds["deliveries"]).sum("region") / deliv.where(deliv > 0)
        prod = ar.national(ds, "production")
        merchant = 100 * (1 - ar.national(ds, "production_captive") / prod.where(prod > 0))
        fig, (a1, a2, a3) = plt.subplots(1, 3, figsize=(14, 4.2))
        fan(a1, fill, "fill rate", color="C2")
        a1.set_ylabel("demand met from stock, %")
        a1.set_title("fill rate")
        fan(a2, lead, "lead time", color="C1")
        a2.set_ylabel("order to delivery, days (tonne-weighted mean)")
        a2.set_title("order lead time")
        fan(a3, merchant, "merchant share", color="C4")
        a3.set_ylabel("output of plants no smelter owns, %")
        a3.set_title("merchant share of output")
        for a in (a1, a2, a3):
            a.tick_params(axis="x", labelrotation=45)
            a.legend(fontsize=7)
        fig.suptitle(f"{name}: service, national ({n} replications)")
        save(fig, base + "-service.png")

    flows = ds["flow"].isel(year=0).mean("realization") / 1e6
    keep = ((flows.sum("destination") > 0.01).values | (flows.sum("origin") > 0.01).values)
    idx = np.nonzero(keep)[0]
    fm = flows.isel(origin=idx, destination=idx).values.copy()
    np.fill_diagonal(fm, np.nan)
    fig, ax = plt.subplots(figsize=(9, 8))
    im = ax.imshow(fm, cmap="viridis")
    labels = flows["origin"].values[idx]
    ax.set_xticks(range(len(idx)), labels, rotation=70, ha="right", fontsize=7)
    ax.set_yticks(range(len(idx)), labels, fontsize=7)
    ax.set_xlabel("destination")
    ax.set_ylabel("origin")
    fig.colorbar(im, ax=ax, label=f"Mt in {int(ds['year'].values[0])} (mean), within-region flows blank")
    ax.set_title(f"{name}: inter-regional anode flows")
    save(fig, base + "-flows.png")

    if "coke_price" in ds:
        p = ar.prices(ds)
        fig, (a1, a2) = plt.subplots(1, 2, figsize=(12, 4.5), gridspec_kw={"width_ratios": [3, 1]})
        for i, item in enumerate(["coke", "pitch", "anode"]):
            fan(a1, p.sel(price_item=item), item, color=f"C{i}")
        fan(a2, p.sel(price_item="energy"), "energy", color="C3")
        cur = ds.attrs.get("currency", "")
        a1.set_ylabel(f"{cur}/t")
        a2.set_ylabel(f"{cur}/GJ")
        a1.set_title(f"{name}: coke, pitch and ex-works anode prices")
        a2.set_title("baking energy")
        a2.tick_params(axis="x", labelrotation=60)
        a1.legend(fontsize=7, ncol=3)
        save(fig, base + "-prices.png")

    if "inert_share" in ds:
        share = ds["inert_share"]
        final = share.isel(time=-1).median("realization").values
        adopting = np.nonzero((share.max(["realization", "time"]) > 0).values)[0]
        active = sorted(adopting, key=lambda g: -final[g])[:6]   # the six furthest along
        if len(active):
            fig, ax = plt.subplots(figsize=(9, 4.5))
            for i, g in enumerate(active):
                fan(ax, 100 * share.isel(region=g), str(share["region"].values[g]), color=f"C{i % 10}")
            handles, labels = ax.get_legend_handles_labels()
            keep = [k for k, l in enumerate(labels) if not l.startswith("p25") and l != "median"]
            ax.legend([handles[k] for k in keep], [labels[k] for k in keep], fontsize=7)
            ax.set_ylabel("smelter capacity converted to inert anodes, %")
            ax.set_title(f"{name}: inert-anode adoption, {len(active)} furthest of {len(adopting)} regions "
                         "(bands p5-p95, p25-p75)", fontsize=10)
            save(fig, base + "-inert.png")
    if "region_kind" in ds and "world" in set(np.asarray(ds["region_kind"].values).astype(str)):
        world_plots(ds, name, n, base)
    return 0


def year_fan(ax, da, label, color):
    """Bands across replications of a yearly series (realization, year), USD bn."""
    q = da.quantile([0.05, 0.25, 0.5, 0.75, 0.95], dim="realization") / 1e9
    y = da["year"].values
    ax.fill_between(y, q.sel(quantile=0.05), q.sel(quantile=0.95), color=color, alpha=0.2)
    ax.fill_between(y, q.sel(quantile=0.25), q.sel(quantile=0.75), color=color, alpha=0.4)
    ax.plot(y, q.sel(quantile=0.5), color=color, marker="o", ms=3, label=f"{label} (median, p25-p75, p5-p95)")


def world_plots(ds, name, n, base):
    """Market value against the report, and trade by IAI region."""
    mv = ar.market_value(ds)
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(14, 5), gridspec_kw={"width_ratios": [3, 2]})
    for i, (s, label) in enumerate([("all", "all anodes, volume x ex-works price"),
                                    ("merchant", "anodes of merchant plants"),
                                    ("cross_border", "anodes delivered across a border")]):
        year_fan(a1, mv[s], label, f"C{i}")
    ry = sorted(ar.REPORT_USD_BN)
    a1.plot(ry, [ar.REPORT_USD_BN[y] for y in ry], "k--", marker="s", label="market report (point forecast)")
    a1.set_ylim(bottom=0)
    a1.set_ylabel("USD bn a year")
    a1.set_title(f"{name}: market value ({n} replications)")
    a1.legend(fontsize=7, loc="center right")
    by = (mv["by_iai"].median("realization") / 1e9).rename(iai_region="group")
    iai = np.asarray(ds["iai_region"].values).astype(str)
    colour = {g: f"C{k % 10}" for k, g in enumerate(sorted(set(iai)))}   # one per IAI region, every chart
    stacked(a2, by, colour)
    a2.set_ylabel("USD bn a year (median), by where the anodes were made")
    a2.set_title("all anodes by IAI region")
    a2.legend(fontsize=6, ncol=2)
    save(fig, base + "-market.png")

    prov = np.asarray(ds["region_kind"].values).astype(str) == "province"
    dest = xr_groups(ds["flow"].isel(origin=np.nonzero(prov)[0]).sum("origin"), "destination", iai)
    dest = dest.drop_sel(group="China").median("realization") / 1e6
    imports = xr_groups(ar.yearly(ds["imports"]), "region", iai).drop_sel(group="China").median("realization") / 1e6
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(14, 4.8))
    stacked(a1, dest, colour)
    a1.set_ylabel("Mt a year (median)")
    a1.set_title(f"{name}: China's exports by destination")
    a1.legend(fontsize=6, ncol=2)
    for g in imports["group"].values:
        a2.plot(imports["year"].values, imports.sel(group=g).values, marker="o", ms=3, color=colour[g], label=str(g))
    a2.set_ylabel("Mt a year (median)")
    a2.set_title("imports by IAI region (from another country)")
    a2.legend(fontsize=6, ncol=2)
    save(fig, base + "-trade.png")

    disp = xr_groups(ar.yearly(ds["displaced_demand"]), "region", iai)
    if float(disp.max()) > 0:
        dem = ar.yearly(ds["demand"]).sum("region")
        share = 100 * disp.sum("group") / (disp.sum("group") + dem)
        med = disp.median("realization") / 1e6
        fig, ax = plt.subplots(figsize=(10, 4.8))
        stacked(ax, med, colour)
        ax.set_ylabel("carbon anodes displaced, Mt a year (median)")
        ax2 = ax.twinx()
        q = share.quantile([0.05, 0.5, 0.95], "realization")
        ax2.plot(share["year"].values, q.sel(quantile=0.5), "k-", marker="o", ms=3, label="share of world demand (median)")
        ax2.fill_between(share["year"].values, q.sel(quantile=0.05), q.sel(quantile=0.95), color="k", alpha=0.1)
        ax2.set_ylabel("% of carbon-anode demand displaced (p5-p95)")
        ax2.set_ylim(bottom=0)
        ax.set_title(f"{name}: carbon-anode volume displaced by inert anodes, by IAI region")
        ax.legend(fontsize=6, ncol=2, loc="upper left")
        ax2.legend(fontsize=7, loc="center left")
        save(fig, base + "-displaced.png")


def stacked(ax, da, colour):
    """Bars by year of da (group, year), one stacked segment per group."""
    bottom = np.zeros(da.sizes["year"])
    for g in da["group"].values:
        v = da.sel(group=g).values
        ax.bar(da["year"].values, v, bottom=bottom, color=colour[g], label=str(g))
        bottom += v


def xr_groups(da, dim, labels):
    """da summed over the entries of dim that share a label (an IAI region
    per region): a new dimension named group."""
    return da.groupby(xr.DataArray(labels, dims=dim, name="group")).sum(dim)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
