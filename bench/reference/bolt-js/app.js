// /zoom as a Bolt for JavaScript app would do it: the reference for
// bench/e2e.sh.
//
// Acknowledges the slash command at once, then creates an instant Zoom
// meeting (POST /users/me/meetings), registers it as a Slack Call
// (calls.add) and posts the card (chat.postMessage) in the channel: the
// same three platform calls, in the same order, as zlack's /zoom.
//
// Served by Bolt's built-in HTTP receiver (Node's http server), which
// verifies the Slack signature of every request and, by default, answers
// the ack before the listener finishes.
//
// Settings (environment): SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET,
// SLACK_API_URL (ends with /api/), ZOOM_API_URL (ends with /v2),
// ZOOM_ACCESS_TOKEN, PORT. Listens on 127.0.0.1 only.
'use strict';

const { App, LogLevel } = require('@slack/bolt');

const zoomApi = process.env.ZOOM_API_URL.replace(/\/$/, '');
const zoomToken = process.env.ZOOM_ACCESS_TOKEN;

const app = new App({
  token: process.env.SLACK_BOT_TOKEN,
  signingSecret: process.env.SLACK_SIGNING_SECRET,
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
  logLevel: LogLevel.WARN,
});

app.command('/zoom', async ({ ack, command, client }) => {
  await ack();
  const topic = command.text || `${command.user_name}'s meeting`;
  const response = await fetch(`${zoomApi}/users/me/meetings`, {
    method: 'POST',
    headers: { authorization: `Bearer ${zoomToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ topic, type: 1 }),
  });
  if (!response.ok) throw new Error(`Zoom answered ${response.status}`);
  const meeting = await response.json();
  const call = await client.calls.add({
    external_unique_id: `bolt-${command.trigger_id}`,
    join_url: meeting.join_url,
    external_display_id: String(meeting.id),
    title: meeting.topic,
    created_by: command.user_id,
    date_start: Math.floor(Date.now() / 1000),
  });
  await client.chat.postMessage({
    channel: command.channel_id,
    text: `<@${command.user_id}> started a Zoom meeting: ${meeting.join_url}`,
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `*${meeting.topic}*\nHost: <@${command.user_id}>\nMeeting ID: ${meeting.id}`,
        },
      },
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            text: { type: 'plain_text', text: 'Join' },
            url: meeting.join_url,
            style: 'primary',
          },
        ],
      },
      { type: 'call', call_id: call.call.id },
    ],
  });
});

(async () => {
  await app.start({ port: Number(process.env.PORT), host: '127.0.0.1' });
})();
