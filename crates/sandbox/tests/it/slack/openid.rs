//! Sign in with Slack in the fake: the authorize page, `openid.connect.token`
//! and `openid.connect.userInfo`, as zlack drives them.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;

use super::{TOKEN, workspace};
use crate::{client, query_param};

const CALLBACK: &str = "https://z/slack/openid/callback";

async fn form(url: &str, form: &[(&str, &str)], bearer: Option<&str>) -> Value {
    let mut request = client().post(url).form(form);
    if let Some(token) = bearer {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap().json().await.unwrap()
}

fn claims(id_token: &str) -> Value {
    let parts: Vec<&str> = id_token.split('.').collect();
    assert_eq!(parts.len(), 3, "a compact JWS: {id_token}");
    let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).unwrap()).unwrap();
    assert_eq!(header["typ"], "JWT");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap()
}

#[tokio::test]
async fn sign_in_names_the_chosen_user_once_per_code() {
    let slack = workspace().await;
    slack.set_oauth_client("cid", "csecret");
    let authorize = format!(
        "{}?response_type=code&scope=openid&client_id=cid&state=s1&nonce=n1&team=T1&redirect_uri={}",
        slack.openid_authorize_url(),
        urlencode(CALLBACK)
    );
    let nobody = client().get(&authorize).send().await.unwrap();
    assert_eq!(nobody.status(), 400, "nobody signed in yet");

    slack.set_next_sign_in("T1", "U7");
    let redirect = client().get(&authorize).send().await.unwrap();
    assert_eq!(redirect.status(), 302);
    let location = redirect.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with(CALLBACK), "{location}");
    assert_eq!(query_param(&location, "state").as_deref(), Some("s1"));
    let code = query_param(&location, "code").unwrap();
    let recorded = slack.calls_to("openid.connect.authorize");
    assert_eq!(recorded.len(), 2);
    assert_eq!(recorded[1].args["team"], "T1");
    assert_eq!(recorded[1].args["nonce"], "n1");

    let token_url = format!("{}/openid.connect.token", slack.api_url());
    let exchange = [
        ("client_id", "cid"),
        ("client_secret", "csecret"),
        ("code", code.as_str()),
        ("redirect_uri", CALLBACK),
        ("grant_type", "authorization_code"),
    ];
    let mut wrong = exchange;
    wrong[1] = ("client_secret", "nope");
    assert_eq!(
        form(&token_url, &wrong, None).await["error"],
        "bad_client_secret"
    );
    let body = form(&token_url, &exchange, None).await;
    assert_eq!(body["ok"], true, "{body}");
    assert_eq!(body["token_type"], "Bearer");
    let claims = claims(body["id_token"].as_str().unwrap());
    assert_eq!(claims["iss"], "https://slack.com");
    assert_eq!(claims["aud"], "cid");
    assert_eq!(claims["nonce"], "n1");
    assert_eq!(claims["sub"], "U7");
    assert_eq!(claims["https://slack.com/user_id"], "U7");
    assert_eq!(claims["https://slack.com/team_id"], "T1");
    assert!(claims["exp"].as_i64().unwrap() > claims["iat"].as_i64().unwrap());
    assert_eq!(
        form(&token_url, &exchange, None).await["error"],
        "invalid_code",
        "a code is redeemed once"
    );

    let info_url = format!("{}/openid.connect.userInfo", slack.api_url());
    let access = body["access_token"].as_str().unwrap();
    let info = form(&info_url, &[], Some(access)).await;
    assert_eq!(info["ok"], true, "{info}");
    assert_eq!(info["https://slack.com/user_id"], "U7");
    assert_eq!(info["https://slack.com/team_id"], "T1");
    assert!(
        info.get("email").is_none(),
        "no email without the email scope"
    );
    let bot = form(&info_url, &[], Some(TOKEN)).await;
    assert_eq!(bot["error"], "not_allowed_token_type");
}

fn urlencode(text: &str) -> String {
    serde_urlencoded::to_string([("v", text)]).unwrap()[2..].to_owned()
}
