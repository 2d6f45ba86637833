//! Everything that differs between Linux, macOS and Windows, and nothing else.
