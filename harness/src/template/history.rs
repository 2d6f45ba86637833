//! The earlier templates this command carries, so that `update` can render the template a
//! project was made from without a clone or a network: `harness/template-history/` holds one
//! gzipped tar archive of the template folder per version, and an index (`index.toml`) keyed by
//! the template's fingerprint. `build.rs` embeds the folder.
//!
//! An archive holds the template's files, paths relative to the template folder, in path order,
//! with no owner and no time, so that packing the same template twice gives the same bytes. The
//! history never changes the current template's fingerprint: it lives outside `template/`.
//!
//! The history holds one template per version, the one that version was released with.
//! `just bump X.Y.Z` releases a version: it sets it, records it in the template, and adds the
//! template this binary embeds to the history (through `just template-history`; the tests fail
//! until the current version has its template there). Between two releases the template
//! changes under the last version's number: a project made then records a fingerprint the
//! history does not hold, and `update` asks for its base (`--base`, `--base-template`).

use std::io::{Read, Write as _};
use std::path::{Component, Path};

use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;

use crate::base::error::{Error, Result, UpdateError};
use crate::template::{embedded, fingerprint};

mod generated {
    include!(concat!(env!("OUT_DIR"), "/template_history.rs"));
}

/// The index's file name inside the history folder.
pub const INDEX: &str = "index.toml";

/// The index's opening comment, written again whenever an entry is added.
const INDEX_HEADER: &str = "\
# The templates `pyo3-scaffold update` can update a project from, keyed by fingerprint: one
# gzipped tar archive of the template folder each, one per released version. `just bump X.Y.Z`
# adds the current template (through `just template-history`); build.rs embeds this folder.
";

/// A file of a template: its `/`-separated path, its bytes, whether it is executable.
pub type TemplateFile = (String, Vec<u8>, bool);

/// One template of the history.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct Entry {
    /// The harness version the template belonged to (`0.1.0`).
    pub version: String,
    /// Its fingerprint (see [`crate::template::fingerprint`]).
    pub fingerprint: String,
    /// The archive's file name in the history folder.
    pub archive: String,
}

impl Entry {
    /// `0.1.0 (2d8afceee2f7)`, for messages.
    pub fn label(&self) -> String {
        format!("{} ({})", self.version, self.fingerprint)
    }
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Index {
    #[serde(default)]
    template: Vec<Entry>,
}

fn broken(message: String) -> Error {
    UpdateError::History { message }.into()
}

/// Parses the text of an index.
pub fn parse_index(text: &str) -> std::result::Result<Vec<Entry>, String> {
    let index: Index = toml::from_str(text).map_err(|error| error.to_string())?;
    Ok(index.template)
}

/// The index text for `entries`.
pub fn format_index(entries: &[Entry]) -> String {
    let mut text = String::from(INDEX_HEADER);
    for entry in entries {
        text.push_str(&format!(
            "\n[[template]]\nversion = \"{}\"\nfingerprint = \"{}\"\narchive = \"{}\"\n",
            entry.version, entry.fingerprint, entry.archive
        ));
    }
    text
}

/// The archive's file name for a template of `version` and `fingerprint`.
pub fn archive_name(version: &str, fingerprint: &str) -> String {
    format!("{version}-{fingerprint}.tar.gz")
}

fn embedded_file(name: &str) -> Option<&'static [u8]> {
    generated::FILES
        .iter()
        .find(|(file, _)| *file == name)
        .map(|(_, bytes)| *bytes)
}

/// Every template of the embedded history, oldest first.
pub fn entries() -> Result<Vec<Entry>> {
    let text = embedded_file(INDEX).ok_or_else(|| broken(format!("it has no {INDEX}")))?;
    let text = std::str::from_utf8(text).map_err(|error| broken(error.to_string()))?;
    parse_index(text).map_err(|error| broken(format!("{INDEX}: {error}")))
}

/// The template of the history with `fingerprint`, if the history has it.
pub fn find(fingerprint: &str) -> Result<Option<Entry>> {
    Ok(entries()?
        .into_iter()
        .find(|entry| entry.fingerprint == fingerprint))
}

/// The files of a history template, unpacked from its embedded archive.
pub fn files(entry: &Entry) -> Result<Vec<TemplateFile>> {
    let bytes = embedded_file(&entry.archive).ok_or_else(|| {
        broken(format!(
            "{INDEX} lists {}, which is not in the history",
            entry.archive
        ))
    })?;
    unpack(bytes).map_err(|error| broken(format!("{}: {error}", entry.archive)))
}

/// Writes a history template into a new folder `dir`, ready to render from.
pub fn extract(entry: &Entry, dir: &Path) -> Result<()> {
    let files = files(entry)?;
    embedded::write_tree(
        dir,
        files
            .iter()
            .map(|(path, bytes, executable)| (path.as_str(), bytes.as_slice(), *executable)),
    )
}

/// The files of a gzipped tar archive. Only plain files with plain relative paths are
/// accepted: an archive is data, and nothing in it may point outside the folder it goes to.
pub fn unpack(bytes: &[u8]) -> std::result::Result<Vec<TemplateFile>, String> {
    let mut archive = tar::Archive::new(GzDecoder::new(bytes));
    let mut files = Vec::new();
    for entry in archive.entries().map_err(|error| error.to_string())? {
        let mut entry = entry.map_err(|error| error.to_string())?;
        let kind = entry.header().entry_type();
        if kind.is_dir() || kind.is_pax_global_extensions() {
            continue;
        }
        let path = entry
            .path()
            .map_err(|error| error.to_string())?
            .into_owned();
        if !kind.is_file() {
            return Err(format!("{} is not a plain file", path.display()));
        }
        let mut parts = Vec::new();
        for component in path.components() {
            match component {
                Component::Normal(part) => parts.push(
                    part.to_str()
                        .ok_or_else(|| format!("{} is not UTF-8", path.display()))?
                        .to_owned(),
                ),
                Component::CurDir => {}
                _ => return Err(format!("{} leaves the template folder", path.display())),
            }
        }
        let executable = entry.header().mode().map_err(|error| error.to_string())? & 0o111 != 0;
        let mut bytes = Vec::new();
        entry
            .read_to_end(&mut bytes)
            .map_err(|error| error.to_string())?;
        files.push((parts.join("/"), bytes, executable));
    }
    files.sort();
    Ok(files)
}

/// A gzipped tar archive of `files`, the same bytes for the same files.
pub fn pack(files: &[TemplateFile]) -> Result<Vec<u8>> {
    let mut sorted: Vec<&TemplateFile> = files.iter().collect();
    sorted.sort();
    let mut builder = tar::Builder::new(GzEncoder::new(Vec::new(), Compression::best()));
    builder.mode(tar::HeaderMode::Deterministic);
    for (path, bytes, executable) in sorted {
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(if *executable { 0o755 } else { 0o644 });
        header.set_mtime(0);
        header.set_entry_type(tar::EntryType::Regular);
        builder.append_data(&mut header, path, bytes.as_slice())?;
    }
    let mut encoder = builder.into_inner()?;
    encoder.flush()?;
    Ok(encoder.finish()?)
}

/// The fingerprint of a template's files.
pub fn fingerprint_of(files: &[TemplateFile]) -> String {
    fingerprint::of(
        files
            .iter()
            .map(|(path, bytes, _)| (path.as_str(), bytes.as_slice())),
    )
}

/// Adds the template this binary embeds to the history folder `dir` (the repository's
/// `harness/template-history/`) as `version`'s, unless its fingerprint is there already.
/// Returns the entry, and whether it was added. A version that has its template already is
/// refused: that version was released, and the template changed since (bump the version).
pub fn add_current(dir: &Path, version: &str) -> Result<(Entry, bool)> {
    let index_path = dir.join(INDEX);
    let mut entries = parse_index(&fs_err::read_to_string(&index_path)?)
        .map_err(|error| broken(format!("{}: {error}", index_path.display())))?;
    let current = embedded::FINGERPRINT;
    if let Some(entry) = entries.iter().find(|entry| entry.fingerprint == current) {
        return Ok((entry.clone(), false));
    }
    if let Some(entry) = entries.iter().find(|entry| entry.version == version) {
        return Err(Error::Usage {
            command: "template-history",
            message: format!(
                "the history holds {} already, and the template changed since: a new template \
                 is a new version (`just bump X.Y.Z`); to replace the template of a version not \
                 released yet, remove its entry and archive from {} first",
                entry.label(),
                dir.display()
            ),
        });
    }
    let files: Vec<TemplateFile> = embedded::files()
        .iter()
        .map(|(path, bytes, executable)| ((*path).to_owned(), bytes.to_vec(), *executable))
        .collect();
    let entry = Entry {
        version: version.to_owned(),
        fingerprint: current.to_owned(),
        archive: archive_name(version, current),
    };
    fs_err::write(dir.join(&entry.archive), pack(&files)?)?;
    entries.push(entry.clone());
    fs_err::write(&index_path, format_index(&entries))?;
    Ok((entry, true))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::PathBuf;

    use super::*;

    fn folder() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("template-history")
    }

    #[test]
    fn every_archive_holds_the_template_its_fingerprint_names() {
        let entries = entries().unwrap();
        assert!(!entries.is_empty());
        let (mut seen, mut versions) = (BTreeSet::new(), BTreeSet::new());
        for entry in &entries {
            assert!(
                seen.insert(&entry.fingerprint),
                "{} twice",
                entry.fingerprint
            );
            assert!(
                versions.insert(&entry.version),
                "version {} twice: one template per released version",
                entry.version
            );
            assert_eq!(
                entry.archive,
                archive_name(&entry.version, &entry.fingerprint)
            );
            let files = files(entry).unwrap();
            assert!(files.iter().any(|(path, ..)| path == "cargo-generate.toml"));
            assert_eq!(
                fingerprint_of(&files),
                entry.fingerprint,
                "{}",
                entry.archive
            );
        }
        // The first template of the history: the one the first projects were made from.
        assert_eq!(
            entries[0],
            Entry {
                version: "0.1.0".into(),
                fingerprint: "2d8afceee2f7".into(),
                archive: "0.1.0-2d8afceee2f7.tar.gz".into(),
            }
        );
    }

    #[test]
    fn the_index_lists_every_archive_of_the_folder_and_no_other() {
        let on_disk: BTreeSet<String> = fs_err::read_dir(folder())
            .unwrap()
            .map(|entry| entry.unwrap().file_name().into_string().unwrap())
            .filter(|name| name != INDEX)
            .collect();
        let listed: BTreeSet<String> = entries()
            .unwrap()
            .into_iter()
            .map(|entry| entry.archive)
            .collect();
        assert_eq!(on_disk, listed);
        let text = fs_err::read_to_string(folder().join(INDEX)).unwrap();
        assert_eq!(
            text,
            format_index(&entries().unwrap()),
            "{INDEX} is not as written"
        );
    }

    #[test]
    fn packing_is_deterministic_and_unpacks_to_the_same_files() {
        let files: Vec<TemplateFile> = vec![
            ("b/c.txt".into(), b"c\n".to_vec(), false),
            ("a.sh".into(), b"#!/bin/sh\n".to_vec(), true),
        ];
        let packed = pack(&files).unwrap();
        assert_eq!(packed, pack(&files).unwrap());
        let mut sorted = files.clone();
        sorted.sort();
        assert_eq!(unpack(&packed).unwrap(), sorted);
        assert!(unpack(b"not an archive").is_err());
    }

    #[test]
    fn an_archive_cannot_write_outside_its_folder() {
        let mut builder = tar::Builder::new(GzEncoder::new(Vec::new(), Compression::fast()));
        let mut header = tar::Header::new_gnu();
        header.set_size(1);
        header.set_mode(0o644);
        // `append_data` refuses `..` itself: the raw header is what a hostile archive holds.
        header.as_gnu_mut().unwrap().name[..7].copy_from_slice(b"../evil");
        header.set_cksum();
        builder.append(&header, b"x".as_slice()).unwrap();
        let bytes = builder.into_inner().unwrap().finish().unwrap();
        assert_eq!(
            unpack(&bytes).unwrap_err(),
            "../evil leaves the template folder"
        );
    }

    /// The current version must be in the history once it is bumped, so that the next
    /// version of the command can update projects made from it. With
    /// `SCAFFOLD_ADD_TEMPLATE_HISTORY=1` (what `just template-history` sets, as the last step
    /// of `just bump`) the current template is added instead.
    #[test]
    fn the_history_holds_the_current_version() {
        let version = env!("CARGO_PKG_VERSION");
        if std::env::var_os("SCAFFOLD_ADD_TEMPLATE_HISTORY").is_some() {
            let (entry, added) =
                add_current(&folder(), version).unwrap_or_else(|error| panic!("{error}"));
            let verb = if added { "added" } else { "already held" };
            eprintln!("template history: {verb} {}", entry.label());
            return;
        }
        let entries = entries().unwrap();
        assert!(
            entries.iter().any(|entry| entry.version == version),
            "harness/template-history/ has no template of version {version}: a version is \
             bumped with `just bump {version}`, which adds the current template through `just \
             template-history` (held: {})",
            entries
                .iter()
                .map(Entry::label)
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
}
