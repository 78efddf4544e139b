//! The landing page: a snapshot per Zoom mode in both languages, and the
//! rules the browser tests rely on (link names unique on the page, no link
//! whose settings are missing).

use std::collections::BTreeSet;

use zlack_domain::render::{
    self, LandingBlock, LandingInputs, LandingLink, LandingMode, LandingPage, LandingSectionId,
    LandingTarget,
};
use zlack_domain::{Lang, Texts};

fn mode_name(mode: LandingMode) -> &'static str {
    match mode {
        LandingMode::Personal => "personal",
        LandingMode::Organization => "organization",
        LandingMode::ServerToServer => "server-to-server",
    }
}

fn page(t: &Texts, lang: Lang, mode: LandingMode, missing: &[(&str, &str)]) -> LandingPage {
    let configured = |prefix: &str| !missing.iter().any(|(name, _)| name.starts_with(prefix));
    render::landing_page(
        t,
        lang,
        &LandingInputs {
            mode,
            mode_name: mode_name(mode),
            slack_install: configured("ZLACK_SLACK_CLIENT"),
            zoom_install: configured("ZLACK_ZOOM_CLIENT"),
            missing,
            public_url: "https://zlack.example.com/",
            database: "SQLite",
        },
    )
}

/// Every link of the page, in order.
fn links(page: &LandingPage) -> Vec<&LandingLink> {
    let mut out = Vec::new();
    for section in &page.sections {
        for block in &section.blocks {
            if let LandingBlock::Steps(steps) = block {
                out.extend(steps.iter().filter_map(|s| s.link.as_ref()));
            }
        }
    }
    out.push(&page.privacy);
    out
}

#[test]
fn the_landing_page_matches_its_snapshots() {
    let t = Texts::new();
    for lang in Lang::ALL {
        for mode in LandingMode::ALL {
            insta::assert_json_snapshot!(
                format!("landing.{}.{}", mode_name(mode), lang.code()),
                page(&t, lang, mode, &[])
            );
        }
        let missing = [
            (
                "ZLACK_SLACK_CLIENT_ID",
                "installs zlack into a Slack workspace",
            ),
            ("ZLACK_ZOOM_CLIENT_SECRET", "connects Slack users to Zoom"),
            ("ZLACK_SOMETHING_NEW", "a reason the page does not know yet"),
        ];
        insta::assert_json_snapshot!(
            format!("landing.missing.{}", lang.code()),
            page(&t, lang, LandingMode::Organization, &missing)
        );
    }
}

#[test]
fn each_mode_offers_its_links_with_names_unique_on_the_page() {
    let t = Texts::new();
    for lang in Lang::ALL {
        for mode in LandingMode::ALL {
            let page = page(&t, lang, mode, &[]);
            let links = links(&page);
            let targets: Vec<LandingTarget> = links.iter().map(|l| l.target).collect();
            let want = match mode {
                LandingMode::Personal => {
                    vec![LandingTarget::SlackInstall, LandingTarget::Privacy]
                }
                // The organization's Zoom step is on the page after Slack's
                // install, bound to that workspace.
                LandingMode::Organization | LandingMode::ServerToServer => {
                    vec![LandingTarget::SlackInstall, LandingTarget::Privacy]
                }
            };
            assert_eq!(targets, want, "{mode:?} {lang:?}");
            assert!(links.iter().all(|l| l.available));
            let names: BTreeSet<&str> = links.iter().map(|l| l.text.as_str()).collect();
            assert_eq!(names.len(), links.len(), "{mode:?} {lang:?}: {names:?}");
            let ids: Vec<LandingSectionId> = page.sections.iter().map(|s| s.id).collect();
            assert_eq!(
                ids,
                [
                    LandingSectionId::Setup,
                    LandingSectionId::Organization,
                    LandingSectionId::Personal,
                    LandingSectionId::Server,
                ]
            );
        }
    }
}

#[test]
fn the_link_names_are_the_ones_people_click() {
    let t = Texts::new();
    let names = |lang, mode| -> Vec<String> {
        links(&page(&t, lang, mode, &[]))
            .iter()
            .map(|l| l.text.clone())
            .collect()
    };
    assert_eq!(
        names(Lang::En, LandingMode::Organization),
        ["Add to Slack", "How your data is used"]
    );
    assert_eq!(
        names(Lang::Sv, LandingMode::Organization),
        ["Lägg till i Slack", "Hur dina data används"]
    );
    assert_eq!(
        names(Lang::En, LandingMode::Personal),
        ["Add to my Slack account", "How your data is used"]
    );
    assert_eq!(
        names(Lang::Sv, LandingMode::Personal),
        ["Lägg till i mitt Slack-konto", "Hur dina data används"]
    );
}

#[test]
fn a_link_whose_settings_are_missing_is_not_offered() {
    let t = Texts::new();
    for lang in Lang::ALL {
        let missing = [
            (
                "ZLACK_SLACK_CLIENT_SECRET",
                "installs zlack into a Slack workspace",
            ),
            ("ZLACK_ZOOM_CLIENT_ID", "connects Slack users to Zoom"),
        ];
        for mode in LandingMode::ALL {
            let page = page(&t, lang, mode, &missing);
            let unavailable = t.get(lang, "landing-link-unavailable", &[]);
            for section in &page.sections {
                for block in &section.blocks {
                    if let LandingBlock::Steps(steps) = block {
                        for step in steps.iter().filter(|s| s.link.is_some()) {
                            assert!(!step.link.as_ref().unwrap().available);
                            assert!(step.text.ends_with(&unavailable), "{}", step.text);
                        }
                    }
                }
            }
            assert!(page.privacy.available);
        }
    }
}
