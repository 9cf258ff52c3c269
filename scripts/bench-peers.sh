#!/usr/bin/env bash
# pg's bench workloads side by side with their peers (JAX on the CPU and plain C), on this
# machine, in one session, runs interleaved (pg, JAX, C, pg, JAX, C, ...), so that the ratios
# are fair even when the machine's speed drifts.
#
# The peers are ours, in scripts/peers/: c_workloads.c (built here with gcc), jax_workloads.py
# and jax_critic_workloads.py (JAX on the CPU; install it with: python3 -m pip install "jax[cpu]").
# The learned-component workloads (critic-gumbel, critic-st-gumbel, relax-toy, mlp-frozenlake)
# have a JAX peer only.
#
# Usage: scripts/bench-peers.sh [--runs N] [--seconds S] [--only w1,w2,...]
#                               [--two-threads] [--busy] [--no-jax]
#   --runs N       runs per cell (default 5); the table shows median [min-max]
#   --seconds S    measuring time of each JAX and C run (default 2)
#   --only LIST    a subset of the workloads bandit,single,figure,frozenlake,gumbel,
#                  critic-gumbel,critic-st-gumbel,relax-toy,mlp-frozenlake
#   --two-threads  also the 2-thread cells (bandit, figure, frozenlake, gumbel) on cores 0 and 1
#   --busy         also the 2-thread cells with a busy loop pinned to core 1 (implies --two-threads)
#   --no-jax       skip JAX (otherwise `python3 -m pip install "jax[cpu]"` if `import jax` fails)
# 1-thread cells run under `taskset -c 0`. Prints a markdown table and writes every number to
# runs/bench-peers-TIMESTAMP.json (runs/ is git-ignored), which `pg bench --peers FILE` reads
# to show the peers' figures and a verdict beside its targets.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
peers="$repo/scripts/peers"
runs=5 seconds=2 only="bandit,single,figure,frozenlake,gumbel,critic-gumbel,critic-st-gumbel,relax-toy,mlp-frozenlake" two=0 busy=0 jax=1
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs=$2; shift 2 ;;
        --seconds) seconds=$2; shift 2 ;;
        --only) only=$2; shift 2 ;;
        --two-threads) two=1; shift ;;
        --busy) busy=1; two=1; shift ;;
        --no-jax) jax=0; shift ;;
        -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "bench-peers.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
for w in ${only//,/ }; do
    case "$w" in bandit|single|figure|frozenlake|gumbel|critic-gumbel|critic-st-gumbel|relax-toy|mlp-frozenlake) ;; *) echo "bench-peers.sh: unknown workload $w" >&2; exit 2 ;; esac
done

stamp=$(date +%Y%m%d-%H%M%S)
work="$repo/runs/bench-peers-$stamp"
mkdir -p "$work"
raw="$work/records.jsonl"
: > "$raw"
log() { echo "bench-peers: $*" >&2; }

# ---------------------------------------------------------------- build the peers and pg
log "building the C peer (gcc -O3 -march=native -fopenmp, and -ffast-math for gumbel's vectorised log/exp)"
gcc -O3 -march=native -fopenmp "$peers/c_workloads.c" -lm -o "$work/c_workloads"
gcc -O3 -march=native -fopenmp -ffast-math "$peers/c_workloads.c" -lm -o "$work/c_workloads-fastmath"

jax_note=""
if [ "$jax" = 1 ] && ! python3 -c "import jax" 2>/dev/null; then
    log "installing jax[cpu] with pip"
    python3 -m pip install --quiet "jax[cpu]" >&2 || true
fi
if [ "$jax" = 1 ] && ! python3 -c "import jax" 2>/dev/null; then
    jax=0 jax_note="JAX skipped: \`import jax\` fails and \`python3 -m pip install \"jax[cpu]\"\` did not help"
    log "$jax_note"
elif [ "$jax" = 0 ] && [ -z "$jax_note" ]; then
    jax_note="JAX skipped (--no-jax)"
fi

log "building pg (release)"
(cd "$repo" && swift build -c release --product pg >&2)
pg="$(cd "$repo" && swift build -c release --show-bin-path)/pg"

# ---------------------------------------------------------------- one measurement = one JSON record
# record WORKLOAD THREADS BUSY PEER RUN JSON_LINE
record() {
    python3 -c 'import json, sys
w, t, b, p, r, line = sys.argv[1:7]
d = json.loads(line) if line.strip() else {}
d.update(workload=w, threads=int(t), busy=b == "1", peer=p, run=int(r))
print(json.dumps(d))' "$@" >> "$raw"
}

# pg_value WORKLOAD THREADS CPUS: runs `pg bench --only WORKLOAD --threads THREADS` on CPUS and
# prints the JSON of the row with id WORKLOAD-THREADSt.
pg_value() {
    local out="$work/pg-$1-$2.json"
    rm -f "$out"
    taskset -c "$3" "$pg" bench --only "$1" --threads "$2" --out "$out" > "$work/pg-$1-$2.txt"
    python3 -c 'import json, sys
rows = json.load(open(sys.argv[1]))["rows"]
row = next(r for r in rows if r["id"] == sys.argv[2])
print(json.dumps({"value": row["value"], "unit": row["unit"], "name": row["name"]}))' "$out" "$1-$2t"
}

# cell WORKLOAD THREADS BUSY: RUNS interleaved runs of pg, JAX and C.
cell() {
    local w=$1 t=$2 b=$3 cpus=0 c_peer="$work/c_workloads"
    [ "$t" -gt 1 ] && cpus=0-$((t - 1))
    [ "$w" = gumbel ] && c_peer="$work/c_workloads-fastmath"
    for r in $(seq 1 "$runs"); do
        log "$w, $t thread(s)$([ "$b" = 1 ] && echo ', busy core 1'), run $r/$runs"
        record "$w" "$t" "$b" pg "$r" "$(pg_value "$w" "$t" "$cpus")"
        if [ "$jax" = 1 ]; then
            case "$w" in
                critic-gumbel|critic-st-gumbel|relax-toy)  # one whole sweep per timed call
                    record "$w" "$t" "$b" jax "$r" "$(taskset -c "$cpus" python3 "$peers/jax_critic_workloads.py" "$w" \
                        --threads "$t" --seconds "$seconds" 2>> "$work/jax.stderr" | tail -n 1)" ;;
                *)
                    record "$w" "$t" "$b" jax "$r" "$(taskset -c "$cpus" python3 "$peers/jax_workloads.py" "$w" --threads "$t" \
                        --seconds "$seconds" --map "$repo/envs/FrozenLake-v1-8x8.txt" 2>> "$work/jax.stderr" | tail -n 1)" ;;
            esac
        fi
        case "$w" in critic-*|relax-*|mlp-*) continue ;; esac  # no C peer
        record "$w" "$t" "$b" c "$r" "$(OMP_NUM_THREADS=$t taskset -c "$cpus" "$c_peer" "$w" --seconds "$seconds" \
            --map "$repo/envs/FrozenLake-v1-8x8.txt")"
    done
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for w in ${only//,/ }; do cell "$w" 1 0; done
if [ "$two" = 1 ]; then
    for w in ${only//,/ }; do [ "$w" = single ] || cell "$w" 2 0; done
fi
if [ "$busy" = 1 ]; then
    taskset -c 1 bash -c 'while :; do :; done' &
    busy_pid=$!
    trap 'kill "$busy_pid" 2>/dev/null || true' EXIT
    for w in ${only//,/ }; do [ "$w" = single ] || cell "$w" 2 1; done
    kill "$busy_pid"
fi
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------- table and JSON
commit=$(cd "$repo" && git rev-parse --short HEAD)$(cd "$repo" && git diff --quiet HEAD -- Sources Package.swift || echo "+changes")
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
python3 - "$raw" "$repo/runs/bench-peers-$stamp.json" "$commit" "$cpu" "$(nproc)" "$load_before" "$load_after" \
    "$jax_note" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" <<'PY'
import json, statistics, sys
raw, out, commit, cpu, cores, before, after, jax_note, date = sys.argv[1:10]
records = [json.loads(l) for l in open(raw) if l.strip()]
cells = {}
for r in records:
    cells.setdefault((r["workload"], r["threads"], r["busy"]), {}).setdefault(r["peer"], []).append(r)

def fmt(x):
    return f"{x:.3g}" if x < 1e3 else f"{x:.2e}".replace("e+0", "e").replace("e+", "e")

def stats(rs):
    v = [r["value"] for r in rs if isinstance(r.get("value"), (int, float))]
    return (statistics.median(v), min(v), max(v)) if v else None

print(f"pg side by side with its peers — {date}, {cpu} ({cores} cores), pg {commit}")
print(f"load average before / after: {before} / {after}" + (f"; {jax_note}" if jax_note else ""))
print()
print("| workload | unit | pg median [min–max] | JAX median [min–max] | C median [min–max] | pg ÷ JAX | pg ÷ C |")
print("|---|---|---|---|---|---|---|")
summary = []
for (w, t, b), peers in cells.items():
    unit = next((r.get("unit") for rs in peers.values() for r in rs if r.get("unit")), "")
    s = {p: stats(rs) for p, rs in peers.items()}
    def col(p):
        x = s.get(p)
        return f"{fmt(x[0])} [{fmt(x[1])}–{fmt(x[2])}]" if x else "—"
    def ratio(p):  # pg's speed over the peer's: rates divide, times (unit "s") invert
        if not s.get("pg") or not s.get(p):
            return None
        return s[p][0] / s["pg"][0] if unit == "s" else s["pg"][0] / s[p][0]
    rj, rc = ratio("jax"), ratio("c")
    label = f"{w} {t}t" + (" busy" if b else "")
    print(f"| {label} | {unit} | {col('pg')} | {col('jax')} | {col('c')} | "
          f"{'—' if rj is None else f'{rj:.2f}'} | {'—' if rc is None else f'{rc:.2f}'} |")
    summary.append({"workload": w, "threads": t, "busy": b, "unit": unit,
                    **{p: {"median": x[0], "min": x[1], "max": x[2]} for p, x in s.items() if x},
                    "pg_over_jax": rj, "pg_over_c": rc})
print()
print("pg ÷ X is pg's speed over X's (> 1: pg is faster); for figure (seconds) it is X's time over pg's.")
print("The C gumbel cell is built with -ffast-math (vectorised log/exp).")
json.dump({"date": date, "cpu": cpu, "cores": int(cores), "commit": commit, "load_before": before,
           "load_after": after, "note": jax_note, "summary": summary, "records": records}, open(out, "w"), indent=1)
print(f"raw numbers: {out}  (pg bench --peers {out} shows them beside its targets)")
PY
