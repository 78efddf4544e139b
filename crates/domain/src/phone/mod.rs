//! The target of `/zoom call <target>` (Zoom Phone): a Slack user or a
//! phone number.
//!
//! Slack sends the command text with escaping on, so a mention arrives as
//! `<@U123ABC|jane>` or `<@U123ABC>` and a number Slack auto-linked as
//! `<tel:+4681234567|+46 8 123 45 67>`. Anything else is read as a number as
//! people type it: `+46 8 123 456 78`, `0046-8-123 456 78`, `08-123 456 78`
//! (with a default region), `+46 (0)8 123 456 78`, `(415) 555-0132`, or a
//! 2–6 digit Zoom Phone extension such as `1001`.
//!
//! Numbers are parsed, validated and formatted with the `phonenumber` crate
//! (libphonenumber's metadata). A [`PhoneNumber`]'s dial string holds only
//! `+` and ASCII digits, whatever the input, so it can go into
//! `zoomphonecall://`, `tel:` and `callto:` URIs as it is.
//!
//! [`notices`] folds Zoom Phone webhooks into the DMs about ended and
//! missed calls and phone recordings.

pub mod notices;

use std::fmt;

use phonenumber::country::Id;
use phonenumber::metadata::DATABASE;
use phonenumber::{Mode, ParseError, Type};

/// Most digits read from one input; longer input is refused before parsing.
const MAX_INPUT_DIGITS: usize = 32;
/// Digits of a Zoom Phone extension.
const EXTENSION_DIGITS: std::ops::RangeInclusive<usize> = 2..=6;
/// Digits of a full number after its `+`: E.164 allows at most 15.
const E164_DIGITS: std::ops::RangeInclusive<usize> = 3..=15;
/// Words that introduce an extension after a number (`ext 12`, `x12`,
/// `;ext=12`, Swedish `anknytning 12`).
const EXTENSION_MARKERS: [&str; 6] = ["x", "ext", "extn", "extension", "ankn", "anknytning"];
/// Emergency numbers around the world. A `/zoom call` link can be passed
/// on and opening it dials, so zlack leaves these to people's own phones.
const EMERGENCY: [&str; 10] = [
    "112", "911", "999", "000", "110", "119", "118", "117", "113", "190",
];
/// Number types a valid number may have, for the lengths of an invalid one.
const NUMBER_TYPES: [Type; 10] = [
    Type::FixedLine,
    Type::Mobile,
    Type::TollFree,
    Type::PremiumRate,
    Type::SharedCost,
    Type::PersonalNumber,
    Type::Voip,
    Type::Pager,
    Type::Uan,
    Type::Voicemail,
];

/// Whom `/zoom call` calls.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CallTarget {
    /// A Slack user, from a mention (`<@U123ABC|jane>` or `<@U123ABC>`).
    User {
        /// The Slack user id: `U` or `W` followed by uppercase letters and digits.
        user_id: String,
    },
    /// A phone number or Zoom Phone extension.
    Number(PhoneNumber),
}

/// Why a `/zoom call` target was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TargetError {
    /// Nothing (or only white space) was given.
    Empty,
    /// Not a phone number: letters, emojis, symbols, stray punctuation.
    NotANumber,
    /// A number with an extension suffix (`ext 12`, `x12`, `;ext=12`),
    /// which `/zoom call` does not dial.
    ExtensionNotSupported,
    /// Too few digits for a number.
    TooShort,
    /// Too many digits for a number (or more than 32 digits of input).
    TooLong,
    /// The digits do not form a valid number (unknown country code, or a
    /// number the country does not have).
    InvalidNumber,
    /// A number in national format (`08-123 456 78`) but no default region
    /// to read it in.
    UnknownRegion,
    /// More than one target: several numbers, or extra words or mentions
    /// around one.
    SeveralTargets,
    /// A Slack mention or link that cannot be called: a channel
    /// (`<#C…>`), `<!here>`, a user group, an e-mail address or a web link.
    NotCallable,
    /// An emergency or premium-rate number, which zlack does not dial.
    Restricted,
}

impl fmt::Display for TargetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TargetError::Empty => "no number or user given",
            TargetError::NotANumber => "not a phone number",
            TargetError::ExtensionNotSupported => "numbers with an extension are not supported",
            TargetError::TooShort => "the number is too short",
            TargetError::TooLong => "the number is too long",
            TargetError::InvalidNumber => "not a valid phone number",
            TargetError::UnknownRegion => {
                "a national number needs a country: start it with + and the country code"
            }
            TargetError::SeveralTargets => "only one number or user can be called",
            TargetError::NotCallable => "only a user or a phone number can be called",
            TargetError::Restricted => "emergency and premium-rate numbers are not dialled",
        })
    }
}

impl std::error::Error for TargetError {}

/// A number `/zoom call` can dial: a full international number (E.164) or a
/// short internal Zoom Phone extension.
///
/// Its dial string holds only `+` and ASCII digits: every constructor checks
/// it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PhoneNumber(Inner);

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Inner {
    /// `+` and 3–15 digits, with its international format for people.
    E164 { dial: String, international: String },
    /// 2–6 digits, not starting with `0`.
    Extension(String),
}

impl PhoneNumber {
    /// Reads a number as people type it. `default_region` (ISO 3166 alpha-2,
    /// like `"SE"`; any case) reads numbers in national format and decides
    /// the international prefix (`00` in Sweden, `011` in the US); an unknown
    /// code counts as none. Without a region only `+` and `00` numbers and
    /// extensions are understood. A leading `tel:` is allowed.
    pub fn parse(input: &str, default_region: Option<&str>) -> Result<PhoneNumber, TargetError> {
        let text = input.trim();
        if text.is_empty() {
            return Err(TargetError::Empty);
        }
        let text = strip_tel(text).trim();
        if EMERGENCY.contains(&text) {
            return Err(TargetError::Restricted);
        }
        if let Some(extension) = Self::extension(text) {
            return Ok(extension);
        }
        let Lexed { plus, digits } = lex(text)?;
        let region = default_region.and_then(region_id);
        // A number with its country code is parsed without a region:
        // phonenumber 0.3.10 would strip the region's national prefix from
        // it (a US default region turns `+46 11…` into `+46 1…`).
        let (region, candidate) = if plus {
            (None, format!("+{digits}"))
        } else if let Some(id) = region {
            match strip_international_prefix(id, &digits) {
                Some(rest) => (None, format!("+{rest}")),
                None => (Some(id), digits),
            }
        } else if let Some(rest) = digits.strip_prefix("00") {
            (None, format!("+{rest}"))
        } else if digits.len() < 2 {
            return Err(TargetError::TooShort);
        } else {
            return Err(TargetError::UnknownRegion);
        };
        if let Some(international) = candidate.strip_prefix('+')
            && international.len() < *E164_DIGITS.start()
        {
            return Err(TargetError::TooShort);
        }
        let parsed = phonenumber::parse(region, &candidate).map_err(|error| match error {
            ParseError::NoNumber | ParseError::TooShortAfterIdd | ParseError::TooShortNsn => {
                TargetError::TooShort
            }
            ParseError::TooLong => TargetError::TooLong,
            ParseError::InvalidCountryCode | ParseError::MalformedInteger(_) => {
                TargetError::InvalidNumber
            }
        })?;
        Self::from_parsed(&parsed)
    }

    /// Re-validates a dial string stored or signed earlier: `+` and digits
    /// of a valid number in E.164 form (`"+4681234567"`), or an extension
    /// (`"1001"`). `None` for anything else, including other spellings of a
    /// valid number.
    pub fn from_dial_string(s: &str) -> Option<PhoneNumber> {
        if let Some(extension) = Self::extension(s) {
            return Some(extension);
        }
        let digits = s.strip_prefix('+')?;
        if !E164_DIGITS.contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let parsed = phonenumber::parse(None, s).ok()?;
        Self::from_parsed(&parsed)
            .ok()
            .filter(|number| number.dial_string() == s)
    }

    /// What to dial: `"+4681234567"` (E.164) or an extension, `"1001"`.
    /// Only `+` and ASCII digits.
    pub fn dial_string(&self) -> &str {
        match &self.0 {
            Inner::E164 { dial, .. } => dial,
            Inner::Extension(digits) => digits,
        }
    }

    /// For people: the international format (`"+46 8 123 456 78"`), or the
    /// extension as it is.
    pub fn display(&self) -> String {
        match &self.0 {
            Inner::E164 { international, .. } => international.clone(),
            Inner::Extension(digits) => digits.clone(),
        }
    }

    /// Whether this is a Zoom Phone extension rather than a full number.
    pub fn is_extension(&self) -> bool {
        matches!(self.0, Inner::Extension(_))
    }

    /// `text` as an extension: 2–6 ASCII digits, the first not `0`, and
    /// not an emergency number.
    fn extension(text: &str) -> Option<PhoneNumber> {
        (EXTENSION_DIGITS.contains(&text.len())
            && !EMERGENCY.contains(&text)
            && text.bytes().all(|b| b.is_ascii_digit())
            && !text.starts_with('0'))
        .then(|| PhoneNumber(Inner::Extension(text.to_owned())))
    }

    /// A parsed number, if valid, with its dial string checked.
    fn from_parsed(parsed: &phonenumber::PhoneNumber) -> Result<PhoneNumber, TargetError> {
        if parsed.extension().is_some() {
            return Err(TargetError::ExtensionNotSupported);
        }
        if !parsed.is_valid() {
            return Err(invalid_reason(parsed));
        }
        if parsed.number_type(&DATABASE) == Type::PremiumRate {
            return Err(TargetError::Restricted);
        }
        let dial = parsed.format().mode(Mode::E164).to_string();
        let digits = dial.strip_prefix('+').ok_or(TargetError::InvalidNumber)?;
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(TargetError::InvalidNumber);
        }
        if digits.len() > *E164_DIGITS.end() {
            return Err(TargetError::TooLong);
        }
        if digits.len() < *E164_DIGITS.start() {
            return Err(TargetError::TooShort);
        }
        let international = parsed.format().mode(Mode::International).to_string();
        Ok(PhoneNumber(Inner::E164 {
            dial,
            international,
        }))
    }
}

/// Reads the target of `/zoom call` from Slack's escaped command text: a
/// user mention, a `<tel:…|…>` link or a number as [`PhoneNumber::parse`]
/// reads it. Exactly one target; white space around it is ignored.
pub fn parse_target(raw: &str, default_region: Option<&str>) -> Result<CallTarget, TargetError> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(TargetError::Empty);
    }
    let Some(open) = text.find('<') else {
        return PhoneNumber::parse(text, default_region).map(CallTarget::Number);
    };
    if open > 0 {
        // Words or a number before a mention or link.
        return Err(TargetError::SeveralTargets);
    }
    let Some(close) = text.find('>') else {
        return Err(TargetError::NotANumber);
    };
    let target = slack_entity(&text[1..close], default_region)?;
    if !text[close + 1..].trim().is_empty() {
        return Err(TargetError::SeveralTargets);
    }
    Ok(target)
}

/// The ISO 3166 region of a full number (`"SE"` for `+46…`, `"CA"` for a
/// Canadian `+1…`), e.g. to read a caller's national numbers in the region of
/// their own Zoom Phone number. `None` for extensions and non-geographic
/// numbers (`+800…`).
pub fn region_of(number: &PhoneNumber) -> Option<String> {
    let Inner::E164 { dial, .. } = &number.0 else {
        return None;
    };
    let parsed = phonenumber::parse(None, dial).ok()?;
    // Not `parsed.country().id()`: phonenumber 0.3.10 drops the national
    // number's leading zeros there, so Italian numbers get no region.
    let national = parsed.national().to_string();
    for region in DATABASE.region(&parsed.code().value())? {
        let meta = DATABASE.by_id(region)?;
        let belongs = match meta.leading_digits() {
            Some(leading) => leading.find(&national).is_some_and(|m| m.start() == 0),
            None => {
                let descriptors = meta.descriptors();
                descriptors.general().is_match(&national)
                    && NUMBER_TYPES
                        .iter()
                        .filter_map(|kind| descriptors.get(*kind))
                        .any(|descriptor| descriptor.is_match(&national))
            }
        };
        if belongs {
            // "001" marks the non-geographic codes.
            return region.parse::<Id>().ok().map(|_| region.to_owned());
        }
    }
    None
}

/// The target inside `<…>` of Slack's escaped text.
fn slack_entity(inner: &str, default_region: Option<&str>) -> Result<CallTarget, TargetError> {
    let (target, _label) = inner.split_once('|').unwrap_or((inner, ""));
    if let Some(user_id) = target.strip_prefix('@') {
        return if is_user_id(user_id) {
            Ok(CallTarget::User {
                user_id: user_id.to_owned(),
            })
        } else {
            Err(TargetError::NotCallable)
        };
    }
    if has_tel_scheme(target) {
        return PhoneNumber::parse(target, default_region).map(CallTarget::Number);
    }
    Err(TargetError::NotCallable)
}

/// A Slack user id: `U` or `W`, then uppercase letters and digits.
fn is_user_id(id: &str) -> bool {
    let mut bytes = id.bytes();
    matches!(bytes.next(), Some(b'U' | b'W'))
        && id.len() > 1
        && bytes.all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

fn has_tel_scheme(text: &str) -> bool {
    text.get(..4)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("tel:"))
}

/// `text` without a leading `tel:` (any case).
fn strip_tel(text: &str) -> &str {
    if has_tel_scheme(text) {
        &text[4..]
    } else {
        text
    }
}

/// The ISO region `code` names, if phonenumber knows it.
fn region_id(code: &str) -> Option<Id> {
    code.trim().to_ascii_uppercase().parse().ok()
}

/// `digits` after the international call prefix dialled from `region`
/// (`00` from Sweden, `011` from the US), if they start with it. As in
/// libphonenumber, a `0` after it means it was no such prefix: no country
/// code starts with `0`.
fn strip_international_prefix(region: Id, digits: &str) -> Option<&str> {
    let prefix = DATABASE.by_id(region.as_ref())?.international_prefix()?;
    let found = prefix
        .find(digits)
        .filter(|m| m.start() == 0 && m.end() > 0)?;
    let rest = &digits[found.end()..];
    (!rest.starts_with('0')).then_some(rest)
}

/// A number's digits, read from its punctuation.
struct Lexed {
    /// Written with a leading `+`.
    plus: bool,
    /// ASCII digits only, at most [`MAX_INPUT_DIGITS`], at least one.
    digits: String,
}

/// Reads one number written with digits, a leading `+` and the punctuation
/// people use between groups: spaces (also non-breaking), `-` and other
/// dashes, `.`, `/` and one level of parentheses.
fn lex(text: &str) -> Result<Lexed, TargetError> {
    if has_extension_suffix(text) {
        return Err(TargetError::ExtensionNotSupported);
    }
    let mut words = false;
    let mut mixed = false;
    for token in text.split(char::is_whitespace) {
        let alphabetic = token.chars().any(char::is_alphabetic);
        words |= alphabetic;
        mixed |= alphabetic && token.chars().any(|c| c.is_ascii_digit());
    }

    let mut plus = false;
    let mut digits = String::new();
    let mut depth = 0u8;
    let mut malformed = false;
    let mut foreign = false;
    // A second `+` or a list separator (`,` `;` `&`) after digits: another
    // number begins if digits follow.
    let mut another = false;
    let mut several = false;
    for c in text.chars() {
        match c {
            '0'..='9' => {
                several |= another;
                if digits.len() <= MAX_INPUT_DIGITS {
                    digits.push(c);
                }
            }
            '+' if digits.is_empty() && !plus => plus = true,
            '+' | ',' | ';' | '&' if !digits.is_empty() => another = true,
            '+' | ',' | ';' | '&' => malformed = true,
            '(' if depth == 0 => depth = 1,
            ')' if depth == 1 => depth = 0,
            '(' | ')' => malformed = true,
            '-' | '.' | '/' | '\u{2010}'..='\u{2015}' | '\u{2212}' => {}
            c if c.is_whitespace() || c.is_alphabetic() => {}
            _ => foreign = true,
        }
    }
    if foreign || mixed || (words && digits.is_empty()) {
        return Err(TargetError::NotANumber);
    }
    if words || several {
        return Err(TargetError::SeveralTargets);
    }
    if malformed || another || depth != 0 || digits.is_empty() {
        return Err(TargetError::NotANumber);
    }
    if digits.len() > MAX_INPUT_DIGITS {
        return Err(TargetError::TooLong);
    }
    Ok(Lexed { plus, digits })
}

/// Whether `text` is digits followed by an extension: a marker word
/// ([`EXTENSION_MARKERS`]) and more digits, as in `… ext. 12`, `…x12` or
/// `…;ext=12`.
fn has_extension_suffix(text: &str) -> bool {
    let lower = text.to_lowercase();
    let Some(start) = lower.find(char::is_alphabetic) else {
        return false;
    };
    let (before, from_word) = lower.split_at(start);
    let end = from_word
        .find(|c: char| !c.is_alphabetic())
        .unwrap_or(from_word.len());
    let (word, after) = from_word.split_at(end);
    let after =
        after.trim_start_matches(|c: char| matches!(c, '.' | ':' | '=') || c.is_whitespace());
    before.contains(|c: char| c.is_ascii_digit())
        && EXTENSION_MARKERS.contains(&word)
        && after.contains(|c: char| c.is_ascii_digit())
        && after
            .chars()
            .all(|c| c.is_ascii_digit() || c.is_whitespace() || matches!(c, '-' | '.'))
}

/// Why phonenumber finds `parsed` invalid: its national number is shorter
/// or longer than any number of its country, or simply not one.
fn invalid_reason(parsed: &phonenumber::PhoneNumber) -> TargetError {
    let length = parsed.national().to_string().len();
    let lengths: Vec<u16> = DATABASE
        .by_code(&parsed.code().value())
        .unwrap_or_default()
        .iter()
        .flat_map(|meta| {
            NUMBER_TYPES
                .iter()
                .filter_map(|kind| meta.descriptors().get(*kind))
                .flat_map(|descriptor| descriptor.possible_length().iter().copied())
        })
        .collect();
    match (lengths.iter().min(), lengths.iter().max()) {
        (Some(&min), _) if length < usize::from(min) => TargetError::TooShort,
        (_, Some(&max)) if length > usize::from(max) => TargetError::TooLong,
        _ => TargetError::InvalidNumber,
    }
}

#[cfg(test)]
mod tests;
