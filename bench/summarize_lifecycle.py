#!/usr/bin/env python3
"""Summarize bench/lifecycle results: medians over runs, per scenario.

    python3 bench/summarize_lifecycle.py results.jsonl

Each line of results.jsonl is one BENCH_JSON object printed by the
`lifecycle` harness (bench/lifecycle), plus "run". Prints a Markdown table
with the median of each figure over the runs and every run's p99 in
parentheses, and the verdict against the target (p99 < 50 ms).
"""

import json
import statistics
import sys

TARGET_P99_MS = 50.0
STAGES = ["send_to_batch", "batch_to_fold", "fold_to_settled", "settled_to_slack"]


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(v, digits=1):
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:,.{digits}f}"
    return f"{v:,}"


def cores(values):
    m = median(values)
    return "–" if m is None else f"{m:.2f} cores"


def main(path):
    rows = [json.loads(line) for line in open(path) if line.strip()]
    if not rows:
        sys.exit("no results")
    groups = {}
    for r in rows:
        groups.setdefault((r["scenario"], r.get("database", "sqlite")), []).append(r)
    print("| scenario | effect | database | runs | webhooks/run | rate/s | lost | duplicates "
          "| p50 | p90 | p99 (per run) | max | ack p99 | server CPU | PostgreSQL CPU | other CPU "
          "| p99 < 50 ms |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for (scenario, database), rs in groups.items():
        lat = lambda key: median([r["latency"][key] for r in rs])  # noqa: E731
        p99s = " / ".join(fmt(r["latency"]["p99_ms"]) for r in rs)
        p99 = lat("p99_ms")
        verdict = "met" if p99 is not None and p99 < TARGET_P99_MS else "**missed**"
        print(
            f"| {scenario} | `{rs[0]['effect']}` | {database} | {len(rs)} "
            f"| {fmt(int(median([r['events'] for r in rs])))} "
            f"| {fmt(median([r['achieved_rate'] for r in rs]))} "
            f"| {sum(r['lost'] for r in rs)} | {sum(r['duplicates'] for r in rs)} "
            f"| {fmt(lat('p50_ms'))} ms | {fmt(lat('p90_ms'))} ms "
            f"| **{fmt(p99)} ms** ({p99s}) | {fmt(lat('max_ms'))} ms "
            f"| {fmt(median([r['ack']['p99_ms'] for r in rs]))} ms "
            f"| {cores([r['cpu']['server_cores'] for r in rs])} "
            f"| {cores([r['cpu'].get('postgres_cores') for r in rs]) if database == 'postgres' else '–'} "
            f"| {cores([r['cpu']['other_cores'] for r in rs])} | {verdict} |"
        )
    print()
    print("Where the time goes (medians over runs; ms; database timestamps have 1 ms "
          "resolution): stage p50 / p99, and the mean of each stage over the slowest 1 %.")
    print()
    print("| scenario | database | " + " | ".join(STAGES) + " |")
    print("|---|---|" + "---|" * len(STAGES))
    for (scenario, database), rs in groups.items():
        cells = []
        for stage in STAGES:
            p50 = median([r["stages"][stage]["p50_ms"] for r in rs if "stages" in r])
            p99 = median([r["stages"][stage]["p99_ms"] for r in rs if "stages" in r])
            tail = median([r["stages"]["slowest_1pct_mean_ms"][stage] for r in rs if "stages" in r])
            cells.append(f"{fmt(p50)} / {fmt(p99)} (tail {fmt(tail)})")
        print(f"| {scenario} | {database} | " + " | ".join(cells) + " |")
    problems = [
        f"{r['scenario']} run {r.get('run', '?')}: {what} {r[key]}"
        for r in rows
        for key, what in [("lost", "lost"), ("duplicates", "duplicates"),
                          ("ack_errors", "ack errors"), ("wrong_content", "wrong content"),
                          ("warmup_lost", "lost in warm-up")]
        if r.get(key)
    ]
    lag = max(r["send_lag"]["max_ms"] or 0 for r in rows)
    print()
    print(f"Send schedule: the latest webhook left {fmt(lag, 2)} ms after its slot "
          "(open loop; latency is measured from the actual send).")
    for p in problems:
        print(f"- {p}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
