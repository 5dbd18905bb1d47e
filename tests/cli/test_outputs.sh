#!/usr/bin/env bash
# Output safety and durability: results go only where they may, a second
# run on the same file stops at once and names the first, a damaged
# replication or coordinate is repaired on resume (never a silently
# different file), and a stop request is obeyed even inside a replication
# that never ends.  No check depends on the machine's speed: runs are
# signalled once the partial file holds replications, not after a sleep.
# usage: test_outputs.sh ANODESIM SOURCE_DIR PYTHON
set -u
bin=$1
scen=$2/scenarios/china-2024/scenario.yaml
py=$3
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$tmp"' EXIT
fail=0
n=0
check() { n=$((n + 1)); if ! eval "$1"; then echo "FAIL: $2"; cat "$tmp/err" 2>/dev/null; fail=$((fail + 1)); fi; }
short=(run "$scen" -q -r 3 --set run.end=2024-12-31)

. "$(dirname "$0")/lib.sh"   # wait_done

# ---- where results may go ---------------------------------------------------
cd "$tmp"
"$bin" "${short[@]}" -o - >/dev/null 2>"$tmp/err"; code=$?
check '[ $code -eq 2 ] && [ ! -e "$tmp/-" ] && grep -q "standard output" "$tmp/err"' "-o - refused (exit $code)"
mkdir "$tmp/dir"
"$bin" "${short[@]}" -o "$tmp/dir" >/dev/null 2>"$tmp/err"; code=$?
check '[ $code -eq 2 ] && grep -q "is a directory" "$tmp/err"' "-o DIRECTORY refused before the run (exit $code)"
echo "my notes" >"$tmp/notes.txt"
"$bin" "${short[@]}" -o "$tmp/notes.txt" >/dev/null 2>"$tmp/err"; code=$?
check '[ $code -eq 2 ] && [ "$(cat "$tmp/notes.txt")" = "my notes" ] && grep -q "not a results file" "$tmp/err"' \
  "an existing non-results file is not replaced (exit $code)"
"$bin" "${short[@]}" -o "$tmp/a.h5" >/dev/null 2>"$tmp/err"
cp "$tmp/a.h5" "$tmp/a.copy"
"$bin" "${short[@]}" -s 5 -o "$tmp/a.h5" >/dev/null 2>"$tmp/err"; code=$?
check '[ $code -eq 2 ] && cmp -s "$tmp/a.h5" "$tmp/a.copy" && grep -q -- "--force" "$tmp/err"' \
  "a complete results file is not replaced without --force (exit $code)"
"$bin" "${short[@]}" -s 5 -o "$tmp/a.h5" --force >/dev/null 2>"$tmp/err"; code=$?
check '[ $code -eq 0 ] && ! cmp -s "$tmp/a.h5" "$tmp/a.copy"' "--force replaces it (exit $code)"
ln -s "$tmp/elsewhere" "$tmp/b.h5.partial"
"$bin" "${short[@]}" -o "$tmp/b.h5" >/dev/null 2>"$tmp/err"; code=$?
check '[ $code -eq 2 ] && [ ! -e "$tmp/elsewhere" ]' "a dangling link at the partial is not followed (exit $code)"
echo "target" >"$tmp/elsewhere"
"$bin" "${short[@]}" -o "$tmp/b.h5" --resume >/dev/null 2>"$tmp/err"; code=$?
check '[ $code -eq 2 ] && [ "$(cat "$tmp/elsewhere")" = "target" ]' "resume does not follow a link either (exit $code)"
rm -f "$tmp/b.h5.partial"

# ---- two runs on one file -----------------------------------------------------
"$bin" run "$scen" -q -r 400 -t 1 -o "$tmp/c.h5" >/dev/null 2>"$tmp/err1" &
first=$!
wait_done "$tmp/c.h5.partial" 1
"$bin" run "$scen" -q -r 400 -t 1 -o "$tmp/c.h5" >/dev/null 2>"$tmp/err"; code=$?
check '[ $code -eq 2 ] && grep -q "being written by process $first" "$tmp/err"' "a second run stops at once, naming the first (exit $code)"
"$bin" run "$scen" -q -r 400 -t 1 -o "$tmp/c.h5" --resume >/dev/null 2>"$tmp/err"; code=$?
check '[ $code -eq 2 ] && grep -q "being written by process $first" "$tmp/err"' "so does a resume (exit $code)"
"$bin" run "$scen" -q -r 400 -t 1 -o "$tmp/c.h5" --force >/dev/null 2>"$tmp/err"; code=$?
check '[ $code -eq 2 ]' "and --force (exit $code)"
kill -TERM $first; wait $first
check '[ -f "$tmp/c.h5.partial" ]' "the first run's partial is intact"
"$bin" run "$scen" -q -r 400 -t 1 -o "$tmp/c.h5" >/dev/null 2>"$tmp/err"; code=$?
check '[ $code -eq 2 ] && grep -q -- "--resume" "$tmp/err" && [ -f "$tmp/c.h5.partial" ]' \
  "a new run does not truncate an interrupted one (exit $code)"

# ---- damage found on resume ----------------------------------------------------
R=120
"$bin" run "$scen" -q -r $R -t 2 -o "$tmp/ref.h5" >/dev/null 2>"$tmp/err"
"$bin" run "$scen" -q -r $R -t 2 -o "$tmp/d.h5" >/dev/null 2>"$tmp/err" &
p=$!
wait_done "$tmp/d.h5.partial" 20
kill -TERM $p; wait $p
"$py" - "$tmp/d.h5.partial" <<'EOF'
import sys, h5py
path = sys.argv[1]
with h5py.File(path, "r", locking=False) as f:
    done = f["realization_done"][:, 0]          # (realization, point)
    rep = int(done.nonzero()[0][3])
    chunk = f["production"].id.get_chunk_info_by_coord((rep, 0, 0, 0))
    real = f["realization"].id.get_chunk_info(0).byte_offset   # (the record dimension is chunked)
with open(path, "r+b") as fh:
    for at in (chunk.byte_offset + chunk.size // 2, real + 4 * 7):   # a replication's data, a coordinate
        fh.seek(at)
        b = fh.read(1)
        fh.seek(at)
        fh.write(bytes([b[0] ^ 0x5A]))
EOF
"$bin" run "$scen" -q -r $R -t 2 -o "$tmp/d.h5" --resume >/dev/null 2>"$tmp/err"; code=$?
check '[ $code -eq 0 ] && grep -q "is damaged in the file" "$tmp/err" && grep -q "coordinate .realization. was damaged" "$tmp/err"' \
  "resume reports the damaged replication and coordinate (exit $code)"
bad=""
for ds in production shortage flow plant_production realization replication_seed realization_done \
          summary/production_mean summary/production_quantile; do
  h5diff -q "$tmp/ref.h5" "$tmp/d.h5" "/$ds" "/$ds" >/dev/null 2>&1 || bad="$bad $ds"
done
check '[ -z "$bad" ]' "after repair the file equals an undamaged run's (differs in:$bad)"

# ---- inputs that change ------------------------------------------------------
# A table edited between the interruption and the resume, or between two
# shards, is named; nothing is mixed, and the partial is kept.
cp -r "$2/scenarios/china-2024" "$tmp/sc"
"$bin" run "$tmp/sc/scenario.yaml" -q -r 200 -t 1 -o "$tmp/f.h5" >/dev/null 2>"$tmp/err" &
p=$!
wait_done "$tmp/f.h5.partial" 2
kill -TERM $p; wait $p
cp "$tmp/sc/plants.csv" "$tmp/plants.orig"
sed -i 's/^\(sd_merchant_he,Shandong,high_efficiency,\)[0-9.]*/\19999999/' "$tmp/sc/plants.csv"
"$bin" run "$tmp/sc/scenario.yaml" -q -r 200 -t 1 -o "$tmp/f.h5" --resume >/dev/null 2>"$tmp/err"; code=$?
check '[ $code -eq 2 ] && grep -q "table plants plants.csv changed" "$tmp/err" && [ -f "$tmp/f.h5.partial" ]' \
  "resume after a table edit is refused, naming the table, keeping the partial (exit $code)"
"$bin" run "$tmp/sc/scenario.yaml" -q -r 4 -t 1 --shard 0/2 -o "$tmp/m.h5" >/dev/null 2>"$tmp/err"
cp "$tmp/plants.orig" "$tmp/sc/plants.csv"
"$bin" run "$tmp/sc/scenario.yaml" -q -r 4 -t 1 --shard 1/2 -o "$tmp/m.h5" >/dev/null 2>"$tmp/err"
"$bin" merge -o "$tmp/m.h5" "$tmp/m.shard-0-of-2.h5" "$tmp/m.shard-1-of-2.h5" >/dev/null 2>"$tmp/err"; code=$?
check '[ $code -eq 2 ] && grep -q "plants.csv changed" "$tmp/err" && [ ! -e "$tmp/m.h5" ]' \
  "shards run before and after an edit are not merged (exit $code)"
"$bin" run "$tmp/sc/scenario.yaml" -q -r 200 -t 1 -o "$tmp/f.h5" --resume >/dev/null 2>"$tmp/err"; code=$?
check '[ $code -eq 0 ] && [ -f "$tmp/f.h5" ]' "with the table restored the resume finishes (exit $code)"

# ---- stop requests --------------------------------------------------------------
# A replication that never ends (failures and repairs every 1e-300 days)
# still stops on SIGTERM, leaving a partial that resume accepts.
"$bin" run "$scen" -q -r 2 -t 1 --set plant.mtbf_days=1e-300 --set plant.mttr_days=1e-300 \
  -o "$tmp/e.h5" >/dev/null 2>"$tmp/err" &
p=$!
for _ in $(seq 100); do [ -f "$tmp/e.h5.partial" ] && break; sleep 0.05; done
sleep 0.5
kill -TERM $p
for _ in $(seq 50); do kill -0 $p 2>/dev/null || break; sleep 0.1; done
alive=0; kill -0 $p 2>/dev/null && alive=1 && kill -9 $p
wait $p; code=$?
check '[ $alive -eq 0 ] && [ $code -eq 1 ] && grep -q "interrupted" "$tmp/err"' "SIGTERM stops an endless replication within 5 s"
check '[ -f "$tmp/e.h5.partial" ] && [ ! -e "$tmp/e.h5" ]' "it leaves a partial"
# A summary-only run is not offered a resume it cannot have.
"$bin" run "$scen" -q -r 2 -t 1 --summary-only --set plant.mtbf_days=1e-300 --set plant.mttr_days=1e-300 \
  -o "$tmp/s.h5" >/dev/null 2>"$tmp/err" &
p=$!
sleep 0.5
kill -TERM $p; wait $p
check '! grep -q "and --resume" "$tmp/err" && grep -q "cannot be resumed" "$tmp/err"' "summary-only: no resume offered"

echo "$((n - fail)) passed, $fail failed"
[ "$fail" -eq 0 ]
