//! What the portal writes to people: a subject, paragraphs, at most one link to follow and a
//! closing, rendered as plain text and as simple HTML from the same parts, in the reader's
//! language.

use askama::Template;

use super::OutgoingMail;
use crate::config::Company;
use crate::i18n::Lang;

/// A link the reader is asked to follow, e.g. to activate the account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    pub label: String,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    pub lang: Lang,
    pub subject: String,
    pub paragraphs: Vec<String>,
    pub action: Option<Action>,
    /// Paragraphs after the link (e.g. how long it is valid, what to do if it was not you).
    pub after: Vec<String>,
    /// A notification's way out: a question and the link that answers it.
    pub unsubscribe: Option<(String, Action)>,
}

#[derive(Template)]
#[template(path = "mail/letter.txt", escape = "none")]
struct TextLetter<'a> {
    letter: &'a Letter,
    company: &'a Company,
    greeting: String,
    signature: String,
    footer: String,
}

#[derive(Template)]
#[template(path = "mail/letter.html")]
struct HtmlLetter<'a> {
    letter: &'a Letter,
    company: &'a Company,
    greeting: String,
    signature: String,
    footer: String,
}

impl Letter {
    pub fn new(lang: Lang, subject_key: &str) -> Self {
        Self {
            lang,
            subject: lang.t(subject_key),
            paragraphs: Vec::new(),
            action: None,
            after: Vec::new(),
            unsubscribe: None,
        }
    }

    /// A letter whose subject has arguments, already put in.
    pub fn titled(lang: Lang, subject: String) -> Self {
        Self {
            subject,
            ..Self::new(lang, "mail-greeting")
        }
    }

    pub fn paragraph(mut self, text: impl Into<String>) -> Self {
        self.paragraphs.push(text.into());
        self
    }

    pub fn action(mut self, label_key: &str, url: impl Into<String>) -> Self {
        self.action = Some(Action {
            label: self.lang.t(label_key),
            url: url.into(),
        });
        self
    }

    pub fn after(mut self, text: impl Into<String>) -> Self {
        self.after.push(text.into());
        self
    }

    /// Ends the letter with the one-click unsubscribe `url`.
    pub fn unsubscribe(mut self, url: impl Into<String>) -> Self {
        let action = Action {
            label: self.lang.t("notification-mail-unsubscribe-link"),
            url: url.into(),
        };
        self.unsubscribe = Some((self.lang.t("notification-mail-unsubscribe"), action));
        self
    }

    /// The message to `to`, signed by the company.
    pub fn to(&self, to: &str, company: &Company) -> Result<OutgoingMail, askama::Error> {
        let greeting = self.lang.t("mail-greeting");
        let signature = self.lang.t("mail-signature");
        let footer = self.lang.t("mail-footer");
        let text = TextLetter {
            letter: self,
            company,
            greeting: greeting.clone(),
            signature: signature.clone(),
            footer: footer.clone(),
        }
        .render()?;
        let html = HtmlLetter {
            letter: self,
            company,
            greeting,
            signature,
            footer,
        }
        .render()?;
        Ok(OutgoingMail {
            to: to.to_owned(),
            subject: self.subject.clone(),
            text,
            html: Some(html),
            ..OutgoingMail::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn a_letter_reads_the_same_in_text_and_html() {
        let config = Config::demo().unwrap();
        let company = config.company().unwrap();
        let letter = Letter::new(Lang::Sl, "mail-greeting")
            .paragraph("Prvi odstavek <s pomenom>.")
            .action(
                "mail-greeting",
                "https://eportal.example/activate?token=a&b",
            )
            .after("Zadnji odstavek.");
        let mail = letter.to("janez@example.si", company).unwrap();
        assert!(
            mail.text.contains("Prvi odstavek <s pomenom>."),
            "{}",
            mail.text
        );
        assert!(
            mail.text
                .contains("https://eportal.example/activate?token=a&b")
        );
        assert!(
            mail.text
                .contains("Javno komunalno podjetje Brezovica d.o.o.")
        );
        let html = mail.html.unwrap();
        assert!(
            html.contains("Prvi odstavek &#60;s pomenom&#62;.")
                || html.contains("Prvi odstavek &lt;s pomenom&gt;."),
            "{html}"
        );
        assert!(
            html.contains(r#"href="https://eportal.example/activate?token=a&#38;b""#)
                || html.contains(r#"href="https://eportal.example/activate?token=a&amp;b""#),
            "{html}"
        );
    }
}
