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
