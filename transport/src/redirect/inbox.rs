//! Redirects that come another way than to the listener: an address pasted from a browser on
//! another machine.

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

/// A second source of redirects for the authorization-code sign-in, beside the loopback
/// listener: clone it, hand one to `auth_code_login_until` (in both transports), and
/// [`push`](Self::push) what a person pastes on another.
///
/// When the browser runs on another machine (over SSH, in a container, in WSL without a
/// shared loopback), its redirect to `http://127.0.0.1:<port>/oauth/callback?code=…&state=…`
/// cannot reach the listener, but its address bar still holds the code and the state. Pushed
/// here, that address reaches the sign-in as if the browser had come back: the flow judges it
/// the same way (a wrong `state` is ignored and the sign-in goes on waiting), and there is no
/// browser to answer. Either the whole URL or just its request target
/// (`/oauth/callback?code=…&state=…`) will do: the core's
/// [`handle_redirect`](sso_oidc::AuthCodeFlow::handle_redirect) reads both, and surrounding
/// whitespace (a line from standard input) is trimmed here. Blank pushes are dropped.
///
/// Like [`Cancel`](crate::Cancel), it needs no async runtime: blocking code takes with
/// [`take`](Self::take) or [`wait_timeout`](Self::wait_timeout), async code awaits
/// [`pushed`](Self::pushed). Targets are taken in the order they were pushed, each once.
///
/// ```
/// use sso_oidc_transport::RedirectInbox;
/// use std::time::Duration;
///
/// let inbox = RedirectInbox::new();
/// let stdin_reader = inbox.clone(); // what a thread reading standard input would hold
/// std::thread::spawn(move || {
///     stdin_reader.push("http://127.0.0.1:4321/oauth/callback?code=c&state=s\n");
/// });
/// let pasted = inbox.wait_timeout(Duration::from_secs(60)).expect("woken at once");
/// assert_eq!(pasted, "http://127.0.0.1:4321/oauth/callback?code=c&state=s");
/// assert_eq!(inbox.take(), None);
/// ```
#[derive(Clone, Default)]
pub struct RedirectInbox {
    inner: Arc<Inner>,
}

#[derive(Default)]
struct Inner {
    queue: Mutex<Queue>,
    /// Blocking waiters sleep on it; tasks leave their wakers in the queue.
    pushed: Condvar,
}

#[derive(Default)]
struct Queue {
    targets: VecDeque<String>,
    wakers: Vec<Waker>,
}

impl RedirectInbox {
    /// An empty inbox.
    pub fn new() -> Self {
        Self::default()
    }

    /// Hands in a redirect: a whole URL as a browser's address bar shows it, or a request
    /// target. Whitespace around it is trimmed; a blank one is dropped. Wakes whoever waits.
    pub fn push(&self, target: impl AsRef<str>) {
        let target = target.as_ref().trim();
        if target.is_empty() {
            return;
        }
        let wakers = {
            let mut queue = self.lock();
            queue.targets.push_back(target.to_owned());
            std::mem::take(&mut queue.wakers)
        };
        self.inner.pushed.notify_all();
        for waker in wakers {
            waker.wake();
        }
    }

    /// The oldest redirect not taken yet, if any.
    pub fn take(&self) -> Option<String> {
        self.lock().targets.pop_front()
    }

    /// Blocks until a redirect is there (and takes it) or `timeout` has passed.
    pub fn wait_timeout(&self, timeout: Duration) -> Option<String> {
        let deadline = Instant::now().checked_add(timeout);
        let mut queue = self.lock();
        loop {
            if let Some(target) = queue.targets.pop_front() {
                return Some(target);
            }
            let left = match deadline {
                Some(deadline) => deadline.saturating_duration_since(Instant::now()),
                None => Duration::MAX,
            };
            if left.is_zero() {
                return None;
            }
            queue = self
                .inner
                .pushed
                .wait_timeout(queue, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }

    /// A future that completes with the next redirect pushed (or one already there), taking
    /// it. Dropped before it completes, it takes nothing.
    pub fn pushed(&self) -> Pushed<'_> {
        Pushed { inbox: self }
    }

    fn lock(&self) -> MutexGuard<'_, Queue> {
        self.inner
            .queue
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

impl fmt::Debug for RedirectInbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the targets: they hold authorization codes.
        f.debug_struct("RedirectInbox")
            .field("waiting", &self.lock().targets.len())
            .finish()
    }
}

/// Completes with the next redirect pushed to its [`RedirectInbox`]: made by
/// [`RedirectInbox::pushed`].
#[derive(Debug)]
#[must_use = "futures do nothing unless awaited"]
pub struct Pushed<'a> {
    inbox: &'a RedirectInbox,
}

impl Future for Pushed<'_> {
    type Output = String;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<String> {
        let mut queue = self.inbox.lock();
        if let Some(target) = queue.targets.pop_front() {
            return Poll::Ready(target);
        }
        if !queue.wakers.iter().any(|w| w.will_wake(cx.waker())) {
            queue.wakers.push(cx.waker().clone());
        }
        Poll::Pending
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::task::Wake;

    struct Flag(AtomicBool);

    impl Wake for Flag {
        fn wake(self: Arc<Self>) {
            self.0.store(true, Ordering::SeqCst);
        }
    }

    #[test]
    fn a_waiting_task_is_woken_and_takes_the_target() {
        let inbox = RedirectInbox::new();
        let flag = Arc::new(Flag(AtomicBool::new(false)));
        let waker = Waker::from(Arc::clone(&flag));
        let mut cx = Context::from_waker(&waker);
        let mut future = inbox.pushed();
        assert!(Pin::new(&mut future).poll(&mut cx).is_pending());
        assert!(Pin::new(&mut future).poll(&mut cx).is_pending());
        assert_eq!(inbox.lock().wakers.len(), 1, "one waker per task");
        inbox.clone().push("  /oauth/callback?code=c&state=s\r\n");
        assert!(flag.0.load(Ordering::SeqCst), "woken");
        assert_eq!(
            Pin::new(&mut future).poll(&mut cx),
            Poll::Ready("/oauth/callback?code=c&state=s".to_owned())
        );
        assert_eq!(inbox.take(), None, "taken once");
    }

    #[test]
    fn targets_come_in_order_and_blanks_are_dropped() {
        let inbox = RedirectInbox::new();
        assert_eq!(inbox.wait_timeout(Duration::from_millis(10)), None);
        inbox.push("a");
        inbox.push(" \n");
        inbox.push("b");
        assert_eq!(format!("{inbox:?}"), "RedirectInbox { waiting: 2 }");
        assert_eq!(inbox.wait_timeout(Duration::MAX).as_deref(), Some("a"));
        assert_eq!(inbox.take().as_deref(), Some("b"));
        assert_eq!(inbox.take(), None);
    }
}
