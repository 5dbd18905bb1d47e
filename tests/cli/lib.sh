# Shared by the CLI tests (sourced): wait for a partial file to hold work.
# Needs $py, a python3 with h5py.

# wait_done FILE K: wait (at most 60 s) until FILE holds at least K
# replications marked done.  Tests signal a run at that moment, never
# after a fixed sleep: on a fast machine the run had finished by then.
wait_done() {
  for _ in $(seq 1200); do
    "$py" - "$1" "$2" <<'PYEOF' 2>/dev/null && return 0
import sys, h5py
with h5py.File(sys.argv[1], "r", locking=False) as f:
    sys.exit(0 if f["realization_done"][:].sum() >= int(sys.argv[2]) else 1)
PYEOF
    sleep 0.05
  done
  return 1
}
