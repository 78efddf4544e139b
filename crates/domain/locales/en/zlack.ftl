# zlack: English messages.
# Messages are plain text: the renderer escapes &, < and > for Slack and adds
# the bold and code formatting, so write them as a user should read them.
# Every message here must exist in sv/zlack.ftl with the same variables.

# The slash command zlack answers to. ZLACK_SLASH_COMMAND replaces this term at
# startup: write { -command } wherever a message names the command.
-command = /zoom

## Meeting card (/zoom, /zoom meeting) and join card (/zoom join)

meeting-untitled = Zoom meeting
meeting-host = Host: { $host }
meeting-id = Meeting ID: { $id }
meeting-passcode = Passcode: { $passcode }
meeting-starts = Starts: { $time }
meeting-join-button = Join
meeting-started-fallback = { $host } started a Zoom meeting: { $topic } { $url }
meeting-scheduled-fallback = { $host } shared a Zoom meeting: { $topic }, { $time } { $url }
join-title = Join the Zoom meeting
join-fallback = Join the Zoom meeting: { $url }
# The topic of a meeting started without one.
default-topic = { $name }'s Zoom meeting

## Meeting notices: end summary, recording, AI Companion summary

summary-ended = The meeting has ended.
summary-time = Time: { $start } – { $end }
summary-duration = Duration: { $duration }
summary-participants = Participants ({ $count })
summary-no-participants = Zoom reported no participants.
summary-fallback = The meeting “{ $topic }” has ended. Duration: { $duration }.
# A participant Zoom gave no name.
participant-unnamed = Guest
recording-ready = The recording is ready.
recording-files = Files ({ $count })
recording-open-button = Open the recording
recording-fallback = The recording of “{ $topic }” is ready: { $url }
# Zoom's recording_type, lower case, without "(CC)".
recording-kind = { $kind ->
    [shared_screen_with_speaker_view] Shared screen with speaker view
    [shared_screen_with_gallery_view] Shared screen with gallery view
    [shared_screen] Shared screen
    [speaker_view] Speaker view
    [gallery_view] Gallery view
    [active_speaker] Active speaker
    [audio_only] Audio only
    [audio_transcript] Transcript
    [chat_file] Chat
    [closed_caption] Captions
    [timeline] Timeline
   *[other] Other file
}
ai-summary-of = Zoom AI Companion summary of “{ $topic }”
ai-summary-next-steps = Next steps
ai-summary-fallback = Zoom AI Companion summary of “{ $topic }”: { $title }
# A notice sent to the host because it could not go to the conversation.
# $conversation is a channel, or one of the conversation-* messages.
host-dm-where = This is about your meeting in { $conversation }.
host-dm-add-app = The app may not post there. To get these notices in that conversation, add { $app } to it, for example with /invite { $app }.
conversation-dm = your direct message with { $user }
conversation-group-dm = a group chat with { $users }
conversation-some-dm = a direct message
conversation-some-group-dm = a group chat

## Dates, durations and lists in meeting notices

# A month's short name; $month is 1 to 12.
date-month = { $month ->
    [1] Jan
    [2] Feb
    [3] Mar
    [4] Apr
    [5] May
    [6] Jun
    [7] Jul
    [8] Aug
    [9] Sep
    [10] Oct
    [11] Nov
   *[12] Dec
}
# 27 Nov 2026, 16:00
date-time = { $day } { $month } { $year }, { $time }
duration-seconds = { $seconds } s
duration-minutes = { $minutes } min
duration-hours = { $hours } h
duration-hours-minutes = { $hours } h { $minutes } min
# The end of a list that was cut short: "Ann, Bo and 3 more".
list-more = and { $count } more

## Connecting Zoom

authorize-title = Connect your Zoom account
authorize-body = To start meetings with { -command }, authorize Zoom once. The button is only for you.
authorize-button = Authorize Zoom
authorize-fallback = Authorize Zoom to use { -command }: { $url }
reconnect-title = Your Zoom connection stopped working
reconnect-body = Zoom no longer accepts this app's access to your account, so { -command } cannot start meetings for you. Authorize Zoom again to continue.
reconnect-button = Reconnect Zoom
reconnect-fallback = Your Zoom connection stopped working. Reconnect: { $url }
connected = Zoom is connected.
connected-starting = Starting your meeting “{ $topic }”…
connected-starting-untitled = Starting your meeting…
logged-out = You are logged out of Zoom. The next { -command } asks you to authorize Zoom again.
logged-out-not-connected = You were not connected to Zoom, so there was nothing to log out of.
zoom-connected-dm = Zoom account { $account } was connected to your Slack account. If this was not you, type { -command } logout to disconnect it.

## /zoom help

help-title = How to use { -command }
help-unknown = Sorry, “{ $word }” is not a { -command } command.
help-start = Start an instant meeting here: in a channel, a direct message or a group chat
help-meeting-usage = { -command } meeting <topic>
help-meeting = Start an instant meeting with a topic
help-join-usage = { -command } join <meeting ID | join link | personal link name>
help-join = Post a join button for an existing meeting
help-join-me = Meet in your personal meeting ID
help-call-usage = { -command } call <@user | number>
help-call = Make a Zoom Phone call
help-config = Change your settings
help-logout = Log out of Zoom in Slack
help-help = Show this list

## /zoom config

config-title = Your Zoom settings
config-passcode-title = Passcode on meeting cards
config-passcode-body = Show the meeting passcode on the meeting cards in Slack. Everyone who sees a card can then join.
config-pmi-title = Personal meeting ID
config-pmi-body = Start { -command } meetings in your personal meeting ID instead of a new meeting ID.
config-lang-title = Language
config-lang-body = The language of the messages you get from this app.
config-current = Now: { $value }
config-on = On
config-off = Off
config-lang-auto = Automatic (from Slack)
config-lang-en = English
config-lang-sv = Svenska
config-fallback = Your Zoom settings: passcode { $passcode }, personal meeting ID { $pmi }, language { $language }, Zoom Phone notifications { $phone }
config-recordings-title = Recording links and AI summaries (whole workspace)
config-recordings-body = Where the recording link and the Zoom AI Companion summary of meetings announced in Slack go. Only workspace admins see and change this.
config-recordings-conversation = In the conversation
config-recordings-host = Only to the host
config-recordings-nowhere = Nowhere

## Errors

error-daily-limit = You have reached Zoom's limit of 100 meetings created or updated per day. The limit resets at 00:00 UTC.
error-zoom-unavailable = Zoom is not responding right now. Try again in a moment.
error-account-deactivated = Your Zoom account is deactivated, so no meetings can be started. Ask your Zoom admin for help.
error-not-installed = This app is not installed in your Slack workspace yet. Add it to Slack, then run { -command } again.
error-install-button = Add to Slack
error-response-expired = The request took too long and Slack no longer accepts the answer. Run { -command } again.
error-slow-personal-meeting = Zoom was slow to create a new meeting, so this call uses your personal meeting ID.
error-meeting-not-found = That meeting was not found. Check the meeting ID and try again.
error-invalid-join-target = That is not a meeting ID, a Zoom join link or a personal link name.
error-missing-argument = Something is missing after { -command } { $command }.
error-usage = Usage: { $usage }

## Browser pages

page-connected-title = Zoom is connected
page-connected-body = Zoom is connected. You can close this tab and return to Slack.
page-slack-installed-title = Added to Slack
page-slack-installed-body = The Zoom app is added to your Slack workspace. Type { -command } in any channel to start a meeting. You can close this tab.
page-state-invalid-title = Link expired
page-state-invalid-body = This link is invalid or has expired. Run { -command } again in Slack.
page-oauth-denied-title = Authorization cancelled
page-oauth-denied-body = You did not allow access, so nothing was changed. Run { -command } again in Slack if you change your mind.
page-zoom-error-title = Zoom could not connect
page-zoom-error-body = Zoom could not complete the authorization. Wait a moment, then run { -command } again in Slack.
page-slack-error-title = Slack could not install zlack
page-slack-error-body = Slack did not complete the installation. Start again from the zlack page, or ask a Slack admin to approve the app.
page-someone-else-title = This link is for someone else
page-someone-else-body = You signed in to Slack as another person than the one this link was made for, so nothing was connected. To connect your own Zoom account, type { -command } in Slack yourself.
page-org-not-allowed-title = Ask a Slack workspace admin
page-org-not-allowed-body = Only the person who added zlack to this Slack workspace, or an admin of the workspace, can connect Zoom for the whole organization. Nothing was changed.
page-zoom-taken-title = This Zoom account is already connected
page-zoom-taken-body = This Zoom account is already connected to another Slack user in this workspace, so it was not connected to yours. They can disconnect it with { -command } logout; then try again.
page-sign-in-failed-title = Slack could not sign you in
page-sign-in-failed-body = Slack did not confirm who you are, so nothing was connected. Wait a moment, then run { -command } again in Slack.
page-org-switch-title = Switch to another Zoom account?
page-org-switch-intro = This Slack workspace is already connected to a Zoom account. You signed in as an admin of the workspace, so you can switch it to the Zoom account just authorized, or keep the current one.
page-org-switch-current = Connected now: Zoom account { $account }, connected by { $admin }
page-org-switch-proposed = Would switch to: Zoom account { $account }, authorized by { $admin }
page-org-switch-consequences = Switching removes zlack's authorization of the current account (unless another workspace still uses it), and everyone here is found again by email in the new account. The person who connected the current account is told in Slack. Nothing changes until you choose; this page works for ten minutes.
page-org-switch-button = Switch to the new account
page-org-switch-keep = Keep the current account
page-org-switch-refused-title = Already connected to another Zoom account
page-org-switch-refused-body = This Slack workspace is already connected to another Zoom account. Only the Zoom admin who connected it, or an admin of the Slack workspace who confirms, can switch it to another account. Nothing was changed.
page-org-switched-title = Switched to the new Zoom account
page-org-switched-body = This Slack workspace now uses the Zoom account just authorized. Whoever connected the previous account is told in Slack, when zlack knows who it was. You can close this tab.
page-org-switch-kept-title = Nothing was changed
page-org-switch-kept-body = This Slack workspace keeps its current Zoom account. You can close this tab.
org-switched-dm = Zoom for this Slack workspace was switched from the Zoom account you connected ({ $from }) to another Zoom account ({ $to }) by { $by }. Everyone here now uses the new account, and zlack no longer uses the old one here. If this was not intended, talk to an admin of the workspace.

## Link unfurls

unfurl-whiteboard = Zoom Whiteboard
unfurl-whiteboard-owner = Owner: { $owner }
unfurl-whiteboard-modified = Last changed by { $who }, { $when }
unfurl-whiteboard-modified-when = Last changed { $when }
unfurl-whiteboard-open = Open whiteboard
unfurl-whiteboard-preview-alt = Preview of the whiteboard
unfurl-connect = Connect your Zoom account to see a preview of whiteboards here.
unfurl-connect-button = Connect Zoom to preview
unfurl-meeting-live = Live now
unfurl-meeting-scheduled = Scheduled: { $when }
unfurl-meeting-waiting = Not started yet
unfurl-meeting-ended = This meeting has ended.
unfurl-recording = Cloud recording · { $duration }
whiteboard-someone = Someone
whiteboard-shared = { $by } shared the whiteboard “{ $name }” with you.
whiteboard-shared-role = { $by } shared the whiteboard “{ $name }” with you as { $role }.
whiteboard-role = { $role ->
    [owner] owner
    [co_owner] co-owner
    [editor] editor
    [commenter] commenter
   *[viewer] viewer
}

## Zoom Phone

phone-call-prompt-user = Call { $who } at { $number } with Zoom Phone.
phone-call-prompt-number = Call { $number } with Zoom Phone.
phone-call-source-zoom = The number is their Zoom Phone number.
phone-call-source-profile = The number is from their Slack profile.
phone-call-note = The button opens a page that starts the call in the Zoom app. On Android, copy the number there instead.
phone-call-button = Call with Zoom Phone
phone-unknown-party = an unknown number
phone-ended-outbound = Your call to { $who } ended.
phone-ended-inbound = Your call from { $who } ended.
phone-not-answered = Your call to { $who } was not answered.
phone-missed = Missed call from { $who }.
phone-started = Started: { $when }
phone-duration = Duration: { $duration }
phone-call-back = Call back
phone-recording-outbound = The recording of your call to { $who } is ready.
phone-recording-inbound = The recording of your call from { $who } is ready.
phone-recording-open = Open the recording
phone-recording-where = It is also in the Zoom app, under Phone → Recordings.
error-phone-unavailable = Zoom Phone is not set up for your Zoom account, so zlack cannot place calls for you. Ask your Zoom admin to assign you a Zoom Phone licence.
error-phone-no-number = { $who } has no Zoom Phone number and no phone number in their Slack profile.
error-phone-invalid-number = “{ $typed }” is not a phone number or extension zlack can call. Type a number like +46 8 123 456 78, or mention someone: { -command } call @name
error-phone-needs-country = Add the country code to the number, like +46 8 123 456 78: zlack does not know which country you are calling from.
error-phone-restricted = zlack does not place calls to emergency or premium-rate numbers. Dial them on your own phone.
call-page-title = Call with Zoom Phone
call-page-lead = Calling { $number }
call-page-open-zoom = Open Zoom Phone
call-page-open-tel = Call with another app
call-page-open-callto = Call with a callto: app
call-page-copy = Copy number
call-page-copied = Copied.
call-page-number = Number
call-page-help = If Zoom did not open, press “Open Zoom Phone”. The Zoom app must be installed and signed in with a Zoom Phone number.
call-page-android = On Android, Zoom cannot be started from a link: copy the number and call it in the Zoom app.
call-page-expired-title = This call link has expired
call-page-expired-body = The link is no longer valid. Type { -command } call again in Slack.
config-phone-title = Zoom Phone notifications
config-phone-body = Send me a direct message when my Zoom Phone calls end or are missed, and when a call recording is ready.
config-phone-off-by-workspace = Your workspace admins turned Zoom Phone notifications off for everyone.
config-workspace-phone-title = Zoom Phone notifications (whole workspace)
config-workspace-phone-body = Whether people get direct messages about their ended and missed Zoom Phone calls and call recordings. Only workspace admins see and change this.

## The data-use page (/privacy)

privacy-title = How your data is used
privacy-intro = zlack connects Slack with Zoom. It runs on a server operated by your own organization, not by Slack or Zoom, and keeps its data in that server's database. This page is generated from the permissions and settings this server actually uses.
privacy-permissions = Permissions (scopes)
privacy-events = Events
privacy-purpose-unknown = Used by zlack; its purpose is not described yet.
privacy-slack-heading = What zlack reads from Slack
privacy-slack-body = Slack sends zlack what you type after { -command }, with your user ID and the conversation you typed it in, the buttons you press in zlack's messages, and the Zoom links people paste, but not the rest of your messages.
privacy-slack-scope-commands = Adds the { -command } command.
privacy-slack-scope-chat-write = Posts meeting cards, meeting summaries, links to recordings and other notifications, and sends direct messages from the app.
privacy-slack-scope-chat-write-public = Posts meeting cards in public channels the app has not joined.
privacy-slack-scope-calls-write = Shows meetings as Slack Calls and keeps their list of participants up to date.
privacy-slack-scope-users-read = Reads people's names, language and time zone, and the phone number in a Slack profile for { -command } call @someone.
privacy-slack-scope-users-read-email = Finds the Slack user with a Zoom participant's email address, to show them as themselves in the Slack Call.
privacy-slack-scope-links-read = Hears when a Zoom link is pasted, to show a preview of it.
privacy-slack-scope-links-write = Shows previews of pasted Zoom links.
privacy-slack-scope-channels-read = Tells whether a channel is public or shared with other organizations, which decides how much a whiteboard preview shows there.
privacy-slack-scope-groups-read = The same for private channels: whether one is shared with other organizations.
privacy-slack-scope-openid = Sign in with Slack, before a link connects a Zoom account: confirms that whoever opened it is the Slack user it was made for. zlack reads only your Slack user and workspace IDs from it, and keeps nothing.
privacy-slack-event-app-uninstalled = The app was uninstalled from a workspace: zlack deletes everything it keeps about the workspace.
privacy-slack-event-tokens-revoked = Tokens were revoked: zlack deletes them.
privacy-slack-event-link-shared = A Zoom link was pasted: zlack shows a preview of it.
privacy-zoom-heading = What zlack reads from Zoom
privacy-zoom-body = zlack uses your Zoom account only after you authorize it, and asks Zoom only for what { -command } needs. Zoom then tells zlack about the meetings, whiteboards and calls of connected people.
privacy-zoom-body-account = zlack reaches Zoom with your organization's own Zoom app, not with a personal authorization: it finds your Zoom user by the email address of your Slack profile (or as the person who runs zlack mapped you), and asks Zoom only for what { -command } needs. Zoom then tells zlack about the meetings, whiteboards and calls of people who use zlack.
privacy-zoom-scope-user = Reads your Zoom user ID, email address, time zone and personal meeting link.
privacy-zoom-scope-permissions = Reads the privileges of the Zoom admin who connects Zoom for the organization, to check that their role allows it.
privacy-zoom-scope-meeting-write = Creates the meetings you start or schedule with { -command }.
privacy-zoom-scope-meeting-read = Reads a meeting you announce with { -command } join.
privacy-zoom-scope-past-participants = Lists who took part in a meeting, for the meeting summary.
privacy-zoom-scope-past-meeting = Reads when an announced meeting started and ended, in case Zoom's event about it never arrived.
privacy-zoom-scope-past-instances = Lists the ended occurrences of an announced meeting, in case Zoom's events about them never arrived.
privacy-zoom-scope-summary = Reads the Zoom AI Companion summary of a meeting.
privacy-zoom-scope-recording-files = Reads the files of a cloud recording, for the link to the recording.
privacy-zoom-scope-whiteboard = Reads a whiteboard's name, owner, last change, preview and who its link opens for, to show pasted whiteboard links. They are shown to the conversation the link was pasted in, only when the person who pasted it may open the board, and only where the workspace's admins allow (by default wherever it is pasted).
privacy-zoom-scope-phone-user = Reads your Zoom Phone number and country, to place calls with { -command } call.
privacy-zoom-scope-phone-call = Reads your Zoom Phone calls, to tell you about ended and missed calls.
privacy-zoom-scope-phone-recording = Reads your Zoom Phone call recordings, to tell you when one is ready.
privacy-zoom-event-meeting-started = A meeting started: its Slack Call shows it.
privacy-zoom-event-participant-joined = Someone joined a meeting: the Slack Call shows them.
privacy-zoom-event-participant-left = Someone left a meeting: the Slack Call updates its list.
privacy-zoom-event-meeting-ended = A meeting ended: the Slack Call ends and the meeting summary is posted.
privacy-zoom-event-recording-completed = A cloud recording is ready: the link to the recording is posted.
privacy-zoom-event-transcript-completed = A recording's transcript is ready: the recording notification is updated.
privacy-zoom-event-summary-completed = A Zoom AI Companion summary is ready: it is posted.
privacy-zoom-event-whiteboard-shared = A whiteboard was shared with you: you get a direct message.
privacy-zoom-event-whiteboard-sharing-updated = Your access to a whiteboard changed: you get a direct message.
privacy-zoom-event-whiteboard-deleted = A whiteboard was deleted: its links no longer show its name.
privacy-zoom-event-phone-caller-ended = A call you made ended: you get a direct message.
privacy-zoom-event-phone-callee-ended = A call you received ended: you get a direct message.
privacy-zoom-event-phone-callee-missed = You missed a call: you get a direct message with a Call back button.
privacy-zoom-event-phone-recording-completed = A call recording is ready: you get a direct message.
privacy-zoom-unannounced = Events about meetings that were not announced with zlack are acknowledged and not used.
privacy-stores-heading = What zlack stores
privacy-stores-body = zlack keeps this in its database, and sends it only to Slack and Zoom:
privacy-store-tokens = Slack and Zoom access tokens, sealed with AES-256-GCM under this server's encryption key. They never appear in logs.
privacy-store-links = Which Zoom user each Slack user connected, and their personal meeting link (sealed).
privacy-store-organization = Which Zoom account serves the workspace, the Zoom admin who connected it (their Zoom user ID and email address, sealed) and the Slack user who connected it, so that a switch to another account is confirmed and they are told.
privacy-store-settings = Your { -command } config choices and your workspace's settings.
privacy-store-profiles = Cached Slack profiles: display name, language and time zone.
privacy-store-meetings = Meetings announced in Slack: topic, join link, conversation and Slack Call; for each time a meeting ran, who took part and when (sealed), and which notifications were sent.
privacy-store-phone = Zoom Phone notifications: the other party, direction and times of your calls (sealed).
privacy-store-whiteboards = Whiteboard shares: who was told about which whiteboard, and which whiteboards Zoom reported deleted.
privacy-store-inbox = Requests from Slack and Zoom and the work they cause (sealed), so that each is handled exactly once.
privacy-store-audit = An audit log of installs, uninstalls, connections, disconnections and deletions: who, what and when; never a token.
privacy-retention-heading = How long zlack keeps it
privacy-retention-meetings = Meetings with their notifications, Zoom Phone notifications, whiteboard shares and cached Slack profiles are deleted { $days ->
    [one] { $days } day
   *[other] { $days } days
} after their last change (Zoom Phone notifications, whiteboard shares and profiles after they were made), by a cleanup that runs every day.
privacy-retention-inbox = Requests and the work they caused are deleted { $days ->
    [one] { $days } day
   *[other] { $days } days
} after they were handled; work that failed for good stays, sealed, until the people who run this server retry or remove it.
privacy-retention-kept = Tokens, Zoom connections and settings are kept while the app is installed and connected, until they are deleted as described below.
privacy-retention-audit = The audit log is kept: the cleanup does not delete it. It holds IDs, actions and counts, no meeting content and no tokens.
privacy-delete-heading = How to delete it
privacy-delete-logout = Type { -command } logout in Slack: zlack revokes its access at Zoom and deletes your Zoom tokens and the connection to your Zoom account.
privacy-delete-slack = Uninstall the app from your Slack workspace: zlack deletes the workspace's install and tokens, its people's Zoom connections, settings and profiles, and its meetings and notifications. Requests still being handled are deleted with the cleanup above, and the audit log keeps its record.
privacy-delete-zoom = Remove the app from your Zoom account: when Zoom tells zlack (app_deauthorized, which Zoom sends for published apps), zlack deletes your Zoom tokens and connections, the meetings you announced, and your phone and whiteboard notifications. Otherwise type { -command } logout, or ask the people who run this server.
privacy-delete-operator = Ask the people who run this server: they can delete everything zlack keeps about a workspace or a Zoom user at once, with zlack purge --team or zlack purge --zoom-user.
privacy-delete-audit = Each deletion is recorded in the audit log.

## Finding a Slack user's Zoom user by email (server-to-server mode)

error-no-slack-email = zlack finds your Zoom account by the email address in your Slack profile, but Slack shows it none. Ask the person who runs zlack to map you to your Zoom user with zlack map-user.
error-no-zoom-user = Your organization's Zoom account has no user with the email address { $email }. Ask your Zoom admin to add you, or the person who runs zlack to map you to your Zoom user with zlack map-user.
error-zoom-user-inactive = The Zoom user with the email address { $email } is deactivated. Ask your Zoom admin to activate it.
error-zoom-credentials = Zoom refused this zlack server's credentials, so it cannot reach Zoom for anyone right now. Ask the person who runs zlack to run zlack doctor.
error-organization-not-connected = No Zoom admin has connected Zoom for this Slack workspace yet. Ask your Zoom admin to open { $url } and choose Install for the whole organization.

## Organization mode pages

page-org-needs-admin-title = Ask your Zoom admin
page-org-needs-admin-body = Installing Zoom for Slack for the whole organization needs Zoom admin rights, which your Zoom account does not have. Ask your Zoom admin to install it; nothing was changed.
page-org-connected-title = Connected to Slack
page-org-connected-body = Zoom is connected for the whole organization in this Slack workspace. Everyone there can type { -command }: zlack finds their Zoom user by the email address of their Slack profile. You can close this tab.
page-org-not-configured-title = Not available on this server
page-org-not-configured-body = This zlack server is not set up to be installed for the whole organization. Whoever runs it can set ZLACK_ZOOM_MODE=organization.
page-org-choose-title = Connect to Slack workspace
page-org-choose-body = Zoom is authorized for your organization's account. Choose the Slack workspace whose people should use it. People who connected their own Zoom account there keep their meetings and settings; their personal authorizations are removed.
page-org-choose-legend = Slack workspace
page-org-choose-button = Connect to Slack workspace
page-org-choose-none = zlack is not in any Slack workspace yet. Add it to Slack first, then connect Zoom again.
page-org-add-to-slack = Add to Slack

## The landing page (GET /)

landing-title = Zoom for Slack
landing-heading = zlack
landing-intro = Zoom meetings and calls from Slack, on your own server.
landing-setup-heading = Setup
landing-setup-complete = Everything zlack needs is configured.
landing-setup-missing = zlack is running, but these settings are still missing:
landing-setup-fix = Set them in the environment or in zlack.toml, then restart zlack. zlack manifest prints the Slack app manifest for this server, and zlack doctor checks the whole setup.
landing-why-slack-signing-secret = verifies requests from Slack
landing-why-slack-client = installs zlack into a Slack workspace
landing-why-zoom-webhook-secret = verifies webhooks from Zoom
landing-why-zoom-client = connects Slack users to Zoom
landing-why-zoom-account-id = names the Zoom account for server-to-server mode
landing-link-unavailable = Not available until the missing settings above are set.
landing-add-to-slack = Add to Slack
landing-add-to-my-slack-account = Add to my Slack account
landing-connect-zoom-organization = Connect Zoom for the organization
landing-slack-step = Adds the Zoom app to your Slack workspace. Skip this if the workspace already has it.
landing-organization-heading = Install for the whole organization
landing-organization-intro = A Zoom admin connects Zoom once for the whole Zoom account. Everyone in the connected Slack workspace then types { -command } without authorizing anything: zlack finds their Zoom user by the email address of their Slack profile.
landing-organization-zoom-step = A Zoom admin must do this. Next, they choose the Slack workspace and click Connect to Slack workspace.
landing-organization-needs-mode = Installing for the whole organization needs ZLACK_ZOOM_MODE=organization (or server-to-server), set by the person who runs zlack.
landing-server-to-server-intro = This server uses your organization's own Zoom app: everyone's Zoom user is found by the email address of their Slack profile, so nobody needs to authorize Zoom.
landing-server-to-server-slack-step = Adds the Zoom app to your Slack workspace. Then type { -command } in Slack.
landing-personal-heading = Add only to my Slack account
landing-personal-intro = Each person connects their own Zoom account (a personal installation).
landing-personal-zoom-step = Type { -command } in Slack and authorize Zoom once (a one-time authorization).
landing-personal-not-here = This server connects Zoom for the whole organization, so there is nothing personal to add.
landing-server-heading = This server
landing-server-url = Public URL
landing-server-database = Database
landing-server-zoom-mode = Zoom mode
landing-server-slack-delivery = How Slack reaches this server
landing-slack-socket-mode = Socket Mode (this server connects to Slack)
landing-slack-request-urls = Request URLs (Slack connects to this server)
landing-server-zoom-events = How Zoom's events arrive
landing-zoom-events-websocket = WebSocket (this server connects to Zoom)
landing-zoom-events-webhook = Webhook (Zoom connects to this server)
landing-privacy = How your data is used
page-org-start-title = Start with Add to Slack
page-org-start-body = Zoom is connected for the whole organization from the page that follows Add to Slack, so that it is connected to the workspace you just added. Open zlack's page, choose Add to Slack, and continue from there.
page-org-next-title = Next: connect Zoom for the whole organization
page-org-next-body = A Zoom admin of your organization now connects Zoom for this workspace (the link works for an hour). The link first asks who you are in Slack: you, or an admin of this Slack workspace, can finish it, signing in to Zoom as a Zoom admin. After that, everyone here can type { -command }.
page-org-connect-link = Connect Zoom for the organization
landing-organization-slack-step = Adds the Zoom app to your Slack workspace (also when it already has it). On the page that follows, a Zoom admin connects Zoom for the whole organization.
config-whiteboards-title = Whiteboard link previews (whole workspace)
config-whiteboards-body = Where a pasted Zoom Whiteboard link shows the board's name, owner, last change and preview, when the person who pasted it can open the board. Elsewhere it shows as a plain link. Only workspace admins see and change this.
config-whiteboards-everywhere = Wherever it is pasted
config-whiteboards-private = Only in private conversations
config-whiteboards-nowhere = Nowhere
unfurl-whiteboard-access-invited = Only people invited to this whiteboard can open it.
unfurl-whiteboard-access-account = Only people in this whiteboard's Zoom account can open it.
