//! Identifiers that cross a boundary: Slack's and Zoom's ids, and the keys of
//! our own rows. Each is its own type so that a channel id cannot be passed
//! where a team id is expected; on the wire and in the database each is the
//! bare string or number it wraps.

use std::borrow::Borrow;
use std::fmt;

/// Declares a newtype over `String` with the conversions every id needs.
macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        #[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(transparent))]
        pub struct $name(String);

        impl $name {
            /// Wraps an id as Slack or Zoom spells it.
            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }

            /// The id as Slack or Zoom spells it.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The id as Slack or Zoom spells it, owned.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                Self(id)
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                Self(id.to_owned())
            }
        }

        impl From<&String> for $name {
            fn from(id: &String) -> Self {
                Self(id.clone())
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> Self {
                id.0
            }
        }

        // Reads as the `&str` it wraps, so code that only looks at an id
        // takes it as it is; going the other way takes a `from`.
        impl std::ops::Deref for $name {
            type Target = str;

            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        // Hashes and compares as the string it wraps, so maps keyed by the
        // id can be looked up with a `&str`.
        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }
    };
}

/// Declares a newtype over `i64`, the key of one of our rows.
macro_rules! row_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        #[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(transparent))]
        pub struct $name(i64);

        impl $name {
            /// Wraps a row's key.
            pub const fn new(id: i64) -> Self {
                Self(id)
            }

            /// The row's key.
            pub const fn get(self) -> i64 {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl From<i64> for $name {
            fn from(id: i64) -> Self {
                Self(id)
            }
        }

        impl From<$name> for i64 {
            fn from(id: $name) -> Self {
                id.0
            }
        }
    };
}

string_id!(
    /// A Slack workspace (`T…`), or an Enterprise Grid organization (`E…`)
    /// where the app is installed org-wide.
    TeamId
);
string_id!(
    /// A Slack user (`U…` or `W…`).
    SlackUserId
);
string_id!(
    /// A Slack conversation: a channel, a group DM or a DM.
    ChannelId
);
string_id!(
    /// A Zoom user, as Zoom's API and webhooks name them.
    ZoomUserId
);
string_id!(
    /// A Zoom account, the owner of users and of an organization-wide
    /// connection.
    ZoomAccountId
);
string_id!(
    /// One occurrence of a Zoom meeting, as Zoom's `uuid` names it.
    MeetingUuid
);
row_id!(
    /// A row of the table of meeting occurrences.
    OccurrenceId
);
row_id!(
    /// A row of the job queue.
    JobId
);
row_id!(
    /// A row of the inbox of Slack and Zoom requests.
    InboxId
);

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_serialize_as_the_bare_value() {
        let team = TeamId::from("T123");
        assert_eq!(serde_json::to_string(&team).unwrap(), r#""T123""#);
        let back: TeamId = serde_json::from_str(r#""T123""#).unwrap();
        assert_eq!(back, team);

        let job = JobId::new(42);
        assert_eq!(serde_json::to_string(&job).unwrap(), "42");
        let back: JobId = serde_json::from_str("42").unwrap();
        assert_eq!(back.get(), 42);
    }

    #[test]
    fn ids_display_and_look_up_as_the_value_they_wrap() {
        let user = SlackUserId::new("U1");
        assert_eq!(user.to_string(), "U1");
        assert_eq!(user.as_str(), "U1");
        assert_eq!(user, "U1");
        assert_eq!(OccurrenceId::new(7).to_string(), "7");

        let set: HashSet<ChannelId> = [ChannelId::from("C1")].into_iter().collect();
        assert!(set.contains("C1"));
    }
}
