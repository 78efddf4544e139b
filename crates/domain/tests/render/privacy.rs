//! The data-use page: a snapshot in both languages with every scope and
//! event the renderer can describe, and the checks its HTML relies on.

use zlack_domain::render::{self, Grant, PrivacyBlock, PrivacyInputs};
use zlack_domain::{Lang, Texts};

fn page(t: &Texts, lang: Lang, retention_days: u32) -> render::PrivacyPage {
    let slack_scopes = render::described(Grant::SlackScope);
    let slack_events = render::described(Grant::SlackEvent);
    let zoom_scopes = render::described(Grant::ZoomScope);
    let zoom_events = render::described(Grant::ZoomEvent);
    render::privacy_page(
        t,
        lang,
        &PrivacyInputs {
            slack_scopes: &slack_scopes,
            slack_events: &slack_events,
            zoom_scopes: &zoom_scopes,
            zoom_events: &zoom_events,
            retention_days,
            finished_days: 7,
            zoom_account_app: false,
            organization: false,
        },
    )
}

#[test]
fn the_privacy_page_matches_its_snapshot_in_both_languages() {
    let t = Texts::new();
    for lang in Lang::ALL {
        insta::assert_json_snapshot!(format!("privacy.{}", lang.code()), page(&t, lang, 90));
    }
}

#[test]
fn every_name_gets_its_own_purpose() {
    let t = Texts::new();
    for lang in Lang::ALL {
        let unknown = t.get(lang, "privacy-purpose-unknown", &[]);
        let page = page(&t, lang, 90);
        let mut purposes = Vec::new();
        for section in &page.sections {
            for block in &section.blocks {
                if let PrivacyBlock::Names(names) = block {
                    for named in names {
                        assert_ne!(named.purpose, unknown, "{}", named.name);
                        purposes.push(named.purpose.clone());
                    }
                }
            }
        }
        assert_eq!(purposes.len(), render::PURPOSES.len());
        let mut distinct = purposes.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), purposes.len(), "two names share a purpose");
    }
}

#[test]
fn the_retention_reads_well_for_one_day_and_for_many() {
    let t = Texts::new();
    let retention = |lang, days| {
        let page = page(&t, lang, days);
        match &page.sections[3].blocks[0] {
            PrivacyBlock::List(items) => items[0].clone(),
            other => panic!("{other:?}"),
        }
    };
    assert!(retention(Lang::En, 1).contains(" 1 day after"));
    assert!(retention(Lang::En, 3650).contains(" 3650 days after"));
    assert!(retention(Lang::Sv, 1).contains(" 1 dag efter"));
    assert!(retention(Lang::Sv, 90).contains(" 90 dagar efter"));
}
