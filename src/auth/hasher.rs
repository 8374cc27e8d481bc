//! Runs password hashing off the async workers, a bounded number at a time, so a burst of
//! sign-ins queues here instead of stalling every other page.

use std::sync::Arc;

use tokio::sync::Semaphore;

use super::password::{HashCost, hash_password, verify_password};

#[derive(Clone)]
pub struct Hasher {
    permits: Arc<Semaphore>,
    cost: HashCost,
    /// Verified when there is no account, so an unknown user name costs the same time as a
    /// known one and the answer's timing does not tell them apart.
    dummy_hash: Arc<String>,
}

#[derive(Debug, thiserror::Error)]
#[error("password hashing stopped: {0}")]
pub struct HasherError(String);

impl Hasher {
    pub fn new(concurrency: usize, cost: HashCost) -> Result<Self, HasherError> {
        let dummy_hash = hash_password("no account has this password", cost)
            .map_err(|error| HasherError(error.to_string()))?;
        Ok(Self {
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            cost,
            dummy_hash: Arc::new(dummy_hash),
        })
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
        let cost = self.cost;
        self.run(move || hash_password(&password, cost))
            .await?
            .map_err(|error| HasherError(error.to_string()))
    }

    /// Whether `password` matches `hash`; with no hash, a dummy is verified and fails.
    pub async fn verify(
        &self,
        password: String,
        hash: Option<String>,
    ) -> Result<bool, HasherError> {
        let dummy = self.dummy_hash.clone();
        self.run(move || match hash {
            Some(hash) => verify_password(&password, &hash),
            None => {
                verify_password(&password, &dummy);
                false
            }
        })
        .await
    }
}
