"""/zoom as a Bolt for Python app would do it: the reference for bench/e2e.sh.

Acknowledges the slash command at once, then creates an instant Zoom
meeting (POST /users/me/meetings), registers it as a Slack Call
(calls.add) and posts the card (chat.postMessage) in the channel: the
same three platform calls, in the same order, as zlack's /zoom.

AsyncApp served by uvicorn through Bolt's own ASGI adapter: an asyncio app
keeps every command's platform calls in flight at once, where the
synchronous App runs listeners on a pool of 5 threads. Bolt verifies the
Slack signature of every request.

Settings (environment): SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET,
SLACK_API_URL (ends with /api/), ZOOM_API_URL (ends with /v2),
ZOOM_ACCESS_TOKEN, PORT. Listens on 127.0.0.1 only.
"""

import os
import time

import aiohttp
import uvicorn
from slack_bolt.adapter.asgi.async_handler import AsyncSlackRequestHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

ZOOM_API_URL = os.environ["ZOOM_API_URL"].rstrip("/")
ZOOM_TOKEN = os.environ["ZOOM_ACCESS_TOKEN"]

app = AsyncApp(
    client=AsyncWebClient(
        token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"]
    ),
    signing_secret=os.environ["SLACK_SIGNING_SECRET"],
)

# One Zoom session for the process, made on first use inside the event loop.
_zoom = None


def zoom():
    global _zoom
    if _zoom is None:
        _zoom = aiohttp.ClientSession(
            base_url=ZOOM_API_URL + "/",
            headers={"Authorization": f"Bearer {ZOOM_TOKEN}"},
        )
    return _zoom


@app.command("/zoom")
async def start_meeting(ack, command, client, logger):
    await ack()
    topic = command.get("text") or f"{command['user_name']}'s meeting"
    async with zoom().post(
        "users/me/meetings", json={"topic": topic, "type": 1}
    ) as response:
        response.raise_for_status()
        meeting = await response.json()
    call = await client.calls_add(
        external_unique_id=f"bolt-{command['trigger_id']}",
        join_url=meeting["join_url"],
        external_display_id=str(meeting["id"]),
        title=meeting["topic"],
        created_by=command["user_id"],
        date_start=int(time.time()),
    )
    await client.chat_postMessage(
        channel=command["channel_id"],
        text=f"<@{command['user_id']}> started a Zoom meeting: {meeting['join_url']}",
        blocks=[
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": f"*{meeting['topic']}*\nHost: <@{command['user_id']}>\n"
                    f"Meeting ID: {meeting['id']}",
                },
            },
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "text": {"type": "plain_text", "text": "Join"},
                        "url": meeting["join_url"],
                        "style": "primary",
                    }
                ],
            },
            {"type": "call", "call_id": call["call"]["id"]},
        ],
    )


api = AsyncSlackRequestHandler(app)

if __name__ == "__main__":
    uvicorn.run(
        api,
        host="127.0.0.1",
        port=int(os.environ["PORT"]),
        log_level="warning",
        access_log=False,
    )
