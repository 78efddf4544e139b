# Status sync: the Slack status while in a Zoom meeting or call.

# Slack-statusen som zlack visar (högst 100 tecken).
status-in-meeting = I ett Zoom-möte
status-presenting = Presenterar i Zoom
status-on-call = I ett Zoom-samtal

# Inställningen på kortet /zoom config.
status-config-title = Visa när jag är i ett Zoom-möte eller samtal
status-config-body = Sätter din Slack-status medan du är i ett Zoom-möte eller ett Zoom-samtal och lägger tillbaka din egen status efteråt, om du inte har ändrat den under tiden.

# Direktmeddelandet som ber om tillåtelse att ändra statusen.
status-allow-title = Tillåt zlack att sätta din Slack-status
status-allow-body = För att visa när du är i ett Zoom-möte eller samtal behöver zlack din tillåtelse att ändra din Slack-status. Inget annat i din profil ändras. Länken fungerar bara för dig, i 7 dagar.
status-allow-button = Tillåt statusuppdateringar
status-allow-fallback = Tillåt zlack att sätta din Slack-status: { $url }

# När tillåtelsen har getts.
status-enabled-dm = Statussynkningen är på. Medan du är i ett Zoom-möte eller samtal visar din Slack-status det; efteråt kommer din egen status tillbaka. Stäng av den när du vill i { -command } config.

# När Slack inte längre godtar tillåtelsen.
status-revoked-dm = Statussynkningen är av: Slack godtar inte längre zlacks tillåtelse att ändra din status. Slå på den igen i { -command } config om du vill ha den tillbaka.

# Sidan efter auktoriseringen i Slack.
status-page-connected-title = Statussynkningen är på
status-page-connected-body = zlack visar i din Slack-status när du är i ett Zoom-möte eller samtal. Du kan stänga det här fönstret.
status-page-wrong-user-title = Länken är till någon annan
status-page-wrong-user-body = Du auktoriserade som en annan Slack-användare än den som länken gjordes för, så inget ändrades. Be om en egen länk genom att slå på inställningen i { -command } config.

# Integritetssidan.
status-privacy-slack-scope-profile-write = Bara för personer som slår på statussynkning, med deras egen tillåtelse: sätter deras Slack-status medan de är i ett Zoom-möte eller samtal och lägger tillbaka deras egen status efteråt.
status-privacy-zoom-scope-presence = Får veta när du är i ett Zoom-möte eller samtal, för statussynkning; bara för personer som har slagit på den.
status-privacy-zoom-event-presence = Din närvaro i Zoom ändrades (i ett möte, presenterar, i ett samtal, tillgänglig): med statussynkning på sätter eller återställer zlack din Slack-status.
status-privacy-store = Statussynkning, för dem som slår på den: Slack-token som får ändra deras status, den senaste närvaron som Zoom meddelade och statusen de hade före zlacks, förseglad som tokens tills den läggs tillbaka.
status-privacy-delete = Stäng av statussynkning i { -command } config, eller skriv { -command } logout: zlack lägger tillbaka din egen status om zlacks status fortfarande visas, återkallar sin behörighet i Slack och raderar token och den sparade statusen.

# Under inställningen medan tillåtelsen saknas.
status-config-pending = Väntar på din tillåtelse: använd knappen ”Tillåt statusuppdateringar” i appens direktmeddelande.
