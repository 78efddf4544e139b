# `/zoom schedule`: scheduled meetings, their cards, reminders and calendar files.

# A Slack date token's format: each reader sees it in their own time zone.
schedule-slack-date = {"{"}date_short_pretty{"}"} kl. {"{"}time{"}"}
schedule-weekday = { $day ->
    [1] mån
    [2] tis
    [3] ons
    [4] tors
    [5] fre
    [6] lör
   *[7] sön
}
schedule-date = { $weekday } { $day } { $month } { $year }
schedule-date-time = { $weekday } { $day } { $month } { $year } kl. { $time }

schedule-card-when = :calendar: { $time } · { $duration }
schedule-card-fallback = { $host } schemalade ett Zoom-möte: { $topic }, { $time } { $url }
schedule-card-cancelled = Mötet ({ $time }) har ställts in i Zoom.
schedule-card-cancelled-fallback = Inställt i Zoom: { $topic }, { $time }
schedule-calendar-button = Lägg till i kalendern

schedule-reminder = :alarm_clock: *{ $topic }* börjar { $time }.
schedule-reminder-fallback = Börjar snart: { $topic }, { $time } { $url }
schedule-reminder-cancelled = :no_entry_sign: *{ $topic }* har ställts in i Zoom.

schedule-usage = Schemalägg ett Zoom-möte: skriv när det börjar, om du vill dess varaktighet, och sedan ämnet. Tiden läses i din tidszon i Slack.
schedule-examples-title = *Exempel*
schedule-examples =
    i morgon kl 10 Veckomöte
    fre 14.30 45m Designgenomgång
    2026-12-24 kl 9 1h30m Julfika
    om 10 minuter Snabb avstämning

schedule-error-no-when = zlack kunde inte avgöra när mötet börjar. Börja med en dag och en tid, eller ”om 10 minuter”.
schedule-error-no-time = Dagen saknar en tid. Lägg till en, till exempel kl. 10 eller 10.00.
schedule-error-bare-hour = Ett tal ensamt kan vara en tid, en varaktighet eller en del av ämnet. Skriv tiden som kl. 10 eller 10.00.
schedule-error-ambiguous-date = Ett datum som 3/4 kan läsas som 3 april eller 4 mars beroende på vem som skrev det. Skriv 2026-04-03 eller ”3 apr” i stället.
schedule-error-no-such-date = Det datumet eller den tiden finns inte. Kontrollera dag, månad och tid.
schedule-error-skipped = Den tiden finns inte i { $zone }: klockan hoppar över den den natten. Välj en tid utanför omställningen.
schedule-error-repeated = Den tiden inträffar två gånger i { $zone } när klockan ställs tillbaka den natten. Välj en tid utanför omställningen.
schedule-error-past = Den tiden har redan passerat i { $zone }. Välj en tid framåt.
schedule-error-duration = Ett möte pågår från 1 minut till 24 timmar.

schedule-reading-title = *Så läste zlack det*
schedule-reading-in = Börjar om: { $duration }
schedule-reading-day = Dag: { $day }
schedule-reading-time = Tid: { $time } ({ $zone })
schedule-reading-duration = Varaktighet: { $duration }
schedule-reading-default-duration = { $duration } (standard)
schedule-reading-topic = Ämne: { $topic }
schedule-reading-none = –

schedule-conversation-refused = zlack schemalade inte mötet: det meddelas bara i en kanal som du är medlem i och som zlack kan läsa, och { $channel } är inte en sådan kanal. Välj en kanal du är med i, eller skriv `{ -command } schedule` med tiden i själva konversationen.
schedule-zone-unknown = Din tidszon i Slack är okänd, så zlack läste tiden i UTC: { $time }. Ange din tidszon i din Slack-profil för att schemalägga i din egen.

help-schedule-usage = { -command } schedule <när> [varaktighet] [ämne]
help-schedule = Schemalägg ett möte, till exempel ”i morgon kl 10 Veckomöte”

schedule-privacy-event-meeting-updated = Ett möte har ändrats i Zoom: kortet och påminnelsen för ett möte som schemalagts med { -command } schedule följer den nya tiden och ämnet.
schedule-privacy-event-meeting-deleted = Ett möte har raderats i Zoom: kortet för ett möte som schemalagts med { -command } schedule visar att det är inställt, och ingen påminnelse läggs upp.

schedule-modal-title = Schemalägg ett möte
schedule-modal-submit = Schemalägg
schedule-modal-close = Avbryt
schedule-modal-topic = Ämne
schedule-modal-topic-placeholder = Veckomöte
schedule-modal-date = Datum
schedule-modal-time = Tid
schedule-modal-duration = Varaktighet
schedule-modal-zone = Tidszon
schedule-modal-conversation = Lägg upp i
schedule-modal-error-missing = Fyll i det här.
schedule-modal-error-choice = Välj ett av alternativen.
