//! Placeholder: this crate arrives with its issue.
