//! Phone numbers and `/zoom call` targets. Input: `region\nnumber`, or a
//! number alone (no default region).
#![no_main]

use libfuzzer_sys::fuzz_target;
use zlack_domain::phone::{CallTarget, PhoneNumber, parse_target, region_of};

fuzz_target!(|text: &str| {
    let (region, number) = match text.split_once('\n') {
        Some((region, number)) => (Some(region), number),
        None => (None, text),
    };
    // Without a `<` (a mention or `<tel:…>` link), parse_target is
    // PhoneNumber::parse: one call covers both.
    if number.contains('<') {
        if let Ok(CallTarget::Number(parsed)) = parse_target(number, region) {
            check(&parsed);
        }
    } else if let Ok(parsed) = PhoneNumber::parse(number, region) {
        check(&parsed);
    }
    if let Some(parsed) = PhoneNumber::from_dial_string(number) {
        assert_eq!(parsed.dial_string(), number);
        check(&parsed);
    }
});

/// A number zlack accepted dials only `+` and digits, and its dial string
/// (what is stored and signed) reads back as the same number.
fn check(number: &PhoneNumber) {
    let dial = number.dial_string();
    assert!(
        dial.bytes()
            .enumerate()
            .all(|(i, b)| b.is_ascii_digit() || (i == 0 && b == b'+'))
    );
    assert_eq!(PhoneNumber::from_dial_string(dial).as_ref(), Some(number));
    let _ = (number.display(), region_of(number));
}
