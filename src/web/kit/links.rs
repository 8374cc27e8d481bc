//! Links into the portal that go out by e-mail, and the page a spoiled one leads to.

use askama::Template;
use axum::response::Html;
use serde::Deserialize;

use crate::store::accounts::{self, Account, AccountState};
use crate::store::tokens::{self, AccountToken, Lookup, Purpose};
use crate::web::kit::page::{Chrome, Frame, render};
use crate::web::{AppState, WebError};

/// Why a link from an e-mail cannot be used, and what to do instead.
#[derive(Template)]
#[template(path = "kit/link_problem.html")]
struct LinkProblemPage {
    page: Chrome,
    message: String,
    next_href: &'static str,
    next_label: String,
}

/// Where a spoiled link sends its reader, and the messages for it, by [`Lookup`].
pub struct SpoiledLink {
    pub expired_key: &'static str,
    pub used_key: &'static str,
    pub next_href: &'static str,
    pub next_label_key: &'static str,
}

impl SpoiledLink {
    /// The page for a link that is not [`Lookup::Valid`]: what is wrong as its heading, why
    /// and what to do below.
    pub fn render(&self, frame: &Frame, lookup: &Lookup) -> Result<Html<String>, WebError> {
        let (title_key, key) = match lookup {
            Lookup::Expired(_) => ("link-expired-title", self.expired_key),
            Lookup::Used(_) => ("link-used-title", self.used_key),
            Lookup::Valid(_) | Lookup::Unknown => ("link-unknown-title", "link-unknown"),
        };
        let page = frame.chrome(title_key);
        render(&LinkProblemPage {
            message: page.t(key),
            next_label: page.t(self.next_label_key),
            next_href: self.next_href,
            page,
        })
    }
}

/// The token of an e-mailed link, as its page's address (`?token=…`) or form carries it.
#[derive(Debug, Default, Deserialize)]
pub struct LinkToken {
    #[serde(default)]
    pub token: String,
}

/// The token of a link and its account, if the link can still be used; otherwise why not. A
/// reset link needs an account that is still active, an address link a new address; an
/// account that does not fit counts as an unknown link.
pub async fn usable_token(
    state: &AppState,
    token: &str,
    purpose: Purpose,
) -> Result<Result<(AccountToken, Account), Lookup>, WebError> {
    let (db, now) = (&state.app.db, state.app.now());
    let fits = |token: &AccountToken, account: &Account| match purpose {
        Purpose::Activation => true,
        Purpose::PasswordReset => account.state == AccountState::Active,
        Purpose::EmailChange => token.new_email.is_some(),
    };
    let lookup = tokens::look_up(db, token, purpose, now).await?;
    let Lookup::Valid(token) = lookup else {
        return Ok(Err(lookup));
    };
    match accounts::find(db, token.account_id).await? {
        Some(account) if fits(&token, &account) => Ok(Ok((token, account))),
        _ => Ok(Err(Lookup::Unknown)),
    }
}
