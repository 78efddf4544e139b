## The known-limitations page (/limitations), linked from the landing page

landing-limitations = Known limitations
limitations-title = Known limitations
limitations-intro = What zlack cannot do, because Slack or Zoom does not allow it. Your administrator can tell you more about how this server is set up.
limitations-android = On Android, the "Call with Zoom Phone" page cannot open Zoom Phone: Android opens neither zoomphonecall: nor tel: links from it. Copy the number there and call from the Zoom app.
limitations-whiteboards = When Zoom Whiteboard is turned off for your Zoom account, whiteboard links show only "Zoom Whiteboard", and no messages about shared whiteboards come.
limitations-removed-at-zoom = If you remove the app in Zoom, zlack only learns of it the next time it uses your Zoom connection. It then deletes what it keeps about your Zoom account and sends you one message saying how to connect again.
limitations-pre-approval = If your Zoom account allows only pre-approved apps, a Zoom admin must approve this app before you can authorize it.
limitations-new-permissions = When the app starts asking Zoom for a new permission, you keep your old grant until you connect Zoom again ({ -command } logout, then { -command }).
limitations-other-workspaces = The app can be added to a Slack workspace other than the one it was created in only if its administrator has turned on distribution in the Slack app's settings, or installs it for a whole Enterprise Grid organization.
limitations-email = When a Zoom admin connected the whole Zoom account, zlack finds you at Zoom by the email address of your Slack profile. If the two differ, an administrator maps you by hand.
