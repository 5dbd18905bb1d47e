#!/bin/sh
# cfchecker (CF-1.8) finds no errors in a results file: the root group,
# and the summary group flattened into a file of its own by NCO's ncks.
#   test_cf.sh RESULTS.h5 SOURCE_DIR PYTHON
file=$1 src=$2 py=$3
tp=$src/tests/third_party
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$file" "$tmp/root.nc"    # (the checker wants the .nc suffix)
ncks -O -G : -g summary "$file" "$tmp/summary.nc" || { echo "FAIL: ncks cannot flatten the summary group"; exit 1; }
fail=0
for f in root summary; do
  PYTHONPATH="$tp:${PYTHONPATH:-}" "$py" -W ignore -m cfchecker.cfchecks -v 1.8 \
    -s "$tp/cfchecker/standard-names-empty.xml" -a "$tp/cfchecker/area-types-empty.xml" \
    -r "$tp/cfchecker/regions-empty.xml" "$tmp/$f.nc" >"$tmp/$f.out" 2>&1
  if ! grep -q "^ERRORS detected: 0" "$tmp/$f.out" || grep -q "^FATAL" "$tmp/$f.out"; then
    echo "FAIL: cfchecker on the $f group:"
    grep -E "^(ERROR|FATAL)|Checking variable|Traceback|Error" "$tmp/$f.out" | grep -B1 -E "ERROR|FATAL|Traceback|Error" | head -30
    fail=$((fail + 1))
  else
    echo "cfchecker, CF-1.8, $f group: $(grep -E '^(ERRORS|WARNINGS)' "$tmp/$f.out" | tr '\n' ' ')"
  fi
done
exit $fail
