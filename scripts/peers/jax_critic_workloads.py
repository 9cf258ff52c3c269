#!/usr/bin/env python3
"""JAX versions of pg's critic- and surrogate-based relaxation estimators (pg bench's rows
critic-gumbel, critic-st-gumbel and relax-toy, Sources/PGCommand/BenchCommand+Learned.swift), written the way a JAX
user would write them: the whole training of S seeds is one jitted function (seeds vmapped,
updates in lax.scan), float32, compile time measured separately and excluded.

Usage: python3 jax_critic_workloads.py WORKLOAD [--threads 1|2] [--seeds S] [--updates N] [--batch N] [--seconds S]
                                           [--onehot-fit 1|0] [--prng threefry2x32|rbg|unsafe_rbg] [--x64]
WORKLOAD:
  critic-gumbel     `pg compare --env bandit10 --estimators gumbel` (defaults): per seed its own
                    bandit10 (q* ~ N(0,1), r ~ N(q*,1)), tabular softmax policy (logits 0), batch 32,
                    200 updates, Adam lr 0.1 (ascending). Actions by Gumbel-max, a = argmax(log pi + g);
                    y = softmax((log pi + g)/tau), tau 1; per sample the logit cotangent
                    (1/N)(1/tau) y * (v - <y, v>), v = grad_x Q_w(s, x) at x = y. The critic
                    Q_w(s, x) = MLP([features(s)=1, x]) 11 -> 32 relu -> 1 (Glorot-uniform hidden
                    weights, zero biases, zero output layer) is refitted AFTER each policy step:
                    per-action counts n and reward sums R of the batch are added to a memory
                    decaying by 0.9, then 10 Adam steps (lr 0.01) on sum_a n_a (Q(e_a) - R_a/n_a)^2 / (2 sum n).
  critic-st-gumbel  the same with v taken at the hard one-hot z = e_a (`st-gumbel`).
  relax-toy         `pg train --env toy --estimator relax --batch 1` (binary toy, t = 0.45; see relax()).
--threads 1 sets XLA_FLAGS=--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1
  (run it under `taskset -c 0` too). --threads 2: XLA's defaults.
Prints one JSON line: value = seeds x updates per second of the timed calls
(median call), with total_s (the median call's seconds for the whole sweep), compile_s, and the
sanity check (final exact J, mean and standard error over seeds).
"""
import argparse
import os
import sys
import time

import json
import resource

K = 10  # bandit10's arms


def emit(peer, workload, threads, value, unit, **extra):
    """One JSON line: {"peer", "workload", "threads", "value", "unit", ...extra}."""
    print(json.dumps({"peer": peer, "workload": workload, "threads": threads, "value": value, "unit": unit, **extra}),
          flush=True)


def peak_rss_mb():
    """This process's peak resident memory, MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

ap = argparse.ArgumentParser()
ap.add_argument("workload")
ap.add_argument("--threads", type=int, default=1)
ap.add_argument("--seeds", type=int, default=None, help="default 1000")
ap.add_argument("--updates", type=int, default=None, help="default 200 (bandit10), 1000 (toy)")
ap.add_argument("--batch", type=int, default=None, help="default 32 (bandit10), 1 (toy)")
ap.add_argument("--seconds", type=float, default=0.0, help="time calls until this many seconds (at least one)")
ap.add_argument("--prng", default="threefry2x32")
ap.add_argument("--x64", action="store_true")
ap.add_argument("--onehot-fit", type=int, default=1, help="critic fit on one-hot actions: 1 reads W1's column a "
                "(as pg's MLP skips zero inputs), 0 multiplies the dense one-hot inputs")
args = ap.parse_args()

flags = os.environ.get("XLA_FLAGS", "")
if args.threads == 1:
    flags += " --xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"
os.environ["XLA_FLAGS"] = flags.strip()

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
from jax import lax  # noqa: E402

jax.config.update("jax_default_prng_impl", args.prng)
if args.x64:
    jax.config.update("jax_enable_x64", True)
FT = jnp.float64 if args.x64 else jnp.float32


# ---------------------------------------------------------------------------- pieces
def adam(params, grads, state, lr, b1=0.9, b2=0.999, eps=1e-8):
    """One bias-corrected Adam step DESCENDING grads (pg ascends the negated gradient: the same)."""
    m, v, t = state
    t = t + 1
    m = jax.tree.map(lambda m, g: b1 * m + (1 - b1) * g, m, grads)
    v = jax.tree.map(lambda v, g: b2 * v + (1 - b2) * g * g, v, grads)
    c1, c2 = 1 - b1 ** t, 1 - b2 ** t
    params = jax.tree.map(lambda p, m, v: p - lr * (m / c1) / (jnp.sqrt(v / c2) + eps), params, m, v)
    return params, (m, v, t)


def adam_init(params):
    z = jax.tree.map(jnp.zeros_like, params)
    return (z, z, jnp.array(0, FT))


def mlp_init(key, n_in, hidden, n_out=1):
    """pg's MLP.initialParameters: Glorot-uniform hidden weights, zero biases, zero output layer."""
    lim = (6.0 / (n_in + hidden)) ** 0.5
    return {"W1": jax.random.uniform(key, (hidden, n_in), FT, -lim, lim), "b1": jnp.zeros(hidden, FT),
            "W2": jnp.zeros((n_out, hidden), FT), "b2": jnp.zeros(n_out, FT)}


def mlp(p, x, act=jax.nn.relu):
    """One hidden layer, linear scalar output (pg's MLP with outputs 1)."""
    return (p["W2"] @ act(p["W1"] @ x + p["b1"]) + p["b2"])[0]


# ---------------------------------------------------------------------------- critic Gumbel
def critic_gumbel(straight_through, seeds, updates, batch, lr=0.1, tau=1.0, hidden=32, critic_steps=10,
                  critic_lr=0.01, decay=0.9):
    feat = jnp.ones(1, FT)                                   # bandit10's one state: feature row [1]
    eye = jnp.eye(K, dtype=FT)
    X_fit = jnp.concatenate([jnp.ones((K, 1), FT), eye], axis=1)   # (s=0, e_a) for every a

    def Q(w, x):
        return mlp(w, jnp.concatenate([feat, x]))

    def critic_loss(w, n, R):
        """½ Σ_a n_a (Q(e_a) − R_a/n_a)² / Σ n, up to a constant: Σ_a (½ n_a Q_a² − R_a Q_a) / Σ n.
        Unvisited actions (n_a = R_a = 0) contribute nothing, as pg skips them."""
        if args.onehot_fit:   # Q(s, e_a) reads column a of W1 (no multiplications by the zeros)
            q = jax.nn.relu(w["W1"][:, 0] + w["b1"] + w["W1"][:, 1:].T) @ w["W2"][0] + w["b2"][0]
        else:
            q = jax.vmap(lambda x: mlp(w, x))(X_fit)
        return jnp.sum(0.5 * n * q * q - R * q) / jnp.sum(n)

    def train_seed(key):
        kq, kw, key = jax.random.split(key, 3)
        qstar = jax.random.normal(kq, (K,), FT)               # this seed's bandit10
        w = mlp_init(kw, 1 + K, hidden)
        logits = jnp.zeros(K, FT)

        def update(carry, k):
            logits, popt, w, copt, n_mem, r_mem = carry
            kg, kr = jax.random.split(k)
            logp = jax.nn.log_softmax(logits)
            J = jnp.dot(jnp.exp(logp), qstar)                 # exact J of the policy that collects
            p_opt = jnp.exp(logp[jnp.argmax(qstar)])          # its probability of the best arm
            z = logp + jax.random.gumbel(kg, (batch, K), FT)  # perturbed log pi
            a = jnp.argmax(z, axis=1)                         # Gumbel-max: an exact sample of pi
            y = jax.nn.softmax(z / tau, axis=1)               # the relaxation
            r = qstar[a] + jax.random.normal(kr, (batch,), FT)
            x = jax.nn.one_hot(a, K, dtype=FT) if straight_through else y
            v = jax.vmap(jax.grad(Q, argnums=1), in_axes=(None, 0))(w, x)       # ∇ₓ Q_w(s, x)
            # d/dlogits of the relaxed objective: (1/N)(1/τ) Σ_i y_i ⊙ (v_i − ⟨y_i, v_i⟩)
            g = jnp.sum(y * (v - jnp.sum(y * v, axis=1, keepdims=True)), axis=0) / (batch * tau)
            logits, popt = adam(logits, -g, popt, lr)         # ascend
            # the critic learns from the batch after the policy step
            oh = jax.nn.one_hot(a, K, dtype=FT)
            n_mem = decay * n_mem + jnp.sum(oh, axis=0)
            r_mem = decay * r_mem + oh.T @ r

            def fit(c, _):
                w, copt = c
                gw = jax.grad(critic_loss)(w, n_mem, r_mem)
                return adam(w, gw, copt, critic_lr), None
            (w, copt), _ = lax.scan(fit, (w, copt), None, length=critic_steps)
            return (logits, popt, w, copt, n_mem, r_mem), (J, p_opt)

        z = jnp.zeros(K, FT)
        init = (logits, adam_init(logits), w, adam_init(w), z, z)
        (logits, *_), curves = lax.scan(update, init, jax.random.split(key, updates))
        final_J = jnp.dot(jax.nn.softmax(logits), qstar)
        return final_J, jnp.max(qstar), curves

    def train(key):
        fJ, opt, curves = jax.vmap(train_seed)(jax.random.split(key, seeds))
        return fJ, opt, jax.tree.map(lambda c: jnp.mean(c, axis=0), curves)

    return train


# ---------------------------------------------------------------------------- RELAX on the toy
def relax(seeds, updates, batch, t=0.45, lr=0.1, tau=1.0, hidden=32, surrogate_lr=0.01):
    """`pg compare --env toy --estimators relax --batch 1 --iterations 1000`: binary toy, reward
    -(b - t)^2 of the action b in {0, 1}, tabular softmax over 2 logits (start 0), Adam lr 0.1
    (ascending). Per sample i: z = log pi + g, b = argmax z, x = softmax(z/tau); fresh Gumbel
    noise g~ gives z~ ~ p(z | argmax = b) (Tucker et al.'s conditional construction,
    reparameterised through the logits), x~ = softmax(z~/tau);
        g_i = [r_i - c(x~)] grad log pi(b) + d/dlogits c(x) - d/dlogits c(x~),
    c_psi(s, x) = MLP([features(s)=1, x]) 3 -> 32 tanh -> 1 (Glorot-uniform hidden weights, zero
    biases and output layer). The policy ascends mean_i g_i; psi takes one Adam step (lr 0.01)
    down d/dpsi mean_i ||g_i||^2 (second-order autodiff), after the policy step."""
    A = 2
    rew = -(jnp.arange(A, dtype=FT) - t) ** 2            # r(b) = -(b - t)^2
    feat = jnp.ones(1, FT)

    def c(psi, x):
        return mlp(psi, jnp.concatenate([feat, x]), act=jnp.tanh)

    def conditional(logp, b, g):
        """z~ with argmax b: z~_b = log Z + g_b, z~_k = -log(exp(-(logp_k + g_k)) + exp(-z~_b))."""
        top = jax.nn.logsumexp(logp) + g[b]
        m = logp + g
        trunc = jnp.minimum(m, top) - jnp.log1p(jnp.exp(-jnp.abs(m - top)))
        return jnp.where(jnp.arange(A) == b, top, trunc)

    def estimate(theta, psi, key):
        """One sample's g_i (the logit-space RELAX estimate) and its reward."""
        k1, k2 = jax.random.split(key)
        g = jax.random.gumbel(k1, (A,), FT)
        gt = jax.random.gumbel(k2, (A,), FT)
        logp0 = jax.nn.log_softmax(theta)
        b = jnp.argmax(logp0 + g)
        r = rew[b]

        def pathwise(th):                                 # c(x(th)) - c(x~(th)), noise held fixed
            logp = jax.nn.log_softmax(th)
            x = jax.nn.softmax((logp + g) / tau)
            xt = jax.nn.softmax(conditional(logp, b, gt) / tau)
            return c(psi, x) - c(psi, xt)

        # the score term's coefficient r - c(x~) depends on psi (it enters the variance gradient)
        # but is held fixed in the logits: no stop_gradient, which would cut psi too
        xt0 = jax.nn.softmax(conditional(logp0, b, gt) / tau)
        score = jax.nn.one_hot(b, A, dtype=FT) - jnp.exp(logp0)
        return (r - c(psi, xt0)) * score + jax.grad(pathwise)(theta), r

    def train_seed(key):
        kw, key = jax.random.split(key)
        psi = mlp_init(kw, 1 + A, hidden)
        theta = jnp.zeros(A, FT)

        def update(carry, k):
            theta, topt, psi, sopt = carry
            J = jnp.dot(jax.nn.softmax(theta), rew)       # exact J of the policy that collects
            keys = jax.random.split(k, batch)

            def variance(psi):                            # mean_i ||g_i||^2, and mean_i g_i
                gs, _ = jax.vmap(estimate, in_axes=(None, None, 0))(theta, psi, keys)
                return jnp.mean(jnp.sum(gs * gs, axis=1)), jnp.mean(gs, axis=0)

            (_, ghat), dpsi = jax.value_and_grad(variance, has_aux=True)(psi)
            theta, topt = adam(theta, -ghat, topt, lr)    # ascend
            psi, sopt = adam(psi, dpsi, sopt, surrogate_lr)
            return (theta, topt, psi, sopt), J

        init = (theta, adam_init(theta), psi, adam_init(psi))
        (theta, *_), Js = lax.scan(update, init, jax.random.split(key, updates))
        return jnp.dot(jax.nn.softmax(theta), rew), jnp.max(rew), Js

    def train(key):
        fJ, opt, Js = jax.vmap(train_seed)(jax.random.split(key, seeds))
        return fJ, opt, jnp.mean(Js, axis=0)

    return train


# ---------------------------------------------------------------------------- main
def run_sweep(train, seeds, updates):
    key = jax.random.key(0)
    t0 = time.perf_counter()
    c = jax.jit(train).lower(key).compile()
    compile_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    out = jax.block_until_ready(c(key))
    first_s = time.perf_counter() - t0
    times, calls, t_start = [], 0, time.perf_counter()
    while True:
        calls += 1
        t0 = time.perf_counter()
        out = jax.block_until_ready(c(jax.random.key(calls)))
        times.append(time.perf_counter() - t0)
        if time.perf_counter() - t_start >= args.seconds:
            break
    times.sort()
    med = times[len(times) // 2]
    return out, {"total_s": med, "calls": calls, "call_s": times, "compile_s": compile_s, "first_call_s": first_s,
                 "seeds": seeds, "updates": updates}


def main():
    w = args.workload
    extra = {"prng": args.prng, "dtype": "float64" if args.x64 else "float32", "jax": jax.__version__,
             "xla_flags": os.environ["XLA_FLAGS"]}
    if w in ("critic-gumbel", "critic-st-gumbel"):
        seeds, updates, batch = args.seeds or 1000, args.updates or 200, args.batch or 32
        train = critic_gumbel(w == "critic-st-gumbel", seeds, updates, batch)
        (fJ, opt, (curve, popt)), info = run_sweep(train, seeds, updates)
        fJ, opt = jax.device_get(fJ), jax.device_get(opt)
        at = [i for i in (0, 49, 99, updates - 1) if i < updates]
        emit("jax", w, args.threads, seeds * updates / info["total_s"], "seed-updates/s", batch=batch,
             final_j=float(fJ.mean()), final_j_se=float(fJ.std(ddof=1) / len(fJ) ** 0.5),
             optimal_j=float(opt.mean()), at_update=at, j_at=[float(curve[i]) for i in at],
             p_optimal_at=[float(popt[i]) for i in at],
             peak_rss_mb=peak_rss_mb(), **info, **extra)
    elif w == "relax-toy":
        seeds, updates, batch = args.seeds or 1000, args.updates or 1000, args.batch or 1
        train = relax(seeds, updates, batch)
        (fJ, opt, curve), info = run_sweep(train, seeds, updates)
        fJ, opt = jax.device_get(fJ), jax.device_get(opt)
        emit("jax", w, args.threads, seeds * updates / info["total_s"], "seed-updates/s", batch=batch,
             final_j=float(fJ.mean()), final_j_se=float(fJ.std(ddof=1) / len(fJ) ** 0.5),
             optimal_j=float(opt.mean()), j_at=[float(curve[i]) for i in (0, 99, 499, updates - 1)],
             peak_rss_mb=peak_rss_mb(), **info, **extra)
    else:
        sys.exit(f"unknown workload {w}")


if __name__ == "__main__":
    main()
