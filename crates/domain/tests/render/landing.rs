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
            slack_socket_mode: false,
            zoom_events_websocket: false,
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
    out.push(&page.limitations);
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
                    vec![
                        LandingTarget::SlackInstall,
                        LandingTarget::Privacy,
                        LandingTarget::Limitations,
                    ]
                }
                // The organization's Zoom step is on the page after Slack's
                // install, bound to that workspace.
                LandingMode::Organization | LandingMode::ServerToServer => {
                    vec![
                        LandingTarget::SlackInstall,
                        LandingTarget::Privacy,
                        LandingTarget::Limitations,
                    ]
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
        ["Add to Slack", "How your data is used", "Known limitations"]
    );
    assert_eq!(
        names(Lang::Sv, LandingMode::Organization),
        [
            "Lägg till i Slack",
            "Hur dina data används",
            "Kända begränsningar"
        ]
    );
    assert_eq!(
        names(Lang::En, LandingMode::Personal),
        [
            "Add to my Slack account",
            "How your data is used",
            "Known limitations"
        ]
    );
    assert_eq!(
        names(Lang::Sv, LandingMode::Personal),
        [
            "Lägg till i mitt Slack-konto",
            "Hur dina data används",
            "Kända begränsningar"
        ]
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
            assert!(page.limitations.available);
        }
    }
}

/// The server section's facts as (term, value).
fn facts(page: &LandingPage) -> Vec<(String, String)> {
    page.sections
        .iter()
        .filter(|s| s.id == LandingSectionId::Server)
        .flat_map(|s| &s.blocks)
        .filter_map(|b| match b {
            LandingBlock::Facts(facts) => Some(facts),
            _ => None,
        })
        .flatten()
        .map(|f| (f.term.clone(), f.value.clone()))
        .collect()
}

#[test]
fn the_server_section_says_how_slack_and_zoom_reach_the_server() {
    let t = Texts::new();
    let inputs = |socket, websocket| LandingInputs {
        mode: LandingMode::ServerToServer,
        mode_name: "server-to-server",
        slack_install: true,
        zoom_install: true,
        missing: &[],
        public_url: "https://zlack.example.com/",
        database: "PostgreSQL",
        slack_socket_mode: socket,
        zoom_events_websocket: websocket,
    };
    let value = |lang, socket, websocket, term: &str| {
        let page = render::landing_page(&t, lang, &inputs(socket, websocket));
        facts(&page)
            .into_iter()
            .find(|(t, _)| t == term)
            .map(|(_, v)| v)
            .unwrap_or_else(|| panic!("no fact {term}"))
    };
    let slack = "How Slack reaches this server";
    let zoom = "How Zoom's events arrive";
    assert!(value(Lang::En, true, false, slack).starts_with("Socket Mode"));
    assert!(value(Lang::En, false, false, slack).starts_with("Request URLs"));
    assert!(value(Lang::En, false, true, zoom).starts_with("WebSocket"));
    assert!(value(Lang::En, false, false, zoom).starts_with("Webhook"));
    let sv = value(Lang::Sv, true, true, "Så når Slack den här servern");
    assert!(sv.starts_with("Socket Mode"), "{sv}");
    assert!(
        value(Lang::Sv, true, true, "Så kommer händelser från Zoom fram").starts_with("WebSocket")
    );
}

#[test]
fn the_known_limitations_page_matches_its_snapshots() {
    let t = Texts::new();
    for lang in Lang::ALL {
        let page = zlack_domain::render::limitations_page(&t, lang);
        assert_eq!(page.items.len(), zlack_domain::render::LIMITATIONS.len());
        insta::assert_json_snapshot!(format!("limitations.{}", lang.code()), page);
    }
}
