use super::*;
use crate::zoom::oauth::ZoomOAuth;
use sandbox::{FakeZoom, Fault, ZoomUser};
use serde_json::{Value, json};
use std::time::Duration;

struct Setup {
    zoom: FakeZoom,
    api: ZoomApi,
    token: Secret,
}

/// A fake with user `zu1` and a user-level access token for it.
async fn setup() -> Setup {
    let zoom = FakeZoom::start().await;
    zoom.set_client("client-1", "client-secret-1");
    let mut ann = ZoomUser::new("zu1", "ann@example.com", "Ann Example");
    ann.vanity_name = Some("ann".to_owned());
    zoom.add_user(ann);
    zoom.set_next_login("zu1");
    let http = crate::http_client::build();
    let oauth_base = url::Url::parse(&zoom.oauth_url()).unwrap();
    let secret = Secret::new("client-secret-1");
    let oauth = ZoomOAuth::new(http.clone(), &oauth_base, "client-1", secret);
    let pkce = crate::zoom::pkce::Pkce::generate();
    let authorize = crate::zoom::oauth::authorize_url(
        &oauth_base,
        "client-1",
        "https://zlack.test/cb",
        "st",
        &pkce.challenge,
    );
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let response = browser.get(authorize).send().await.unwrap();
    let location = response.headers()[reqwest::header::LOCATION]
        .to_str()
        .unwrap();
    let callback = url::Url::parse(location).unwrap();
    let code = callback
        .query_pairs()
        .find(|(k, _)| k == "code")
        .map(|(_, v)| v.into_owned())
        .unwrap();
    let tokens = oauth
        .exchange_code(&code, "https://zlack.test/cb", &pkce.verifier)
        .await
        .unwrap();
    let api = ZoomApi::new(http, &url::Url::parse(&zoom.api_url()).unwrap());
    Setup {
        zoom,
        api,
        token: tokens.access_token,
    }
}

fn full_request() -> CreateMeeting {
    CreateMeeting {
        topic: "Standup".to_owned(),
        kind: MeetingType::Scheduled,
        start_time: Some("2030-01-02T09:00:00Z".to_owned()),
        duration: Some(15),
        timezone: Some("Europe/Stockholm".to_owned()),
        settings: Some(MeetingSettings {
            join_before_host: Some(true),
            waiting_room: Some(false),
        }),
    }
}

#[test]
fn uuids_are_encoded_twice_only_when_zoom_needs_it() {
    assert_eq!(
        encode_uuid("4444AAAiAAAAAiAiAiiAii=="),
        "4444AAAiAAAAAiAiAiiAii%3D%3D"
    );
    assert_eq!(encode_uuid("ab/c+d=="), "ab%2Fc%2Bd%3D%3D");
    assert_eq!(
        encode_uuid("/ajXp112QmuoKj4854875=="),
        "%252FajXp112QmuoKj4854875%253D%253D"
    );
    assert_eq!(encode_uuid("ab//cd"), "ab%252F%252Fcd");
}

#[test]
fn users_without_a_display_name_get_first_and_last_name() {
    let body =
        json!({"id": "z", "first_name": "Ann", "last_name": "Lee", "pmi": "123", "extra": 1});
    let user: ZoomUserInfo = serde_json::from_value(body).unwrap();
    assert_eq!(user.display_name, "Ann Lee");
    assert_eq!(user.pmi, Some(123));
    assert!(user.is_active());
}

#[test]
fn create_request_uses_zoom_field_names() {
    let body = serde_json::to_value(full_request()).unwrap();
    assert_eq!(body["type"], 2);
    assert_eq!(body["settings"]["join_before_host"], true);
    let bare = serde_json::to_value(CreateMeeting::instant("Now")).unwrap();
    assert_eq!(bare, json!({"topic": "Now", "type": 1}));
}

/// Collects the properties a schema node allows, through `allOf`.
fn properties(schema: &Value) -> serde_json::Map<String, Value> {
    let mut out = schema
        .get("properties")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    for part in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        out.extend(properties(part));
    }
    out
}

fn conforms(value: &Value, schema: &Value, path: &str) {
    let expected = schema.get("type").and_then(Value::as_str);
    let fits = match (expected, value) {
        (Some("integer"), v) => v.is_u64() || v.is_i64(),
        (Some("string"), v) => v.is_string(),
        (Some("boolean"), v) => v.is_boolean(),
        (Some("object"), v) => v.is_object(),
        _ => true,
    };
    assert!(fits, "{path} is not of type {expected:?}");
    if let Value::Object(fields) = value {
        let allowed = properties(schema);
        for (key, field) in fields {
            let inner = allowed
                .get(key)
                .unwrap_or_else(|| panic!("{path}.{key} is not in Zoom's schema"));
            conforms(field, inner, &format!("{path}.{key}"));
        }
    }
}

#[test]
fn create_request_fields_exist_in_zoom_openapi_schema() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/specs/zoom/openapi_v2_create_meeting_request.schema.json"
    );
    let Ok(text) = std::fs::read_to_string(path) else {
        println!("note: {path} not found; schema check skipped");
        return;
    };
    let schema: Value = serde_json::from_str(&text).unwrap();
    let body = serde_json::to_value(full_request()).unwrap();
    conforms(&body, &schema, "body");
}

#[tokio::test]
async fn me_describes_the_tokens_user() {
    let s = setup().await;
    let me = s.api.me(&s.token).await.unwrap();
    assert_eq!(me.id, "zu1");
    assert_eq!(me.email, "ann@example.com");
    assert_eq!(me.display_name, "Ann Example");
    assert!(me.pmi.is_some());
    assert_eq!(me.vanity_url.as_deref(), Some("https://zoom.us/my/ann"));
    assert_eq!(me.account_id.as_deref(), Some(sandbox::ZOOM_ACCOUNT_ID));
    assert_eq!(me.timezone.as_deref(), Some("UTC"));
    let call = &s.zoom.calls_to("GET /users/me")[0];
    assert_eq!(call.bearer.as_deref(), Some(s.token.expose()));
}

#[tokio::test]
async fn user_lookups_distinguish_missing_from_forbidden() {
    let s = setup().await;
    s.zoom
        .add_user(ZoomUser::new("zu2", "bo+x@example.com", "Bo X"));
    let missing = s.api.user(&s.token, "nobody@example.com").await;
    assert_eq!(missing.unwrap_err(), ZoomError::NotFound { code: 1001 });
    let other = s.api.user(&s.token, "bo+x@example.com").await.unwrap_err();
    assert!(
        matches!(other, ZoomError::Forbidden { code: 200, .. }),
        "{other:?}"
    );
    assert_eq!(s.api.user(&s.token, "zu1").await.unwrap().id, "zu1");
}

#[tokio::test]
async fn created_meeting_can_be_read_back() {
    let s = setup().await;
    let created = s
        .api
        .create_meeting(&s.token, "me", &full_request())
        .await
        .unwrap();
    assert_eq!(created.topic, "Standup");
    assert!(created.join_url.contains(&created.id.to_string()));
    assert!(created.start_url.expose().contains("zak="));
    assert_eq!(created.timezone.as_deref(), Some("Europe/Stockholm"));
    let debug = format!("{created:?}");
    assert!(!debug.contains("zak="), "{debug}");
    assert!(!debug.contains(created.password.as_deref().unwrap()));

    let sent = &s.zoom.calls_to("POST /users/me/meetings")[0];
    assert_eq!(sent.args["type"], 2);
    assert_eq!(sent.args["duration"], 15);
    assert_eq!(sent.args["settings"]["join_before_host"], true);

    let info = s.api.meeting(&s.token, created.id).await.unwrap();
    assert_eq!(info.id, created.id);
    assert_eq!(info.kind, 2);
    assert_eq!(info.uuid, created.uuid);
    assert_eq!(info.status.as_deref(), Some("waiting"));
    assert_eq!(info.duration, Some(15));
    assert!(!format!("{info:?}").contains("zak="));

    let missing = s.api.meeting(&s.token, 1).await.unwrap_err();
    assert_eq!(missing, ZoomError::NotFound { code: 3001 });
}

#[tokio::test]
async fn deactivated_user_cannot_create_meetings() {
    let s = setup().await;
    let mut ann = ZoomUser::new("zu1", "ann@example.com", "Ann Example");
    ann.status = "inactive".to_owned();
    s.zoom.add_user(ann);
    let create = s
        .api
        .create_meeting(&s.token, "me", &CreateMeeting::instant("x"))
        .await;
    assert_eq!(create.unwrap_err(), ZoomError::AccountDeactivated);
    assert_eq!(
        s.api.me(&s.token).await.unwrap_err(),
        ZoomError::AccountDeactivated
    );
}

#[tokio::test]
async fn expired_token_is_unauthorized() {
    let s = setup().await;
    s.zoom.expire_access_tokens();
    let error = s.api.me(&s.token).await.unwrap_err();
    assert_eq!(error, ZoomError::Unauthorized);
    assert!(!error.is_retryable());
}

#[tokio::test]
async fn rate_limits_carry_retry_after_and_the_daily_flag() {
    let s = setup().await;
    let per_second = Fault::RateLimited {
        retry_after_secs: 7,
    };
    s.zoom
        .fail_next("POST /users/{userId}/meetings", per_second, 1);
    let req = CreateMeeting::instant("x");
    let error = s
        .api
        .create_meeting(&s.token, "me", &req)
        .await
        .unwrap_err();
    let ZoomError::RateLimited { retry_after, daily } = error else {
        panic!("expected a rate limit, got {error:?}");
    };
    assert!(retry_after >= Duration::from_secs(7));
    assert!(!daily);

    let message = "You have reached the maximum daily rate limit for this API. \
                   Refer to the response header for details on when you can make another request.";
    let daily_limit = Fault::ZoomError {
        status: 429,
        code: 429,
        message: message.to_owned(),
    };
    s.zoom.fail_next("POST /users/me/meetings", daily_limit, 1);
    let error = s
        .api
        .create_meeting(&s.token, "me", &req)
        .await
        .unwrap_err();
    assert!(
        matches!(error, ZoomError::RateLimited { daily: true, .. }),
        "{error:?}"
    );
    assert!(error.is_retryable());
}

#[tokio::test]
async fn server_errors_and_dead_hosts_are_transient() {
    let s = setup().await;
    s.zoom
        .fail_next("GET /users/me", Fault::ServerError { status: 502 }, 1);
    let error = s.api.me(&s.token).await.unwrap_err();
    assert!(matches!(error, ZoomError::Transient(_)), "{error:?}");
    assert!(error.is_retryable());

    let closed = url::Url::parse("http://127.0.0.1:9/v2").unwrap();
    let offline = ZoomApi::new(crate::http_client::build(), &closed);
    let error = offline.me(&s.token).await.unwrap_err();
    assert!(matches!(error, ZoomError::Transient(_)), "{error:?}");
    let text = format!("{error} {error:?}");
    assert!(!text.contains("127.0.0.1") && !text.contains(s.token.expose()));
}

#[tokio::test]
async fn phone_user_flattens_the_line() {
    let s = setup().await;
    s.zoom
        .enable_phone("zu1", Some("1001"), &["+46812345678", "+46701234567"], "SE");
    let me = s.api.phone_user(&s.token, "me").await.unwrap();
    assert_eq!(me.extension_number.as_deref(), Some("1001"));
    assert_eq!(me.numbers, ["+46812345678", "+46701234567"]);
    assert_eq!(me.country.as_deref(), Some("SE"));
    assert!(me.is_active());
    let call = &s.zoom.calls_to("GET /phone/users/me")[0];
    assert_eq!(call.bearer.as_deref(), Some(s.token.expose()));

    s.zoom.enable_phone("zu1", None, &[], "US");
    let bare = s.api.phone_user(&s.token, "ann@example.com").await.unwrap();
    assert_eq!(bare.extension_number, None);
    assert!(bare.numbers.is_empty());
    assert_eq!(bare.country.as_deref(), Some("US"));
    assert_eq!(
        s.zoom.calls_to("GET /phone/users/ann%40example.com").len(),
        1
    );
}

#[tokio::test]
async fn no_zoom_phone_for_the_user_or_the_account_is_phone_unavailable() {
    let s = setup().await;
    let none = s.api.phone_user(&s.token, "me").await.unwrap_err();
    assert_eq!(none, ZoomError::PhoneUnavailable { code: 1001 });
    assert!(none.is_phone_unavailable());
    assert!(!none.is_retryable());

    s.zoom
        .add_user(ZoomUser::new("zu2", "bo@example.com", "Bo X"));
    s.zoom
        .enable_phone("zu2", Some("1002"), &["+15550102"], "US");
    let other = s.api.phone_user(&s.token, "zu2").await.unwrap_err();
    assert!(
        matches!(other, ZoomError::Forbidden { code: 200, .. }),
        "a member may not read others: {other:?}"
    );
    assert!(!other.is_phone_unavailable());

    s.zoom
        .enable_phone("zu1", Some("1001"), &["+15550101"], "US");
    s.zoom.disable_phone_for_account();
    let off = s.api.phone_user(&s.token, "me").await.unwrap_err();
    assert_eq!(off, ZoomError::PhoneUnavailable { code: 2031 });

    s.zoom.expire_access_tokens();
    let expired = s.api.phone_user(&s.token, "me").await.unwrap_err();
    assert_eq!(expired, ZoomError::Unauthorized);
}

#[tokio::test]
async fn phone_user_errors_keep_their_kind_unless_they_mean_no_zoom_phone() {
    let s = setup().await;
    s.zoom
        .enable_phone("zu1", Some("1001"), &["+15550101"], "US");
    let not_enabled = Fault::ZoomError {
        status: 400,
        code: 2013,
        message: "Zoom Phone has not been enabled for this account.".to_owned(),
    };
    s.zoom
        .fail_next("GET /phone/users/{userId}", not_enabled, 1);
    let error = s.api.phone_user(&s.token, "me").await.unwrap_err();
    assert_eq!(error, ZoomError::PhoneUnavailable { code: 2013 });

    s.zoom
        .fail_next("GET /phone/users/me", Fault::ServerError { status: 502 }, 1);
    let error = s.api.phone_user(&s.token, "me").await.unwrap_err();
    assert!(matches!(error, ZoomError::Transient(_)), "{error:?}");
    assert!(s.api.phone_user(&s.token, "me").await.is_ok());
}

#[test]
fn phone_errors_mean_no_zoom_phone_only_for_the_documented_answers() {
    let forbidden = |code: i64, message: &str| ZoomError::Forbidden {
        code,
        message: message.to_owned(),
    };
    let unavailable = |code| ZoomError::PhoneUnavailable { code };
    let message = "Zoom Phone has not been enabled for this account.";
    assert_eq!(phone_error(forbidden(0, message)), unavailable(0));
    assert_eq!(phone_error(forbidden(2031, "")), unavailable(2031));
    assert_eq!(
        phone_error(ZoomError::NotFound { code: 1001 }),
        unavailable(1001)
    );
    let api = ZoomError::Api {
        status: 400,
        code: 2031,
        message: String::new(),
    };
    assert_eq!(phone_error(api), unavailable(2031));
    assert_eq!(
        phone_error(ZoomError::NotFound { code: 2001 }),
        unavailable(2001)
    );
    let invalid_user = ZoomError::Api {
        status: 400,
        code: 300,
        message: "Invalid user id.".into(),
    };
    assert_eq!(phone_error(invalid_user), unavailable(300));
    for kept in [
        forbidden(200, "No permission."),
        forbidden(4700, "Invalid access token, does not contain scopes."),
        ZoomError::NotFound { code: 3001 },
        ZoomError::Unauthorized,
    ] {
        assert_eq!(phone_error(kept.clone()), kept);
    }
}

#[test]
fn phone_users_are_read_leniently() {
    let user: PhoneUser = serde_json::from_value(json!({
        "extension_number": " 1002 ",
        "phone_numbers": [
            {"id": "a", "number": "14232058798"},
            {"id": "b"},
            {"id": "c", "number": "+14232058798"},
            {"id": "d", "number": "+46 8 123 456"}
        ],
        "emergency_address": {"country": "se"},
        "status": "activate",
        "policy": {"anything": true}
    }))
    .unwrap();
    assert_eq!(user.extension_number.as_deref(), Some("1002"));
    assert_eq!(user.numbers, ["+14232058798", "+46 8 123 456"]);
    assert_eq!(user.country.as_deref(), Some("SE"));
    assert!(user.is_active());

    let numeric: PhoneUser =
        serde_json::from_value(json!({"extension_number": 100012347})).unwrap();
    assert_eq!(numeric.extension_number.as_deref(), Some("100012347"));
    assert!(numeric.numbers.is_empty());
    assert_eq!(numeric.country, None);

    let odd: PhoneUser = serde_json::from_value(json!({
        "extension_number": -5,
        "phone_numbers": null,
        "emergency_address": {"country": "USA"},
        "status": "deactivate"
    }))
    .unwrap();
    assert_eq!(odd.extension_number, None);
    assert_eq!(odd.country, None);
    assert!(!odd.is_active());
    assert_eq!(
        serde_json::from_value::<PhoneUser>(json!({})).unwrap(),
        PhoneUser::default()
    );
}

#[tokio::test]
async fn an_instance_that_ran_without_webhooks_can_be_read_back_by_its_uuid() {
    let s = setup().await;
    let created = s
        .api
        .create_meeting(&s.token, "me", &full_request())
        .await
        .unwrap();
    // A UUID Zoom reads as path structure unless it is encoded twice.
    let uuid = "/ab//cd+ef==";
    s.zoom
        .start_instance(created.id as i64, uuid, "2026-11-27T10:00:00Z");
    let live = s.api.meeting(&s.token, created.id).await.unwrap();
    assert_eq!(live.status.as_deref(), Some("started"));
    assert_eq!(live.uuid.as_deref(), Some(uuid));
    assert_eq!(
        s.api.past_meeting(&s.token, uuid).await.unwrap_err(),
        ZoomError::NotFound { code: 3001 },
        "not ended yet"
    );
    let participants = vec![
        json!({"id": "zu1", "name": "Ann Example", "user_email": "ann@example.com",
        "join_time": "2026-11-27T10:00:05Z", "leave_time": "2026-11-27T10:30:00Z"}),
    ];
    s.zoom.end_instance(
        created.id as i64,
        uuid,
        ("2026-11-27T10:00:00Z", "2026-11-27T10:30:00Z"),
        participants,
    );
    let past = s.api.past_meeting(&s.token, uuid).await.unwrap();
    assert_eq!(past.uuid, uuid);
    assert_eq!(past.host_id.as_deref(), Some("zu1"));
    assert_eq!(past.start_time.as_deref(), Some("2026-11-27T10:00:00Z"));
    assert_eq!(past.end_time.as_deref(), Some("2026-11-27T10:30:00Z"));
    assert_eq!(past.duration, Some(30));
    let instances = s
        .api
        .past_instances(&s.token, created.id as i64)
        .await
        .unwrap();
    assert_eq!(instances.len(), 1);
    assert_eq!(instances[0].uuid, uuid);
    assert_eq!(
        s.api.past_participants(&s.token, uuid).await.unwrap().len(),
        1
    );

    assert_eq!(
        s.api.recordings(&s.token, uuid).await.unwrap_err(),
        ZoomError::NotFound { code: 3301 },
        "no recording yet"
    );
    s.zoom.set_recording(
        uuid,
        json!({"uuid": uuid, "share_url": "https://zoom.us/rec/share/x", "password": "p4ss",
               "recording_files": [{"file_type": "MP4"}]}),
    );
    let recording = s.api.recordings(&s.token, uuid).await.unwrap();
    assert_eq!(recording.0["share_url"], "https://zoom.us/rec/share/x");
    let debug = format!("{recording:?}");
    assert!(
        !debug.contains("p4ss") && !debug.contains("rec/share"),
        "{debug}"
    );
    let path = &s.zoom.calls_to("GET /meetings/")[1];
    assert!(
        path.method.contains("%252Fab%252F%252Fcd"),
        "{}",
        path.method
    );
}
