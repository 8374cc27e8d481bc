//! "Osebje": an administrator adds a staff user (their first password shown once), resets a
//! user's second factor (their session ends; they enrol anew) and changes roles (in force at
//! the next request); never their own; each after a fresh code.

use chrono::Utc;
use eportal::app::clock::Clock;
use eportal::domain::second_factor::TotpKey;
use eportal::store::entity::staff_user;
use eportal::store::staff::{self, Role};
use sea_orm::EntityTrait;
use sea_orm::sea_query::Expr;

use crate::on_both_databases;
use crate::staff::{STAFF, audited, key_on, now_code, signed_in_staff, staff_key};
use crate::support::{Backend, TestApp, location, token_in};

on_both_databases!(
    an_administrator_adds_a_user_who_signs_in_with_the_shown_password,
    a_reset_second_factor_ends_the_session_and_the_user_enrols_anew,
    roles_change_at_the_next_request_but_never_ones_own,
);

const LIST: &str = "/staff/staff-users";

async fn admin_app(backend: Backend) -> (TestApp, Clock) {
    let clock = Clock::manual(Utc::now());
    let app = TestApp::spawn_with_clock(backend, clock.clone(), |_| {}).await;
    signed_in_staff(&app, &clock).await;
    staff_user::Entity::update_many()
        .col_expr(staff_user::Column::Role, Expr::value("admin"))
        .exec(&app.db)
        .await
        .unwrap();
    (app, clock)
}

/// Another browser of the back office, with its own cookies.
struct Browser<'a> {
    app: &'a TestApp,
    client: reqwest::Client,
}

impl<'a> Browser<'a> {
    fn new(app: &'a TestApp) -> Self {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_store(true)
            .build()
            .unwrap();
        Self { app, client }
    }

    async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.app.url(path)).send().await.unwrap()
    }

    async fn post(&self, page: &str, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let html = self.get(page).await.text().await.unwrap();
        let token = token_in(&html).unwrap_or_else(|| panic!("a form on {page}: {html}"));
        let mut fields = fields.to_vec();
        fields.push(("csrf_token", &token));
        self.client
            .post(self.app.url(path))
            .header("origin", format!("http://{}", self.app.address))
            .form(&fields)
            .send()
            .await
            .unwrap()
    }

    /// Signs in with `password`, enrolling the second factor when asked; the key.
    async fn sign_in_and_enrol(&self, username: &str, password: &str, clock: &Clock) -> TotpKey {
        let fields = [("username", username), ("password", password)];
        let answer = self.post("/staff", "/staff", &fields).await;
        assert_eq!(location(&answer), "/staff/enrol");
        let enrol = self.get("/staff/enrol").await.text().await.unwrap();
        let key = key_on(&enrol);
        let code = now_code(&key, clock);
        let enrolled = self
            .post("/staff/enrol", "/staff/enrol", &[("code", &code)])
            .await;
        assert_eq!(location(&enrolled), "/staff/recovery-codes");
        key
    }
}

/// Adds `username` with `role` through the page; their first password.
async fn add(app: &TestApp, username: &str, role: &str) -> String {
    let added = app
        .post_form_from(LIST, LIST, &[("username", username), ("role", role)])
        .await;
    assert_eq!(added.status(), 200);
    let page = added.text().await.unwrap();
    page.split(r#"id="new-password">"#)
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .unwrap_or_else(|| panic!("the password is shown: {page}"))
        .to_owned()
}

async fn an_administrator_adds_a_user_who_signs_in_with_the_shown_password(backend: Backend) {
    let (app, clock) = admin_app(backend).await;
    let refused = app
        .post_form_from(LIST, LIST, &[("username", "Čebelar Janez"), ("role", "")])
        .await
        .text()
        .await
        .unwrap();
    assert!(
        refused.contains("Uporabniško ime ima od 3 do 32 znakov"),
        "{refused}"
    );
    assert!(refused.contains("Izberite vlogo."), "{refused}");
    assert!(
        refused.contains(r#"value="Čebelar Janez""#),
        "kept: {refused}"
    );
    let taken = app
        .post_form_from(LIST, LIST, &[("username", STAFF), ("role", "operator")])
        .await
        .text()
        .await
        .unwrap();
    assert!(
        taken.contains("To uporabniško ime je že zasedeno."),
        "{taken}"
    );

    let password = add(&app, "Bor.Zupan", "operator").await;
    assert_eq!(password.len(), 23, "{password}");
    let bor = staff::find_by_username(&app.db, "bor.zupan")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(bor.role, Role::Operator);
    assert!(bor.totp_enrolled_at.is_none());
    assert_eq!(audited(&app, "staff_added").await, 1);
    let list = app.get(LIST).await.text().await.unwrap();
    assert!(!list.contains(&password), "shown once");

    let browser = Browser::new(&app);
    browser
        .sign_in_and_enrol("bor.zupan", &password, &clock)
        .await;
    assert_eq!(browser.get("/staff/home").await.status(), 200);
}

async fn a_reset_second_factor_ends_the_session_and_the_user_enrols_anew(backend: Backend) {
    let (app, clock) = admin_app(backend).await;
    let password = add(&app, "bor.zupan", "operator").await;
    let browser = Browser::new(&app);
    let old_key = browser
        .sign_in_and_enrol("bor.zupan", &password, &clock)
        .await;
    assert_eq!(browser.get("/staff/home").await.status(), 200);
    let bor = staff::find_by_username(&app.db, "bor.zupan")
        .await
        .unwrap()
        .unwrap();

    let reset = format!("/staff/staff-users/{}/reset-second-factor", bor.id);
    let answer = app.post_form_from(LIST, &reset, &[]).await;
    assert_eq!(location(&answer), LIST);
    assert_eq!(audited(&app, "staff_totp_reset").await, 1);
    assert_eq!(
        location(&browser.get("/staff/home").await),
        "/staff",
        "the session ended"
    );
    // The old app's codes no longer open anything: the password leads to a new enrolment.
    clock.advance(std::time::Duration::from_secs(31));
    let new_key = browser
        .sign_in_and_enrol("bor.zupan", &password, &clock)
        .await;
    assert_ne!(new_key.base32(), old_key.base32());

    // Not one's own.
    let me = staff::find_by_username(&app.db, STAFF)
        .await
        .unwrap()
        .unwrap();
    let my_key = staff_key(&app).await.base32();
    let own = format!("/staff/staff-users/{}/reset-second-factor", me.id);
    let refused = app
        .post_form_from(LIST, &own, &[])
        .await
        .text()
        .await
        .unwrap();
    assert!(
        refused.contains("Sebe ne morete onemogočiti in ne spreminjati"),
        "{refused}"
    );
    assert_eq!(staff_key(&app).await.base32(), my_key);
    assert_eq!(audited(&app, "staff_totp_reset").await, 1);
}

async fn roles_change_at_the_next_request_but_never_ones_own(backend: Backend) {
    let (app, clock) = admin_app(backend).await;
    let password = add(&app, "bor.zupan", "operator").await;
    let browser = Browser::new(&app);
    browser
        .sign_in_and_enrol("bor.zupan", &password, &clock)
        .await;
    assert_eq!(browser.get(LIST).await.status(), 403);
    let bor = staff::find_by_username(&app.db, "bor.zupan")
        .await
        .unwrap()
        .unwrap();
    let role = format!("/staff/staff-users/{}/role", bor.id);
    let made = app.post_form_from(LIST, &role, &[("role", "admin")]).await;
    assert_eq!(location(&made), LIST);
    assert_eq!(browser.get(LIST).await.status(), 200, "in force at once");
    assert_eq!(audited(&app, "staff_role_changed").await, 1);

    let me = staff::find_by_username(&app.db, STAFF)
        .await
        .unwrap()
        .unwrap();
    let own = format!("/staff/staff-users/{}/role", me.id);
    let refused = app
        .post_form_from(LIST, &own, &[("role", "operator")])
        .await
        .text()
        .await
        .unwrap();
    assert!(refused.contains("svoje vloge"), "{refused}");
    let me = staff::find(&app.db, me.id).await.unwrap().unwrap();
    assert_eq!(me.role, Role::Admin);

    // Long after the last code, a fresh one first.
    clock.advance(std::time::Duration::from_secs(11 * 60));
    let stale = app
        .post_form_from(LIST, &role, &[("role", "operator")])
        .await;
    assert_eq!(
        location(&stale),
        "/staff/confirm?next=%2Fstaff%2Fstaff-users"
    );
    let bor = staff::find(&app.db, bor.id).await.unwrap().unwrap();
    assert_eq!(bor.role, Role::Admin);
}
