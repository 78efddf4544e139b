use std::collections::{BTreeMap, BTreeSet};

use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};

use super::texts::{EN_FTL, SV_FTL};
use super::*;

/// Message id → the variables it references, straight from the .ftl source.
fn messages(source: &str) -> BTreeMap<String, BTreeSet<String>> {
    let resource = fluent_syntax::parser::parse(source).expect("the .ftl file parses");
    let mut out = BTreeMap::new();
    for entry in resource.body {
        match entry {
            Entry::Message(message) => {
                let mut vars = BTreeSet::new();
                let value = message.value.expect("every message has a value");
                pattern_vars(&value, &mut vars);
                for attribute in &message.attributes {
                    pattern_vars(&attribute.value, &mut vars);
                }
                let id = message.id.name.to_owned();
                assert!(out.insert(id.clone(), vars).is_none(), "{id} twice");
            }
            Entry::Junk { content } => panic!("unparsable: {content}"),
            _ => {}
        }
    }
    out
}

fn pattern_vars(pattern: &Pattern<&str>, vars: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let PatternElement::Placeable { expression } = element {
            expression_vars(expression, vars);
        }
    }
}

fn expression_vars(expression: &Expression<&str>, vars: &mut BTreeSet<String>) {
    match expression {
        Expression::Inline(inline) => inline_vars(inline, vars),
        Expression::Select { selector, variants } => {
            inline_vars(selector, vars);
            for variant in variants {
                pattern_vars(&variant.value, vars);
            }
        }
    }
}

fn inline_vars(inline: &InlineExpression<&str>, vars: &mut BTreeSet<String>) {
    match inline {
        InlineExpression::VariableReference { id } => {
            vars.insert(id.name.to_owned());
        }
        InlineExpression::FunctionReference { arguments, .. } => {
            for arg in &arguments.positional {
                inline_vars(arg, vars);
            }
            for arg in &arguments.named {
                inline_vars(&arg.value, vars);
            }
        }
        InlineExpression::Placeable { expression } => expression_vars(expression, vars),
        _ => {}
    }
}

#[test]
fn every_message_exists_in_both_languages_with_the_same_variables() {
    let en = messages(EN_FTL);
    let sv = messages(SV_FTL);
    let en_ids: BTreeSet<_> = en.keys().collect();
    let sv_ids: BTreeSet<_> = sv.keys().collect();
    assert_eq!(
        en_ids.difference(&sv_ids).collect::<Vec<_>>(),
        Vec::<&&String>::new(),
        "missing in sv"
    );
    assert_eq!(
        sv_ids.difference(&en_ids).collect::<Vec<_>>(),
        Vec::<&&String>::new(),
        "missing in en"
    );
    for (id, vars) in &en {
        assert_eq!(vars, &sv[id], "variables of {id}");
    }
}

#[test]
fn every_message_formats_without_errors_or_isolation_marks() {
    let texts = Texts::new();
    for (id, vars) in messages(EN_FTL) {
        let args: Vec<(&str, FluentArgValue)> = vars
            .iter()
            .map(|v| (v.as_str(), FluentArgValue::Str("x")))
            .collect();
        for lang in Lang::ALL {
            // `get` panics on formatting errors in test builds.
            let text = texts.get(lang, &id, &args);
            assert!(!text.trim().is_empty(), "{id} in {lang:?} is empty");
            assert!(
                !text.contains(['\u{2068}', '\u{2069}']),
                "{id} in {lang:?} has isolation marks"
            );
        }
    }
}

#[test]
fn swedish_uses_the_terms_users_know() {
    for term in [
        "Auktorisera Zoom",
        "direktmöte",
        "mötes-ID",
        "Lösenkod",
        "direktmeddelande",
        "gruppchatt",
        "Zoom Phone-samtal",
        "Zoom-administratör",
    ] {
        assert!(SV_FTL.contains(term), "sv lacks {term:?}");
    }
}

#[test]
#[should_panic(expected = "missing")]
fn a_missing_key_is_a_bug_in_tests() {
    Texts::new().get(Lang::Sv, "no-such-message", &[]);
}

#[test]
fn slack_locales_pick_the_language() {
    for (locale, lang) in [
        ("sv-SE", Lang::Sv),
        ("sv", Lang::Sv),
        ("SV_fi", Lang::Sv),
        ("en-US", Lang::En),
        ("de-DE", Lang::En),
        ("svx", Lang::En),
        ("", Lang::En),
    ] {
        assert_eq!(Lang::from_slack_locale(locale), lang, "{locale}");
    }
    assert_eq!(Lang::Sv.code(), "sv");
    assert_eq!(serde_json::to_string(&Lang::En).unwrap(), "\"en\"");
}

#[test]
fn texts_can_be_shared_between_request_handlers() {
    fn shareable<T: Send + Sync>() {}
    shareable::<Texts>();
}

/// Every identifier and number a variant of `pattern` is keyed by.
fn pattern_keys(pattern: &Pattern<&str>, keys: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let PatternElement::Placeable { expression } = element {
            expression_keys(expression, keys);
        }
    }
}

fn expression_keys(expression: &Expression<&str>, keys: &mut BTreeSet<String>) {
    match expression {
        Expression::Inline(InlineExpression::Placeable { expression }) => {
            expression_keys(expression, keys);
        }
        Expression::Inline(_) => {}
        Expression::Select { variants, .. } => {
            for variant in variants {
                keys.insert(match &variant.key {
                    fluent_syntax::ast::VariantKey::Identifier { name } => (*name).to_owned(),
                    fluent_syntax::ast::VariantKey::NumberLiteral { value } => (*value).to_owned(),
                });
                pattern_keys(&variant.value, keys);
            }
        }
    }
}

/// Each message of `source` with the values worth giving all its
/// variables: a word, numbers for plural forms, and every variant key the
/// message selects on, so each variant is formatted at least once.
fn messages_with_values(source: &str) -> Vec<(String, Vec<String>, Vec<String>)> {
    let resource = fluent_syntax::parser::parse(source).expect("the .ftl file parses");
    let vars = messages(source);
    let mut out = Vec::new();
    for entry in resource.body {
        if let Entry::Message(message) = entry {
            let mut keys = BTreeSet::new();
            pattern_keys(message.value.as_ref().expect("a value"), &mut keys);
            let id = message.id.name.to_owned();
            let names = vars[&id].iter().cloned().collect();
            let mut values = vec![
                "x".to_owned(),
                "0".to_owned(),
                "1".to_owned(),
                "2".to_owned(),
            ];
            values.extend(keys);
            out.push((id, names, values));
        }
    }
    out
}

/// Where `text` names the slash command `/zoom` itself: followed by a
/// space, punctuation or the end, not part of a path or host
/// (`/zoom/webhook`, `https://zoom.us`).
fn names_zoom_command(text: &str) -> bool {
    let part_of_a_name = |c: char| c == '/' || c == '_' || c.is_alphanumeric();
    text.match_indices("/zoom").any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + "/zoom".len()..].chars().next();
        !before.is_some_and(part_of_a_name) && !after.is_some_and(part_of_a_name)
    })
}

#[test]
fn no_message_hard_codes_the_slash_command() {
    let texts = Texts::with_command("/meet");
    assert_eq!(texts.command(), "/meet");
    let mut named = 0;
    for (id, names, values) in messages_with_values(EN_FTL) {
        for value in &values {
            let args: Vec<(&str, FluentArgValue)> = names
                .iter()
                .map(|name| {
                    let value = match value.parse::<i64>() {
                        Ok(n) => FluentArgValue::Num(n),
                        Err(_) => FluentArgValue::Str(value),
                    };
                    (name.as_str(), value)
                })
                .collect();
            for lang in Lang::ALL {
                let text = texts.get(lang, &id, &args);
                assert!(
                    !names_zoom_command(&text),
                    "{id} in {lang:?} names /zoom: {text}"
                );
                named += usize::from(text.contains("/meet"));
            }
        }
    }
    assert!(named > 100, "the command is named in {named} texts only");
}

#[test]
fn the_default_command_is_zoom() {
    let texts = Texts::new();
    assert_eq!(texts.command(), "/zoom");
    assert_eq!(texts.get(Lang::En, "help-title", &[]), "How to use /zoom");
    assert_eq!(
        texts.get(Lang::Sv, "home-settings-pmi-hint", &[]),
        "Starta /zoom-möten i ditt personliga mötes-ID i stället för i ett nytt mötes-ID."
    );
    assert!(names_zoom_command("type /zoom."));
    assert!(names_zoom_command("/zoom"));
    assert!(names_zoom_command("/zoom-möten"));
    assert!(!names_zoom_command("https://example.com/zoom/webhook"));
    assert!(!names_zoom_command("/zoomed"));
    assert!(!names_zoom_command("https://zoom.us/j/1"));
}

#[test]
fn a_command_cannot_inject_fluent_syntax() {
    let command = "/a{ $b }\"\\\n-x = y\n[z]*😀";
    let texts = Texts::with_command(command);
    assert_eq!(texts.command(), command);
    for lang in Lang::ALL {
        let title = texts.get(lang, "help-title", &[]);
        assert!(title.ends_with(command), "{title:?}");
    }
}

#[test]
fn the_modals_error_messages_do_not_name_the_command() {
    // `slack::views` answers modal submissions with texts for `/zoom`.
    let (zoom, meet) = (Texts::new(), Texts::with_command("/meet"));
    for key in [
        "home-settings-error-missing",
        "home-settings-error-choice",
        "schedule-modal-error-missing",
        "schedule-modal-error-choice",
        "schedule-error-past",
        "schedule-error-skipped",
        "schedule-error-repeated",
    ] {
        for lang in Lang::ALL {
            let args = [("zone", FluentArgValue::Str("UTC"))];
            assert_eq!(
                zoom.get(lang, key, &args),
                meet.get(lang, key, &args),
                "{key}"
            );
        }
    }
}
