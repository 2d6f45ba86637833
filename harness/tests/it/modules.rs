//! The harness's modules depend on each other in one direction only: no import cycles.
//!
//! The graph is read from the sources with `syn`: every path that names a module of the crate
//! (`use crate::base::cmd::Cmd`, `crate::base::error::Fault::Usage`, `super::tail::Tail`, inside macro calls
//! too) is an edge from the file's module to that module. Two graphs are checked: the top-level
//! modules of `src/` (a folder such as `cmd/` counts as one), and the files inside each folder
//! (siblings; a child's use of its parent's `mod.rs` is how a folder module works, not a
//! cycle). Unit tests (`#[cfg(test)]` items) may reach any module and are left out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use proc_macro2::{TokenStream, TokenTree};
use syn::visit::Visit;

/// A module of the crate as its path below `crate`: `["cmd", "command"]` for `src/cmd/command.rs`,
/// `["cmd"]` for `src/cmd/mod.rs`, `[]` for `src/lib.rs`.
type ModulePath = Vec<String>;

/// Edges between modules, each with one file that makes it (for the message).
type Graph = BTreeMap<String, BTreeMap<String, String>>;

fn module_path(relative: &Path) -> ModulePath {
    let mut path: ModulePath = relative
        .with_extension("")
        .iter()
        .map(|part| part.to_string_lossy().into_owned())
        .collect();
    if path
        .last()
        .is_some_and(|last| last == "mod" || last == "lib")
    {
        path.pop();
    }
    path
}

/// Whether the attributes switch the item off outside unit tests: `#[cfg(test)]`, `#[test]`.
fn test_only(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| {
        attr.path().is_ident("test")
            || (attr.path().is_ident("cfg")
                && attr
                    .meta
                    .require_list()
                    .is_ok_and(|list| list.tokens.to_string() == "test"))
    })
}

fn item_attrs(item: &syn::Item) -> &[syn::Attribute] {
    use syn::Item;
    match item {
        Item::Const(item) => &item.attrs,
        Item::Enum(item) => &item.attrs,
        Item::ExternCrate(item) => &item.attrs,
        Item::Fn(item) => &item.attrs,
        Item::ForeignMod(item) => &item.attrs,
        Item::Impl(item) => &item.attrs,
        Item::Macro(item) => &item.attrs,
        Item::Mod(item) => &item.attrs,
        Item::Static(item) => &item.attrs,
        Item::Struct(item) => &item.attrs,
        Item::Trait(item) => &item.attrs,
        Item::TraitAlias(item) => &item.attrs,
        Item::Type(item) => &item.attrs,
        Item::Union(item) => &item.attrs,
        Item::Use(item) => &item.attrs,
        _ => &[],
    }
}

/// Collects the paths one file names, each as its segments (`crate`, `super`, `self` kept).
#[derive(Default)]
struct Paths {
    found: Vec<Vec<String>>,
}

impl Paths {
    /// `crate :: a :: b` and `super :: a` inside a macro call's tokens.
    fn scan_tokens(&mut self, tokens: TokenStream) {
        let tokens: Vec<TokenTree> = tokens.into_iter().collect();
        let mut index = 0;
        while index < tokens.len() {
            match &tokens[index] {
                TokenTree::Group(group) => self.scan_tokens(group.stream()),
                TokenTree::Ident(ident) if ident == "crate" || ident == "super" => {
                    let mut segments = vec![ident.to_string()];
                    let mut next = index + 1;
                    while let [TokenTree::Punct(first), TokenTree::Punct(second), rest @ ..] =
                        &tokens[next.min(tokens.len())..]
                    {
                        let (':', ':') = (first.as_char(), second.as_char()) else {
                            break;
                        };
                        match rest.first() {
                            Some(TokenTree::Ident(segment)) => segments.push(segment.to_string()),
                            _ => break,
                        }
                        next += 3;
                    }
                    self.found.push(segments);
                    index = next - 1;
                }
                _ => {}
            }
            index += 1;
        }
    }
}

impl<'ast> Visit<'ast> for Paths {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        if !test_only(item_attrs(item)) {
            syn::visit::visit_item(self, item);
        }
    }

    fn visit_impl_item_fn(&mut self, function: &'ast syn::ImplItemFn) {
        if !test_only(&function.attrs) {
            syn::visit::visit_impl_item_fn(self, function);
        }
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        self.found.push(
            path.segments
                .iter()
                .map(|segment| segment.ident.to_string())
                .collect(),
        );
        syn::visit::visit_path(self, path);
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        fn walk(tree: &syn::UseTree, prefix: &mut Vec<String>, found: &mut Vec<Vec<String>>) {
            match tree {
                syn::UseTree::Path(path) => {
                    prefix.push(path.ident.to_string());
                    walk(&path.tree, prefix, found);
                    prefix.pop();
                }
                syn::UseTree::Name(name) => {
                    found.push([prefix.clone(), vec![name.ident.to_string()]].concat());
                }
                syn::UseTree::Rename(rename) => {
                    found.push([prefix.clone(), vec![rename.ident.to_string()]].concat());
                }
                syn::UseTree::Glob(_) => found.push(prefix.clone()),
                syn::UseTree::Group(group) => {
                    for tree in &group.items {
                        walk(tree, prefix, found);
                    }
                }
            }
        }
        walk(&item.tree, &mut Vec::new(), &mut self.found);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        self.scan_tokens(mac.tokens.clone());
        syn::visit::visit_macro(self, mac);
    }
}

/// The crate module a path names, resolved from the module `from`: the longest prefix that is
/// a known module. `None` for paths outside the crate (`std::…`, a local item).
fn resolve(
    from: &ModulePath,
    segments: &[String],
    modules: &BTreeSet<ModulePath>,
) -> Option<ModulePath> {
    let (mut base, rest) = match segments.first().map(String::as_str) {
        Some("crate") => (Vec::new(), &segments[1..]),
        Some("super") => {
            let mut base = from.clone();
            let mut rest = segments;
            while rest.first().is_some_and(|segment| segment == "super") {
                base.pop()?;
                rest = &rest[1..];
            }
            (base, rest)
        }
        Some("self") => (from.clone(), &segments[1..]),
        _ => return None,
    };
    // `super::Item` names the parent module itself.
    let mut found = modules.contains(&base).then(|| base.clone());
    for segment in rest {
        base.push(segment.clone());
        if modules.contains(&base) {
            found = Some(base.clone());
        } else {
            break;
        }
    }
    found
}

/// Reads every `.rs` file under `src` into the graph: for each pair of sibling modules (the
/// top-level folders and files of `src/`, or the children of one folder), the edges between them.
fn graph(src: &Path) -> Graph {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(src) {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_some_and(|ext| ext == "rs") {
            let relative = path.strip_prefix(src).unwrap().to_path_buf();
            files.insert(module_path(&relative), relative);
        }
    }
    let modules: BTreeSet<ModulePath> = files.keys().cloned().collect();
    let mut graph = Graph::new();
    for (module, relative) in &files {
        // lib.rs declares every module and main.rs is another crate: neither is a node.
        if module.is_empty() || module == &["main"] {
            continue;
        }
        let text = fs_err::read_to_string(src.join(relative)).unwrap();
        let syntax = syn::parse_file(&text)
            .unwrap_or_else(|error| panic!("{} does not parse: {error}", relative.display()));
        let mut paths = Paths::default();
        paths.visit_file(&syntax);
        let file = format!("src/{}", relative.display());
        for segments in &paths.found {
            let Some(target) = resolve(module, segments, &modules) else {
                continue;
            };
            // Where the two paths part: a child of one folder on each side.
            let Some(part) = module.iter().zip(&target).position(|(a, b)| a != b) else {
                continue; // one contains the other: a folder and its own children
            };
            graph
                .entry(module[..=part].join("::"))
                .or_default()
                .entry(target[..=part].join("::"))
                .or_insert_with(|| file.clone());
        }
    }
    graph
}

/// The layers `harness/README.md` lists, in its order (top first): the first column of its
/// table of layers, each cell a module name in backticks.
fn readme_layers(readme: &str) -> Vec<String> {
    let table = readme
        .split("\n## ")
        .find(|section| section.starts_with("Layers"))
        .expect("harness/README.md has a `## Layers` section");
    table
        .lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .filter_map(|rest| rest.split_once('`'))
        .map(|(name, _)| name.trim_end_matches('/').to_owned())
        .collect()
}

/// The cycles of `graph`, one per strongly connected component: its modules, then its
/// shortest cycle through the first of them, each edge with a file that makes it.
fn cycles(graph: &Graph) -> Vec<String> {
    let nodes: BTreeSet<&String> = graph
        .iter()
        .flat_map(|(from, to)| std::iter::once(from).chain(to.keys()))
        .collect();
    let reaches = |from: &String| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.clone()];
        while let Some(node) = stack.pop() {
            for next in graph.get(&node).into_iter().flat_map(BTreeMap::keys) {
                if seen.insert(next.clone()) {
                    stack.push(next.clone());
                }
            }
        }
        seen
    };
    let mut reported = BTreeSet::new();
    let mut found = Vec::new();
    for &node in &nodes {
        if reported.contains(node) || !reaches(node).contains(node) {
            continue;
        }
        // The shortest way back to `node`, found breadth first.
        let mut previous: BTreeMap<String, String> = BTreeMap::new();
        let mut queue = std::collections::VecDeque::from([node.clone()]);
        'search: while let Some(current) = queue.pop_front() {
            for next in graph.get(&current).into_iter().flat_map(BTreeMap::keys) {
                if !previous.contains_key(next) {
                    previous.insert(next.clone(), current.clone());
                    if next == node {
                        break 'search;
                    }
                    queue.push_back(next.clone());
                }
            }
        }
        let mut path = vec![node.clone()];
        let mut current = node.clone();
        loop {
            current = previous[&current].clone();
            if current == *node {
                break;
            }
            path.push(current.clone());
        }
        path.reverse();
        path.insert(0, node.clone());
        let steps: Vec<String> = path
            .windows(2)
            .map(|pair| format!("{} → {} ({})", pair[0], pair[1], graph[&pair[0]][&pair[1]]))
            .collect();
        // The other modules of the component take part in this cycle or in others through it.
        let component: BTreeSet<String> = reaches(node)
            .into_iter()
            .filter(|other| reaches(other).contains(node))
            .collect();
        let names: Vec<&str> = component.iter().map(String::as_str).collect();
        found.push(format!("{{{}}}: {}", names.join(", "), steps.join(", ")));
        reported.extend(component);
    }
    found
}

fn harness() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_modules_of_the_harness_form_no_cycle() {
    let graph = graph(&harness().join("src"));
    // The graph was read at all: edges every version of the harness has, at each depth.
    for (from, to) in [
        ("pipeline", "base"),
        ("cli", "commands"),
        ("base::cmd", "base::error"),
        ("base::cmd::command", "base::cmd::env"),
    ] {
        assert!(
            graph.get(from).is_some_and(|edges| edges.contains_key(to)),
            "no edge {from} → {to} found: the reader of the module graph is broken\n{graph:#?}"
        );
    }
    let found = cycles(&graph);
    assert!(
        found.is_empty(),
        "import cycles between the harness's modules (each edge names a file that makes it):\n  {}",
        found.join("\n  ")
    );
}

#[test]
fn every_layer_depends_only_on_the_layers_below_it() {
    let readme = fs_err::read_to_string(harness().join("README.md")).unwrap();
    let layers = readme_layers(&readme);
    let graph = graph(&harness().join("src"));
    let top_level: BTreeSet<&String> = graph
        .iter()
        .flat_map(|(from, to)| std::iter::once(from).chain(to.keys()))
        .filter(|module| !module.contains("::"))
        .collect();
    let unlisted: Vec<&&String> = top_level
        .iter()
        .filter(|module| !layers.contains(module))
        .collect();
    assert!(
        unlisted.is_empty(),
        "harness/README.md's table of layers has no row for {unlisted:?}"
    );
    let rank = |module: &str| layers.iter().position(|layer| layer == module);
    let mut upward = Vec::new();
    for (from, edges) in &graph {
        for (to, file) in edges {
            if let (Some(from_rank), Some(to_rank)) = (rank(from), rank(to))
                && to_rank <= from_rank
            {
                upward.push(format!("{from} → {to} ({file})"));
            }
        }
    }
    assert!(
        upward.is_empty(),
        "arrows that run up, or sideways, against harness/README.md's order of layers (top \
         first):\n  {}",
        upward.join("\n  ")
    );
}

#[test]
fn a_cycle_is_found_and_named() {
    let edge = |from: &str, to: &str| (from.to_owned(), to.to_owned());
    let mut graph = Graph::new();
    for (from, to) in [
        edge("a", "b"),
        edge("b", "c"),
        edge("c", "a"),
        edge("c", "d"),
    ] {
        graph
            .entry(from.clone())
            .or_default()
            .insert(to, format!("src/{from}.rs"));
    }
    assert_eq!(
        cycles(&graph),
        ["{a, b, c}: a → b (src/a.rs), b → c (src/b.rs), c → a (src/c.rs)"]
    );
    graph.get_mut("c").unwrap().remove("a");
    assert_eq!(cycles(&graph), Vec::<String>::new());
}

#[test]
fn paths_resolve_to_the_modules_they_name() {
    let modules: BTreeSet<ModulePath> = [
        vec!["base"],
        vec!["base", "cmd"],
        vec!["base", "cmd", "command"],
        vec!["base", "cmd", "tail"],
        vec!["base", "error"],
    ]
    .into_iter()
    .map(|path| path.into_iter().map(String::from).collect())
    .collect();
    let path = |text: &str| -> Vec<String> { text.split("::").map(String::from).collect() };
    let command = path("base::cmd::command");
    let resolved = |text: &str| resolve(&command, &path(text), &modules);
    assert_eq!(
        resolved("crate::base::error::Fault"),
        Some(path("base::error"))
    );
    assert_eq!(resolved("super::tail::Tail"), Some(path("base::cmd::tail")));
    assert_eq!(resolved("super::Cmd"), Some(path("base::cmd")));
    assert_eq!(resolved("super::super::error"), Some(path("base::error")));
    assert_eq!(resolved("std::fmt"), None);
    assert_eq!(resolved("crate::nowhere::Thing"), None);

    let source = "use crate::{base::error::Error, base::cmd::tail};\n\
                  fn f() { format!(\"{}\", crate::base::cmd::command::X); }\n\
                  #[cfg(test)] mod tests { use crate::nowhere::Y; }";
    let mut paths = Paths::default();
    paths.visit_file(&syn::parse_file(source).unwrap());
    let named: BTreeSet<String> = paths.found.iter().map(|found| found.join("::")).collect();
    assert!(named.contains("crate::base::error::Error"), "{named:?}");
    assert!(named.contains("crate::base::cmd::tail"), "{named:?}");
    assert!(named.contains("crate::base::cmd::command::X"), "{named:?}");
    assert!(
        !named.iter().any(|name| name.contains("nowhere")),
        "{named:?}"
    );
}

#[test]
fn the_layers_are_read_from_the_readme_in_order() {
    let readme = "# x\n\n## Layers\n\n| layer | what |\n| --- | --- |\n| `cli` | parsing |\n\
                  | `commands/` | commands |\n| `base/` | ground |\n\n## Next\n\n| `not` | a layer |\n";
    assert_eq!(readme_layers(readme), ["cli", "commands", "base"]);
}
