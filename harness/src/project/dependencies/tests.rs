use super::*;

fn project(pyproject: &str) -> (tempfile::TempDir, Project) {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("[build-system]\nbuild-backend = \"maturin\"\n{pyproject}");
    fs_err::write(dir.path().join("pyproject.toml"), text).unwrap();
    let project = Project::read(dir.path()).unwrap();
    (dir, project)
}

#[test]
fn groups_extras_and_the_projects_own_dependencies() {
    let (_dir, project) = project(
        r#"
        [project]
        name = "My.Pkg"
        dependencies = ["numpy>=2"]
        [project.optional-dependencies]
        Test = ["hypothesis", "my-pkg[speed]"]
        speed = ["pytest-benchmark"]
        docs = ["sphinx"]
        [dependency-groups]
        dev = ["pytest>=8", { include-group = "typing" }, "my_pkg[test]"]
        typing = ["mypy"]
        lint = ["ruff"]
        "#,
    );
    let found = project.test_dependencies(&Choice::default()).unwrap();
    assert_eq!(
        found.origins,
        [
            Origin::Runtime,
            Origin::Group("dev".into()),
            Origin::Extra("test".into())
        ]
    );
    assert_eq!(
        found.declared,
        [
            "numpy>=2",
            "pytest>=8",
            "mypy",
            "hypothesis",
            "pytest-benchmark"
        ]
    );
    assert_eq!(found.groups, ["dev"]);
    assert_eq!(found.extras, ["test"]);
    assert_eq!(found.lock, None);
    assert_eq!(requirement(&found.declared, "pytest"), Some("pytest>=8"));
    assert_eq!(requirement(&found.declared, "maturin"), None);
    assert_eq!(
        found.describe(),
        "the project's dependencies, group `dev`, extra `test`"
    );

    let chosen = Choice {
        groups: vec!["lint".into()],
        extras: vec!["docs".into()],
    };
    let more = project.test_dependencies(&chosen).unwrap();
    assert_eq!(
        more.origins,
        [
            Origin::Runtime,
            Origin::Group("dev".into()),
            Origin::Group("lint".into()),
            Origin::Extra("test".into()),
            Origin::Extra("docs".into())
        ]
    );
    assert!(more.declared.ends_with(&["ruff".into(), "sphinx".into()]));
    // A uv.lock pins them: the description says so.
    fs_err::write(project.root.join(UV_LOCK), "version = 1\n").unwrap();
    let locked = project.test_dependencies(&Choice::default()).unwrap();
    assert_eq!(locked.lock, Some(project.root.join(UV_LOCK)));
    assert_eq!(
        locked.describe(),
        "the project's dependencies, group `dev`, extra `test` (versions pinned by uv.lock)"
    );
}

#[test]
fn a_name_the_project_lacks_is_refused_with_those_it_has() {
    let (_dir, project) =
        project("[project]\nname = \"x\"\n[dependency-groups]\ndev = []\nlint = []\n");
    let choice = |groups: &[&str], extras: &[&str]| Choice {
        groups: groups.iter().map(|g| (*g).to_owned()).collect(),
        extras: extras.iter().map(|e| (*e).to_owned()).collect(),
    };
    assert_eq!(
        project
            .test_dependencies(&choice(&["docs"], &[]))
            .unwrap_err(),
        "the project has no dependency group `docs` in [dependency-groups] (it has: dev, lint)"
    );
    assert_eq!(
        project
            .test_dependencies(&choice(&[], &["test"]))
            .unwrap_err(),
        "the project has no extra `test` in [project.optional-dependencies] (it has: none)"
    );
}

#[test]
fn groups_that_include_each_other_are_refused() {
    let (_dir, project) = project(
        "[project]\nname = \"x\"\n[dependency-groups]\n\
         dev = [{ include-group = \"a\" }]\na = [{ include-group = \"dev\" }]\n",
    );
    assert_eq!(
        project.test_dependencies(&Choice::default()).unwrap_err(),
        "the dependency groups include each other in a cycle: dev -> a -> dev"
    );
}

#[test]
fn requirement_files_with_includes_options_and_the_project_itself() {
    let (dir, project) =
        project("[project]\nname = \"tantivy\"\noptional-dependencies = { test = [\"pytest\"] }\n");
    let root = fs_err::canonicalize(dir.path()).unwrap();
    fs_err::write(
        dir.path().join("requirements-dev.txt"),
        "# tools\n--extra-index-url https://example.invalid/simple\n-r tests/requirements.txt\n\
         -e .[test]\nmaturin\npdoc==16.0.0  # docs\nmktestdocs==0.2.1 \\\n  ; python_version >= '3.10'\n\
         -c constraints.txt\n./vendored/helper\n",
    )
    .unwrap();
    fs_err::create_dir_all(dir.path().join("tests")).unwrap();
    fs_err::write(
        dir.path().join("tests/requirements.txt"),
        "hypothesis\n-r ../requirements-dev.txt\n",
    )
    .unwrap();
    let found = project.test_dependencies(&Choice::default()).unwrap();
    assert_eq!(
        found.origins,
        [
            Origin::Extra("test".into()),
            Origin::File("requirements-dev.txt".into()),
            Origin::File("tests/requirements.txt".into()),
        ]
    );
    assert_eq!(found.declared, ["pytest"]);
    assert_eq!(
        found.lines(),
        [
            "pytest".to_owned(),
            "--extra-index-url https://example.invalid/simple".to_owned(),
            "hypothesis".to_owned(),
            "maturin".to_owned(),
            "pdoc==16.0.0".to_owned(),
            "mktestdocs==0.2.1 ; python_version >= '3.10'".to_owned(),
            format!("-c {}", root.join("constraints.txt").display()),
            root.join("vendored/helper").display().to_string(),
        ]
    );
}

#[test]
fn a_project_that_declares_nothing_gets_pytest_alone() {
    let (_dir, project) = project("[project]\nname = \"x\"\n");
    let found = project.test_dependencies(&Choice::default()).unwrap();
    assert_eq!(found, TestDependencies::default());
    assert_eq!(found.describe(), "none declared (pytest alone)");
}

#[test]
fn requirement_lines_are_told_apart() {
    use RequirementLine::*;
    let parsed = |line: &str| RequirementLine::parse(line);
    assert_eq!(parsed("-rother.txt"), Include("other.txt".into()));
    assert_eq!(parsed("--requirement=a.txt"), Include("a.txt".into()));
    assert_eq!(parsed("-c c.txt"), Constraint("c.txt".into()));
    assert_eq!(
        parsed("-e ."),
        Path {
            editable: true,
            path: ".".into(),
            extras: vec![]
        }
    );
    assert_eq!(
        parsed("file:.[a, b]"),
        Path {
            editable: false,
            path: ".".into(),
            extras: vec!["a".into(), "b".into()]
        }
    );
    assert_eq!(parsed("--pre"), Option("--pre".into()));
    assert_eq!(
        parsed("-e git+https://example.invalid/x.git"),
        Option("-e git+https://example.invalid/x.git".into())
    );
    assert_eq!(
        parsed("requests[socks]>=2"),
        Requirement("requests[socks]>=2".into())
    );
}
