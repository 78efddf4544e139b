//! Whitespace, Slack escaping and topic normalisation for `/zoom` text.

/// Zoom's limit on a meeting topic, in characters.
pub const TOPIC_MAX_CHARS: usize = 200;

/// Separators between words. Control characters count too: they never
/// belong in a topic and would otherwise glue words together.
pub(crate) fn is_space(c: char) -> bool {
    c.is_whitespace() || c.is_control()
}

/// Splits off the first word; the rest is trimmed.
pub(crate) fn split_first_word(text: &str) -> (&str, &str) {
    let text = text.trim_matches(is_space);
    match text.find(is_space) {
        Some(end) => (&text[..end], text[end..].trim_matches(is_space)),
        None => (text, ""),
    }
}

/// Joins the words with single spaces.
pub(crate) fn collapse_whitespace(text: &str) -> String {
    text.split(is_space)
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Undoes Slack's escaping of `&`, `<` and `>`, in one pass so that an
/// escaped entity (`&amp;lt;`) stays the literal text the user typed (`&lt;`).
pub(crate) fn unescape_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let (decoded, len) = if tail.starts_with("&amp;") {
            ('&', 5)
        } else if tail.starts_with("&lt;") {
            ('<', 4)
        } else if tail.starts_with("&gt;") {
            ('>', 4)
        } else {
            ('&', 1)
        };
        out.push(decoded);
        rest = &tail[len..];
    }
    out.push_str(rest);
    out
}

/// Turns Slack's formatted text into what the user saw: `<@U1|jane>` →
/// `@jane`, `<https://x|x>` → `x`, `<!here>` → `@here`, entities unescaped.
/// A topic is plain text for Zoom, so the markup has to go.
pub(crate) fn plain_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        out.push_str(&unescape_entities(&rest[..open]));
        let tail = &rest[open + 1..];
        match tail.find('>') {
            Some(close) => {
                out.push_str(&markup_to_text(&tail[..close]));
                rest = &tail[close + 1..];
            }
            None => {
                // Slack never sends a bare `<`; keep it rather than drop text.
                out.push('<');
                rest = tail;
            }
        }
    }
    out.push_str(&unescape_entities(rest));
    out
}

/// The visible text of one `<target|label>` token.
fn markup_to_text(token: &str) -> String {
    let (target, label) = match token.split_once('|') {
        Some((target, label)) => (target, Some(unescape_entities(label))),
        None => (token, None),
    };
    if let Some(id) = target.strip_prefix('@') {
        return format!("@{}", label.unwrap_or_else(|| id.to_owned()));
    }
    if let Some(id) = target.strip_prefix('#') {
        return format!("#{}", label.unwrap_or_else(|| id.to_owned()));
    }
    if let Some(special) = target.strip_prefix('!') {
        // `<!subteam^S1|@team>`, `<!date^…|fallback>` carry their own text.
        return label.unwrap_or_else(|| {
            let name = special.split('^').next().unwrap_or(special);
            format!("@{name}")
        });
    }
    label.unwrap_or_else(|| {
        let url = unescape_entities(target);
        url.strip_prefix("mailto:")
            .map(str::to_owned)
            .unwrap_or(url)
    })
}

/// Truncates to at most `max` characters, on a char boundary.
pub(crate) fn truncate_chars(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        Some((end, _)) => &text[..end],
        None => text,
    }
}

/// The topic of `/zoom meeting <topic>`: plain text, single spaces, at most
/// [`TOPIC_MAX_CHARS`] characters, `None` when nothing is left.
pub(crate) fn topic(rest: &str) -> Option<String> {
    let collapsed = collapse_whitespace(&plain_text(rest));
    let topic = truncate_chars(&collapsed, TOPIC_MAX_CHARS).trim_end_matches(is_space);
    (!topic.is_empty()).then(|| topic.to_owned())
}
