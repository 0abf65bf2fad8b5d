//! The conv-api runtime.
