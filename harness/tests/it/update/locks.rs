//! The lock files of a project through an update: brought in line with the merged manifests,
//! left alone with `--no-lock`, and an update that cannot reach the network writes nothing.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use super::fixture::{
    Fixture, assert_locked, assert_same_files, files, git, harness_as_author, replace_once, text,
    write,
};
use crate::support::run;

/// A change to the manifests that every lock file must follow: the crates' version, which
/// Cargo.lock records for each member.
fn new_crate_version(today: &Path) {
    replace_once(
        &today.join("Cargo.toml.liquid"),
        "\nversion = \"0.1.0\"\n",
        "\nversion = \"0.2.0\"\n",
    );
}

#[test]
fn the_lock_files_a_project_has_follow_its_merged_manifests() {
    let fixture = Fixture::new(new_crate_version);
    let project = fixture.old_locked_project("lock-ext");
    let before = files(&project);
    let cargo_lock = text(&project.join("Cargo.lock"));

    // Offline: cargo fails as an offline one does. Nothing is written, and the error says
    // how to update without the network.
    let bin = fixture.dir.path().join("offline-bin");
    write(
        &bin.join("cargo"),
        "#!/bin/sh\necho 'error: failed to get `pyo3` as a dependency (offline)' >&2\nexit 101\n",
    );
    fs_err::set_permissions(bin.join("cargo"), std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = std::env::join_paths(
        std::iter::once(bin).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())),
    )
    .unwrap();
    let mut command = harness_as_author();
    command.env("PATH", path);
    let offline = run(fixture.update_command(&mut command, &project, &["--no-verify"]));
    assert_eq!(offline.code, Some(3), "{}", offline.dump());
    assert!(
        offline.stderr.contains(
            "error: process didn't exit successfully: `cargo update --workspace` (exit status: \
             101)\n"
        ),
        "{}",
        offline.dump()
    );
    assert!(
        offline.stderr.ends_with(
            "hint: nothing was written. Offline? Run the same `pyo3-scaffold update` with \
             --no-lock, then `cargo update --workspace && uv lock` in the project once online\n"
        ),
        "{}",
        offline.dump()
    );
    assert_same_files(&files(&project), &before, "an update that could not relock");

    // --no-lock: the update without them, which leaves them behind the manifests.
    let unlocked = fixture.update(&project, &["--no-verify", "--no-lock"]);
    assert_eq!(unlocked.code, Some(0), "{}", unlocked.dump());
    assert!(
        unlocked.stderr.contains(
            "note: --no-lock: Cargo.lock and uv.lock left as they were; bring them in line with \
             the merged manifests with `cargo update --workspace && uv lock` in the project\n"
        ),
        "{}",
        unlocked.dump()
    );
    assert!(!unlocked.stdout.contains("relocked"), "{}", unlocked.dump());
    assert_eq!(text(&project.join("Cargo.lock")), cargo_lock);
    let stale = Command::new("cargo")
        .args(["metadata", "--locked", "--offline", "--quiet"])
        .args(["--format-version", "1"])
        .current_dir(&project)
        .output()
        .unwrap();
    assert!(!stale.status.success(), "Cargo.lock should be stale");
    git(&project, &["reset", "-q", "--hard"]);
    git(&project, &["clean", "-qfd"]);

    let json = fixture.dir.path().join("update.json");
    let updated = fixture.update(&project, &["--no-verify", "--json", json.to_str().unwrap()]);
    assert_eq!(updated.code, Some(0), "{}", updated.dump());
    assert!(
        updated
            .stdout
            .contains("  relocked   Cargo.lock\n  relocked   uv.lock\n"),
        "{}",
        updated.dump()
    );
    assert!(
        updated
            .stdout
            .ends_with("0 conflicts; relocked Cargo.lock and uv.lock\n"),
        "{}",
        updated.dump()
    );
    let report: serde_json::Value = serde_json::from_str(&text(&json)).unwrap();
    let listed = report["files"].as_array().unwrap();
    for file in ["Cargo.lock", "uv.lock"] {
        let entry = serde_json::json!({"path": file, "action": "relocked"});
        assert!(listed.contains(&entry), "{report}");
    }
    // Cargo.lock takes the members' new version and keeps every other pin.
    let members = ["lock-ext-core", "lock-ext-python"];
    let expected = members.iter().fold(cargo_lock, |lock, member| {
        lock.replace(
            &format!("name = \"{member}\"\nversion = \"0.1.0\"\n"),
            &format!("name = \"{member}\"\nversion = \"0.2.0\"\n"),
        )
    });
    assert_eq!(text(&project.join("Cargo.lock")), expected);
    assert_locked(&project);
}
