//! A folder that goes however the work filling it ends: an error, a panic or an interrupt
//! leaves no half-made folder for the next run to mistake for a finished one.

use std::path::Path;

/// Removes its folder when dropped, if it is there.
#[derive(Debug)]
pub struct RemoveOnDrop<'a>(pub &'a Path);

impl Drop for RemoveOnDrop<'_> {
    fn drop(&mut self) {
        if self.0.exists() {
            let _ = fs_err::remove_dir_all(self.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_folder_goes_when_the_guard_does_and_a_missing_one_is_no_error() {
        let dir = tempfile::tempdir().unwrap();
        let made = dir.path().join("incoming");
        fs_err::create_dir_all(made.join("sub")).unwrap();
        fs_err::write(made.join("sub/file"), "x").unwrap();
        drop(RemoveOnDrop(&made));
        assert!(!made.exists());
        drop(RemoveOnDrop(&made));
        assert!(dir.path().exists());
    }
}
