#!/usr/bin/env python3
"""pg bench's workloads in JAX on the CPU, written as a JAX user would write them: the training
loop is one jitted function (lax.scan over updates; episodes, samples and runs vectorised with
vmap or whole arrays), float32, gradients by jax.grad; compile time is measured apart and left
out of the rate. The JAX side of scripts/bench-peers.sh; what each workload computes is pg
bench's (Sources/PGCommand/BenchCommand+Rows.swift) and is described in c_workloads.c.

Install JAX for the CPU:   python3 -m pip install "jax[cpu]"
Usage: python3 jax_workloads.py WORKLOAD [--threads 1|2] [--seconds S] [--map FILE]
  WORKLOAD   bandit | single | figure | frozenlake | gumbel | mlp-frozenlake
  --threads  1: XLA on one thread (run it under `taskset -c 0` too); 2: XLA's own threading
  --seconds  how long to call the compiled loop (default 2; figure: one whole experiment)
  --map      pg's map file for frozenlake (default: envs/FrozenLake-v1-8x8.txt of this repository)
Prints one JSON line: {"peer": "jax", "workload": ..., "threads": ..., "value": ..., "unit": ...}.
"""
import argparse
import json
import os
import resource
import sys
import time

parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
parser.add_argument("workload", choices=["bandit", "single", "figure", "frozenlake", "gumbel", "mlp-frozenlake"])
parser.add_argument("--threads", type=int, choices=[1, 2], default=1)
parser.add_argument("--seconds", type=float, default=2.0)
parser.add_argument("--map", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "envs",
                                                 "FrozenLake-v1-8x8.txt"))
options = parser.parse_args()
if options.threads == 1:  # before JAX is imported: XLA reads its flags once
    os.environ["XLA_FLAGS"] = (os.environ.get("XLA_FLAGS", "")
                               + " --xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1").strip()

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
from jax import lax  # noqa: E402

ARMS, BATCH = 10, 1024


def inverse_cdf(key, probabilities, shape):
    """Actions drawn from `probabilities` (last axis) by one uniform each and the cumulative sums."""
    u = jax.random.uniform(key, shape)
    edges = jnp.cumsum(probabilities, axis=-1)[..., :-1]
    return jnp.sum(u[..., None] >= edges, axis=-1)


def ema(baseline, started, value):
    """pg's moving-average baseline: the first value, then 0.9 b + 0.1 value."""
    return jnp.where(started, 0.9 * baseline + 0.1 * value, value), True


# ------------------------------------------------------------------------------------ workloads
# Each builder returns (step, initial state, units per update); step(state, key) -> (state, units).

def bandit_builder():
    q = jax.random.normal(jax.random.key(2024), (ARMS,))  # the testbed's arms, drawn once

    def step(state, key):
        logits, baseline, started = state
        k_action, k_reward = jax.random.split(key)
        actions = inverse_cdf(k_action, jax.nn.softmax(logits), (BATCH,))
        rewards = q[actions] + jax.random.normal(k_reward, (BATCH,))

        def surrogate(theta):  # REINFORCE: mean of (r - b) log pi(a)
            return jnp.mean((rewards - baseline) * jax.nn.log_softmax(theta)[actions])

        logits = logits + 0.01 * jax.grad(surrogate)(logits)
        baseline, started = ema(baseline, started, jnp.mean(rewards))
        return (logits, baseline, started), BATCH

    return step, (jnp.zeros(ARMS), jnp.float32(0), False), 2000


def gradient_bandit(key, alpha, with_baseline, steps):
    """One learner of Sutton & Barto's section 2.8 for `steps` steps (q* ~ N(4, 1), R-bar
    including the current reward); returns whether each step chose the best arm."""
    k_arms, k_u, k_z = jax.random.split(key, 3)
    q = 4 + jax.random.normal(k_arms, (ARMS,))
    draws = (jax.random.uniform(k_u, (steps,)), jax.random.normal(k_z, (steps,)))

    def update(carry, draw):
        h, mean_reward, t = carry
        u, z = draw
        p = jax.nn.softmax(h)
        a = jnp.sum(u >= jnp.cumsum(p)[:-1])
        r = q[a] + z
        t = t + 1
        mean_reward = mean_reward + (r - mean_reward) / t
        signal = r - jnp.where(with_baseline, mean_reward, 0.0)
        h = h + alpha * signal * (jax.nn.one_hot(a, ARMS) - p)
        return (h, mean_reward, t), a == jnp.argmax(q)

    _, best = lax.scan(update, (jnp.zeros(ARMS), jnp.float32(0), jnp.float32(0)), draws)
    return best


def lake_tables(path):
    """pg's map file as padded outcome tables: next state, reward, terminal, cumulative probability."""
    lines = open(path).read().splitlines()
    grid = [l.strip() for l in lines[lines.index("map:") + 1:] if l.strip()]
    horizon = int(next(l.split(":")[1] for l in lines if l.startswith("time-limit:")))
    rows, cols = len(grid), len(grid[0])
    moves = [(0, -1), (1, 0), (0, 1), (-1, 0)]  # left down right up
    nxt, rew, stop = [], [], []
    for s in range(rows * cols):
        r, c = divmod(s, cols)
        final = grid[r][c] in "HG"
        per_action = [[], [], []]
        for a in range(4):
            outs = []
            for d in ((a + 3) % 4, a, (a + 1) % 4):  # slips to either side, each 1/3
                nr, nc = r + moves[d][0], c + moves[d][1]
                n = s if final else (min(max(nr, 0), rows - 1) * cols + min(max(nc, 0), cols - 1))
                cell = grid[n // cols][n % cols]
                outs.append((n, float(cell == "G" and not final), cell in "HG"))
            for i, values in enumerate(zip(*outs)):
                per_action[i].append(values)
        nxt.append(per_action[0]), rew.append(per_action[1]), stop.append(per_action[2])
    third = 1.0 / 3.0
    cumulative = jnp.array([[[third, third + (1 - third) / 2]] * 4] * (rows * cols))
    return jnp.array(nxt), jnp.array(rew, jnp.float32), jnp.array(stop), cumulative, horizon


def frozenlake_builder():
    nxt, rew, stop, cumulative, horizon = lake_tables(options.map)
    states = nxt.shape[0]

    def episode(edges, key):
        draws = jax.random.uniform(key, (horizon, 2))

        def move(carry, u):
            s, alive = carry
            a = jnp.sum(u[0] >= edges[s])
            o = jnp.sum(u[1] >= cumulative[s, a])
            return (nxt[s, a, o], alive & ~stop[s, a, o]), (s, a, jnp.where(alive, rew[s, a, o], 0.0), alive)

        _, trace = lax.scan(move, (jnp.int32(0), True), draws)
        return trace

    def step(state, key):
        logits, baseline, started = state
        edges = jnp.cumsum(jax.nn.softmax(logits), axis=1)[:, :-1]
        s, a, r, alive = jax.vmap(episode, in_axes=(None, 0))(edges, jax.random.split(key, BATCH))
        to_go = jnp.flip(jnp.cumsum(jnp.flip(r, 1), 1), 1)  # returns to go, gamma 1
        weight = jnp.where(alive, to_go - baseline, 0.0)

        def surrogate(theta):
            return jnp.sum(weight * jax.nn.log_softmax(theta)[s, a]) / BATCH

        logits = logits + 1e-9 * jax.grad(surrogate)(logits)
        taken = jnp.sum(alive)
        baseline, started = ema(baseline, started, jnp.sum(jnp.where(alive, to_go, 0.0)) / taken)
        return (logits, baseline, started), taken

    return step, (jnp.zeros((states, 4)), jnp.float32(0), False), 4


def mlp_frozenlake_builder(hidden=64):
    """frozenlake with pg's MLP policy: logits(s) = W2 tanh(W1 e_s + b1) + b2 (one-hot state in,
    hidden 64, Glorot-uniform W1, zero biases and output layer), all states' logits computed once
    per update (a one-hot input reads one column of W1), the gradient by jax.grad through them."""
    nxt, rew, stop, cumulative, horizon = lake_tables(options.map)
    states = nxt.shape[0]
    limit = (6.0 / (states + hidden)) ** 0.5
    params = {"W1": jax.random.uniform(jax.random.key(7), (hidden, states), jnp.float32, -limit, limit),
              "b1": jnp.zeros(hidden), "W2": jnp.zeros((4, hidden)), "b2": jnp.zeros(4)}

    def table(p):  # logits of every state, (states, 4)
        return (p["W2"] @ jnp.tanh(p["W1"] + p["b1"][:, None])).T + p["b2"]

    def episode(edges, key):
        draws = jax.random.uniform(key, (horizon, 2))

        def move(carry, u):
            s, alive = carry
            a = jnp.sum(u[0] >= edges[s])
            o = jnp.sum(u[1] >= cumulative[s, a])
            return (nxt[s, a, o], alive & ~stop[s, a, o]), (s, a, jnp.where(alive, rew[s, a, o], 0.0), alive)

        _, trace = lax.scan(move, (jnp.int32(0), True), draws)
        return trace

    def step(state, key):
        p, baseline, started = state
        edges = jnp.cumsum(jax.nn.softmax(table(p)), axis=1)[:, :-1]
        s, a, r, alive = jax.vmap(episode, in_axes=(None, 0))(edges, jax.random.split(key, BATCH))
        to_go = jnp.flip(jnp.cumsum(jnp.flip(r, 1), 1), 1)  # returns to go, gamma 1
        weight = jnp.where(alive, to_go - baseline, 0.0)

        def surrogate(q):
            return jnp.sum(weight * jax.nn.log_softmax(table(q))[s, a]) / BATCH

        p = jax.tree.map(lambda x, g: x + 1e-9 * g, p, jax.grad(surrogate)(p))
        taken = jnp.sum(alive)
        baseline, started = ema(baseline, started, jnp.sum(jnp.where(alive, to_go, 0.0)) / taken)
        return (p, baseline, started), taken

    return step, (params, jnp.float32(0), False), 4


def gumbel_builder():
    target = jnp.arange(ARMS, dtype=jnp.float32) / 10

    def step(logits, key):
        def reward(theta):
            y = jax.nn.softmax(theta + jax.random.gumbel(key, (BATCH, ARMS)))  # tau = 1
            hard = jax.nn.one_hot(jnp.argmax(y, axis=-1), ARMS)
            x = hard + y - lax.stop_gradient(y)  # straight-through: forward hard, backward through y
            return -jnp.sum((x - target) ** 2) / BATCH

        return logits + 0.01 * jax.grad(reward)(logits), BATCH

    return step, jnp.zeros(ARMS), 200


# ------------------------------------------------------------------------------------ timing
def compiled(fn, *args):
    """fn jitted and compiled for `args`, and the seconds that took."""
    started = time.perf_counter()
    c = jax.jit(fn).lower(*args).compile()
    return c, time.perf_counter() - started


def measure_loop(builder):
    """Calls the jitted loop of `updates` updates with fresh keys for about --seconds (after one
    call that is not timed); returns units per second and what else was measured."""
    step, initial, updates = builder()

    def loop(key):
        state, units = lax.scan(step, initial, jax.random.split(key, updates))
        return state, jnp.sum(jnp.asarray(units, jnp.float32))

    run, compile_s = compiled(loop, jax.random.key(0))
    jax.block_until_ready(run(jax.random.key(1)))
    units, calls, started = 0.0, 0, time.perf_counter()
    while True:
        _, n = jax.block_until_ready(run(jax.random.key(calls + 2)))
        units += float(n)
        calls += 1
        elapsed = time.perf_counter() - started
        if elapsed >= options.seconds:
            return units / elapsed, {"compile_s": compile_s, "calls": calls, "updates_per_call": updates}


def measure_figure():
    """The whole Figure 2.5 experiment (4 settings x 2000 runs x 1000 steps) in one call."""
    alphas = jnp.repeat(jnp.array([0.1, 0.1, 0.4, 0.4]), 2000)
    baselines = jnp.repeat(jnp.array([True, False, True, False]), 2000)

    def experiment(key):
        keys = jax.random.split(key, alphas.shape[0])
        best = jax.vmap(gradient_bandit, in_axes=(0, 0, 0, None))(keys, alphas, baselines, 1000)
        return jnp.mean(best.reshape(4, 2000, 1000), axis=1)  # % optimal action per setting and step

    run, compile_s = compiled(experiment, jax.random.key(0))
    jax.block_until_ready(run(jax.random.key(1)))
    started = time.perf_counter()
    curves = jax.block_until_ready(run(jax.random.key(2)))
    return time.perf_counter() - started, {"compile_s": compile_s,
                                           "optimal_at_1000": [round(float(x), 4) for x in curves[:, -1]]}


def main():
    w = options.workload
    if w == "figure":
        value, extra = measure_figure()
        unit = "s"
    elif w == "single":
        def single_builder():
            def step(state, key):
                return state, jnp.sum(gradient_bandit(key, 0.1, True, 50000) >= 0)
            return step, jnp.float32(0), 4
        value, extra = measure_loop(single_builder)
        unit = "updates/s"
    else:
        builder, unit = {"bandit": (bandit_builder, "samples/s"), "frozenlake": (frozenlake_builder, "steps/s"),
                         "gumbel": (gumbel_builder, "draws/s"), "mlp-frozenlake": (mlp_frozenlake_builder, "steps/s")}[w]
        value, extra = measure_loop(builder)
    record = {"peer": "jax", "workload": w, "threads": options.threads, "value": value, "unit": unit,
              "jax": jax.__version__, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    record.update(extra)
    print(json.dumps(record), flush=True)


if __name__ == "__main__":
    sys.exit(main())
