//! A one-way signal between two threads: given once, waited for by the other.

use std::sync::{Condvar, Mutex, PoisonError};

#[derive(Default)]
pub struct Signal {
    given: Mutex<bool>,
    changed: Condvar,
}

impl Signal {
    pub fn give(&self) {
        *self.given.lock().unwrap_or_else(PoisonError::into_inner) = true;
        self.changed.notify_all();
    }

    /// Returns once the signal is given, at once if it has been.
    pub fn wait(&self) {
        let given = self.given.lock().unwrap_or_else(PoisonError::into_inner);
        let _given = self
            .changed
            .wait_while(given, |given| !*given)
            .unwrap_or_else(PoisonError::into_inner);
    }

    /// Gives the signal when dropped: on any way out of a scope, a panic included.
    pub fn on_drop(&self) -> impl Drop + '_ {
        struct Give<'a>(&'a Signal);
        impl Drop for Give<'_> {
            fn drop(&mut self) {
                self.0.give();
            }
        }
        Give(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A waiter returns once the signal is given, whether it began waiting before or after,
    /// and a scope left by a panic still gives it.
    #[test]
    fn a_signal_is_given_once_and_reaches_every_waiter() {
        let signal = Signal::default();
        std::thread::scope(|scope| {
            let waiter = scope.spawn(|| signal.wait());
            signal.give();
            waiter.join().unwrap();
        });
        signal.wait();

        let signal = Signal::default();
        std::thread::scope(|scope| {
            let waiter = scope.spawn(|| signal.wait());
            let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let _given = signal.on_drop();
                panic!("the read failed");
            }));
            assert!(panicked.is_err());
            waiter.join().unwrap();
        });
    }
}
