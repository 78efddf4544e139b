# `/zoom schedule`: scheduled meetings, their cards, reminders and calendar files.

# A Slack date token's format: each reader sees it in their own time zone.
schedule-slack-date = {"{"}date_short_pretty{"}"} at {"{"}time{"}"}
schedule-weekday = { $day ->
    [1] Mon
    [2] Tue
    [3] Wed
    [4] Thu
    [5] Fri
    [6] Sat
   *[7] Sun
}
schedule-date = { $weekday } { $day } { $month } { $year }
schedule-date-time = { $weekday } { $day } { $month } { $year }, { $time }

schedule-card-when = :calendar: { $time } · { $duration }
schedule-card-fallback = { $host } scheduled a Zoom meeting: { $topic }, { $time } { $url }
schedule-card-cancelled = This meeting ({ $time }) was cancelled in Zoom.
schedule-card-cancelled-fallback = Cancelled in Zoom: { $topic }, { $time }
schedule-calendar-button = Add to calendar

schedule-reminder = :alarm_clock: *{ $topic }* starts { $time }.
schedule-reminder-fallback = Starting soon: { $topic }, { $time } { $url }
schedule-reminder-cancelled = :no_entry_sign: *{ $topic }* was cancelled in Zoom.

schedule-usage = Schedule a Zoom meeting: write when it starts, optionally how long it lasts, then the topic. Times are read in your Slack time zone.
schedule-examples-title = *Examples*
schedule-examples =
    tomorrow 10:00 Weekly sync
    fri 14:30 45m Design review
    2026-12-24 09:00 1h30m Team breakfast
    in 10 minutes Quick check

schedule-error-no-when = zlack could not tell when the meeting starts. Begin with a day and a time, or “in 10 minutes”.
schedule-error-no-time = That day has no time. Add one, such as 10:00 or “at 10”.
schedule-error-bare-hour = A number alone could be a time, a length or part of the topic. Write the time as 10:00 or “at 10”.
schedule-error-ambiguous-date = A date such as 3/4 reads as 3 April or March 4 depending on who wrote it. Write 2026-04-03 or “3 apr” instead.
schedule-error-no-such-date = That date or time does not exist. Check the day, the month and the time.
schedule-error-skipped = That time does not exist in { $zone }: the clocks skip it that night. Pick a time outside the change.
schedule-error-repeated = That time happens twice in { $zone } as the clocks go back that night. Pick a time outside the change.
schedule-error-past = That time has already passed in { $zone }. Pick a time in the future.
schedule-error-duration = A meeting lasts from 1 minute to 24 hours.

schedule-reading-title = *How zlack read it*
schedule-reading-in = Starts in: { $duration }
schedule-reading-day = Day: { $day }
schedule-reading-time = Time: { $time } ({ $zone })
schedule-reading-duration = Length: { $duration }
schedule-reading-default-duration = { $duration } (default)
schedule-reading-topic = Topic: { $topic }
schedule-reading-none = –

schedule-conversation-refused = zlack did not schedule the meeting: it announces only in a channel you are a member of and zlack can read, and { $channel } is not such a channel. Pick a channel you are in, or type `{ -command } schedule` with the time in the conversation itself.
schedule-zone-unknown = Your Slack time zone is unknown, so zlack read the time in UTC: { $time }. Set your time zone in your Slack profile to schedule in your own.

help-schedule-usage = { -command } schedule <when> [length] [topic]
help-schedule = Schedule a meeting, such as “tomorrow 10:00 Weekly sync”

schedule-privacy-event-meeting-updated = A meeting changed in Zoom: the card and reminder of a meeting scheduled with { -command } schedule follow its new time and topic.
schedule-privacy-event-meeting-deleted = A meeting was deleted in Zoom: the card of a meeting scheduled with { -command } schedule says it was cancelled, and no reminder is posted.

schedule-modal-title = Schedule a meeting
schedule-modal-submit = Schedule
schedule-modal-close = Cancel
schedule-modal-topic = Topic
schedule-modal-topic-placeholder = Weekly sync
schedule-modal-date = Date
schedule-modal-time = Time
schedule-modal-duration = Duration
schedule-modal-zone = Time zone
schedule-modal-conversation = Announce in
schedule-modal-error-missing = Fill this in.
schedule-modal-error-choice = Pick one of the choices.
