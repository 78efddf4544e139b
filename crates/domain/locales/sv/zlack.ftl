# zlack: svenska meddelanden.
# Orden följer Zooms svenska hjälpartikel (se spec/swedish.md). Bara första
# ordet i en etikett har stor bokstav. Samma id:n och variabler som en/zlack.ftl.

## Möteskort (/zoom, /zoom meeting) och kort för /zoom join

meeting-untitled = Zoom-möte
meeting-host = Värd: { $host }
meeting-id = Mötes-ID: { $id }
meeting-passcode = Lösenkod: { $passcode }
meeting-starts = Börjar: { $time }
meeting-join-button = Gå med
meeting-started-fallback = { $host } startade ett Zoom-möte: { $topic } { $url }
meeting-scheduled-fallback = { $host } delade ett schemalagt Zoom-möte: { $topic }, { $time } { $url }
join-title = Gå med i Zoom-mötet
join-fallback = Gå med i Zoom-mötet: { $url }
# "Zoom-möte med …" undviker genitivproblemet (Jans, Lars', Alex's).
default-topic = Zoom-möte med { $name }

## Mötesaviseringar: mötessammanfattning, inspelning, sammanfattning från AI Companion

summary-ended = Mötet har avslutats.
summary-time = Tid: { $start } – { $end }
summary-duration = Varaktighet: { $duration }
summary-participants = Deltagare ({ $count })
summary-no-participants = Zoom rapporterade inga deltagare.
summary-fallback = Mötet ”{ $topic }” har avslutats. Varaktighet: { $duration }.
participant-unnamed = Gäst
recording-ready = Inspelningen är klar.
recording-files = Filer ({ $count })
recording-open-button = Öppna inspelningen
recording-fallback = Inspelningen av ”{ $topic }” är klar: { $url }
recording-kind = { $kind ->
    [shared_screen_with_speaker_view] Delad skärm med talarvy
    [shared_screen_with_gallery_view] Delad skärm med gallerivy
    [shared_screen] Delad skärm
    [speaker_view] Talarvy
    [gallery_view] Gallerivy
    [active_speaker] Aktiv talare
    [audio_only] Endast ljud
    [audio_transcript] Avskrift
    [chat_file] Chatt
    [closed_caption] Undertexter
    [timeline] Tidslinje
   *[other] Annan fil
}
ai-summary-of = Mötessammanfattning av ”{ $topic }” från Zoom AI Companion
ai-summary-next-steps = Nästa steg
ai-summary-fallback = Mötessammanfattning av ”{ $topic }” från Zoom AI Companion: { $title }
host-dm-where = Det här gäller ditt möte i { $conversation }.
host-dm-add-app = Appen får inte skriva där. Lägg till { $app } i konversationen, till exempel med /invite { $app }, så kommer aviseringarna dit nästa gång.
conversation-dm = ditt direktmeddelande med { $user }
conversation-group-dm = en gruppchatt med { $users }
conversation-some-dm = ett direktmeddelande
conversation-some-group-dm = en gruppchatt

## Datum, tider och listor i mötesaviseringar

date-month = { $month ->
    [1] jan.
    [2] feb.
    [3] mars
    [4] apr.
    [5] maj
    [6] juni
    [7] juli
    [8] aug.
    [9] sep.
    [10] okt.
    [11] nov.
   *[12] dec.
}
# 27 nov. 2026 16:00
date-time = { $day } { $month } { $year } { $time }
duration-seconds = { $seconds } s
duration-minutes = { $minutes } min
duration-hours = { $hours } tim
duration-hours-minutes = { $hours } tim { $minutes } min
list-more = och { $count } till

## Koppla Zoom

authorize-title = Koppla ditt Zoom-konto
authorize-body = För att starta möten med /zoom behöver du auktorisera Zoom en gång. Knappen är bara till dig.
authorize-button = Auktorisera Zoom
authorize-fallback = Auktorisera Zoom för att använda /zoom: { $url }
reconnect-title = Kopplingen till Zoom slutade fungera
reconnect-body = Zoom godtar inte längre appens åtkomst till ditt konto, så /zoom kan inte starta möten åt dig. Auktorisera Zoom igen för att fortsätta.
reconnect-button = Auktorisera Zoom igen
reconnect-fallback = Kopplingen till Zoom slutade fungera. Auktorisera igen: { $url }
connected = Zoom är kopplat.
connected-starting = Startar ditt möte ”{ $topic }” …
connected-starting-untitled = Startar ditt möte …
logged-out = Du är utloggad från Zoom. Nästa gång du använder /zoom får du auktorisera Zoom igen.
logged-out-not-connected = Du var inte inloggad på Zoom, så det fanns inget att logga ut från.

## /zoom help

help-title = Så använder du /zoom
help-unknown = ”{ $word }” är inget /zoom-kommando.
help-start = Starta ett direktmöte här: i en kanal, ett direktmeddelande eller en gruppchatt
help-meeting-usage = /zoom meeting <ämne>
help-meeting = Starta ett direktmöte med ett ämne
help-join-usage = /zoom join <mötes-ID | möteslänk | namn på personlig länk>
help-join = Lägg upp en knapp för att gå med i ett befintligt möte
help-join-me = Starta ett möte i ditt personliga mötes-ID
help-call-usage = /zoom call <@användare | nummer>
help-call = Ring ett Zoom Phone-samtal
help-config = Ändra dina inställningar
help-logout = Logga ut från Zoom i Slack
help-help = Visa den här listan

## /zoom config

config-title = Dina Zoom-inställningar
config-passcode-title = Lösenkod på möteskort
config-passcode-body = Visa mötets lösenkod på möteskorten i Slack. Alla som ser ett kort kan då gå med.
config-pmi-title = Personligt mötes-ID
config-pmi-body = Starta /zoom-möten i ditt personliga mötes-ID i stället för i ett nytt mötes-ID.
config-lang-title = Språk
config-lang-body = Språket i meddelandena du får från appen.
config-current = Nu: { $value }
config-on = På
config-off = Av
config-lang-auto = Automatiskt (från Slack)
config-lang-en = English
config-lang-sv = Svenska
config-fallback = Dina Zoom-inställningar: lösenkod { $passcode }, personligt mötes-ID { $pmi }, språk { $language }
config-recordings-title = Länkar till inspelningen och AI-sammanfattningar (hela arbetsytan)
config-recordings-body = Vart länken till inspelningen och sammanfattningen från Zoom AI Companion för möten som visats i Slack skickas. Bara arbetsytans administratörer ser och ändrar detta.
config-recordings-conversation = I konversationen
config-recordings-host = Bara till värden
config-recordings-nowhere = Ingenstans

## Fel

error-daily-limit = Du har nått Zooms gräns på 100 möten som skapas eller ändras per dag. Gränsen nollställs kl. 00:00 UTC.
error-zoom-unavailable = Zoom svarar inte just nu. Försök igen om en stund.
error-account-deactivated = Ditt Zoom-konto är inaktiverat, så inga möten kan startas. Kontakta din Zoom-administratör.
error-not-installed = Appen är inte installerad i ditt Slack Workspace än. Lägg till den i Slack och kör sedan /zoom igen.
error-install-button = Lägg till i Slack
error-response-expired = Det tog för lång tid, och Slack tar inte längre emot svaret. Kör /zoom igen.
error-phone-not-enabled = Zoom Phone-samtal är inte aktiverade på den här servern än.
error-meeting-not-found = Mötet hittades inte. Kontrollera mötes-ID:t och försök igen.
error-invalid-join-target = Det är inte ett mötes-ID, en Zoom-länk eller ett namn på en personlig länk.
error-missing-argument = Det saknas något efter /zoom { $command }.
error-usage = Användning: { $usage }

## Webbsidor

page-connected-title = Zoom är kopplat
page-connected-body = Zoom är kopplat. Du kan stänga den här fliken och gå tillbaka till Slack.
page-slack-installed-title = Tillagd i Slack
page-slack-installed-body = Zoom-appen för Slack är tillagd i ditt Slack Workspace. Skriv /zoom i valfri kanal för att starta ett möte. Du kan stänga den här fliken.
page-state-invalid-title = Länken har gått ut
page-state-invalid-body = Länken är ogiltig eller har gått ut. Kör /zoom igen i Slack.
page-oauth-denied-title = Auktoriseringen avbröts
page-oauth-denied-body = Du tillät inte åtkomst, så inget har ändrats. Kör /zoom igen i Slack om du ändrar dig.
page-zoom-error-title = Zoom kunde inte kopplas
page-zoom-error-body = Zoom kunde inte slutföra auktoriseringen. Vänta en stund och kör sedan /zoom igen i Slack.
page-slack-error-title = Slack kunde inte installera zlack
page-slack-error-body = Slack slutförde inte installationen. Börja om från zlack-sidan, eller be en Slack-administratör att godkänna appen.

## Link unfurls

unfurl-whiteboard = Zoom Whiteboard
unfurl-whiteboard-owner = Ägare: { $owner }
unfurl-whiteboard-modified = Senast ändrad av { $who }, { $when }
unfurl-whiteboard-modified-when = Senast ändrad { $when }
unfurl-whiteboard-open = Öppna whiteboard
unfurl-whiteboard-preview-alt = Förhandstitt på whiteboarden
unfurl-connect = Anslut ditt Zoom-konto för att se en förhandstitt på whiteboards här.
unfurl-connect-button = Anslut Zoom för förhandstitt
unfurl-meeting-live = Pågår nu
unfurl-meeting-scheduled = Schemalagt: { $when }
unfurl-meeting-waiting = Har inte börjat än
unfurl-meeting-ended = Mötet har avslutats.
unfurl-recording = Molninspelning · { $duration }
whiteboard-someone = Någon
whiteboard-shared = { $by } delade whiteboarden ”{ $name }” med dig.
whiteboard-shared-role = { $by } delade whiteboarden ”{ $name }” med dig som { $role }.
whiteboard-role = { $role ->
    [owner] ägare
    [co_owner] delägare
    [editor] redigerare
    [commenter] kommentator
   *[viewer] läsare
}
