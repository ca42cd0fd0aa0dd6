#!/usr/bin/env bash
# The mapping phases' cost in counts that do not depend on the machine's load: instructions,
# cache misses and branch mispredictions per desired item, counted by valgrind's callgrind with
# its cache and branch simulators while mapping_bench maps and plans 10,000 tasks once. CPU
# times on a shared machine vary by a quarter from run to run; these counts are the same every
# run, so two versions compare exactly. "est. cycles" is KCachegrind's cycle estimate:
# instructions + 10 x (L1 misses + mispredictions) + 100 x last-level misses.
#
#   benchmarks/mapping_model.sh [PATH/TO/mapping_bench]     (default: build/benchmarks/mapping_bench)
#
# Needs valgrind (Debian: apt-get install valgrind) and python3; takes a few minutes.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bench=${1:-"$root/build/benchmarks/mapping_bench"}
[ -x "$bench" ] || { echo "mapping_model.sh: no benchmark at $bench (build it first: scripts/bench builds it)" >&2; exit 2; }
command -v valgrind >/dev/null || { echo "mapping_model.sh: needs valgrind (apt-get install valgrind)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The simulated caches are fixed (32 KiB 8-way L1s, a 16 MiB 16-way last level) rather than read
# from the CPU, whose report valgrind may take badly (on this machine's EPYC: a 256 MiB
# direct-mapped last level that nothing ever missed), so any machine gives the same counts.
valgrind --tool=callgrind --cache-sim=yes --branch-sim=yes --I1=32768,8,64 --D1=32768,8,64 --LL=16777216,16,64 \
  --callgrind-out-file="$work/cg.out" \
  "$bench" --single --tasks 10000 --projects 100 --repeats 1 >"$work/bench.txt" 2>"$work/valgrind.txt" ||
  { cat "$work/bench.txt" "$work/valgrind.txt" >&2; exit 1; }
callgrind_annotate --inclusive=yes "$work/cg.out" >"$work/annotated.txt"
python3 - "$work/bench.txt" "$work/annotated.txt" <<'PY'
import re, sys
bench, annotated = open(sys.argv[1]).read(), open(sys.argv[2]).read()
items = int(re.search(r"^items: ([\d,]+)", bench, re.M).group(1).replace(",", ""))
events = re.search(r"^Events shown:\s+(.*)$", annotated, re.M).group(1).split()
# With --repeats 1 the bench maps for Classic twice (first, then after renaming 1%), maps every
# field once, plans all creates once, and plans against the links twice (nothing to change, then
# 1% renamed); every run has about `items` items.
phases = [("phase_map", "map_to_cascade", 2), ("phase_map_full", "map (every field)", 1),
          ("phase_plan_create", "make_plan: all creates", 1),
          ("phase_plan_linked", "make_plan: linked", 2)]
print("per desired item, %s items (10,000 tasks); callgrind's simulated caches and branch predictor" % format(items, ","))
print("%-24s %12s %10s %10s %12s %12s" % ("phase", "instructions", "L1 misses", "LL misses", "mispredicted", "est. cycles"))
for fn, name, calls in phases:
    line = next((l for l in annotated.splitlines() if re.search(r"\b%s\(" % fn, l) and re.match(r"^\s*[\d,]+ ", l)), None)
    if line is None:
        sys.exit("mapping_model.sh: %s not found in the profile" % fn)
    # The counts before the file name: "1,234 ( 0.5%)", a bare "0", or "." for none.
    cells = re.sub(r"\(\s*[\d.]+%\)", " ", line.split(fn)[0]).split()[: len(events)]
    v = dict(zip(events, [0 if c == "." else int(c.replace(",", "")) for c in cells]))
    per = lambda n: n / (calls * items)
    l1 = v.get("I1mr", 0) + v.get("D1mr", 0) + v.get("D1mw", 0)
    ll = v.get("ILmr", 0) + v.get("DLmr", 0) + v.get("DLmw", 0)
    bm = v.get("Bcm", 0) + v.get("Bim", 0)
    est = v["Ir"] + 10 * (l1 + bm) + 100 * ll
    print("%-24s %12.0f %10.1f %10.2f %12.1f %12.0f" % (name, per(v["Ir"]), per(l1), per(ll), per(bm), per(est)))
PY
