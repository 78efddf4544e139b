#!/usr/bin/env python3
"""Write pre-signed, distinct requests for bench/wrk/replay.lua.

One request per line: `<timestamp>\t<v0=signature>\t<body>`. Signatures are
v0=hex(HMAC-SHA256(secret, "v0:<timestamp>:<body>")), as Slack and Zoom sign
them; zlack accepts them for 5 minutes, so generate right before a run.

Every request is distinct: slash commands carry a unique trigger_id, webhooks
a unique event_ts, meeting uuid and participant id (zlack dedupes on those).

    gen_requests.py slack|zoom COUNT SECRET OUT [PREFIX]

Slash commands carry $BENCH_RESPONSE_URL as their response_url (bench/run.sh
points it at a loopback stub); by default the loopback discard port.
"""

import hashlib
import hmac
import json
import os
import sys
import time
import urllib.parse

RESPONSE_URL = os.environ.get("BENCH_RESPONSE_URL", "http://127.0.0.1:9/commands/T0BENCH/1/abc")


def slack_body(prefix: str, i: int) -> str:
    return urllib.parse.urlencode(
        {
            "token": "x",
            "team_id": "T0BENCH",
            "team_domain": "bench",
            "channel_id": "C0BENCH",
            "channel_name": "general",
            "user_id": "U0BENCH",
            "user_name": "bench",
            "command": "/zoom",
            "text": "",
            # Loopback only: nothing here may ever reach Slack.
            "response_url": RESPONSE_URL,
            "trigger_id": f"{prefix}.{i}",
            "api_app_id": "A0BENCH",
        }
    )


def zoom_body(prefix: str, i: int, base_ms: int) -> str:
    return json.dumps(
        {
            "event": "meeting.participant_joined",
            "event_ts": base_ms + i,
            "payload": {
                "account_id": "AAAA",
                "object": {
                    "id": 85746352413,
                    "uuid": f"{prefix}-{i}",
                    "host_id": "h",
                    "topic": "Bench",
                    "type": 1,
                    "start_time": "2026-11-27T15:00:00Z",
                    "participant": {
                        "user_id": f"{prefix}-p{i}",
                        "user_name": "P",
                        "join_time": "2026-11-27T15:00:01Z",
                        "email": "p@example.com",
                    },
                },
            },
        },
        separators=(",", ":"),
    )


def main() -> None:
    if len(sys.argv) not in (5, 6):
        sys.exit(__doc__)
    kind, count, secret, out = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    prefix = sys.argv[5] if len(sys.argv) == 6 else str(time.time_ns())
    if kind not in ("slack", "zoom"):
        sys.exit("kind must be slack or zoom")
    key = secret.encode()
    ts = str(int(time.time()))
    base_ms = time.time_ns() // 1_000_000
    with open(out, "w", encoding="utf-8") as f:
        for i in range(count):
            body = slack_body(prefix, i) if kind == "slack" else zoom_body(prefix, i, base_ms)
            mac = hmac.new(key, f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
            f.write(f"{ts}\tv0={mac}\t{body}\n")


if __name__ == "__main__":
    main()
