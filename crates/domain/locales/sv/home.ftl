# The App Home tab and the settings modal.

## The settings modal
home-settings-modal-title = Inställningar för Zoom
home-settings-modal-save = Spara
home-settings-modal-cancel = Avbryt
home-settings-passcode-hint = Visa mötets lösenkod på möteskorten. Alla som ser ett kort kan då gå med.
home-settings-pmi-hint = Starta { -command }-möten i ditt personliga mötes-ID i stället för i ett nytt mötes-ID.
home-settings-language-hint = Språket i meddelandena du får från appen.
home-settings-phone-hint = Ett direktmeddelande när dina Zoom Phone-samtal avslutas eller missas, och när en samtalsinspelning är klar.
home-settings-status-title = Visa när jag är i ett Zoom-möte eller samtal
home-settings-status-hint = Sätter din status i Slack medan du är i ett Zoom-möte eller samtal, och tar bort den efteråt.
home-settings-workspace-header = Inställningar för arbetsytan
home-settings-workspace-about = Bara arbetsytans administratörer ser och ändrar dessa. De gäller alla i arbetsytan.
home-settings-recordings-hint = Vart länken till inspelningen och sammanfattningen från Zoom AI Companion för möten som visats i Slack skickas.
home-settings-workspace-phone-hint = Om personer får direktmeddelanden om sina Zoom Phone-samtal och samtalsinspelningar.
home-settings-whiteboards-hint = Var en inklistrad länk till en Zoom Whiteboard visar whiteboardens namn, ägare och förhandstitt.
home-settings-error-missing = Välj ett av alternativen.
home-settings-error-choice = Det är inte ett av alternativen. Välj ett av dem.

## The privacy page
home-privacy-event-app-home-opened = Du öppnade fliken Hem i zlack: zlack visar den för dig med dina anslutningar, inställningar och kommande möten.
home-privacy-zoom-scope-list-meetings = Dina kommande möten: visas på fliken Hem i Slack, bara för dig, och sparas inte.

## The Home tab
home-title = Zoom i Slack
home-intro = Din egen sida i zlack: bara du ser den.
home-connections = Anslutningar
home-slack-connected = *Slack:* zlack är installerat i den här arbetsytan.
home-slack-connected-named = *Slack:* zlack är installerat i { $workspace }.
home-zoom-connected = *Zoom:* ansluten.
home-zoom-connected-as = *Zoom:* ansluten som { $account }.
home-zoom-not-connected = *Zoom:* inte ansluten. Anslut ditt Zoom-konto för att starta möten med { -command } och se dina kommande möten här.
home-zoom-by-email = *Zoom:* inte kopplad än. zlack hittar din Zoom-användare via din e-postadress första gången du använder { -command }.
home-zoom-broken = *Zoom:* Zoom godtar inte längre din auktorisering. Anslut ditt Zoom-konto igen.
home-zoom-connect = Anslut Zoom
home-zoom-reconnect = Anslut Zoom igen
home-zoom-disconnect = Koppla från Zoom
home-zoom-disconnect-confirm-title = Koppla från Zoom?
home-zoom-disconnect-confirm-text = zlack glömmer din auktorisering för Zoom. Du kan ansluta igen när du vill.
home-mode-personal = Alla ansluter sitt eget Zoom-konto.
home-mode-organization = Administratörerna för ert Zoom-konto har anslutit den här arbetsytan till Zoom.
home-mode-server-to-server = Den här arbetsytan använder ett gemensamt Zoom-konto, som den som driver zlack har satt upp.
home-meetings = Dina kommande möten
home-meetings-none = Inga kommande möten.
home-meetings-more = Och { $count } till i Zoom.
home-meetings-connect = Anslut ditt Zoom-konto för att se dina kommande möten här.
home-meetings-permission = zlack får inte visa dina möten än: anslut ditt Zoom-konto igen för att tillåta det.
home-meetings-unavailable = Zoom svarade inte just nu; dina möten visas här nästa gång sidan uppdateras.
home-meeting-untitled = Zoom-möte
home-meeting-live = Pågår nu
home-meeting-recurring = Återkommande, utan fast tid
home-meeting-date-format = {"{"}date_short_pretty{"}"} kl. {"{"}time{"}"}
home-meeting-join = Gå med
home-settings = Dina inställningar
home-settings-open = Inställningar
home-settings-phone-off-by-workspace = Av för alla i arbetsytan
home-settings-status-pending = Väntar på din tillåtelse (se appens direktmeddelande)
home-help = Så använder du { -command }
