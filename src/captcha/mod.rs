//! "Znak iz slike": a CAPTCHA drawn and spoken by the portal itself (SPEC §3.1).
//!
//! A challenge lives in the server-side session under [`SESSION_KEY`], one at a time: issuing
//! replaces the previous one, checking removes it whatever the outcome, and it expires after
//! [`TTL_MINUTES`]. The answer leaves the server only as the picture and the sound; it is never
//! in HTML, a cookie or a log, and [`Challenge`]'s `Debug` hides it.

mod audio;
mod image;

use std::fmt;

use chrono::{DateTime, Duration, Utc};
use rand::RngExt;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;
use tower_sessions::Session;

/// Symbols of a challenge. Left out: pairs that look alike (0/O/o, 1/l/I, 2/Z/z, 5/S/s, 6/b,
/// 8/B, 9/g/q, 7/T) or whose two cases differ only in size (c, k, o, p, s, u, v, w, x, z), and
/// letters whose Slovenian names sound alike in the audio (d, g, t beside "be"; n beside "em";
/// j beside "e"). 20⁵ = 3.2 million answers.
pub const ALPHABET: [char; 20] = [
    'a', 'A', 'b', 'B', 'e', 'E', 'f', 'F', 'h', 'H', 'i', 'm', 'M', 'r', 'R', 'L', '3', '4', '7',
    '9',
];

/// Symbols in one challenge.
pub const LENGTH: usize = 5;

/// How long a challenge can be answered.
pub const TTL_MINUTES: i64 = 10;

/// Where the session keeps the current challenge.
const SESSION_KEY: &str = "captcha";

#[derive(Debug, thiserror::Error)]
pub enum CaptchaError {
    #[error("session: {0}")]
    Session(#[from] tower_sessions::session::Error),
    #[error("image: {0}")]
    Image(#[from] png::EncodingError),
    #[error("audio: {0}")]
    Audio(#[from] hound::Error),
    /// A symbol the embedded clips or font lack (the tests check the alphabet against both).
    #[error("no clip or glyph for {0:?}")]
    Symbol(char),
    #[error("the embedded font does not parse")]
    Font,
}

/// What a form needs to show the current challenge: a value that changes with every challenge,
/// for the image and audio URLs (`/captcha/image?v=<nonce>`), so no cache shows an old one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaptchaTicket {
    pub nonce: String,
}

/// One challenge as the session stores it.
#[derive(Serialize, Deserialize)]
pub struct Challenge {
    answer: String,
    issued_at: DateTime<Utc>,
    /// Seeds the picture's and the sound's randomness, so fetching them again gives the same
    /// ones rather than fresh renderings that could be averaged against their noise.
    seed: u64,
}

impl fmt::Debug for Challenge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Challenge")
            .field("answer", &"[redacted]")
            .field("issued_at", &self.issued_at)
            .finish_non_exhaustive()
    }
}

impl Challenge {
    fn new(issued_at: DateTime<Utc>) -> Self {
        let mut rng = rand::rng();
        let answer = (0..LENGTH)
            .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())])
            .collect();
        Self {
            answer,
            issued_at,
            seed: rng.random(),
        }
    }

    fn is_expired(&self, now: DateTime<Utc>) -> bool {
        is_expired(self.issued_at, now)
    }

    /// The challenge as a PNG of 200 × 70 pixels, the size `captcha_field.html` gives it.
    pub fn image_png(&self) -> Result<Vec<u8>, CaptchaError> {
        image::render_png(&self.answer, self.seed)
    }

    /// The challenge spoken in Slovenian, as a WAV.
    pub fn audio_wav(&self) -> Result<Vec<u8>, CaptchaError> {
        audio::render_wav(&self.answer, self.seed)
    }
}

/// Whether a challenge issued at `issued_at` is too old to be answered at `now`.
fn is_expired(issued_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now - issued_at > Duration::minutes(TTL_MINUTES)
}

/// Starts a new challenge for this session, replacing any other.
pub async fn issue(session: &Session) -> Result<CaptchaTicket, CaptchaError> {
    session
        .insert(SESSION_KEY, Challenge::new(Utc::now()))
        .await?;
    Ok(CaptchaTicket {
        nonce: format!("{:016x}", rand::rng().random::<u64>()),
    })
}

/// The session's challenge while it can still be answered, for drawing or speaking it.
pub async fn current(session: &Session) -> Result<Option<Challenge>, CaptchaError> {
    let challenge = session
        .get_value(SESSION_KEY)
        .await?
        .and_then(decode)
        .filter(|challenge| !challenge.is_expired(Utc::now()));
    Ok(challenge)
}

/// Checks `answer` against the session's challenge and removes the challenge, right or wrong.
/// Case counts; only surrounding white space is ignored. With `test_answer` (the setting
/// `test_captcha`) that is the expected answer instead, but a live challenge is still needed.
pub async fn verify(
    session: &Session,
    answer: &str,
    test_answer: Option<&SecretString>,
) -> Result<bool, CaptchaError> {
    verify_at(session, answer, test_answer, Utc::now()).await
}

async fn verify_at(
    session: &Session,
    answer: &str,
    test_answer: Option<&SecretString>,
    now: DateTime<Utc>,
) -> Result<bool, CaptchaError> {
    let Some(challenge) = session.remove_value(SESSION_KEY).await?.and_then(decode) else {
        return Ok(false);
    };
    let answer = answer.trim();
    // An empty answer never passes, even against a test answer set to "" by mistake.
    if challenge.is_expired(now) || answer.is_empty() {
        return Ok(false);
    }
    let expected = test_answer.map_or(challenge.answer.as_str(), |test| test.expose_secret());
    Ok(answer.as_bytes().ct_eq(expected.as_bytes()).into())
}

/// A stored value that no longer decodes (say, from an older release) counts as no challenge.
fn decode(value: serde_json::Value) -> Option<Challenge> {
    serde_json::from_value(value).ok()
}

/// The real session store on a throw-away SQLite database, for tests here and in the web layer.
#[cfg(test)]
pub(crate) async fn test_session_store()
-> (crate::store::sessions::DbSessionStore, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("test.db").display());
    let db = crate::store::connect(&crate::config::DatabaseUrl::new(url))
        .await
        .unwrap();
    crate::store::migrate(&db).await.unwrap();
    (crate::store::sessions::DbSessionStore::new(db), dir)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::store::sessions::DbSessionStore;

    async fn session() -> (Session, DbSessionStore, tempfile::TempDir) {
        let (store, dir) = test_session_store().await;
        (
            Session::new(None, Arc::new(store.clone()), None),
            store,
            dir,
        )
    }

    async fn stored_answer(session: &Session) -> String {
        current(session).await.unwrap().unwrap().answer
    }

    #[test]
    fn answers_are_five_symbols_of_the_alphabet() {
        for _ in 0..200 {
            let challenge = Challenge::new(Utc::now());
            assert_eq!(challenge.answer.chars().count(), LENGTH);
            assert!(challenge.answer.chars().all(|c| ALPHABET.contains(&c)));
        }
    }

    #[test]
    fn the_alphabet_has_no_look_alikes() {
        for c in "0Oo1lI5Ss2ZzcCkKpPuUvVwWxX".chars() {
            assert!(!ALPHABET.contains(&c), "{c} is in the alphabet");
        }
        let mut unique = ALPHABET.to_vec();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), ALPHABET.len());
    }

    #[test]
    fn debug_hides_the_answer() {
        let challenge = Challenge::new(Utc::now());
        let shown = format!("{challenge:?}");
        assert!(!shown.contains(&challenge.answer), "{shown}");
        assert!(shown.contains("redacted"));
    }

    #[test]
    fn expires_after_ten_minutes() {
        let issued = Utc::now();
        assert!(!is_expired(issued, issued + Duration::minutes(10)));
        assert!(is_expired(
            issued,
            issued + Duration::minutes(10) + Duration::seconds(1)
        ));
    }

    #[tokio::test]
    async fn the_right_answer_passes_once() {
        let (session, _store, _dir) = session().await;
        issue(&session).await.unwrap();
        let answer = stored_answer(&session).await;
        assert!(
            verify(&session, &format!(" {answer}\n"), None)
                .await
                .unwrap()
        );
        assert!(!verify(&session, &answer, None).await.unwrap());
    }

    #[tokio::test]
    async fn a_wrong_answer_uses_up_the_challenge() {
        let (session, _store, _dir) = session().await;
        issue(&session).await.unwrap();
        let answer = stored_answer(&session).await;
        assert!(!verify(&session, "wrong", None).await.unwrap());
        assert!(!verify(&session, &answer, None).await.unwrap());
    }

    #[tokio::test]
    async fn case_counts() {
        let (session, _store, _dir) = session().await;
        issue(&session).await.unwrap();
        // Digits alone have no case to get wrong (one answer in 3,000): draw again.
        let mut answer = stored_answer(&session).await;
        while !answer.chars().any(char::is_alphabetic) {
            issue(&session).await.unwrap();
            answer = stored_answer(&session).await;
        }
        let swapped: String = answer
            .chars()
            .map(|c| {
                if c.is_uppercase() {
                    c.to_ascii_lowercase()
                } else {
                    c.to_ascii_uppercase()
                }
            })
            .collect();
        assert!(!verify(&session, &swapped, None).await.unwrap());
    }

    #[tokio::test]
    async fn an_expired_challenge_fails() {
        let (session, _store, _dir) = session().await;
        issue(&session).await.unwrap();
        let answer = stored_answer(&session).await;
        let later = Utc::now() + Duration::minutes(TTL_MINUTES + 1);
        assert!(!verify_at(&session, &answer, None, later).await.unwrap());
    }

    #[tokio::test]
    async fn without_a_challenge_nothing_passes() {
        let (session, _store, _dir) = session().await;
        let test_answer = SecretString::from("answer42");
        assert!(!verify(&session, "", None).await.unwrap());
        assert!(
            !verify(&session, "answer42", Some(&test_answer))
                .await
                .unwrap()
        );
    }

    #[tokio::test]
    async fn the_test_answer_replaces_the_real_one() {
        let (session, _store, _dir) = session().await;
        let test_answer = SecretString::from("answer42");
        issue(&session).await.unwrap();
        let answer = stored_answer(&session).await;
        assert!(!verify(&session, &answer, Some(&test_answer)).await.unwrap());
        issue(&session).await.unwrap();
        assert!(
            verify(&session, "answer42", Some(&test_answer))
                .await
                .unwrap()
        );
        issue(&session).await.unwrap();
        let empty = SecretString::from("");
        assert!(!verify(&session, " ", Some(&empty)).await.unwrap());
    }

    #[tokio::test]
    async fn issuing_replaces_the_challenge() {
        let (session, _store, _dir) = session().await;
        let first = issue(&session).await.unwrap();
        let old_answer = stored_answer(&session).await;
        let second = issue(&session).await.unwrap();
        assert_ne!(first, second);
        let new_answer = stored_answer(&session).await;
        if old_answer != new_answer {
            assert!(!verify(&session, &old_answer, None).await.unwrap());
        }
    }

    #[tokio::test]
    async fn the_challenge_survives_the_session_store() {
        let (session, store, _dir) = session().await;
        issue(&session).await.unwrap();
        let answer = stored_answer(&session).await;
        session.save().await.unwrap();
        let reloaded = Session::new(session.id(), Arc::new(store), None);
        assert!(verify(&reloaded, &answer, None).await.unwrap());
    }

    #[tokio::test]
    async fn an_undecodable_challenge_counts_as_none() {
        let (session, _store, _dir) = session().await;
        session.insert(SESSION_KEY, "garbage").await.unwrap();
        assert!(current(&session).await.unwrap().is_none());
        assert!(!verify(&session, "garbage", None).await.unwrap());
    }
}
