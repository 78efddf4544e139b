# Status sync: the Slack status while in a Zoom meeting or call.

# The Slack status zlack shows (at most 100 characters).
status-in-meeting = In a Zoom meeting
status-presenting = Presenting in Zoom
status-on-call = On a Zoom call

# The setting on the /zoom config card.
status-config-title = Show when I'm in a Zoom meeting or call
status-config-body = Sets your Slack status while you're in a Zoom meeting or on a Zoom call, and puts your own status back afterwards, unless you changed it meanwhile.

# The DM asking for permission to change the status.
status-allow-title = Allow zlack to set your Slack status
status-allow-body = To show when you're in a Zoom meeting or call, zlack needs your permission to change your Slack status. It changes nothing else in your profile. The link works for you only, for 7 days.
status-allow-button = Allow status updates
status-allow-fallback = Allow zlack to set your Slack status: { $url }

# After the permission was given.
status-enabled-dm = Status sync is on. While you're in a Zoom meeting or call, your Slack status says so; afterwards your own status comes back. Turn it off any time in { -command } config.

# When Slack no longer accepts the permission.
status-revoked-dm = Status sync is off: Slack no longer accepts zlack's permission to change your status. Turn it on again in { -command } config if you want it back.

# The page after the Slack authorization.
status-page-connected-title = Status sync is on
status-page-connected-body = zlack will show in your Slack status when you're in a Zoom meeting or call. You can close this window.
status-page-wrong-user-title = This link is for someone else
status-page-wrong-user-body = You authorized as a different Slack user than the one the link was made for, so nothing was changed. Ask for your own link by turning the setting on in { -command } config.

# The privacy page.
status-privacy-slack-scope-profile-write = Only for people who turn status sync on, with their own permission: sets their Slack status while they are in a Zoom meeting or call, and puts their own status back afterwards.
status-privacy-zoom-scope-presence = Hears when you are in a Zoom meeting or call, for status sync; only for people who turned it on.
status-privacy-zoom-event-presence = Your Zoom presence changed (in a meeting, presenting, on a call, available): with status sync on, zlack sets or restores your Slack status.
status-privacy-store = Status sync, for those who turn it on: the Slack user token that may change their status, the latest presence Zoom announced, and the status they had before zlack's, sealed like the tokens until it is put back.
status-privacy-delete = Turn status sync off in { -command } config, or type { -command } logout: zlack puts your own status back if its status is still showing, revokes its permission at Slack and deletes the token and the saved status.

# Under the setting while the permission is missing.
status-config-pending = Waiting for your permission: use the "Allow status updates" button in the app's direct message.
