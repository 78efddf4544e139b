## Sidan om kända begränsningar (/limitations), länkad från startsidan

landing-limitations = Kända begränsningar
limitations-title = Kända begränsningar
limitations-intro = Det här kan zlack inte göra, eftersom Slack eller Zoom inte tillåter det. Din administratör kan berätta mer om hur den här servern är inställd.
limitations-android = På Android kan sidan ”Ring med Zoom Phone” inte öppna Zoom Phone: Android öppnar varken zoomphonecall:- eller tel:-länkar därifrån. Kopiera numret där och ring från Zoom-appen.
limitations-whiteboards = När Zoom Whiteboard är avstängt för ditt Zoom-konto visar whiteboardlänkar bara ”Zoom Whiteboard”, och du får inga meddelanden om whiteboards som delas med dig.
limitations-removed-at-zoom = Om du tar bort appen i Zoom märker zlack det först nästa gång den använder din Zoom-anslutning. Då raderar den det den har sparat om ditt Zoom-konto och skickar dig ett meddelande om hur du ansluter igen.
limitations-pre-approval = Om ditt Zoom-konto bara tillåter appar som godkänts på förhand måste en Zoom-administratör godkänna den här appen innan du kan auktorisera den.
limitations-new-permissions = När appen börjar be Zoom om en ny behörighet behåller du din gamla auktorisering tills du ansluter Zoom igen ({ -command } logout, sedan { -command }).
limitations-other-workspaces = Appen kan läggas till i andra Slack-arbetsytor än den där den skapades bara om dess administratör har slagit på distribution i Slack-appens inställningar eller installerar den för en hel Enterprise Grid-organisation.
limitations-email = När en Zoom-administratör har anslutit hela Zoom-kontot hittar zlack dig i Zoom via e-postadressen i din Slack-profil. Om adresserna skiljer sig åt matchar en administratör dig för hand.
