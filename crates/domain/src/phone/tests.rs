use super::*;
use proptest::prelude::*;

fn dial(raw: &str, region: Option<&str>) -> Result<String, TargetError> {
    match parse_target(raw, region)? {
        CallTarget::Number(number) => Ok(number.dial_string().to_owned()),
        CallTarget::User { user_id } => panic!("{raw:?} read as user {user_id}"),
    }
}

fn is_dial_string(s: &str) -> bool {
    let digits = s.strip_prefix('+').unwrap_or(s);
    (2..=16).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
}

#[test]
fn spellings_normalise_to_e164() {
    let cases: &[(&str, Option<&str>, &str)] = &[
        ("+46 8 123 456 78", None, "+46812345678"),
        ("+46-8-123 456 78", None, "+46812345678"),
        ("+46.8.123.456.78", None, "+46812345678"),
        ("+46/8/123 456 78", None, "+46812345678"),
        ("+46\u{a0}8\u{a0}123\u{a0}456\u{a0}78", None, "+46812345678"),
        ("+46 8 123 456 78", Some("US"), "+46812345678"),
        ("+46 11 12 34 56", Some("US"), "+4611123456"),
        ("011 46 11 12 34 56", Some("US"), "+4611123456"),
        ("0046 11 12 34 56", Some("GB"), "+4611123456"),
        ("0046 8 123 456 78", None, "+46812345678"),
        ("0046 8 123 456 78", Some("SE"), "+46812345678"),
        ("08-123 456 78", Some("SE"), "+46812345678"),
        ("08-123 456 78", Some("se"), "+46812345678"),
        ("(08) 123 456 78", Some("SE"), "+46812345678"),
        ("070 123 45 67", Some("SE"), "+46701234567"),
        ("070-123 45 67", Some("SE"), "+46701234567"),
        ("070\u{2013}123 45 67", Some("SE"), "+46701234567"),
        ("+46 (0)8 123 456 78", None, "+46812345678"),
        ("+46 (0)8 123 45 67", None, "+4681234567"),
        ("+46 (0)70 123 45 67", Some("SE"), "+46701234567"),
        ("  +46 70 123 45 67  ", None, "+46701234567"),
        ("+1 (415) 555-0132", None, "+14155550132"),
        ("(415) 555-0132", Some("US"), "+14155550132"),
        ("415.555.0132", Some("US"), "+14155550132"),
        ("1 415 555 0132", Some("US"), "+14155550132"),
        ("011 46 8 123 456 78", Some("US"), "+46812345678"),
        ("+44 20 7946 0958", None, "+442079460958"),
        ("020 7946 0958", Some("GB"), "+442079460958"),
        ("+39 06 1234 5678", None, "+390612345678"),
        ("030 1234567", Some("DE"), "+49301234567"),
        ("<tel:+4681234567|+46 8 123 45 67>", None, "+4681234567"),
        ("<tel:+4681234567>", None, "+4681234567"),
        ("<TEL:08-123 45 67|08-123 45 67>", Some("SE"), "+4681234567"),
        ("tel:+46701234567", None, "+46701234567"),
        ("+80012345678", None, "+80012345678"),
    ];
    for (raw, region, expected) in cases {
        assert_eq!(
            dial(raw, *region).as_deref(),
            Ok(*expected),
            "{raw:?} in {region:?}"
        );
    }
}

#[test]
fn display_is_the_international_format() {
    let number = PhoneNumber::parse("08-123 456 78", Some("SE")).unwrap();
    assert_eq!(number.display(), "+46 8 123 456 78");
    assert!(!number.is_extension());
    let number = PhoneNumber::parse("070 123 45 67", Some("SE")).unwrap();
    assert_eq!(number.display(), "+46 70 123 45 67");
    let number = PhoneNumber::parse("(415) 555-0132", Some("US")).unwrap();
    assert_eq!(number.display(), "+1 415-555-0132");
}

#[test]
fn short_digits_are_extensions() {
    for (raw, region) in [
        ("1001", None),
        ("1001", Some("SE")),
        ("42", Some("US")),
        ("123456", None),
    ] {
        let CallTarget::Number(number) = parse_target(raw, region).unwrap() else {
            panic!("{raw:?} not a number");
        };
        assert!(number.is_extension(), "{raw:?}");
        assert_eq!(number.dial_string(), raw);
        assert_eq!(number.display(), raw);
        assert_eq!(region_of(&number), None);
    }
    assert_eq!(
        dial("<tel:1001|1001>", None).as_deref(),
        Ok("1001"),
        "a linked extension"
    );
    // Not extensions: a leading 0, a single digit, punctuation, seven digits.
    assert_eq!(dial("012", None), Err(TargetError::UnknownRegion));
    assert_eq!(dial("7", None), Err(TargetError::TooShort));
    assert_eq!(dial("10 01", None), Err(TargetError::UnknownRegion));
    assert_eq!(dial("1234567", None), Err(TargetError::UnknownRegion));
}

#[test]
fn mentions_are_users() {
    for raw in ["<@U123ABC|jane>", "<@U123ABC>", "  <@U123ABC|jane doe>  "] {
        assert_eq!(
            parse_target(raw, None),
            Ok(CallTarget::User {
                user_id: "U123ABC".to_owned()
            }),
            "{raw:?}"
        );
    }
    assert_eq!(
        parse_target("<@W0AB12>", Some("SE")),
        Ok(CallTarget::User {
            user_id: "W0AB12".to_owned()
        })
    );
}

#[test]
fn garbage_is_refused_precisely() {
    use TargetError::*;
    let cases: &[(&str, Option<&str>, TargetError)] = &[
        ("", None, Empty),
        ("   ", Some("SE"), Empty),
        ("hello", None, NotANumber),
        ("hello", Some("SE"), NotANumber),
        ("123abc", Some("SE"), NotANumber),
        ("+", None, NotANumber),
        ("++46 8 123 456 78", None, NotANumber),
        ("+46", None, TooShort),
        ("08-123", Some("SE"), TooShort),
        ("+46 8 12", None, TooShort),
        ("+46 8 123 456 78 ext 12", None, ExtensionNotSupported),
        ("+46 8 123 456 78 ext. 12", None, ExtensionNotSupported),
        ("+46 8 123 456 78 x12", None, ExtensionNotSupported),
        ("(415) 555-0132 x 7", Some("US"), ExtensionNotSupported),
        ("tel:+46812345678;ext=12", None, ExtensionNotSupported),
        ("12345678901234567890123456789012345", None, TooLong),
        ("12345678901234567890123456789012345", Some("SE"), TooLong),
        ("+46 1234 5678 9012 3456", None, TooLong),
        ("+999 123 456 789", None, InvalidNumber),
        ("+46 0000 000", None, InvalidNumber),
        ("08-123 456 78", None, UnknownRegion),
        ("08-123 456 78", Some("XX"), UnknownRegion),
        ("(415) 555-0132", None, UnknownRegion),
        ("+46 8 1234 5678 and +46 8 8765 4321", None, SeveralTargets),
        ("+46 8 123 456 78 +46 8 876 543 21", None, SeveralTargets),
        ("070-123 45 67, 070-765 43 21", Some("SE"), SeveralTargets),
        ("call +46 8 123 456 78", None, SeveralTargets),
        ("+46 8 123 456 78 please", None, SeveralTargets),
        ("<mailto:a@b.c|a@b.c>", None, NotCallable),
        ("<#C123|general>", None, NotCallable),
        ("<!here>", None, NotCallable),
        ("<!subteam^S123|devs>", None, NotCallable),
        ("<https://example.com>", None, NotCallable),
        ("<@jane>", None, NotCallable),
        ("<@u123abc>", None, NotCallable),
        ("<@U123ABC> hi", None, SeveralTargets),
        ("<@U123ABC> <@U456DEF>", None, SeveralTargets),
        ("<@U123ABC|jane> +46 8 123 456 78", None, SeveralTargets),
        ("+46 8 123 456 78 <@U123ABC>", None, SeveralTargets),
        (
            "<tel:+4681234567|+46 8 123 45 67> 1001",
            None,
            SeveralTargets,
        ),
        ("<@U123ABC", None, NotANumber),
        ("📞 +46 8 123 456 78", None, NotANumber),
        ("😀", None, NotANumber),
        ("+46 8 123 456 78 #", None, NotANumber),
        ("*123#", None, NotANumber),
        ("(+46 (8) 123 456 78", None, NotANumber),
        ("+46 8) 123 456 78", None, NotANumber),
        ("+46 8 123 456 78,", None, NotANumber),
        ("\u{664}\u{666}\u{668}", None, NotANumber),
        ("tel:", None, NotANumber),
        ("<tel:hello|hello>", None, NotANumber),
    ];
    for (raw, region, expected) in cases {
        assert_eq!(dial(raw, *region), Err(*expected), "{raw:?} in {region:?}");
    }
}

#[test]
fn dial_strings_round_trip_and_nothing_else_does() {
    for dial in [
        "+46812345678",
        "+4681234567",
        "+14155550132",
        "+390612345678",
        "1001",
    ] {
        let number = PhoneNumber::from_dial_string(dial).unwrap();
        assert_eq!(number.dial_string(), dial);
    }
    for bad in [
        "",
        "+",
        "+46",
        "0812345678",
        "+46 8 123 456 78",
        "+460812345678",
        "+4681234567x",
        "+999123456789",
        "01001",
        "1234567",
        "+46812345678\n",
        "tel:+46812345678",
    ] {
        assert_eq!(PhoneNumber::from_dial_string(bad), None, "{bad:?}");
    }
}

#[test]
fn regions_of_numbers() {
    let region = |raw: &str| region_of(&PhoneNumber::parse(raw, None).unwrap());
    assert_eq!(region("+46812345678").as_deref(), Some("SE"));
    assert_eq!(region("+14155550132").as_deref(), Some("US"));
    assert_eq!(region("+14165550132").as_deref(), Some("CA"));
    assert_eq!(region("+442079460958").as_deref(), Some("GB"));
    assert_eq!(region("+390612345678").as_deref(), Some("IT"));
    assert_eq!(region("+80012345678"), None);
    // A caller's own number gives the region for their national numbers.
    let own = PhoneNumber::from_dial_string("+46701234567").unwrap();
    let region = region_of(&own);
    assert_eq!(
        dial("08-123 456 78", region.as_deref()).as_deref(),
        Ok("+46812345678")
    );
}

#[test]
fn errors_read_as_sentences() {
    assert_eq!(TargetError::TooShort.to_string(), "the number is too short");
    assert_eq!(
        TargetError::SeveralTargets.to_string(),
        "only one number or user can be called"
    );
}

fn check_any(raw: &str, region: Option<&str>) -> Result<(), TestCaseError> {
    if let Ok(CallTarget::Number(number)) = parse_target(raw, region) {
        let dial = number.dial_string();
        prop_assert!(is_dial_string(dial), "{raw:?} gave {dial:?}");
        prop_assert_eq!(PhoneNumber::from_dial_string(dial), Some(number.clone()));
    }
    Ok(())
}

fn regions() -> impl Strategy<Value = Option<&'static str>> {
    prop::option::of(prop::sample::select(vec![
        "SE", "US", "GB", "DE", "IT", "BR", "xx",
    ]))
}

/// Numbers in many countries, spelt in many ways, many of them valid.
fn plausible_numbers() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec!["+", "+", "+", "00", "011 ", "0", "", "+46 (0)"]),
        prop::sample::select(vec![
            "46 8", "46 70", "1 415", "1 416", "44 20", "49 30", "39 06", "55 11 9", "61 2",
            "33 1", "81 3", "91 98", "358 40", "7 495", "86 10", "800", "",
        ]),
        prop::sample::select(vec![" ", "-", ".", "/", "\u{a0}", ""]),
        "[0-9]{1,9}",
        prop::sample::select(vec!["", "", "", "", "", "", " ext 1", ", 1001", " x", ">"]),
        prop::bool::weighted(0.2),
    )
        .prop_map(|(prefix, lead, separator, body, suffix, linked)| {
            let (left, right) = body.split_at(body.len() / 2);
            let number = format!("{prefix}{lead}{separator}{left}{separator}{right}{suffix}");
            if linked {
                format!("<tel:{number}|{number}>")
            } else {
                number
            }
        })
}

proptest! {
    #[test]
    fn any_input_gives_a_safe_dial_string(raw in any::<String>(), region in regions()) {
        check_any(&raw, region)?;
    }

    #[test]
    fn number_like_input_gives_a_safe_dial_string(
        raw in "(<tel:)?[+]?[0-9 ()./\u{a0}-]{0,24}(ext|x| |,|and)?[0-9]{0,3}[|>]?",
        region in regions(),
    ) {
        check_any(&raw, region)?;
    }

    #[test]
    fn plausible_numbers_give_a_safe_dial_string(
        raw in plausible_numbers(),
        region in regions(),
    ) {
        check_any(&raw, region)?;
    }

    #[test]
    fn valid_numbers_in_any_spelling_parse(
        national in prop::sample::select(vec!["812345678", "701234567", "31123456"]),
        separator in prop::sample::select(vec![" ", "-", ".", "/", "\u{a0}", ""]),
        prefix in prop::sample::select(vec!["+46", "0046", "0"]),
    ) {
        let spaced: Vec<String> = national
            .as_bytes()
            .chunks(2)
            .map(|pair| String::from_utf8_lossy(pair).into_owned())
            .collect();
        let raw = format!("{prefix}{separator}{}", spaced.join(separator));
        let expected = format!("+46{national}");
        prop_assert_eq!(dial(&raw, Some("SE")), Ok(expected));
    }
}

mod restricted {
    use super::*;

    #[test]
    fn emergency_and_premium_rate_numbers_are_not_dialled() {
        for emergency in ["112", "911", "999", "<tel:112|112>", " 911 "] {
            assert_eq!(
                parse_target(emergency, Some("SE")),
                Err(TargetError::Restricted),
                "{emergency}"
            );
            assert!(PhoneNumber::from_dial_string(emergency.trim()).is_none());
        }
        for premium in ["+44 909 879 0000", "+1 900 555 0123", "+46 939 123 456"] {
            assert_eq!(
                PhoneNumber::parse(premium, None),
                Err(TargetError::Restricted),
                "{premium}"
            );
        }
        // Ordinary extensions and numbers are unaffected.
        assert_eq!(
            PhoneNumber::parse("1001", None).unwrap().dial_string(),
            "1001"
        );
    }
}
