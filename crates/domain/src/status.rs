//! Status sync: what Zoom's presence means for a user's Slack status.

use crate::i18n::{Lang, Texts};

/// A user's presence as Zoom announces it in `user.presence_status_updated`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Presence {
    /// In a Zoom meeting.
    InMeeting,
    /// Sharing their screen in a meeting.
    Presenting,
    /// On a Zoom Phone call.
    OnCall,
    /// Anything else: available, away, do not disturb, offline, in a
    /// calendar event. zlack shows nothing for these.
    Free,
}

/// The longest status text Slack keeps.
pub const STATUS_TEXT_MAX_CHARS: usize = 100;

impl Presence {
    /// Reads Zoom's `presence_status`. The webhook says `In_Meeting`,
    /// `Presenting`, `On_Phone_Call`; the REST API's names for the same
    /// (`In_A_Zoom_Meeting`, `On_A_Call`) are read too. Every other value
    /// (`Available`, `Away`, `Do_Not_Disturb`, `In_Calendar_Event`,
    /// `Offline`, and any Zoom adds later) means zlack's status should go.
    pub fn from_zoom(value: &str) -> Presence {
        match value {
            "In_Meeting" | "In_A_Zoom_Meeting" => Presence::InMeeting,
            "Presenting" => Presence::Presenting,
            "On_Phone_Call" | "On_A_Call" => Presence::OnCall,
            _ => Presence::Free,
        }
    }

    /// The stored name: `in_meeting`, `presenting`, `on_call`, `available`.
    pub fn as_str(self) -> &'static str {
        match self {
            Presence::InMeeting => "in_meeting",
            Presence::Presenting => "presenting",
            Presence::OnCall => "on_call",
            Presence::Free => "available",
        }
    }

    /// The presence behind a stored name; unknown names read as free.
    pub fn parse(name: &str) -> Presence {
        match name {
            "in_meeting" => Presence::InMeeting,
            "presenting" => Presence::Presenting,
            "on_call" => Presence::OnCall,
            _ => Presence::Free,
        }
    }

    /// Whether zlack shows a status for this presence.
    pub fn is_busy(self) -> bool {
        self != Presence::Free
    }

    /// The Slack status zlack shows, as (text, emoji), in `lang`; `None`
    /// when it shows none. Standard emoji only: a custom `:zoom:` may not
    /// exist in the workspace, and Slack refuses unknown emoji.
    pub fn status(self, t: &Texts, lang: Lang) -> Option<(String, &'static str)> {
        let (key, emoji) = match self {
            Presence::InMeeting => ("status-in-meeting", ":video_camera:"),
            Presence::Presenting => ("status-presenting", ":desktop_computer:"),
            Presence::OnCall => ("status-on-call", ":telephone_receiver:"),
            Presence::Free => return None,
        };
        let text: String = t
            .get(lang, key, &[])
            .chars()
            .take(STATUS_TEXT_MAX_CHARS)
            .collect();
        Some((text, emoji))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zooms_webhook_and_api_names_both_read() {
        assert_eq!(Presence::from_zoom("In_Meeting"), Presence::InMeeting);
        assert_eq!(
            Presence::from_zoom("In_A_Zoom_Meeting"),
            Presence::InMeeting
        );
        assert_eq!(Presence::from_zoom("Presenting"), Presence::Presenting);
        assert_eq!(Presence::from_zoom("On_Phone_Call"), Presence::OnCall);
        assert_eq!(Presence::from_zoom("On_A_Call"), Presence::OnCall);
        for free in ["Available", "Away", "Do_Not_Disturb", "Offline", "", "x"] {
            assert_eq!(Presence::from_zoom(free), Presence::Free, "{free}");
        }
        for p in [
            Presence::InMeeting,
            Presence::Presenting,
            Presence::OnCall,
            Presence::Free,
        ] {
            assert_eq!(Presence::parse(p.as_str()), p);
        }
    }

    #[test]
    fn busy_presences_have_a_short_status_in_both_languages() {
        let t = Texts::new();
        for lang in [Lang::En, Lang::Sv] {
            for p in [Presence::InMeeting, Presence::Presenting, Presence::OnCall] {
                let (text, emoji) = p.status(&t, lang).unwrap();
                assert!(!text.is_empty() && text.chars().count() <= STATUS_TEXT_MAX_CHARS);
                assert!(emoji.starts_with(':') && emoji.ends_with(':'));
            }
            assert!(Presence::Free.status(&t, lang).is_none());
        }
        assert_eq!(
            Presence::InMeeting.status(&t, Lang::Sv).unwrap().0,
            "I ett Zoom-möte"
        );
    }
}
