#!/usr/bin/env bash
# The command line: help, version, usage errors and exit codes.
# usage: test_cli.sh ANODESIM SOURCE_DIR [PYTHON]
set -u
bin=$1
src=$2
py=${3:-python3}   # (json only: any python3)
fail=0
n=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

expect() {   # expect CODE PATTERN -- command...
  local want=$1 pat=$2
  shift 3
  n=$((n + 1))
  "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  if [ "$got" -ne "$want" ]; then
    echo "FAIL: '$*' exited $got, expected $want"; cat "$tmp/err"; fail=$((fail + 1)); return
  fi
  if [ -n "$pat" ] && ! grep -qiE "$pat" "$tmp/out" "$tmp/err"; then
    echo "FAIL: '$*' output lacks /$pat/"; cat "$tmp/out" "$tmp/err"; fail=$((fail + 1)); return
  fi
}

one_line_err() {   # the error is a single line
  n=$((n + 1))
  if [ "$(wc -l <"$tmp/err")" -ne 1 ]; then
    echo "FAIL: expected a one-line error, got:"; cat "$tmp/err"; fail=$((fail + 1))
  fi
}

expect 0 "Usage:" -- "$bin" --help
expect 0 "Usage:" -- "$bin" help
expect 0 "anodesim [0-9]+\.[0-9]+\.[0-9]+" -- "$bin" version
expect 2 "unknown command" -- "$bin" frobnicate
one_line_err
expect 2 "" -- "$bin"
expect 2 "unknown option '--bogus'" -- "$bin" run --bogus "$src/scenarios/china-2024/scenario.yaml"
one_line_err
expect 2 "cannot read the scenario file" -- "$bin" run "$tmp/no-such-file.yaml"
one_line_err
expect 2 "cannot read the scenario file" -- "$bin" validate "$tmp/no-such-file.yaml"
one_line_err
expect 2 "needs a whole number" -- "$bin" run -r 0 "$src/scenarios/china-2024/scenario.yaml"
one_line_err
expect 2 "exactly one scenario" -- "$bin" run
expect 2 "KEY=VALUE" -- "$bin" run --set nonsense "$src/scenarios/china-2024/scenario.yaml"
expect 2 "out of range" -- "$bin" run --set smelter.reorder_days=-3 "$src/scenarios/china-2024/scenario.yaml"
one_line_err
expect 2 "unknown parameter" -- "$bin" validate --set smelter.nonsense=1 "$src/scenarios/china-2024/scenario.yaml"
expect 0 "scenario is valid" -- "$bin" validate "$src/scenarios/china-2024/scenario.yaml"
expect 0 "anode output" -- "$bin" run -q -r 2 -t 2 --set run.end=2024-12-31 "$src/scenarios/china-2024/scenario.yaml"
expect 0 "\"replications\": 2" -- "$bin" run -q -r 2 --json --set run.end=2024-12-31 "$src/scenarios/china-2024/scenario.yaml"
# Help for every command, by COMMAND --help, -h and help COMMAND: exit 0,
# its usage and examples on stdout.
for c in run sweep validate merge generate info params; do
  expect 0 "usage: anodesim $c" -- "$bin" $c --help
  expect 0 "usage: anodesim $c" -- "$bin" help $c
  expect 0 "Example" -- "$bin" $c -h
done
expect 0 "usage: anodesim info" -- "$bin" info --help results.h5
expect 2 "did you mean merge" -- "$bin" help merg
expect 0 "anodesim [0-9.]+ \(revision [0-9a-f]+\), with(out)? MPI" -- "$bin" -V
expect 0 "with(out)? MPI" -- "$bin" --version
# "did you mean" for commands, options and --set keys; every command listed.
expect 2 "did you mean merge\?.*merge, generate" -- "$bin" merg
one_line_err
expect 2 "did you mean --replications" -- "$bin" run --replicatons 3 "$src/scenarios/china-2024/scenario.yaml"
expect 2 "did you mean smelter.reorder_days" -- "$bin" run --set smelter.reordr_days=3 "$src/scenarios/china-2024/scenario.yaml"
# JSON: params, info and the run summary parse, carry a schema and units.
expect 0 "" -- sh -c "\"$bin\" params --json | \"$py\" -c 'import json,sys; d=json.load(sys.stdin); assert d[\"schema\"] == \"anodesim-params/1\" and len(d[\"parameters\"]) > 40'"
"$bin" run -q -r 2 -t 2 --set run.end=2024-12-31 -o "$tmp/i.h5" "$src/scenarios/china-2024/scenario.yaml" >/dev/null 2>&1
expect 0 "" -- sh -c "\"$bin\" info --json \"$tmp/i.h5\" | \"$py\" -c 'import json,sys; d=json.load(sys.stdin); assert d[\"schema\"] == \"anodesim-info/1\" and d[\"status\"] == \"complete\" and d[\"replications_completed\"] == 2'"
# A horizon that ends within a month: that month's time bounds end with it.
"$bin" run -q -r 1 -t 1 --set run.end=2024-12-15 -o "$tmp/mid.h5" "$src/scenarios/china-2024/scenario.yaml" >/dev/null 2>&1
expect 0 "" -- "$("$src/scripts/pyfind")" -c "import h5py,sys; f=h5py.File('$tmp/mid.h5','r'); b=f['time_bnds'][-1]; sys.exit(0 if (b[0], b[1], f['time_end'][-1]) == (335, 350, 350) else 1)"
# info counts a sweep's replications in all, says how quantiles were had,
# and lists variables (with money's currency), not label coordinates.
"$bin" sweep -q -r 3 -t 2 -o "$tmp/sw.h5" "$src/tests/data/sweep-2x2.yaml" >/dev/null 2>&1
expect 0 "replications  12 of 12 completed \\(3 a point\\)" -- "$bin" info "$tmp/sw.h5"
expect 0 "quantiles     exact" -- "$bin" info "$tmp/sw.h5"
expect 0 "revenue \[1 CNY, 4d\]" -- "$bin" info "$tmp/sw.h5"
expect 0 "" -- sh -c "! \"$bin\" info \"$tmp/sw.h5\" | grep -q region_name"
expect 0 "" -- sh -c "OMP_THREAD_LIMIT=1 \"$bin\" run -q -r 2 --json --set run.end=2024-12-31 \"$src/scenarios/china-2024/scenario.yaml\" | \"$py\" -c 'import json,sys; d=json.load(sys.stdin); assert d[\"schema\"] == \"anodesim-summary/1\" and d[\"threads\"] == 1 and d[\"units\"][\"revenue\"] == \"CNY\" and d[\"units\"][\"production\"] == \"t\"'"

# The high-efficiency share printed is that of the open capacity: exits
# of conventional plants raise it above the table's 46.8 %.
expect 0 "high-efficiency share 5[0-9]\.[0-9] %" -- "$bin" run -q -r 2 -y 2026 --set plant.exit_utilisation=0.6 \
  --set run.end=2026-12-31 "$src/scenarios/china-2024/scenario.yaml"

echo "$((n - fail)) passed, $fail failed"
[ "$fail" -eq 0 ]
