//! The style registry (`harness/src/style.rs`) is the one list of styles: every other place that
//! knows a style (the template's questions, its per-style files and Liquid branches, the probe's
//! scenario tables, the snapshots, `examples/`) must know exactly the registry's.

use std::collections::BTreeSet;
use std::path::Path;

use regex::Regex;
use scaffold_harness::snapshot;
use scaffold_harness::template::style::{self, Style};

use crate::support::repo_root;

fn registry() -> BTreeSet<String> {
    Style::ALL.iter().map(ToString::to_string).collect()
}

/// The names in `dir` that `pattern`'s first group captures, for the entries it matches.
fn names_in(dir: &Path, pattern: &str) -> BTreeSet<String> {
    let pattern = Regex::new(pattern).unwrap();
    fs_err::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|name| Some(pattern.captures(&name)?[1].to_owned()))
        .collect()
}

fn template_config() -> toml::Table {
    let text = fs_err::read_to_string(repo_root().join("template/cargo-generate.toml")).unwrap();
    text.parse().unwrap()
}

#[test]
fn the_template_offers_the_registry_styles() {
    let config = template_config();
    let question = &config["placeholders"]["style"];
    let choices: BTreeSet<String> = question["choices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|choice| choice.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        choices,
        registry(),
        "template/cargo-generate.toml's style choices"
    );
    let default = question["default"].as_str().unwrap();
    assert!(Style::parse(default).is_some(), "default style {default}");
}

#[test]
fn each_style_lists_its_own_files_once_and_they_mark_it() {
    let config = template_config();
    let conditionals = config["conditional"].as_table().unwrap();
    let key = Regex::new(r#"^style != "([^"]+)"$"#).unwrap();
    let mut sections = BTreeSet::new();
    for (condition, section) in conditionals {
        if !condition.contains("style") {
            continue;
        }
        let style = key.captures(condition).unwrap_or_else(|| {
            panic!("[conditional.'{condition}']: write a style's section as style != \"NAME\"")
        })[1]
            .to_owned();
        let own: BTreeSet<&str> = section["ignore"]
            .as_array()
            .unwrap()
            .iter()
            .map(|path| path.as_str().unwrap())
            .collect();
        // How `check` tells the style must be among the style's own files.
        let style = Style::parse(&style)
            .unwrap_or_else(|| panic!("[conditional.'{condition}'] names no registry style"));
        for marker in style.markers("{{crate_name}}") {
            assert!(
                own.contains(marker.as_str()),
                "{style}'s marker {marker} is not one of its own files in cargo-generate.toml"
            );
        }
        for path in &own {
            assert!(
                repo_root().join("template").join(path).exists(),
                "{style}'s own file {path} is not in template/"
            );
        }
        sections.insert(style.to_string());
    }
    assert_eq!(
        sections,
        registry(),
        "styles with a section of their own files"
    );
}

#[test]
fn per_style_copies_exist_for_every_style() {
    // `errors.greet.rs`: hooks/style_files.rhai renames the chosen style's copy; each style
    // needs one.
    let style_names = registry();
    let copy = Regex::new(r"^(.+)\.([a-z][a-z0-9-]*)\.([a-z]+)$").unwrap();
    let mut copies: std::collections::BTreeMap<String, BTreeSet<String>> = Default::default();
    for entry in walkdir::WalkDir::new(repo_root().join("template")) {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(captures) = copy.captures(&name)
            && style_names.contains(&captures[2])
        {
            let base = entry
                .path()
                .with_file_name(format!("{}.*.{}", &captures[1], &captures[3]));
            copies
                .entry(base.display().to_string())
                .or_default()
                .insert(captures[2].to_owned());
        }
    }
    assert!(!copies.is_empty(), "no per-style copies found");
    for (base, styles) in copies {
        assert_eq!(styles, style_names, "copies of {base}");
    }
}

#[test]
fn liquid_branches_name_registry_styles_and_never_fall_to_else() {
    let tag = Regex::new(r"\{%-?\s*(if|unless|elsif|else|endif|endunless)\b([^%]*?)-?%\}").unwrap();
    let named = Regex::new(r#"style\s*[!=]=\s*"([^"]+)""#).unwrap();
    let mut problems = Vec::new();
    for entry in walkdir::WalkDir::new(repo_root().join("template")) {
        let entry = entry.unwrap();
        let Ok(text) = fs_err::read_to_string(entry.path()) else {
            continue;
        };
        let path = entry.path().display().to_string();
        let mut open: Vec<String> = Vec::new();
        for tag in tag.captures_iter(&text) {
            let condition = tag[2].trim().to_owned();
            match &tag[1] {
                "if" | "unless" => open.push(condition.clone()),
                "endif" | "endunless" => {
                    open.pop();
                }
                "else" if open.last().is_some_and(|c| c.contains("style")) => {
                    problems.push(format!(
                        "{path}: a bare else after `{}`: name the style with elsif",
                        open.last().unwrap()
                    ));
                }
                _ => {}
            }
            for style in named.captures_iter(&condition) {
                if Style::parse(&style[1]).is_none() {
                    problems.push(format!("{path}: `{condition}` names no registry style"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn each_style_has_a_scenario_table_and_only_registry_styles_do() {
    let probe = repo_root().join("harness/probe");
    let tables = names_in(&probe, r"^(.+)_scenarios\.py$");
    let expected: BTreeSet<String> = Style::ALL
        .iter()
        .map(|style| {
            style
                .scenario_file()
                .trim_end_matches("_scenarios.py")
                .to_owned()
        })
        .collect();
    assert_eq!(tables, expected, "scenario tables in harness/probe/");
    for style in Style::ALL {
        let file = fs_err::read_to_string(probe.join(style.scenario_file())).unwrap();
        assert_eq!(
            file,
            style.scenario_table(),
            "{style}'s registry entry embeds another file than {}",
            style.scenario_file()
        );
    }
}

#[test]
fn each_case_has_a_snapshot_and_each_snapshot_a_case() {
    let committed = names_in(&repo_root().join("harness/snapshots"), r"^(.+)\.snap$");
    let cases: BTreeSet<String> = style::matrix(&[]).iter().map(snapshot::name).collect();
    assert_eq!(committed, cases, "snapshots in harness/snapshots/");
}

#[test]
fn each_style_has_an_example() {
    let examples = names_in(&repo_root().join("examples"), r"^([^.].*)$");
    assert_eq!(examples, registry(), "folders in examples/");
}
