# The App Home tab and the settings modal.

## The settings modal
home-settings-modal-title = Zoom settings
home-settings-modal-save = Save
home-settings-modal-cancel = Cancel
home-settings-passcode-hint = Show the meeting passcode on meeting cards. Everyone who sees a card can then join.
home-settings-pmi-hint = Start { -command } meetings in your personal meeting ID instead of a new meeting ID.
home-settings-language-hint = The language of the messages you get from this app.
home-settings-phone-hint = A direct message when your Zoom Phone calls end or are missed, and when a call recording is ready.
home-settings-status-title = Show when I'm in a Zoom meeting or call
home-settings-status-hint = Sets your Slack status while you are in a Zoom meeting or call, and clears it afterwards.
home-settings-workspace-header = Workspace settings
home-settings-workspace-about = Only workspace admins see and change these. They apply to everyone in the workspace.
home-settings-recordings-hint = Where the recording link and the Zoom AI Companion summary of meetings announced in Slack go.
home-settings-workspace-phone-hint = Whether people get direct messages about their Zoom Phone calls and call recordings.
home-settings-whiteboards-hint = Where a pasted Zoom Whiteboard link shows the board's name, owner and preview.
home-settings-error-missing = Choose one of the options.
home-settings-error-choice = That is not one of the options. Choose one of them.

## The privacy page
home-privacy-event-app-home-opened = You opened zlack's Home tab: zlack shows it to you with your connections, settings and upcoming meetings.
home-privacy-zoom-scope-list-meetings = Your upcoming meetings: shown on your Home tab in Slack, only to you, and not stored.

## The Home tab
home-title = Zoom in Slack
home-intro = Your own page of zlack: only you see it.
home-connections = Connections
home-slack-connected = *Slack:* zlack is installed in this workspace.
home-slack-connected-named = *Slack:* zlack is installed in { $workspace }.
home-zoom-connected = *Zoom:* connected.
home-zoom-connected-as = *Zoom:* connected as { $account }.
home-zoom-not-connected = *Zoom:* not connected. Connect your Zoom account to start meetings with { -command } and see your upcoming meetings here.
home-zoom-by-email = *Zoom:* not linked yet. zlack finds your Zoom user by your email address the first time you use { -command }.
home-zoom-broken = *Zoom:* Zoom no longer accepts your authorization. Connect your Zoom account again.
home-zoom-connect = Connect Zoom
home-zoom-reconnect = Connect Zoom again
home-zoom-disconnect = Disconnect Zoom
home-zoom-disconnect-confirm-title = Disconnect Zoom?
home-zoom-disconnect-confirm-text = zlack forgets your Zoom authorization. You can connect again at any time.
home-mode-personal = Everyone connects their own Zoom account.
home-mode-organization = Your Zoom account's admins connected this workspace to Zoom.
home-mode-server-to-server = This workspace uses one Zoom account, set up by whoever runs zlack.
home-meetings = Your upcoming meetings
home-meetings-none = No upcoming meetings.
home-meetings-more = And { $count } more in Zoom.
home-meetings-connect = Connect your Zoom account to see your upcoming meetings here.
home-meetings-permission = zlack may not list your meetings yet: connect your Zoom account again to allow it.
home-meetings-unavailable = Zoom did not answer just now; your meetings show here the next time this page is updated.
home-meeting-untitled = Zoom meeting
home-meeting-live = Under way now
home-meeting-recurring = Recurring, no fixed time
home-meeting-date-format = {"{"}date_short_pretty{"}"} at {"{"}time{"}"}
home-meeting-join = Join
home-settings = Your settings
home-settings-open = Settings
home-settings-phone-off-by-workspace = Off for everyone in this workspace
home-settings-status-pending = Waiting for your permission (see the app's direct message)
home-help = How to use { -command }
