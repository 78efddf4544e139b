//! A scheduled meeting as an iCalendar file (RFC 5545) for "Add to
//! calendar": one `VEVENT`, times in UTC, lines folded at 75 octets.

use jiff::Timestamp;

/// What the calendar file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CalendarEvent<'a> {
    /// Stable across downloads, so a calendar updates the event it has
    /// rather than adding another (e.g. `zlack-12@zlack.example.com`).
    pub uid: &'a str,
    pub topic: &'a str,
    pub starts: Timestamp,
    pub duration_minutes: u32,
    /// The participants' join link.
    pub join_url: &'a str,
    /// The file's creation time.
    pub stamp: Timestamp,
    /// Bumped when the meeting moves, so calendars take the new time.
    pub sequence: u32,
    /// Zoom deleted the meeting: the event is cancelled.
    pub cancelled: bool,
}

/// The `.ics` text: CRLF line ends, folded lines, escaped text.
pub fn calendar(event: &CalendarEvent) -> String {
    let utc = |t: Timestamp| t.strftime("%Y%m%dT%H%M%SZ").to_string();
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//zlack//zlack//EN".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        format!(
            "METHOD:{}",
            if event.cancelled { "CANCEL" } else { "PUBLISH" }
        ),
        "BEGIN:VEVENT".to_owned(),
        format!("UID:{}", text(event.uid)),
        format!("DTSTAMP:{}", utc(event.stamp)),
        format!("DTSTART:{}", utc(event.starts)),
        format!("DURATION:PT{}M", event.duration_minutes),
        format!("SEQUENCE:{}", event.sequence),
        format!("SUMMARY:{}", text(event.topic)),
        format!("DESCRIPTION:{}", text(event.join_url)),
        format!("LOCATION:{}", text(event.join_url)),
        format!("URL:{}", uri(event.join_url)),
        format!(
            "STATUS:{}",
            if event.cancelled {
                "CANCELLED"
            } else {
                "CONFIRMED"
            }
        ),
        "END:VEVENT".to_owned(),
        "END:VCALENDAR".to_owned(),
    ];
    lines.iter_mut().for_each(|l| *l = fold(l));
    let mut out = lines.join("\r\n");
    out.push_str("\r\n");
    out
}

/// A TEXT value: `\`, `;`, `,` escaped, newlines as `\n`, other control
/// characters dropped.
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A URI value: no escaping in iCalendar, but nothing that could end the
/// line or the property.
fn uri(value: &str) -> String {
    value.chars().filter(|c| !c.is_control()).collect()
}

/// Folds a content line at 75 octets, never inside a UTF-8 character: the
/// rest goes on lines starting with a space (RFC 5545, 3.1).
fn fold(line: &str) -> String {
    const MAX: usize = 75;
    let mut out = String::with_capacity(line.len() + line.len() / MAX * 3);
    let mut used = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if used + len > MAX {
            out.push_str("\r\n ");
            // The leading space counts toward the next line's octets.
            used = 1;
        }
        out.push(c);
        used += len;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event() -> CalendarEvent<'static> {
        CalendarEvent {
            uid: "zlack-12@zlack.example.com",
            topic: "Weekly sync",
            starts: "2026-12-08T09:00:00Z".parse().unwrap(),
            duration_minutes: 45,
            join_url: "https://zoom.us/j/85746352413?pwd=abc",
            stamp: "2026-12-07T09:00:00Z".parse().unwrap(),
            sequence: 0,
            cancelled: false,
        }
    }

    #[test]
    fn an_event_in_utc_with_crlf_line_ends() {
        let ics = calendar(&event());
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        assert!(ics.contains("\r\nDTSTART:20261208T090000Z\r\n"));
        assert!(ics.contains("\r\nDTSTAMP:20261207T090000Z\r\n"));
        assert!(ics.contains("\r\nDURATION:PT45M\r\n"));
        assert!(ics.contains("\r\nSUMMARY:Weekly sync\r\n"));
        assert!(ics.contains("\r\nUID:zlack-12@zlack.example.com\r\n"));
        assert!(ics.contains("\r\nSTATUS:CONFIRMED\r\n"));
        assert!(!ics.replace("\r\n", "").contains('\n'));
    }

    #[test]
    fn text_is_escaped_and_cannot_add_properties() {
        let ics = calendar(&CalendarEvent {
            topic: "R&D; plans, \\ notes\r\nEND:VEVENT",
            ..event()
        });
        assert!(ics.contains("SUMMARY:R&D\\; plans\\, \\\\ notes\\nEND:VEVENT\r\n"));
        assert_eq!(ics.matches("\r\nEND:VEVENT\r\n").count(), 1);
    }

    #[test]
    fn long_lines_fold_at_75_octets_between_characters() {
        let topic = "Veckomöte ".repeat(20);
        let ics = calendar(&CalendarEvent {
            topic: &topic,
            ..event()
        });
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "{line:?} is {} octets", line.len());
        }
        let unfolded = ics.replace("\r\n ", "");
        assert!(unfolded.contains(&format!("SUMMARY:{}", topic)));
    }

    #[test]
    fn a_cancelled_meeting_is_a_cancelled_event() {
        let ics = calendar(&CalendarEvent {
            cancelled: true,
            sequence: 2,
            ..event()
        });
        assert!(ics.contains("\r\nSTATUS:CANCELLED\r\n"));
        assert!(ics.contains("\r\nMETHOD:CANCEL\r\n"));
        assert!(ics.contains("\r\nSEQUENCE:2\r\n"));
    }
}
