# The App Home tab and the settings modal.

## The settings modal
home-settings-modal-title = Inställningar för Zoom
home-settings-modal-save = Spara
home-settings-modal-cancel = Avbryt
home-settings-passcode-hint = Visa mötets lösenkod på möteskorten. Alla som ser ett kort kan då gå med.
home-settings-pmi-hint = Starta /zoom-möten i ditt personliga mötes-ID i stället för i ett nytt mötes-ID.
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
