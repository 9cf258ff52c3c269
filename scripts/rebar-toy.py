#!/usr/bin/env python3
"""REBAR's variance on the binary toy, independently of pg (JAX, float64).

The toy is f(x) = -(x_1 - t)^2 on a two-logit softmax policy theta (pg's `toy`), at the policy
theta (default uniform). For each temperature tau the script draws n pairs (u, v) of uniforms,
forms REINFORCE's A = f(b) grad log pi(b) and REBAR's zero-mean control variate
B = -f(x~) grad log pi(b) + grad f(sigma_tau(z)) - grad f(sigma_tau(z~)) (z~ ~ p(z | b) by the
conditional Gumbel construction, all derivatives by JAX's autodiff), and prints tr Var(A), the
variance-minimising eta* = -Cov(A, B)/Var(B), tr Var(A + eta* B) and tr Var(A + B).

    pip install "jax[cpu]"
    python3 scripts/rebar-toy.py --target 0.45 --tau 0.1,0.5,1,100,1000

It is a cross-check of `pg variance --env toy --estimators none,rebar --batch 1` (the README's
variance table), not part of pg.
"""
import argparse

import jax
import jax.numpy as jnp
import numpy as np

jax.config.update("jax_enable_x64", True)

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--target", type=float, default=0.45)
parser.add_argument("--tau", default="0.01,0.1,0.5,1,2,10,100,1000,10000")
parser.add_argument("--theta", default="0,0", help="the two logits")
parser.add_argument("--draws", type=int, default=200_000)
parser.add_argument("--seed", type=int, default=0)
args = parser.parse_args()
t = args.target


def f(x):
    return -(x[1] - t) ** 2


def log_pi(theta):
    return theta - jax.scipy.special.logsumexp(theta)


def conditional(theta, b, v):
    """z~ ~ p(z | argmax z = b) from uniforms v (Tucker et al., appendix)."""
    zb = -jnp.log(-jnp.log(v[b]))
    others = -jnp.log(-jnp.log(v) / jnp.exp(log_pi(theta)) + jnp.exp(-zb))
    return jnp.where(jnp.arange(2) == b, zb, others)


def parts(theta, u, v, tau):
    g = -jnp.log(-jnp.log(u))
    b = jnp.argmax(jax.lax.stop_gradient(log_pi(theta)) + g)
    score = jax.grad(lambda th: log_pi(th)[b])(theta)
    a = f(jax.nn.one_hot(b, 2)) * score
    relaxed = lambda th: f(jax.nn.softmax((log_pi(th) + g) / tau))
    relaxed_conditional = lambda th: f(jax.nn.softmax(conditional(th, b, v) / tau))
    cv = -relaxed_conditional(theta) * score + jax.grad(relaxed)(theta) - jax.grad(relaxed_conditional)(theta)
    return a, cv


theta = jnp.array([float(x) for x in args.theta.split(",")])
ku, kv = jax.random.split(jax.random.PRNGKey(args.seed))
U = jax.random.uniform(ku, (args.draws, 2), minval=1e-12, maxval=1.0)
V = jax.random.uniform(kv, (args.draws, 2), minval=1e-12, maxval=1.0)
print(f"t = {t}, theta = {list(map(float, theta))}, {args.draws} draws")
print(f"{'tau':>8} {'tr Var(A)':>10} {'eta*':>12} {'tr Var(eta*)':>13} {'tr Var(eta=1)':>14} {'|E B|':>9}")
for tau in [float(x) for x in args.tau.split(",")]:
    A, B = jax.vmap(lambda u, v: parts(theta, u, v, tau))(U, V)
    A, B = np.asarray(A), np.asarray(B)
    dA, dB = A - A.mean(0), B - B.mean(0)
    var_a = (dA * dA).sum(1).mean()
    cross = (dA * dB).sum(1).mean()
    var_b = (dB * dB).sum(1).mean()
    eta = -cross / var_b
    print(f"{tau:>8g} {var_a:>10.5f} {eta:>12.4g} {var_a + 2 * eta * cross + eta * eta * var_b:>13.3e} "
          f"{var_a + 2 * cross + var_b:>14.3e} {np.abs(B.mean(0)).max():>9.1e}")
