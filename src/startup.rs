//! Builds the application from a `Config`: database, migrations, mail worker, listener.

use std::future::Future;
use std::net::SocketAddr;

use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::config::Config;
use crate::mail::worker::MailWorker;
use crate::store::sessions::DbSessionStore;
use crate::store::{self, Db};

use crate::web::{self, AppState};

pub struct Application {
    listener: TcpListener,
    address: SocketAddr,
    db: Db,
    router: axum::Router,
    worker: MailWorker,
}

impl Application {
    /// Connects, migrates, fills the demo data when asked and binds the listener (port 0 picks
    /// a free port, as the tests do).
    pub async fn build(mut config: Config) -> anyhow::Result<Self> {
        config.company()?;
        config.consent()?;
        let db = store::connect(&config.database_url).await?;
        store::migrate(&db).await?;
        if config.demo {
            crate::demo::fill_if_empty(&db, &config).await?;
        }
        let worker = MailWorker::new(db.clone(), &config)?;
        let listener = TcpListener::bind(config.listen).await.map_err(|error| {
            anyhow::anyhow!("setting listen: cannot bind {}: {error}", config.listen)
        })?;
        let address = listener.local_addr()?;
        // Links and the same-origin check need the address actually bound (port 0 in tests).
        if config.public_url.is_none() {
            config.public_url = Some(url::Url::parse(&format!("http://{address}"))?);
        }
        let router = web::router(AppState::new(db.clone(), config));
        Ok(Self {
            listener,
            address,
            db,
            router,
            worker,
        })
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    /// Serves until `shutdown` completes, then lets requests in flight and the mail worker's
    /// current message finish.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let stop = CancellationToken::new();
        let worker = tokio::spawn(self.worker.run(stop.child_token()));
        let sweeper = tokio::spawn(sweep_sessions(self.db.clone(), stop.child_token()));
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

        self.db.close().await?;
        tracing::info!("ePortal stopped");
        Ok(served?)
    }
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

/// Deletes expired sessions every ten minutes.
async fn sweep_sessions(db: Db, stop: CancellationToken) {
    let store = DbSessionStore::new(db);
    loop {
        match store.delete_expired(chrono::Utc::now()).await {
            Ok(0) => {}
            Ok(deleted) => tracing::debug!(deleted, "expired sessions deleted"),
            Err(error) => tracing::warn!(%error, "cannot delete expired sessions"),
        }
        tokio::select! {
            _ = stop.cancelled() => return,
            _ = tokio::time::sleep(std::time::Duration::from_secs(600)) => {}
        }
    }
}
