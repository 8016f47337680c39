//! Handing freed memory back to the system at the few points where a run has just freed a lot
//! that it will not soon ask for again: when a file's read is done (its parts joined, its
//! windows dropped), and when the load is done. The allocator keeps freed memory for about a
//! second in case it is asked for again, which at a million rows kept the read's working copies
//! resident beside the frames made from them (docs/performance.md, change 55).
//!
//! The allocator is the binary's choice, so the binary says how to hand memory back
//! (`main.rs`); a program using the library that says nothing, or a test, loses nothing.

use std::sync::OnceLock;

static RETURN_FREED: OnceLock<fn()> = OnceLock::new();

/// How to hand freed memory back: set once, by the binary, before any work.
pub fn on_return_freed(return_freed: fn()) {
    // A second setting is ignored: the first was made before any work started.
    let _ = RETURN_FREED.set(return_freed);
}

/// Hands freed memory back, if the binary has said how.
pub fn return_freed() {
    if let Some(return_freed) = RETURN_FREED.get() {
        return_freed();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    static CALLS: AtomicUsize = AtomicUsize::new(0);

    fn count_call() {
        CALLS.fetch_add(1, Ordering::SeqCst);
    }

    #[test]
    fn freed_memory_is_returned_the_way_first_set() {
        super::return_freed();
        assert_eq!(CALLS.load(Ordering::SeqCst), 0, "nothing set, nothing done");
        super::on_return_freed(count_call);
        super::on_return_freed(|| panic!("only the first setting counts"));
        super::return_freed();
        super::return_freed();
        assert_eq!(CALLS.load(Ordering::SeqCst), 2);
    }
}
