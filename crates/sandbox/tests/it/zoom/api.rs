use super::{authorize, create_meeting, exchange, token, zoom};
use crate::client;
use sandbox::{Fault, ZoomUser};
use serde_json::{Value, json};

#[tokio::test]
async fn meetings_are_created_with_a_valid_token_and_refused_with_an_expired_one() {
    let zoom = zoom().await;
    let code = authorize(&zoom, None).await;
    let tokens = exchange(&zoom, &code).await;
    let access = tokens["access_token"].as_str().unwrap();

    let (status, meeting) =
        create_meeting(&zoom, access, &json!({"topic": "Standup", "type": 1})).await;
    assert_eq!(status, 201);
    assert_eq!(meeting["topic"], "Standup");
    assert_eq!(meeting["host_id"], "zu1");
    let id = meeting["id"].as_i64().unwrap();
    assert_eq!(id.to_string().len(), 11);
    assert!(
        meeting["join_url"]
            .as_str()
            .unwrap()
            .starts_with(&format!("https://zoom.us/j/{id}?pwd="))
    );
    assert!(meeting["start_url"].as_str().unwrap().contains("zak="));

    let fetched = client()
        .get(format!("{}/meetings/{id}", zoom.api_url()))
        .bearer_auth(access)
        .send()
        .await
        .unwrap();
    assert_eq!(
        fetched.json::<Value>().await.unwrap()["uuid"],
        meeting["uuid"]
    );

    let (status, invalid) = create_meeting(&zoom, access, &json!({"topic": "x".repeat(201)})).await;
    assert_eq!(status, 400);
    assert_eq!(invalid["errors"][0]["field"], "topic");

    zoom.expire_access_tokens();
    let (status, body) = create_meeting(&zoom, access, &json!({"topic": "Late"})).await;
    assert_eq!(status, 401);
    assert_eq!(body["code"], 124);
}

#[tokio::test]
async fn deactivated_users_cannot_host() {
    let zoom = zoom().await;
    zoom.add_user(ZoomUser {
        status: "inactive".into(),
        ..ZoomUser::new("zu1", "anna@example.com", "Anna Berg")
    });
    let code = authorize(&zoom, None).await;
    let access = exchange(&zoom, &code).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, body) = create_meeting(&zoom, &access, &json!({})).await;
    assert_eq!(status, 404);
    assert_eq!(body["code"], 1001);
}

#[tokio::test]
async fn server_to_server_tokens_act_for_the_accounts_admin() {
    let zoom = zoom().await;
    let admin = ZoomUser {
        role: "admin".into(),
        ..ZoomUser::new("zadmin", "boss@example.com", "Bo Ss")
    };
    zoom.add_user(admin);
    let (status, body) = token(
        &zoom,
        &[
            ("grant_type", "account_credentials"),
            ("account_id", sandbox::ZOOM_ACCOUNT_ID),
        ],
    )
    .await;
    assert_eq!(status, 200);
    assert!(body.get("refresh_token").is_none());
    let access = body["access_token"].as_str().unwrap();
    let me: Value = client()
        .get(format!("{}/users/me", zoom.api_url()))
        .bearer_auth(access)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["id"], "zadmin");
    let other: Value = client()
        .get(format!("{}/users/anna@example.com", zoom.api_url()))
        .bearer_auth(access)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(other["id"], "zu1");
}

#[tokio::test]
async fn past_participants_accept_double_encoded_uuids() {
    let zoom = zoom().await;
    let (_, body) = token(
        &zoom,
        &[("grant_type", "account_credentials"), ("account_id", "acc")],
    )
    .await;
    let access = body["access_token"].as_str().unwrap();
    zoom.set_past_participants(
        "/ab//cd==",
        vec![json!({"name": "Anna"}), json!({"name": "Bo"})],
    );
    let url = format!(
        "{}/past_meetings/%252Fab%252F%252Fcd%253D%253D/participants?page_size=1",
        zoom.api_url()
    );
    let page: Value = client()
        .get(url)
        .bearer_auth(access)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(page["total_records"], 2);
    assert_eq!(page["participants"][0]["name"], "Anna");
    assert_eq!(page["next_page_token"], "1");

    let missing = client()
        .get(format!(
            "{}/past_meetings/nope/participants",
            zoom.api_url()
        ))
        .bearer_auth(access)
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    assert_eq!(missing.json::<Value>().await.unwrap()["code"], 3001);
}

#[tokio::test]
async fn faults_match_route_templates_and_method_prefixes() {
    let zoom = zoom().await;
    let code = authorize(&zoom, None).await;
    let access = exchange(&zoom, &code).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    zoom.fail_next(
        "POST /users/{userId}/meetings",
        Fault::RateLimited {
            retry_after_secs: 2,
        },
        1,
    );
    zoom.fail_next(
        "POST /users/me",
        Fault::ZoomError {
            status: 400,
            code: 3000,
            message: "nope".into(),
        },
        1,
    );

    let response = client()
        .post(format!("{}/users/me/meetings", zoom.api_url()))
        .bearer_auth(&access)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 429);
    assert_eq!(response.headers()["retry-after"], "2");
    assert_eq!(response.json::<Value>().await.unwrap()["code"], 429);
    let (status, body) = create_meeting(&zoom, &access, &json!({})).await;
    assert_eq!((status, body["code"].as_i64()), (400, Some(3000)));
    assert_eq!(create_meeting(&zoom, &access, &json!({})).await.0, 201);
    let statuses: Vec<u16> = zoom
        .calls_to("POST /users/me/meetings")
        .iter()
        .map(|c| c.status)
        .collect();
    assert_eq!(statuses, [429, 400, 201]);
}

/// `GET /users/me` and `GET /users/me/permissions` of `user`, signed in.
async fn role_and_permissions(zoom: &sandbox::FakeZoom, user: ZoomUser) -> (Value, Vec<String>) {
    let id = user.id.clone();
    zoom.add_user(user);
    zoom.set_next_login(&id);
    let code = authorize(zoom, None).await;
    let access = exchange(zoom, &code).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let get = |path: &str| {
        client()
            .get(format!("{}/users/me{path}", zoom.api_url()))
            .bearer_auth(&access)
            .send()
    };
    let me: Value = get("").await.unwrap().json().await.unwrap();
    let permissions: Value = get("/permissions").await.unwrap().json().await.unwrap();
    let list = permissions["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_owned())
        .collect();
    (me, list)
}

#[tokio::test]
async fn roles_answer_with_their_id_name_and_privileges() {
    let zoom = zoom().await;
    let with_role = |id: &str, role: &str, privileges: Option<Vec<String>>| ZoomUser {
        role: role.into(),
        privileges,
        ..ZoomUser::new(id, &format!("{id}@example.com"), "Some One")
    };
    let (owner, owner_may) = role_and_permissions(&zoom, with_role("zo", "owner", None)).await;
    assert_eq!(
        (owner["role_id"].as_str(), owner["role_name"].as_str()),
        (Some("0"), Some("Owner"))
    );
    assert!(owner_may.contains(&"MarketPlace:Edit".to_owned()));
    let (admin, admin_may) = role_and_permissions(&zoom, with_role("za", "admin", None)).await;
    assert_eq!(admin["role_id"], "1");
    assert!(admin_may.contains(&"User:Read".to_owned()));
    let (member, member_may) = role_and_permissions(&zoom, with_role("zm", "member", None)).await;
    assert_eq!(member["role_id"], "2");
    assert!(member_may.is_empty());
    let custom = Some(vec!["Recording:Read".to_owned()]);
    let (named, named_may) =
        role_and_permissions(&zoom, with_role("zc", "Super Admins", custom)).await;
    assert_eq!(named["role_name"], "Super Admins");
    assert!(!["0", "1", "2"].contains(&named["role_id"].as_str().unwrap()));
    assert_eq!(named_may, ["Recording:Read"]);
}

#[tokio::test]
async fn scheduled_meetings_take_a_start_in_utc_or_local_to_a_named_zone() {
    let zoom = zoom().await;
    let code = authorize(&zoom, None).await;
    let tokens = exchange(&zoom, &code).await;
    let access = tokens["access_token"].as_str().unwrap();

    let local = json!({"topic": "Sync", "type": 2, "start_time": "2026-12-08T10:00:00",
        "timezone": "Europe/Stockholm", "duration": 45});
    let (status, meeting) = create_meeting(&zoom, access, &local).await;
    assert_eq!(status, 201);
    // Zoom answers with the start in UTC and keeps the zone.
    assert_eq!(meeting["start_time"], "2026-12-08T09:00:00Z");
    assert_eq!(meeting["timezone"], "Europe/Stockholm");
    assert_eq!(meeting["duration"], 45);
    assert_eq!(meeting["type"], 2);

    let utc = json!({"topic": "Sync", "type": 2, "start_time": "2026-12-08T10:00:00Z"});
    let (status, meeting) = create_meeting(&zoom, access, &utc).await;
    assert_eq!(status, 201);
    assert_eq!(meeting["start_time"], "2026-12-08T10:00:00Z");

    for (body, field) in [
        (
            json!({"type": 2, "start_time": "2026-12-08T10:00:00"}),
            "start_time",
        ),
        (
            json!({"type": 2, "start_time": "tomorrow", "timezone": "UTC"}),
            "start_time",
        ),
        (
            json!({"type": 2, "start_time": "2026-12-08T10:00:00", "timezone": "Mars/Olympus"}),
            "timezone",
        ),
        (
            json!({"type": 2, "start_time": "2026-12-08T10:00:00Z", "duration": "45"}),
            "duration",
        ),
        (
            json!({"type": 2, "start_time": "2026-12-08T10:00:00Z", "duration": 4.5}),
            "duration",
        ),
    ] {
        let (status, refused) = create_meeting(&zoom, access, &body).await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(refused["message"], "Validation Failed.");
        let fields: Vec<&str> = refused["errors"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|e| e["field"].as_str())
            .collect();
        assert!(fields.contains(&field), "{body}: {fields:?}");
    }
}
