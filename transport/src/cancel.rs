//! A way to stop a sign-in or a call from anywhere: another thread, a Ctrl-C handler, another
//! task.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

/// A cancel switch for a sign-in or a call: clone it, hand one to the method
/// (`device_login_until` or `call_until` in both transports), and call
/// [`cancel`](Self::cancel) on another.
///
/// It needs no async runtime: blocking code waits on it with
/// [`wait_timeout`](Self::wait_timeout), async code awaits [`cancelled`](Self::cancelled).
/// Once cancelled it stays cancelled.
///
/// ```
/// use sso_oidc_transport::Cancel;
/// use std::time::Duration;
///
/// let cancel = Cancel::new();
/// let switch = cancel.clone();
/// std::thread::spawn(move || switch.cancel());
/// assert!(cancel.wait_timeout(Duration::from_secs(60)), "woken at once");
/// assert!(cancel.is_cancelled());
/// ```
#[derive(Clone, Default)]
pub struct Cancel {
    inner: Arc<Inner>,
}

#[derive(Default)]
struct Inner {
    cancelled: AtomicBool,
    /// Guards the wake-ups: blocking waiters sleep on `woken`, tasks leave their wakers.
    wakers: Mutex<Vec<Waker>>,
    woken: Condvar,
}

impl Cancel {
    /// A switch that is not cancelled yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Cancels: every waiter wakes, every flow holding a clone stops. Idempotent.
    pub fn cancel(&self) {
        let wakers = {
            let mut wakers = self.lock();
            self.inner.cancelled.store(true, Ordering::SeqCst);
            std::mem::take(&mut *wakers)
        };
        self.inner.woken.notify_all();
        for waker in wakers {
            waker.wake();
        }
    }

    /// Whether [`cancel`](Self::cancel) was called.
    pub fn is_cancelled(&self) -> bool {
        self.inner.cancelled.load(Ordering::SeqCst)
    }

    /// Blocks until cancelled or `timeout` has passed; whether it was cancelled.
    pub fn wait_timeout(&self, timeout: Duration) -> bool {
        let deadline = Instant::now().checked_add(timeout);
        let mut guard = self.lock();
        while !self.is_cancelled() {
            let left = match deadline {
                Some(deadline) => deadline.saturating_duration_since(Instant::now()),
                None => Duration::MAX,
            };
            if left.is_zero() {
                return false;
            }
            guard = self
                .inner
                .woken
                .wait_timeout(guard, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        true
    }

    /// A future that completes once cancelled.
    pub fn cancelled(&self) -> Cancelled<'_> {
        Cancelled { cancel: self }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Waker>> {
        self.inner
            .wakers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

impl fmt::Debug for Cancel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cancel")
            .field("cancelled", &self.is_cancelled())
            .finish()
    }
}

/// Completes once its [`Cancel`] is cancelled: made by [`Cancel::cancelled`].
#[derive(Debug)]
#[must_use = "futures do nothing unless awaited"]
pub struct Cancelled<'a> {
    cancel: &'a Cancel,
}

impl Future for Cancelled<'_> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.cancel.is_cancelled() {
            return Poll::Ready(());
        }
        let mut wakers = self.cancel.lock();
        // Checked again under the lock: `cancel` sets the flag and takes the wakers under it.
        if self.cancel.is_cancelled() {
            return Poll::Ready(());
        }
        if !wakers.iter().any(|w| w.will_wake(cx.waker())) {
            wakers.push(cx.waker().clone());
        }
        Poll::Pending
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::task::Wake;

    struct Flag(AtomicBool);

    impl Wake for Flag {
        fn wake(self: Arc<Self>) {
            self.0.store(true, Ordering::SeqCst);
        }
    }

    #[test]
    fn a_waiting_task_is_woken_and_then_ready() {
        let cancel = Cancel::new();
        let flag = Arc::new(Flag(AtomicBool::new(false)));
        let waker = Waker::from(Arc::clone(&flag));
        let mut cx = Context::from_waker(&waker);
        let mut future = cancel.cancelled();
        assert!(Pin::new(&mut future).poll(&mut cx).is_pending());
        assert!(Pin::new(&mut future).poll(&mut cx).is_pending());
        assert_eq!(cancel.lock().len(), 1, "one waker per task");
        cancel.clone().cancel();
        assert!(flag.0.load(Ordering::SeqCst), "woken");
        assert!(Pin::new(&mut future).poll(&mut cx).is_ready());
        assert!(cancel.lock().is_empty());
    }

    #[test]
    fn waits_end_on_time_or_on_cancel() {
        let cancel = Cancel::new();
        assert!(!cancel.wait_timeout(Duration::from_millis(10)));
        assert!(!cancel.is_cancelled());
        cancel.cancel();
        cancel.cancel();
        assert!(cancel.wait_timeout(Duration::MAX));
        assert_eq!(format!("{cancel:?}"), "Cancel { cancelled: true }");
    }
}
