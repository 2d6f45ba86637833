//! `watch DIR`.
