//! Executable bits: read when the template is embedded and a tree is fingerprinted, set when the
//! embedded template is written out. Windows has none: files run by their extension there.
//!
//! `build.rs` includes this file with `#[path]`, so it uses only `std` and `fs-err` (a build
//! dependency too).

use std::fs::Metadata;
use std::io;
use std::path::Path;

/// The mode's executable bits (`mode & 0o111`).
#[cfg(unix)]
pub fn executable_bits(metadata: &Metadata) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    metadata.permissions().mode() & 0o111
}

/// Windows has no executable bits: every file reads as 0.
#[cfg(windows)]
pub fn executable_bits(_metadata: &Metadata) -> u32 {
    0
}

/// True when any executable bit is set; always false on Windows.
pub fn is_executable(metadata: &Metadata) -> bool {
    executable_bits(metadata) != 0
}

/// Sets all three executable bits, as `chmod +x` does.
#[cfg(unix)]
pub fn set_executable(path: &Path) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mut permissions = fs_err::metadata(path)?.permissions();
    permissions.set_mode(permissions.mode() | 0o111);
    fs_err::set_permissions(path, permissions)
}

/// Not applicable on Windows, which has no executable bits: does nothing.
#[cfg(windows)]
pub fn set_executable(_path: &Path) -> io::Result<()> {
    Ok(())
}
