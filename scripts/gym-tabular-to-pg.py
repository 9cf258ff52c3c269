#!/usr/bin/env python3
"""Convert a Gymnasium transition-table dump to a pg tabular MDP file (one state per line).

The input is any JSON object with Gymnasium's `P` (P[s][a] = [[prob, next_state, reward,
terminated], ...]; lists, or dicts keyed "0".."n-1" as json.dump writes env.unwrapped.P),
`initial_state_distrib`, `max_episode_steps` and optionally `action_meanings` /
`action_names` and `state_names`; other keys (the reference dumps' `nS`, `kwargs`, optima,
versions) are dropped. Entries keep Gymnasium's order and every float its exact value
(Python's repr is the shortest round-trip form, which pg reads back bit for bit); whole
floats are written as integers (1.0 -> 1) to keep the file small.

The shipped Taxi files were made with:

    scripts/gym-tabular-to-pg.py ../shared/reference/gym/Taxi-v4.json envs/Taxi-v4.json \
        --name Taxi-v4 --lowercase-actions \
        --description "Gymnasium 1.x Taxi-v4: 500 states, 6 actions, 200 steps, deterministic"
    scripts/gym-tabular-to-pg.py ../shared/reference/gym/Taxi-v4_rainy.json envs/Taxi-v4-rainy.json \
        --name Taxi-v4-rainy --lowercase-actions \
        --description "Gymnasium 1.x Taxi-v4 with is_rainy=True: moves go sideways with probability 0.1 each"
"""
import argparse
import json
import math


def number(x):
    """JSON text of a number: integers and whole floats as integers, other floats by repr."""
    if isinstance(x, bool):
        raise ValueError(f"expected a number, got {x!r}")
    if isinstance(x, int):
        return str(x)
    if not math.isfinite(x):
        raise ValueError(f"not a finite number: {x!r}")
    if x == int(x) and abs(x) < 2**53:
        return str(int(x))
    return repr(float(x))


def in_order(table):
    """A list from a list, or from a dict keyed by indices (json.dump of Gymnasium's P)."""
    if isinstance(table, dict):
        return [table[k] for k in sorted(table, key=int)]
    return table


def outcome(entry):
    p, nxt, reward, terminated = entry
    if not isinstance(terminated, bool):
        raise ValueError(f"terminated must be true or false, got {terminated!r}")
    return f"[{number(p)},{int(nxt)},{number(reward)},{'true' if terminated else 'false'}]"


def convert(src, name, description, lowercase):
    actions = src.get("action_names") or src.get("action_meanings")
    if actions and lowercase:
        actions = [a.lower() for a in actions]
    head = {"type": "tabular", "name": name}
    if description:
        head["description"] = description
    if actions:
        head["action_names"] = actions
    if src.get("state_names"):
        head["state_names"] = src["state_names"]
    head["max_episode_steps"] = src["max_episode_steps"]
    lines = ["{" + ",\n".join(f"{json.dumps(k)}: {json.dumps(v)}" for k, v in head.items()) + ","]
    start = [number(p) for p in src["initial_state_distrib"]]
    rows = [",".join(start[i:i + 20]) for i in range(0, len(start), 20)]
    lines.append('"initial_state_distrib": [\n' + ",\n".join(rows) + "],")
    states = []
    for row in in_order(src["P"]):
        states.append("[" + ",".join("[" + ",".join(outcome(e) for e in lst) + "]" for lst in in_order(row)) + "]")
    lines.append('"P": [\n' + ",\n".join(states) + "\n]}")
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("source", help="JSON dump with P, initial_state_distrib, max_episode_steps")
    ap.add_argument("output", help="the pg tabular MDP file to write")
    ap.add_argument("--name", required=True, help="environment id, e.g. Taxi-v4")
    ap.add_argument("--description", default="", help="one line for `pg envs`")
    ap.add_argument("--lowercase-actions", action="store_true", help="SOUTH -> south, as pg's gridworlds name actions")
    args = ap.parse_args()
    with open(args.source) as f:
        src = json.load(f)
    text = convert(src, args.name, args.description, args.lowercase_actions)
    with open(args.output, "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
