#!/usr/bin/env python3
"""Summarize bench/run.sh results (one JSON object per run) as Markdown.

    summarize.py RESULTS.jsonl     the table of medians and the targets
    summarize.py --one JSON        one run, on one line
"""

import json
import statistics
import sys

TARGET_RATIO = 0.5
TARGET_WEBHOOKS = 5000
TARGET_IDLE_MIB = 30
NAMES = {
    "ceiling": "ceiling (bare axum 200 OK)",
    "slack": "zlack slash-command ack",
    "zoom": "zlack Zoom webhook",
}


def derive(r: dict) -> dict:
    secs = r["duration_us"] / 1e6
    return {
        "other_cores": 0.0,
        "batch_mean": 0.0,
        "commit_ms_mean": 0.0,
        **r,
        "rps": r["requests"] / secs,
        "stored_per_s": r["stored"] / secs,
        "cpu_us_per_req": r["server_cores"] / max(r["requests"] / secs, 1) * 1e6,
        "backlog": sum(n for k, n in r.get("jobs_after", {}).items() if k not in ("done", "dead")),
        "dead": r.get("jobs_after", {}).get("dead", 0),
        "errors": r["connect_errors"] + r["read_errors"] + r["write_errors"] + r["timeouts"],
    }


def one_line(r: dict) -> str:
    d = derive(r)
    s = (
        f"{d['rps']:,.0f} req/s, p50 {d['p50_us'] / 1000:.2f} ms, p99 {d['p99_us'] / 1000:.2f} ms, "
        f"non-2xx {d['non_2xx']}, socket errors {d['errors']}, server CPU {d['server_cores']:.2f} cores, "
        f"wrk CPU {d['wrk_cores']:.2f}, other CPU {d['other_cores']:.2f}, idle RSS {d['idle_rss_kib'] / 1024:.1f} MiB, "
        f"after {d['rss_after_kib'] / 1024:.1f} MiB"
    )
    if d["scenario"] != "ceiling":
        s += (f", stored {d['stored']:,} ({d['stored_per_s']:,.0f}/s), "
              f"{d.get('commits', 0):,} commits of {d.get('batch_mean', 0):.1f} rows, "
              f"{d.get('commit_ms_mean', 0):.2f} ms each, jobs after {d.get('jobs_after', {})}")
        if d["wrapped_threads"]:
            s += " WARNING: request list exhausted, repeats were sent"
    return s


def med(rows: list, key: str) -> float:
    return statistics.median(r[key] for r in rows)


def main() -> None:
    if sys.argv[1:2] == ["--one"]:
        print(one_line(json.loads(sys.argv[2])))
        return
    with open(sys.argv[1], encoding="utf-8") as f:
        runs = [derive(json.loads(line)) for line in f if line.strip()]
    by = {}
    for r in runs:
        by.setdefault(r["scenario"], []).append(r)

    print("| scenario | runs | req/s (median) | req/s per run | p50 ms | p99 ms | non-2xx | socket errors "
          "| distinct stored/s | server CPU (cores) | server CPU µs/req | wrk CPU (cores) "
          "| other CPU (cores) | idle RSS MiB | RSS after load MiB | rows per commit | ms per commit "
          "| jobs pending / dead at end |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for name, rows in by.items():
        per_run = " / ".join(f"{r['rps']:,.0f}" for r in rows)
        stored = "–" if name == "ceiling" else f"{med(rows, 'stored_per_s'):,.0f}"
        commit = ("– | –" if name == "ceiling" else
                  f"{med(rows, 'batch_mean'):.1f} | {med(rows, 'commit_ms_mean'):.2f}")
        jobs = "–" if name == "ceiling" else f"{med(rows, 'backlog'):,.0f} / {med(rows, 'dead'):,.0f}"
        print(
            f"| {NAMES.get(name, name)} | {len(rows)} | {med(rows, 'rps'):,.0f} | {per_run} "
            f"| {med(rows, 'p50_us') / 1000:.2f} | {med(rows, 'p99_us') / 1000:.2f} "
            f"| {sum(r['non_2xx'] for r in rows)} | {sum(r['errors'] for r in rows)} | {stored} "
            f"| {med(rows, 'server_cores'):.2f} | {med(rows, 'cpu_us_per_req'):.0f} "
            f"| {med(rows, 'wrk_cores'):.2f} | {med(rows, 'other_cores'):.2f} "
            f"| {med(rows, 'idle_rss_kib') / 1024:.1f} "
            f"| {med(rows, 'rss_after_kib') / 1024:.1f} "
            f"| {commit} | {jobs} |"
        )
    print()

    def verdict(ok: bool) -> str:
        return "**met**" if ok else "**missed**"

    print("| target | measured (median) | verdict |")
    print("|---|---|---|")
    if "ceiling" in by and "slack" in by:
        ratio = med(by["slack"], "rps") / med(by["ceiling"], "rps")
        print(f"| slash ack ≥ {TARGET_RATIO:.0%} of ceiling throughput | {ratio:.1%} "
              f"({med(by['slack'], 'rps'):,.0f} / {med(by['ceiling'], 'rps'):,.0f} req/s) "
              f"| {verdict(ratio >= TARGET_RATIO)} |")
    if "zoom" in by:
        stored = med(by["zoom"], "stored_per_s")
        print(f"| ≥ {TARGET_WEBHOOKS:,} distinct webhooks/s stored durably | {stored:,.0f}/s "
              f"| {verdict(stored >= TARGET_WEBHOOKS)} |")
    zlack = by.get("slack", []) + by.get("zoom", [])
    if zlack:
        idle = med(zlack, "idle_rss_kib") / 1024
        worst = max(r["idle_rss_kib"] for r in zlack) / 1024
        print(f"| zlack idle RSS < {TARGET_IDLE_MIB} MiB | {idle:.1f} MiB (max {worst:.1f}) "
              f"| {verdict(worst < TARGET_IDLE_MIB)} |")
    for name in ("slack", "zoom"):
        for r in by.get(name, []):
            if r["wrapped_threads"]:
                print(f"\nWARNING: {name} run {r['run']} exhausted its {r['generated']:,} distinct "
                      "requests and sent repeats (stored/s still counts distinct rows only); "
                      "raise MIN_REQUESTS in bench/run.sh.")
            if name == "slack" and r["stored"] < r["requests"] * 0.99:
                print(f"\nNOTE: slack run {r['run']}: {r['stored']:,} rows stored for "
                      f"{r['requests']:,} acks.")


if __name__ == "__main__":
    main()
