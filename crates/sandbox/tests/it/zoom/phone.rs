use super::{authorize, exchange, token, zoom};
use crate::client;
use sandbox::{FakeZoom, Fault, ZoomUser};
use serde_json::Value;

/// A user-level access token of whoever logs in next (`zu1` by default).
async fn login_token(zoom: &FakeZoom) -> String {
    let code = authorize(zoom, None).await;
    exchange(zoom, &code).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn phone_user(zoom: &FakeZoom, access: &str, key: &str) -> (u16, Value) {
    let response = client()
        .get(format!("{}/phone/users/{key}", zoom.api_url()))
        .bearer_auth(access)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

#[tokio::test]
async fn a_phone_user_reads_its_own_profile_by_me_id_or_email() {
    let zoom = zoom().await;
    zoom.enable_phone("zu1", Some("1001"), &["+46812345678", "+46701234567"], "SE");
    let access = login_token(&zoom).await;

    let (status, me) = phone_user(&zoom, &access, "me").await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["id"], "zu1");
    assert_eq!(me["email"], "anna@example.com");
    assert_eq!(
        me["extension_number"], 1001,
        "a JSON number, as Zoom sends it"
    );
    assert_eq!(me["phone_numbers"][0]["number"], "+46812345678");
    assert_eq!(me["phone_numbers"][1]["number"], "+46701234567");
    assert!(me["phone_numbers"][0]["id"].is_string());
    assert_eq!(me["emergency_address"]["country"], "SE");
    assert_eq!(me["status"], "activate");
    assert!(me["phone_user_id"].is_string());

    for key in ["zu1", "ANNA@example.com"] {
        let (status, body) = phone_user(&zoom, &access, key).await;
        assert_eq!(status, 200);
        assert_eq!(body["phone_user_id"], me["phone_user_id"]);
    }
    assert_eq!(zoom.calls_to("GET /phone/users/me").len(), 1);
}

#[tokio::test]
async fn lines_without_numbers_or_extension_leave_those_fields_out() {
    let zoom = zoom().await;
    zoom.enable_phone("zu1", None, &[], "US");
    let access = login_token(&zoom).await;
    let (status, me) = phone_user(&zoom, &access, "me").await;
    assert_eq!(status, 200);
    assert!(me.get("extension_number").is_none());
    assert!(me.get("phone_numbers").is_none());
    assert_eq!(me["emergency_address"]["country"], "US");
}

#[tokio::test]
async fn users_without_zoom_phone_are_404_1001_and_accounts_without_it_403() {
    let zoom = zoom().await;
    let access = login_token(&zoom).await;

    let (status, body) = phone_user(&zoom, &access, "me").await;
    assert_eq!((status, body["code"].as_i64()), (404, Some(1001)));
    assert_eq!(body["message"], "User does not exist: me.");

    zoom.enable_phone("zu1", Some("1001"), &["+15550100"], "US");
    assert_eq!(phone_user(&zoom, &access, "me").await.0, 200);
    zoom.disable_phone("zu1");
    assert_eq!(phone_user(&zoom, &access, "me").await.0, 404);

    zoom.enable_phone("zu1", Some("1001"), &["+15550100"], "US");
    zoom.disable_phone_for_account();
    let (status, body) = phone_user(&zoom, &access, "me").await;
    assert_eq!((status, body["code"].as_i64()), (403, Some(2031)));
    assert_eq!(
        body["message"],
        "Zoom Phone has not been enabled for this account."
    );

    zoom.expire_access_tokens();
    let (status, body) = phone_user(&zoom, &access, "me").await;
    assert_eq!((status, body["code"].as_i64()), (401, Some(124)));
}

#[tokio::test]
async fn members_read_only_themselves_admins_and_accounts_anyone_in_the_account() {
    let zoom = zoom().await;
    zoom.add_user(ZoomUser::new("zu2", "bo@example.com", "Bo Ek"));
    zoom.add_user(ZoomUser {
        role: "admin".into(),
        ..ZoomUser::new("zadmin", "boss@example.com", "Bo Ss")
    });
    zoom.enable_phone("zu2", Some("1002"), &["+15550102"], "US");
    zoom.enable_phone("zadmin", Some("1000"), &[], "US");

    let member = login_token(&zoom).await;
    let (status, body) = phone_user(&zoom, &member, "bo@example.com").await;
    assert_eq!((status, body["code"].as_i64()), (400, Some(200)));
    let (status, body) = phone_user(&zoom, &member, "nobody@example.com").await;
    assert_eq!((status, body["code"].as_i64()), (404, Some(1001)));

    zoom.set_next_login("zadmin");
    let admin = login_token(&zoom).await;
    let (status, bo) = phone_user(&zoom, &admin, "zu2").await;
    assert_eq!(status, 200);
    assert_eq!(bo["extension_number"], 1002);

    let (status, body) = token(
        &zoom,
        &[
            ("grant_type", "account_credentials"),
            ("account_id", sandbox::ZOOM_ACCOUNT_ID),
        ],
    )
    .await;
    assert_eq!(status, 200);
    let account = body["access_token"].as_str().unwrap();
    let (status, me) = phone_user(&zoom, account, "me").await;
    assert_eq!((status, me["id"].as_str()), (200, Some("zadmin")));
    let (status, bo) = phone_user(&zoom, account, "bo@example.com").await;
    assert_eq!((status, bo["id"].as_str()), (200, Some("zu2")));
}

#[tokio::test]
async fn phone_faults_match_the_route_template() {
    let zoom = zoom().await;
    zoom.enable_phone("zu1", Some("1001"), &["+15550100"], "US");
    let access = login_token(&zoom).await;
    zoom.fail_next(
        "GET /phone/users/{userId}",
        Fault::ServerError { status: 503 },
        1,
    );
    assert_eq!(phone_user(&zoom, &access, "me").await.0, 503);
    assert_eq!(phone_user(&zoom, &access, "me").await.0, 200);
    let statuses: Vec<u16> = zoom
        .calls_to("GET /phone/users/me")
        .iter()
        .map(|c| c.status)
        .collect();
    assert_eq!(statuses, [503, 200]);
}
