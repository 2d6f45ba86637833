//! The lock files of a project through an update: brought in line with the merged manifests,
//! left alone with `--no-lock`; one that cannot be refreshed (offline, or a path dependency
//! outside the project) is left as it was, with a warning, and the update is written.

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

    // --check and --dry-run refresh nothing, and say that the update would.
    let would = "note: updating would also relock Cargo.lock and uv.lock with `cargo update \
                 --workspace && uv lock`, which needs the network (--no-lock leaves them as they \
                 are)\n";
    for mode in ["--check", "--dry-run"] {
        let told = fixture.update(&project, &[mode]);
        assert!(told.stdout.contains(would), "{mode}\n{}", told.dump());
        let quiet = fixture.update(&project, &[mode, "--no-lock"]);
        assert!(!quiet.stdout.contains("relock"), "{mode}\n{}", quiet.dump());
    }
    assert_same_files(&files(&project), &before, "--check and --dry-run");

    // Offline: cargo fails as an offline one does (and so does `uv lock`, whose build backend
    // asks cargo for the package's metadata). The update is written all the same, with the
    // lock files left as they were, and a warning says why and what to run later.
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
    let offline_json = fixture.dir.path().join("offline.json");
    let offline = run(fixture.update_command(
        &mut command,
        &project,
        &["--no-verify", "--json", offline_json.to_str().unwrap()],
    ));
    assert_eq!(offline.code, Some(0), "{}", offline.dump());
    let report: serde_json::Value = serde_json::from_str(&text(&offline_json)).unwrap();
    assert_eq!(
        report["not_relocked"],
        serde_json::json!(["Cargo.lock", "uv.lock"])
    );
    assert!(
        offline.stderr.contains(
            "warning: Cargo.lock left as it was: `cargo update --workspace` failed: error: \
             failed to get `pyo3` as a dependency (offline)\n"
        ),
        "{}",
        offline.dump()
    );
    assert!(
        offline.stderr.contains(&format!(
            "warning: the update is written without relocking Cargo.lock and uv.lock; once \
             `cargo update --workspace && uv lock` can run (online, with every path dependency \
             in place), run it in {}\n",
            project.display()
        )),
        "{}",
        offline.dump()
    );
    assert!(
        offline
            .stdout
            .ends_with("; not relocked Cargo.lock and uv.lock\n"),
        "{}",
        offline.dump()
    );
    assert!(project.join("CHANGELOG.md").is_file(), "{}", offline.dump());
    assert_eq!(text(&project.join("Cargo.lock")), cargo_lock);
    assert_eq!(
        fs_err::read(project.join("uv.lock")).unwrap(),
        before["uv.lock"]
    );
    git(&project, &["reset", "-q", "--hard"]);
    git(&project, &["clean", "-qfd"]);
    assert_same_files(&files(&project), &before, "reset");

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

/// A path dependency outside the project's folder, which the staged copy of the update does not
/// reach: Cargo.lock cannot be refreshed there. The update is written, with Cargo.lock as it
/// was, and the warning names cargo's error and the command to run in the project.
#[test]
fn a_path_dependency_outside_the_project_does_not_stop_the_update() {
    let fixture = Fixture::new(|_| {});
    let project = fixture.new_project(&fixture.old, "projects", "path-ext", &[]);
    let shared = project.parent().unwrap().join("shared");
    write(
        &shared.join("Cargo.toml"),
        "[package]\nname = \"shared\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    );
    write(&shared.join("src/lib.rs"), "");
    replace_once(
        &project.join("crates/core/Cargo.toml"),
        "\n[dependencies]\n",
        "\n[dependencies]\nshared = { path = \"../../../shared\" }\n",
    );
    let locked = Command::new("cargo")
        .args(["generate-lockfile", "--quiet"])
        .current_dir(&project)
        .output()
        .unwrap();
    assert!(locked.status.success(), "{locked:?}");
    git(&project, &["init", "-q"]);
    super::fixture::commit(&project, "new, with a shared crate beside it");
    let cargo_lock = text(&project.join("Cargo.lock"));

    let updated = fixture.update(&project, &["--no-verify"]);
    assert_eq!(updated.code, Some(0), "{}", updated.dump());
    let warning = updated
        .stderr
        .lines()
        .find(|line| line.starts_with("warning: Cargo.lock left as it was: "))
        .unwrap_or_else(|| panic!("no warning\n{}", updated.dump()));
    assert!(
        warning.starts_with(
            "warning: Cargo.lock left as it was: `cargo update --workspace` failed: error: "
        ) && warning.ends_with(
            " (a path dependency outside the project: the copy of the project the update \
             relocks in does not reach it)"
        ),
        "{}",
        updated.dump()
    );
    assert!(
        updated.stderr.contains(&format!(
            "once `cargo update --workspace` can run (online, with every path dependency in \
             place), run it in {}\n",
            project.display()
        )),
        "{}",
        updated.dump()
    );
    assert!(project.join("CHANGELOG.md").is_file(), "{}", updated.dump());
    assert_eq!(text(&project.join("Cargo.lock")), cargo_lock);
    assert!(
        text(&project.join("crates/core/Cargo.toml")).contains("shared = { path"),
        "the user's dependency was lost"
    );
}
