# pyo3-scaffold's tasks. Every recipe is one line; the logic lives in the harness (harness/).

harness := "cargo run --quiet -p scaffold-harness --"

# List the recipes.
_default:
    @just --list

# Render a style into DEST, e.g. `just render text-processor /tmp/my-ext -d abi3=false`.
render style dest *defines:
    {{harness}} render {{style}} {{dest}} {{defines}}

# After every template change: record the template's new fingerprint in it, then re-render
# examples/ (tests compare both).
examples:
    SCAFFOLD_UPDATE_PROVENANCE=1 cargo test --quiet -p scaffold-harness --lib provenance && {{harness}} render greet examples/greet --force && {{harness}} render text-processor examples/text-processor --force

# Build, test and probe an existing project against its style's reference behaviour.
check dir *args:
    {{harness}} check {{dir}} {{args}}

# The main job: every style and option variant rendered, built, tested and probed.
matrix *args:
    {{harness}} matrix {{args}}

# The repository's tests: unit tests, the matrix against the committed snapshots, examples in sync.
test:
    cargo test --workspace

# Review new or changed snapshots after a behaviour change (needs cargo-insta).
review:
    cargo insta test --workspace --review --unreferenced=reject

# Build the book into docs/book.
docs:
    mdbook build docs

# The harness against the usual way of building, side by side; prints JSON.
bench *args:
    {{harness}} bench {{args}}

# Exactly what CI runs.
ci:
    bash .ci/run
