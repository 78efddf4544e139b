# The App Home tab and the settings modal.

## The settings modal
home-settings-modal-title = Zoom settings
home-settings-modal-save = Save
home-settings-modal-cancel = Cancel
home-settings-passcode-hint = Show the meeting passcode on meeting cards. Everyone who sees a card can then join.
home-settings-pmi-hint = Start /zoom meetings in your personal meeting ID instead of a new meeting ID.
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
