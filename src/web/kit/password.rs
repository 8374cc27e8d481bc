//! The errors of a new password typed twice, as the registration, reset and profile forms
//! show them: a missing one, then each rule it breaks, then a repetition that is missing or
//! differs.

use super::form::FormErrors;
use crate::domain::password::{PersonalData, check_password};
use crate::i18n::{Arg, Lang};
use crate::store::accounts::Account;
use crate::store::payers;
use crate::web::{AppState, WebError};

/// The form's two fields and the messages of their own problems.
pub struct NewPasswordForm {
    pub field: &'static str,
    pub repeat_field: &'static str,
    pub missing_key: &'static str,
    pub repeat_missing_key: &'static str,
    pub repeat_differs_key: &'static str,
}

impl NewPasswordForm {
    /// Adds the problems of `password` and its `repeat` to `errors`; an empty password is the
    /// only problem there is until one is typed.
    pub fn check(
        &self,
        errors: &mut FormErrors,
        lang: Lang,
        password: &str,
        repeat: &str,
        personal: &PersonalData,
    ) {
        if password.is_empty() {
            errors.add(self.field, lang.t(self.missing_key));
            return;
        }
        for problem in check_password(password, personal) {
            let args: Vec<(&'static str, Arg)> = problem
                .args()
                .into_iter()
                .map(|(name, value)| (name, Arg::Number(value)))
                .collect();
            errors.add(self.field, lang.t_with(problem.message_id(), &args));
        }
        if repeat.is_empty() {
            errors.add(self.repeat_field, lang.t(self.repeat_missing_key));
        } else if repeat != password {
            errors.add(self.repeat_field, lang.t(self.repeat_differs_key));
        }
    }
}

/// The fields of an account's new password: the reset form and "Moj profil".
const NEW_PASSWORD: NewPasswordForm = NewPasswordForm {
    field: "new_password",
    repeat_field: "new_password_repeat",
    missing_key: "password-reset-missing",
    repeat_missing_key: "password-reset-repeat-missing",
    repeat_differs_key: "password-reset-repeat-differs",
};

/// What is wrong with an account's new password (fields `new_password` and
/// `new_password_repeat`), judged with the account's own data.
pub async fn password_errors(
    state: &AppState,
    lang: Lang,
    account: &Account,
    new_password: &str,
    new_password_repeat: &str,
) -> Result<FormErrors, WebError> {
    let payer = payers::find(&state.app.db, &account.payer_code).await?;
    let personal = PersonalData {
        payer_code: &account.payer_code,
        name: payer.as_ref().map(|payer| payer.name.as_str()),
        email: account.email.as_deref(),
    };
    let mut errors = FormErrors::default();
    NEW_PASSWORD.check(
        &mut errors,
        lang,
        new_password,
        new_password_repeat,
        &personal,
    );
    Ok(errors)
}
