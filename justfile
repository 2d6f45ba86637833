# pyo3-scaffold's tasks. Every recipe is one line; the logic lives in the harness (harness/).

harness := "cargo run --quiet -p scaffold-harness --"

# List the recipes.
_default:
    @just --list

# Render a style into DEST, e.g. `just render text-processor /tmp/my-ext -d abi3=false`.
render style dest *defines:
    {{harness}} render {{style}} {{dest}} {{defines}}

# Re-render examples/ from the template, one folder per style (run after every template change; a test compares them).
examples:
    for style in $({{harness}} styles); do {{harness}} render "$style" "examples/$style" --force || exit 1; done

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

# Follow the book's walked command blocks in a fresh folder, page by page (several minutes).
book-walk:
    cargo test -p scaffold-harness --test it book_walk -- --ignored --nocapture

# Build the book into docs/book.
docs:
    mdbook build docs

# The harness against the usual way of building, side by side; prints JSON.
bench *args:
    {{harness}} bench {{args}}

# Exactly what CI runs.
ci:
    bash .ci/run
