//! How many queries a piece of work runs: the metrics count them per request, so a page that
//! starts to run a query per row shows, and a test holds each page to its number.

use std::cell::Cell;

tokio::task_local! {
    static QUERIES: Cell<u32>;
}

/// Runs `work`, counting the queries it runs on the pool, on its request's reading connection
/// and in its transactions.
pub async fn counting_queries<F: Future>(work: F) -> (F::Output, u32) {
    QUERIES
        .scope(Cell::new(0), async {
            let output = work.await;
            (output, QUERIES.with(Cell::get))
        })
        .await
}

/// SeaORM's callback after every statement it runs, on the pool or in a transaction.
pub(super) fn count(_: &sea_orm::metric::Info<'_>) {
    count_query();
}

/// Counts a statement; outside `counting_queries`, nothing.
pub(super) fn count_query() {
    let _ = QUERIES.try_with(|queries| queries.set(queries.get() + 1));
}
