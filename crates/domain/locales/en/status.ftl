# Status sync: the Slack status while in a Zoom meeting or call.
