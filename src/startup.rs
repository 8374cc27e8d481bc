//! Builds the application from a `Config`: database, migrations, mail worker, listener.

use std::future::Future;
use std::net::SocketAddr;

use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::app::Services;
use crate::app::clock::Clock;
use crate::app::notifications::{self, Queued};
use crate::auth::hasher::Hasher;
use crate::config::Config;
use crate::mail::worker::MailWorker;
use crate::store::sessions::DbSessionStore;
use crate::store::{self, Db};

use crate::web::{self, AppState};

pub struct Application {
    listener: TcpListener,
    address: SocketAddr,
    /// The listener of `/metrics`, when `metrics_listen` is set.
    metrics: Option<(TcpListener, axum::Router)>,
    db: Db,
    router: axum::Router,
    worker: MailWorker,
    notifier: Notifier,
}

impl Application {
    /// Connects, migrates, fills the demo data when asked and binds the listener (port 0 picks
    /// a free port, as the tests do).
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        Self::build_with_clock(config, Clock::System).await
    }

    /// As [`Self::build`], with the clock the use cases go by (a manual one in tests).
    pub async fn build_with_clock(config: Config, clock: Clock) -> anyhow::Result<Self> {
        // Everything pages and mail need is checked before the database is touched.
        config.site(config.listen)?;
        let db =
            store::connect_at_most(&config.database_url, config.database_max_connections).await?;
        store::migrate(&db).await?;
        if config.demo {
            crate::demo::fill_if_empty(&db, &config).await?;
        }
        let listener = bind("listen", config.listen).await?;
        let address = listener.local_addr()?;
        let metrics_listener = match config.metrics_listen {
            Some(metrics_address) => Some(bind("metrics_listen", metrics_address).await?),
            None => None,
        };
        // Links and the same-origin check need the address actually bound (port 0 in tests).
        let site = config.site(address)?;
        let worker = MailWorker::new(db.clone(), &config, &site.company)?;
        let hasher = Hasher::new(config.password_hash_concurrency, config.hash_cost())?;
        let services = Services::new(db.clone(), site, hasher, clock);
        let notifier = Notifier {
            services: services.clone(),
            window: config.reading_window,
            every: std::time::Duration::from_secs(
                config.notification_interval_seconds.get().into(),
            ),
            holder: uuid::Uuid::new_v4().to_string(),
        };
        let state = AppState::new(services, config);
        let router = web::router(state.clone());
        let metrics = metrics_listener.map(|listener| (listener, web::metrics_router(state)));
        Ok(Self {
            listener,
            address,
            metrics,
            db,
            router,
            worker,
            notifier,
        })
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Where `/metrics` is served, if anywhere.
    pub fn metrics_address(&self) -> Option<SocketAddr> {
        self.metrics
            .as_ref()
            .and_then(|(listener, _)| listener.local_addr().ok())
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    /// Serves until `shutdown` completes, then lets requests in flight, the mail worker's
    /// current message and the scheduled run's current batch finish.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let stop = CancellationToken::new();
        let worker = tokio::spawn(self.worker.run(stop.child_token()));
        let sweeper = tokio::spawn(sweep_sessions(self.db.clone(), stop.child_token()));
        let notifier = tokio::spawn(self.notifier.run(stop.child_token()));
        let metrics = self.metrics.map(|(listener, router)| {
            let stopping = stop.child_token();
            tracing::info!(address = ?listener.local_addr().ok(), "metrics listening");
            tokio::spawn(async move {
                axum::serve(listener, router)
                    .with_graceful_shutdown(stopping.cancelled_owned())
                    .await
            })
        });
        tracing::info!(address = %self.address, "ePortal listening");
        let service = self
            .router
            .into_make_service_with_connect_info::<SocketAddr>();
        let served = axum::serve(self.listener, service)
            .with_graceful_shutdown(shutdown)
            .await;
        stop.cancel();
        worker.await?;
        sweeper.await?;
        notifier.await?;
        if let Some(metrics) = metrics {
            metrics.await??;
        }

        self.db.close().await?;
        tracing::info!("ePortal stopped");
        Ok(served?)
    }
}

async fn bind(setting: &str, address: SocketAddr) -> anyhow::Result<TcpListener> {
    TcpListener::bind(address)
        .await
        .map_err(|error| anyhow::anyhow!("setting {setting}: cannot bind {address}: {error}"))
}

/// Completes on SIGTERM or Ctrl-C.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down");
}

/// The scheduled sends of notifications (`app::notifications::run_due`), in this instance.
struct Notifier {
    services: Services,
    window: Option<crate::domain::reading_check::ReadingWindow>,
    every: std::time::Duration,
    /// This instance, as the lease names it.
    holder: String,
}

impl Notifier {
    /// Looks for notifications due at start (catching up on what a stop left) and then every
    /// `every`, until `stop` is cancelled.
    async fn run(self, stop: CancellationToken) {
        loop {
            match notifications::run_due(&self.services, self.window, &self.holder, &stop).await {
                Ok(Some(queued)) if queued != Queued::default() => {
                    tracing::info!(?queued, "notifications queued");
                }
                Ok(_) => {}
                Err(error) => tracing::error!(%error, "cannot queue notifications"),
            }
            tokio::select! {
                _ = stop.cancelled() => return,
                _ = tokio::time::sleep(self.every) => {}
            }
        }
    }
}

/// Every ten minutes: deletes expired sessions and brings the planner's statistics of tables
/// that grew up to date.
async fn sweep_sessions(db: Db, stop: CancellationToken) {
    let store = DbSessionStore::new(db.clone());
    loop {
        match store.delete_expired(chrono::Utc::now()).await {
            Ok(0) => {}
            Ok(deleted) => tracing::debug!(deleted, "expired sessions deleted"),
            Err(error) => tracing::warn!(%error, "cannot delete expired sessions"),
        }
        if let Err(error) = store::billing::refresh_grown_statistics(&db).await {
            tracing::warn!(%error, "cannot refresh the planner's statistics");
        }
        tokio::select! {
            _ = stop.cancelled() => return,
            _ = tokio::time::sleep(std::time::Duration::from_secs(600)) => {}
        }
    }
}
