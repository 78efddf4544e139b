# zlack: svenska meddelanden.
# Orden följer Zooms svenska hjälpartikel (se spec/swedish.md). Bara första
# ordet i en etikett har stor bokstav. Samma id:n och variabler som en/zlack.ftl.

# Snedstreckskommandot som zlack svarar på. ZLACK_SLASH_COMMAND ersätter termen
# vid start: skriv { -command } där ett meddelande nämner kommandot.
-command = /zoom

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
authorize-body = För att starta möten med { -command } behöver du auktorisera Zoom en gång. Knappen är bara till dig.
authorize-button = Auktorisera Zoom
authorize-fallback = Auktorisera Zoom för att använda { -command }: { $url }
reconnect-title = Kopplingen till Zoom slutade fungera
reconnect-body = Zoom godtar inte längre appens åtkomst till ditt konto, så { -command } kan inte starta möten åt dig. Auktorisera Zoom igen för att fortsätta.
reconnect-button = Auktorisera Zoom igen
reconnect-fallback = Kopplingen till Zoom slutade fungera. Auktorisera igen: { $url }
connected = Zoom är kopplat.
connected-starting = Startar ditt möte ”{ $topic }” …
connected-starting-untitled = Startar ditt möte …
logged-out = Du är utloggad från Zoom. Nästa gång du använder { -command } får du auktorisera Zoom igen.
logged-out-not-connected = Du var inte inloggad på Zoom, så det fanns inget att logga ut från.
zoom-connected-dm = Zoom-kontot { $account } kopplades till ditt Slack-konto. Om det inte var du skriver du { -command } logout för att koppla från det.

## /zoom help

help-title = Så använder du { -command }
help-unknown = ”{ $word }” är inget { -command }-kommando.
help-start = Starta ett direktmöte här: i en kanal, ett direktmeddelande eller en gruppchatt
help-meeting-usage = { -command } meeting <ämne>
help-meeting = Starta ett direktmöte med ett ämne
help-join-usage = { -command } join <mötes-ID | möteslänk | namn på personlig länk>
help-join = Lägg upp en knapp för att gå med i ett befintligt möte
help-join-me = Starta ett möte i ditt personliga mötes-ID
help-call-usage = { -command } call <@användare | nummer>
help-call = Ring ett Zoom Phone-samtal
help-config = Ändra dina inställningar
help-logout = Logga ut från Zoom i Slack
help-help = Visa den här listan

## /zoom config

config-title = Dina Zoom-inställningar
config-passcode-title = Lösenkod på möteskort
config-passcode-body = Visa mötets lösenkod på möteskorten i Slack. Alla som ser ett kort kan då gå med.
config-pmi-title = Personligt mötes-ID
config-pmi-body = Starta { -command }-möten i ditt personliga mötes-ID i stället för i ett nytt mötes-ID.
config-lang-title = Språk
config-lang-body = Språket i meddelandena du får från appen.
config-current = Nu: { $value }
config-on = På
config-off = Av
config-lang-auto = Automatiskt (från Slack)
config-lang-en = English
config-lang-sv = Svenska
config-fallback = Dina Zoom-inställningar: lösenkod { $passcode }, personligt mötes-ID { $pmi }, språk { $language }, aviseringar från Zoom Phone { $phone }
config-recordings-title = Länkar till inspelningen och AI-sammanfattningar (hela arbetsytan)
config-recordings-body = Vart länken till inspelningen och sammanfattningen från Zoom AI Companion för möten som visats i Slack skickas. Bara arbetsytans administratörer ser och ändrar detta.
config-recordings-conversation = I konversationen
config-recordings-host = Bara till värden
config-recordings-nowhere = Ingenstans

## Fel

error-daily-limit = Du har nått Zooms gräns på 100 möten som skapas eller ändras per dag. Gränsen nollställs kl. 00:00 UTC.
error-zoom-unavailable = Zoom svarar inte just nu. Försök igen om en stund.
error-account-deactivated = Ditt Zoom-konto är inaktiverat, så inga möten kan startas. Kontakta din Zoom-administratör.
error-not-installed = Appen är inte installerad i ditt Slack Workspace än. Lägg till den i Slack och kör sedan { -command } igen.
error-install-button = Lägg till i Slack
error-response-expired = Det tog för lång tid, och Slack tar inte längre emot svaret. Kör { -command } igen.
error-slow-personal-meeting = Zoom var långsamt med att skapa ett nytt möte, så samtalet använder ditt personliga mötes-ID.
error-meeting-not-found = Mötet hittades inte. Kontrollera mötes-ID:t och försök igen.
error-invalid-join-target = Det är inte ett mötes-ID, en Zoom-länk eller ett namn på en personlig länk.
error-missing-argument = Det saknas något efter { -command } { $command }.
error-usage = Användning: { $usage }

## Webbsidor

page-connected-title = Zoom är kopplat
page-connected-body = Zoom är kopplat. Du kan stänga den här fliken och gå tillbaka till Slack.
page-slack-installed-title = Tillagd i Slack
page-slack-installed-body = Zoom-appen för Slack är tillagd i ditt Slack Workspace. Skriv { -command } i valfri kanal för att starta ett möte. Du kan stänga den här fliken.
page-state-invalid-title = Länken har gått ut
page-state-invalid-body = Länken är ogiltig eller har gått ut. Kör { -command } igen i Slack.
page-oauth-denied-title = Auktoriseringen avbröts
page-oauth-denied-body = Du tillät inte åtkomst, så inget har ändrats. Kör { -command } igen i Slack om du ändrar dig.
page-zoom-error-title = Zoom kunde inte kopplas
page-zoom-error-body = Zoom kunde inte slutföra auktoriseringen. Vänta en stund och kör sedan { -command } igen i Slack.
page-slack-error-title = Slack kunde inte installera zlack
page-slack-error-body = Slack slutförde inte installationen. Börja om från zlack-sidan, eller be en Slack-administratör att godkänna appen.
page-someone-else-title = Länken är till någon annan
page-someone-else-body = Du loggade in i Slack som en annan person än den som länken skapades för, så inget har kopplats. Skriv { -command } i Slack själv för att koppla ditt eget Zoom-konto.
page-org-not-allowed-title = Fråga en administratör för arbetsytan
page-org-not-allowed-body = Bara den som lade till zlack i den här Slack-arbetsytan, eller en administratör för arbetsytan, kan koppla Zoom för hela organisationen. Inget har ändrats.
page-zoom-taken-title = Zoom-kontot är redan kopplat
page-zoom-taken-body = Det här Zoom-kontot är redan kopplat till en annan Slack-användare i den här arbetsytan, så det kopplades inte till ditt. Den personen kan koppla från det med { -command } logout; försök sedan igen.
page-sign-in-failed-title = Slack kunde inte logga in dig
page-sign-in-failed-body = Slack bekräftade inte vem du är, så inget har kopplats. Vänta en stund och kör sedan { -command } igen i Slack.
page-org-switch-title = Byta till ett annat Zoom-konto?
page-org-switch-intro = Den här Slack-arbetsytan är redan kopplad till ett Zoom-konto. Du loggade in som administratör för arbetsytan, så du kan byta till Zoom-kontot som just auktoriserades eller behålla det nuvarande.
page-org-switch-current = Kopplat nu: Zoom-kontot { $account }, kopplat av { $admin }
page-org-switch-proposed = Byts till: Zoom-kontot { $account }, auktoriserat av { $admin }
page-org-switch-consequences = Vid bytet tas zlacks auktorisering av det nuvarande kontot bort (om ingen annan arbetsyta använder det), och alla här hittas på nytt via sin e-postadress i det nya kontot. Den som kopplade det nuvarande kontot får veta det i Slack. Inget ändras förrän du väljer; sidan fungerar i tio minuter.
page-org-switch-button = Byt till det nya kontot
page-org-switch-keep = Behåll det nuvarande kontot
page-org-switch-refused-title = Redan kopplad till ett annat Zoom-konto
page-org-switch-refused-body = Den här Slack-arbetsytan är redan kopplad till ett annat Zoom-konto. Bara Zoom-administratören som kopplade den, eller en administratör för Slack-arbetsytan som bekräftar, kan byta till ett annat konto. Inget har ändrats.
page-org-switched-title = Bytt till det nya Zoom-kontot
page-org-switched-body = Den här Slack-arbetsytan använder nu Zoom-kontot som just auktoriserades. Den som kopplade det tidigare kontot får veta det i Slack, om zlack vet vem det var. Du kan stänga fliken.
page-org-switch-kept-title = Inget har ändrats
page-org-switch-kept-body = Den här Slack-arbetsytan behåller sitt nuvarande Zoom-konto. Du kan stänga fliken.
org-switched-dm = Zoom för den här Slack-arbetsytan byttes från Zoom-kontot du kopplade ({ $from }) till ett annat Zoom-konto ({ $to }) av { $by }. Alla här använder nu det nya kontot, och zlack använder inte längre det gamla här. Om det inte var meningen, prata med en administratör för arbetsytan.

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

## Zoom Phone

phone-call-prompt-user = Ring { $who } på { $number } med Zoom Phone.
phone-call-prompt-number = Ring { $number } med Zoom Phone.
phone-call-source-zoom = Numret är hens Zoom Phone-nummer.
phone-call-source-profile = Numret kommer från hens Slack-profil.
phone-call-note = Knappen öppnar en sida som startar samtalet i Zoom-appen. På Android kopierar du numret där i stället.
phone-call-button = Ring med Zoom Phone
phone-unknown-party = ett okänt nummer
phone-ended-outbound = Ditt samtal till { $who } har avslutats.
phone-ended-inbound = Ditt samtal från { $who } har avslutats.
phone-not-answered = Ditt samtal till { $who } besvarades inte.
phone-missed = Missat samtal från { $who }.
phone-started = Start: { $when }
phone-duration = Varaktighet: { $duration }
phone-call-back = Ring upp
phone-recording-outbound = Inspelningen av ditt samtal till { $who } är klar.
phone-recording-inbound = Inspelningen av ditt samtal från { $who } är klar.
phone-recording-open = Öppna inspelningen
phone-recording-where = Du hittar den också i Zoom-appen under Telefon → Inspelningar.
error-phone-unavailable = Zoom Phone är inte aktiverat för ditt Zoom-konto, så zlack kan inte ringa åt dig. Be din Zoom-administratör om en Zoom Phone-licens.
error-phone-no-number = { $who } har inget Zoom Phone-nummer och inget telefonnummer i sin Slack-profil.
error-phone-invalid-number = ”{ $typed }” är inget telefonnummer eller anknytningsnummer som zlack kan ringa. Skriv ett nummer som +46 8 123 456 78, eller nämn någon: { -command } call @namn
error-phone-needs-country = Lägg till landsnumret, till exempel +46 8 123 456 78: zlack vet inte vilket land du ringer från.
error-phone-restricted = zlack ringer inte nödnummer eller betalnummer. Ring dem från din egen telefon.
call-page-title = Ring med Zoom Phone
call-page-lead = Ringer { $number }
call-page-open-zoom = Öppna Zoom Phone
call-page-open-tel = Ring med en annan app
call-page-open-callto = Ring med en callto:-app
call-page-copy = Kopiera numret
call-page-copied = Kopierat.
call-page-number = Nummer
call-page-help = Om Zoom inte öppnades trycker du på ”Öppna Zoom Phone”. Zoom-appen måste vara installerad och inloggad med ett Zoom Phone-nummer.
call-page-android = På Android går det inte att starta Zoom från en länk: kopiera numret och ring det i Zoom-appen.
call-page-expired-title = Länken till samtalet har gått ut
call-page-expired-body = Länken gäller inte längre. Skriv { -command } call igen i Slack.
config-phone-title = Aviseringar från Zoom Phone
config-phone-body = Skicka ett direktmeddelande till mig när mina Zoom Phone-samtal avslutas eller missas, och när en samtalsinspelning är klar.
config-phone-off-by-workspace = Arbetsytans administratörer har stängt av aviseringar från Zoom Phone för alla.
config-workspace-phone-title = Aviseringar från Zoom Phone (hela arbetsytan)
config-workspace-phone-body = Om personer får direktmeddelanden om sina avslutade och missade Zoom Phone-samtal och samtalsinspelningar. Bara arbetsytans administratörer ser och ändrar detta.

## Sidan om hur data används (/privacy)

privacy-title = Hur dina data används
privacy-intro = zlack kopplar ihop Slack med Zoom. Appen körs på en server som drivs av din egen organisation, inte av Slack eller Zoom, och sparar sina data i den serverns databas. Den här sidan skapas utifrån de behörigheter och inställningar som servern faktiskt använder.
privacy-permissions = Behörigheter (scopes)
privacy-events = Händelser
privacy-purpose-unknown = Används av zlack; syftet är inte beskrivet än.
privacy-slack-heading = Vad zlack läser från Slack
privacy-slack-body = Slack skickar det du skriver efter { -command } till zlack, tillsammans med ditt användar-ID och konversationen du skrev i, vilka knappar du trycker på i zlacks meddelanden och de Zoom-länkar som klistras in, men inte resten av dina meddelanden.
privacy-slack-scope-commands = Lägger till kommandot { -command }.
privacy-slack-scope-chat-write = Lägger upp möteskort, mötessammanfattningar, länkar till inspelningar och andra aviseringar, och skickar direktmeddelanden från appen.
privacy-slack-scope-chat-write-public = Lägger upp möteskort i offentliga kanaler som appen inte har gått med i.
privacy-slack-scope-calls-write = Visar möten som samtal i Slack och håller deltagarlistan uppdaterad.
privacy-slack-scope-users-read = Läser personers namn, språk och tidszon, och telefonnumret i en Slack-profil för { -command } call @någon.
privacy-slack-scope-users-read-email = Hittar Slack-användaren med en Zoom-deltagares e-postadress, så att deltagaren visas som sig själv i samtalet i Slack.
privacy-slack-scope-links-read = Får veta när en Zoom-länk klistras in, för att visa en förhandstitt.
privacy-slack-scope-links-write = Visar förhandstittar för inklistrade Zoom-länkar.
privacy-slack-scope-channels-read = Tar reda på om en kanal är offentlig eller delas med andra organisationer, vilket avgör hur mycket en förhandstitt på en whiteboard visar där.
privacy-slack-scope-groups-read = Samma sak för privata kanaler: om en sådan delas med andra organisationer.
privacy-slack-scope-openid = Logga in med Slack innan en länk kopplar ett Zoom-konto: bekräftar att den som öppnade länken är den Slack-användare den skapades för. zlack läser bara ditt användar-ID och arbetsytans ID i Slack, och sparar inget.
privacy-slack-event-app-uninstalled = Appen har avinstallerats från en arbetsyta: zlack raderar allt den sparar om arbetsytan.
privacy-slack-event-tokens-revoked = Tokens har återkallats: zlack raderar dem.
privacy-slack-event-link-shared = En Zoom-länk har klistrats in: zlack visar en förhandstitt.
privacy-zoom-heading = Vad zlack läser från Zoom
privacy-zoom-body = zlack använder ditt Zoom-konto först när du har auktoriserat Zoom, och begär bara det som { -command } behöver. Zoom berättar sedan för zlack om möten, whiteboards och samtal för dem som har kopplat sina konton.
privacy-zoom-body-account = zlack når Zoom med organisationens egen Zoom-app, inte med en personlig auktorisering: den hittar din Zoom-användare via e-postadressen i din Slack-profil (eller som den som driver zlack har kopplat dig), och begär bara det som { -command } behöver. Zoom berättar sedan för zlack om möten, whiteboards och samtal för dem som använder zlack.
privacy-zoom-scope-user = Läser ditt användar-ID i Zoom, din e-postadress, tidszon och länken till ditt personliga möte.
privacy-zoom-scope-permissions = Läser behörigheterna hos Zoom-administratören som kopplar Zoom för organisationen, för att kontrollera att rollen tillåter det.
privacy-zoom-scope-meeting-write = Skapar de möten du startar eller schemalägger med { -command }.
privacy-zoom-scope-meeting-read = Läser ett möte som du lägger upp med { -command } join.
privacy-zoom-scope-past-participants = Tar reda på vilka som deltog i ett möte, för mötessammanfattningen.
privacy-zoom-scope-past-meeting = Läser när ett möte som lagts upp i Slack började och slutade, ifall Zooms händelse om det aldrig kom fram.
privacy-zoom-scope-past-instances = Listar de avslutade tillfällena av ett möte som lagts upp i Slack, ifall Zooms händelser om dem aldrig kom fram.
privacy-zoom-scope-summary = Läser mötessammanfattningen från Zoom AI Companion.
privacy-zoom-scope-recording-files = Läser filerna i en molninspelning, för länken till inspelningen.
privacy-zoom-scope-whiteboard = Läser en whiteboards namn, ägare, senaste ändring, förhandstitt och vilka dess länk öppnas för, för att visa inklistrade länkar till whiteboards. De visas i konversationen där länken klistrades in, bara när den som klistrade in den kan öppna whiteboarden och bara där arbetsytans administratörer tillåter det (som standard var den än klistras in).
privacy-zoom-scope-phone-user = Läser ditt Zoom Phone-nummer och land, för att ringa med { -command } call.
privacy-zoom-scope-phone-call = Läser dina Zoom Phone-samtal, för att berätta om avslutade och missade samtal.
privacy-zoom-scope-phone-recording = Läser dina samtalsinspelningar i Zoom Phone, för att berätta när en är klar.
privacy-zoom-event-meeting-started = Ett möte har startat: samtalet i Slack visar det.
privacy-zoom-event-participant-joined = Någon har gått med i ett möte: samtalet i Slack visar personen.
privacy-zoom-event-participant-left = Någon har lämnat ett möte: samtalet i Slack uppdaterar deltagarlistan.
privacy-zoom-event-meeting-ended = Ett möte har avslutats: samtalet i Slack avslutas och mötessammanfattningen läggs upp.
privacy-zoom-event-recording-completed = En molninspelning är klar: länken till inspelningen läggs upp.
privacy-zoom-event-transcript-completed = Avskriften av en inspelning är klar: aviseringen om inspelningen uppdateras.
privacy-zoom-event-summary-completed = En mötessammanfattning från Zoom AI Companion är klar: den läggs upp.
privacy-zoom-event-whiteboard-shared = En whiteboard har delats med dig: du får ett direktmeddelande.
privacy-zoom-event-whiteboard-sharing-updated = Din åtkomst till en whiteboard har ändrats: du får ett direktmeddelande.
privacy-zoom-event-whiteboard-deleted = En whiteboard har raderats: länkarna till den visar inte längre dess namn.
privacy-zoom-event-phone-caller-ended = Ett samtal du ringde har avslutats: du får ett direktmeddelande.
privacy-zoom-event-phone-callee-ended = Ett samtal du tog emot har avslutats: du får ett direktmeddelande.
privacy-zoom-event-phone-callee-missed = Du har missat ett samtal: du får ett direktmeddelande med knappen Ring upp.
privacy-zoom-event-phone-recording-completed = En samtalsinspelning är klar: du får ett direktmeddelande.
privacy-zoom-unannounced = Händelser om möten som inte har lagts upp med zlack tas emot men används inte.
privacy-stores-heading = Vad zlack sparar
privacy-stores-body = zlack sparar följande i sin databas och skickar det bara till Slack och Zoom:
privacy-store-tokens = Åtkomsttokens för Slack och Zoom, förseglade med AES-256-GCM med serverns krypteringsnyckel. De syns aldrig i loggar.
privacy-store-links = Vilken Zoom-användare varje Slack-användare har kopplat, och länken till personens personliga möte (förseglad).
privacy-store-organization = Vilket Zoom-konto som används i arbetsytan, Zoom-administratören som kopplade det (Zoom-användar-ID och e-postadress, förseglade) och Slack-användaren som kopplade det, så att ett byte till ett annat konto bekräftas och de får veta det.
privacy-store-settings = Dina val i { -command } config och arbetsytans inställningar.
privacy-store-profiles = Sparade kopior av Slack-profiler: visningsnamn, språk och tidszon.
privacy-store-meetings = Möten som lagts upp i Slack: ämne, länk för att gå med, konversation och samtal i Slack; för varje gång ett möte hölls, vilka som deltog och när (förseglat), och vilka aviseringar som skickades.
privacy-store-phone = Aviseringar från Zoom Phone: den andra parten, riktning och tider för dina samtal (förseglat).
privacy-store-whiteboards = Delade whiteboards: vem som har fått veta om vilken whiteboard, och vilka whiteboards Zoom har rapporterat som raderade.
privacy-store-inbox = Förfrågningar från Slack och Zoom och det arbete de ger upphov till (förseglat), så att varje förfrågan hanteras exakt en gång.
privacy-store-audit = En granskningslogg över installationer, avinstallationer, kopplingar, frånkopplingar och raderingar: vem, vad och när; aldrig några tokens.
privacy-retention-heading = Hur länge zlack sparar det
privacy-retention-meetings = Möten med sina aviseringar, aviseringar från Zoom Phone, delade whiteboards och sparade Slack-profiler raderas { $days ->
    [one] { $days } dag
   *[other] { $days } dagar
} efter att de senast ändrades (aviseringar från Zoom Phone, delade whiteboards och profiler efter att de skapades), av en rensning som körs varje dag.
privacy-retention-inbox = Förfrågningar och arbetet de gav upphov till raderas { $days ->
    [one] { $days } dag
   *[other] { $days } dagar
} efter att de hanterades; arbete som misslyckats för gott sparas, förseglat, tills de som driver servern försöker igen eller tar bort det.
privacy-retention-kept = Tokens, kopplingar till Zoom och inställningar sparas så länge appen är installerad och kopplad, tills de raderas på något av sätten nedan.
privacy-retention-audit = Granskningsloggen sparas: rensningen raderar den inte. Den innehåller id:n, händelser och antal, inget innehåll från möten och inga tokens.
privacy-delete-heading = Så raderar du dina data
privacy-delete-logout = Skriv { -command } logout i Slack: zlack återkallar sin åtkomst hos Zoom och raderar dina Zoom-tokens och kopplingen till ditt Zoom-konto.
privacy-delete-slack = Avinstallera appen från ditt Slack Workspace: zlack raderar arbetsytans installation och tokens, personernas kopplingar till Zoom, inställningar och profiler, och dess möten och aviseringar. Förfrågningar som fortfarande hanteras raderas av rensningen ovan, och granskningsloggen behåller sin post.
privacy-delete-zoom = Ta bort appen från ditt Zoom-konto: när Zoom meddelar zlack (app_deauthorized, som Zoom skickar för publicerade appar) raderar zlack dina Zoom-tokens och kopplingar, mötena du lagt upp och dina aviseringar om samtal och whiteboards. Annars skriver du { -command } logout, eller frågar dem som driver servern.
privacy-delete-operator = Fråga dem som driver den här servern: de kan radera allt zlack sparar om en arbetsyta eller en Zoom-användare på en gång, med zlack purge --team eller zlack purge --zoom-user.
privacy-delete-audit = Varje radering förs in i granskningsloggen.

## Finding a Slack user's Zoom user by email (server-to-server mode)

error-no-slack-email = zlack hittar ditt Zoom-konto via e-postadressen i din Slack-profil, men Slack visar ingen. Be den som driver zlack att koppla dig till din Zoom-användare med zlack map-user.
error-no-zoom-user = Organisationens Zoom-konto har ingen användare med e-postadressen { $email }. Be din Zoom-administratör att lägga till dig, eller den som driver zlack att koppla dig till din Zoom-användare med zlack map-user.
error-zoom-user-inactive = Zoom-användaren med e-postadressen { $email } är inaktiverad. Be din Zoom-administratör att aktivera den.
error-zoom-credentials = Zoom godtog inte den här zlack-serverns inloggningsuppgifter, så den når inte Zoom för någon just nu. Be den som driver zlack att köra zlack doctor.
error-organization-not-connected = Ingen Zoom-administratör har kopplat Zoom till det här Slack Workspace än. Be din Zoom-administratör att öppna { $url } och välja Installera Zoom för Slack till hela organisationen.

## Organization mode pages

page-org-needs-admin-title = Fråga din Zoom-administratör
page-org-needs-admin-body = För att installera Zoom för Slack till hela organisationen behövs administratörsbehörighet i Zoom, och det har inte ditt Zoom-konto. Be din Zoom-administratör att installera den; inget har ändrats.
page-org-connected-title = Kopplat till Slack
page-org-connected-body = Zoom är kopplat för hela organisationen i det här Slack Workspace. Alla där kan skriva { -command }: zlack hittar deras Zoom-användare via e-postadressen i deras Slack-profil. Du kan stänga den här fliken.
page-org-not-configured-title = Inte tillgängligt på den här servern
page-org-not-configured-body = Den här zlack-servern är inte inställd för att installeras till hela organisationen. Den som driver den kan sätta ZLACK_ZOOM_MODE=organization.
page-org-choose-title = Koppla till Slack Workspace
page-org-choose-body = Zoom är auktoriserat för organisationens konto. Välj det Slack Workspace vars personer ska använda det. De som har kopplat sitt eget Zoom-konto där behåller sina möten och inställningar; deras personliga auktoriseringar tas bort.
page-org-choose-legend = Slack Workspace
page-org-choose-button = Koppla till Slack Workspace
page-org-choose-none = zlack finns inte i något Slack Workspace än. Lägg först till den i Slack och koppla sedan Zoom igen.
page-org-add-to-slack = Lägg till i Slack

## The landing page (GET /)

landing-title = Zoom för Slack
landing-heading = zlack
landing-intro = Zoom-möten och samtal från Slack, på din egen server.
landing-setup-heading = Konfiguration
landing-setup-complete = Allt som zlack behöver är konfigurerat.
landing-setup-missing = zlack körs, men de här inställningarna saknas fortfarande:
landing-setup-fix = Ange dem i miljön eller i zlack.toml och starta sedan om zlack. zlack manifest skriver ut Slack-appens manifest för den här servern, och zlack doctor kontrollerar hela konfigurationen.
landing-why-slack-signing-secret = verifierar förfrågningar från Slack
landing-why-slack-client = installerar zlack i ett Slack Workspace
landing-why-zoom-webhook-secret = verifierar webhooks från Zoom
landing-why-zoom-client = kopplar Slack-användare till Zoom
landing-why-zoom-account-id = anger Zoom-kontot för server-to-server-läget
landing-link-unavailable = Inte tillgängligt förrän inställningarna som saknas ovan är angivna.
landing-add-to-slack = Lägg till i Slack
landing-add-to-my-slack-account = Lägg till i mitt Slack-konto
landing-connect-zoom-organization = Koppla Zoom för hela organisationen
landing-slack-step = Lägger till Zoom-appen för Slack i ditt Slack Workspace. Hoppa över det här steget om ditt Slack Workspace redan har appen.
landing-organization-heading = Installera Zoom för Slack till hela organisationen
landing-organization-intro = En Zoom-administratör kopplar Zoom en gång för hela Zoom-kontot. Alla i det kopplade Slack Workspace skriver sedan { -command } utan att auktorisera något: zlack hittar deras Zoom-användare via e-postadressen i deras Slack-profil.
landing-organization-zoom-step = Det måste göras av en Zoom-administratör. Därefter väljer administratören ett Slack Workspace och klickar på Koppla till Slack Workspace.
landing-organization-needs-mode = För att installera till hela organisationen behövs ZLACK_ZOOM_MODE=organization (eller server-to-server), som den som driver zlack anger.
landing-server-to-server-intro = Den här servern använder organisationens egen Zoom-app: allas Zoom-användare hittas via e-postadressen i deras Slack-profil, så ingen behöver auktorisera Zoom.
landing-server-to-server-slack-step = Lägger till Zoom-appen för Slack i ditt Slack Workspace. Skriv sedan { -command } i Slack.
landing-personal-heading = Lägg till Zoom endast till mitt Slack-konto
landing-personal-intro = Var och en kopplar sitt eget Zoom-konto (användarinstallation).
landing-personal-zoom-step = Skriv { -command } i Slack och auktorisera Zoom en gång (en engångsauktorisering).
landing-personal-not-here = Den här servern kopplar Zoom för hela organisationen, så det finns inget personligt att lägga till.
landing-server-heading = Den här servern
landing-server-url = Offentlig URL
landing-server-database = Databas
landing-server-zoom-mode = Zoom-läge
landing-server-slack-delivery = Så når Slack den här servern
landing-slack-socket-mode = Socket Mode (servern ansluter till Slack)
landing-slack-request-urls = Webbadresser för förfrågningar (Slack ansluter till servern)
landing-server-zoom-events = Så kommer händelser från Zoom fram
landing-zoom-events-websocket = WebSocket (servern ansluter till Zoom)
landing-zoom-events-webhook = Webhook (Zoom ansluter till servern)
landing-privacy = Hur dina data används
page-org-start-title = Börja med Lägg till i Slack
page-org-start-body = Zoom kopplas för hela organisationen från sidan som följer efter Lägg till i Slack, så att det kopplas till det Slack Workspace du just lade till. Öppna zlacks sida, välj Lägg till i Slack och fortsätt därifrån.
page-org-next-title = Nästa steg: koppla Zoom för hela organisationen
page-org-next-body = En Zoom-administratör i er organisation kopplar nu Zoom för det här Slack Workspace (länken gäller i en timme). Länken frågar först vem du är i Slack: du, eller en administratör för den här arbetsytan, kan slutföra den genom att logga in i Zoom som Zoom-administratör. Sedan kan alla här skriva { -command }.
page-org-connect-link = Koppla Zoom för hela organisationen
landing-organization-slack-step = Lägger till Zoom-appen i ert Slack Workspace (även om den redan finns där). På sidan som följer kopplar en Zoom-administratör Zoom för hela organisationen.
config-whiteboards-title = Förhandstitt på whiteboardlänkar (hela arbetsytan)
config-whiteboards-body = Var en inklistrad länk till en Zoom Whiteboard visar whiteboardens namn, ägare, senaste ändring och förhandstitt, när den som klistrade in länken kan öppna whiteboarden. Annars visas den som en vanlig länk. Bara arbetsytans administratörer ser och ändrar detta.
config-whiteboards-everywhere = Var den än klistras in
config-whiteboards-private = Bara i privata konversationer
config-whiteboards-nowhere = Ingenstans
unfurl-whiteboard-access-invited = Bara de som bjudits in till whiteboarden kan öppna den.
unfurl-whiteboard-access-account = Bara personer i whiteboardens Zoom-konto kan öppna den.
