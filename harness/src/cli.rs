//! The command line: argument parsing (clap derive), and each command's flow from arguments to
//! output and exit code.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::error::ErrorKind;
use clap::{Args, CommandFactory, Parser, Subcommand};

use crate::bench;
use crate::cache::{CACHE_ENV, Cache};
use crate::check::{self, Mode, StyleChoice};
use crate::checklist::Checklist;
use crate::error::{Class, Error, Result};
use crate::interrupt;
use crate::matrix::{self, Setup};
use crate::pipeline::{self, CaseReport, Reference, Settings, Verdict};
use crate::probe;
use crate::progress::Progress;
use crate::project::Project;
use crate::render::{self, TEMPLATE_ENV, Template};
use crate::report;
use crate::style::{Shard, Style};

const AFTER_HELP: &str = "\
Exit codes:
  0    every case passed
  1    a case failed: its behaviour differs from the snapshot (or reference, or record), a test
       failed, or the project did not render, build, import or finish within --timeout
  2    usage error: a bad argument, a DIR that is missing or is not a maturin project, a
       template answer the template refuses, a DEST that exists (without --force)
  3    the harness could not run: uv, Python, the template or the cache is missing or unusable
  130  interrupted (Ctrl-C, SIGTERM): children were stopped and work folders removed

Environment:
  SCAFFOLD_TEMPLATE       the template folder (default: the repository's template/)
  SCAFFOLD_HARNESS_CACHE  the cache: venvs, the shared target folder, builds (default: the user
                          cache folder's pyo3-scaffold/)
  UV                      the uv to use (default: uv on PATH, else one installed into the cache
                          with `python3 -m venv` + `pip install uv`; --no-bootstrap forbids that)";

#[derive(Debug, Parser)]
#[command(
    name = "scaffold-harness",
    version,
    about = "Render the pyo3-scaffold template, build each project with uv + maturin, run its \
             tests and compare what Python sees with the committed snapshots.",
    after_help = AFTER_HELP
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// The template folder, the one holding cargo-generate.toml
    #[arg(long, global = true, env = TEMPLATE_ENV, value_name = "DIR")]
    pub template: Option<PathBuf>,

    /// The harness cache (venvs, the shared target folder, uv when bootstrapped)
    #[arg(long, global = true, env = CACHE_ENV, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,

    /// Fail when uv is missing, instead of installing it into the cache
    #[arg(long, global = true)]
    pub no_bootstrap: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Every style × option variant of the template through the whole pipeline, compared with
    /// the committed snapshots
    #[command(after_help = AFTER_HELP)]
    Matrix(MatrixArgs),
    /// Build, test and probe an existing project (only read: it is copied first); compare it
    /// with its style's reference behaviour, or record it, or compare it with a record
    #[command(after_help = AFTER_HELP)]
    Check(CheckArgs),
    /// Render the template into DEST; DEST's folder name is the project name
    #[command(after_help = AFTER_HELP)]
    Render(RenderArgs),
    /// Measure the harness against the usual way and a bare cargo build; prints JSON with
    /// naive_s, harness_cold_s, harness_warm_s, floor_s and extra_project_s (all in a fresh
    /// temporary cache; takes a few minutes)
    #[command(after_help = AFTER_HELP)]
    Bench(BenchArgs),
}

#[derive(Debug, Clone, Args)]
pub struct TimeoutArg {
    /// Per-stage time limit; a stage past it has its whole process group killed
    #[arg(long, value_name = "SECS", default_value_t = 900,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout: u64,
}

impl TimeoutArg {
    pub fn duration(&self) -> Duration {
        Duration::from_secs(self.timeout)
    }
}

#[derive(Debug, Args)]
pub struct MatrixArgs {
    /// Only this style (repeatable; default: every style)
    #[arg(long = "style", value_name = "S")]
    pub styles: Vec<Style>,
    /// Build for this interpreter (repeatable; default: python3). It must be in the supported
    /// range: CPython 3.11 to 3.15, or the free-threaded 3.14t and 3.15t
    #[arg(long = "python", value_name = "PATH")]
    pub pythons: Vec<String>,
    /// Also every CPython of the supported range this machine has (uv's list, PATH, pyenv)
    #[arg(long)]
    pub all_pythons: bool,
    /// Cases run at the same time (default: the number of CPUs)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// Run only the I-th of N shares of the cases, for a CI matrix of runners
    #[arg(long, value_name = "I/N")]
    pub shard: Option<Shard>,
    /// Keep the work folders and print where they are
    #[arg(long)]
    pub keep: bool,
    /// Write a JUnit XML report
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Write a JSON report, one line per case (shard reports merge by concatenation)
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    #[command(flatten)]
    pub timeout: TimeoutArg,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The project folder
    pub dir: PathBuf,
    /// The project's style (default: detected from its files); `none` probes the API only
    #[arg(long, value_name = "S")]
    pub style: Option<StyleChoice>,
    /// Build for this interpreter (default: python3)
    #[arg(long, value_name = "PATH")]
    pub python: Option<String>,
    /// Record the project's API, behaviour and test outcomes to FILE instead of comparing
    #[arg(long, value_name = "FILE", conflicts_with = "against")]
    pub record: Option<PathBuf>,
    /// Compare with a record written earlier by --record
    #[arg(long, value_name = "FILE")]
    pub against: Option<PathBuf>,
    /// Write a JSON report of the case
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Keep the work folder and print where it is
    #[arg(long)]
    pub keep: bool,
    #[command(flatten)]
    pub timeout: TimeoutArg,
}

#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The project's style
    pub style: Style,
    /// The folder to create
    pub dest: PathBuf,
    /// Answer a template question, e.g. -d abi3=false (repeatable)
    #[arg(short = 'd', long = "define", value_name = "KEY=VALUE", value_parser = render::parse_define)]
    pub defines: Vec<(String, String)>,
    /// Replace DEST if it exists (only once the new render succeeded)
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Write the figures to FILE as well as to stdout
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Interpreter to build for (default: python3)
    #[arg(long, value_name = "PATH")]
    pub python: Option<String>,
    #[command(flatten)]
    pub timeout: TimeoutArg,
}

/// Parses the arguments, runs the command and turns the outcome into an exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Err(error) = interrupt::install() {
        eprintln!("warning: Ctrl-C will not clean up: {error}");
    }
    match run(&cli) {
        Ok(code) => code,
        Err(Failure::Usage(command, message)) => usage_error(command, &message),
        Err(Failure::Error(error)) => {
            eprintln!("error: {error}");
            if let Some(hint) = error.hint() {
                eprintln!("hint: {hint}");
            }
            exit_code(error.class())
        }
    }
}

/// How a command can end early: with a usage error, or an error of the harness.
pub enum Failure {
    Usage(&'static str, String),
    Error(Error),
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure::Error(error)
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
    ExitCode::from(2)
}

pub fn exit_code(class: Class) -> ExitCode {
    ExitCode::from(match class {
        Class::Failure => 1,
        Class::Environment => 3,
        Class::Interrupted => 130,
    })
}

/// The exit code for a set of case reports: the worst verdict wins.
pub fn verdict_code(reports: &[CaseReport]) -> ExitCode {
    let worst = reports.iter().map(CaseReport::verdict).max();
    if interrupt::requested() {
        return exit_code(Class::Interrupted);
    }
    match worst {
        None | Some(Verdict::Passed) => ExitCode::SUCCESS,
        Some(Verdict::Failed) => exit_code(Class::Failure),
        Some(Verdict::Error(class)) => exit_code(class),
    }
}

fn run(cli: &Cli) -> std::result::Result<ExitCode, Failure> {
    match &cli.command {
        Command::Matrix(args) => run_matrix(cli, args),
        Command::Check(args) => run_check(cli, args),
        Command::Render(args) => run_render(cli, args),
        Command::Bench(args) => {
            let setup = setup(cli)?;
            let template = Template::locate(cli.template.as_deref())?;
            Ok(bench::run(&setup, &template, args)?)
        }
    }
}

fn setup(cli: &Cli) -> Result<Setup> {
    let root = cli.cache_dir.clone().unwrap_or_else(Cache::default_root);
    Ok(Setup {
        cache: Cache::open(root)?,
        bootstrap: !cli.no_bootstrap,
    })
}

fn run_matrix(cli: &Cli, args: &MatrixArgs) -> std::result::Result<ExitCode, Failure> {
    let template = Template::locate(cli.template.as_deref())?;
    let setup = setup(cli)?;
    let (pythons, uv) = setup.tools(&args.pythons, args.all_pythons)?;
    let options = matrix::Options {
        styles: args.styles.clone(),
        jobs: args.jobs.map_or_else(default_jobs, usize::from),
        shard: args.shard,
        keep: args.keep,
        timeout: args.timeout.duration(),
    };
    let settings = Settings {
        cache: setup.cache.clone(),
        uv,
        timeout: options.timeout,
        keep: options.keep,
        builder: Settings::builder_of(&pythons),
    };
    let jobs = matrix::jobs(&template, &pythons, &options);
    if jobs.is_empty() {
        eprintln!("no cases in this selection");
    }
    let progress = Progress::new();
    let reports = matrix::run_jobs(&settings, &jobs, options.jobs, &progress);
    finish(&reports, args.json.as_deref(), args.junit.as_deref())?;
    Ok(verdict_code(&reports))
}

fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(2, usize::from)
}

/// Prints the details of every failed case and the summary table, and writes the reports.
fn finish(reports: &[CaseReport], json: Option<&Path>, junit: Option<&Path>) -> Result<()> {
    for details in reports.iter().filter_map(report::case_details) {
        println!("{details}");
    }
    // A failed case's details already say where its work folder is.
    for passed in reports.iter().filter(|r| r.verdict() == Verdict::Passed) {
        if let Some(dir) = &passed.work_dir {
            println!("{}: work folder kept: {}", passed.case, dir.display());
        }
    }
    print!("{}", report::summary_table(reports));
    if let Some(path) = json {
        report::write(path, &report::json_lines(reports)?)?;
    }
    if let Some(path) = junit {
        report::write(path, &report::junit("scaffold-harness", reports)?)?;
    }
    Ok(())
}

fn run_check(cli: &Cli, args: &CheckArgs) -> std::result::Result<ExitCode, Failure> {
    // Argument problems first: they must not wait for (or depend on) the tools.
    if let Err(error) = Project::read(&args.dir) {
        return Err(Failure::Usage("check", error.to_string()));
    }
    if let Some(file) = &args.against {
        // Read before the tools are looked for (or installed): a bad argument is told at once.
        let text = match fs_err::read(file) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(_) if !file.is_file() => {
                return Err(Failure::Usage(
                    "check",
                    format!(
                        "--against {}: no such file; write one first with --record FILE",
                        file.display()
                    ),
                ));
            }
            Err(error) => return Err(Error::from(error).into()),
        };
        if let Err(message) = check::parse_record(&text) {
            let error = Error::Record {
                path: file.clone(),
                message,
            };
            let hint = error.hint().unwrap_or_default();
            return Err(Failure::Usage("check", format!("{error}; {hint}")));
        }
    }
    let mode = match (&args.record, &args.against) {
        (Some(file), _) => Mode::Record(file.clone()),
        (None, Some(file)) => Mode::Against(file.clone()),
        (None, None) => Mode::Reference,
    };
    if mode == Mode::Reference && args.style == Some(StyleChoice::None) {
        return Err(Failure::Usage(
            "check",
            "--style none has no reference behaviour to compare with: record one with \
             --record FILE, then compare with --against FILE"
                .into(),
        ));
    }
    let setup = setup(cli)?;
    let pythons: Vec<String> = args.python.iter().cloned().collect();
    let (pythons, uv) = setup.tools(&pythons, false)?;
    let job = match check::job(&args.dir, args.style, &mode, pythons[0].clone()) {
        Ok(job) => job,
        Err(error @ (Error::UnknownStyle { .. } | Error::Record { .. })) => {
            let hint = error.hint().unwrap_or_default();
            return Err(Failure::Usage("check", format!("{error}; {hint}")));
        }
        Err(error) => return Err(error.into()),
    };
    let settings = Settings {
        cache: setup.cache.clone(),
        uv,
        timeout: args.timeout.duration(),
        keep: args.keep,
        builder: None,
    };
    // Compared with a style's reference, the result is a checklist of that style's behaviours;
    // the table and the official tests are read before the build, which may fail.
    let checklist_input = match (&job.reference, Style::parse(&job.probe_style)) {
        (Reference::Text { text, .. }, Some(style)) if mode == Mode::Reference => {
            let table = probe::list(&job.python.executable, &job.probe_style, settings.timeout)?;
            let template = Template::locate(cli.template.as_deref());
            let tests = check::official_tests(template, style, &args.dir);
            Some((table, text.clone(), tests))
        }
        _ => None,
    };
    let progress = Progress::new();
    let report = pipeline::run(&settings, &job, &progress);
    progress.finished(&report);
    if let Some((table, reference, tests)) = checklist_input {
        let checklist = Checklist::build(&table, &reference, &report, tests);
        finish_checklist(&report, &checklist, args.json.as_deref())?;
        let code = verdict_code(std::slice::from_ref(&report));
        if code == ExitCode::SUCCESS && !checklist.complete() {
            return Ok(exit_code(Class::Failure));
        }
        return Ok(code);
    }
    let reports = [report];
    finish(&reports, args.json.as_deref(), None)?;
    if let (Mode::Record(file), Some(text)) = (&mode, &reports[0].snapshot) {
        report::write(file, &check::format_record(&job.probe_style, text))?;
        eprintln!("recorded the behaviour of {} to {}", job.id, file.display());
    }
    Ok(verdict_code(&reports))
}

/// Prints what the checklist does not say (failing tests, differences it does not explain,
/// errors), the summary table, then the checklist, and writes the JSON report with it.
fn finish_checklist(report: &CaseReport, checklist: &Checklist, json: Option<&Path>) -> Result<()> {
    match report::case_details(&checklist.trim(report)) {
        Some(details) => println!("{details}"),
        None => {
            if let Some(dir) = &report.work_dir {
                println!("{}: work folder kept: {}", report.case, dir.display());
            }
        }
    }
    print!("{}", report::summary_table(std::slice::from_ref(report)));
    print!("\n{}", checklist.render());
    if let Some(path) = json {
        report::write(path, &report::check_json(report, checklist)?)?;
    }
    Ok(())
}

fn run_render(cli: &Cli, args: &RenderArgs) -> std::result::Result<ExitCode, Failure> {
    let Some(name) = args.dest.file_name().and_then(|name| name.to_str()) else {
        return Err(Failure::Usage(
            "render",
            format!(
                "{} does not end in a folder name to use as the project name",
                args.dest.display()
            ),
        ));
    };
    // DEST and the answers are the user's input: a problem with either is a usage error.
    let usage = |message: String| Failure::Usage("render", message);
    if args.dest.exists() && !args.force {
        return Err(usage(format!(
            "{} already exists: choose a new folder, or pass --force to replace it",
            args.dest.display()
        )));
    }
    if let Some(file) = args
        .dest
        .ancestors()
        .skip(1)
        .find(|a| a.exists() && !a.is_dir())
    {
        return Err(usage(format!(
            "{} cannot be made: {} is a file, not a folder",
            args.dest.display(),
            file.display()
        )));
    }
    let template = Template::locate(cli.template.as_deref())?;
    let request = render::Request {
        style: args.style,
        name,
        defines: &args.defines,
    };
    match render::render_replacing(&template, &request, &args.dest) {
        Ok(()) => {}
        Err(Error::Refused { message }) => return Err(usage(message)),
        Err(error) => return Err(error.into()),
    }
    eprintln!(
        "rendered a {} project named {name} into {}",
        args.style,
        args.dest.display()
    );
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> std::result::Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("scaffold-harness").chain(args.iter().copied()))
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
        assert_eq!(args.styles, [Style::Greet, Style::TextProcessor]);
        assert_eq!(args.pythons, ["/usr/bin/python3"]);
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
        assert_eq!(args.style, Some(StyleChoice::None));
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
        assert_eq!(args.style, Style::TextProcessor);
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
        assert_eq!(cli.template, Some(PathBuf::from("/t")));
        assert!(cli.no_bootstrap);
    }

    #[test]
    fn bad_arguments_are_usage_errors() {
        let cases: &[(&[&str], &str)] = &[
            (
                &["matrix", "--style", "nope"],
                "invalid value 'nope' for '--style <S>'",
            ),
            (
                &["matrix", "--shard", "3/2"],
                "`3/2` is not a shard: write I/N with 1 <= I <= N, e.g. 1/2",
            ),
            (
                &["matrix", "--jobs", "0"],
                "invalid value '0' for '--jobs <N>'",
            ),
            (
                &["matrix", "--timeout", "0"],
                "invalid value '0' for '--timeout <SECS>'",
            ),
            (
                &["check"],
                "the following required arguments were not provided",
            ),
            (
                &["check", "d", "--record", "a", "--against", "b"],
                "cannot be used with",
            ),
            (
                &["render", "greet", "x", "-d", "abi3"],
                "`abi3` is not KEY=VALUE",
            ),
            (&["frobnicate"], "unrecognized subcommand 'frobnicate'"),
        ];
        for (args, expected) in cases {
            let error = parse(args).unwrap_err();
            assert_eq!(error.exit_code(), 2, "{args:?}");
            let text = error.to_string();
            assert!(text.contains(expected), "{args:?}: {text}");
            assert!(
                text.contains("Usage: scaffold-harness") || text.contains("try '--help'"),
                "{args:?}: {text}"
            );
            assert!(text.starts_with("error: "), "{args:?}: {text}");
        }
    }

    #[test]
    fn help_documents_exit_codes_and_environment() {
        let help = Cli::command().render_help().to_string();
        for needle in [
            "Exit codes:",
            "130  interrupted",
            "SCAFFOLD_HARNESS_CACHE",
            "UV ",
        ] {
            assert!(help.contains(needle), "{needle} missing from --help");
        }
    }

    #[test]
    fn worst_verdict_picks_the_exit_code() {
        assert_eq!(verdict_code(&[]), ExitCode::SUCCESS);
        assert_eq!(exit_code(Class::Failure), ExitCode::from(1));
        assert_eq!(exit_code(Class::Environment), ExitCode::from(3));
        assert_eq!(exit_code(Class::Interrupted), ExitCode::from(130));
    }
}
