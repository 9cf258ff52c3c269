#!/usr/bin/env bash
# Opt-in integration test of `pg sweep --slurm` on a REAL one-node Slurm cluster on this machine.
#
#   sudo scripts/slurm-integration.sh        (root: it installs packages and starts daemons; a few minutes)
#
# 1. Installs Debian's slurm-wlm and munge if they are missing.
# 2. Writes a minimal slurm.conf for this node (CPUs etc. from `slurmd -C`, all on localhost,
#    every state file under a fresh temporary directory) and starts munged, slurmctld and slurmd,
#    recording their process ids.
# 3. Builds pg (release) and submits a real sweep with `pg sweep --slurm`: an array of SHARDS
#    tasks and a merge job that depends on it (afterok); waits for the merge; prints the job ids,
#    the task states and the merged table.
# 4. Runs the same sweep in one process and checks that the merged per-seed finals (the `final`
#    arrays of the {"type":"final"} lines) equal it exactly.
# 5. Failure drill: deletes shard 2, shows that --merge lists it as missing (and not in Slurm's
#    queue), refuses to replace the complete merged.jsonl with it, merges at once by hand into
#    merged.jsonl with --force (3 shards), reruns the
#    task as the README says (sbatch --array=2 --export=ALL,PG_SWEEP_ID=J array.sh) with a merge
#    job after it, which must replace the earlier merged.jsonl (nothing is moved aside), checks
#    the finals again, runs the merge job once more (a merge is re-runnable), and checks that a
#    rerun without PG_SWEEP_ID is refused by the merge.
# 6. A merge while tasks are still queued: a second sweep on a partition that is DOWN; its
#    merge by hand must name them as still in Slurm's queue (never "rerun them"); a merge before
#    any shard exists must say that no file matches, not show the unexpanded pattern.
# On exit (also on failure or Ctrl-C) it cancels its jobs and stops exactly the daemons it
# started, by their pids. Settings: SHARDS (4), SEEDS (48), ITERATIONS (100), TIMEOUT (600 s per wait).
set -euo pipefail

SHARDS=${SHARDS:-4}
SEEDS=${SEEDS:-48}
ITERATIONS=${ITERATIONS:-100}
TIMEOUT=${TIMEOUT:-600}
repo=$(cd "$(dirname "$0")/.." && pwd)
say() { printf '\n== %s\n' "$*"; }
fail() { printf 'slurm-integration: FAILED: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || { echo "slurm-integration: run as root (it installs packages and starts Slurm's daemons)" >&2; exit 2; }

# MARK: - packages
say "packages"
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null \
   || ! command -v munged >/dev/null; then
  echo "installing slurm-wlm and munge (apt-get install)"
  apt_log=$(mktemp)
  # A fresh machine's package lists may be empty: update them once if the packages are not found.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q slurm-wlm munge >"$apt_log" 2>&1 \
    || { apt-get update -q >"$apt_log" 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q slurm-wlm munge >"$apt_log" 2>&1; } \
    || { cat "$apt_log"; exit 1; }
  grep -E '^(Setting up (slurm|munge|slurmd|slurmctld|slurm-client)[ :])' "$apt_log" || true
  rm -f "$apt_log"
fi
echo "$(slurmctld -V), $(munged --version 2>&1 | head -1)"

# MARK: - cleanup: our jobs, then our daemons, by pid
work=$(mktemp -d /tmp/pg-slurm-it.XXXXXX)
chmod 755 "$work"
export SLURM_CONF=$work/slurm.conf
daemons=()   # "name:pid"
jobs_submitted=()
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [ ${#jobs_submitted[@]} -gt 0 ] && [ -n "${slurmctld_pid:-}" ]; then
    scancel "${jobs_submitted[@]}" 2>/dev/null || true
  fi
  local d name pid i
  for (( i=${#daemons[@]}-1; i>=0; i-- )); do           # slurmd, slurmctld, munged
    d=${daemons[$i]}; name=${d%%:*}; pid=${d##*:}
    kill -TERM "$pid" 2>/dev/null || continue
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
    wait "$pid" 2>/dev/null || true
    echo "stopped $name (pid $pid)"
  done
  if [ "$status" = 0 ]; then rm -rf "$work"; else echo "logs and state kept in $work"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# MARK: - munge
say "cluster: state under $work"
mkdir -p "$work"/{munge,state,spool,sweep}
if command -v mungekey >/dev/null; then mungekey --create --keyfile="$work/munge/munge.key" >/dev/null
else dd if=/dev/urandom of="$work/munge/munge.key" bs=1024 count=1 status=none; fi
chmod 400 "$work/munge/munge.key"
munged --foreground --force --key-file="$work/munge/munge.key" --socket="$work/munge/munge.socket" \
  --pid-file="$work/munge/munged.pid" --log-file="$work/munge/munged.log" --seed-file="$work/munge/munge.seed" \
  >"$work/munge/munged.out" 2>&1 &
daemons+=("munged:$!")
for _ in $(seq 50); do [ -S "$work/munge/munge.socket" ] && break; sleep 0.2; done
[ -S "$work/munge/munge.socket" ] || fail "munged did not create its socket (see $work/munge/munged.log)"

# MARK: - slurm.conf
node=$(slurmd -C | head -1 | sed -e 's/^NodeName=[^ ]*/NodeName=localhost NodeAddr=127.0.0.1/')
port=$(( 20000 + RANDOM % 20000 ))
cat > "$SLURM_CONF" <<EOF
ClusterName=pgit
SlurmctldHost=localhost
SlurmctldPort=$port
SlurmdPort=$(( port + 1 ))
SlurmUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$work/munge/munge.socket
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$work/jobcomp.txt
ReturnToService=2
MinJobAge=3600
$node State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
PartitionName=held Nodes=localhost MaxTime=INFINITE State=DOWN
EOF
echo "node: $node"
slurmctld -D -i -f "$SLURM_CONF" >"$work/slurmctld.out" 2>&1 &
daemons+=("slurmctld:$!"); slurmctld_pid=$!
slurmd -D -N localhost -f "$SLURM_CONF" >"$work/slurmd.out" 2>&1 &
daemons+=("slurmd:$!")
echo "started munged (pid ${daemons[0]##*:}), slurmctld (pid ${daemons[1]##*:}), slurmd (pid ${daemons[2]##*:})"
for _ in $(seq 100); do
  sinfo -h -N -o '%t' 2>/dev/null | grep -Eq '^(idle|mix|alloc)' && break; sleep 0.3
done
sinfo -N -o '%N %c %m %t' || fail "slurmctld does not answer (see $work/slurmctld.log)"
sinfo -h -N -o '%t' | grep -Eq '^(idle|mix|alloc)' || fail "the node is not idle (see $work/slurmd.log)"

# MARK: - pg
say "building pg (release)"
cd "$repo"
swift build -c release --product pg 2>&1 | tail -1
pg=$repo/.build/release/pg
compare_options=(--env bandit10 --estimators none,nvil --seeds "$SEEDS" --iterations "$ITERATIONS" --batch 8)

# Waits until every job in "$@" has left the queue; prints nothing.
wait_jobs() {
  local deadline=$(( SECONDS + TIMEOUT )) left
  while :; do
    left=$(squeue -h -j "$(IFS=,; echo "$*")" -o '%i %T %r' 2>/dev/null || true)
    [ -z "$left" ] && return 0
    if grep -q DependencyNeverSatisfied <<<"$left"; then echo "$left"; fail "a dependency can never be satisfied"; fi
    [ $SECONDS -lt $deadline ] || { echo "$left"; fail "jobs $* still queued after ${TIMEOUT}s"; }
    sleep 2
  done
}
# Prints "task state exit-code" for each task of array job $1 (or the job itself).
states() {
  scontrol show job -o "$1" | tr ' ' '\n' | awk -F= '
    $1=="JobId" {id=$2} $1=="ArrayTaskId" {task=$2} $1=="JobState" {state=$2}
    $1=="ExitCode" {printf "  job %s%s: %s, exit code %s\n", id, (task=="" ? "" : " (task " task ")"), state, $2; task=""}'
}
# Exits unless the finals of the compare files $1 and $2 are identical, variant by variant.
same_finals() {
  python3 - "$1" "$2" <<'PY'
import json, sys
def finals(path):
    lines = [json.loads(l) for l in open(path)]
    return {l["variant"]: (l["seed"], l["final"]) for l in lines if l["type"] == "final"}
a, b = finals(sys.argv[1]), finals(sys.argv[2])
assert list(a) == list(b), f"variants differ: {list(a)} vs {list(b)}"
for v in a:
    same = a[v] == b[v]
    print(f"  {v}: {len(a[v][1])} seeds, finals {'identical' if same else 'DIFFER'}; first three {a[v][1][:3]}")
    if not same: sys.exit(1)
PY
}

# MARK: - what Slurm sets
say "the array variables Slurm sets (what --shard auto reads)"
mkdir -p "$work/probe"
probes=()
for spec in 0-3 2 1,3 0-6:3; do
  id=$(sbatch --parsable --array="$spec" --output="$work/probe/%A_%a.out" \
       --wrap 'echo $(env | grep -E "^SLURM_ARRAY_(JOB_ID|TASK_)" | sort)')
  probes+=("$id=$spec"); jobs_submitted+=("$id")
done
wait_jobs "${jobs_submitted[@]}"
for p in "${probes[@]}"; do
  for f in "$work/probe/${p%%=*}"_*.out; do echo "  --array=${p#*=}: $(cat "$f")"; done
done

# MARK: - the sweep
say "pg sweep --slurm --shards $SHARDS"
out=$("$pg" sweep --slurm --shards "$SHARDS" --cpus 1 --time 00:10:00 --job-name pg-it --out-dir "$work/sweep" \
      -- "${compare_options[@]}")
echo "$out"
array=$(sed -n 's/^pg sweep: submitted array job \([0-9]*\) .* merge job \([0-9]*\) .*/\1/p' <<<"$out")
merge=$(sed -n 's/^pg sweep: submitted array job \([0-9]*\) .* merge job \([0-9]*\) .*/\2/p' <<<"$out")
[ -n "$array" ] && [ -n "$merge" ] || fail "no job ids in pg sweep's output"
jobs_submitted+=("$array" "$merge")
squeue -o '%.10i %.12j %.10T %.12r %E' || true
wait_jobs "$array" "$merge"
echo "array job $array:"; states "$array"
echo "merge job $merge:"; states "$merge"
dir=$work/sweep/$array
say "merged table (the merge job's log, $work/sweep/slurm-$merge.out)"
cat "$work/sweep/slurm-$merge.out"
ls -l "$dir"
[ -s "$dir/merged.jsonl" ] && [ -s "$dir/merged.svg" ] || fail "no merged.jsonl and merged.svg in $dir"

say "the same sweep in one process"
"$pg" compare "${compare_options[@]}" --threads 2 --quiet --no-plot --out "$work/single.jsonl"
say "equality check: merged (Slurm) vs one process"
same_finals "$dir/merged.jsonl" "$work/single.jsonl" || fail "the merged finals differ from the one-process sweep"

# MARK: - failure drill
say "failure drill: shard 2 lost; --merge lists it"
mv "$dir/shard-2.jsonl" "$work/shard-2.lost"
"$pg" compare --merge "$dir"/shard-*.jsonl --no-plot --out "$work/partial.jsonl" | tee "$work/partial.out" \
  | grep -E 'warning|missing shards|queue|merged from'
grep -q "not in Slurm's queue: 2" "$work/partial.out" || fail "the lost shard 2 is not named as one to rerun"
say "a merge of the 3 shards at once into the sweep's merged.jsonl must not replace the complete one"
if "$pg" compare --merge "$dir"/shard-*.jsonl --out "$dir/merged.jsonl" 2>"$work/lesser.err" >/dev/null; then
  fail "a merge lacking shard 2 replaced the complete merged.jsonl"
fi
cat "$work/lesser.err"
say "merge at once by hand as the README says (here with --force, over the complete merge): merged.jsonl of 3 shards"
"$pg" compare --merge "$dir"/shard-*.jsonl --out "$dir/merged.jsonl" --force | grep -E 'missing shards|results'
say "rerun task 2 as the README says: sbatch --array=2 --export=ALL,PG_SWEEP_ID=$array $dir/array.sh"
rerun=$(sbatch --parsable --array=2 --export=ALL,PG_SWEEP_ID="$array" "$dir/array.sh")
jobs_submitted+=("$rerun")
remerge=$(sbatch --parsable --dependency=afterok:"$rerun" --export=ALL,PG_SWEEP_ID="$array" "$dir/merge.sh")
jobs_submitted+=("$remerge")
echo "rerun job $rerun, merge job $remerge (--dependency=afterok:$rerun); the earlier merged.jsonl stays where it is"
wait_jobs "$rerun" "$remerge"
states "$rerun"; states "$remerge"
cat "$work/sweep/slurm-$remerge.out"
same_finals "$dir/merged.jsonl" "$work/single.jsonl" || fail "the merge after the rerun differs from the one-process sweep"
say "the merge job once more: a merge is re-runnable"
again=$(sbatch --parsable --export=ALL,PG_SWEEP_ID="$array" "$dir/merge.sh")
jobs_submitted+=("$again")
wait_jobs "$again"
states "$again"
scontrol show job -o "$again" | grep -q 'JobState=COMPLETED' || fail "the merge job run again did not complete (see $work/sweep/slurm-$again.out)"
same_finals "$dir/merged.jsonl" "$work/single.jsonl" || fail "the merge run again differs from the one-process sweep"

say "a rerun without PG_SWEEP_ID is another sweep: the merge refuses it"
stray=$(sbatch --parsable --array=2 "$dir/array.sh")
jobs_submitted+=("$stray")
wait_jobs "$stray"
states "$stray"
if "$pg" compare --merge "$dir/shard-0.jsonl" "$dir/shard-1.jsonl" "$dir/shard-3.jsonl" "$work/sweep/$stray/shard-2.jsonl" \
     --no-plot --out "$work/mixed.jsonl" 2>"$work/mixed.err"; then
  fail "shards of two sweeps were merged"
fi
cat "$work/mixed.err"

say "a merge while the tasks are still queued, and before any shard exists"
# The partition "held" is DOWN: its jobs queue (PENDING) and never start.
out2=$("$pg" sweep --slurm --shards 2 --cpus 1 --time 00:10:00 --job-name pg-it2 --partition held --out-dir "$work/sweep2" \
       -- "${compare_options[@]}")
array2=$(sed -n 's/^pg sweep: submitted array job \([0-9]*\) .* merge job \([0-9]*\) .*/\1/p' <<<"$out2")
merge2=$(sed -n 's/^pg sweep: submitted array job \([0-9]*\) .* merge job \([0-9]*\) .*/\2/p' <<<"$out2")
jobs_submitted+=("$array2" "$merge2")
squeue -j "$array2" -o '%.10i %.10T %.20r' || true
if PG_SWEEP_ID="$array2" "$pg" compare --merge "$work/sweep2/$array2"/shard-*.jsonl --out "$work/sweep2/early.jsonl" \
     2>"$work/early.err"; then fail "a merge of no shard succeeded"; fi
cat "$work/early.err"
grep -q "no file matches" "$work/early.err" || fail "a merge before any shard exists did not say that no file matches"
grep -q "squeue: sweep $array2's tasks" "$work/early.err" || fail "the early merge did not report the queued tasks"
scancel "$array2" "$merge2" 2>/dev/null || true

say "PASSED: array $array ($SHARDS tasks) + merge $merge; rerun $rerun + merge $remerge (replacing the earlier merge) + merge $again; finals identical to one process"
