//! Zoom links people paste into Slack, as zlack unfurls them.

use url::Url;

/// A Zoom link zlack knows how to unfurl.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ZoomLink {
    /// `https://{zone}whiteboard.zoom.us/wb/db/{whiteboard_id}/…`.
    Whiteboard {
        /// The API's `whiteboard_id`: the path segment after `/wb/db/`.
        whiteboard_id: String,
    },
    /// `https://{sub.}zoom.us/j/{meeting_id}`, with or without `?pwd=`.
    Meeting {
        /// The meeting number.
        meeting_id: u64,
    },
    /// `https://{sub.}zoom.us/rec/share/…` or `/rec/play/…`.
    Recording {
        /// The link without its query (no `pwd`), which names the recording.
        share_url: String,
    },
}

/// Longest whiteboard id accepted; Zoom's are 22 characters.
const WHITEBOARD_ID_MAX: usize = 64;

/// The kind of Zoom link `url` is, if any. Only `https` links on
/// `zoom.us` or its subdomains count (never `evilzoom.us` or
/// `zoom.us.example.com`); no other host is ever recognised, so no other
/// host is ever fetched for an unfurl.
pub fn classify(url: &str) -> Option<ZoomLink> {
    let parsed = Url::parse(url).ok()?;
    if parsed.scheme() != "https" || parsed.port().is_some() {
        return None;
    }
    let host = parsed.host_str()?.to_ascii_lowercase();
    if host != "zoom.us" && !host.ends_with(".zoom.us") {
        return None;
    }
    let segments: Vec<&str> = parsed.path_segments()?.filter(|s| !s.is_empty()).collect();
    let sub = host.strip_suffix("zoom.us").unwrap_or_default();
    let whiteboard_host = sub
        .strip_suffix("whiteboard.")
        .is_some_and(|zone| zone.chars().all(|c| c.is_ascii_alphanumeric() || c == '.'));
    match segments.as_slice() {
        ["wb", "db", id, ..] if whiteboard_host && is_whiteboard_id(id) => {
            Some(ZoomLink::Whiteboard {
                whiteboard_id: (*id).to_owned(),
            })
        }
        ["j", id] if !whiteboard_host => {
            let meeting_id = id.parse::<u64>().ok().filter(|n| *n >= 1_000_000)?;
            Some(ZoomLink::Meeting { meeting_id })
        }
        ["rec", "share" | "play", token, ..] if !whiteboard_host && !token.is_empty() => {
            let mut share = parsed.clone();
            share.set_query(None);
            share.set_fragment(None);
            Some(ZoomLink::Recording {
                share_url: share.to_string(),
            })
        }
        _ => None,
    }
}

fn is_whiteboard_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= WHITEBOARD_ID_MAX
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn whiteboard(id: &str) -> Option<ZoomLink> {
        Some(ZoomLink::Whiteboard {
            whiteboard_id: id.into(),
        })
    }

    #[test]
    fn whiteboard_links_in_every_zone_name_their_board() {
        let cases = [
            (
                "https://us05whiteboard.zoom.us/wb/db/6iktP8hJT3e5qaCuwFuAGg/p/180968285929472",
                whiteboard("6iktP8hJT3e5qaCuwFuAGg"),
            ),
            (
                "https://whiteboard.zoom.us/wb/db/abc_DEF-123",
                whiteboard("abc_DEF-123"),
            ),
            (
                "https://US01WHITEBOARD.zoom.us/wb/db/abc?x=1#y",
                whiteboard("abc"),
            ),
            ("https://us05whiteboard.zoom.us/wb/dashboard", None),
            ("https://us05whiteboard.zoom.us/wb/db/", None),
            ("https://us05whiteboard.zoom.us/wb/db/a%2Fb", None),
            ("http://us05whiteboard.zoom.us/wb/db/abc", None),
            ("https://whiteboard.zoom.us.evil.example/wb/db/abc", None),
            ("https://evilwhiteboard.zoom.us.example/wb/db/abc", None),
            ("https://us05web.zoom.us/wb/db/abc", None),
        ];
        for (url, want) in cases {
            assert_eq!(classify(url), want, "{url}");
        }
    }

    #[test]
    fn meeting_and_recording_links_are_told_apart() {
        assert_eq!(
            classify("https://us05web.zoom.us/j/85746065432?pwd=abc"),
            Some(ZoomLink::Meeting {
                meeting_id: 85746065432
            })
        );
        assert_eq!(
            classify("https://zoom.us/j/1234567890"),
            Some(ZoomLink::Meeting {
                meeting_id: 1234567890
            })
        );
        assert_eq!(classify("https://zoom.us/j/12"), None);
        assert_eq!(classify("https://zoom.us/j/abc"), None);
        assert_eq!(classify("https://evilzoom.us/j/1234567890"), None);
        assert_eq!(classify("https://zoom.us:8443/j/1234567890"), None);
        assert_eq!(
            classify("https://us05web.zoom.us/rec/share/AbC-12.xyz?pwd=s3cr3t&startTime=1"),
            Some(ZoomLink::Recording {
                share_url: "https://us05web.zoom.us/rec/share/AbC-12.xyz".into()
            })
        );
        assert_eq!(classify("https://zoom.us/rec/share/"), None);
        assert_eq!(classify("not a link"), None);
    }
}
