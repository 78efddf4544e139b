#!/usr/bin/env python3
"""Summary of bench/e2e.sh results: medians of the runs, per run in parentheses.

    python3 bench/summarize_e2e.py bench/out/e2e-<timestamp>/results.jsonl
    python3 bench/summarize_e2e.py --one '<one results.jsonl line>'
"""

import json
import statistics
import sys


def get(r, path):
    for part in path.split("."):
        if not isinstance(r, dict) or r.get(part) is None:
            return None
        r = r[part]
    return r


def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(v, digits=0, unit=""):
    if v is None:
        return "–"
    if digits == 0:
        return f"{v:,.0f}{unit}"
    return f"{v:,.{digits}f}{unit}"


def mib(kib):
    return None if kib is None else kib / 1024


def one_line(r):
    lat = r.get("latency", {})
    return (
        f"{r['scenario']} {r['app']}"
        + (f" ({r['database']}, preload {r.get('preload', 0):,})" if r.get("database") else "")
        + f": {r['requests']} sent, acks {fmt(r.get('acks_per_s'))}/s"
        + f" (p50 {fmt(get(r, 'ack.p50_ms'), 1)} ms, p99 {fmt(get(r, 'ack.p99_ms'), 1)} ms, errors {r['ack_errors']});"
        + f" all done after {fmt(r.get('all_done_after_s'), 2)} s;"
        + f" latency p50 {fmt(lat.get('p50_ms'))} ms, p99 {fmt(lat.get('p99_ms'))} ms;"
        + f" lost {r['lost']}, duplicates {r['duplicates']};"
        + f" RSS peak {fmt(mib(r.get('rss_peak_kib')), 1)} MiB;"
        + f" CPU app {fmt(get(r, 'cpu.app_cores'), 2)}, other {fmt(get(r, 'cpu.other_cores'), 2)}"
    )


def runs_of(rows, path, digits=0):
    return " / ".join(fmt(get(r, path), digits) for r in rows)


def table(results):
    groups = {}
    for r in results:
        key = (r["scenario"], r.get("database") or "", r.get("preload", 0), r["app"])
        groups.setdefault(key, []).append(r)
    order = {"burst": 0, "sustained": 1, "webhook": 2}
    apps = {"zlack": 0, "bolt-python": 1, "bolt-js": 2}
    keys = sorted(groups, key=lambda k: (order.get(k[0], 9), k[1], k[2], apps.get(k[3], 9)))
    out = []
    out.append(
        "| scenario | app | database | preload | acks/s | ack p50 | ack p99 | all done after (per run) "
        "| latency p50 | latency p99 (per run) | lost | dup | RSS peak | app CPU | other CPU |"
    )
    out.append("|" + "---|" * 15)
    for key in keys:
        rows = sorted(groups[key], key=lambda r: r.get("run", 0))
        scenario, database, preload, app = key
        m = lambda p: med([get(r, p) for r in rows])  # noqa: E731
        out.append(
            f"| {scenario} | {app} | {database or '–'} | {preload:,} "
            f"| {fmt(m('acks_per_s'))} | {fmt(m('ack.p50_ms'), 1)} ms | {fmt(m('ack.p99_ms'), 1)} ms "
            f"| **{fmt(m('all_done_after_s'), 2)} s** ({runs_of(rows, 'all_done_after_s', 2)}) "
            f"| {fmt(m('latency.p50_ms'))} ms | **{fmt(m('latency.p99_ms'))} ms** ({runs_of(rows, 'latency.p99_ms')}) "
            f"| {sum(r['lost'] for r in rows)} | {sum(r['duplicates'] for r in rows)} "
            f"| {fmt(mib(m('rss_peak_kib')), 1)} MiB | {fmt(m('cpu.app_cores'), 2)} | {fmt(m('cpu.other_cores'), 2)} |"
        )
    out.append("")
    out.append(
        "Medians of the runs; per-run values in parentheses; lost and dup are totals over the runs. "
        "\"all done after\": from the first request sent until the last card (or participant update) was "
        "answered by the stub; latency: each request until its effect."
    )
    # Preloaded against empty, for the same scenario, app and database.
    ratios = []
    for (scenario, database, preload, app), rows in groups.items():
        base = groups.get((scenario, database, 0, app))
        if preload == 0 or not base:
            continue
        for path, label in [("acks_per_s", "acks/s"), ("all_done_after_s", "all done after"),
                            ("latency.p99_ms", "latency p99")]:
            a, b = med([get(r, path) for r in base]), med([get(r, path) for r in rows])
            if a and b:
                ratios.append(f"- {scenario} {app} {database}, {preload:,} rows: {label} "
                              f"{fmt(b, 2)} vs {fmt(a, 2)} empty ({b / a:.2f}×)")
    if ratios:
        out.append("")
        out.append("Preloaded against empty:")
        out.extend(sorted(ratios))
    # Platform calls per request, from the first run of each group.
    out.append("")
    out.append("Platform calls per measured request (first run of each):")
    for key in keys:
        calls = groups[key][0].get("calls", {})
        shown = ", ".join(f"{k} {v['per_request']}" for k, v in calls.items())
        where = f" {key[1]}, preload {key[2]:,}" if key[1] else ""
        out.append(f"- {key[0]} {key[3]}{where}: {shown}")
    return "\n".join(out)


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        print(one_line(json.loads(sys.argv[2])))
        return
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    with open(sys.argv[1]) as f:
        results = [json.loads(line) for line in f if line.strip()]
    print(table(results))


if __name__ == "__main__":
    main()
