//! Runs password hashing off the async workers, a bounded number at a time, so a burst of
//! sign-ins queues here instead of stalling every other page.

use std::sync::{Arc, LazyLock};

use tokio::sync::Semaphore;

use super::password::{hash_password, verify_password};

/// Verified when there is no account, so an unknown user name costs the same time as a known
/// one and the answer's timing does not tell them apart.
static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash_password("no account has this password"));

#[derive(Clone)]
pub struct Hasher {
    permits: Arc<Semaphore>,
}

#[derive(Debug, thiserror::Error)]
#[error("password hashing stopped: {0}")]
pub struct HasherError(String);

impl Hasher {
    pub fn new(concurrency: usize) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
        }
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, HasherError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|error| HasherError(error.to_string()))?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|error| HasherError(error.to_string()))
    }

    pub async fn hash(&self, password: String) -> Result<String, HasherError> {
        self.run(move || hash_password(&password)).await
    }

    /// Whether `password` matches `hash`; with no hash, a dummy is verified and fails.
    pub async fn verify(
        &self,
        password: String,
        hash: Option<String>,
    ) -> Result<bool, HasherError> {
        self.run(move || match hash {
            Some(hash) => verify_password(&password, &hash),
            None => {
                verify_password(&password, &DUMMY_HASH);
                false
            }
        })
        .await
    }
}
