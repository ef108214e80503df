//! Fetching many actors politely: at most a few requests at a time per host and a bound in
//! all. Each waits for its host's permit before it takes one of the overall slots, so actors
//! queued behind one busy host never hold slots that other hosts could use (many co-ops on
//! one big instance, all due at once). Used by the directory's refresh and the actor cache's.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;

use futures::StreamExt;
use tokio::sync::{Mutex, Semaphore};
use url::Url;

/// Runs `work` on each of `ids` (actor URLs; others are skipped), at most `per_host` at a
/// time per host and `in_flight` in all; returns when every one has run.
pub async fn for_each_by_host<F, Fut>(ids: Vec<String>, per_host: usize, in_flight: usize, work: F)
where
    F: Fn(Url) -> Fut,
    Fut: Future<Output = ()>,
{
    let hosts: Mutex<HashMap<String, Arc<Semaphore>>> = Mutex::new(HashMap::new());
    let slots = Semaphore::new(in_flight);
    futures::stream::iter(ids)
        .for_each_concurrent(None, |id| {
            let (hosts, slots, work) = (&hosts, &slots, &work);
            async move {
                let Ok(url) = Url::parse(&id) else {
                    return;
                };
                let gate = {
                    let mut map = hosts.lock().await;
                    map.entry(crate::config::authority(&url))
                        .or_insert_with(|| Arc::new(Semaphore::new(per_host)))
                        .clone()
                };
                let Ok(_host) = gate.acquire().await else {
                    return;
                };
                let Ok(_slot) = slots.acquire().await else {
                    return;
                };
                work(url).await;
            }
        })
        .await;
}
