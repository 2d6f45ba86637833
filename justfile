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
    cargo test -p scaffold-harness --test it book_walk -- --ignored --nocapture

# Build the book into docs/book.
docs:
    mdbook build docs

# The harness against the usual way of building, side by side; prints JSON.
bench *args:
    {{harness}} bench {{args}}

# Build the wheel of the `pyo3-scaffold` command into target/wheels/ (then `uv tool install target/wheels/<file>.whl`).
wheel:
    uvx --from 'maturin>=1.9.4,<2' maturin build --release --locked --manifest-path harness/Cargo.toml

# The slow install tests: cargo install --path / --git and the wheel from a deleted clone, and `new` against cargo-generate 0.23.5.
install-test:
    cargo install cargo-generate@0.23.5 --locked --root target/tools && PATH="$PWD/target/tools/bin:$PATH" cargo test -p scaffold-harness --test it install:: -- --ignored --nocapture --test-threads 1

# Exactly what CI runs.
ci:
    bash .ci/run
