//! The command line: parses the arguments (clap derive) and dispatches to the command's module
//! in [`crate::commands`]; [`crate::exit`] turns the outcome into the exit code.

use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::base::cmd;
use crate::base::error::{Error, Result};
use crate::base::interrupt;
use crate::commands::GlobalArgs;
use crate::commands::check::{self, CheckArgs};
use crate::commands::dev::{self, DevArgs};
use crate::commands::exercises::{self, ExercisesArgs};
use crate::commands::matrix::{self, MatrixArgs};
use crate::commands::new::{self, NewArgs};
use crate::commands::render::{self, RenderArgs};
use crate::commands::reset::{self, ResetArgs};
use crate::commands::solution::{self, SolutionArgs};
use crate::commands::styles::{self, StylesArgs};
use crate::commands::summary::{self, SummaryArgs};
use crate::commands::update::{self, UpdateArgs};
use crate::commands::watch::{self, WatchArgs};
use crate::exit;
use crate::template::answers::Questions;
use crate::template::embedded;

#[derive(Debug, Parser)]
#[command(
    name = "pyo3-scaffold",
    version = embedded::VERSION,
    about = "Render the pyo3-scaffold template, build each project with uv + maturin, run its \
             tests and compare what Python sees with the committed snapshots.",
    after_help = exit::HELP
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    #[command(flatten)]
    pub global: GlobalArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start a project: render the template into a new folder, e.g. `new my-ext --style
    /// text-processor`; the folder's name is the project name
    #[command(after_help = exit::HELP)]
    New(NewArgs),
    /// Every style × option variant of the template through the whole pipeline, compared with
    /// the committed snapshots
    #[command(after_help = exit::HELP)]
    Matrix(MatrixArgs),
    /// Build, test and probe an existing project (only read: it is copied first); compare it
    /// with its style's reference behaviour, or record it, or compare it with a record
    #[command(after_help = exit::HELP)]
    Check(CheckArgs),
    /// Carry a project to the template this command carries, merged three ways and verified
    ///
    /// Both templates are rendered with the project's answers and the difference is merged into
    /// it three ways; the result is built, tested and compared with its behaviour before. Exit 1
    /// on conflicts (diff3 markers); run `update` again once they are resolved.
    #[command(after_help = exit::HELP)]
    Update(UpdateArgs),
    /// Render the template into DEST; DEST's folder name is the project name
    #[command(after_help = exit::HELP)]
    Render(RenderArgs),
    /// List the template's styles, one name a line
    Styles(StylesArgs),
    /// List the workshop exercises left in a project: `N  file:line  title` for every
    /// `todo!("exercise N: ...")`, in exercise order
    #[command(after_help = exit::HELP)]
    Exercises(ExercisesArgs),
    /// Check a project again on every save of a Rust, Python or manifest file, with the next
    /// exercise and its hints at the top; keys: h hint, n next, l list, r re-run, q quit
    #[command(after_help = exit::HELP)]
    Watch(WatchArgs),
    /// Put one exercise's bodies back to their todo!(), leaving the rest of the code as it is
    #[command(after_help = exit::HELP)]
    Reset(ResetArgs),
    /// Show an exercise's reference solution as a diff against the project's code, once the
    /// exercise has passed
    #[command(after_help = exit::HELP)]
    Solution(SolutionArgs),
    /// Summarise results files (`check --results`) as a table of learners by exercises
    #[command(after_help = exit::HELP)]
    Summary(SummaryArgs),
    /// For exercise authors: `dev check` proves every exercise against its reference solution
    #[command(hide = true)]
    Dev(DevArgs),
}

/// The command line as clap sees it: the derived one, with `new --help` and `render --help`
/// listing the template's answers, read from its `cargo-generate.toml` (so a question the
/// template gains is listed without a line here).
pub fn command() -> clap::Command {
    let answers = Questions::embedded().map_or_else(
        |error| format!("(the template's answers cannot be read: {error})"),
        |questions| questions.help(),
    );
    // `mut_subcommands` keeps the subcommands' order (`mut_subcommand` moves the one it changes
    // last, and the usage errors list them in that order).
    Cli::command().mut_subcommands(|sub| match sub.get_name() {
        "new" | "render" => sub.after_help(format!("{answers}\n{}", exit::HELP)),
        _ => sub,
    })
}

/// Parses the arguments, runs the command and turns the outcome into an exit code.
pub fn main() -> ExitCode {
    let cli = Cli::from_arg_matches(&command().get_matches()).unwrap_or_else(|error| error.exit());
    if let Err(error) = interrupt::install(cmd::kill_all) {
        eprintln!("warning: Ctrl-C will not clean up: {error}");
    }
    match run(&cli) {
        Ok(code) => code,
        Err(Error::Usage { command, message }) => usage_error(command, &message),
        Err(error) => exit::report(&error),
    }
}

fn run(cli: &Cli) -> Result<ExitCode> {
    let global = &cli.global;
    match &cli.command {
        Command::Matrix(args) => matrix::run(global, args),
        Command::Check(args) => check::run(global, args),
        Command::New(args) => new::run(global, args),
        Command::Update(args) => update::run(global, args),
        Command::Render(args) => render::run(global, args),
        Command::Styles(args) => Ok(styles::run(args)),
        Command::Exercises(args) => exercises::run(args),
        Command::Watch(args) => watch::run(global, args),
        Command::Reset(args) => reset::run(global, args),
        Command::Solution(args) => solution::run(global, args),
        Command::Summary(args) => summary::run(args),
        Command::Dev(args) => dev::run(global, args),
    }
}

/// clap's own format: one line, then the command's usage and the `--help` hint; exit code 2.
fn usage_error(command: &str, message: &str) -> ExitCode {
    let mut root = Cli::command();
    root.build();
    let error = match root.find_subcommand_mut(command) {
        Some(sub) => sub.error(ErrorKind::ValueValidation, message),
        None => root.error(ErrorKind::ValueValidation, message),
    };
    let _ = error.print();
    exit::code(crate::base::error::Fault::Usage)
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::time::Duration;

    use super::*;
    use crate::template::style::{ProbeStyle, Shard, Style};

    fn parse(args: &[&str]) -> std::result::Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("pyo3-scaffold").chain(args.iter().copied()))
    }

    #[test]
    fn matrix_arguments() {
        let cli = parse(&[
            "matrix",
            "--style",
            "greet",
            "--style",
            "text-processor",
            "--python",
            "/usr/bin/python3",
            "--jobs",
            "3",
            "--shard",
            "2/3",
            "--keep",
            "--junit",
            "j.xml",
            "--json",
            "r.jsonl",
            "--timeout",
            "60",
        ])
        .unwrap();
        let Command::Matrix(args) = cli.command else {
            panic!("expected matrix")
        };
        let named = ["greet", "text-processor"].map(|name| Style::parse(name).unwrap());
        assert_eq!(args.styles, named);
        assert_eq!(args.pythons.named, ["/usr/bin/python3"]);
        assert!(!args.pythons.all);
        assert_eq!(args.jobs, Some(3));
        assert_eq!(args.shard, Some(Shard { index: 2, count: 3 }));
        assert!(args.keep);
        assert_eq!(args.junit, Some(PathBuf::from("j.xml")));
        assert_eq!(args.json, Some(PathBuf::from("r.jsonl")));
        assert_eq!(args.timeout.duration(), Duration::from_secs(60));
    }

    #[test]
    fn matrix_defaults() {
        let Command::Matrix(args) = parse(&["matrix"]).unwrap().command else {
            panic!("expected matrix")
        };
        assert_eq!(args.styles, []);
        assert_eq!(args.jobs, None);
        assert_eq!(args.shard, None);
        assert_eq!(args.timeout.timeout, 900);
    }

    #[test]
    fn check_arguments() {
        let cli = parse(&[
            "check", "proj", "--style", "none", "--record", "r.txt", "--json", "c.json",
        ])
        .unwrap();
        let Command::Check(args) = cli.command else {
            panic!("expected check")
        };
        assert_eq!(args.dir, PathBuf::from("proj"));
        assert_eq!(args.style, Some(ProbeStyle(None)));
        assert_eq!(args.record, Some(PathBuf::from("r.txt")));
        assert_eq!(args.against, None);
    }

    #[test]
    fn render_arguments() {
        let cli = parse(&[
            "render",
            "text-processor",
            "out/my-ext",
            "-d",
            "abi3=false",
            "-d",
            "ci=false",
        ])
        .unwrap();
        let Command::Render(args) = cli.command else {
            panic!("expected render")
        };
        assert_eq!(args.style, Style::parse("text-processor").unwrap());
        assert_eq!(args.dest, PathBuf::from("out/my-ext"));
        assert_eq!(
            args.defines,
            [
                ("abi3".to_owned(), "false".to_owned()),
                ("ci".to_owned(), "false".to_owned())
            ]
        );
    }

    #[test]
    fn global_options_go_anywhere() {
        let cli = parse(&["matrix", "--template", "/t", "--no-bootstrap"]).unwrap();
        assert_eq!(cli.global.template, Some(PathBuf::from("/t")));
        assert!(cli.global.no_bootstrap);
    }

    #[test]
    fn help_lists_new_first_and_leaves_dev_out() {
        let help = command().render_help().to_string();
        let commands: Vec<&str> = help
            .split("Commands:\n")
            .nth(1)
            .unwrap()
            .lines()
            .take_while(|line| !line.is_empty())
            .filter_map(|line| line.split_whitespace().next())
            .collect();
        assert_eq!(commands.first(), Some(&"new"), "{help}");
        assert!(!commands.contains(&"dev"), "{help}");
        // Hidden, not gone: an exercise author finds it by name.
        assert!(parse(&["dev", "check", "--style", "greet"]).is_ok());
    }

    #[test]
    fn new_help_lists_every_answer_of_the_template() {
        let mut command = command();
        let new = command.find_subcommand_mut("new").unwrap();
        let help = new.render_long_help().to_string();
        // clap wraps the text to the terminal: compared with its line breaks as spaces.
        let flat = help.split_whitespace().collect::<Vec<_>>().join(" ");
        let questions = Questions::embedded().unwrap();
        assert!(!questions.questions.is_empty());
        for question in &questions.questions {
            assert!(
                help.contains(&format!("\n  {} ", question.name)),
                "{} missing:\n{help}",
                question.name
            );
            if let Some(default) = question.default.as_deref().filter(|d| !d.is_empty()) {
                let wanted = format!("(default: {default})");
                let wanted = wanted.split_whitespace().collect::<Vec<_>>().join(" ");
                assert!(flat.contains(&wanted), "{wanted} missing:\n{help}");
            }
        }
    }
}
