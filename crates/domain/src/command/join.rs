//! `/zoom join <target>`: meeting IDs, Zoom links and personal link names.

use url::{Host, Url};

use super::text::{collapse_whitespace, is_space, plain_text, unescape_entities};
use super::{Command, JoinTarget};

/// Shortest personal link name Zoom accepts.
pub const PERSONAL_LINK_MIN: usize = 5;
/// Longest personal link name Zoom accepts.
pub const PERSONAL_LINK_MAX: usize = 40;

/// Zoom meeting IDs have 9 (old meetings), 10 (personal meeting IDs) or 11 digits.
const MEETING_ID_DIGITS: std::ops::RangeInclusive<usize> = 9..=11;

pub(crate) fn parse_join(rest: &str) -> Command {
    if rest.is_empty() {
        return Command::MissingArgument { command: "join" };
    }
    if rest.eq_ignore_ascii_case("me") {
        return Command::JoinMe;
    }
    match join_target(rest) {
        Some(target) => Command::Join(target),
        None => Command::InvalidJoinTarget {
            text: collapse_whitespace(&plain_text(rest)),
        },
    }
}

fn join_target(rest: &str) -> Option<JoinTarget> {
    // Slack wraps links it recognised: `<https://zoom.us/j/1|zoom.us/j/1>`.
    if let Some(token) = rest.strip_prefix('<') {
        let inner = &token[..token.find('>')?];
        let target = inner.split('|').next().unwrap_or(inner);
        return url_target(&unescape_entities(target));
    }
    let text = unescape_entities(rest);
    let first = text.split(is_space).next().unwrap_or_default();
    if first.contains("://") || first.starts_with("zoom.us/") || first.contains(".zoom.us/") {
        return url_target(first);
    }
    if text
        .chars()
        .all(|c| c.is_ascii_digit() || c == '-' || is_space(c))
    {
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        return meeting_id(&digits).map(JoinTarget::MeetingId);
    }
    personal_link(&text)
}

/// A meeting ID: 9–11 digits, no leading zero (a zero would be lost in the
/// number and Zoom does not issue such IDs).
fn meeting_id(digits: &str) -> Option<u64> {
    let ok = MEETING_ID_DIGITS.contains(&digits.len())
        && !digits.starts_with('0')
        && digits.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| digits.parse().ok()).flatten()
}

/// Zoom's rule for personal link names: 5–40 characters of ASCII letters,
/// digits and dots, starting with a letter. Case does not matter to Zoom.
pub fn is_personal_link_name(name: &str) -> bool {
    (PERSONAL_LINK_MIN..=PERSONAL_LINK_MAX).contains(&name.len())
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '.')
}

fn personal_link(name: &str) -> Option<JoinTarget> {
    is_personal_link_name(name).then(|| JoinTarget::PersonalLink {
        name: name.to_ascii_lowercase(),
    })
}

/// True for `zoom.us` and its subdomains only: `zoom.us.evil.com` and
/// `evilzoom.us` are not Zoom.
pub fn is_zoom_host(host: &str) -> bool {
    host == "zoom.us" || host.ends_with(".zoom.us")
}

fn url_target(raw: &str) -> Option<JoinTarget> {
    let url = if raw.contains("://") {
        Url::parse(raw)
    } else {
        Url::parse(&format!("https://{raw}"))
    }
    .ok()?;
    // `https://zoom.us@evil.com/…` has host evil.com; any user info or a
    // custom port is not a link Zoom hands out, so refuse it outright.
    let host = match url.host()? {
        Host::Domain(host) if is_zoom_host(host) => host.to_owned(),
        _ => return None,
    };
    if !url.username().is_empty() || url.password().is_some() || url.port().is_some() {
        return None;
    }
    let pwd = url
        .query_pairs()
        .find(|(k, v)| k == "pwd" && !v.is_empty())
        .map(|(_, v)| v.into_owned());
    match url.scheme() {
        "https" | "http" => web_link(url, pwd),
        "zoommtg" | "zoomus" => {
            let confno = url.query_pairs().find(|(k, _)| k == "confno")?.1;
            let meeting_id = meeting_id(&confno)?;
            let mut https = Url::parse(&format!("https://{host}/j/{meeting_id}")).ok()?;
            if let Some(pwd) = &pwd {
                https.query_pairs_mut().append_pair("pwd", pwd);
            }
            Some(JoinTarget::Url {
                meeting_id,
                passcode: pwd,
                url: https.into(),
            })
        }
        _ => None,
    }
}

fn web_link(mut url: Url, passcode: Option<String>) -> Option<JoinTarget> {
    let segments: Vec<&str> = url.path_segments()?.filter(|s| !s.is_empty()).collect();
    let id = match segments.as_slice() {
        ["my", name] => return personal_link(name),
        // `/s/` is a host's start link: never treat it as something to share.
        ["j" | "w", id] | ["wc", "join", id] | ["wc", id, "join"] => meeting_id(id)?,
        _ => return None,
    };
    // Zoom serves only https; an http link would just redirect.
    url.set_scheme("https").ok()?;
    Some(JoinTarget::Url {
        meeting_id: id,
        passcode,
        url: url.into(),
    })
}
