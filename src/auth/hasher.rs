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
pub enum HasherError {
    #[error("the hashing queue is closed: {0}")]
    Closed(#[from] tokio::sync::AcquireError),
    #[error("the hashing task stopped: {0}")]
    Stopped(#[from] tokio::task::JoinError),
    #[error("hashing: {0}")]
    Hash(#[from] super::password::HashError),
}

impl Hasher {
    pub fn new(concurrency: usize, cost: HashCost) -> Result<Self, HasherError> {
        let dummy_hash = hash_password("no account has this password", cost)?;
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
        let _permit = self.permits.acquire().await?;
        Ok(tokio::task::spawn_blocking(work).await?)
    }

    pub async fn hash(&self, password: String) -> Result<String, HasherError> {
        let cost = self.cost;
        Ok(self.run(move || hash_password(&password, cost)).await??)
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
