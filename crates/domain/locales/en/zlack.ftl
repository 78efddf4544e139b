# zlack: English messages.
# Messages are plain text: the renderer escapes &, < and > for Slack and adds
# the bold and code formatting, so write them as a user should read them.
# Every message here must exist in sv/zlack.ftl with the same variables.

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
authorize-body = To start meetings with /zoom, authorize Zoom once. The button is only for you.
authorize-button = Authorize Zoom
authorize-fallback = Authorize Zoom to use /zoom: { $url }
reconnect-title = Your Zoom connection stopped working
reconnect-body = Zoom no longer accepts this app's access to your account, so /zoom cannot start meetings for you. Authorize Zoom again to continue.
reconnect-button = Reconnect Zoom
reconnect-fallback = Your Zoom connection stopped working. Reconnect: { $url }
connected = Zoom is connected.
connected-starting = Starting your meeting “{ $topic }”…
connected-starting-untitled = Starting your meeting…
logged-out = You are logged out of Zoom. The next /zoom asks you to authorize Zoom again.
logged-out-not-connected = You were not connected to Zoom, so there was nothing to log out of.

## /zoom help

help-title = How to use /zoom
help-unknown = Sorry, “{ $word }” is not a /zoom command.
help-start = Start an instant meeting here: in a channel, a direct message or a group chat
help-meeting-usage = /zoom meeting <topic>
help-meeting = Start an instant meeting with a topic
help-join-usage = /zoom join <meeting ID | join link | personal link name>
help-join = Post a join button for an existing meeting
help-join-me = Meet in your personal meeting ID
help-call-usage = /zoom call <@user | number>
help-call = Make a Zoom Phone call
help-config = Change your settings
help-logout = Log out of Zoom in Slack
help-help = Show this list

## /zoom config

config-title = Your Zoom settings
config-passcode-title = Passcode on meeting cards
config-passcode-body = Show the meeting passcode on the meeting cards in Slack. Everyone who sees a card can then join.
config-pmi-title = Personal meeting ID
config-pmi-body = Start /zoom meetings in your personal meeting ID instead of a new meeting ID.
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
error-not-installed = This app is not installed in your Slack workspace yet. Add it to Slack, then run /zoom again.
error-install-button = Add to Slack
error-response-expired = The request took too long and Slack no longer accepts the answer. Run /zoom again.
error-slow-personal-meeting = Zoom was slow to create a new meeting, so this call uses your personal meeting ID.
error-meeting-not-found = That meeting was not found. Check the meeting ID and try again.
error-invalid-join-target = That is not a meeting ID, a Zoom join link or a personal link name.
error-missing-argument = Something is missing after /zoom { $command }.
error-usage = Usage: { $usage }

## Browser pages

page-connected-title = Zoom is connected
page-connected-body = Zoom is connected. You can close this tab and return to Slack.
page-slack-installed-title = Added to Slack
page-slack-installed-body = The Zoom app is added to your Slack workspace. Type /zoom in any channel to start a meeting. You can close this tab.
page-state-invalid-title = Link expired
page-state-invalid-body = This link is invalid or has expired. Run /zoom again in Slack.
page-oauth-denied-title = Authorization cancelled
page-oauth-denied-body = You did not allow access, so nothing was changed. Run /zoom again in Slack if you change your mind.
page-zoom-error-title = Zoom could not connect
page-zoom-error-body = Zoom could not complete the authorization. Wait a moment, then run /zoom again in Slack.
page-slack-error-title = Slack could not install zlack
page-slack-error-body = Slack did not complete the installation. Start again from the zlack page, or ask a Slack admin to approve the app.

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
error-phone-invalid-number = “{ $typed }” is not a phone number or extension zlack can call. Type a number like +46 8 123 456 78, or mention someone: /zoom call @name
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
call-page-expired-body = The link is no longer valid. Type /zoom call again in Slack.
config-phone-title = Zoom Phone notifications
config-phone-body = Send me a direct message when my Zoom Phone calls end or are missed, and when a call recording is ready.
config-phone-off-by-workspace = Your workspace admins turned Zoom Phone notifications off for everyone.
config-workspace-phone-title = Zoom Phone notifications (whole workspace)
config-workspace-phone-body = Whether people get direct messages about their ended and missed Zoom Phone calls and call recordings. Only workspace admins see and change this.
