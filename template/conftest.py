"""pytest settings for the workshop version of this project (it is not in the complete one).

It sits at the project's root, not in `tests/`: the files in `tests/` are the same in both
versions, the contract every exercise is checked against. So the workshop's own additions live
here: each exercise's mark, and quiet panic reports.

Each test that runs workshop code gets the mark of the last exercise it needs, in the workshop's
order: `pytest -m exerciseN` runs the tests that pass once exercise N, and those before it, are
done. A test without a mark needs no exercise.
"""

from __future__ import annotations

import os

import pytest

# Each exercise: its title, and the tests (`file::test`) it is the last one to need.
EXERCISES: dict[int, tuple[str, list[str]]] = {
{%- if style == "greet" %}
    1: (
        "a first function across the boundary (PyMessage::greet)",
        [
            "test_message.py::test_greet_keeps_the_space_before_the_bang",
            "test_message.py::test_greet_with_an_empty_name",
        ],
    ),
    2: (
        "a class with a constructor and a getter (PyMessage::new, text)",
        [
            "test_message.py::test_message_holds_its_text",
            "test_message.py::test_fail_if_empty_returns_a_non_empty_text_unchanged",
        ],
    ),
    3: (
        "a Rust error becomes a Python exception (From<Error> for PyErr)",
        ["test_message.py::test_fail_if_empty_raises_the_rust_defined_value_error"],
    ),
    4: (
        "a panic that does not kill the interpreter (panic_with)",
        ["test_message.py::test_a_rust_panic_is_a_base_exception_and_the_interpreter_survives"],
    ),
    5: (
        "releasing the interpreter (PyMessage::greet_many)",
        [
            "test_message.py::test_greet_many_greets_in_order",
            "test_message.py::test_greet_many_from_several_threads_at_once",
        ],
    ),
{%- elsif style == "text-processor" %}
    6: (
        "a pure-Rust core function (trim_lines_into)",
        ["test_processor.py::test_no_plugins_leaves_the_trimmed_text"],
    ),
    7: (
        "loading plugins from Rust (Plugin::load)",
        [
            "test_plugins.py::test_a_plugin_without_process_raises_plugin_error_naming_the_file",
            "test_plugins.py::test_a_process_that_is_not_callable_raises_plugin_error",
            "test_plugins.py::test_a_plugin_with_a_syntax_error_raises_syntax_error_naming_the_file",
            "test_plugins.py::test_an_exception_while_loading_keeps_its_type_and_names_the_plugin",
            "test_processor.py::test_plugins_run_in_file_name_order",
            "test_processor.py::test_text_is_kept_as_given",
            "test_processor.py::test_repr_shows_text_and_plugins",
        ],
    ),
    8: (
        "running plugins (Plugin::run)",
        [
            "test_plugins.py::test_an_exception_from_a_plugin_keeps_its_type_and_names_the_plugin",
            "test_plugins.py::test_a_plugin_returning_a_non_str_raises_type_error_naming_it",
            "test_plugins.py::test_the_processor_works_again_after_a_failing_call",
            "test_plugins.py::test_a_plugin_named_like_a_stdlib_module_shadows_nothing",
            "test_plugins.py::test_a_plugin_may_define_dataclasses_and_leaves_no_module_behind",
            "test_plugins.py::test_only_py_files_not_starting_with_an_underscore_are_plugins",
            "test_processor.py::test_bundled_plugins_reverse_then_capitalize_each_line",
            "test_processor.py::test_plugin_dir_may_be_a_str_or_a_path",
            "test_processor.py::test_empty_text",
            "test_processor.py::test_processors_in_several_threads_do_not_mix_their_texts",
            "test_processor_threads.py::"
            "test_one_processor_shared_by_threads_gives_each_call_the_same_result",
            "test_processor_threads.py::test_processors_made_at_once_each_load_their_plugins",
            "test_processor_threads.py::"
            "test_a_plugin_waiting_for_a_processor_made_on_another_thread_loads",
        ],
    ),
{%- elsif style == "numeric" %}
    10: (
        "borrowing a NumPy array read-only (borrow)",
        [
            "test_arrays.py::test_a_contiguous_array_is_read_in_place",
            "test_kernels.py::test_rolling_mean_refuses_a_window_longer_than_the_values",
            "test_kernels.py::test_rolling_mean_writes_into_out_and_returns_it",
            "test_kernels.py::test_out_of_the_wrong_length_is_refused",
            "test_kernels.py::test_out_that_overlaps_the_values_is_refused",
            "test_kernels.py::test_read_only_out_is_refused",
            "test_kernels.py::test_out_with_a_step_is_refused",
            "test_kernels.py::test_out_that_is_not_an_array_is_refused",
            "test_kernels.py::test_a_matrix_without_rows_is_refused",
            "test_kernel_threads.py::test_threads_writing_into_outputs_of_their_own_do_not_mix",
        ],
    ),
    11: (
        "returning a new array without a copy (to_numpy)",
        [
            "test_kernels.py::test_rolling_mean_returns_a_new_array_holding_rusts_buffer",
            "test_kernels.py::test_a_nan_spoils_only_the_windows_that_hold_it",
            "test_kernels.py::test_rolling_mean_agrees_with_summing_each_window",
            "test_kernels.py::test_column_stats_agree_with_numpy",
            "test_kernels.py::test_a_fortran_ordered_matrix_is_read_by_rows_all_the_same",
            "test_kernels.py::test_a_nan_spoils_only_its_column",
        ],
    ),
    12: (
        "releasing the interpreter (summarize_detached)",
        [
            "test_arrays.py::test_an_array_with_a_step_is_copied_once_and_read_all_the_same",
            "test_arrays.py::test_an_array_array_of_doubles_is_read_in_place",
            "test_arrays.py::test_a_memoryview_is_read_in_place",
            "test_arrays.py::test_bytes_are_read_in_place_as_packed_float64_values",
            "test_arrays.py::test_reading_leaves_the_values_as_they_were",
            "test_kernels.py::test_summarize_a_small_example",
            "test_kernels.py::test_summarize_agrees_with_numpy",
            "test_kernels.py::test_summarize_gives_the_same_bits_on_any_number_of_threads",
            "test_kernels.py::test_a_nan_makes_every_statistic_nan",
            "test_kernels.py::test_summarize_refuses_no_values",
            "test_kernels.py::test_a_summary_is_frozen",
            "test_kernel_threads.py::test_threads_sharing_one_array_each_get_the_whole_answer",
            "test_kernel_threads.py::test_summarize_lets_other_python_threads_run_meanwhile",
        ],
    ),
    13: (
        "the right exception for a bad dtype (dtype_error)",
        [
            "test_arrays.py::test_another_dtype_is_a_type_error_naming_it",
            "test_kernels.py::test_out_of_another_dtype_is_refused",
        ],
    ),
{%- endif %}
}


def pytest_configure(config: pytest.Config) -> None:
    for number, (title, _) in EXERCISES.items():
        config.addinivalue_line("markers", f"exercise{number}: {title}")
    # Every unfinished exercise is a `todo!()`, which panics, and pytest shows Rust's report of
    # each panic under the failing test. With RUST_BACKTRACE=1 set in the shell, every report
    # grows a backtrace of dozens of lines that buries the one line that matters: `not yet
    # implemented: exercise N: ...`. Rust reads the variable once, at the first panic in the
    # process, which comes after this hook: setting it here keeps every report to its message.
    # To see backtraces anyway, run `uv run pytest --noconftest`.
    os.environ["RUST_BACKTRACE"] = "0"


# First, so that `-m exerciseN` (pytest's own hook, after this one) sees the marks. A test
# renamed in tests/ without its entry here loses its mark; the template's own tests catch that
# (each exercise's mark must select exactly the tests the exercise makes pass).
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    exercise_of = {test: number for number, (_, tests) in EXERCISES.items() for test in tests}
    for item in items:
        number = exercise_of.get(f"{item.path.name}::{getattr(item, 'originalname', item.name)}")
        if number is not None:
            item.add_marker(f"exercise{number}")
