//! Runs password hashing on threads of their own, a fixed number of them, below every other
//! thread of the machine. A storm of sign-ins queues here and gets the CPU the pages leave
//! over, instead of stalling every other page (docs/performance.md measures it).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, PoisonError};

use thread_priority::ThreadPriority;
use tokio::sync::oneshot;

use super::password::{HashCost, HashError, hash_password, is_outdated, verify_password};

/// Jobs that may wait for a hashing thread, per thread: about 2.6 s of hashing each. More are
/// refused at once (`Busy`), so a flood of sign-in forms cannot queue unbounded work and
/// memory ahead of the customers who sign in after it.
const WAITING_PER_THREAD: usize = 64;

type Job = Box<dyn FnOnce() + Send>;
type Outcome<T> = Result<T, Box<dyn std::any::Any + Send>>;

#[derive(Clone)]
pub struct Hasher {
    jobs: Sender<Job>,
    /// Jobs sent and not yet taken by a thread, and how many may be.
    waiting: Arc<AtomicUsize>,
    most_waiting: usize,
    cost: HashCost,
    /// Verified when there is no account, so an unknown user name costs the same time as a
    /// known one and the answer's timing does not tell them apart.
    dummy_hash: Arc<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum HasherError {
    #[error("the hashing threads are gone")]
    Closed,
    #[error("too many passwords wait to be hashed")]
    Busy,
    #[error("the hashing of a password panicked")]
    Panicked,
    #[error("starting a hashing thread: {0}")]
    Thread(#[from] std::io::Error),
    #[error("hashing: {0}")]
    Hash(#[from] HashError),
}

/// What checking a password found.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    Wrong,
    /// Right; with a hash made again when the stored one was made otherwise than new hashes
    /// are (older parameters), for the caller to store in its place.
    Right {
        renewed_hash: Option<String>,
    },
}

impl Hasher {
    /// Starts `concurrency` hashing threads (at least one); they end with the last clone.
    pub fn new(concurrency: usize, cost: HashCost) -> Result<Self, HasherError> {
        let dummy_hash = hash_password("no account has this password", cost)?;
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for number in 0..concurrency.max(1) {
            let queue = queue.clone();
            std::thread::Builder::new()
                .name(format!("password-hash-{number}"))
                .spawn(move || hash_jobs(&queue))?;
        }
        Ok(Self {
            jobs,
            waiting: Arc::new(AtomicUsize::new(0)),
            most_waiting: WAITING_PER_THREAD * concurrency.max(1),
            cost,
            dummy_hash: Arc::new(dummy_hash),
        })
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, HasherError> {
        self.enqueue(work)?
            .await
            .map_err(|_| HasherError::Closed)?
            .map_err(|_| HasherError::Panicked)
    }

    /// Queues `work` for a hashing thread, unless too many wait already.
    fn enqueue<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<oneshot::Receiver<Outcome<T>>, HasherError> {
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.most_waiting {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return Err(HasherError::Busy);
        }
        let (done, result) = oneshot::channel();
        let waiting = self.waiting.clone();
        let job = Box::new(move || {
            waiting.fetch_sub(1, Ordering::SeqCst);
            // A request that went away while its job queued (the client hung up) needs no
            // hash: 40 ms of CPU saved for those still waiting.
            if done.is_closed() {
                return;
            }
            let _ = done.send(catch_unwind(AssertUnwindSafe(work)));
        });
        self.jobs.send(job).map_err(|_| HasherError::Closed)?;
        Ok(result)
    }

    pub async fn hash(&self, password: String) -> Result<String, HasherError> {
        let cost = self.cost;
        Ok(self.run(move || hash_password(&password, cost)).await??)
    }

    /// Whether `password` matches `hash`; with no hash, a dummy is verified and fails. A right
    /// password whose hash is outdated is hashed again at once, on the same thread.
    pub async fn verify(
        &self,
        password: String,
        hash: Option<String>,
    ) -> Result<Verdict, HasherError> {
        let dummy = self.dummy_hash.clone();
        let cost = self.cost;
        let verdict = self.run(move || -> Result<Verdict, HashError> {
            Ok(match hash {
                Some(hash) if verify_password(&password, &hash) => Verdict::Right {
                    renewed_hash: if is_outdated(&hash, cost) {
                        Some(hash_password(&password, cost)?)
                    } else {
                        None
                    },
                },
                Some(_) => Verdict::Wrong,
                None => {
                    verify_password(&password, &dummy);
                    Verdict::Wrong
                }
            })
        });
        Ok(verdict.await??)
    }
}

/// A hashing thread: gives way to every other thread, then hashes what comes until every
/// sender is gone.
fn hash_jobs(queue: &Mutex<Receiver<Job>>) {
    if let Err(error) = give_way() {
        // Hashing still works, only without giving way to pages.
        tracing::warn!(error = ?error, "password hashing runs at the normal priority");
    }
    loop {
        // The lock is held only to take a job, never while hashing.
        let job = queue.lock().unwrap_or_else(PoisonError::into_inner).recv();
        match job {
            Ok(job) => job(),
            Err(_) => return,
        }
    }
}

/// Puts the calling thread below the others. On Linux that is `SCHED_IDLE`: the thread runs
/// only on CPU time no other thread wants, and a page's thread that wakes takes the CPU from
/// it at once (with niceness 11 instead, a page's p99 still doubled in a storm). Under a load
/// that takes every core, sign-ins wait (and past the queue are refused) while pages go on.
#[cfg(target_os = "linux")]
fn give_way() -> Result<(), thread_priority::Error> {
    use thread_priority::{
        NormalThreadSchedulePolicy, ThreadSchedulePolicy, set_thread_priority_and_policy,
        thread_native_id,
    };
    set_thread_priority_and_policy(
        thread_native_id(),
        ThreadPriority::Min,
        ThreadSchedulePolicy::Normal(NormalThreadSchedulePolicy::Idle),
    )
}

/// Elsewhere, the lowest priority the system gives a normal thread.
#[cfg(not(target_os = "linux"))]
fn give_way() -> Result<(), thread_priority::Error> {
    thread_priority::set_current_thread_priority(ThreadPriority::Min)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn hashes_verify_and_give_way_to_every_other_thread() {
        let hasher = Hasher::new(2, HashCost::Test).unwrap();
        let hash = hasher.hash("Brezovica-Voda-2020".into()).await.unwrap();
        assert_eq!(
            hasher
                .verify("Brezovica-Voda-2020".into(), Some(hash.clone()))
                .await
                .unwrap(),
            Verdict::Right { renewed_hash: None }
        );
        let wrong = hasher.verify("wrong".into(), Some(hash)).await.unwrap();
        assert_eq!(wrong, Verdict::Wrong);
        let no_hash = hasher.verify("anything".into(), None).await.unwrap();
        assert_eq!(no_hash, Verdict::Wrong);
        let policy = hasher
            .run(thread_priority::thread_schedule_policy)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            policy,
            thread_priority::ThreadSchedulePolicy::Normal(
                thread_priority::NormalThreadSchedulePolicy::Idle
            )
        );
    }

    #[tokio::test]
    async fn a_right_password_with_an_outdated_hash_gets_a_new_one() {
        let hasher = Hasher::new(1, HashCost::Test).unwrap();
        let outdated = hash_password("Brezovica-Voda-2020", HashCost::Production).unwrap();
        let wrong = hasher.verify("wrong".into(), Some(outdated.clone()));
        assert_eq!(wrong.await.unwrap(), Verdict::Wrong);
        let right = hasher.verify("Brezovica-Voda-2020".into(), Some(outdated));
        let Verdict::Right {
            renewed_hash: Some(renewed),
        } = right.await.unwrap()
        else {
            panic!("no new hash for an outdated one");
        };
        assert!(!is_outdated(&renewed, HashCost::Test), "{renewed}");
        assert!(verify_password("Brezovica-Voda-2020", &renewed));
    }

    #[tokio::test]
    async fn too_many_waiting_are_refused_at_once_and_taken_again_later() {
        let hasher = Hasher::new(1, HashCost::Test).unwrap();
        let (release, hold) = std::sync::mpsc::channel::<()>();
        let (started, has_started) = oneshot::channel::<()>();
        // The one thread busy until released, and every waiting place taken.
        let busy = hasher
            .enqueue(move || {
                let _ = started.send(());
                let _ = hold.recv();
            })
            .unwrap();
        has_started.await.unwrap();
        let waiting: Vec<_> = (0..WAITING_PER_THREAD)
            .map(|_| hasher.enqueue(|| ()).unwrap())
            .collect();
        assert!(matches!(hasher.run(|| ()).await, Err(HasherError::Busy)));
        release.send(()).unwrap();
        busy.await.unwrap().unwrap();
        for job in waiting {
            job.await.unwrap().unwrap();
        }
        assert_eq!(hasher.run(|| 7).await.unwrap(), 7, "taken again");
    }

    #[tokio::test]
    async fn a_panicking_job_is_an_error_and_the_thread_goes_on() {
        let hasher = Hasher::new(1, HashCost::Test).unwrap();
        let panicked = hasher.run(|| panic!("on purpose")).await;
        assert!(matches!(panicked, Err(HasherError::Panicked)));
        assert_eq!(hasher.run(|| 42).await.unwrap(), 42);
    }
}
