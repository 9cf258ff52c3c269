#!/usr/bin/env python3
"""Exports a Gymnasium toy-text environment's dynamics as a pg environment file.
Usage: python3 scripts/gym-export.py ENV_ID OUT.json [KEY=VALUE ...] [--steps N]
e.g.   python3 scripts/gym-export.py FrozenLake-v1 envs/MyLake.json success_rate=0.8
Needs Gymnasium 1.x (python3 -m pip install gymnasium); then `pg --env MyLake`."""
import argparse, json
import gymnasium as gym

parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
parser.add_argument("env_id"), parser.add_argument("out"), parser.add_argument("kwargs", nargs="*")
parser.add_argument("--steps", type=int, help="the time limit, where the environment has none (CliffWalking)")
args = parser.parse_args()
kwargs = {k: json.loads(v) for k, v in (a.split("=", 1) for a in args.kwargs)}
env = gym.make(args.env_id, **kwargs)
steps = args.steps or env.spec.max_episode_steps  # exact gradients need a finite horizon
if steps is None:
    parser.error(f"{args.env_id} has no time limit; give --steps N")
table = {"P": env.unwrapped.P, "initial_state_distrib": env.unwrapped.initial_state_distrib, "max_episode_steps": steps}
with open(args.out, "w") as f:  # numpy numbers and arrays become plain JSON
    json.dump(table, f, default=lambda x: x.tolist() if hasattr(x, "tolist") else x.item())
