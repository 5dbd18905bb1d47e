"""The anode market's value in USD, 2024 on, beside the market report.

    python3 market_value.py RESULTS.h5 [--csv FILE]

Prints, for each whole year of a world run, the median and the p5-p95 band
across replications of the market's value in three scopes (see
anodesim_results.market_value: all anodes at ex-works prices, merchant
plants' anodes, anodes delivered across a border), the report's figure and
the ratio of the report to volume x price; then the median by IAI region.
--csv writes the per-replication values (tidy: replication, year, scope,
usd).  docs/calibration.md, "Market value", explains the gap.
"""
import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import anodesim_results as ar  # noqa: E402


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("results")
    ap.add_argument("--csv", help="write the per-replication values here")
    a = ap.parse_args(argv[1:])
    ds = ar.open_results(a.results)
    if "iai_region" not in ds or "revenue_usd" not in ds:
        print(f"{a.results}: no iai_region or revenue_usd (expected a results file of this version)", file=sys.stderr)
        return 2
    done = ds["realization_done"].values.astype(bool).ravel()
    mv = ar.market_value(ds.isel(realization=np.nonzero(done)[0]))
    q = lambda da, p: float(da.quantile(p, "realization")) / 1e9
    print(f"{ds.attrs.get('scenario_name', '')}: market value, USD bn a year ({int(done.sum())} replications; "
          "median [p5, p95])")
    print(f"{'year':>4}  {'all anodes':>22}  {'merchant plants':>22}  {'across borders':>22}  {'report':>6}  report/all")
    for yr in mv["year"].values:
        cells = []
        for s in ("all", "merchant", "cross_border"):
            da = mv[s].sel(year=yr)
            cells.append(f"{q(da, .5):6.2f} [{q(da, .05):5.2f}, {q(da, .95):5.2f}]")
        rep = ar.REPORT_USD_BN.get(int(yr))
        ratio = f"{rep / q(mv['all'].sel(year=yr), .5):.2f}" if rep else ""
        print(f"{int(yr):>4}  " + "  ".join(f"{c:>22}" for c in cells) + f"  {rep if rep else '':>6}  {ratio}")
    by = mv["by_iai"].median("realization") / 1e9
    print("\nall anodes by IAI region where made, USD bn (median)")
    print(f"{'region':<26}" + "".join(f"{int(y):>7}" for y in by["year"].values))
    for g in by["iai_region"].values:
        print(f"{str(g):<26}" + "".join(f"{v:7.2f}" for v in by.sel(iai_region=g).values))
    if a.csv:
        df = mv[["all", "merchant", "cross_border"]].to_dataframe().reset_index()
        df = df.melt(id_vars=["realization", "year"], var_name="scope", value_name="usd")
        df.to_csv(a.csv, index=False)
        print(a.csv)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
