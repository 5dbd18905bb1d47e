#!/bin/sh
# A results file as netCDF tools see it, with no custom code: ncdump reads
# it and sees realization as the record dimension, NCO's ncra averages over
# the replications (the same means as the summary group), netCDF4-python
# reads both groups.
#   test_netcdf_tools.sh RESULTS.h5 PYTHON
file=$1 py=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { if eval "$1"; then :; else echo "FAIL: $2"; fail=$((fail + 1)); fi; }
ncdump -h "$file" >"$tmp/h" 2>"$tmp/err"
check 'grep -q "realization = UNLIMITED" "$tmp/h"' "ncdump: realization is the record dimension ($(head -c 300 "$tmp/err"))"
check 'grep -q "float production(realization, point, time, region)" "$tmp/h"' "ncdump: production over (realization, point, time, region)"
check 'grep -q "group: summary" "$tmp/h"' "ncdump: the summary group"
ncra -O -v production,shortage,anode_stock "$file" "$tmp/mean.nc" 2>"$tmp/err"
check '[ -s "$tmp/mean.nc" ]' "ncra averages over replications ($(head -c 300 "$tmp/err"))"
"$py" - "$file" "$tmp/mean.nc" <<'PY' || fail=$((fail + 1))
import sys
import netCDF4
import numpy as np
f, m = netCDF4.Dataset(sys.argv[1]), netCDF4.Dataset(sys.argv[2])
sm = f.groups["summary"]
bad = 0
for v in ("production", "shortage", "anode_stock"):
    a = m[v][0, 0].astype(np.float64)           # ncra: (realization = 1, point, time, region)
    b = sm[v + "_mean"][0].astype(np.float64)   # (point, time, region)
    scale = max(1.0, float(np.abs(b).max()))
    if not np.allclose(a, b, rtol=1e-5, atol=1e-6 * scale):
        print(f"FAIL: ncra mean of {v} differs from summary/{v}_mean by {np.abs(a - b).max()}")
        bad += 1
if "realization: mean" not in m["production"].cell_methods:
    print("FAIL: ncra did not record its mean in cell_methods"); bad += 1
if f["time"].units.split(" since ")[0] != "days" or f["time_bnds"].shape[1] != 2:
    print("FAIL: time units and bounds as netCDF4 reads them"); bad += 1
sys.exit(1 if bad else 0)
PY
[ $fail -eq 0 ] && echo "ncdump, ncra and netCDF4-python read the results file"
exit $fail
