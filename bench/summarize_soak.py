#!/usr/bin/env python3
"""Prints the summary tables of one soak (the BENCH_JSON of `e2e soak`)."""

import json
import sys


def main(path):
    r = json.load(open(path))
    s = r["settings"]
    print(
        f"Soak on {s['database']} ({s['replicas']} process{'es' if s['replicas'] > 1 else ''}): "
        f"{s['duration_s']} s at {s['rate']} req/s, kill -9 every {s['kill_every_s']} s, "
        f"Slack faults {s['faults_429'] * 100:g} % 429 + {s['faults_5xx'] * 100:g} % 5xx, "
        f"{s['duplicates'] * 100:g} % delivered twice, stub delay {s['delay_ms']} ms"
    )
    print()
    print("| requests | sent | of them duplicates | acked | retried | HTTP attempts |")
    print("|---|--:|--:|--:|--:|--:|")
    for kind, q in r["requests"].items():
        print(f"| {kind} | {q['sent']} | {q['of_them_duplicates']} | {q['acked']} | {q['retried']} | {q['attempts']} |")
    print(
        f"| **all** | **{r['requests_sent']}** | | **{r['requests_acked']}** | | **{r['http_attempts']}** |"
    )
    print()
    print("| effect (owed by acked requests) | expected | exactly once | lost | duplicated |")
    print("|---|--:|--:|--:|--:|")
    for cat, e in r["effects"].items():
        print(f"| {cat} | {e['expected']} | {e['exactly_once']} | {e['lost']} | {e['duplicated']} |")
    print(
        f"| **all** | **{r['effects_expected']}** | **{r['effects_exactly_once']}** | "
        f"**{r['effects_lost']}** | **{r['effects_duplicated']}** |"
    )
    for cat, e in r.get("effects_optional", {}).items():
        print(f"\n{cat} (not owed: depends on event order): {e['delivered']} of {e['requests']}, {e['duplicated']} twice")
    u = r["effects_of_unacked_requests"]
    print(
        f"\nrequests never acked: {r['requests_never_acked']}; effects not owed: {u['owed_nothing']} "
        f"(delivered anyway: {u['delivered']}); effects nobody asked for: {r['effects_unexpected']}"
    )
    f = r["faults_injected"]
    print(f"faults injected: {f['429']} x 429, {f['5xx']} x 5xx; kills: {r['kills']}")
    print()
    print("| process | replica | lived (s) | killed | RSS MiB start / peak / end | open files start / peak / end |")
    print("|---|--:|---|---|---|---|")
    for p in r["processes"]:
        m, d = p["rss_mib"], p["fds"]
        end = p["ended_s"] if p["ended_s"] is not None else "-"
        print(
            f"| {p['pid']} | {p['replica']} | {p['started_s']}–{end} | {'yes' if p['killed'] else 'no'} | "
            f"{m['start']} / {m['peak']} / {m['end']} | {d['start']} / {d['peak']} / {d['end']} |"
        )
    fl = r["flat"]
    print()
    print(
        f"| replica | RSS MiB first {fl['window_s']:g} s | last {fl['window_s']:g} s | peak | flat | "
        f"open files first | last | peak | flat |"
    )
    print("|--:|--:|--:|--:|---|--:|--:|--:|---|")
    for p in fl["replicas"]:
        print(
            f"| {p['replica']} | {p['rss_first_mib']} | {p['rss_last_mib']} | {p['rss_peak_mib']} | "
            f"{'yes' if p['rss_flat'] else 'NO'} | {p['fds_first']} | {p['fds_last']} | {p['fds_peak']} | "
            f"{'yes' if p['fds_flat'] else 'NO'} |"
        )
    for rep in r.get("repeated_effects", []):
        print(
            f"\n{rep['effect']}: first at {rep['first_s']} s, again at {rep['again_s']} s "
            f"(nearest kill -9 at {rep['nearest_kill_s']} s)"
        )
    ex = r.get("examples", {})
    for what in ("lost", "duplicated", "unexpected"):
        if ex.get(what):
            print(f"\n{what} (first {len(ex[what])}): {', '.join(ex[what])}")


if __name__ == "__main__":
    main(sys.argv[1])
